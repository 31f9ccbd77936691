"""Family finding pages. The engine ranks and explains; people decide and record."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from openraa.children.selectors import children_for
from openraa.households.selectors import households_for
from openraa.matching import selectors, services
from openraa.matching.forms import (
    FACTOR_LABELS,
    InterestForm,
    LinkForm,
    MatchingSettingsForm,
    VisitForm,
)
from openraa.matching.models import MatchingSettings, settings_for
from openraa.partnership.models import Agency
from openraa.people import policy
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView


class ChildShortlistView(PolicyView, TemplateView):
    permission = ("matching", "view")
    template_name = "matching/child.html"

    def get_context_data(self, pk, **kwargs):
        user = self.request.user
        child = get_object_or_404(selectors.matchable_children(user).select_related("agency", "sibling_group"), pk=pk)
        today = timezone.localdate()
        with_reasons = self.request.GET.get("excluded") == "1"
        unit, members, result, records, reasons = selectors.child_shortlist(
            child, today, viewer=user, with_reasons=with_reasons
        )
        may_see_household = policy.can(user, "household", "view")
        return super().get_context_data(
            child=child,
            unit=unit,
            members=members,
            shortlist=result,
            candidates=[(c, records.get(c.household_id)) for c in result.candidates],
            reasons=sorted(reasons.items()),
            with_reasons=with_reasons,
            interests=list(selectors.interests_for(child)),
            may_see_household=may_see_household,
            can_change=policy.can(user, "matching", "change") and policy.can_on(user, child, "child", "change"),
            **kwargs,
        )


class HouseholdCandidatesView(PolicyView, TemplateView):
    permission = ("matching", "view")
    template_name = "matching/household.html"

    def get_context_data(self, pk, **kwargs):
        user = self.request.user
        household = get_object_or_404(households_for(user).select_related("agency"), pk=pk)
        rows = selectors.household_candidates(household, user, timezone.localdate())
        return super().get_context_data(household=household, rows=rows, **kwargs)


class RegionalMatchingView(PolicyView, TemplateView):
    permission = ("matching", "view")
    template_name = "matching/regional.html"

    def get_context_data(self, **kwargs):
        data = selectors.regional(self.request.user, timezone.localdate())
        suggestion = data["suggestion"]
        by_unit = {p.unit_id: p for p in suggestion.greedy.pairs}
        pairs = [(pair, data["units"][pair.unit_id], by_unit.get(pair.unit_id)) for pair in suggestion.optimal.pairs]
        worst = max((g.children for g in data["gaps"]), default=1) or 1
        return super().get_context_data(
            suggestion=suggestion,
            pairs=sorted(pairs, key=lambda row: -row[1].days_waiting),
            units=data["units"],
            gaps=[(g, round(100 * g.children / worst)) for g in data["gaps"]],
            reach=data["reach"],
            searched=selectors.searched_agencies(self.request.user.agency),
            **kwargs,
        )


class MatchingSettingsView(PolicyView, TemplateView):
    """The agency's matching weights, distance rules and neighbouring agencies, as they stand."""

    permission = ("matching", "view")
    template_name = "matching/settings.html"

    def get_context_data(self, **kwargs):
        agency = self.request.user.agency
        config = settings_for(agency)
        named = list(config.share_with.order_by("name")) if config.pk else []
        names_us = set(MatchingSettings.objects.filter(share_with=agency).values_list("agency_id", flat=True))
        changes = (
            list(config.history.select_related("history_user").order_by("-history_date")[:10]) if config.pk else []
        )
        return super().get_context_data(
            config=config,
            weights=[(label, getattr(config, name)) for name, label in FACTOR_LABELS.items()],
            sharing=[(other, other.pk in names_us) for other in named],
            named_by=Agency.objects.filter(pk__in=names_us - {a.pk for a in named}).order_by("name"),
            changes=changes,
            can_configure=policy.can(self.request.user, "matching", "configure"),
            **kwargs,
        )


class MatchingSettingsEditView(PolicyView, FormView):
    """Team managers and administrators set the weights; the history keeps every earlier setting."""

    permission = ("matching", "configure")
    template_name = "matching/settings.html"

    def get_form(self, form_class=None):
        return MatchingSettingsForm(self.request.POST or None, instance=settings_for(self.request.user.agency))

    def get_context_data(self, **kwargs):
        return super().get_context_data(editing=True, **kwargs)

    def form_valid(self, form):
        services.save_settings(
            form.save(commit=False), by=self.request.user, share_with=form.cleaned_data.get("share_with")
        )
        messages.success(
            self.request, "Matching settings saved: shortlists and the regional suggestion use them from now"
        )
        return redirect("matching:settings")


class _UnitAction(PolicyView, FormView):
    """Record something between a child's unit and a household, from the child's shortlist."""

    permission = ("matching", "change")

    def dispatch(self, request, *args, **kwargs):
        self.child = get_object_or_404(children_for(request.user, "change"), pk=kwargs["pk"])
        self.household = get_object_or_404(households_for(request.user), pk=kwargs["household"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(child=self.child, household=self.household, title=self.title, **kwargs)

    def form_valid(self, form):
        try:
            self.save(form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.done)
        return redirect("matching:child", pk=self.child.pk)


class InterestView(_UnitAction):
    template_name = "matching/action_form.html"
    form_class = InterestForm
    title = "Record an expression of interest"
    done = "Expression of interest recorded"

    def save(self, data):
        services.record_interest(
            self.child, self.household, data["direction"], data["expressed_on"], by=self.request.user, note=data["note"]
        )


class VisitView(_UnitAction):
    template_name = "matching/action_form.html"
    form_class = VisitForm
    title = "Record a visit"
    done = "Visit recorded"

    def save(self, data):
        services.record_visit(self.child, self.household, data["visited_on"], data["note"], by=self.request.user)


class LinkView(_UnitAction):
    template_name = "matching/action_form.html"
    form_class = LinkForm
    title = "Link with this household"
    done = "Link recorded: take it to the matching panel when ready"

    def save(self, data):
        unit_children = list(selectors.unit_members(self.child))
        if not all(policy.can_on(self.request.user, c, "child", "change") for c in unit_children):
            raise PermissionDenied
        services.link(unit_children, self.household, data["linked_on"], by=self.request.user, note=data["note"])
