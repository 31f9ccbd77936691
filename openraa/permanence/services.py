"""Recording wider permanence: one transaction each. A step is replayed with the whole dated
history by its state machine before it is appended, and the record's stage and dates are rewritten
from the result; work for a function the agency does not run on that date is refused."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openraa.common.machine import replay
from openraa.journeys.services import clean_details, replay_with
from openraa.people import policy
from openraa.permanence import phases
from openraa.permanence.definitions import CarerKind, PlanKind, decision_refusal
from openraa.permanence.models import Carer, CarerStep, PermanenceFunction, PermanencePlan, PlanStep, switches_for


def require_function(agency, function: str, on: date, field: str = "__all__") -> None:
    reason = phases.refusal(switches_for(agency), function, on)
    if reason:
        raise ValidationError({field: [reason]})


def require_decider(record, kind: str, by, supersedes=None) -> None:
    """A decision maker's step, or a correction of one, is recorded only by those holding the decide
    grant on the record. Without a user (the demo loader) there is nobody to refuse; pages always
    pass who records."""
    definition = record.definition
    decided = kind if kind in definition.decision_kinds else getattr(supersedes, "kind", None)
    if by is None or decided not in definition.decision_kinds or policy.can_on(by, record, "permanence", "decide"):
        return
    raise ValidationError({"__all__": [decision_refusal(definition.journey().steps[decided].label)]})


@transaction.atomic
def add_carer(carer: Carer, *, by, today: date | None = None) -> Carer:
    require_function(carer.agency, CarerKind(carer.kind).function, today or timezone.localdate(), "kind")
    carer.full_clean()
    carer._history_user = by
    carer.save()
    return carer


@transaction.atomic
def update_carer(carer: Carer, *, by, today: date | None = None) -> Carer:
    require_function(carer.agency, CarerKind(carer.kind).function, today or timezone.localdate())
    carer.full_clean()
    carer._history_user = by
    carer.save()
    return carer


@transaction.atomic
def record_carer_step(
    carer: Carer,
    kind: str,
    occurred_on: date,
    *,
    by,
    details: dict | None = None,
    note: str = "",
    supersedes: CarerStep | None = None,
    today: date | None = None,
) -> CarerStep:
    """Append a step, or with `supersedes` a correction of an entry (kind WITHDRAWN withdraws it)."""
    carer = Carer.objects.select_for_update().get(pk=carer.pk)  # one writer per journey at a time
    require_function(carer.agency, CarerKind(carer.kind).function, occurred_on, "occurred_on")
    require_decider(carer, kind, by, supersedes)
    details = clean_details(details)
    projection = replay_with(
        carer.definition.journey(), list(carer.steps.all()), kind, occurred_on, details, supersedes, today
    )
    step = CarerStep.objects.create(
        carer=carer,
        kind=kind,
        occurred_on=occurred_on,
        details=details,
        note=note,
        supersedes=supersedes,
        recorded_by=by,
    )
    carer.stage = carer.definition.stage_of(projection)
    carer.approved_on, carer.closed_on = projection.get("approved_on"), projection["closed_on"]
    carer._history_user = by
    carer.save()
    return step


def carer_projection(carer: Carer, today: date | None = None) -> dict:
    return replay(carer.definition.journey(), [s.as_entry() for s in carer.steps.all()], today or timezone.localdate())


@transaction.atomic
def add_plan(child, kind: str, agreed_on: date, *, by, note: str = "", today: date | None = None) -> PermanencePlan:
    if kind not in set(PlanKind):
        raise ValidationError({"kind": ["Choose the kind of plan"]})
    require_function(child.agency, PlanKind(kind).function, agreed_on, "agreed_on")
    if PermanencePlan.objects.filter(child=child, kind=kind, closed_on__isnull=True).exists():
        raise ValidationError({"kind": [f"{child.reference} already has an open plan of this kind"]})
    plan = PermanencePlan(agency=child.agency, responsible_council=child.responsible_council, child=child, kind=kind)
    plan._history_user = by
    plan.save()
    try:
        record_plan_step(plan, "agreed", agreed_on, by=by, note=note, today=today)
    except ValidationError as error:
        raise ValidationError(
            {"agreed_on" if k in ("occurred_on", "kind") else k: v for k, v in error.message_dict.items()}
        ) from error
    plan.refresh_from_db()
    return plan


@transaction.atomic
def record_plan_step(
    plan: PermanencePlan,
    kind: str,
    occurred_on: date,
    *,
    by,
    details: dict | None = None,
    note: str = "",
    supersedes: PlanStep | None = None,
    today: date | None = None,
) -> PlanStep:
    """Append a step, or with `supersedes` a correction of an entry (kind WITHDRAWN withdraws it)."""
    plan = PermanencePlan.objects.select_for_update().get(pk=plan.pk)
    require_function(plan.agency, PlanKind(plan.kind).function, occurred_on, "occurred_on")
    require_decider(plan, kind, by, supersedes)
    details = clean_details(details)
    if "carer" in details:
        _check_carer(plan, details["carer"])
    projection = replay_with(
        plan.definition.journey(), list(plan.steps.all()), kind, occurred_on, details, supersedes, today
    )
    step = PlanStep.objects.create(
        plan=plan, kind=kind, occurred_on=occurred_on, details=details, note=note, supersedes=supersedes, recorded_by=by
    )
    plan.stage = plan.definition.stage_of(projection)
    plan.carer_id, plan.closed_on = projection.get("carer"), projection["closed_on"]
    plan._history_user = by
    plan.save()
    return step


def _check_carer(plan: PermanencePlan, carer_id: int) -> None:
    """The carer must be of this agency and of the plan's kind; long-term foster carers must be
    approved (connected persons may be temporarily approved; special guardians are being assessed)."""
    wanted = PlanKind(plan.kind).carer_kind
    carer = Carer.objects.filter(pk=carer_id, agency_id=plan.agency_id, kind=wanted, closed_on__isnull=True).first()
    if carer is None:
        raise ValidationError({"carer": [f"Choose an open {wanted.label.lower()} of this agency"]})
    if wanted == CarerKind.FOSTER_CARER and carer.approved_on is None:
        raise ValidationError({"carer": [f"{carer.reference} is not an approved foster carer"]})


def plan_projection(plan: PermanencePlan, today: date | None = None) -> dict:
    return replay(plan.definition.journey(), [s.as_entry() for s in plan.steps.all()], today or timezone.localdate())


@transaction.atomic
def set_functions(agency, values: dict[str, tuple[date | None, str]], *, by) -> None:
    """The date the agency runs each function from, and the phase's note."""
    for function, (active_from, note) in values.items():
        switch = PermanenceFunction.objects.filter(agency=agency, function=function).first() or PermanenceFunction(
            agency=agency, function=function
        )
        if switch.pk and (switch.active_from, switch.note) == (active_from, note):
            continue
        switch.active_from, switch.note = active_from, note
        switch._history_user = by
        switch.full_clean()
        switch.save()


@transaction.atomic
def set_targets(targets, *, by):
    """Save the agency's practice targets (a PermanenceTargets, new or changed)."""
    targets.full_clean()
    targets._history_user = by
    targets.save()
    return targets
