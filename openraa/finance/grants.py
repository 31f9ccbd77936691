"""Set-up costs shared for an agency's first years, and the DfE's grants with their conditions and
clawback. Pure Python, no Django.

Set-up costs. AIM's paper (5.2): "additional costs arising as a result of the creation of the new
Agency, the cost of this is £0.155m in total for all four Local Authorities ... Sefton's
contribution is £0.031m ... these additional costs will be need to be met for the first two years
of operation". The cost is kept as a yearly total over its years, with each council's share as the
paper or finance gives it; a share not yet given is shown as unallocated, never guessed (the paper
names only Sefton's). Reading taken: £0.155m is the yearly cost, met in each of the first two years
(the paper says the costs are "met for the first two years"; it prints one figure).

Grants. A grant has an amount, the date it is available until, its conditions and what happens to
it if they are broken (D2N2: "the risk of Government sanctions in relation to financial claw back
of the project funding already received"). Its position on a day:
- conditions recorded as not met: the whole grant is at risk of clawback;
- past the date it is available until: what is unspent is at risk of clawback;
- otherwise in use, nothing at risk.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

from openraa.common.years import FinancialYear
from openraa.finance.money import ZERO, MoneyError, pounds

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class SetUpCost(Generic[K]):
    total_a_year: Decimal
    first_year: int  # FinancialYear.start of the first year of operation
    years: int = 2
    shares: Mapping[K, Decimal] = field(default_factory=dict)  # council -> its share a year

    def __post_init__(self) -> None:
        if isinstance(self.total_a_year, float) or any(isinstance(v, float) for v in self.shares.values()):
            raise MoneyError("Money is never a float")
        if self.total_a_year < 0 or any(v < 0 for v in self.shares.values()):
            raise ValueError("A set-up cost cannot be negative")
        if self.years < 1:
            raise ValueError("A set-up cost is met for at least one year")
        if sum(self.shares.values(), ZERO) > self.total_a_year:
            raise ValueError(
                f"The councils' shares add up to {pounds(sum(self.shares.values(), ZERO))}, "
                f"more than the cost of {pounds(self.total_a_year)} a year"
            )

    @property
    def year_labels(self) -> tuple[str, ...]:
        return tuple(FinancialYear(self.first_year + i).label for i in range(self.years))

    def applies_in(self, year: int) -> bool:
        return self.first_year <= year < self.first_year + self.years

    @property
    def unallocated(self) -> Decimal:
        return self.total_a_year - sum(self.shares.values(), ZERO)

    @property
    def whole(self) -> Decimal:
        return self.total_a_year * self.years

    def for_year(self, year: int) -> dict[K, Decimal]:
        """Each council's share in the year: nothing outside the years the cost is met."""
        return {c: (v if self.applies_in(year) else ZERO) for c, v in self.shares.items()}


IN_USE, UNSPENT_AT_END, CONDITIONS_BROKEN = "in_use", "unspent_at_end", "conditions_broken"


@dataclass(frozen=True)
class GrantPosition:
    spent: Decimal
    unspent: Decimal
    at_risk: Decimal
    status: str
    explanation: str


def grant_position(
    amount: Decimal, spent: Decimal, on: date, available_until: date | None = None, conditions_met: bool | None = None
) -> GrantPosition:
    if isinstance(amount, float) or isinstance(spent, float):
        raise MoneyError("Money is never a float")
    if amount < 0 or spent < 0:
        raise ValueError("A grant and its spending cannot be negative")
    if spent > amount:
        raise ValueError(f"{pounds(spent)} spent is more than the grant of {pounds(amount)}")
    unspent = amount - spent
    if conditions_met is False:
        return GrantPosition(
            spent,
            unspent,
            amount,
            CONDITIONS_BROKEN,
            f"Conditions not met: the whole grant of {pounds(amount)} may be clawed back",
        )
    if available_until is not None and on > available_until:
        if unspent:
            return GrantPosition(
                spent,
                unspent,
                unspent,
                UNSPENT_AT_END,
                f"Available until {available_until:%d/%m/%Y}: {pounds(unspent)} unspent may be clawed back",
            )
        return GrantPosition(spent, ZERO, ZERO, IN_USE, f"Spent in full by {available_until:%d/%m/%Y}")
    until = f" until {available_until:%d/%m/%Y}" if available_until else ""
    return GrantPosition(spent, unspent, ZERO, IN_USE, f"In use{until}: {pounds(unspent)} left")
