"""The two journeys of an adoption agency as state machines: the child's and the adopter
household's. Each step names the stages it may follow; the stage itself is always derived from
the dated milestones (children/domain.py, households/domain.py). Pure Python."""

from collections.abc import Callable
from datetime import date

from openraa.children import domain as child_domain
from openraa.children.domain import ChildStage as C
from openraa.common.machine import Journey, Projection, Step
from openraa.households import domain as household_domain
from openraa.households.domain import HouseholdStage as H


def _steps(*steps: Step) -> dict[str, Step]:
    return {step.kind: step for step in steps}


_NOT_FINISHED = frozenset(C) - {C.ADOPTED, C.PLAN_ENDED}
CHILD_STEPS = _steps(
    Step("entered_care", "Entered care", frozenset({C.CONSIDERED, C.SHOULD_BE_PLACED}), "entered_care_on"),
    Step(
        "should_be_placed",
        "Should be placed for adoption (ADM decision)",
        frozenset({C.CONSIDERED, C.EARLY_PERMANENCE}),
        "should_be_placed_on",
    ),
    Step(
        "family_finding_referral",
        "Referred for family finding",
        frozenset({C.SHOULD_BE_PLACED, C.FAMILY_FINDING, C.EARLY_PERMANENCE}),
        "family_finding_referral_on",
    ),
    # A match may come before the order (A2 counts it as 0 days), and a child placed with parental
    # consent may still get an order (consent withdrawn): both are real, so the order may follow them.
    Step(
        "placement_order",
        "Placement order",
        frozenset({C.SHOULD_BE_PLACED, C.EARLY_PERMANENCE, C.LINKED, C.MATCHING_PANEL, C.MATCHED, C.PLACED}),
        "placement_order_on",
    ),
    Step(
        "early_permanence",
        "Early permanence placement",
        frozenset({C.CONSIDERED, C.SHOULD_BE_PLACED, C.FAMILY_FINDING}),
        "early_permanence_on",
        details=("early_permanence_household", "early_permanence_kind"),
    ),
    Step(
        "linked",
        "Link with a household",
        frozenset({C.SHOULD_BE_PLACED, C.FAMILY_FINDING, C.EARLY_PERMANENCE}),
        "linked_on",
        details=("household",),
    ),
    Step(
        "link_ended",
        "Link ended",
        frozenset({C.LINKED, C.MATCHING_PANEL}),
        clears=("linked_on", "matching_panel_on", "household"),
    ),
    Step("matching_panel", "Matching panel recommendation", frozenset({C.LINKED}), "matching_panel_on"),
    Step("matched", "Match decision (ADM)", frozenset({C.MATCHING_PANEL}), "matched_on"),
    Step("placed", "Placed for adoption", frozenset({C.MATCHED}), "placed_on"),
    Step("adoption_order", "Adoption order", frozenset({C.PLACED}), "adoption_order_on"),
    Step(
        "plan_ended",
        "Adoption plan ended",
        _NOT_FINISHED,
        "plan_ended_on",
        details=("plan_ended_reason",),
        optional=("plan_ended_code",),
    ),
)
CHILD_DETAILS = (
    "household",
    "early_permanence_household",
    "early_permanence_kind",
    "plan_ended_reason",
    "plan_ended_code",
)
# Each milestone date and the step that sets it, both ways (the import and the seeding of a history read them).
CHILD_KIND_OF = {step.sets: step.kind for step in CHILD_STEPS.values() if step.sets}
CHILD_FIELD_OF = {kind: field for field, kind in CHILD_KIND_OF.items()}


def _child_initial(date_of_birth: date) -> Callable[[], Projection]:
    def initial() -> Projection:
        values: Projection = dict.fromkeys(child_domain.MILESTONE_FIELDS)
        values.update(
            {
                "household": None,
                "early_permanence_household": None,
                "early_permanence_kind": "",
                "plan_ended_reason": "",
                "plan_ended_code": "",
            }
        )
        values["date_of_birth"] = date_of_birth
        return values

    return initial


def child_milestones(projection: Projection) -> child_domain.Milestones:
    return child_domain.Milestones(
        date_of_birth=projection["date_of_birth"],
        plan_ended_reason=projection["plan_ended_reason"],
        **{name: projection[name] for name in child_domain.MILESTONE_FIELDS},
    )


def _child_validate(projection: Projection, today: date) -> dict[str, str]:
    errors = child_domain.validate(child_milestones(projection), today)
    if projection["plan_ended_code"] and projection["plan_ended_code"] not in child_domain.DISRUPTION_CODES:
        errors.setdefault("plan_ended_code", "Choose a reason code RD1 to RD4")
    if (
        projection["early_permanence_kind"]
        and projection["early_permanence_kind"] not in child_domain.EARLY_PERMANENCE_KINDS
    ):
        errors.setdefault("early_permanence_kind", "Choose Foster to Adopt or concurrent planning")
    return errors


def child_warnings(projection: Projection) -> dict[str, str]:
    """What is unusual but real in the journey's dates (children/domain.warnings): kept and shown."""
    return child_domain.warnings(child_milestones(projection))


def child_household(projection: Projection) -> int | None:
    """The household the child is with: the linked one, else the early permanence carers."""
    household: int | None = projection["household"] or projection["early_permanence_household"]
    return household


def child_journey(date_of_birth: date) -> Journey:
    return Journey(
        name="child",
        steps=CHILD_STEPS,
        initial=_child_initial(date_of_birth),
        stage_of=lambda p: child_domain.derive_stage(child_milestones(p)).value,
        stage_label=lambda stage: C(stage).label,
        validate=_child_validate,
    )


_OPEN = frozenset(H) - {H.CLOSED}
_APPROVED = frozenset({H.APPROVED_WAITING, H.LINKED, H.MATCHED, H.PLACED})
HOUSEHOLD_STEPS = _steps(
    Step("enquiry", "Enquiry", frozenset({H.ENQUIRY}), "enquiry_on"),
    Step("registration_of_interest", "Registration of interest", frozenset({H.ENQUIRY}), "registration_of_interest_on"),
    Step("stage1_started", "Stage 1 started", frozenset({H.REGISTERED}), "stage1_started_on"),
    Step("stage1_ended", "Stage 1 completed", frozenset({H.STAGE_1}), "stage1_ended_on"),
    # From registration only on the fast track; the household's own rules refuse it otherwise.
    Step("stage2_started", "Stage 2 started", frozenset({H.REGISTERED, H.BETWEEN_STAGES}), "stage2_started_on"),
    Step("stage2_ended", "Stage 2 completed", frozenset({H.STAGE_2}), "stage2_ended_on"),
    Step("panel", "Panel recommendation", frozenset({H.AWAITING_PANEL}), "panel_on"),
    # The ADM proposes not to approve: the household may make representations or go to the IRM
    # (journeys/routes.py); it still awaits the final decision, so the step sets no date.
    Step(
        "qualifying_determination",
        "Qualifying determination (ADM proposes not to approve)",
        frozenset({H.AWAITING_DECISION}),
    ),
    Step("approved", "Approved (ADM decision)", frozenset({H.AWAITING_DECISION}), "approved_on"),
    Step("approval_reviewed", "Approval reviewed", _APPROVED, "approval_reviewed_on"),
    Step("closed", "Closed", _OPEN, "closed_on", details=("closed_reason",)),
)
HOUSEHOLD_DETAILS = ("closed_reason",)
HOUSEHOLD_KIND_OF = {step.sets: step.kind for step in HOUSEHOLD_STEPS.values() if step.sets}
HOUSEHOLD_DATES = (*household_domain.DATE_LABELS, "approval_reviewed_on")


def household_journey(
    fast_track: bool, approval: tuple[int | None, int | None, int | None], placement: H | None = None
) -> Journey:
    """placement: the furthest stage a child linked with the household has reached."""
    approved_children, age_min, age_max = approval

    def initial() -> Projection:
        values: Projection = dict.fromkeys(HOUSEHOLD_DATES)
        values["closed_reason"] = ""
        return values

    def milestones_of(p: Projection) -> household_domain.HouseholdMilestones:
        return household_domain.HouseholdMilestones(
            **{name: p[name] for name in household_domain.DATE_LABELS},
            closed_reason=p["closed_reason"],
            fast_track=fast_track,
            approved_children=approved_children,
            age_min=age_min,
            age_max=age_max,
        )

    def validate(p: Projection, today: date) -> dict[str, str]:
        errors = household_domain.validate(milestones_of(p), today)
        if p["approval_reviewed_on"] and p["approved_on"] and p["approval_reviewed_on"] < p["approved_on"]:
            errors.setdefault("approval_reviewed_on", "A review of approval cannot come before the approval")
        return errors

    return Journey(
        name="household",
        steps=HOUSEHOLD_STEPS,
        initial=initial,
        stage_of=lambda p: household_domain.derive_stage(milestones_of(p), placement).value,
        stage_label=lambda stage: H(stage).label,
        validate=validate,
    )
