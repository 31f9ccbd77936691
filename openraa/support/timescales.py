"""The timescales of an adoption support case, computed from its dated history. Pure Python.

Sources: the Adoption Support Services Regulations 2005 set the duties (assess on request, prepare
a plan, review it) without day counts. The defaults below follow the Adoption and Special
Guardianship Support Fund's practice guidance and the local protocols RAAs publish: an assessment
started within 10 working days of the request and completed within 3 months of it, the plan agreed
within 20 working days of the assessment, and the plan reviewed at least every 12 months while the
case is open (ASSR 2005 reg 18 requires a review at least yearly for financial support). Each is a
field of SupportTargets, so an agency's own protocol can replace it.
"""

from dataclasses import dataclass
from datetime import date

from openraa.journeys.machine import Projection
from openraa.journeys.timescales import Status, Timescale
from openraa.journeys.workdays import add_months, add_working_days


@dataclass(frozen=True)
class SupportTargets:
    assessment_start_working_days: int = 10
    assessment_complete_months: int = 3
    plan_working_days: int = 20
    review_months: int = 12
    due_soon_days: int = 14


def assessment_due_on(received_on: date, targets: SupportTargets = SupportTargets()) -> date:
    return add_months(received_on, targets.assessment_complete_months)


def case_timescales(p: Projection, targets: SupportTargets = SupportTargets()) -> list[Timescale]:
    """Each timescale the case has reached; closing the case ends the open ones."""
    received, closed = p["received_on"], p["closed_on"]
    if received is None:
        return []
    items = [
        Timescale("assessment_started",
                  f"Assessment of need started within {targets.assessment_start_working_days} working days of the request",
                  received, add_working_days(received, targets.assessment_start_working_days),
                  _first(p["assessment_started_on"], closed)),
        Timescale("assessment_completed",
                  f"Assessment of need completed within {targets.assessment_complete_months} months of the request",
                  received, assessment_due_on(received, targets), _first(p["assessment_completed_on"], closed)),
    ]
    if p["assessment_completed_on"] and p["assessment_outcome"] == "needed":
        assessed = p["assessment_completed_on"]
        items.append(Timescale(
            "plan_agreed", f"Support plan agreed within {targets.plan_working_days} working days of the assessment",
            assessed, add_working_days(assessed, targets.plan_working_days), _first(p["plan_agreed_on"], closed)))
    if p["plan_agreed_on"]:
        since = p["last_review_on"] or p["plan_agreed_on"]
        items.append(Timescale("review", f"Support plan reviewed at least every {targets.review_months} months",
                               since, add_months(since, targets.review_months), closed))
    return items


def overdue(p: Projection, today: date, targets: SupportTargets = SupportTargets()) -> list[Timescale]:
    return [t for t in case_timescales(p, targets) if t.status(today, targets.due_soon_days) == Status.OVERDUE]


def _first(*days: date | None) -> date | None:
    present = [day for day in days if day is not None]
    return min(present) if present else None
