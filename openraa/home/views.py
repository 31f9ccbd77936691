"""The home page, sign-in and sign-out, the health check and the error pages."""

from django.contrib.auth import views as auth_views
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.views.generic import TemplateView

from openraa.children.domain import STAGE_LABELS as CHILD_STAGES
from openraa.children.models import Child
from openraa.common.disclosure import CHILDREN, HOUSEHOLDS, KEY_NOTE, Disclosure
from openraa.governance.selectors import governance_reminders
from openraa.households.domain import STAGE_LABELS as HOUSEHOLD_STAGES
from openraa.households.models import Household
from openraa.people import policy
from openraa.people.middleware import public
from openraa.security import oidc
from openraa.web.forms import GovukForm
from openraa.web.views import PolicyView


class SignInForm(GovukForm, auth_views.AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK pages do not autofocus: screen reader users would skip the heading.
        self.fields["username"].widget.attrs.pop("autofocus", None)


class SignInView(auth_views.LoginView):
    openraa_public = True
    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, single_sign_on=oidc.enabled())


@public
def health(request):
    return HttpResponse("ok", content_type="text/plain")


class HomeView(PolicyView, TemplateView):
    permission = ("aggregates", "view")
    template_name = "home/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        councils = list(user.agency.member_councils())
        # Aggregates only: counts per council and stage, never a record.
        child_counts = _counts(Child.objects.filter(agency=user.agency), "responsible_council_id")
        household_counts = _counts(Household.objects.filter(agency=user.agency), "home_council_id")
        # A council's counts are exact only for those who see its records in full (policy.disclosure_viewer).
        disclosure = Disclosure(policy.disclosure_viewer(user))
        tables = [
            (
                "Children",
                _table("child", councils, CHILD_STAGES, child_counts, disclosure, CHILDREN),
                "children:list" if policy.can(user, "child", "view") else None,
            ),
            (
                "Households",
                _table("household", councils, HOUSEHOLD_STAGES, household_counts, disclosure, HOUSEHOLDS),
                "households:list" if policy.can(user, "household", "view") else None,
            ),
        ]
        disclosure.resolve()
        context["tables"] = [
            (
                title,
                [
                    {**row, "cells": [disclosure.text(k) for k in row["cells"]], "total": disclosure.text(row["total"])}
                    for row in rows
                ],
                link,
            )
            for title, rows, link in tables
        ]
        context["suppressed"] = KEY_NOTE if disclosure.active else ""
        context["councils"] = councils
        context["governance_reminders"] = governance_reminders(user)
        context["my_children"] = None
        if policy.can(user, "child", "view"):
            mine = policy.restrict(Child.objects.all(), user, "child", "view").filter(
                allocated_workers=user, adoption_order_on__isnull=True
            )  # a sealed record opens on its page only
            context["my_children"] = list(mine.select_related("responsible_council")[:HOME_LIST])
            context["my_children_total"] = (
                mine.count() if len(context["my_children"]) == HOME_LIST else len(context["my_children"])
            )
            context["show_child_names"] = policy.can(user, "child", "view_restricted")
        return context


HOME_LIST = 20  # the home page shows this many; "See all" opens the rest on My work


def _counts(queryset, council_field):
    rows = queryset.values(council_field, "stage").annotate(n=Count("id"))
    return {(row[council_field], row["stage"]): row["n"] for row in rows}


def _table(name, councils, stage_labels, counts, disclosure, kind):
    """Rows of cell keys registered with the disclosure check; each row's councils add up to its total."""
    rows = []
    for stage, label in stage_labels.items():
        cells = [
            disclosure.cell(
                (name, stage.value, council.pk),
                counts.get((council.pk, stage.value), 0),
                council=council.ons_code,
                kind=kind,
            )
            for council in councils
        ]
        total = disclosure.cell((name, stage.value, "all"), sum(disclosure.values[k] for k in cells), kind=kind)
        disclosure.line(cells, total)
        rows.append({"stage": stage.value, "label": label, "cells": cells, "total": total})
    return rows


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    # The families' pages keep their own header and links: a family never lands on a staff page.
    template = "families/404.html" if request.path.startswith("/adopt/") else "404.html"
    return render(request, template, status=404)
