"""The counts tab of the quarterly data collection: the aggregate sections beside the child-level
and adopter-level files, one column per council and a total, small numbers suppressed by
common/disclosure.py for a reader who may not see a section's records in full. Pure Python.

The collection's own guidance (Adoption Leadership Board quarterly data collection, later ASGLB and
Coram-i) lists beside the "Adoptions" and "Adopters" tabs aggregate returns on special guardianship
orders, adoption support, and complaints; its item-level field list for these is not published
where we could read it, so the items follow /work/shared/domain.md (the scorecard's activity
counts, A10 in place of A1 since Q1 2021-22, enquiries and approvals, disruptions) and what the
record holds for each section.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from openraa.common.disclosure import CHILDREN, WITHHELD, Disclosure, Viewer


@dataclass(frozen=True)
class Item:
    section: str
    label: str
    kind: str = CHILDREN  # whose records the count is of (children or households)
    average: bool = False  # an average of days over `counts`, shown only when their count is shown


@dataclass(frozen=True)
class Figure:
    item: Item
    counts: Mapping[str, int]  # council code -> count (for an average: the children behind it)
    days: Mapping[str, int] | None = None  # council code -> days summed (averages only)


def table(figures: Sequence[Figure], councils: Sequence[str], viewers: Mapping[str, Viewer]) -> list[list]:
    """One row per figure: section, item, each council's cell, the total (a number, or the mark of
    a suppressed one; an average with no child behind it is empty). Each section is protected
    on its own (its readers may differ); a section with no viewer given is shown as to the board."""
    rows: list[list] = []
    sections: dict[str, Disclosure] = {}
    for section in dict.fromkeys(f.item.section for f in figures):
        d = Disclosure(viewers.get(section, True))
        for i, f in enumerate(x for x in figures if x.item.section == section):
            keys = [d.cell((i, code), f.counts.get(code, 0), council=code, kind=f.item.kind) for code in councils]
            d.line(keys, d.cell((i, None), sum(f.counts.get(code, 0) for code in councils), kind=f.item.kind))
        sections[section] = d.resolve()
    index: dict[str, int] = {}
    for f in figures:
        d = sections[f.item.section]
        i = index.setdefault(f.item.section, 0)
        index[f.item.section] += 1
        cells = []
        for code in (*councils, None):
            if f.item.average:
                cells.append(_average(d, (i, code), f, code, councils))
            else:
                value = d.value((i, code))
                cells.append(d.text((i, code)) if value is None else value)
        rows.append([f.item.section, f.item.label, *cells])
    return rows


def _average(d: Disclosure, key, f: Figure, code: str | None, councils: Iterable[str]) -> int | str:
    n = d.value(key)
    if n is None:
        return WITHHELD
    if n == 0:
        return ""
    days = f.days or {}
    total = days.get(code, 0) if code is not None else sum(days.get(c, 0) for c in councils)
    return round(total / n)
