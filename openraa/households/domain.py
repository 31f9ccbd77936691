"""An adopter household's journey: the stage its dates imply and the rules they obey. Pure Python."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from openraa.common.dates import Errors, check_dates
from openraa.households import checks


class HouseholdStage(StrEnum):
    ENQUIRY = "enquiry"
    REGISTERED = "registered"
    STAGE_1 = "stage_1"
    BETWEEN_STAGES = "between_stages"
    STAGE_2 = "stage_2"
    AWAITING_PANEL = "awaiting_panel"
    AWAITING_DECISION = "awaiting_decision"
    APPROVED_WAITING = "approved_waiting"
    LINKED = "linked"
    MATCHED = "matched"
    PLACED = "placed"
    ADOPTION_ORDER = "adoption_order"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    HouseholdStage.ENQUIRY: "Enquiry",
    HouseholdStage.REGISTERED: "Registration of interest",
    HouseholdStage.STAGE_1: "Stage 1",
    HouseholdStage.BETWEEN_STAGES: "Between Stage 1 and Stage 2",
    HouseholdStage.STAGE_2: "Stage 2",
    HouseholdStage.AWAITING_PANEL: "Awaiting panel",
    HouseholdStage.AWAITING_DECISION: "Awaiting ADM decision",
    HouseholdStage.APPROVED_WAITING: "Approved and waiting",
    HouseholdStage.LINKED: "Linked",
    HouseholdStage.MATCHED: "Matched",
    HouseholdStage.PLACED: "Child placed",
    HouseholdStage.ADOPTION_ORDER: "Adoption order made",
    HouseholdStage.CLOSED: "Closed",
}
STAGE_CHOICES = [(stage.value, stage.label) for stage in HouseholdStage]

# A Stage 1 check whose outcome bars approval closes the journey with a reason naming the check.
CLOSED_REASONS = {"withdrawn": "Withdrew", "not_approved": "Not approved", **checks.CLOSED_REASON_LABELS}

DATE_LABELS = {
    "enquiry_on": "Enquiry",
    "registration_of_interest_on": "Registration of interest",
    "stage1_started_on": "Stage 1 start",
    "stage1_ended_on": "Stage 1 end",
    "stage2_started_on": "Stage 2 start",
    "stage2_ended_on": "Stage 2 end",
    "panel_on": "Panel recommendation",
    "approved_on": "ADM approval",
    "closed_on": "Closed",
}
_SEQUENCE = list(DATE_LABELS)[:-1]
_NOT_BEFORE = (
    *((later, earlier) for i, later in enumerate(_SEQUENCE) for earlier in _SEQUENCE[:i]),
    ("closed_on", "enquiry_on"),
)
_REQUIRES = (
    ("registration_of_interest_on", "enquiry_on"),
    ("stage1_started_on", "registration_of_interest_on"),
    ("stage1_ended_on", "stage1_started_on"),
    ("stage2_started_on", "registration_of_interest_on"),
    ("stage2_ended_on", "stage2_started_on"),
    ("panel_on", "stage2_ended_on"),
    ("approved_on", "panel_on"),
    ("closed_on", "enquiry_on"),
)

MAX_CHILDREN = 4
MAX_AGE = 17


@dataclass(frozen=True)
class HouseholdMilestones:
    """A household's journey as its record keeps it: the milestone dates, why it closed, fast track and
    the approval range; the stage and the date rules are derived from it. (The state machine whose
    steps write these dates is common.machine.Journey.)"""

    enquiry_on: date | None = None
    registration_of_interest_on: date | None = None
    stage1_started_on: date | None = None
    stage1_ended_on: date | None = None
    stage2_started_on: date | None = None
    stage2_ended_on: date | None = None
    panel_on: date | None = None
    approved_on: date | None = None
    closed_on: date | None = None
    closed_reason: str = ""
    fast_track: bool = False
    approved_children: int | None = None
    age_min: int | None = None
    age_max: int | None = None


# The most advanced milestone of any child linked with, matched with or placed with the household.
PLACEMENT_STAGES = (HouseholdStage.LINKED, HouseholdStage.MATCHED, HouseholdStage.PLACED, HouseholdStage.ADOPTION_ORDER)


def derive_stage(j: HouseholdMilestones, placement: HouseholdStage | None = None) -> HouseholdStage:
    if j.closed_on:
        return HouseholdStage.CLOSED
    if j.approved_on:
        return placement or HouseholdStage.APPROVED_WAITING
    for field, stage in (
        ("panel_on", HouseholdStage.AWAITING_DECISION),
        ("stage2_ended_on", HouseholdStage.AWAITING_PANEL),
        ("stage2_started_on", HouseholdStage.STAGE_2),
        ("stage1_ended_on", HouseholdStage.BETWEEN_STAGES),
        ("stage1_started_on", HouseholdStage.STAGE_1),
        ("registration_of_interest_on", HouseholdStage.REGISTERED),
    ):
        if getattr(j, field):
            return stage
    return HouseholdStage.ENQUIRY


def validate(j: HouseholdMilestones, today: date) -> Errors:
    dates = {field: getattr(j, field) for field in DATE_LABELS}
    requires = list(_REQUIRES)
    if not j.fast_track:
        requires.append(("stage2_started_on", "stage1_ended_on"))
    errors = check_dates(dates, DATE_LABELS, today, requires, _NOT_BEFORE)
    if j.fast_track and (j.stage1_started_on or j.stage1_ended_on):
        errors.setdefault(
            "stage1_started_on", "A fast-track household goes straight to Stage 2; remove the Stage 1 dates"
        )
    if j.closed_on and j.closed_reason not in CLOSED_REASONS:
        errors.setdefault("closed_reason", "Give the reason the household's journey closed")
    if j.closed_reason and not j.closed_on:
        errors.setdefault("closed_on", "Give the date the household's journey closed")
    if j.approved_children is not None and not 1 <= j.approved_children <= MAX_CHILDREN:
        errors.setdefault("approved_children", f"Number of children must be between 1 and {MAX_CHILDREN}")
    for field in ("age_min", "age_max"):
        value = getattr(j, field)
        if value is not None and not 0 <= value <= MAX_AGE:
            errors.setdefault(field, f"Age must be between 0 and {MAX_AGE}")
    if j.age_min is not None and j.age_max is not None and j.age_min > j.age_max:
        errors.setdefault("age_min", "Youngest age cannot be more than oldest age")
    if j.approved_on and None in (j.approved_children, j.age_min, j.age_max):
        errors.setdefault(
            "approved_children", "An approved household needs its approval range: number of children and ages"
        )
    return errors
