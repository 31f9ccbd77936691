"""Quarterly staffing recharges from a CSV file: each row checked on its own and refused with its
reasons. Pure Python, no Django (services.import_recharges writes the rows that pass).

The file has a header row and one row per council and quarter:

    council,quarter,amount[,line]
    E09000004,1,"98,250.00"
    E10000016,Q1,512000
    E06000035,2019-20 Q1,£120,500.50

- council: the employing council's ONS code; it must be a member of the agency.
- quarter: 1 to 4 (Q1 is April to June), "Q1", or with its year ("2019-20 Q1"), which must be the
  year being imported; or a date within the year (the quarter it falls in).
- amount: pounds and pence (commas and a £ sign are fine); never negative (a recharge is a cost a
  council has paid), never more than two decimal places (nothing is rounded silently).
- line (optional): the budget line the staffing is charged to; the first pooled line when left out.
- one recharge per council, quarter and line: a second one (in the file or already recorded) is
  refused, so a file imported twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openraa.common import parsing, years
from openraa.common.years import FinancialYear
from openraa.finance.money import MoneyError, money

COLUMNS = {
    "council": ("council", "ons_code", "ons code", "ons", "council ons code", "employing council"),
    "quarter": ("quarter", "q", "period"),
    "amount": ("amount", "amount (£)", "amount £", "£", "cost", "pounds"),
    "line": ("line", "budget line"),
}
REQUIRED = ("council", "quarter", "amount")


@dataclass(frozen=True)
class Row:
    row: int
    council: str
    quarter: int
    amount: Decimal
    line: str


@dataclass(frozen=True)
class Refused:
    row: int
    values: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass
class Parsed:
    accepted: list[Row] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def check(
    rows: Sequence[Sequence[str]],
    year: FinancialYear,
    councils: Mapping[str, str],
    lines: Sequence[str],
    already: Iterable[tuple[str, int, str]] = (),
) -> Parsed:
    """`councils`: ONS code -> name of the agency's members; `lines`: the year's budget line names,
    the default first; `already`: (ONS code, quarter, line) recharges recorded before."""
    result = Parsed()
    if not rows:
        result.refused.append(Refused(1, (), ("The file is empty: give a header row and a row per recharge",)))
        return result
    header = [cell.strip().lower() for cell in rows[0]]
    columns: dict[str, int] = {}
    for name, aliases in COLUMNS.items():
        for i, cell in enumerate(header):
            if cell in aliases:
                columns.setdefault(name, i)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        result.refused.append(
            Refused(
                1,
                tuple(rows[0]),
                (f"The header row needs the columns council, quarter and amount (missing: {', '.join(missing)})",),
            )
        )
        return result
    seen = set(already)
    line_names = {name.strip().lower(): name for name in lines}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = tuple(cells)

        def cell(name: str) -> str:
            i = columns.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        reasons = []
        code = cell("council").upper()
        if not code:
            reasons.append("No council: give the employing council's ONS code")
        elif code not in councils:
            reasons.append(f"Unknown council {code}: not a member of the agency")
        quarter, problem = parse_quarter(cell("quarter"), year)
        if problem:
            reasons.append(problem)
        amount = None
        try:
            amount = money(cell("amount"))
        except MoneyError as error:
            reasons.append("No amount: give pounds and pence" if not cell("amount") else f"Amount {error}")
        else:
            if amount < 0:
                reasons.append(f"Negative amount {cell('amount')}: a recharge is a cost the council has paid")
        line = lines[0] if lines else ""
        if cell("line"):
            line = line_names.get(cell("line").lower(), "")
            if not line:
                reasons.append(f"Unknown budget line {cell('line')!r} in {year.label}")
        elif not lines:
            reasons.append(f"{year.label} has no budget line to charge staffing to")
        if not reasons:
            key = (code, quarter, line)
            if key in seen:
                reasons.append(
                    f"{councils[code]}'s recharge for Q{quarter} {year.label} ({line}) is already "
                    "recorded: correct the recorded one instead"
                )
            else:
                seen.add(key)
        if reasons:
            result.refused.append(Refused(number, values, tuple(reasons)))
        else:
            result.accepted.append(Row(number, code, quarter, amount, line))
    return result


def parse_quarter(text: str, year: FinancialYear) -> tuple[int | None, str]:
    """(quarter, "") or (None, the reason it is refused)."""
    fy = year.label
    if not text:
        return None, "No quarter: give 1 to 4"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        day = parsing.iso_date(text)
        if day is None:
            return None, f"{text} is not a real date"
        if day not in year:
            return None, f"{day:%d/%m/%Y} is outside the financial year {fy}"
        return years.quarter_of(day), ""
    match = re.fullmatch(
        r"(?i)\s*(?:(\d{4}\s*[-/]\s*\d{2,4})\s+)?q?\s*(-?\d{1,4})\s*(?:(\d{4}\s*[-/]\s*\d{2,4}))?\s*", text, re.ASCII
    )
    if not match:
        return None, f"Quarter {text!r} is not a quarter: give 1 to 4"
    named = match.group(1) or match.group(3)
    if named:
        named_year = years.parse(named)
        if named_year is None:
            return None, f"{named} is not a financial year"
        if named_year != year:
            return None, f"Quarter {text} is outside the financial year {fy}"
    quarter = int(match.group(2))
    if not 1 <= quarter <= 4:
        return None, f"Quarter {quarter} is outside the financial year {fy}: give 1 to 4 (Q1 is April to June)"
    return quarter, ""
