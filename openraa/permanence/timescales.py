"""Timescales of wider permanence, computed from a journey's projection each time they are asked
for. Pure Python. Limits set by regulations or statutory guidance are constants no agency changes;
the practice targets are the agency's own (Targets, kept per agency in models.PermanenceTargets)."""

from dataclasses import dataclass
from datetime import date, timedelta

from openraa.common.machine import Projection
from openraa.common.timescales import Timescale
from openraa.common.workdays import add_months, add_working_days
from openraa.permanence.definitions import (
    EXTENSION_MAX_WEEKS,
    TEMPORARY_APPROVAL_WEEKS,
    CarerKind,
    PlanKind,
    parse_day,
)

FOSTER_ASSESSMENT_MONTHS = 8  # application to decision (statutory guidance, national minimum standards)
ADM_WORKING_DAYS = 7  # the decision maker decides within 7 working days of the panel (statutory guidance)
SGO_ORDER_WEEKS = 26  # care proceedings end within 26 weeks (Children Act 1989 s32, Children and Families Act 2014 s14)
STATUTORY = (
    (
        f"Temporary approval of a connected person: {TEMPORARY_APPROVAL_WEEKS} weeks",
        "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 24",
    ),
    (f"One extension of the temporary approval: up to {EXTENSION_MAX_WEEKS} weeks", "regulation 25"),
    (
        f"Foster carer's assessment decided within {FOSTER_ASSESSMENT_MONTHS} months of application",
        "statutory guidance and national minimum standards",
    ),
    (f"Decision maker's decision within {ADM_WORKING_DAYS} working days of the panel", "statutory guidance"),
    (f"Special guardianship order within {SGO_ORDER_WEEKS} weeks (care proceedings)", "Children Act 1989, section 32"),
)


@dataclass(frozen=True)
class Targets:
    """The practice targets an agency may set for itself; the defaults are these."""

    court_report_weeks: int = 12  # practice default when the court's direction sets no date
    family_finding_working_days: int = 10  # practice: family finding starts within 10 working days of the plan
    long_term_match_months: int = 6  # practice: a long-term match within 6 months of the plan
    connected_match_weeks: int = 16  # practice: matched within the temporary approval
    due_soon_days: int = 14  # practice: a timescale is "due soon" this many days before it is due


def _first(*days: date | None) -> date | None:
    present = [d for d in days if d is not None]
    return min(present) if present else None


def _decision(p: Projection) -> list[Timescale]:
    if not p["panel_on"]:
        return []
    return [
        Timescale(
            "adm_decision",
            f"ADM decision within {ADM_WORKING_DAYS} working days of the panel",
            p["panel_on"],
            add_working_days(p["panel_on"], ADM_WORKING_DAYS),
            _first(p["approved_on"], p["closed_on"]),
        )
    ]


def carer_timescales(kind: CarerKind, p: Projection, t: Targets = Targets()) -> list[Timescale]:
    closed = p["closed_on"]
    items: list[Timescale] = []
    if kind == CarerKind.FOSTER_CARER and p["application_on"]:
        start = p["application_on"]
        items.append(
            Timescale(
                "assessment",
                f"Assessment decided within {FOSTER_ASSESSMENT_MONTHS} months of application",
                start,
                add_months(start, FOSTER_ASSESSMENT_MONTHS),
                _first(p["approved_on"], closed),
            )
        )
    if kind == CarerKind.CONNECTED_PERSON and p["temporary_approval_on"]:
        start = p["temporary_approval_on"]
        weeks = TEMPORARY_APPROVAL_WEEKS + ((p["extension_weeks"] or 0) if p["extension_on"] else 0)
        label = f"Full approval before the temporary approval ends ({TEMPORARY_APPROVAL_WEEKS} weeks" + (
            f", extended by {p['extension_weeks']})" if p["extension_on"] else ")"
        )
        items.append(
            Timescale(
                "temporary_approval", label, start, start + timedelta(weeks=weeks), _first(p["approved_on"], closed)
            )
        )
    if kind == CarerKind.SPECIAL_GUARDIAN and p["assessment_on"]:
        start = p["assessment_on"]
        set_by_court = parse_day(p["report_due_on"])
        due = set_by_court or start + timedelta(weeks=t.court_report_weeks)
        label = (
            "Report to court by the date the court set"
            if set_by_court
            else f"Report to court within {t.court_report_weeks} weeks of the direction"
        )
        items.append(Timescale("court_report", label, start, due, _first(p["report_on"], closed)))
    if kind != CarerKind.SPECIAL_GUARDIAN:
        items.extend(_decision(p))
    return items


def plan_timescales(kind: PlanKind, p: Projection, t: Targets = Targets()) -> list[Timescale]:
    agreed, ended = p["agreed_on"], p["closed_on"]
    if not agreed:
        return []
    if kind == PlanKind.LONG_TERM_FOSTERING:
        return [
            Timescale(
                "family_finding",
                f"Family finding within {t.family_finding_working_days} working days of the plan",
                agreed,
                add_working_days(agreed, t.family_finding_working_days),
                _first(p["family_finding_on"], p["matched_on"], ended),
            ),
            Timescale(
                "match",
                f"Matched within {t.long_term_match_months} months of the plan",
                agreed,
                add_months(agreed, t.long_term_match_months),
                _first(p["matched_on"], ended),
            ),
        ]
    if kind == PlanKind.CONNECTED_PERSONS:
        return [
            Timescale(
                "match",
                f"Matched within {t.connected_match_weeks} weeks of the plan",
                agreed,
                agreed + timedelta(weeks=t.connected_match_weeks),
                _first(p["matched_on"], ended),
            )
        ]
    return [
        Timescale(
            "order",
            f"Special guardianship order within {SGO_ORDER_WEEKS} weeks of the plan",
            agreed,
            agreed + timedelta(weeks=SGO_ORDER_WEEKS),
            _first(p["order_on"], ended),
        )
    ]
