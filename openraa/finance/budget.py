"""A year's budget as a table: lines by council, totals the system computes itself, and where a
total a paper printed differs from them. Pure Python, no Django.

A council paper's figures are often rounded (Bexley, Kent and Medway's 2019-20 table is in £000s to
one decimal place, so to £100), and rounded figures do not always add up to the rounded totals
printed beside them. The lines are kept exactly as given; the totals are always computed from the
lines; a stated total is never used in a sum. Each stated total is shown next to the computed one
with the difference, and the difference is marked as "within the paper's rounding" when rounding
each of the figures summed could explain it (half the rounding unit per figure, plus half for the
printed total itself).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict

from openraa.finance.money import ZERO

POOLED, PER_COUNCIL = "pooled", "per_council"
PART_LABELS = {POOLED: "Pooled", PER_COUNCIL: "Held per council"}


@dataclass(frozen=True)
class Line:
    name: str
    part: str
    amounts: Mapping[str, Decimal]  # council -> contribution; a council left out contributes nothing


@dataclass(frozen=True)
class Stated:
    """A total a paper printed. line None = a council's total; council None = a line's total; both
    None = the grand total."""

    line: str | None
    council: str | None
    amount: Decimal
    rounded_to: Decimal | None = None
    source: str = ""


@dataclass(frozen=True)
class Total:
    computed: Decimal
    stated: Decimal | None = None
    terms: int = 0
    rounded_to: Decimal | None = None
    source: str = ""

    @property
    def difference(self) -> Decimal | None:
        """Computed minus stated: negative when the paper printed more than its figures add up to."""
        return None if self.stated is None else self.computed - self.stated

    @property
    def differs(self) -> bool:
        return self.difference is not None and self.difference != 0

    @property
    def within_rounding(self) -> bool:
        difference = self.difference
        if difference is None or difference == 0 or not self.rounded_to:
            return False
        return abs(difference) <= self.rounded_to * (self.terms + 1) / 2


class TotalDict(TypedDict):
    computed: str
    stated: str | None
    difference: str | None
    within_rounding: bool


class LineDict(TypedDict):
    name: str
    part: str
    contributions: dict[str, str]
    total: TotalDict


class DifferenceDict(TotalDict):
    what: str


class TableDict(TypedDict):
    """`Table.as_dict`: the table as JSON, amounts as strings."""

    councils: list[str]
    lines: list[LineDict]
    council_totals: dict[str, TotalDict]
    part_totals: dict[str, str]
    total: TotalDict
    differences: list[DifferenceDict]


@dataclass(frozen=True)
class Row:
    name: str
    part: str
    amounts: tuple[Decimal, ...]
    total: Total

    @property
    def part_label(self) -> str:
        return PART_LABELS.get(self.part, self.part)


@dataclass(frozen=True)
class Difference:
    label: str
    total: Total


@dataclass(frozen=True)
class Table:
    councils: tuple[str, ...]
    rows: tuple[Row, ...]
    council_totals: tuple[Total, ...]
    grand_total: Total
    part_totals: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def differences(self) -> list[Difference]:
        found = [Difference(f"{row.name} (all councils)", row.total) for row in self.rows if row.total.differs]
        found += [
            Difference(f"{c} (all lines)", t)
            for c, t in zip(self.councils, self.council_totals, strict=True)
            if t.differs
        ]
        if self.grand_total.differs:
            found.append(Difference("Total budget", self.grand_total))
        return found

    def as_dict(self) -> TableDict:
        def total(t: Total) -> TotalDict:
            return {
                "computed": str(t.computed),
                "stated": None if t.stated is None else str(t.stated),
                "difference": None if t.difference is None else str(t.difference),
                "within_rounding": t.within_rounding,
            }

        return {
            "councils": list(self.councils),
            "lines": [
                {
                    "name": r.name,
                    "part": r.part,
                    "contributions": {c: str(a) for c, a in zip(self.councils, r.amounts, strict=True)},
                    "total": total(r.total),
                }
                for r in self.rows
            ],
            "council_totals": {c: total(t) for c, t in zip(self.councils, self.council_totals, strict=True)},
            "part_totals": {p: str(a) for p, a in self.part_totals.items()},
            "total": total(self.grand_total),
            "differences": [{"what": d.label, **total(d.total)} for d in self.differences],
        }


def tabulate(councils: Sequence[str], lines: Sequence[Line], stated: Sequence[Stated] = ()) -> Table:
    by_key = {(s.line, s.council): s for s in stated}

    def total(computed: Decimal, terms: int, line: str | None, council: str | None) -> Total:
        s = by_key.get((line, council))
        if s is None:
            return Total(computed, terms=terms)
        return Total(computed, s.amount, terms, s.rounded_to, s.source)

    rows = []
    for line in lines:
        amounts = tuple(line.amounts.get(c, ZERO) for c in councils)
        given = sum(1 for c in councils if c in line.amounts)
        rows.append(Row(line.name, line.part, amounts, total(sum(amounts, ZERO), given, line.name, None)))
    council_totals = tuple(
        total(sum((r.amounts[i] for r in rows), ZERO), sum(1 for line in lines if c in line.amounts), None, c)
        for i, c in enumerate(councils)
    )
    grand = sum((r.total.computed for r in rows), ZERO)
    terms = sum(len(line.amounts) for line in lines)
    parts: dict[str, Decimal] = {}
    for row in rows:
        parts[row.part] = parts.get(row.part, ZERO) + row.total.computed
    return Table(tuple(councils), tuple(rows), council_totals, total(grand, terms, None, None), parts)
