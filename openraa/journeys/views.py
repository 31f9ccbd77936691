"""Pages that record journey steps and corrections. The state machine and the service decide;
these pages only offer the steps the record's current stage allows, never a panel recommendation or
an ADM decision (journeys/routes.py): the page says where those are recorded instead."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView

from openraa.audit.reads import withheld
from openraa.children.forms import AdoptionOrderCorrectionForm
from openraa.children.models import Child
from openraa.children.selectors import children_for, sealed_child
from openraa.common.machine import WITHDRAWN
from openraa.households.selectors import households_for
from openraa.journeys import definitions, routes, services
from openraa.journeys.forms import CorrectionForm, StepForm
from openraa.people import policy
from openraa.people.roles import Role
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView


class _JourneyPage(PolicyView, FormView):
    record_name: str  # "child" or "household"

    def get_record(self):
        raise NotImplementedError

    def journey(self, record):
        raise NotImplementedError

    def record(self, record, kind, occurred_on, **kwargs):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_record()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(record=self.object, record_url=self.object_url(), **kwargs)

    def object_url(self) -> str:
        return f"/{'children' if self.record_name == 'child' else 'households'}/{self.object.pk}/"

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            withdrawing = form.cleaned_data.get("action") == "withdraw"
            add_errors(form, error, kind_to=None if withdrawing else "occurred_on")
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(form))
        for warning in self.date_warnings():
            messages.warning(self.request, warning)
        return redirect(self.object_url())

    def date_warnings(self) -> list[str]:
        """What is unusual but real in the record's dates after the save (kept, and said)."""
        return []


class _StepPage(_JourneyPage):
    template_name = "journeys/step_form.html"
    form_class = StepForm

    def next_steps(self):
        return self.journey(self.object).allowed_from(self.object.stage)

    def allowed_steps(self):
        return [step for step in self.next_steps() if not routes.is_decision(self.record_name, step.kind)]

    def decisions_elsewhere(self) -> list[dict]:
        """The decisions the record's stage waits for, each with the page that records it."""
        found = {}
        for step in self.next_steps():
            where = routes.where_recorded(self.record_name, step.kind)
            if where is not None:
                found[step.kind] = {
                    "label": step.label,
                    "message": routes.refusal(self.record_name, step.kind),
                    "url": decision_page(where, self.object, self.request.user),
                }
        return list(found.values())

    def get_context_data(self, **kwargs):
        return super().get_context_data(decisions_elsewhere=self.decisions_elsewhere(), **kwargs)

    def get_form_kwargs(self):
        steps = self.allowed_steps()
        names = tuple(dict.fromkeys(name for step in steps for name in (*step.details, *step.optional)))
        return {**super().get_form_kwargs(), "steps": steps, "detail_names": names, "agency": self.request.user.agency}

    def save(self, form):
        data = form.cleaned_data
        step = self.journey(self.object).steps[data["kind"]]
        wanted = (*step.details, *step.optional)
        details = {name: value for name, value in form.details().items() if name in wanted}
        self.record(self.object, data["kind"], data["occurred_on"], details=details, note=data["note"])

    def success_message(self, form):
        return f"{dict(form.fields['kind'].choices)[form.cleaned_data['kind']]} recorded for {self.object.reference}"


class _CorrectionPage(_JourneyPage):
    template_name = "journeys/correction_form.html"
    form_class = CorrectionForm

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_record()
        self.entry = get_object_or_404(self.object.steps.exclude(kind=WITHDRAWN), pk=kwargs["step"])
        # A decision is corrected by its decision maker on the decision page: no form here.
        self.refused = routes.correction_refusal(self.record_name, self.entry.kind, self.entry.details)
        return super(_JourneyPage, self).dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.refused:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        step = self.journey(self.object).steps[self.entry.kind]
        return {
            **super().get_form_kwargs(),
            "detail_names": (*step.details, *step.optional),
            "agency": self.request.user.agency,
        }

    def get_initial(self):
        return {"occurred_on": self.entry.occurred_on, "action": "correct", **self.entry.details}

    def get_context_data(self, **kwargs):
        label = self.journey(self.object).steps[self.entry.kind].label
        decision_url = (
            reverse(f"panels:correct-{self.record_name}-decision", args=[self.object.pk, self.entry.pk])
            if self.refused
            else None
        )
        return super().get_context_data(
            entry=self.entry, entry_label=label, refused=self.refused, decision_url=decision_url, **kwargs
        )

    def save(self, form):
        data = form.cleaned_data
        if data["action"] == "withdraw":
            self.record(self.object, WITHDRAWN, self.entry.occurred_on, note=data["note"], supersedes=self.entry)
        else:
            self.record(
                self.object,
                self.entry.kind,
                data["occurred_on"],
                details=form.details(),
                note=data["note"],
                supersedes=self.entry,
            )

    def success_message(self, form):
        return "Entry withdrawn" if form.cleaned_data["action"] == "withdraw" else "Correction recorded"


def decision_page(where: routes.Where, record, user) -> str | None:
    """The page that records a decision, when this user may open it (else the words say where)."""
    if where == routes.Where.SHOULD_BE_PLACED and policy.can(user, "panel", "decide"):
        return reverse("panels:should-be-placed", args=[record.pk])
    if not policy.can(user, "panel", "view"):
        return None
    return reverse("panels:list") if where == routes.Where.PANEL else reverse("panels:decisions")


class _Child:
    record_name = "child"
    permission = ("child", "change")

    def get_record(self):
        return get_object_or_404(children_for(self.request.user, "change"), pk=self.kwargs["pk"])

    def journey(self, child):
        return definitions.child_journey(child.date_of_birth)

    def record(self, child, kind, occurred_on, **kwargs):
        return services.record_child_step(child, kind, occurred_on, by=self.request.user, **kwargs)

    def date_warnings(self) -> list[str]:
        return services.child_warnings(Child.objects.get(pk=self.object.pk))


class _Household:
    record_name = "household"
    permission = ("household", "change")

    def get_record(self):
        return get_object_or_404(households_for(self.request.user, "change"), pk=self.kwargs["pk"])

    def journey(self, household):
        return definitions.household_journey(
            household.fast_track,
            (household.approved_children, household.age_min, household.age_max),
            household.placement_stage(),
        )

    def record(self, household, kind, occurred_on, **kwargs):
        return services.record_household_step(household, kind, occurred_on, by=self.request.user, **kwargs)


class ChildStepView(_Child, _StepPage):
    pass


class ChildCorrectionView(_Child, _CorrectionPage):
    pass


class HouseholdStepView(_Household, _StepPage):
    pass


class HouseholdCorrectionView(_Household, _CorrectionPage):
    pass


class AdoptionOrderCorrectionView(PolicyView, FormView):
    """A team manager puts right a mistaken adoption order: the one change a sealed record takes
    (journeys.services.correct_adoption_order)."""

    permission = ("child", "view")
    template_name = "children/adoption_order_correction.html"
    form_class = AdoptionOrderCorrectionForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.child = sealed_child(request.user, kwargs["pk"])
            if not request.user.has_role(Role.TEAM_MANAGER):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        withheld(self.request, self.child)  # names the sealed record, shows nothing of it: recording is the opening
        return super().get_context_data(child=self.child, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.correct_adoption_order(
                self.child,
                by=self.request.user,
                reason=data["reason"],
                corrected_on=data["corrected_on"] if data["correction"] == "date" else None,
                request=self.request,
            )
        except ValidationError as refused:
            add_errors(form, refused)
            return self.form_invalid(form)
        messages.success(self.request, f"The adoption order of {self.child.reference} is corrected")
        return redirect("children:list")
