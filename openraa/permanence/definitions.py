"""The journeys of wider permanence as state machines over the dated history (common/machine.py):
each kind of carer's assessment and each kind of child's permanence plan. Pure Python.

Every journey here moves forward one stage per step, so a record's stage is the furthest step in
force (or closed); the machine checks each step against the stage before it on its date.

- Foster carers (long-term fostering): enquiry, application and Stage 1, Stage 2, fostering panel,
  the decision maker's approval (Fostering Services (England) Regulations 2011, regs 26 to 27).
- Connected persons: temporary approval for 16 weeks (Care Planning, Placement and Case Review
  (England) Regulations 2010, reg 24), at most one extension of up to 8 weeks (reg 25), the full
  assessment, fostering panel, approval.
- Special guardians: the assessment the court directed, the report to court, the order, the
  special guardianship support plan.

Steps marked `decision` are the agency decision maker's (a carer's approval after the fostering
panel, a plan's match): the services record them only for those holding the decide grant.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from openraa.common.machine import Journey, Projection, Step
from openraa.permanence.phases import Function

CLOSED = "closed"
NEW = "new"
TEMPORARY_APPROVAL_WEEKS = 16  # reg 24
EXTENSION_MAX_WEEKS = 8  # reg 25: one extension, of up to 8 weeks


class CarerKind(StrEnum):
    FOSTER_CARER = "foster_carer"
    CONNECTED_PERSON = "connected_person"
    SPECIAL_GUARDIAN = "special_guardian"

    @property
    def label(self) -> str:
        return CARER_KIND_LABELS[self]

    @property
    def function(self) -> Function:
        return {
            CarerKind.FOSTER_CARER: Function.LONG_TERM_FOSTERING,
            CarerKind.CONNECTED_PERSON: Function.CONNECTED_PERSONS,
            CarerKind.SPECIAL_GUARDIAN: Function.SPECIAL_GUARDIANSHIP,
        }[self]


CARER_KIND_LABELS = {
    CarerKind.FOSTER_CARER: "Foster carer (long-term fostering)",
    CarerKind.CONNECTED_PERSON: "Connected person (family and friends)",
    CarerKind.SPECIAL_GUARDIAN: "Special guardian",
}


class PlanKind(StrEnum):
    LONG_TERM_FOSTERING = "long_term_fostering"
    CONNECTED_PERSONS = "connected_persons"
    SPECIAL_GUARDIANSHIP = "special_guardianship"

    @property
    def label(self) -> str:
        return Function(self.value).label

    @property
    def function(self) -> Function:
        return Function(self.value)

    @property
    def carer_kind(self) -> CarerKind:
        """The kind of carer a plan of this kind is matched with."""
        return {
            PlanKind.LONG_TERM_FOSTERING: CarerKind.FOSTER_CARER,
            PlanKind.CONNECTED_PERSONS: CarerKind.CONNECTED_PERSON,
            PlanKind.SPECIAL_GUARDIANSHIP: CarerKind.SPECIAL_GUARDIAN,
        }[self]


PLAN_KIND_LABELS = {kind: kind.label for kind in PlanKind}

CARER_CLOSED_REASONS = {
    "withdrew": "The carer withdrew",
    "not_approved": "Not approved",
    "resigned": "Resigned or deregistered",
    "order_refused": "The court made no order",
    "other": "Another reason",
}
PLAN_ENDED_REASONS = {
    "plan_changed": "The council changed the plan",
    "disruption": "The placement ended",
    "turned_18": "The young person turned 18",
    "other": "Another reason",
}


@dataclass(frozen=True)
class Move:
    """A step that moves the record on to a stage of its own."""

    kind: str
    label: str
    stage: str
    stage_label: str
    after: tuple[str, ...]  # the stages it may follow
    details: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    decision: bool = False  # the agency decision maker's (ADM's) decision: only they record it

    @property
    def sets(self) -> str:
        return f"{self.kind}_on"


def _no_errors(projection: Projection, today: date) -> dict[str, str]:
    return {}


@dataclass(frozen=True)
class Definition:
    name: str  # "foster carer", "plan", for messages
    start_label: str
    moves: tuple[Move, ...]  # in the order a record goes through them
    close_label: str
    closed_label: str
    closed_reasons: dict[str, str]
    validate: Callable[[Projection, date], dict[str, str]] = _no_errors
    stage_labels: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        labels = {NEW: self.start_label, **{m.stage: m.stage_label for m in self.moves}, CLOSED: self.closed_label}
        object.__setattr__(self, "stage_labels", labels)

    @property
    def detail_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for m in self.moves for name in (*m.details, *m.optional)))

    @property
    def decision_kinds(self) -> frozenset[str]:
        return frozenset(m.kind for m in self.moves if m.decision)

    @property
    def date_fields(self) -> tuple[str, ...]:
        return (*(m.sets for m in self.moves), "closed_on")

    def initial(self) -> Projection:
        return {**dict.fromkeys(self.date_fields), **dict.fromkeys(self.detail_names), "closed_reason": ""}

    def stage_of(self, projection: Projection) -> str:
        if projection["closed_on"]:
            return CLOSED
        reached = [m.stage for m in self.moves if projection[m.sets]]
        return reached[-1] if reached else NEW

    def _validate(self, projection: Projection, today: date) -> dict[str, str]:
        errors = dict(self.validate(projection, today))
        reason = projection["closed_reason"]
        if reason and reason not in self.closed_reasons:
            errors.setdefault("closed_reason", "Choose a reason from the list")
        return errors

    def journey(self) -> Journey:
        steps = {m.kind: Step(m.kind, m.label, frozenset(m.after), m.sets, m.details, m.optional) for m in self.moves}
        steps[CLOSED] = Step(
            CLOSED, self.close_label, frozenset(self.stage_labels) - {CLOSED}, "closed_on", details=("closed_reason",)
        )
        return Journey(
            name=self.name,
            steps=steps,
            initial=self.initial,
            stage_of=self.stage_of,
            stage_label=self.stage_labels.__getitem__,
            validate=self._validate,
        )


def decision_refusal(label: str) -> str:
    """Why someone other than a decision maker cannot record this step."""
    return (
        f"{label} is the agency decision maker's decision: only a decision maker (ADM) can record it, "
        "after the fostering panel"
    )


def parse_day(value: object) -> date | None:
    """A date kept in a step's details (JSON holds it as an ISO string)."""
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _connected_person_rules(p: Projection, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if p["extension_on"]:
        weeks = p["extension_weeks"]
        if not isinstance(weeks, int) or not 1 <= weeks <= EXTENSION_MAX_WEEKS:
            errors["extension_weeks"] = f"An extension is of 1 to {EXTENSION_MAX_WEEKS} weeks (regulation 25)"
        ends = p["temporary_approval_on"] + timedelta(weeks=TEMPORARY_APPROVAL_WEEKS)
        if p["extension_on"] > ends:
            errors.setdefault(
                "occurred_on",
                f"The temporary approval ended on {ends.day} {ends:%B %Y}: it can only be extended before it ends",
            )
    return errors


def _special_guardian_rules(p: Projection, today: date) -> dict[str, str]:
    try:
        due = parse_day(p["report_due_on"])
    except ValueError:
        return {"report_due_on": "Enter the date the court set as a real date"}
    if due and p["assessment_on"] and due < p["assessment_on"]:
        return {"report_due_on": "The report cannot be due before the assessment started"}
    return {}


_PANEL = "Fostering panel recommendation"
_APPROVED = "Approved (ADM decision)"
FOSTER_CARER = Definition(
    "foster carer",
    "Not started",
    (
        Move("enquiry", "Enquiry", "enquiry", "Enquiry", (NEW,)),
        Move("application", "Application received (Stage 1 started)", "stage_1", "Stage 1", ("enquiry",)),
        Move("stage2", "Stage 2 started", "stage_2", "Stage 2", ("stage_1",)),
        Move("panel", _PANEL, "awaiting_decision", "Awaiting the ADM's decision", ("stage_2",)),
        Move("approved", _APPROVED, "approved", "Approved", ("awaiting_decision",), decision=True),
    ),
    "Closed",
    "Closed",
    CARER_CLOSED_REASONS,
)
CONNECTED_PERSON = Definition(
    "connected person",
    "Not started",
    (
        Move("temporary_approval", "Temporary approval (regulation 24)", "temporary", "Temporarily approved", (NEW,)),
        Move(
            "extension",
            "Temporary approval extended (regulation 25)",
            "extended",
            "Temporary approval extended",
            ("temporary",),
            details=("extension_weeks",),
        ),
        Move(
            "assessment_completed",
            "Full assessment completed",
            "awaiting_panel",
            "Awaiting fostering panel",
            ("temporary", "extended"),
        ),
        Move("panel", _PANEL, "awaiting_decision", "Awaiting the ADM's decision", ("awaiting_panel",)),
        Move("approved", _APPROVED, "approved", "Approved", ("awaiting_decision",), decision=True),
    ),
    "Closed",
    "Closed",
    CARER_CLOSED_REASONS,
    _connected_person_rules,
)
SPECIAL_GUARDIAN = Definition(
    "special guardian",
    "Not started",
    (
        Move(
            "assessment",
            "SGO assessment started (court's direction)",
            "assessment",
            "Assessment under way",
            (NEW,),
            optional=("report_due_on",),
        ),
        Move("report", "Report filed with the court", "report_filed", "Report with the court", ("assessment",)),
        Move("order", "Special guardianship order made", "order_made", "Order made", ("report_filed",)),
        Move("support_plan", "SGO support plan agreed", "supported", "Support plan in place", ("order_made",)),
    ),
    "Closed",
    "Closed",
    CARER_CLOSED_REASONS,
    _special_guardian_rules,
)
CARER_DEFINITIONS = {
    CarerKind.FOSTER_CARER: FOSTER_CARER,
    CarerKind.CONNECTED_PERSON: CONNECTED_PERSON,
    CarerKind.SPECIAL_GUARDIAN: SPECIAL_GUARDIAN,
}

_AGREED = Move("agreed", "Plan agreed (council decision)", "agreed", "Plan agreed", (NEW,))
_MATCH_PANEL = "Fostering panel recommended the match"
_MATCHED = Move("matched", "Match agreed (ADM decision)", "matched", "Matched", ("match_recommended",), decision=True)
_PLACED = Move("placed", "Placed with the carers", "placed", "Placed", ("matched",))
LONG_TERM_FOSTERING_PLAN = Definition(
    "plan",
    "Proposed",
    (
        _AGREED,
        Move("family_finding", "Family finding started", "family_finding", "Family finding", ("agreed",)),
        Move(
            "match_panel",
            _MATCH_PANEL,
            "match_recommended",
            "Match recommended",
            ("family_finding",),
            details=("carer",),
        ),
        _MATCHED,
        _PLACED,
    ),
    "Plan ended",
    "Plan ended",
    PLAN_ENDED_REASONS,
)
CONNECTED_PERSONS_PLAN = Definition(
    "plan",
    "Proposed",
    (
        _AGREED,
        Move("match_panel", _MATCH_PANEL, "match_recommended", "Match recommended", ("agreed",), details=("carer",)),
        _MATCHED,
        _PLACED,
    ),
    "Plan ended",
    "Plan ended",
    PLAN_ENDED_REASONS,
)
SPECIAL_GUARDIANSHIP_PLAN = Definition(
    "plan",
    "Proposed",
    (
        _AGREED,
        Move(
            "assessment",
            "Special guardian's assessment started",
            "assessment",
            "Assessment under way",
            ("agreed",),
            details=("carer",),
        ),
        Move("order", "Special guardianship order made", "order_made", "Order made", ("assessment",)),
    ),
    "Plan ended",
    "Plan ended",
    PLAN_ENDED_REASONS,
)
PLAN_DEFINITIONS = {
    PlanKind.LONG_TERM_FOSTERING: LONG_TERM_FOSTERING_PLAN,
    PlanKind.CONNECTED_PERSONS: CONNECTED_PERSONS_PLAN,
    PlanKind.SPECIAL_GUARDIANSHIP: SPECIAL_GUARDIANSHIP_PLAN,
}
