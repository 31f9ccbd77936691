"""The agency's pages: its councils and staff, its timescale targets, its information-sharing agreement."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from openraa.agency.admin_forms import OnDayForm
from openraa.agency.forms import InformationSharingForm
from openraa.journeys import services as journeys
from openraa.journeys.forms import TargetsForm
from openraa.journeys.models import AgencyTargets
from openraa.partnership.models import CouncilRole, Membership
from openraa.people import policy
from openraa.people import services as people
from openraa.people.models import InformationSharing, SealedRolesChange, head_of_service_on
from openraa.web.views import PolicyView


class AgencyView(PolicyView, TemplateView):
    """The signed-in user's agency: its model, its councils over time and (for administrators) its staff."""

    permission = ("aggregates", "view")
    template_name = "partnership/agency.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        agency = user.agency
        on_day = OnDayForm(self.request.GET or None)  # who held the roles on another day
        day = on_day.day()
        context = super().get_context_data(
            agency=agency,
            on_day=on_day,
            day=day,
            host=agency.host_on(day),
            commissioning=agency.commissioning_on(day),
            head_of_service=head_of_service_on(agency, day),
            terms=CouncilRole.objects.filter(agency=agency).select_related("council").order_by("kind", "starts_on"),
            bases=agency.bases.select_related("council"),
            teams=agency.teams.select_related("base"),
            memberships=Membership.objects.filter(agency=agency)
            .select_related("council")
            .order_by("council__name", "joined_on"),
            can_change=policy.can(user, "partnership", "change"),
            staff_by_employer=agency.staff.values("employing_council__name")
            .annotate(n=Count("id"))
            .order_by("employing_council__name"),
            **kwargs,
        )
        if policy.can(user, "partnership", "view"):
            context["staff"] = (
                agency.staff.select_related("employing_council", "agency", "team", "base")
                .prefetch_related("secondments")
                .order_by("last_name", "first_name")
            )
        return context


class TargetsView(PolicyView, FormView):
    """The agency's timescale targets: statutory defaults until an administrator sets its own."""

    permission = ("partnership", "change")
    template_name = "partnership/targets.html"

    def get_form(self, form_class=None):
        agency = self.request.user.agency
        instance = AgencyTargets.objects.filter(agency=agency).first() or AgencyTargets(agency=agency)
        return TargetsForm(self.request.POST or None, instance=instance)

    def form_valid(self, form):
        journeys.save_targets(form.save(commit=False), by=self.request.user)
        messages.success(self.request, "Timescale targets saved: drift, decisions and the scorecard use them from now")
        return redirect("partnership:agency")


class InformationSharingView(PolicyView, FormView):
    """The agency's information-sharing agreement as the rules the record applies (people/sharing.py).
    Who may open sealed adoption records changes only when a second administrator confirms it
    (people.models.SealedRolesChange): a change to them here is proposed, not saved."""

    permission = ("partnership", "change")
    template_name = "partnership/sharing.html"

    def get_form(self, form_class=None):
        agency = self.request.user.agency
        instance = InformationSharing.objects.filter(agency=agency).first() or InformationSharing(agency=agency)
        return InformationSharingForm(self.request.POST or None, instance=instance)

    def get_context_data(self, **kwargs):
        changes = SealedRolesChange.objects.filter(agency=self.request.user.agency).select_related(
            "proposed_by", "confirmed_by", "withdrawn_by"
        )
        return super().get_context_data(
            pending=[c for c in changes[:20] if c.pending], past=[c for c in changes[:20] if not c.pending], **kwargs
        )

    def form_valid(self, form):
        user = self.request.user
        wanted = form.cleaned_data["sealed_record_roles"]
        try:
            change = people.save_information_sharing(form.save(commit=False), wanted, by=user)
        except ValidationError as refused:
            form.add_error("sealed_record_roles", refused)
            return self.form_invalid(form)
        messages.success(self.request, "Information-sharing rules saved: every page and the API apply them from now")
        if change is not None:
            messages.info(
                self.request,
                "The change to who may open sealed adoption records waits for another "
                "administrator to confirm it on this page",
            )
            return redirect("partnership:sharing")
        return redirect("partnership:agency")


class SealedRolesDecisionView(InformationSharingView):
    """Another administrator confirms a proposed change to the sealed-record roles, or any of them
    withdraws it. POST only; a refusal is shown on the information-sharing page."""

    http_method_names = ["post"]

    def post(self, request, pk: int, decision: str):
        if decision not in ("confirm", "withdraw"):
            raise Http404
        change = get_object_or_404(SealedRolesChange.objects.filter(agency=request.user.agency), pk=pk)
        try:
            if decision == "confirm":
                people.confirm_sealed_roles(change, by=request.user)
                messages.success(request, "Confirmed: the roles that may open sealed adoption records are changed")
            else:
                people.withdraw_sealed_roles(change, by=request.user)
                messages.success(request, "The proposed change to who may open sealed records is withdrawn")
        except ValidationError as refused:
            form = InformationSharingForm(instance=self.get_form().instance)
            return self.render_to_response(
                self.get_context_data(form=form, refusal=" ".join(refused.messages)), status=400
            )
        return redirect("partnership:sharing")
