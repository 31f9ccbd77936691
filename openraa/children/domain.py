"""A child's adoption milestones: the stage they imply and the rules they must obey. Pure Python.

Two kinds of rule: errors (`validate`) are dates that cannot be a real child's, such as a milestone
before birth or an adoption order before the placement, and refuse the save on every path (pages,
API, import); warnings (`warnings`) are unusual but real orders that real returns hold and the DfE
counts, such as a match before the placement order or a placement with parental consent (no order),
and are kept and shown."""

from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum

from openraa.common.dates import Errors, check_dates, long_date


class ChildStage(StrEnum):
    CONSIDERED = "considered"
    SHOULD_BE_PLACED = "should_be_placed"
    FAMILY_FINDING = "family_finding"
    EARLY_PERMANENCE = "early_permanence"
    LINKED = "linked"
    MATCHING_PANEL = "matching_panel"
    MATCHED = "matched"
    PLACED = "placed"
    ADOPTED = "adopted"
    PLAN_ENDED = "plan_ended"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    ChildStage.CONSIDERED: "Adoption being considered",
    ChildStage.SHOULD_BE_PLACED: "Should be placed for adoption",
    ChildStage.FAMILY_FINDING: "Placement order: family finding",
    ChildStage.EARLY_PERMANENCE: "Early permanence placement",
    ChildStage.LINKED: "Linked",
    ChildStage.MATCHING_PANEL: "Matching panel recommended",
    ChildStage.MATCHED: "Matched",
    ChildStage.PLACED: "Placed for adoption",
    ChildStage.ADOPTED: "Adoption order made",
    ChildStage.PLAN_ENDED: "Adoption plan ended",
}
STAGE_CHOICES = [(stage.value, stage.label) for stage in ChildStage]

PLAN_ENDED_REASONS = {
    "order_revoked": "Placement order revoked",
    "plan_changed": "Plan changed away from adoption",
    "disruption": "Placement disrupted",
}
# SSDA903 REASON_PLACED_CEASED: why a decision that the child should be placed for adoption ceased
# (kept for any ended plan, not only a disruption). The name is historical.
DISRUPTION_CODES = {
    "RD1": "The child's needs changed after the decision",
    "RD2": "The court did not make a placement order",
    "RD3": "Prospective adopters could not be found",
    "RD4": "Any other reason",
}
EARLY_PERMANENCE_KINDS = {
    "foster_to_adopt": "Foster to Adopt (Fostering for Adoption)",
    "concurrent_planning": "Concurrent planning",
}

MILESTONE_LABELS = {
    "date_of_birth": "Date of birth",
    "entered_care_on": "Entered care",
    "should_be_placed_on": "Should be placed decision (ADM)",
    "family_finding_referral_on": "Referred for family finding",
    "placement_order_on": "Placement order",
    "early_permanence_on": "Early permanence placement",
    "linked_on": "Link",
    "matching_panel_on": "Matching panel recommendation",
    "matched_on": "Match decision (ADM)",
    "placed_on": "Placed for adoption",
    "adoption_order_on": "Adoption order",
    "plan_ended_on": "Plan ended",
}
MILESTONE_FIELDS = tuple(f for f in MILESTONE_LABELS if f != "date_of_birth")

# Errors: dates no real child's journey can have (or that the DfE's own checks refuse in a return).
_REQUIRES = (
    ("placement_order_on", "entered_care_on"),
    ("placement_order_on", "should_be_placed_on"),
    ("early_permanence_on", "entered_care_on"),
    ("family_finding_referral_on", "should_be_placed_on"),
    ("linked_on", "should_be_placed_on"),
    ("matching_panel_on", "linked_on"),
    ("matched_on", "should_be_placed_on"),
    ("placed_on", "matched_on"),
    ("adoption_order_on", "placed_on"),
)
_NOT_BEFORE = (
    *((field, "date_of_birth") for field in MILESTONE_FIELDS),
    *((field, "entered_care_on") for field in MILESTONE_FIELDS if field != "entered_care_on"),
    ("placement_order_on", "should_be_placed_on"),  # SSDA903 rule 554
    ("family_finding_referral_on", "should_be_placed_on"),
    ("linked_on", "should_be_placed_on"),
    ("matching_panel_on", "linked_on"),
    ("matched_on", "should_be_placed_on"),  # SSDA903 rule 333
    ("matched_on", "linked_on"),
    ("matched_on", "matching_panel_on"),
    ("placed_on", "matched_on"),  # SSDA903 rule 331
    ("adoption_order_on", "placed_on"),
    ("plan_ended_on", "should_be_placed_on"),
)
# The child must have lived with the adopters for 10 weeks before they apply for the adoption order
# (Adoption and Children Act 2002, s.42(2)); foster carers who adopt have usually had the child longer.
LIVED_WITH_ADOPTERS_DAYS = 70


@dataclass(frozen=True)
class Milestones:
    date_of_birth: date | None = None
    entered_care_on: date | None = None
    should_be_placed_on: date | None = None
    family_finding_referral_on: date | None = None
    placement_order_on: date | None = None
    early_permanence_on: date | None = None
    linked_on: date | None = None
    matching_panel_on: date | None = None
    matched_on: date | None = None
    placed_on: date | None = None
    adoption_order_on: date | None = None
    plan_ended_on: date | None = None
    plan_ended_reason: str = ""


def derive_stage(m: Milestones) -> ChildStage:
    """The furthest point the child's journey has reached; an ended plan overrides everything."""
    if m.plan_ended_on:
        return ChildStage.PLAN_ENDED
    for field, stage in (
        ("adoption_order_on", ChildStage.ADOPTED),
        ("placed_on", ChildStage.PLACED),
        ("matched_on", ChildStage.MATCHED),
        ("matching_panel_on", ChildStage.MATCHING_PANEL),
        ("linked_on", ChildStage.LINKED),
        ("early_permanence_on", ChildStage.EARLY_PERMANENCE),
        ("placement_order_on", ChildStage.FAMILY_FINDING),
        ("should_be_placed_on", ChildStage.SHOULD_BE_PLACED),
    ):
        if getattr(m, field):
            return stage
    return ChildStage.CONSIDERED


def validate(m: Milestones, today: date) -> Errors:
    """Every reason these milestones cannot be a real child's, keyed by field: the errors that
    refuse a save. What is only unusual is in `warnings` instead."""
    dates = {k: v for k, v in asdict(m).items() if k != "plan_ended_reason"}
    errors = check_dates(dates, MILESTONE_LABELS, today, _REQUIRES, _NOT_BEFORE)
    if m.plan_ended_on and not m.plan_ended_reason:
        errors.setdefault("plan_ended_reason", "Give the reason the plan ended")
    if m.plan_ended_reason and not m.plan_ended_on:
        errors.setdefault("plan_ended_on", "Give the date the plan ended")
    if m.plan_ended_reason and m.plan_ended_reason not in PLAN_ENDED_REASONS:
        errors.setdefault("plan_ended_reason", "Choose a reason from the list")
    if m.plan_ended_on and m.adoption_order_on:
        errors.setdefault("plan_ended_on", "A plan cannot end after the adoption order; the adoption is complete")
    return errors


def warnings(m: Milestones, estimated: frozenset[str] = frozenset()) -> dict[str, str]:
    """Dates that are unusual but real, keyed by field: the record keeps them and says so. The DfE
    counts all of these (a match before the order is 0 days in A2; a placement with parental
    consent, SSDA903 A3/A4, has no placement order). `estimated`: fields known only as 'on or
    before' that date (an import's bounds), which say nothing of the order of two dates."""

    def known(first: str, second: str) -> tuple[date, date] | None:
        """The two fields' dates when both are given and neither is estimated."""
        one, other = getattr(m, first), getattr(m, second)
        return (one, other) if one and other and not estimated.intersection((first, second)) else None

    found: dict[str, str] = {}
    if (pair := known("matched_on", "placement_order_on")) and pair[0] < pair[1]:
        matched, order = pair
        found["matched_on"] = (
            f"The match decision ({long_date(matched)}) came before the placement order "
            f"({long_date(order)}): A2 counts it as 0 days"
        )
    if m.placed_on and not m.placement_order_on:
        found["placed_on"] = (
            "Placed for adoption without a placement order: a placement with parental consent (SSDA903 A3/A4)"
        )
    elif m.matched_on and not m.placement_order_on:
        found["matched_on"] = (
            "Matched without a placement order: the order is still to come, or the child will "
            "be placed with parental consent (SSDA903 A3/A4)"
        )
    if (pair := known("placed_on", "matched_on")) and pair[0] == pair[1]:
        found.setdefault("placed_on", f"Placed for adoption on the day of the match decision ({long_date(pair[0])})")
    if pair := known("adoption_order_on", "placed_on"):
        adopted, placed = pair
        days = (adopted - placed).days
        if 0 <= days < LIVED_WITH_ADOPTERS_DAYS:
            found["adoption_order_on"] = (
                f"The adoption order came {days} days after the placement: the child "
                "usually lives with the adopters for 10 weeks first, unless they were "
                "already the child's foster carers"
            )
    return found
