"""Adoption support cases: who may ask for what, and the case's journey as a state machine over an
append-only dated history (common/machine.py). Pure Python.

The law: local authorities must assess the need for adoption support services when asked
(Adoption and Children Act 2002 s.4, Adoption Support Services Regulations 2005 regs 4 and 13-18:
assessment, the support plan, its review). Adoptive families, adopted adults and special guardians
(Special Guardianship Regulations 2005) may ask for any service; birth relatives are entitled to
counselling, advice and information and to help with contact arrangements (ASSR 2005 reg 4), not to
financial support, therapeutic services funded through the Support Fund or educational support.
"""

from datetime import date
from enum import StrEnum
from typing import Any

from openraa.common.machine import Entry, Journey, Projection, Step

REQUESTERS = {
    "adoptive_family": "Adoptive family",
    "adopted_adult": "Adopted adult",
    "birth_relative": "Birth relative",
    "special_guardian": "Special guardian",
}
CATEGORIES = {
    "therapeutic": "Therapeutic support",
    "financial": "Financial support",
    "contact": "Contact",
    "education": "Education",
    "peer_support": "Peer support",
    "other": "Other (counselling, advice, information)",
}
# What each who-asked may ask for (see the module's note on the law).
ALLOWED_CATEGORIES = {
    "adoptive_family": frozenset(CATEGORIES),
    "adopted_adult": frozenset(CATEGORIES),
    "special_guardian": frozenset(CATEGORIES),
    "birth_relative": frozenset({"contact", "peer_support", "other"}),
}
OUTCOMES = {"needed": "Support needed", "not_needed": "Support not needed"}
CLOSED_REASONS = {
    "support_ended": "Support plan completed",
    "not_needed": "Assessed as not needing support",
    "withdrawn": "Request withdrawn by the family or person",
    "moved_away": "Moved to another local authority's area",
    "other": "Other",
}


def request_errors(requester: str, categories: list[str]) -> dict[str, str]:
    """Why a request cannot be recorded as given (empty when it can)."""
    if requester not in REQUESTERS:
        return {"requester": "Choose who asked for support"}
    if not categories:
        return {"categories": "Choose at least one kind of support asked for"}
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        return {"categories": f"Unknown kind of support: {', '.join(unknown)}"}
    refused = [CATEGORIES[c].lower() for c in categories if c not in ALLOWED_CATEGORIES[requester]]
    if refused:
        return {
            "categories": f"A {REQUESTERS[requester].lower()} cannot be assessed for {', '.join(refused)}: "
            "birth relatives may ask for contact, peer support, counselling, advice and information"
        }
    return {}


class Stage(StrEnum):
    NEW = "new"
    RECEIVED = "received"
    ASSESSING = "assessing"
    NOT_NEEDED = "not_needed"
    NEEDED = "needed"
    PLAN_AGREED = "plan_agreed"
    SUPPORTED = "supported"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    Stage.NEW: "Not yet received",
    Stage.RECEIVED: "Request received",
    Stage.ASSESSING: "Assessment of need started",
    Stage.NOT_NEEDED: "Assessed: support not needed",
    Stage.NEEDED: "Assessed: support needed",
    Stage.PLAN_AGREED: "Support plan agreed",
    Stage.SUPPORTED: "Services commissioned",
    Stage.CLOSED: "Closed",
}
DATES = (
    "received_on",
    "assessment_started_on",
    "assessment_completed_on",
    "plan_agreed_on",
    "commissioned_on",
    "last_review_on",
    "closed_on",
)
DETAILS = ("assessment_outcome", "closed_reason")

_OPEN = frozenset(Stage) - {Stage.NEW, Stage.CLOSED}
STEPS = {
    step.kind: step
    for step in (
        Step("request_received", "Request received", frozenset({Stage.NEW}), "received_on"),
        Step("assessment_started", "Assessment of need started", frozenset({Stage.RECEIVED}), "assessment_started_on"),
        Step(
            "assessment_completed",
            "Assessment of need completed",
            frozenset({Stage.ASSESSING}),
            "assessment_completed_on",
            details=("assessment_outcome",),
        ),
        Step("plan_agreed", "Support plan agreed", frozenset({Stage.NEEDED}), "plan_agreed_on"),
        Step("services_commissioned", "Services commissioned", frozenset({Stage.PLAN_AGREED}), "commissioned_on"),
        # Each review replaces the last review date: the next is due a year after the latest.
        Step("reviewed", "Support plan reviewed", frozenset({Stage.PLAN_AGREED, Stage.SUPPORTED}), "last_review_on"),
        Step("closed", "Case closed", _OPEN, "closed_on", details=("closed_reason",)),
    )
}


def initial() -> Projection:
    return {**dict.fromkeys(DATES), **dict.fromkeys(DETAILS, "")}


def stage_of(p: Projection) -> Stage:
    if p["closed_on"]:
        return Stage.CLOSED
    if p["commissioned_on"]:
        return Stage.SUPPORTED
    if p["plan_agreed_on"]:
        return Stage.PLAN_AGREED
    if p["assessment_completed_on"]:
        return Stage.NEEDED if p["assessment_outcome"] == "needed" else Stage.NOT_NEEDED
    if p["assessment_started_on"]:
        return Stage.ASSESSING
    return Stage.RECEIVED if p["received_on"] else Stage.NEW


def validate(p: Projection, today: date) -> dict[str, str]:
    # The machine already keeps the steps in order; only the chosen values are left to check.
    errors = {}
    if p["assessment_outcome"] and p["assessment_outcome"] not in OUTCOMES:
        errors["assessment_outcome"] = "Choose whether support is needed"
    if p["closed_reason"] and p["closed_reason"] not in CLOSED_REASONS:
        errors["closed_reason"] = "Choose why the case closed"
    return errors


JOURNEY = Journey(
    name="support case",
    steps=STEPS,
    initial=initial,
    stage_of=lambda p: stage_of(p).value,
    stage_label=lambda stage: Stage(stage).label,
    validate=validate,
)


def entries_of(steps: list[tuple[str, date, dict[str, Any]]]) -> list[Entry]:
    """A history another system held, (kind, date, details) in the journey's order, as entries the
    machine replays with every rule it applies to a step recorded here (same-day steps in the order
    given): an imported case keeps the journey's order of steps, not only its dates' order."""
    return [Entry(seq, kind, on, details) for seq, (kind, on, details) in enumerate(steps, start=1)]
