"""A year's contributions rolled forward from the year before, plus the pay award. Pure Python, no
Django.

Kent's paper (10 January 2020, 4.1): "each LA will contribute it's 2019-20 adoption budget plus
additional budget for the 2020-21 pay award". So a council's contribution to a line in the new year
is its contribution to the same line in the base year plus its share of its pay award:

- the award is given per council and per year, as a percentage of the council's base or as an
  amount in pounds (finance enters it: the paper gives no rate);
- a percentage is turned into pounds once, on the council's whole base, rounded to the penny;
- the council's award is split between its lines in proportion to its base on each (largest
  remainder, so the parts add up to the award exactly);
- a council with no award recorded gets none (said so in the notes, never guessed).

Lines the base year does not have (Kent's interagency budget, transferred in year 1) are not rolled
forward: finance enters them in the new year.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

from openraa.finance.money import ZERO, MoneyError, apportion, percent, pounds, to_penny

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Award:
    """A council's pay award for a year: a percentage of its base, or an amount. Exactly one."""

    percent: Decimal | None = None
    amount: Decimal | None = None

    def __post_init__(self) -> None:
        if (self.percent is None) == (self.amount is None):
            raise ValueError("Give the pay award as a percentage or as an amount, not both")
        for value in (self.percent, self.amount):
            if isinstance(value, float):
                raise MoneyError("Money is never a float")
            if value is not None and value < 0:
                raise ValueError("A pay award cannot be negative")

    def on(self, base: Decimal) -> Decimal:
        """The award in pounds on a council's whole base."""
        if self.amount is not None:
            return self.amount
        if self.percent is None:
            raise ValueError("A pay award is a percentage or an amount")
        return to_penny(base * self.percent / 100)

    def describe(self) -> str:
        if self.amount is not None:
            return pounds(self.amount)
        if self.percent is None:
            raise ValueError("A pay award is a percentage or an amount")
        return percent(Decimal(self.percent) / 100, 2)


@dataclass(frozen=True)
class Line(Generic[K]):
    name: str
    part: str
    base: Mapping[K, Decimal]  # council -> its contribution in the base year


@dataclass(frozen=True)
class Rolled(Generic[K]):
    name: str
    part: str
    base: Mapping[K, Decimal]
    award: Mapping[K, Decimal]

    @property
    def amounts(self) -> dict[K, Decimal]:
        return {c: self.base[c] + self.award[c] for c in self.base}


@dataclass(frozen=True)
class RollForward(Generic[K]):
    lines: tuple[Rolled[K], ...]
    awards: Mapping[K, Decimal]  # council -> its whole award in pounds
    notes: tuple[str, ...] = field(default=())

    def base_total(self, council: K) -> Decimal:
        return sum((line.base.get(council, ZERO) for line in self.lines), ZERO)

    def total(self, council: K) -> Decimal:
        return self.base_total(council) + self.awards.get(council, ZERO)


def roll_forward(
    lines: Sequence[Line[K]], awards: Mapping[K, Award], names: Mapping[K, str] | None = None
) -> RollForward[K]:
    councils: list[K] = []
    for line in lines:
        for council, amount in line.base.items():
            if isinstance(amount, float):
                raise MoneyError("Money is never a float")
            if council not in councils:
                councils.append(council)
    notes = []
    whole: dict[K, Decimal] = {}
    split: dict[K, dict[int, Decimal]] = {}
    for council in councils:
        bases = {i: line.base[council] for i, line in enumerate(lines) if council in line.base}
        base_total = sum(bases.values(), ZERO)
        award = awards.get(council)
        if award is None:
            notes.append(f"No pay award recorded for {(names or {}).get(council, council)}: none added")
            whole[council] = ZERO
        else:
            whole[council] = award.on(base_total)
        if whole[council] and base_total > 0:
            split[council] = apportion(whole[council], bases)
        elif whole[council]:
            # Nothing to weigh the award by: it goes on the council's first line.
            split[council] = {i: (whole[council] if n == 0 else ZERO) for n, i in enumerate(bases)}
        else:
            split[council] = dict.fromkeys(bases, ZERO)
    rolled = tuple(
        Rolled(line.name, line.part, dict(line.base), {c: split[c][i] for c in line.base})
        for i, line in enumerate(lines)
    )
    return RollForward(rolled, whole, tuple(notes))
