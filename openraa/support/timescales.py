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

from openraa.common.machine import Projection
from openraa.common.timescales import Status, Timescale
from openraa.common.workdays import add_months, add_working_days


@dataclass(frozen=True)
class SupportTargets:
    assessment_start_working_days: int = 10
    assessment_complete_months: int = 3
    plan_working_days: int = 20
    review_months: int = 12
    due_soon_days: int = 14


@dataclass(frozen=True)
class TargetLimit:
    label: str
    named_in_errors: str
    maximum: int

    def out_of_range(self) -> str:
        return f"Enter {self.named_in_errors} as a whole number from 1 to {self.maximum}"


# What an agency may set each target to, and how the settings page names it. The longest allowed
# keeps every target inside the duty it measures: a plan reviewed at least yearly (ASSR 2005 reg 18).
TARGET_LIMITS: dict[str, TargetLimit] = {
    "assessment_start_working_days": TargetLimit(
        "Assessment of need started within, in working days of the request",
        "the working days to start an assessment",
        60,
    ),
    "assessment_complete_months": TargetLimit(
        "Assessment of need completed within, in months of the request", "the months to complete an assessment", 12
    ),
    "plan_working_days": TargetLimit(
        "Support plan agreed within, in working days of the assessment", "the working days to agree a plan", 120
    ),
    "review_months": TargetLimit("Support plan reviewed at least every, in months", "the months between reviews", 12),
    "due_soon_days": TargetLimit("Show timescales due within, in days", "the days before a timescale is due soon", 90),
}


def assessment_due_on(received_on: date, targets: SupportTargets = SupportTargets()) -> date:
    return add_months(received_on, targets.assessment_complete_months)


def case_timescales(p: Projection, targets: SupportTargets = SupportTargets()) -> list[Timescale]:
    """Each timescale the case has reached; closing the case ends the open ones."""
    received, closed = p["received_on"], p["closed_on"]
    if received is None:
        return []
    items = [
        Timescale(
            "assessment_started",
            f"Assessment of need started within {targets.assessment_start_working_days} working days of the request",
            received,
            add_working_days(received, targets.assessment_start_working_days),
            _first(p["assessment_started_on"], closed),
        ),
        Timescale(
            "assessment_completed",
            f"Assessment of need completed within {_months(targets.assessment_complete_months)} of the request",
            received,
            assessment_due_on(received, targets),
            _first(p["assessment_completed_on"], closed),
        ),
    ]
    if p["assessment_completed_on"] and p["assessment_outcome"] == "needed":
        assessed = p["assessment_completed_on"]
        items.append(
            Timescale(
                "plan_agreed",
                f"Support plan agreed within {targets.plan_working_days} working days of the assessment",
                assessed,
                add_working_days(assessed, targets.plan_working_days),
                _first(p["plan_agreed_on"], closed),
            )
        )
    if p["plan_agreed_on"]:
        since = p["last_review_on"] or p["plan_agreed_on"]
        items.append(
            Timescale(
                "review",
                f"Support plan reviewed at least every {_months(targets.review_months)}",
                since,
                add_months(since, targets.review_months),
                closed,
            )
        )
    return items


def overdue(p: Projection, today: date, targets: SupportTargets = SupportTargets()) -> list[Timescale]:
    return [t for t in case_timescales(p, targets) if t.status(today, targets.due_soon_days) == Status.OVERDUE]


def _months(n: int) -> str:
    return "1 month" if n == 1 else f"{n} months"


def _first(*days: date | None) -> date | None:
    present = [day for day in days if day is not None]
    return min(present) if present else None
