"""Where each statutory decision of the adoption journeys is made, and by whom. Pure Python.

The Adoption Agencies Regulations 2005 put each decision in one place: the agency decision maker
(ADM) decides, usually on a panel's recommendation; the court makes orders. A journey step that
records such a decision is therefore never typed in on "Record a step" or sent to the steps API:
the journey services refuse it unless it comes from the panel's or the ADM's own service function
(journeys/services.py), and the refusal names where it is recorded. Court orders are dated facts
anyone running the child's case records.

A proposed refusal of approval is not final at once (regs 30A to 30B, the Independent Review
Mechanism): the ADM's "not approved" is first a *qualifying determination*; the prospective
adopters have 40 working days to make representations to the ADM or apply to the IRM, and only then
does the ADM's final decision close the journey.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from openraa.common.workdays import add_working_days


class Decision(StrEnum):
    SHOULD_BE_PLACED = "should_be_placed"
    ADOPTER_APPROVAL = "adopter_approval"
    MATCH = "match"
    APPROVAL_REVIEW = "approval_review"
    PLACEMENT_ORDER = "placement_order"
    ADOPTION_ORDER = "adoption_order"


class Maker(StrEnum):
    AGENCY_ADM = "agency_adm"  # the agency's decision maker
    CHILD_COUNCIL_ADM = "child_council_adm"  # the decision maker of the child's responsible council
    SETTING_ADM = "setting_adm"  # the agency's ADM, or the child's council's where decisions stay with councils
    COURT = "court"


class Panel(StrEnum):
    ALWAYS = "always"
    CONSENT_CASES = "consent_cases"  # only where the parents consent to the placement (reg 17(2))
    NEVER = "never"


class Where(StrEnum):
    """The page each route's entries are recorded on."""

    PANEL = "panel"  # the panel meeting's page: the panel's recommendation
    ADM_QUEUE = "adm_queue"  # the ADM's decisions page: decisions on panel recommendations
    SHOULD_BE_PLACED = "should_be_placed"  # the ADM's should-be-placed page (no panel)


@dataclass(frozen=True)
class Route:
    decision: Decision
    label: str
    journey: str  # "child" or "household"
    panel: Panel
    maker: Maker
    decision_step: str  # the journey step the decision records
    panel_step: str | None = None  # the journey step the panel's recommendation records
    qualifying_determination: bool = False  # a proposed refusal goes through the IRM first
    regulation: str = ""


ROUTES: dict[Decision, Route] = {
    route.decision: route
    for route in (
        Route(
            Decision.SHOULD_BE_PLACED,
            "Should be placed for adoption",
            "child",
            Panel.CONSENT_CASES,
            Maker.CHILD_COUNCIL_ADM,
            "should_be_placed",
            regulation="Adoption Agencies Regulations 2005, regs 17 to 19",
        ),
        Route(
            Decision.ADOPTER_APPROVAL,
            "Approval of prospective adopters",
            "household",
            Panel.ALWAYS,
            Maker.AGENCY_ADM,
            "approved",
            panel_step="panel",
            qualifying_determination=True,
            regulation="Adoption Agencies Regulations 2005, regs 26, 30 and 30A to 30B",
        ),
        Route(
            Decision.MATCH,
            "Match of a child with prospective adopters",
            "child",
            Panel.ALWAYS,
            Maker.SETTING_ADM,
            "matched",
            panel_step="matching_panel",
            regulation="Adoption Agencies Regulations 2005, regs 32 and 33",
        ),
        Route(
            Decision.APPROVAL_REVIEW,
            "Review of approval",
            "household",
            Panel.ALWAYS,
            Maker.AGENCY_ADM,
            "approval_reviewed",
            panel_step="panel",
            regulation="Adoption Agencies Regulations 2005, reg 29",
        ),
        Route(
            Decision.PLACEMENT_ORDER,
            "Placement order",
            "child",
            Panel.NEVER,
            Maker.COURT,
            "placement_order",
            regulation="Adoption and Children Act 2002, s 21",
        ),
        Route(
            Decision.ADOPTION_ORDER,
            "Adoption order",
            "child",
            Panel.NEVER,
            Maker.COURT,
            "adoption_order",
            regulation="Adoption and Children Act 2002, s 46",
        ),
    )
}

QUALIFYING_DETERMINATION = "qualifying_determination"  # the household step of a proposed refusal
NOT_APPROVED = "not_approved"  # the closed_reason of the ADM's final refusal
REPRESENTATION_WORKING_DAYS = 40


def _where_of(journey: str, kind: str, details) -> tuple[str, Where] | None:
    """For a step that records a panel recommendation or an ADM decision: its label and the page it
    is recorded on. None for every other step (court orders included)."""
    if journey == "household" and kind == "closed" and (details or {}).get("closed_reason") == NOT_APPROVED:
        return "A closure as not approved", Where.ADM_QUEUE
    if journey == "household" and kind == QUALIFYING_DETERMINATION:
        return "A qualifying determination", Where.ADM_QUEUE
    for route in ROUTES.values():
        if route.journey != journey or route.maker == Maker.COURT:
            continue
        if kind == route.panel_step:
            return "The panel's recommendation", Where.PANEL
        if kind == route.decision_step:
            where = Where.SHOULD_BE_PLACED if route.panel != Panel.ALWAYS else Where.ADM_QUEUE
            return (
                f"The decision that a child {route.label.lower()}"
                if route.decision == Decision.SHOULD_BE_PLACED
                else f"The ADM's decision ({route.label.lower()})",
                where,
            )
    return None


def is_decision(journey: str, kind: str, details=None) -> bool:
    """Whether this step records a panel recommendation or an ADM decision (never typed in)."""
    return _where_of(journey, kind, details) is not None


_WHERE_WORDS = {
    Where.PANEL: "Record the panel's recommendation on the panel's page (Panels, then the meeting)",
    Where.ADM_QUEUE: "The agency decision maker records it on the ADM decisions page, after the panel",
    Where.SHOULD_BE_PLACED: "The child's council's agency decision maker records it on the ADM decisions page",
}


def where_recorded(journey: str, kind: str, details=None) -> Where | None:
    found = _where_of(journey, kind, details)
    return found[1] if found else None


def refusal(journey: str, kind: str, details=None) -> str | None:
    """Why this step cannot be recorded as a plain step, naming where it is recorded; None when it can."""
    found = _where_of(journey, kind, details)
    if found is None:
        return None
    label, where = found
    return f"{label} is not recorded here. {_WHERE_WORDS[where]}."


def correction_refusal(journey: str, kind: str, details=None) -> str | None:
    """Why an entry cannot be corrected on the generic correction page; None when it can."""
    found = _where_of(journey, kind, details)
    if found is None:
        return None
    label, where = found
    if where == Where.PANEL:
        return f"{label} is corrected by the agency decision maker on the decision page, not here."
    return f"{label} is corrected or withdrawn by the agency decision maker on the decision page, not here."


def decider_refusal(
    route: Route, *, decisions_by_council_adm: bool, decider_council: int | None, child_councils: dict[int, str]
) -> str | None:
    """Why this decision maker (employed by `decider_council`) may not make this decision for children
    of these responsible councils (id -> name); None when they may. Where the agency keeps statutory
    decisions with each council, the child's council's own ADM decides; otherwise the agency's ADM
    decides, acting for the council where the council delegated it."""
    if route.maker == Maker.COURT:
        return f"A {route.label.lower()} is the court's: record it with its date as a step"
    if route.maker == Maker.AGENCY_ADM or not decisions_by_council_adm:
        return None
    others = sorted(name for council, name in child_councils.items() if council != decider_council)
    if others:
        return f"{others[0]}'s own ADM decides for its children"
    return None


@dataclass(frozen=True)
class Determination:
    """A qualifying determination and what the prospective adopters did about it."""

    determined_on: date
    representations_on: date | None = None  # representations made to the ADM
    irm_applied_on: date | None = None  # application to the Independent Review Mechanism
    irm_recommended_on: date | None = None  # the IRM panel's recommendation received


def representations_due(determined_on: date) -> date:
    """The last day for representations or an IRM application: 40 working days from the determination."""
    return add_working_days(determined_on, REPRESENTATION_WORKING_DAYS)


def final_decision_refusal(d: Determination, decided_on: date) -> str | None:
    """Why the ADM's final decision cannot be made on `decided_on`; None when it can. The final
    decision waits for the representations, for the IRM's recommendation when the household applied
    to it, or for the 40 working days to pass without either."""
    if decided_on < d.determined_on:
        return "The final decision cannot come before the qualifying determination"
    if d.irm_applied_on is not None:
        if d.irm_recommended_on is None:
            return (
                "The household applied to the Independent Review Mechanism: record the IRM panel's recommendation first"
            )
        if decided_on < d.irm_recommended_on:
            return "The final decision cannot come before the IRM panel's recommendation"
        return None
    if d.representations_on is not None:
        return (
            None
            if decided_on >= d.representations_on
            else "The final decision cannot come before the household's representations"
        )
    due = representations_due(d.determined_on)
    if decided_on <= due:
        return (
            f"The household has until {due.day} {due:%B %Y} to make representations or apply to the "
            "Independent Review Mechanism: decide after that, or once they have responded"
        )
    return None


def response_refusal(d: Determination, kind: str, on: date) -> str | None:
    """Why the household's response (representations to the ADM, or an IRM application) cannot be
    recorded; None when it can."""
    if d.representations_on is not None or d.irm_applied_on is not None:
        return "The household's response is already recorded"
    if on < d.determined_on:
        return "A response cannot come before the qualifying determination"
    if on > representations_due(d.determined_on):
        return "A response after the 40 working days cannot be recorded: the ADM may make the final decision"
    if kind not in ("representations", "irm"):
        return "Choose representations to the ADM or an application to the IRM"
    return None
