"""Wider permanence pages. The state machines and services decide; pages offer only what the
record's stage and the agency's functions allow, and refuse the rest with the reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from openraa.children.models import Child
from openraa.children.selectors import children_to_attach_to
from openraa.common.machine import WITHDRAWN, StepRefused
from openraa.people import policy
from openraa.permanence import adapters, phases, selectors, services
from openraa.permanence.definitions import CarerKind, PlanKind, decision_refusal
from openraa.permanence.forms import (
    CarerForm,
    ChildLookupForm,
    CorrectionForm,
    FunctionsForm,
    PlanForm,
    StepForm,
    TargetsForm,
)
from openraa.permanence.models import Carer, PermanenceTargets, permanence_targets_for, switches_for
from openraa.permanence.timescales import STATUTORY
from openraa.reference import NEEDS
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView


class OverviewView(PolicyView, TemplateView):
    permission = ("permanence", "view")
    template_name = "permanence/overview.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            **selectors.overview(user, timezone.localdate()),
            may_configure=policy.can(user, "partnership", "change"),
            **kwargs,
        )


class FunctionsView(PolicyView, FormView):
    """The administrator's page: the date the agency runs each function from."""

    permission = ("partnership", "change")
    template_name = "permanence/functions.html"
    form_class = FunctionsForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "table": selectors.functions_table(self.request.user.agency, timezone.localdate()),
        }

    def form_valid(self, form):
        try:
            services.set_functions(self.request.user.agency, form.values(), by=self.request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Permanence functions saved")
        return redirect("permanence:overview")


class TargetsView(PolicyView, FormView):
    """The administrator's page: the agency's practice targets; the statutory limits are shown, fixed."""

    permission = ("partnership", "change")
    template_name = "permanence/targets.html"
    form_class = TargetsForm

    def get_form_kwargs(self):
        agency = self.request.user.agency
        instance = PermanenceTargets.objects.filter(agency=agency).first() or PermanenceTargets(agency=agency)
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(statutory=STATUTORY, **kwargs)

    def form_valid(self, form):
        try:
            services.set_targets(form.save(commit=False), by=self.request.user)
        except ValidationError as error:
            add_errors(form, error, kind_to="occurred_on")
            return self.form_invalid(form)
        messages.success(self.request, "Permanence targets saved: timescales and overdue lists use them from now")
        return redirect("permanence:overview")


class CarerListView(PolicyView, TemplateView):
    permission = ("permanence", "view")
    template_name = "permanence/carers.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        carers = selectors.carers_for(user).select_related("home_council")
        kind = self.request.GET.get("kind")
        if kind in set(CarerKind):
            carers = carers.filter(kind=kind)
        return super().get_context_data(
            carers=carers[:200],
            kinds=list(CarerKind),
            kind=kind,
            show_names=policy.can(user, "permanence", "view_restricted"),
            can_add=policy.can(user, "permanence", "add"),
            **kwargs,
        )


class CarerAddView(PolicyView, FormView):
    permission = ("permanence", "add")
    template_name = "permanence/carer_form.html"
    form_class = CarerForm

    def active_kinds(self):
        switches, today = switches_for(self.request.user.agency), timezone.localdate()
        return [k for k in CarerKind if phases.is_active(switches, k.function, today)]

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "councils": policy.councils_for(user, "permanence", "add"),
            "instance": Carer(agency=user.agency),
        }

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["kind"].choices = [(k.value, k.label) for k in self.active_kinds()]
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(no_function=not self.active_kinds(), **kwargs)

    def form_valid(self, form):
        carer = form.save(commit=False)
        try:
            services.add_carer(carer, by=self.request.user)
        except ValidationError as error:
            add_errors(form, error, kind_to="occurred_on")
            return self.form_invalid(form)
        messages.success(self.request, f"{carer.reference} added")
        return redirect("permanence:carer", pk=carer.pk)


class CarerEditView(PolicyView, FormView):
    """The carer's details and approval range; the journey is changed only through its steps."""

    permission = ("permanence", "change")
    template_name = "permanence/carer_form.html"
    form_class = CarerForm

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(selectors.carers_for(request.user, "change"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.object,
            "councils": policy.councils_for(self.request.user, "permanence", "change"),
        }

    def get_context_data(self, **kwargs):
        refusal = phases.refusal(
            switches_for(self.object.agency), CarerKind(self.object.kind).function, timezone.localdate()
        )
        return super().get_context_data(carer=self.object, refusal=refusal, **kwargs)

    def form_valid(self, form):
        try:
            services.update_carer(form.save(commit=False), by=self.request.user)
        except ValidationError as error:
            add_errors(form, error, kind_to="occurred_on")
            return self.form_invalid(form)
        messages.success(self.request, f"{self.object.reference} saved")
        return redirect("permanence:carer", pk=self.object.pk)


def _decision_page(user, record, name: str) -> dict:
    """The decision page, for a decision maker, when the record waits for their decision or has
    decisions in force they may need to correct (nobody else can)."""
    if not policy.can_on(user, record, "permanence", "decide"):
        return {}
    allowed = {step.kind for step in record.definition.journey().allowed_from(record.stage)}
    waiting = bool(allowed & record.definition.decision_kinds)
    if waiting or selectors.decisions_in_force(record).exists():
        return {"decision_url": reverse(name, args=[record.pk]), "decision_waiting": waiting}
    return {}


def _timeline(record, today):
    measure = selectors.carer_timescales if isinstance(record, Carer) else selectors.plan_timescales
    targets = permanence_targets_for(record.agency_id)
    try:
        return selectors.with_status(measure(record, today, targets), today, targets)
    except StepRefused:
        return []  # a history recorded under rules since tightened: the journey below still shows it


class CarerDetailView(PolicyView, TemplateView):
    permission = ("permanence", "view")
    template_name = "permanence/carer.html"

    def get_context_data(self, pk, **kwargs):
        user, today = self.request.user, timezone.localdate()
        carer = get_object_or_404(selectors.carers_for(user).select_related("home_council"), pk=pk)
        return super().get_context_data(
            carer=carer,
            timescales=_timeline(carer, today),
            history=selectors.history_lines(carer, carer.definition),
            capabilities=[(NEEDS[code][0], level) for code, level in carer.capabilities.items() if code in NEEDS],
            plans=selectors.plans_for(user).filter(carer=carer).select_related("child"),
            show_names=policy.can_on(user, carer, "permanence", "view_restricted"),
            show_contact="phone" not in policy.hidden_fields(user, carer),
            can_edit=policy.can_on(user, carer, "permanence", "change"),
            correct_url=f"/permanence/carers/{carer.pk}/steps/",
            **_decision_page(user, carer, "permanence:carer-decision"),
            **kwargs,
        )


class _StepView(PolicyView, FormView):
    permission = ("permanence", "change")
    template_name = "permanence/step_form.html"
    form_class = StepForm

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_record()
        return super().dispatch(request, *args, **kwargs)

    decisions_only = False  # the decision maker's page offers only the decisions the stage waits for

    def refusal(self):
        return phases.refusal(switches_for(self.object.agency), self.function(), timezone.localdate())

    def allowed(self):
        return [] if self.refusal() else self.object.definition.journey().allowed_from(self.object.stage)

    def may_decide(self) -> bool:
        return policy.can_on(self.request.user, self.object, "permanence", "decide")

    def steps(self):
        decisions = self.object.definition.decision_kinds
        if self.decisions_only:
            return [step for step in self.allowed() if step.kind in decisions]
        return [step for step in self.allowed() if step.kind not in decisions or self.may_decide()]

    def refused(self) -> dict[str, str]:
        offered = {step.kind for step in self.steps()}
        return {
            step.kind: decision_refusal(step.label)
            for step in self.allowed()
            if step.kind in self.object.definition.decision_kinds and step.kind not in offered
        }

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "steps": self.steps(),
            "refused": self.refused(),
            "closed_reasons": self.object.definition.closed_reasons,
            "carers": self.carers(),
        }

    def carers(self):
        return None

    def decisions_in_force(self) -> list[dict]:
        steps = self.object.definition.journey().steps
        return [
            {
                "entry": entry,
                "label": steps[entry.kind].label,
                "correct_url": f"{self.record_url()}decision/{entry.pk}/correct/",
            }
            for entry in selectors.decisions_in_force(self.object)
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            record=self.object,
            record_url=self.record_url(),
            refusal=self.refusal(),
            refused=self.refused().values(),
            decisions_only=self.decisions_only,
            decisions=self.decisions_in_force() if self.decisions_only else (),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        step = self.object.definition.journey().steps[data["kind"]]
        try:
            self.record(data["kind"], data["occurred_on"], details=form.details(step), note=data["note"])
        except ValidationError as error:
            add_errors(form, error, kind_to="occurred_on")
            return self.form_invalid(form)
        messages.success(self.request, f"{step.label} recorded for {self.object.reference}")
        return redirect(self.record_url())


class _CorrectionView(_StepView):
    """Correct the date of an entry or withdraw it: a new entry supersedes it; nothing is deleted."""

    template_name = "permanence/correction_form.html"
    form_class = CorrectionForm

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_record()
        self.entry = get_object_or_404(self.correctable(), pk=kwargs["step"])
        return super(_StepView, self).dispatch(request, *args, **kwargs)

    def correctable(self):
        """The entries in force: neither withdrawn nor already superseded."""
        return self.object.steps.exclude(kind=WITHDRAWN).filter(corrections__isnull=True)

    def get_form_kwargs(self):
        return super(_StepView, self).get_form_kwargs()

    def refusal(self):
        if self.entry.kind in self.object.definition.decision_kinds and not self.may_decide():
            return decision_refusal(self.object.definition.journey().steps[self.entry.kind].label)
        return super().refusal()

    def get_initial(self):
        return {"occurred_on": self.entry.occurred_on, "action": "correct"}

    def get_context_data(self, **kwargs):
        label = self.object.definition.journey().steps[self.entry.kind].label
        return super().get_context_data(entry=self.entry, entry_label=label, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        withdraw = data["action"] == "withdraw"
        try:
            self.record(
                WITHDRAWN if withdraw else self.entry.kind,
                self.entry.occurred_on if withdraw else data["occurred_on"],
                details={} if withdraw else self.entry.details,
                note=data["note"],
                supersedes=self.entry,
            )
        except ValidationError as error:
            add_errors(form, error, kind_to="occurred_on")
            return self.form_invalid(form)
        messages.success(self.request, "Entry withdrawn" if withdraw else "Correction recorded")
        return redirect(self.record_url())


class _DecisionCorrectionView(_CorrectionView):
    """The decision maker corrects or withdraws a decision entry (approval, match): the decide grant,
    not the change grant, so the one who may record a decision may also put it right."""

    permission = ("permanence", "decide")

    def correctable(self):
        return selectors.decisions_in_force(self.object)


class CarerStepView(_StepView):
    def get_record(self):
        # Through the grant the page requires: change for steps, decide for the decision maker's pages.
        return get_object_or_404(selectors.carers_for(self.request.user, self.permission[1]), pk=self.kwargs["pk"])

    def function(self):
        return CarerKind(self.object.kind).function

    def record_url(self):
        return f"/permanence/carers/{self.object.pk}/"

    def record(self, kind, occurred_on, **kwargs):
        services.record_carer_step(self.object, kind, occurred_on, by=self.request.user, **kwargs)


class PlanListView(PolicyView, TemplateView):
    """The plans; a plan is added for a child found by reference (the council decision starts it)."""

    permission = ("permanence", "view")
    template_name = "permanence/plans.html"

    def get(self, request, *args, **kwargs):
        self.lookup = None
        if policy.can(request.user, "permanence", "add"):
            children = children_to_attach_to(request.user, "permanence", "add")
            self.lookup = ChildLookupForm(request.GET if "child" in request.GET else None, children=children)
            if self.lookup.is_bound and self.lookup.is_valid():
                return redirect("permanence:plan-add", pk=self.lookup.cleaned_data["child"].pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        plans = selectors.plans_for(self.request.user).select_related("child", "responsible_council", "carer")
        return super().get_context_data(plans=plans[:200], form=self.lookup, **kwargs)


class PlanAddView(PolicyView, FormView):
    permission = ("permanence", "add")
    template_name = "permanence/plan_form.html"
    form_class = PlanForm

    def dispatch(self, request, *args, **kwargs):
        self.child = get_object_or_404(children_to_attach_to(request.user, "permanence", "add"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def active_kinds(self):
        switches, today = switches_for(self.child.agency), timezone.localdate()
        return [k for k in PlanKind if phases.is_active(switches, k.function, today)]

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["kind"].choices = [(k.value, k.label) for k in self.active_kinds()]
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(child=self.child, no_function=not self.active_kinds(), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            plan = services.add_plan(
                self.child, data["kind"], data["agreed_on"], by=self.request.user, note=data["note"]
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{plan.reference} added for {self.child.reference}")
        return redirect("permanence:plan", pk=plan.pk)


class PlanDetailView(PolicyView, TemplateView):
    permission = ("permanence", "view")
    template_name = "permanence/plan.html"

    def get_context_data(self, pk, **kwargs):
        user, today = self.request.user, timezone.localdate()
        plan = get_object_or_404(
            selectors.plans_for(user).select_related("child", "responsible_council", "carer"), pk=pk
        )
        return super().get_context_data(
            plan=plan,
            timescales=_timeline(plan, today),
            history=selectors.history_lines(plan, plan.definition),
            # The child's name follows the child's own information-sharing rules, not the plan's grant.
            show_names=policy.can_on(user, plan.child, "child", "view_restricted"),
            can_edit=policy.can_on(user, plan, "permanence", "change"),
            shortlist=plan.kind == PlanKind.LONG_TERM_FOSTERING,
            correct_url=f"/permanence/plans/{plan.pk}/steps/",
            **_decision_page(user, plan, "permanence:plan-decision"),
            **kwargs,
        )


class PlanStepView(_StepView):
    def get_record(self):
        return get_object_or_404(
            selectors.plans_for(self.request.user, self.permission[1]).select_related("child"), pk=self.kwargs["pk"]
        )

    def function(self):
        return PlanKind(self.object.kind).function

    def carers(self):
        wanted = PlanKind(self.object.kind).carer_kind
        carers = Carer.objects.filter(agency_id=self.object.agency_id, kind=wanted, closed_on__isnull=True)
        return carers.filter(approved_on__isnull=False) if wanted == CarerKind.FOSTER_CARER else carers

    def record_url(self):
        return f"/permanence/plans/{self.object.pk}/"

    def record(self, kind, occurred_on, **kwargs):
        services.record_plan_step(self.object, kind, occurred_on, by=self.request.user, **kwargs)


class ShortlistView(PolicyView, TemplateView):
    """Approved long-term foster carers for a child's long-term fostering plan, by the matching engine."""

    permission = ("permanence", "view")
    template_name = "permanence/shortlist.html"

    def get_context_data(self, pk, **kwargs):
        user, today = self.request.user, timezone.localdate()
        plan = get_object_or_404(selectors.plans_for(user).select_related("child", "agency"), pk=pk)
        if plan.kind != PlanKind.LONG_TERM_FOSTERING:
            raise Http404("Only long-term fostering plans are matched from a shortlist")
        refusal = phases.refusal(switches_for(plan.agency), plan.kind, today)
        context = {"plan": plan, "refusal": refusal}
        if not refusal:
            projection = services.plan_projection(plan, today)
            unit, result, reasons, records = adapters.long_term_shortlist(
                plan,
                projection["agreed_on"],
                today,
                reveal_birth_family=not policy.hidden_fields(user, plan.child) & set(Child.BIRTH_FAMILY_FIELDS),
            )
            context.update(
                unit=unit,
                shortlist=result,
                reasons=sorted(reasons.items()),
                candidates=[(c, records.get(c.household_id)) for c in result.candidates],
            )
        return super().get_context_data(**context, **kwargs)


class CarerCorrectionView(CarerStepView, _CorrectionView):
    pass


class PlanCorrectionView(PlanStepView, _CorrectionView):
    pass


class CarerDecisionView(CarerStepView):
    """The decision maker records a carer's approval after the fostering panel; the approvals in force are
    listed to correct or withdraw."""

    permission = ("permanence", "decide")
    decisions_only = True


class PlanDecisionView(PlanStepView):
    """The decision maker records a plan's match after the fostering panel recommended it; the matches in
    force are listed to correct or withdraw."""

    permission = ("permanence", "decide")
    decisions_only = True


class CarerDecisionCorrectionView(CarerStepView, _DecisionCorrectionView):
    pass


class PlanDecisionCorrectionView(PlanStepView, _DecisionCorrectionView):
    pass
