from django.db.models import Count
from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from openraa.partnership.models import Membership
from openraa.people import policy
from openraa.web.views import PolicyView


class AgencyView(PolicyView, TemplateView):
    """The signed-in user's agency: its model, its councils over time and (for administrators) its staff."""

    permission = ("aggregates", "view")
    template_name = "partnership/agency.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        agency = user.agency
        context = super().get_context_data(
            agency=agency,
            memberships=Membership.objects.filter(agency=agency).select_related("council").order_by("council__name", "joined_on"),
            can_change=policy.can(user, "partnership", "change"),
            staff_by_employer=agency.staff.values("employing_council__name").annotate(n=Count("id")).order_by("employing_council__name"),
            **kwargs,
        )
        if policy.can(user, "partnership", "view"):
            context["staff"] = agency.staff.select_related("employing_council", "agency").order_by("last_name", "first_name")
        return context


class TargetsView(PolicyView, FormView):
    """The agency's timescale targets: statutory defaults until an administrator sets its own."""

    permission = ("partnership", "change")
    template_name = "partnership/targets.html"

    def get_form(self, form_class=None):
        from openraa.journeys.forms import TargetsForm
        from openraa.journeys.models import AgencyTargets

        agency = self.request.user.agency
        instance = AgencyTargets.objects.filter(agency=agency).first() or AgencyTargets(agency=agency)
        return TargetsForm(self.request.POST or None, instance=instance)

    def form_valid(self, form):
        form.instance._history_user = self.request.user
        form.save()
        messages.success(self.request, "Timescale targets saved: drift, decisions and the scorecard use them from now")
        return redirect("partnership:agency")


class InformationSharingView(PolicyView, FormView):
    """The agency's information-sharing agreement as the rules the record applies (people/sharing.py)."""

    permission = ("partnership", "change")
    template_name = "partnership/sharing.html"

    def get_form(self, form_class=None):
        from openraa.people.forms import InformationSharingForm
        from openraa.people.models import InformationSharing

        agency = self.request.user.agency
        instance = InformationSharing.objects.filter(agency=agency).first() or InformationSharing(agency=agency)
        return InformationSharingForm(self.request.POST or None, instance=instance)

    def form_valid(self, form):
        form.instance._history_user = self.request.user
        form.save()
        messages.success(self.request, "Information-sharing rules saved: every page and the API apply them from now")
        return redirect("partnership:agency")
