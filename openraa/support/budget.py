"""Each council's adoption support budget: what its commissioned services commit and what is left.
Pure Python, Decimal pounds (finance/money.py).

Until commissioning is unified (the Bexley, Kent and Medway arrangement) each council holds its own
support budget and pays only for its own cases: a service funded from a council's budget is always
charged to the case's responsible council, never to the council that recorded it. A service counts
in the financial year (April to March) it starts in.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openraa.common.years import FinancialYear
from openraa.finance.money import ZERO

COUNCIL_BUDGET, SUPPORT_FUND, OTHER = "council_budget", "support_fund", "other"
FUNDERS = {
    COUNCIL_BUDGET: "Council support budget",
    SUPPORT_FUND: "Adoption and Special Guardianship Support Fund",
    OTHER: "Other",
}


@dataclass(frozen=True)
class ServiceCost:
    case_council: Hashable  # the case's responsible council
    funded_by: str
    cost: Decimal
    starts_on: date


@dataclass(frozen=True)
class Position:
    council: Hashable
    budget: Decimal
    committed: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed

    @property
    def overcommitted(self) -> bool:
        return self.committed > self.budget


def committed(year: FinancialYear, services: Iterable[ServiceCost]) -> dict[Hashable, Decimal]:
    """Spend committed on each council's budget in the year, by the case's council."""
    totals: dict[Hashable, Decimal] = {}
    for service in services:
        if service.funded_by == COUNCIL_BUDGET and service.starts_on in year:
            totals[service.case_council] = totals.get(service.case_council, ZERO) + service.cost
    return totals


def positions(
    year: FinancialYear, budgets: Mapping[Hashable, Decimal], services: Iterable[ServiceCost]
) -> list[Position]:
    """One line per council with a budget or a commitment (a commitment without a budget shows the
    council overcommitted rather than hiding the spend)."""
    spent = committed(year, services)
    return [
        Position(council, budgets.get(council, ZERO), spent.get(council, ZERO))
        for council in dict.fromkeys([*budgets, *spent])
    ]
