"""Recording journey steps: one transaction each. The step is checked against the whole dated
history by the state machine, appended, and the record's milestone dates rewritten from the
projection, so the dates on the record are never typed in and never disagree with the history."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openraa.children.models import Child
from openraa.households.models import Household
from openraa.journeys import definitions
from openraa.journeys.machine import WITHDRAWN, Entry, Journey, Projection, StepRefused, replay
from openraa.journeys.models import IMPORTED, ChildStep, HouseholdStep


def _next_seq(entries: list[Entry]) -> int:
    return max((e.seq for e in entries), default=0) + 1


def _refusal(error: StepRefused) -> ValidationError:
    return ValidationError({error.field: [str(error)]})


def replay_with(journey: Journey, steps, kind: str, occurred_on: date, details: dict, supersedes=None,
                today: date | None = None) -> Projection:
    """The projection of a record's history (`steps`, its saved entries) with one more entry: a step,
    a correction (`supersedes`) or a withdrawal (kind WITHDRAWN). Nothing is written; a step the
    journey refuses raises a ValidationError that says why. Every journey's service appends this way."""
    if supersedes is not None and supersedes.pk not in {s.pk for s in steps}:
        raise ValidationError({"supersedes": ["That entry belongs to another record"]})
    if kind == WITHDRAWN and supersedes is None:
        raise ValidationError({"kind": ["Only an entry can be withdrawn: say which"]})
    entries = [s.as_entry() for s in steps]
    candidate = Entry(_next_seq(entries), kind, occurred_on, details, supersedes.pk if supersedes else None)
    try:
        return replay(journey, [*entries, candidate], today or timezone.localdate())
    except StepRefused as error:
        raise _refusal(error) from error


def clean_details(details: dict | None) -> dict:
    """A step's details as stored: blanks dropped, records as their keys, dates as ISO text."""
    return {name: value.pk if hasattr(value, "pk") else value.isoformat() if isinstance(value, date) else value
            for name, value in (details or {}).items() if value not in (None, "")}


@transaction.atomic
def record_child_step(child: Child, kind: str, occurred_on: date, *, by, details: dict | None = None,
                      note: str = "", supersedes: ChildStep | None = None, today: date | None = None) -> ChildStep:
    """Append a step (or, with `supersedes`, a correction; kind WITHDRAWN withdraws) to a child's journey."""
    child = Child.objects.select_for_update().get(pk=child.pk)  # one writer per journey at a time
    details = clean_details(details)
    for name in ("household", "early_permanence_household"):
        if name in details:
            _check_household(child, kind, details[name], name)
    projection = replay_with(definitions.child_journey(child.date_of_birth), list(child.steps.all()), kind,
                             occurred_on, details, supersedes, today)
    step = ChildStep.objects.create(child=child, kind=kind, occurred_on=occurred_on, details=details, note=note,
                                    supersedes=supersedes, recorded_by=by)
    apply_child_projection(child, projection, by)
    return step


def apply_child_projection(child: Child, projection: dict, by) -> None:
    for name in (*definitions.CHILD_DETAILS, *[f for f in projection if f.endswith("_on")]):
        if name == "household":
            child.household_id = definitions.child_household(projection)
        elif name == "early_permanence_household":
            child.early_permanence_household_id = projection[name]
        elif name != "date_of_birth":
            setattr(child, name, projection[name])
    child._history_user = by
    child.full_clean()
    child.save()


@transaction.atomic
def record_household_step(household: Household, kind: str, occurred_on: date, *, by, details: dict | None = None,
                          note: str = "", supersedes: HouseholdStep | None = None,
                          today: date | None = None) -> HouseholdStep:
    household = Household.objects.select_for_update().get(pk=household.pk)
    details = clean_details(details)
    journey = definitions.household_journey(
        household.fast_track, (household.approved_children, household.age_min, household.age_max),
        household.placement_stage(),
    )
    projection = replay_with(journey, list(household.steps.all()), kind, occurred_on, details, supersedes, today)
    step = HouseholdStep.objects.create(household=household, kind=kind, occurred_on=occurred_on, details=details,
                                        note=note, supersedes=supersedes, recorded_by=by)
    for name in (*definitions.HOUSEHOLD_DATES, *definitions.HOUSEHOLD_DETAILS):
        setattr(household, name, projection[name])
    household._history_user = by
    household.full_clean()
    household.save()
    return step


def withdraw_child_step(step: ChildStep, *, by, note: str) -> ChildStep:
    if not note:
        raise ValidationError({"note": ["Say why the entry is withdrawn"]})
    return record_child_step(step.child, WITHDRAWN, step.occurred_on, by=by, note=note, supersedes=step)


def withdraw_household_step(step: HouseholdStep, *, by, note: str) -> HouseholdStep:
    if not note:
        raise ValidationError({"note": ["Say why the entry is withdrawn"]})
    return record_household_step(step.household, WITHDRAWN, step.occurred_on, by=by, note=note, supersedes=step)


def _check_household(child: Child, kind: str, household_id: int, field: str) -> None:
    household = Household.objects.filter(pk=household_id, agency_id=child.agency_id).first()
    if household is None:
        raise ValidationError({field: ["Choose a household of this agency"]})
    if household.approved_on is None or household.closed_on is not None:
        raise ValidationError({field: [f"{household.reference} is not an approved household"]})
    if kind == "early_permanence" and not household.early_permanence:
        raise ValidationError({field: [f"{household.reference} is not approved for early permanence (dual approval)"]})


def seed_child_history(child: Child, by=None, imported: bool = False) -> list[ChildStep]:
    """Journey entries for a child whose milestone dates arrived without a history (the demo
    region, an import): one entry per recorded milestone, checked by the machine like any other;
    `imported` entries (an SSDA903 return) are checked for order but not for the stage before each."""
    kinds = {step.sets: step.kind for step in definitions.CHILD_STEPS.values() if step.sets}
    details = {"linked": {"household": child.household_id},
               "early_permanence": {"early_permanence_household": child.early_permanence_household_id or child.household_id,
                                    "early_permanence_kind": child.early_permanence_kind},
               "plan_ended": {"plan_ended_reason": child.plan_ended_reason, "plan_ended_code": child.plan_ended_code}}
    entries, seq = [], 0
    for field in sorted((f for f in kinds if getattr(child, f)), key=lambda f: (getattr(child, f), _ORDER.index(f))):
        seq += 1
        kind = kinds[field]
        step_details = clean_details(details.get(kind)) | ({"source": IMPORTED} if imported else {})
        entries.append(Entry(seq, kind, getattr(child, field), step_details, imported=imported))
    replay(definitions.child_journey(child.date_of_birth), entries, timezone.localdate())  # raises if not a real journey
    return [ChildStep(child=child, kind=e.kind, occurred_on=e.occurred_on, details=dict(e.details), recorded_by=by)
            for e in entries]


_ORDER = ["entered_care_on", "should_be_placed_on", "early_permanence_on", "family_finding_referral_on",
          "placement_order_on", "linked_on", "matching_panel_on", "matched_on", "placed_on", "adoption_order_on",
          "plan_ended_on"]


def seed_household_history(household: Household, by=None, placement=None) -> list[HouseholdStep]:
    """As seed_child_history, for a household; `placement` spares the children's query when the
    caller already knows how far they have gone."""
    kinds = {step.sets: step.kind for step in definitions.HOUSEHOLD_STEPS.values() if step.sets}
    order = list(definitions.HOUSEHOLD_DATES)
    entries, seq = [], 0
    for field in sorted((f for f in kinds if getattr(household, f)), key=lambda f: (getattr(household, f), order.index(f))):
        seq += 1
        kind = kinds[field]
        entries.append(Entry(seq, kind, getattr(household, field),
                             {"closed_reason": household.closed_reason} if kind == "closed" else {}))
    journey = definitions.household_journey(
        household.fast_track, (household.approved_children, household.age_min, household.age_max),
        placement or (household.placement_stage() if household.pk else None),
    )
    replay(journey, entries, timezone.localdate())
    return [HouseholdStep(household=household, kind=e.kind, occurred_on=e.occurred_on, details=dict(e.details),
                          recorded_by=by) for e in entries]


# Panels and decisions ------------------------------------------------------------------------

@transaction.atomic
def record_recommendation(item, recommendation: str, reasons: str, *, by) -> None:
    """The panel's recommendation on an agenda item. Refused when the panel was not quorate; a
    recommendation for approval or a match moves the journey on (panel / matching panel step)."""
    from openraa.journeys import panels

    meeting = item.meeting
    problems = meeting.quorum_problems()
    if problems:
        raise ValidationError({"recommendation": [f"The panel was not quorate: {'; '.join(problems)}"]})
    if item.recommendation:
        raise ValidationError({"recommendation": ["The panel has already recommended on this item"]})
    if not reasons.strip():
        raise ValidationError({"reasons": ["Give the panel's reasons"]})
    if recommendation not in set(panels.Recommendation):
        raise ValidationError({"recommendation": ["Choose the panel's recommendation"]})
    item.recommendation, item.reasons = recommendation, reasons
    item._history_user = by
    item.save()
    if recommendation == panels.Recommendation.RECOMMEND:
        if item.kind == panels.ItemKind.HOUSEHOLD_APPROVAL:
            record_household_step(item.household, "panel", meeting.held_on, by=by, note=f"Recommended at {meeting}")
        elif item.kind == panels.ItemKind.MATCH:
            for child in item.children.all():
                record_child_step(child, "matching_panel", meeting.held_on, by=by, note=f"Recommended at {meeting}")


def set_final_minutes(meeting, received_on: date, *, by) -> None:
    if received_on < meeting.held_on:
        raise ValidationError({"final_minutes_on": ["Final minutes cannot come before the panel met"]})
    if received_on > timezone.localdate():
        raise ValidationError({"final_minutes_on": ["Final minutes received cannot be in the future"]})
    meeting.final_minutes_on = received_on
    meeting._history_user = by
    meeting.save()


@transaction.atomic
def record_adm_decision(item, agrees: bool, reasons: str, decided_on: date, *, by):
    """The ADM's decision. Only an agency decision maker decides, after the final minutes; where
    the agency keeps statutory decisions with each council, only that council's ADM decides for its
    children. The outcome moves the journey: approval, a match, a reviewed approval, a plan ended."""
    from openraa.journeys import panels
    from openraa.journeys.models import AdmDecision
    from openraa.people.roles import Role

    if by.role != Role.ADM or by.agency_id != item.meeting.agency_id:
        raise ValidationError({"agrees": ["Only an agency decision maker of this agency can decide"]})
    if hasattr(item, "decision"):
        raise ValidationError({"agrees": ["The decision has already been made"]})
    if not item.recommendation or item.recommendation == panels.Recommendation.DEFERRED:
        raise ValidationError({"agrees": ["There is no panel recommendation to decide on"]})
    minutes = item.meeting.final_minutes_on
    if minutes is None:
        raise ValidationError({"decided_on": ["Record the date the final panel minutes were received first"]})
    if decided_on < minutes or decided_on > timezone.localdate():
        raise ValidationError({"decided_on": ["The decision date must be on or after the final minutes and not in the future"]})
    if not reasons.strip():
        raise ValidationError({"reasons": ["Give the reasons for the decision"]})
    children = list(item.children.select_related("responsible_council"))
    if item.meeting.agency.decisions_by_council_adm:
        others = [c for c in children if c.responsible_council_id != by.employing_council_id]
        if others:
            raise ValidationError({"agrees": [f"{others[0].responsible_council}'s own ADM decides for its children"]})
    decision = AdmDecision.objects.create(item=item, decided_by=by, agrees=agrees, reasons=reasons, decided_on=decided_on)
    happens = panels.outcome(item.recommendation, agrees)
    note = f"ADM decision: {reasons}"
    if item.kind == panels.ItemKind.HOUSEHOLD_APPROVAL:
        if happens:
            record_household_step(item.household, "approved", decided_on, by=by, note=note)
        else:
            record_household_step(item.household, "closed", decided_on, by=by, note=note,
                                  details={"closed_reason": "not_approved"})
    elif item.kind == panels.ItemKind.REVIEW and happens:
        record_household_step(item.household, "approval_reviewed", decided_on, by=by, note=note)
    elif item.kind == panels.ItemKind.MATCH and happens:
        for child in children:
            record_child_step(child, "matched", decided_on, by=by, note=note)
    elif item.kind == panels.ItemKind.PLAN_CHANGE and happens:
        for child in children:
            record_child_step(child, "plan_ended", decided_on, by=by, note=note,
                              details={"plan_ended_reason": "plan_changed"})
    return decision
