"""The demand-led funding formula: next year's contributions from each council's own activity.
Pure Python, no Django; it takes plain numbers (selectors.activity reads them from the record).

The method, step by step (every step exact; rounding once, at the end):

1. Activity. For each council and each measure the agency weights (placement orders, adoption
   orders, children referred for family finding, households approved; for a permanence
   partnership also long-term fostering, connected persons and special guardianship plans agreed
   and carers approved), the count in each of the
   `years_averaged` financial years before the budget year, averaged. A child counts only for its
   responsible council and a household only for its home council, so no council is charged for
   another council's children.
2. Shares. For each weighted measure, a council's share is its average over the sum of all
   councils' averages. A measure nobody recorded in those years is left out (and said so). The
   council's formula share is the weighted mean of its measure shares.
3. Formula amount = budget x formula share.
4. Transition from historic budgets. In the transition years the contribution is a blend:
   (1 - t) x the council's historic share of the budget + t x its formula amount, where t goes
   1/n, 2/n, ... 1 over the n transition years from the first transition year.
5. Cap. With a cap of c (say 10%), no council's contribution moves by more than c from what it
   paid last year, scaled by the change in the whole budget (so that the capped contributions can
   still add up to the budget when the budget itself grows or shrinks). Councils held at a limit
   stay there; the others share the rest by moving together in proportion to last year's
   contributions (the one shift that makes the total exact).
6. Rounding, once: the exact amounts are turned into pennies by largest remainder, so the
   contributions add up to the budget to the penny.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Generic, TypeVar

from openraa.common.years import FinancialYear
from openraa.finance.money import Exact, MoneyError, apportion, exact, percent

K = TypeVar("K", bound=Hashable)

MEASURES: dict[str, str] = {
    "placement_orders": "Placement orders",
    "adoption_orders": "Adoption orders",
    "children_referred": "Children referred for family finding",
    "households_approved": "Households approved",
    # A permanence partnership (North Midlands) shares more than adoption: long-term fostering,
    # connected persons and special guardianship. Each plan counts for the child's responsible
    # council, in the year the plan was agreed; each carer for the council where they live.
    "fostering_plans": "Children with a long-term fostering plan agreed",
    "connected_persons_plans": "Children with a connected persons plan agreed",
    "special_guardianship_plans": "Children with a special guardianship plan agreed",
    "carers_approved": "Foster carers, connected persons and special guardians approved",
}
# Measures that count households (the rest count children): a council's count is of the
# households living in it, never of another council's children.
HOUSEHOLD_MEASURES = frozenset({"households_approved", "carers_approved"})

# year (FinancialYear.start, the April it starts) -> council -> measure -> count
Activity = Mapping[int, Mapping[K, Mapping[str, int]]]


@dataclass(frozen=True)
class Formula:
    name: str
    weights: Mapping[str, Exact]
    years_averaged: int = 3
    cap: Exact | None = None  # largest change from last year's contribution, as a fraction (0.1 = 10%)
    transition_first_year: int | None = None
    transition_years: int = 1

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(MEASURES)
        if unknown:
            raise ValueError(f"Unknown measure: {', '.join(sorted(unknown))}")
        if any(exact(w) < 0 for w in self.weights.values()):
            raise ValueError("A weight cannot be negative")
        if not any(exact(w) > 0 for w in self.weights.values()):
            raise ValueError("Weight at least one measure")
        if self.years_averaged < 1:
            raise ValueError("Average over at least one year")
        if self.cap is not None and not 0 <= exact(self.cap) < 1:
            raise ValueError("The cap is a fraction from 0 up to (not including) 1")
        if self.transition_years < 1:
            raise ValueError("The transition lasts at least one year")

    def transition(self, year: int) -> Fraction:
        """How much of the formula applies in the year (the rest is the historic budget)."""
        if self.transition_first_year is None:
            return Fraction(1)
        if year < self.transition_first_year:
            return Fraction(0)
        return min(Fraction(1), Fraction(year - self.transition_first_year + 1, self.transition_years))

    def activity_years(self, year: int) -> tuple[int, ...]:
        return tuple(range(year - self.years_averaged, year))

    def describe(self) -> str:
        weighted = [(MEASURES[m], exact(w)) for m, w in self.weights.items() if exact(w) > 0]
        total = sum(w for _, w in weighted)
        parts = ", ".join(f"{label} {percent(w / total, 0)}" for label, w in weighted)
        text = f"{parts}; averaged over {self.years_averaged} year{'s' if self.years_averaged != 1 else ''}"
        if self.cap is not None:
            text += f"; change capped at {percent(exact(self.cap), 0)} a year"
        if self.transition_first_year is not None:
            text += (
                f"; moving from historic budgets over {self.transition_years} year"
                f"{'s' if self.transition_years != 1 else ''} from {FinancialYear(self.transition_first_year).label}"
            )
        return text


@dataclass(frozen=True)
class CouncilAmount(Generic[K]):
    council: K
    averages: Mapping[str, Fraction]
    share: Fraction
    formula_amount: Fraction
    historic_amount: Fraction | None
    blended: Fraction
    capped: Fraction
    amount: Decimal
    held_at: str = ""  # "floor" or "ceiling" when the cap held the council there


@dataclass(frozen=True)
class Result(Generic[K]):
    formula: Formula
    year: int
    budget: Decimal
    years: tuple[int, ...]
    transition: Fraction
    rows: tuple[CouncilAmount[K], ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def year_labels(self) -> tuple[str, ...]:
        return tuple(FinancialYear(y).label for y in self.years)

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.rows), Decimal("0.00"))

    def amounts(self) -> dict[K, Decimal]:
        return {r.council: r.amount for r in self.rows}


def contributions(
    formula: Formula,
    budget: Decimal,
    councils: Sequence[K],
    activity: Activity[K],
    year: int,
    historic: Mapping[K, Decimal] | None = None,
    previous: Mapping[K, Decimal] | None = None,
) -> Result[K]:
    """Each council's contribution to `budget` in `year` (see the module's description)."""
    if isinstance(budget, float):
        raise MoneyError("Money is never a float")
    if budget < 0:
        raise ValueError("The budget cannot be negative")
    if not councils:
        raise ValueError("No councils to share the budget between")
    notes: list[str] = []
    years = formula.activity_years(year)
    averages = {
        c: {
            m: Fraction(sum(int(activity.get(y, {}).get(c, {}).get(m, 0)) for y in years), len(years))
            for m in formula.weights
        }
        for c in councils
    }
    weights = {m: exact(w) for m, w in formula.weights.items() if exact(w) > 0}
    totals = {m: sum((averages[c][m] for c in councils), Fraction(0)) for m in weights}
    for m in [m for m, t in totals.items() if t == 0]:
        notes.append(f"No {MEASURES[m].lower()} recorded in {_span(years)}: left out of the formula")
        del weights[m]
    whole = Fraction(budget)
    historic_shares = _shares(historic, councils)

    if weights:
        weight_sum = sum(weights.values())
        shares = {
            c: sum((w * averages[c][m] / totals[m] for m, w in weights.items()), Fraction(0)) / weight_sum
            for c in councils
        }
    elif historic_shares:
        notes.append("No activity at all to share by: historic shares used")
        shares = historic_shares
    else:
        notes.append("No activity at all and no historic budgets: shared equally")
        shares = {c: Fraction(1, len(councils)) for c in councils}
    targets = {c: whole * shares[c] for c in councils}

    t = formula.transition(year)
    if t < 1 and not historic_shares:
        notes.append("No historic budgets to move from: the formula applies in full")
        t = Fraction(1)
    historic_amounts = {c: whole * historic_shares[c] for c in councils} if historic_shares else None
    blended = (
        {c: (1 - t) * historic_amounts[c] + t * targets[c] for c in councils}
        if t < 1 and historic_amounts is not None
        else dict(targets)
    )

    capped, held = dict(blended), dict[K, str]()
    if formula.cap is not None:
        previous_total = sum((exact(previous.get(c, 0)) for c in councils), Fraction(0)) if previous else 0
        if not previous or any(exact(previous.get(c, 0)) <= 0 for c in councils):
            notes.append("The cap needs last year's contribution from every council: not applied")
        elif whole > 0:
            bases = {c: exact(previous[c]) * whole / previous_total for c in councils}
            capped, held = _cap(blended, bases, exact(formula.cap), whole)

    final = {c: Decimal("0.00") for c in councils} if whole == 0 else apportion(budget, capped)
    rows = tuple(
        CouncilAmount(
            c,
            averages[c],
            shares[c],
            targets[c],
            historic_amounts[c] if historic_amounts else None,
            blended[c],
            capped[c],
            final[c],
            held.get(c, ""),
        )
        for c in councils
    )
    return Result(formula, year, budget, years, t, rows, tuple(notes))


def _shares(amounts: Mapping[K, Decimal] | None, councils: Sequence[K]) -> dict[K, Fraction] | None:
    if not amounts:
        return None
    values = {c: exact(amounts.get(c, 0)) for c in councils}
    total = sum(values.values(), Fraction(0))
    if total <= 0:
        return None
    return {c: v / total for c, v in values.items()}


def _cap(
    targets: dict[K, Fraction], bases: dict[K, Fraction], cap: Fraction, budget: Fraction
) -> tuple[dict[K, Fraction], dict[K, str]]:
    """Clamp each amount to base x (1 +- cap) and shift the rest together, in proportion to the
    bases, until the total is the budget again. Solved exactly: the total is a non-decreasing,
    piecewise linear function of the shift, so the answer lies between two of its breakpoints."""
    lower = {c: b * (1 - cap) for c, b in bases.items()}
    upper = {c: b * (1 + cap) for c, b in bases.items()}

    def at(shift: Fraction) -> dict[K, Fraction]:
        return {c: min(max(targets[c] + shift * bases[c], lower[c]), upper[c]) for c in targets}

    def total(shift: Fraction) -> Fraction:
        return sum(at(shift).values(), Fraction(0))

    points = sorted(
        {(lower[c] - targets[c]) / bases[c] for c in targets}
        | {(upper[c] - targets[c]) / bases[c] for c in targets}
        | {Fraction(0)}
    )
    shift = points[-1]
    previous_point = None
    for point in points:
        value = total(point)
        if value >= budget:
            if previous_point is None or value == budget:
                shift = point
            else:
                low = total(previous_point)
                shift = previous_point + (budget - low) * (point - previous_point) / (value - low)
            break
        previous_point = point
    amounts = at(shift)
    held = {
        c: "floor"
        if amounts[c] == lower[c] and targets[c] + shift * bases[c] < lower[c]
        else "ceiling"
        if amounts[c] == upper[c] and targets[c] + shift * bases[c] > upper[c]
        else ""
        for c in amounts
    }
    return amounts, {c: h for c, h in held.items() if h}


def _span(years: tuple[int, ...]) -> str:
    first, last = FinancialYear(years[0]), FinancialYear(years[-1])
    return first.label if first == last else f"{first.label} to {last.label}"
