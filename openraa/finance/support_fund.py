"""The Adoption and Special Guardianship Support Fund's fair-access limit, per child per financial
year. Pure Python, no Django.

The limits are dated data (fixtures/fair_access_limits.json), never constants here:
- from 1 April 2025: £3,000 per child per year, specialist assessments (up to £2,500) within it, no
  match funding, the work done inside the financial year;
- before then: £5,000 for therapy plus £2,500 for specialist assessment, each its own limit.

An application is checked against the limit in force on the day it is made, counting the child's
earlier applications in the same financial year (April to March). One over the limit is refused
with the reason and what is left; nothing is refused quietly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from openraa.common.years import FinancialYear
from openraa.finance.money import ZERO, pounds

THERAPY, ASSESSMENT = "therapy", "assessment"
KINDS = {THERAPY: "Therapy and other support", ASSESSMENT: "Specialist assessment"}


class NoLimit(ValueError):
    pass


@dataclass(frozen=True)
class Limit:
    effective_from: date
    assessment: Decimal
    total: Decimal | None = None  # one limit for everything, assessments within it
    therapy: Decimal | None = None  # or a separate limit for therapy
    source: str = ""

    def describe(self) -> str:
        since = f"from {self.effective_from.day} {self.effective_from:%B %Y}"
        if self.total is not None:
            return (
                f"{pounds(self.total)} per child per year, specialist assessments up to "
                f"{pounds(self.assessment)} within it ({since})"
            )
        return f"{pounds(self.therapy)} for therapy and {pounds(self.assessment)} for specialist assessment per child per year ({since})"


@dataclass(frozen=True)
class Application:
    kind: str
    amount: Decimal
    applied_on: date


@dataclass(frozen=True)
class Decision:
    accepted: bool
    limit: Limit | None
    year: FinancialYear
    errors: tuple[str, ...] = field(default=())
    left_total: Decimal | None = None
    left_assessment: Decimal | None = None
    left_therapy: Decimal | None = None


def limit_for(limits: Iterable[Limit], on: date) -> Limit:
    in_force = [limit for limit in limits if limit.effective_from <= on]
    if not in_force:
        raise NoLimit(f"No fair-access limit is recorded for {on:%d/%m/%Y}")
    return max(in_force, key=lambda limit: limit.effective_from)


def check(
    application: Application, earlier: Iterable[Application], limits: Iterable[Limit], child: str = "this child"
) -> Decision:
    year = FinancialYear.containing(application.applied_on)
    if application.kind not in KINDS:
        return Decision(False, None, year, ("Choose what the application is for",))
    if application.amount <= 0:
        return Decision(False, None, year, ("Enter an amount more than £0.00",))
    try:
        limit = limit_for(limits, application.applied_on)
    except NoLimit as error:
        return Decision(False, None, year, (str(error),))
    same_year = [a for a in earlier if a.applied_on in year]
    used_assessment = sum((a.amount for a in same_year if a.kind == ASSESSMENT), ZERO)
    used_therapy = sum((a.amount for a in same_year if a.kind == THERAPY), ZERO)
    used_total = used_assessment + used_therapy
    amount, fy = application.amount, year.label
    errors = []
    if application.kind == ASSESSMENT and used_assessment + amount > limit.assessment:
        errors.append(
            f"Refused: {pounds(amount)} for a specialist assessment would bring {child}'s assessments in {fy} to "
            f"{pounds(used_assessment + amount)}, over the limit of {pounds(limit.assessment)}. "
            f"{pounds(max(limit.assessment - used_assessment, ZERO))} is left for assessments this year."
        )
    if limit.total is not None and used_total + amount > limit.total:
        errors.append(
            f"Refused: {pounds(amount)} would bring {child}'s applications in {fy} to {pounds(used_total + amount)}, "
            f"over the fair-access limit of {pounds(limit.total)} per child per year (specialist assessments "
            f"count within it; there is no match funding). {pounds(max(limit.total - used_total, ZERO))} is left "
            f"for this child this year."
        )
    if limit.total is None and application.kind == THERAPY and used_therapy + amount > (limit.therapy or ZERO):
        errors.append(
            f"Refused: {pounds(amount)} for therapy would bring {child}'s therapy in {fy} to "
            f"{pounds(used_therapy + amount)}, over the fair-access limit of {pounds(limit.therapy or ZERO)}. "
            f"{pounds(max((limit.therapy or ZERO) - used_therapy, ZERO))} is left for therapy this year."
        )
    accepted = not errors
    after_total = used_total + (amount if accepted else ZERO)
    after_assessment = used_assessment + (amount if accepted and application.kind == ASSESSMENT else ZERO)
    after_therapy = used_therapy + (amount if accepted and application.kind == THERAPY else ZERO)
    return Decision(
        accepted,
        limit,
        year,
        tuple(errors),
        left_total=None if limit.total is None else limit.total - after_total,
        left_assessment=(
            limit.assessment - after_assessment
            if limit.total is None
            else min(limit.assessment - after_assessment, limit.total - after_total)
        ),
        left_therapy=None if limit.therapy is None else limit.therapy - after_therapy,
    )
