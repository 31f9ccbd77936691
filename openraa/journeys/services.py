"""Recording journey steps: one transaction each. The step is checked against the whole dated
history by the state machine, appended, and the record's milestone dates rewritten from the
projection, so the dates on the record are never typed in and never disagree with the history."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from openraa.audit.models import RecordView
from openraa.audit.reads import record_view
from openraa.children import domain as child_domain
from openraa.children import sealing
from openraa.children.models import Child, sealed_record_writable
from openraa.common.history import bulk_create_with_history, save_by
from openraa.common.machine import WITHDRAWN, Entry, Journey, Projection, StepRefused, in_force, replay
from openraa.households.models import Household, panel_checks_refusal
from openraa.households.services import save_household
from openraa.journeys import definitions, panels, routes
from openraa.journeys.models import (
    IMPORTED,
    AdmDecision,
    AgencyTargets,
    AgendaItem,
    ChildStep,
    HouseholdStep,
    PanelMeeting,
    QualifyingDetermination,
)
from openraa.people import policy
from openraa.people.roles import Role
from openraa.people.sharing import ChildAccess


class _Authority:
    """Held only by this module's panel and ADM functions below: the journey services record a step
    that is a panel recommendation or an ADM decision (journeys/routes.py) only when it is passed,
    so no page, API call or other service can record one as a plain step."""


_PANEL_OR_ADM = _Authority()


def _require_route(journey: str, kind: str, details: dict, supersedes, authority) -> None:
    if authority is _PANEL_OR_ADM:
        return
    refused = routes.correction_refusal(journey, supersedes.kind, supersedes.details) if supersedes else None
    refused = refused or routes.refusal(journey, kind, details)
    if refused:
        raise ValidationError({"kind": [refused]})


def _next_seq(entries: list[Entry]) -> int:
    return max((e.seq for e in entries), default=0) + 1


def _refusal(error: StepRefused) -> ValidationError:
    return ValidationError({error.field: [str(error)]})


def replay_with(
    journey: Journey, steps, kind: str, occurred_on: date, details: dict, supersedes=None, today: date | None = None
) -> Projection:
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
    return {
        name: value.pk if hasattr(value, "pk") else value.isoformat() if isinstance(value, date) else value
        for name, value in (details or {}).items()
        if value not in (None, "")
    }


@transaction.atomic
def record_child_step(
    child: Child,
    kind: str,
    occurred_on: date,
    *,
    by,
    details: dict | None = None,
    note: str = "",
    supersedes: ChildStep | None = None,
    today: date | None = None,
    authority: _Authority | None = None,
) -> ChildStep:
    """Append a step (or, with `supersedes`, a correction; kind WITHDRAWN withdraws) to a child's journey.
    A panel recommendation or an ADM decision, or a correction of one, is refused unless it comes
    from the panel and ADM functions of this module."""
    details = clean_details(details)
    _require_route("child", kind, details, supersedes, authority)
    child = Child.objects.select_for_update().get(pk=child.pk)  # one writer per journey at a time
    for name in ("household", "early_permanence_household"):
        if name in details:
            _check_household(child, kind, details[name], name)
    projection = replay_with(
        definitions.child_journey(child.date_of_birth),
        list(child.steps.all()),
        kind,
        occurred_on,
        details,
        supersedes,
        today,
    )
    step = ChildStep.objects.create(
        child=child,
        kind=kind,
        occurred_on=occurred_on,
        details=details,
        note=note,
        supersedes=supersedes,
        recorded_by=by,
    )
    apply_child_projection(child, projection, by)
    return step


def child_warnings(child: Child) -> list[str]:
    """The unusual but real dates of the child's journey (children/domain.warnings): a page shows
    them after a save, the API returns them; neither refuses them. Dates an import knew only as
    bounds (entries marked "estimate") are not compared."""
    sets = definitions.CHILD_FIELD_OF
    estimated = frozenset(
        sets[e.kind]
        for e in in_force([s.as_entry() for s in child.steps.all()])
        if e.details.get("estimate") and e.kind in sets
    )
    return list(child_domain.warnings(child.milestones, estimated).values())


def apply_child_projection(child: Child, projection: dict, by) -> None:
    _set_child_projection(child, projection, keep_household=False)
    child._history_user = by
    child.full_clean()
    child.save()


def _set_child_projection(child: Child, projection: dict, *, keep_household: bool) -> None:
    """The record's milestone dates and journey details as the projection has them; `keep_household`:
    a child whose journey names no household keeps the one it has (an import, which has no links)."""
    for name in (*definitions.CHILD_DETAILS, *[f for f in projection if f.endswith("_on")]):
        if name == "household":
            child.household_id = definitions.child_household(projection) or (
                child.household_id if keep_household else None
            )
        elif name == "early_permanence_household":
            child.early_permanence_household_id = projection[name]
        elif name != "date_of_birth":
            setattr(child, name, projection[name])


# Imports ---------------------------------------------------------------------------------------
# An SSDA903 return's children are written here too: new ones in batches from the entries
# seed_child_history plans, those already held by imported entries that correct the history.

_IMPORT_UNCHECKED = [
    "agency",
    "responsible_council",
    "birth_family_council",
    "sibling_group",
    "household",
    "early_permanence_household",
]  # an import names none of these records: not looked up


@transaction.atomic
def create_imported_children(planned: list[tuple[Child, list[ChildStep]]], *, by) -> None:
    """New children with the entries seed_child_history(imported=True) planned for them, each already
    validated, written in bulk in one transaction: the children with their history rows under `by`,
    then their entries."""
    bulk_create_with_history(Child, [child for child, _ in planned], timezone.now(), by=by)
    steps = []
    for child, child_steps in planned:
        for step in child_steps:
            step.child = child
        steps += child_steps
    ChildStep.objects.bulk_create(steps, batch_size=5000)


@transaction.atomic
def record_imported_steps(
    child: Child,
    dated: dict[str, tuple[date, dict]],
    *,
    header: dict,
    by,
    note: str,
    today: date,
    steps: list[ChildStep] | None = None,
) -> Child:
    """An import's corrections of a held child: for each kind, an imported entry on that date with
    those details, superseding the entry in force, and the `header` fields (date of birth, sex, ...)
    the return gives. Imported entries are checked for order, not for the stage before each; the
    record's dates are rewritten from the projection. `steps`: the child's entries, when the caller
    has just read them. Raises ValidationError with the journey's reason."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    entries = [s.as_entry() for s in (steps if steps is not None else child.steps.all())]
    force = {e.kind: e for e in in_force(entries)}
    seq = max((e.seq for e in entries), default=0)
    new: list[Entry] = []
    for kind, (occurred_on, details) in dated.items():
        prior = force.get(kind)
        seq += 1
        new.append(Entry(seq, kind, occurred_on, details, prior.seq if prior else None, imported=True))
    try:
        projection = replay(
            definitions.child_journey(header.get("date_of_birth", child.date_of_birth)), [*entries, *new], today
        )
    except StepRefused as error:
        raise _refusal(error) from error
    ChildStep.objects.bulk_create(
        [
            ChildStep(
                child=child,
                kind=e.kind,
                occurred_on=e.occurred_on,
                details=dict(e.details),
                note=note,
                supersedes_id=e.supersedes,
                recorded_by=by,
            )
            for e in new
        ]
    )
    for name, value in header.items():
        setattr(child, name, value)
    _set_child_projection(child, projection, keep_household=True)
    child.clean_fields(exclude=_IMPORT_UNCHECKED)
    child._history_user = by
    child.save()
    return child


@transaction.atomic
def record_household_step(
    household: Household,
    kind: str,
    occurred_on: date,
    *,
    by,
    details: dict | None = None,
    note: str = "",
    supersedes: HouseholdStep | None = None,
    today: date | None = None,
    authority: _Authority | None = None,
) -> HouseholdStep:
    """As record_child_step, for a household."""
    details = clean_details(details)
    _require_route("household", kind, details, supersedes, authority)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if kind == "panel" and supersedes is None:
        # No household goes to panel with its Stage 1 checks missing, or with one barring approval.
        refused = panel_checks_refusal(household)
        if refused:
            raise ValidationError({"stage1_checks": [refused]})
    journey = definitions.household_journey(
        household.fast_track,
        (household.approved_children, household.age_min, household.age_max),
        household.placement_stage(),
    )
    projection = replay_with(journey, list(household.steps.all()), kind, occurred_on, details, supersedes, today)
    step = HouseholdStep.objects.create(
        household=household,
        kind=kind,
        occurred_on=occurred_on,
        details=details,
        note=note,
        supersedes=supersedes,
        recorded_by=by,
    )
    for name in (*definitions.HOUSEHOLD_DATES, *definitions.HOUSEHOLD_DETAILS):
        setattr(household, name, projection[name])
    household._history_user = by
    household.full_clean()
    household.save()
    return step


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
    kinds = definitions.CHILD_KIND_OF
    details = {
        "linked": {"household": child.household_id},
        "early_permanence": {
            "early_permanence_household": child.early_permanence_household_id or child.household_id,
            "early_permanence_kind": child.early_permanence_kind,
        },
        "plan_ended": {"plan_ended_reason": child.plan_ended_reason, "plan_ended_code": child.plan_ended_code},
    }
    entries = []
    ordered = sorted((f for f in kinds if getattr(child, f)), key=lambda f: (getattr(child, f), _ORDER.index(f)))
    for seq, field in enumerate(ordered, start=1):
        kind = kinds[field]
        step_details = clean_details(details.get(kind)) | ({"source": IMPORTED} if imported else {})
        entries.append(Entry(seq, kind, getattr(child, field), step_details, imported=imported))
    replay(
        definitions.child_journey(child.date_of_birth), entries, timezone.localdate()
    )  # raises if not a real journey
    return [
        ChildStep(child=child, kind=e.kind, occurred_on=e.occurred_on, details=dict(e.details), recorded_by=by)
        for e in entries
    ]


_ORDER = [
    "entered_care_on",
    "should_be_placed_on",
    "early_permanence_on",
    "family_finding_referral_on",
    "placement_order_on",
    "linked_on",
    "matching_panel_on",
    "matched_on",
    "placed_on",
    "adoption_order_on",
    "plan_ended_on",
]


def seed_household_history(
    household: Household, by=None, placement=None, imported: bool = False
) -> list[HouseholdStep]:
    """As seed_child_history, for a household; `placement` spares the children's query when the
    caller already knows how far they have gone."""
    kinds = definitions.HOUSEHOLD_KIND_OF
    order = list(definitions.HOUSEHOLD_DATES)
    entries = []
    ordered = sorted((f for f in kinds if getattr(household, f)), key=lambda f: (getattr(household, f), order.index(f)))
    for seq, field in enumerate(ordered, start=1):
        kind = kinds[field]
        entries.append(
            Entry(
                seq,
                kind,
                getattr(household, field),
                ({"closed_reason": household.closed_reason} if kind == "closed" else {})
                | ({"source": IMPORTED} if imported else {}),
                imported=imported,
            )
        )
    journey = definitions.household_journey(
        household.fast_track,
        (household.approved_children, household.age_min, household.age_max),
        placement or (household.placement_stage() if household.pk else None),
    )
    replay(journey, entries, timezone.localdate())
    return [
        HouseholdStep(
            household=household, kind=e.kind, occurred_on=e.occurred_on, details=dict(e.details), recorded_by=by
        )
        for e in entries
    ]


@transaction.atomic
def create_imported_household(household: Household, applicants: list[dict], *, by) -> Household:
    """A household another system held (moving in), through save_household, with one imported entry
    per milestone date it arrived with, checked by the machine like a seeded history."""
    try:
        steps = seed_household_history(household, by, imported=True)  # before anything is written
    except StepRefused as error:
        raise _refusal(error) from error
    household = save_household(household, applicants=applicants, by=by, enquiry_details={"source": IMPORTED})
    for step in steps:
        step.household = household
    HouseholdStep.objects.bulk_create([s for s in steps if s.kind != "enquiry"])
    return household


# Panels and decisions ------------------------------------------------------------------------
# The only writers of the journey steps journeys/routes.py reserves to the panel and the ADM.


@dataclass(frozen=True)
class PutRight:
    """What must be put right before a decision can be made: who does it, and where."""

    message: str
    url: str | None = None


def _meeting_url(meeting) -> str:
    return reverse("panels:detail", args=[meeting.pk])


def put_right(record, error: ValidationError) -> list[PutRight]:
    """A refusal of a journey step a decision would record, said as what must be put right, by whom."""
    is_household = isinstance(record, Household)
    found = []
    for field, messages in error.message_dict.items():
        for message in messages:
            if is_household and field == "stage1_checks":
                found.append(
                    PutRight(
                        f"A recruitment and assessment worker must complete the Stage 1 checks first: {message}",
                        reverse("journeys:household-checks", args=[record.pk]),
                    )
                )
            elif is_household and field in ("approved_children", "age_min", "age_max"):
                found.append(
                    PutRight(
                        f"A recruitment and assessment worker must record the approval range of "
                        f"{record.reference} first (number of children and ages)",
                        reverse("households:edit", args=[record.pk]),
                    )
                )
            elif is_household:
                found.append(
                    PutRight(
                        f"A recruitment and assessment worker must put {record.reference}'s journey "
                        f"right first: {message}",
                        reverse("households:detail", args=[record.pk]),
                    )
                )
            else:
                found.append(
                    PutRight(
                        f"The child's social worker must put {record.reference}'s journey right first: {message}",
                        reverse("children:detail", args=[record.pk]),
                    )
                )
    return list(dict.fromkeys(found))


def _refuse(field: str, fixes: list[PutRight]) -> ValidationError:
    return ValidationError({field: [fix.message for fix in fixes]})


def _require_adm(agency_id: int, by) -> None:
    if by is None or not policy.can(by, "panel", "decide") or by.agency_id != agency_id:
        raise ValidationError({"__all__": ["Only an agency decision maker of this agency can decide"]})


def _sat_on(meeting, by) -> bool:
    return meeting.attended_by.filter(user=by).exists()


def _sat_on_message(meeting) -> str:
    return (
        f"You sat on the {meeting}: another agency decision maker decides its items "
        "(a decision maker does not decide what they recommended)"
    )


def _route_of(item) -> routes.Route:
    return routes.ROUTES[
        {
            panels.ItemKind.HOUSEHOLD_APPROVAL: routes.Decision.ADOPTER_APPROVAL,
            panels.ItemKind.MATCH: routes.Decision.MATCH,
            panels.ItemKind.REVIEW: routes.Decision.APPROVAL_REVIEW,
            # ending an adoption plan undoes the should-be-placed decision: the same decider
            panels.ItemKind.PLAN_CHANGE: routes.Decision.SHOULD_BE_PLACED,
        }[item.kind]
    ]


def _decider_refusal(route: routes.Route, agency, by, children) -> str | None:
    return routes.decider_refusal(
        route,
        decisions_by_council_adm=agency.decisions_by_council_adm,
        decider_council=by.employing_council_id,
        child_councils={c.responsible_council_id: str(c.responsible_council) for c in children},
    )


@transaction.atomic
def add_panel_member(member, *, by):
    """A member on the agency's panel list (validated by its form)."""
    member._history_user = by
    member.save()
    return member


@transaction.atomic
def create_panel_meeting(agency, held_on: date, members, *, by):
    """A panel meeting of the agency, with who attended on the day."""
    meeting = PanelMeeting(agency=agency, held_on=held_on)
    meeting._history_user = by
    meeting.save()
    set_attendance(meeting, members, by=by)
    return meeting


def check_agenda_open(meeting) -> None:
    """The agenda is set before the meeting: refused once the date has passed or the panel has recommended."""
    refused = panels.agenda_refusal(
        meeting.held_on, timezone.localdate(), meeting.items.exclude(recommendation="").exists()
    )
    if refused:
        raise ValidationError({"__all__": [refused]})


def agenda_open(meeting) -> bool:
    try:
        check_agenda_open(meeting)
    except ValidationError:
        return False
    return True


@transaction.atomic
def add_agenda_item(meeting, kind: str, household, children, *, by):
    """An item the panel considers: a household, and the children of a match or a change of plan,
    each at the stage the item is for (panels.stage_refusal), added at the end of the agenda while
    it is open, and not already waiting on an agenda as the same kind of item."""
    PanelMeeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one writer of the order at a time
    check_agenda_open(meeting)
    children = list(children)
    field = "child_reference" if kind == panels.ItemKind.PLAN_CHANGE else "household"
    refused = panels.stage_refusal(kind, household.stage if household else None, [c.stage for c in children])
    if refused:
        raise ValidationError({field: [refused]})
    waiting = AgendaItem.objects.filter(kind=kind, recommendation="")
    if household is not None and kind != panels.ItemKind.PLAN_CHANGE and waiting.filter(household=household).exists():
        raise ValidationError({field: [f"{household.reference} is already on a panel's agenda for this"]})
    if kind == panels.ItemKind.PLAN_CHANGE and waiting.filter(children__in=children).exists():
        raise ValidationError({field: ["The child is already on a panel's agenda for a change of plan"]})
    last = meeting.items.aggregate(last=models.Max("position"))["last"] or 0
    item = AgendaItem(meeting=meeting, kind=kind, household=household, position=last + 1)
    item._history_user = by
    item.save()
    item.children.set(children)
    return item


@transaction.atomic
def move_agenda_item(item, up: bool, *, by) -> None:
    """Take the item one place earlier (`up`) or later on the agenda, while the agenda is open."""
    meeting = item.meeting
    PanelMeeting.objects.select_for_update().filter(pk=meeting.pk).first()
    check_agenda_open(meeting)
    items = list(meeting.items.order_by("position", "id"))
    at = next(i for i, other in enumerate(items) if other.pk == item.pk)
    to = at - 1 if up else at + 1
    if not 0 <= to < len(items):
        return
    items[at], items[to] = items[to], items[at]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            other.position = position
            other._history_user = by
            other.save(update_fields=["position"])


@transaction.atomic
def remove_agenda_item(item, *, by) -> None:
    """Take an item off the agenda before the meeting (its history keeps that it was there)."""
    PanelMeeting.objects.select_for_update().filter(pk=item.meeting_id).first()
    check_agenda_open(item.meeting)
    item._history_user = by
    item.children.clear()
    item.delete()


def set_attendance(meeting, members, *, by) -> None:
    """Who attended the panel on the day (audited through the meeting's history). Fixed once the
    panel has recommended, since its quorum is what made the recommendations valid."""
    members = list(members)
    if any(member.agency_id != meeting.agency_id for member in members):
        raise ValidationError({"attended_by": ["Choose members of this agency's panel"]})
    if meeting.items.exclude(recommendation="").exists():
        raise ValidationError(
            {"attended_by": ["The panel has recommended on its items: its attendance on the day can no longer change"]}
        )
    with transaction.atomic():
        meeting._history_user = by
        meeting.attended_by.set(members)


@transaction.atomic
def record_recommendation(item, recommendation: str, reasons: str, *, by) -> None:
    """The panel's recommendation on an agenda item, from a panel whose attendance on the day is
    recorded and quorate; a recommendation for approval or a match moves the journey on (panel /
    matching panel step)."""
    meeting = item.meeting
    if not meeting.attended_by.exists():
        raise ValidationError(
            {
                "recommendation": [
                    "No attendance is recorded for this panel: record who attended on the day first, above"
                ]
            }
        )
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
    note = f"{item.get_recommendation_display()} at {meeting}"
    if recommendation != panels.Recommendation.DEFERRED:
        try:
            # Either way the household now awaits the ADM, who may disagree with the panel.
            if item.kind == panels.ItemKind.HOUSEHOLD_APPROVAL:
                record_household_step(
                    item.household, "panel", meeting.held_on, by=by, note=note, authority=_PANEL_OR_ADM
                )
            elif item.kind == panels.ItemKind.MATCH and recommendation == panels.Recommendation.RECOMMEND:
                for child in item.children.all():
                    record_child_step(
                        child, "matching_panel", meeting.held_on, by=by, note=note, authority=_PANEL_OR_ADM
                    )
        except ValidationError as error:
            raise _refuse(
                "recommendation",
                put_right(item.household if item.kind == panels.ItemKind.HOUSEHOLD_APPROVAL else child, error),
            ) from error


def set_final_minutes(meeting, received_on: date, *, by) -> None:
    if received_on < meeting.held_on:
        raise ValidationError({"final_minutes_on": ["Final minutes cannot come before the panel met"]})
    if received_on > timezone.localdate():
        raise ValidationError({"final_minutes_on": ["Final minutes received cannot be in the future"]})
    meeting.final_minutes_on = received_on
    meeting._history_user = by
    meeting.save()


def _outcome_steps(item, happens: bool, children) -> list[tuple[object, str, dict]]:
    """The journey steps a decision on this item records: (record, kind, details)."""
    if item.kind == panels.ItemKind.HOUSEHOLD_APPROVAL:
        return (
            [(item.household, "approved", {})]
            if happens
            else [(item.household, "closed", {"closed_reason": routes.NOT_APPROVED})]
        )
    if not happens:
        return []
    if item.kind == panels.ItemKind.REVIEW:
        return [(item.household, "approval_reviewed", {})]
    if item.kind == panels.ItemKind.MATCH:
        return [(child, "matched", {}) for child in children]
    return [(child, "plan_ended", {"plan_ended_reason": "plan_changed"}) for child in children]


def _record_outcome(steps, on: date, *, by, note: str) -> None:
    for record, kind, details in steps:
        try:
            if isinstance(record, Household):
                record_household_step(record, kind, on, by=by, note=note, details=details, authority=_PANEL_OR_ADM)
            else:
                record_child_step(record, kind, on, by=by, note=note, details=details, authority=_PANEL_OR_ADM)
        except ValidationError as error:
            raise _refuse("agrees", put_right(record, error)) from error


def decision_blockers(item, by) -> list[PutRight]:
    """What must be put right before this decision can be made, by whom (shown before the ADM decides).
    The journeys are tried with the outcome the panel asked for; nothing is written."""
    meeting = item.meeting
    if hasattr(item, "decision"):
        return []
    found = []
    if meeting.final_minutes_on is None:
        found.append(
            PutRight(
                f"A panel adviser must record the date the final minutes of the {meeting} were received first",
                _meeting_url(meeting),
            )
        )
    if _sat_on(meeting, by):
        found.append(PutRight(_sat_on_message(meeting)))
    children = list(item.children.select_related("responsible_council"))
    refused = _decider_refusal(_route_of(item), meeting.agency, by, children)
    if refused:
        found.append(PutRight(refused))
    if (
        not QualifyingDetermination.objects.filter(item=item).exists()
        and item.recommendation != panels.Recommendation.DEFERRED
    ):
        for record, kind, details in _outcome_steps(item, True, children):
            journey = _journey_of(record)
            try:
                replay_with(journey, list(record.steps.all()), kind, timezone.localdate(), details)
            except ValidationError as error:
                found += put_right(record, error)
    return found


def _journey_of(record) -> Journey:
    if isinstance(record, Household):
        return definitions.household_journey(
            record.fast_track, (record.approved_children, record.age_min, record.age_max), record.placement_stage()
        )
    return definitions.child_journey(record.date_of_birth)


def _check_decision_date(decided_on: date, after: date, what: str) -> None:
    if decided_on < after or decided_on > timezone.localdate():
        raise ValidationError({"decided_on": [f"The decision date must be on or after {what} and not in the future"]})


@transaction.atomic
def record_adm_decision(item, agrees: bool, reasons: str, decided_on: date, *, by):
    """The ADM's decision on a panel's recommendation. Only an agency decision maker of the agency
    who did not sit on the panel decides, after the final minutes; the agency's setting names whose
    ADM decides a match (routes.decider_refusal). A proposed refusal of approval is a qualifying
    determination (returned instead of a decision); every other outcome moves the journeys on."""
    meeting = item.meeting
    _require_adm(meeting.agency_id, by)
    if AdmDecision.objects.filter(item=item).exists():
        raise ValidationError({"agrees": ["The decision has already been made"]})
    if QualifyingDetermination.objects.filter(item=item).exists():
        raise ValidationError(
            {
                "agrees": [
                    "A qualifying determination is recorded: make the final decision once the "
                    "household has responded or the 40 working days have passed"
                ]
            }
        )
    if not item.recommendation or item.recommendation == panels.Recommendation.DEFERRED:
        raise ValidationError({"agrees": ["There is no panel recommendation to decide on"]})
    if meeting.final_minutes_on is None:
        raise ValidationError(
            {
                "decided_on": [
                    f"A panel adviser must record the date the final minutes of the {meeting} were received first"
                ]
            }
        )
    _check_decision_date(decided_on, meeting.final_minutes_on, "the final minutes")
    if not reasons.strip():
        raise ValidationError({"reasons": ["Give the reasons for the decision"]})
    if _sat_on(meeting, by):
        raise ValidationError({"agrees": [_sat_on_message(meeting)]})
    children = list(item.children.select_related("responsible_council"))
    refused = _decider_refusal(_route_of(item), meeting.agency, by, children)
    if refused:
        raise ValidationError({"agrees": [refused]})
    happens = panels.outcome(item.recommendation, agrees)
    if item.kind == panels.ItemKind.HOUSEHOLD_APPROVAL and not happens:
        determination = QualifyingDetermination(item=item, determined_by=by, determined_on=decided_on, reasons=reasons)
        determination._history_user = by
        determination.save()
        due = determination.representations_due
        _record_outcome(
            [(item.household, routes.QUALIFYING_DETERMINATION, {})],
            decided_on,
            by=by,
            note=f"Qualifying determination: {reasons}. Representations or an IRM application by {due.day} {due:%B %Y}",
        )
        return determination
    decision = AdmDecision.objects.create(
        item=item, decided_by=by, agrees=agrees, reasons=reasons, decided_on=decided_on
    )
    _record_outcome(_outcome_steps(item, happens, children), decided_on, by=by, note=f"ADM decision: {reasons}")
    return decision


def _determination_of(item):
    found = QualifyingDetermination.objects.select_for_update().filter(item=item).first()
    if found is None:
        raise ValidationError({"__all__": ["There is no qualifying determination on this item"]})
    return found


@transaction.atomic
def record_response(item, response: str, on: date, *, by):
    """The household's response to a qualifying determination: representations to the ADM, or an
    application to the Independent Review Mechanism, within the 40 working days."""
    _require_adm(item.meeting.agency_id, by)
    determination = _determination_of(item)
    refused = routes.response_refusal(determination.as_determination(), response, on)
    if refused is None and on > timezone.localdate():
        refused = "The response cannot be in the future"
    if refused:
        raise ValidationError({"response": [refused]})
    determination.response, determination.response_on = response, on
    determination._history_user = by
    determination.save()
    return determination


@transaction.atomic
def record_irm_recommendation(item, recommendation: str, on: date, *, by):
    """The Independent Review Mechanism panel's recommendation, which the ADM weighs in the final decision."""
    _require_adm(item.meeting.agency_id, by)
    determination = _determination_of(item)
    if determination.response != "irm":
        raise ValidationError(
            {"irm_recommendation": ["The household did not apply to the Independent Review Mechanism"]}
        )
    if determination.irm_recommended_on is not None:
        raise ValidationError({"irm_recommendation": ["The IRM panel's recommendation is already recorded"]})
    if recommendation not in ("approve", "not_approve"):
        raise ValidationError({"irm_recommendation": ["Choose the IRM panel's recommendation"]})
    if on < determination.response_on or on > timezone.localdate():
        raise ValidationError(
            {"irm_recommended_on": ["The date must be on or after the IRM application and not in the future"]}
        )
    determination.irm_recommendation, determination.irm_recommended_on = recommendation, on
    determination._history_user = by
    determination.save()
    return determination


@transaction.atomic
def record_final_decision(item, approve: bool, reasons: str, decided_on: date, *, by):
    """The ADM's final decision after a qualifying determination: approval, or the journey closed as
    not approved. Only once the household has responded (and the IRM recommended, if they applied)
    or the 40 working days have passed."""
    meeting = item.meeting
    _require_adm(meeting.agency_id, by)
    determination = _determination_of(item)
    if AdmDecision.objects.filter(item=item).exists():
        raise ValidationError({"approve": ["The final decision has already been made"]})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": ["The decision date cannot be in the future"]})
    refused = routes.final_decision_refusal(determination.as_determination(), decided_on)
    if refused:
        raise ValidationError({"decided_on": [refused]})
    if not reasons.strip():
        raise ValidationError({"reasons": ["Give the reasons for the decision"]})
    if _sat_on(meeting, by):
        raise ValidationError({"approve": [_sat_on_message(meeting)]})
    agrees = approve == (item.recommendation == panels.Recommendation.RECOMMEND)
    decision = AdmDecision.objects.create(
        item=item, decided_by=by, agrees=agrees, reasons=reasons, decided_on=decided_on
    )
    try:
        _record_outcome(_outcome_steps(item, approve, []), decided_on, by=by, note=f"ADM final decision: {reasons}")
    except ValidationError as error:
        raise ValidationError({"approve": error.message_dict["agrees"]}) from error
    return decision


def should_be_placed_blockers(child, by) -> list[PutRight]:
    found = []
    refused = _decider_refusal(routes.ROUTES[routes.Decision.SHOULD_BE_PLACED], child.agency, by, [child])
    if refused:
        found.append(PutRight(refused))
    try:
        replay_with(
            definitions.child_journey(child.date_of_birth),
            list(child.steps.all()),
            "should_be_placed",
            timezone.localdate(),
            {},
        )
    except ValidationError as error:
        found += put_right(child, error)
    return found


@transaction.atomic
def record_should_be_placed(child, decided_on: date, reasons: str, *, by) -> ChildStep:
    """The ADM's decision that a child should be placed for adoption (no panel: the panel considers
    it only in consent cases). Where the agency keeps decisions with its councils, only the child's
    council's ADM decides."""
    _require_adm(child.agency_id, by)
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": ["The decision date cannot be in the future"]})
    if not reasons.strip():
        raise ValidationError({"reasons": ["Give the reasons for the decision"]})
    refused = _decider_refusal(routes.ROUTES[routes.Decision.SHOULD_BE_PLACED], child.agency, by, [child])
    if refused:
        raise ValidationError({"__all__": [refused]})
    try:
        return record_child_step(
            child, "should_be_placed", decided_on, by=by, note=f"ADM decision: {reasons}", authority=_PANEL_OR_ADM
        )
    except ValidationError as error:
        raise ValidationError(
            {
                "decided_on" if "occurred_on" in error.message_dict or "kind" in error.message_dict else "__all__": [
                    fix.message for fix in put_right(child, error)
                ]
            }
        ) from error


def decisions_in_force(record):
    """The record's entries that are panel recommendations or ADM decisions, neither withdrawn nor
    superseded: what the decision page lists for correction."""
    journey = "household" if isinstance(record, Household) else "child"
    entries = record.steps.filter(corrections__isnull=True).exclude(kind=WITHDRAWN).select_related("recorded_by")
    return [entry for entry in entries if routes.is_decision(journey, entry.kind, entry.details)]


@transaction.atomic
def correct_decision(entry, *, by, withdraw: bool, note: str, occurred_on: date | None = None):
    """The decision maker corrects the date of their own decision, or withdraws it, by a superseding
    entry with the reason; a decision that arrived by import or from the system's history is
    corrected by a decision maker who may make it."""
    is_household = isinstance(entry, HouseholdStep)
    record = entry.household if is_household else entry.child
    journey = "household" if is_household else "child"
    _require_adm(record.agency_id, by)
    if not routes.is_decision(journey, entry.kind, entry.details) or entry.kind == WITHDRAWN:
        raise ValidationError({"__all__": ["This entry is not a decision: correct it from the record's journey"]})
    if entry.corrections.exists():
        raise ValidationError({"__all__": ["This entry has already been corrected or withdrawn"]})
    if entry.recorded_by_id not in (None, by.pk):
        raise ValidationError({"__all__": [f"Only {entry.recorded_by}, who recorded it, corrects or withdraws it"]})
    if not is_household:
        refused = _decider_refusal(routes.ROUTES[routes.Decision.MATCH], record.agency, by, [record])
        if refused:
            raise ValidationError({"__all__": [refused]})
    if not note.strip():
        raise ValidationError({"note": ["Give the reason for the correction"]})
    if not withdraw and occurred_on is None:
        raise ValidationError({"occurred_on": ["Enter the correct date"]})
    recorder = record_household_step if is_household else record_child_step
    if withdraw:
        return recorder(
            record, WITHDRAWN, entry.occurred_on, by=by, note=note, supersedes=entry, authority=_PANEL_OR_ADM
        )
    return recorder(
        record,
        entry.kind,
        occurred_on,
        by=by,
        note=note,
        details=dict(entry.details),
        supersedes=entry,
        authority=_PANEL_OR_ADM,
    )


@transaction.atomic
def save_targets(targets: AgencyTargets, *, by) -> AgencyTargets:
    """The agency's own timescale targets, in place of the statutory ones."""
    return save_by(targets, by)


@transaction.atomic
def correct_adoption_order(child: Child, *, by, reason: str, corrected_on=None, request=None):
    """Put right a mistaken adoption order on a sealed record: the one write a sealed record takes.

    Only a team manager who may open sealed records does it, with a reason that says why (sealing.
    reason_problem). With `corrected_on` the order's date is corrected (the record stays sealed);
    without it the order is withdrawn (recorded on the wrong child, or not made) and the record is
    no longer sealed. Either way the entry is superseded, never deleted, and the reading is audited."""
    if not by.has_role(Role.TEAM_MANAGER) or policy.child_access(by, child) < ChildAccess.RECORD or not child.sealed:
        raise ValidationError("Only a team manager who may open sealed records corrects an adoption order")
    problem = sealing.reason_problem(reason)
    if problem:
        raise ValidationError({"reason": [problem]})
    order = next(
        (s for s in child.steps.filter(kind="adoption_order").order_by("-id") if not s.corrections.exists()), None
    )
    if order is None:
        raise ValidationError("The adoption order has no journey entry to correct")
    note = f"Adoption order corrected by a team manager: {reason.strip()}"
    with sealed_record_writable(child.pk):
        if corrected_on is None:
            step = record_child_step(child, WITHDRAWN, order.occurred_on, by=by, note=note, supersedes=order)
        else:
            step = record_child_step(child, "adoption_order", corrected_on, by=by, note=note, supersedes=order)
    if request is not None:
        record_view(by, child, request, RecordView.Channel.SEALED, note)
    return step
