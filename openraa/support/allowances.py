"""Adoption allowances: the regular payments a council makes to adoptive families under its own
allowance policy. Pure Python.

They stay with each council, outside the agency's pooled budget: Sefton's 2018 paper (Adoption in
Merseyside) says "Some costs and budgets will remain with each Authority ... and adoption
allowances", that the councils' "Adoption Allowance Policies ... in the first year ... will remain
the responsibility of each authority separately", and that "The existing adoption allowances are not
in scope ... However these are currently overspending by approximately £40,000 p.a.". So each
council keeps its policy, its families' allowances, their payments and annual reviews, and its own
allowance budget; the board sees each council's spend against that budget.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openraa.common.workdays import add_months

ZERO = Decimal("0.00")


def review_due(starts_on: date, last_reviewed_on: date | None, every_months: int) -> date:
    """The next review: `every_months` (the policy's; 12, annual, by default) after the last, or
    after the allowance began."""
    return add_months(last_reviewed_on or starts_on, every_months)


def review_overdue(
    starts_on: date, last_reviewed_on: date | None, every_months: int, today: date, ends_on: date | None = None
) -> bool:
    if ends_on is not None and ends_on < today:
        return False
    return review_due(starts_on, last_reviewed_on, every_months) < today


def receiving_on(starts_on: date, ends_on: date | None, day: date) -> bool:
    return starts_on <= day and (ends_on is None or ends_on >= day)


@dataclass(frozen=True)
class Spend:
    """A council's allowances in a financial year against its allowance budget."""

    budget: Decimal | None
    paid: Decimal

    @property
    def overspend(self) -> Decimal | None:
        """Paid beyond the budget (negative: under it); None without a budget."""
        return None if self.budget is None else self.paid - self.budget


def spend(budget: Decimal | None, payments: Iterable[tuple[date, Decimal]], start: date, end: date) -> Spend:
    paid = sum((amount for day, amount in payments if start <= day <= end), ZERO)
    return Spend(budget, paid)


def payment_problems(
    starts_on: date, ends_on: date | None, paid_on: date, amount: Decimal, today: date
) -> dict[str, str]:
    """What is wrong with a payment, by field: within the allowance's dates, not in the future, more
    than nothing."""
    problems: dict[str, str] = {}
    if amount <= 0:
        problems["amount"] = "Give the amount paid, more than £0"
    if paid_on > today:
        problems["paid_on"] = "A payment is recorded once it is made: give today or an earlier day"
    elif paid_on < starts_on or (ends_on is not None and paid_on > ends_on):
        problems["paid_on"] = "The payment must fall within the allowance's dates"
    return problems
