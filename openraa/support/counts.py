"""Counts of adoption support work for the national return, per council, for a period. Pure Python.

Aggregates only: each figure counts cases, none names one.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeGuard

from openraa.support.timescales import SupportTargets, assessment_due_on


@dataclass(frozen=True)
class CaseFacts:
    council: Hashable
    received_on: date | None
    assessment_completed_on: date | None = None
    plan_agreed_on: date | None = None
    closed_on: date | None = None


@dataclass
class Counts:
    requests_received: int = 0
    assessments_completed: int = 0
    assessments_in_time: int = 0
    plans_agreed: int = 0
    open_at_end: int = 0

    FIELDS = ("requests_received", "assessments_completed", "assessments_in_time", "plans_agreed", "open_at_end")

    def add(self, other: "Counts") -> None:
        for name in self.FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


LABELS = {
    "requests_received": "Requests received",
    "assessments_completed": "Assessments of need completed",
    "assessments_in_time": "Assessments completed in time",
    "plans_agreed": "Support plans agreed",
    "open_at_end": "Cases open at the end of the period",
}


@dataclass
class Return:
    by_council: dict[Hashable, Counts] = field(default_factory=dict)
    total: Counts = field(default_factory=Counts)


def counts(
    cases: Iterable[CaseFacts],
    start: date,
    end: date,
    targets: SupportTargets = SupportTargets(),
    councils: Iterable[Hashable] = (),
) -> Return:
    """What happened from `start` to `end` inclusive; `councils` are listed even with nothing to count."""
    result = Return({council: Counts() for council in councils})

    def within(day: date | None) -> TypeGuard[date]:
        return day is not None and start <= day <= end

    for case in cases:
        if case.received_on is None:
            continue
        one = Counts(
            requests_received=int(within(case.received_on)),
            assessments_completed=int(within(case.assessment_completed_on)),
            assessments_in_time=int(
                within(case.assessment_completed_on)
                and case.assessment_completed_on <= assessment_due_on(case.received_on, targets)
            ),
            plans_agreed=int(within(case.plan_agreed_on)),
            open_at_end=int(case.received_on <= end and (case.closed_on is None or case.closed_on > end)),
        )
        result.by_council.setdefault(case.council, Counts()).add(one)
        result.total.add(one)
    return result
