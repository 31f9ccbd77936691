"""Monthly budget monitoring: actual to date, forecast outturn and variance per budget line, and how
an over- or underspend is shared. Pure Python, no Django.

Forecast outturn: run rate plus commitments.

    forecast = actual to date
             + direct costs' run rate x months still to come
             + staffing recharges' run rate x months not yet recharged
             + commitments (costs committed but not yet charged)

- Direct (non-staff) costs are charged to the budget as they are paid, so their run rate is the
  direct costs to date over the months elapsed.
- Staffing costs are paid by each employing council and recharged quarterly, so they run a quarter
  behind: their run rate is the recharges to date over the months those recharges cover (three per
  quarter recharged), projected over the months not yet recharged.
- Commitments are one-off costs already agreed (a contract, an invoice awaited) that the run rate
  would not foresee.
- Before any evidence the forecast is the budget: in month 0, for a line with nothing at all
  recorded against it, and in months 1 and 2 while the first quarter's recharges cannot have
  arrived, the forecast is the budget (or more if the direct costs and commitments already point
  higher). At the year end (month 12) the outturn is what was spent, even on a line nothing was
  spent on (an interagency budget with no outside placement). From month 3 a line with costs but no recharges is taken to have no staffing.
- Variance = forecast - budget: positive is an overspend, negative an underspend.
- Costs funded by the Adoption Support Fund sit outside the cash-limited budget and are monitored
  against the ASF income instead (they should net to nothing).

Figures are exact until the forecast, which is rounded once, to the penny.

Sharing an over- or underspend. A line held per council is that council's own: its variance is
its alone. The pooled lines' variance is shared by the rule the agency's agreement names: by share
of contribution, by share of activity (a measure the agreement names, counted in the year), or by
the shares a board decision recorded with its date. Shares are split by largest remainder, so they
add up to the variance exactly.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from openraa.finance.money import ZERO, Exact, apportion, to_penny

K = TypeVar("K", bound=Hashable)

SHARE_OF_CONTRIBUTION, SHARE_OF_ACTIVITY, BOARD_DECISION = "contribution", "activity", "board"
SHARING_RULES = {
    SHARE_OF_CONTRIBUTION: "Share of contribution",
    SHARE_OF_ACTIVITY: "Share of activity",
    BOARD_DECISION: "As the board decides (decision recorded with its date)",
}


@dataclass(frozen=True)
class LineActuals:
    budget: Decimal
    direct: Decimal = ZERO  # non-staff costs charged to date
    recharged: Decimal = ZERO  # staffing recharged for the quarters ended by the month
    quarters_recharged: int = 0
    commitments: Decimal = ZERO


@dataclass(frozen=True)
class Forecast:
    budget: Decimal
    actual: Decimal
    forecast: Decimal
    note: str = ""

    @property
    def variance(self) -> Decimal:
        return self.forecast - self.budget

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.actual


def forecast_outturn(line: LineActuals, months_elapsed: int) -> Forecast:
    if not 0 <= months_elapsed <= 12:
        raise ValueError("Months elapsed run from 0 to 12")
    if not 0 <= line.quarters_recharged <= 4:
        raise ValueError("Quarters recharged run from 0 to 4")
    actual = line.direct + line.recharged
    if months_elapsed == 0:
        return Forecast(
            line.budget,
            actual,
            max(line.budget, actual + line.commitments),
            "No month has ended: the forecast is the budget",
        )
    if not (line.direct or line.recharged or line.commitments) and months_elapsed < 12:
        return Forecast(
            line.budget, actual, line.budget, "Nothing recorded against this line yet: the forecast is the budget"
        )
    direct_rate = Fraction(line.direct) / months_elapsed
    projected = Fraction(actual) + direct_rate * (12 - months_elapsed) + Fraction(line.commitments)
    note = ""
    if line.quarters_recharged:
        covered = 3 * line.quarters_recharged
        projected += Fraction(line.recharged) / covered * (12 - covered)
    elif months_elapsed < 3:
        evidence = to_penny(projected)
        return Forecast(
            line.budget,
            actual,
            max(line.budget, evidence),
            "The first quarter's staffing recharges are not due yet: the forecast is the budget",
        )
    elif months_elapsed < 12:
        note = "No staffing recharges recorded: forecast from direct costs only"
    return Forecast(line.budget, actual, to_penny(projected), note)


def share(amount: Decimal, weights: Mapping[K, Exact]) -> dict[K, Decimal]:
    """An over- or underspend split by the rule's weights, adding up to it exactly."""
    if amount == 0:
        return dict.fromkeys(weights, ZERO)
    return apportion(amount, weights)
