"""The recruitment report: how the front door's enquiries go on to registrations accepted, Stage 1 and
approval, by where the family heard of us and by each equality monitoring question, with the
sufficiency gaps the waiting children leave beside it. Pure Python: no request, no database.

Every count is suppressed as the board sees it (common/disclosure.py), whoever reads the page:
equality monitoring is kept only for counts, and a count of one family with a given answer would
tell anyone who knows the agency's families that family's answer. All the tables are protected
together: they share their totals, so a small count withheld in one cannot be worked out from
another."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from openraa.common.disclosure import CHILDREN, HOUSEHOLDS, KEY_NOTE, NOBODY, Disclosure, count_text
from openraa.families import front_door

STAGES = (
    ("enquiries", "Enquiries"),
    ("registered", "Registrations accepted"),
    ("stage1", "Stage 1 started"),
    ("approved", "Approved"),
)
NOT_ANSWERED = "not_answered"
SOURCE = "source"
TOTAL = "total"


@dataclass(frozen=True)
class Family:
    """One front-door enquiry as the report counts it: `furthest` is the index in STAGES of the
    furthest stage the family has reached."""

    source: str
    monitoring: Mapping[str, str]
    furthest: int


def furthest_stage(*, registered: bool, stage1: bool, approved: bool) -> int:
    """A family that skipped a stage (a fast-track family goes straight to Stage 2) has passed it:
    each stage counts the families that reached it or any later one, so the funnel never widens."""
    if approved:
        return 3
    if stage1:
        return 2
    return 1 if registered else 0


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    rows: tuple[tuple[str, str], ...]  # (answer, label), every answer a family can be counted under


def breakdowns() -> list[Breakdown]:
    """Where they heard of us, then each monitoring question with "Prefer not to say" and "Not
    answered" as rows of their own."""
    found = [Breakdown(SOURCE, "Where they heard about adopting with us", tuple(front_door.SOURCE_CHOICES))]
    for key, (question, choices) in front_door.MONITORING.items():
        rows = (*choices, (front_door.PREFER_NOT, "Prefer not to say"), (NOT_ANSWERED, "Not answered"))
        found.append(Breakdown(key, question, tuple(rows)))
    return found


def answer(family: Family, breakdown: Breakdown) -> str:
    """The row the family is counted in: an answer no row knows is "Not answered" (a question
    added or changed since), a source no row knows is "Something else"."""
    known = {value for value, _ in breakdown.rows}
    if breakdown.key == SOURCE:
        return family.source if family.source in known else "other"
    value = family.monitoring.get(breakdown.key, NOT_ANSWERED)
    return value if value in known else NOT_ANSWERED


def funnel(families: Iterable[Family], breakdown: Breakdown) -> dict[str, list[int]]:
    """For each row of the breakdown, the families reaching each stage (STAGES' order)."""
    counts = {value: [0] * len(STAGES) for value, _ in breakdown.rows}
    for family in families:
        row = counts[answer(family, breakdown)]
        for stage in range(family.furthest + 1):
            row[stage] += 1
    return counts


def totals(families: Iterable[Family]) -> list[int]:
    counts = [0] * len(STAGES)
    for family in families:
        for stage in range(family.furthest + 1):
            counts[stage] += 1
    return counts


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    rows: tuple[Row, ...]
    total: Row


@dataclass(frozen=True)
class Report:
    tables: tuple[Table, ...]
    disclosure: Disclosure
    note: str = KEY_NOTE


def report(families: Sequence[Family]) -> Report:
    """Every breakdown's funnel as text, suppressed together (primary "<5", secondary "[c]")."""
    disclosure = Disclosure(NOBODY)
    overall = totals(families)
    for stage, n in enumerate(overall):
        disclosure.cell((TOTAL, stage), n, kind=HOUSEHOLDS)
    parts = breakdowns()
    for breakdown in parts:
        counts = funnel(families, breakdown)
        for value, _ in breakdown.rows:
            for stage, n in enumerate(counts[value]):
                disclosure.cell((breakdown.key, value, stage), n, kind=HOUSEHOLDS)
        for stage in range(len(STAGES)):
            disclosure.line([(breakdown.key, value, stage) for value, _ in breakdown.rows], (TOTAL, stage))
    disclosure.resolve()
    total = Row("All enquiries", tuple(disclosure.text((TOTAL, stage)) for stage in range(len(STAGES))))
    tables = tuple(
        Table(
            breakdown.key,
            breakdown.title,
            tuple(
                Row(label, tuple(disclosure.text((breakdown.key, value, stage)) for stage in range(len(STAGES))))
                for value, label in breakdown.rows
            ),
            total,
        )
        for breakdown in parts
    )
    return Report(tables, disclosure)


@dataclass(frozen=True)
class GapRow:
    label: str
    children: str
    approved: str
    in_assessment: str
    none_approved: bool  # no approved household could take a child of this profile


def gap_rows(gaps: Iterable, limit: int = 10) -> list[GapRow]:
    """The largest sufficiency gaps (matching/engine/sufficiency.py's `Gap`, largest first): what
    families the waiting children need. Each count stands alone on the page (no total beside it),
    so "<5" is enough; no ratio is shown, as it would give a suppressed count away."""
    rows = []
    for gap in list(gaps)[:limit]:
        rows.append(
            GapRow(
                gap.label[:1].upper() + gap.label[1:],
                count_text(NOBODY, gap.children, None, CHILDREN),
                count_text(NOBODY, gap.approved, None, HOUSEHOLDS),
                count_text(NOBODY, gap.in_assessment, None, HOUSEHOLDS),
                gap.approved == 0,
            )
        )
    return rows
