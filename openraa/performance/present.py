"""The scorecard and the board's figures as tables, charts and one plain-data structure, the same for
every output: the pages, the board pack's PDF and XLSX, the API and the console. Pure Python.

One `ScorecardOutput` or `BoardOutput` registers every count it shows (and the counts its totals
are made of) with one `Disclosure`, so that small numbers are suppressed consistently across all
the tables and charts of that page or file when it is shown to someone who may not see records.
Where a table withholds a figure, it says why in words, once, and gives the nearest figure that
can be shown instead (all councils together's, else the 3 years together's): `Table.suppression`.
`as_dict` is the one plain-data form: the API's answer and `openraa scorecard --json`;
`SCORECARD_SCHEMA` describes it in the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from openraa.common.disclosure import CHILDREN, HOUSEHOLDS, KEY_NOTE, LOW, SMALL, WITHHELD, Disclosure, Viewer
from openraa.performance import charts
from openraa.performance.scorecard import (
    AGENCY,
    AGENCY_NAME,
    BREAKDOWNS,
    FLOWS,
    HARD_TO_PLACE,
    HARD_TO_PLACE_ANY,
    INDICATOR_LABELS,
    NESTED_FLOWS,
    NESTED_STOCKS,
    STOCKS,
    WAIT_BANDS,
    BoardFigures,
    GroupFigures,
    Indicator,
    PeriodFigures,
    Scorecard,
    Share,
    Timeliness,
    activity_labels,
    quarter_of,
)

NO_CHILDREN = "–"
MARKS = (LOW, WITHHELD)


@dataclass
class Cell:
    text: str
    value: float | int | None = None  # the number behind the text, None when withheld or empty
    numeric: bool = True
    tag: str = ""  # "met" / "missed" for a threshold

    @property
    def withheld(self) -> bool:
        return self.text in MARKS


@dataclass
class Row:
    header: str
    cells: list[Cell]
    total: bool = False
    stock: bool = False  # counted on a day (not over a period): the 3 years give no nearer figure


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]  # the first names the row headers
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    suppression: str = ""  # why figures are withheld, and the nearest that can be shown
    period_label: str = ""  # the period the table covers, when it covers one

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "caption": self.caption,
            "columns": self.columns,
            "rows": [{"header": r.header, "total": r.total, "cells": [c.text for c in r.cells]} for r in self.rows],
            "notes": self.notes,
            "suppression": self.suppression,
        }


def _days(ind: Indicator, withheld: bool) -> Cell:
    if withheld:
        return Cell(WITHHELD)
    if ind.rounded is None:
        return Cell(NO_CHILDREN)
    return Cell(f"{ind.rounded:,}", ind.rounded)


def _count(d: Disclosure, key) -> Cell:
    return Cell(d.text(key), d.value(key))


def _percent(share: Share, withheld: bool) -> Cell:
    """A percentage is shown only when both counts behind it are: else it would give them away."""
    if withheld:
        return Cell(WITHHELD)
    if share.rounded is None:
        return Cell(NO_CHILDREN)
    return Cell(f"{share.rounded}%", share.rounded)


def _status(ind: Indicator, threshold: int, withheld: bool) -> Cell:
    if withheld:
        return Cell(WITHHELD, numeric=False)
    met = ind.meets(threshold)
    if met is None:
        return Cell(NO_CHILDREN, numeric=False)
    return Cell("Yes" if met else "No", numeric=False, tag="met" if met else "missed")


def _t(count: str, code: str, label: str) -> tuple:
    return ("t", count, code, label)


def _b(count: str, code: str, dimension: str, category: str, window: str) -> tuple:
    return ("b", count, code, dimension, category, window)


def _count_of(indicator: str) -> str:
    """A10 counts exactly A1's children, so the two share their counts."""
    return "a2" if indicator == "a2" else "a1"


HOUSEHOLD_MEASURES = frozenset(
    {
        "enquiries",
        "approvals",
        "households_waiting",
        "households_waiting_long",
        "families_matched",
        "families_matched_late",
        "applications_open",
    }
)


def kind_of(measure: str) -> str:
    return HOUSEHOLDS if measure in HOUSEHOLD_MEASURES else CHILDREN


def _owner(code: str) -> str | None:
    return code or None  # all councils together is a total over councils


def breakdown_groups(card: Scorecard, viewer: Viewer) -> list[str]:
    """Whose breakdowns a viewer may ask for: all councils together's, and each council they see exactly."""
    return [g.code for g in card.groups if g.is_agency or viewer.exact(g.code)]


# ----------------------------------------------------------------------------------------------
# Registering the counts and their lines
# ----------------------------------------------------------------------------------------------

TIMELINESS_COUNTS = ("a1", "a2", "a3")  # a3 is a part of a1
STOCK_INDICATORS = frozenset({"a9", "a11", "a13", "a14"})  # counted at the end of the period


def _timeliness_count(t: Timeliness, count: str) -> int:
    return t.a3.count if count == "a3" else t.indicator(count).children


def register_scorecard(d: Disclosure, card: Scorecard) -> None:
    """Every count of one scorecard and the lines among them. Registering the scorecards of several
    years in one Disclosure protects them together: a year's figures cannot then be subtracted from
    another's to find what either withholds."""
    labels = [p.period.label for p in card.agency.years]
    window = card.window.label
    codes = [g.code for g in card.councils]
    offered = set(breakdown_groups(card, d.viewer))
    shown_councils = [c for c in codes if c in offered]
    rest = [g for g in card.councils if g.code not in offered]
    for count in TIMELINESS_COUNTS:
        for g in card.groups:
            for p in (*g.years, g.window):
                d.cell(
                    _t(count, g.code, p.period.label), _timeliness_count(p.timeliness, count), council=_owner(g.code)
                )
            d.line([_t(count, g.code, label) for label in labels], _t(count, g.code, window))
        for label in (*labels, window):
            d.line([_t(count, c, label) for c in codes], _t(count, AGENCY, label))
        # Breakdowns of the groups offered; categories add up to the group's window. The councils
        # not offered are one cell per category, never shown: what the agency's figure less the
        # offered councils' gives away, protected like a count.
        for g in card.groups:
            if g.code not in offered:
                continue
            for dimension in BREAKDOWNS:
                keys = [
                    d.cell(
                        _b(count, g.code, dimension, row.category, window),
                        _timeliness_count(row.timeliness, count),
                        council=_owner(g.code),
                    )
                    for row in g.breakdowns
                    if row.dimension == dimension
                ]
                d.line(keys, _t(count, g.code, window))
        if shown_councils:
            for dimension, categories in BREAKDOWNS.items():
                for category in categories:
                    keys = [_b(count, c, dimension, category, window) for c in shown_councils]
                    if rest:
                        n = sum(
                            _timeliness_count(r.timeliness, count)
                            for g in rest
                            for r in g.breakdowns
                            if (r.dimension, r.category) == (dimension, category)
                        )
                        keys.append(d.cell(_b(count, "other councils", dimension, category, window), n, shown=False))
                    d.line(keys, _b(count, AGENCY, dimension, category, window))
    # A3 is a part of A1's children: its complement is never shown, and is protected like a count.
    for g in card.groups:
        for p in (*g.years, g.window):
            label, t = p.period.label, p.timeliness
            other = d.cell(
                ("t-rest", "a3", g.code, label), t.a1.children - t.a3.count, shown=False, council=_owner(g.code)
            )
            d.line([_t("a3", g.code, label), other], _t("a1", g.code, label))
        if g.code in offered:
            for row in g.breakdowns:
                t = row.timeliness
                other = d.cell(
                    ("b-rest", "a3", g.code, row.dimension, row.category, window),
                    t.a1.children - t.a3.count,
                    shown=False,
                    council=_owner(g.code),
                )
                d.line(
                    [_b("a3", g.code, row.dimension, row.category, window), other],
                    _b("a1", g.code, row.dimension, row.category, window),
                )
    for name in FLOWS:
        for g in card.groups:
            for p in (*g.years, g.window):
                d.cell(
                    ("f", name, g.code, p.period.label),
                    p.activity.count(name),
                    council=_owner(g.code),
                    kind=kind_of(name),
                )
            d.line([("f", name, g.code, label) for label in labels], ("f", name, g.code, window))
        for label in (*labels, window):
            d.line([("f", name, c, label) for c in codes], ("f", name, AGENCY, label))
    for part, whole in NESTED_FLOWS:
        for g in card.groups:
            for p in (*g.years, g.window):
                a, label = p.activity, p.period.label
                other = d.cell(
                    ("f-rest", part, g.code, label),
                    a.count(whole) - a.count(part),
                    shown=False,
                    council=_owner(g.code),
                    kind=kind_of(part),
                )
                d.line([("f", part, g.code, label), other], ("f", whole, g.code, label))
    for i, on in enumerate(p.counted_on for p in card.agency.years):
        for name in STOCKS:
            for g in card.groups:
                d.cell(
                    ("s", name, g.code, on), g.years[i].activity.count(name), council=_owner(g.code), kind=kind_of(name)
                )
            d.line([("s", name, c, on) for c in codes], ("s", name, AGENCY, on))
        for part, whole in NESTED_STOCKS:
            for g in card.groups:
                a = g.years[i].activity
                other = d.cell(
                    ("s-rest", part, g.code, on),
                    a.count(whole) - a.count(part),
                    shown=False,
                    council=_owner(g.code),
                    kind=kind_of(part),
                )
                d.line([("s", part, g.code, on), other], ("s", whole, g.code, on))


def publish(cards: Sequence[Scorecard], board: BoardFigures | None, viewer: Viewer | bool) -> Disclosure:
    """One Disclosure for everything one viewer can ask for: the scorecards of every year offered
    and the board's figures, resolved together."""
    d = Disclosure(viewer)
    for card in cards:
        register_scorecard(d, card)
    if board is not None:
        register_board(d, board, [y for card in cards for y in card.agency.years])
    return d.resolve()


# ----------------------------------------------------------------------------------------------
# Why a figure is not shown
# ----------------------------------------------------------------------------------------------

REASON_LOW = (
    f"“{LOW}” is a count of 1 to {SMALL - 1} children or families: too few to show without a risk of "
    "identifying someone"
)
REASON_WITHHELD = (
    f"“{WITHHELD}” is withheld so that a count under {SMALL} cannot be worked out from the other "
    "figures (an average or a percentage is not shown when a count behind it is not)"
)


def explain(table: Table, *, totals_in_columns: bool = False, wider: Table | None = None) -> Table:
    """Fill `table.suppression`: why its figures are withheld, once, and in their place the nearest
    figures that can be shown: all councils together's (the total row, or the last column when the
    councils are columns), else those of `wider` (the same rows over the 3 years). Empty when
    nothing is withheld."""
    marks = {c.text for r in table.rows for c in r.cells if c.withheld}
    if not marks:
        table.suppression = ""
        return table
    reasons = [reason for mark, reason in ((LOW, REASON_LOW), (WITHHELD, REASON_WITHHELD)) if mark in marks]
    nearest: list[str] = []
    missing_total = False
    if totals_in_columns:
        whose = table.columns[-1]
        subject = [column for j, column in enumerate(table.columns[1:]) if any(r.cells[j].withheld for r in table.rows)]
        for i, row in enumerate(table.rows):
            if not any(c.withheld for c in row.cells):
                continue
            if not row.cells[-1].withheld:
                nearest.append(f"{row.header}: {row.cells[-1].text}")
            elif wider is not None and not row.stock and not wider.rows[i].cells[-1].withheld:
                nearest.append(f"{row.header}: {wider.rows[i].cells[-1].text} over the 3 years {wider.period_label}")
            else:
                missing_total = True
    else:
        total = next((r for r in table.rows if r.total), None)
        whose = total.header if total else ""
        subject = [r.header for r in table.rows if any(c.withheld for c in r.cells)]
        for j, column in enumerate(table.columns[1:]):
            if not any(r.cells[j].withheld for r in table.rows if not r.total):
                continue
            if total is not None and not total.cells[j].withheld:
                nearest.append(f"{column}: {total.cells[j].text}")
            else:
                missing_total = True
    text = f"Not shown for {_join(subject)}: {'; '.join(reasons)}."
    if nearest:
        text += f" The nearest figures that can be shown, for {whose}: {'; '.join(nearest)}."
    if missing_total and whose:
        text += f" {'Some are' if nearest else 'They are'} too few to show even for {whose}."
    table.suppression = text
    return table


def _join(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# ----------------------------------------------------------------------------------------------
# The scorecard's tables
# ----------------------------------------------------------------------------------------------


class ScorecardOutput:
    """The scorecard's tables and plain data. `disclosure`: from `publish` (every output the viewer
    can ask for), else one for this scorecard alone, for `suppress` (a Viewer, or True for the
    board's view). `breakdown_group`: whose breakdowns to show, if the viewer may see them. `only`:
    one council's code, to show that council beside all councils together and no other."""

    def __init__(
        self,
        card: Scorecard,
        *,
        suppress: Viewer | bool = True,
        breakdown_group: str = AGENCY,
        disclosure: Disclosure | None = None,
        only: str | None = None,
    ):
        self.card = card
        if disclosure is None:
            disclosure = publish([card], None, suppress)
        self.d = disclosure
        self.suppress = disclosure.active
        self.breakdown_group = (
            breakdown_group if breakdown_group in breakdown_groups(card, disclosure.viewer) else AGENCY
        )
        self.groups = [g for g in card.groups if only is None or g.code in (only, AGENCY)]
        self.stock_day = card.agency.years[-1].counted_on

    # One period's indicators ---------------------------------------------------------------
    def indicator_cells(self, g: GroupFigures, p: PeriodFigures) -> list[tuple[str, str, Cell]]:
        """(code, label, cell) of every scorecard indicator of one group and period, in DfE order."""
        d, t = self.d, self.card.thresholds
        label, tl, a = p.period.label, p.timeliness, p.activity
        on = p.counted_on

        def withheld(*keys) -> bool:
            return any(d.withheld(k) for k in keys)

        a1, a2, a3 = (_t(c, g.code, label) for c in ("a1", "a2", "a3"))
        flow = {name: ("f", name, g.code, label) for name in FLOWS}
        stock = {name: ("s", name, g.code, on) for name in STOCKS}
        labels = activity_labels(t)
        return [
            ("a1", "A1, A10, A3: adopted children counted", _count(d, a1)),
            ("a1", f"A1: average days, entering care to moving in (threshold {t.a1_days})", _days(tl.a1, withheld(a1))),
            (
                "a10",
                f"A10: average days, adjusted for foster carer adoptions (threshold {t.a10_days})",
                _days(tl.a10, withheld(a1)),
            ),
            ("a2", "A2: adopted children with a placement order counted", _count(d, a2)),
            ("a2", f"A2: average days, placement order to match (threshold {t.a2_days})", _days(tl.a2, withheld(a2))),
            ("a3", f"A3: adopted children who waited under {t.a1_days} days", _count(d, a3)),
            ("a3", f"A3: share who waited under {t.a1_days} days", _percent(tl.a3, withheld(a1, a3))),
            ("a4", labels["adoptions"], _count(d, flow["adoptions"])),
            ("a4", labels["plans_ended"], _count(d, flow["plans_ended"])),
            (
                "a4",
                "A4: share of ended adoption plans that ended in adoption",
                _percent(a.a4, withheld(flow["adoptions"], flow["plans_ended"])),
            ),
            ("a5", labels["reversals"], _count(d, flow["reversals"])),
            ("a9", f"{labels['waiting_to_be_placed']}, on {on:%-d %B %Y}", _count(d, stock["waiting_to_be_placed"])),
            ("a11", f"{labels['households_waiting']}, on {on:%-d %B %Y}", _count(d, stock["households_waiting"])),
            ("a12", "A12: families matched", _count(d, flow["families_matched"])),
            (
                "a12",
                f"A12: of which waited {t.household_wait_months} months or more since approval",
                _count(d, flow["families_matched_late"]),
            ),
            (
                "a12",
                f"A12: share who waited {t.household_wait_months} months or more",
                _percent(a.a12, withheld(flow["families_matched"], flow["families_matched_late"])),
            ),
            ("a13", f"{labels['applications_open']}, on {on:%-d %B %Y}", _count(d, stock["applications_open"])),
            (
                "a14",
                f"A14: children waiting with a placement order and no match, on {on:%-d %B %Y}",
                _count(d, stock["waiting_for_match"]),
            ),
            ("a15", labels["adm_decisions"], _count(d, flow["adm_decisions"])),
            ("a16", labels["placement_orders"], _count(d, flow["placement_orders"])),
        ]

    def indicators(self, period: int | None = None) -> Table:
        """Every indicator of one period (an index into the window's years; None: the 3 years),
        councils as columns and all councils together last."""
        card = self.card
        figures = [(g, g.window if period is None else g.years[period]) for g in self.groups]
        per_group = [self.indicator_cells(g, p) for g, p in figures]
        rows = [
            Row(header, [cells[i][2] for cells in per_group], stock=code in STOCK_INDICATORS)
            for i, (code, header, _) in enumerate(per_group[0])
        ]
        p = figures[0][1]
        label = p.period.label
        if period is None:
            key, caption = "indicators-window", f"Scorecard over the 3 years {card.window.label}"
            notes = [
                f"Averages and shares are over every child or family of the 3 years. Children and families "
                f"waiting are counted at the end of the window, on {p.counted_on:%-d %B %Y}."
            ]
        else:
            key, caption = f"indicators-{p.period.label}", f"Scorecard {p.period.label}"
            notes = (
                [f"{p.period.label} has not ended: counted to {p.counted_on:%-d %B %Y}."]
                if not p.period.complete(card.as_of)
                else []
            )
        notes.append(
            "A4's share is of the children whose adoption plan ended (adopted, plan changed, order revoked "
            "or placement disrupted): the record holds children with an adoption plan, not every child "
            "leaving care, so the DfE's share of all children leaving care cannot be given."
        )
        table = Table(key, caption, ["Indicator", *(g.name for g in self.groups)], rows, notes, period_label=label)
        return explain(table, totals_in_columns=True, wider=None if period is None else self.indicators())

    # Timeliness over the years -----------------------------------------------------------
    def timeliness(self, indicator: str) -> Table:
        card, d = self.card, self.d
        count = _count_of(indicator)
        threshold = card.thresholds.for_indicator(indicator)
        periods = [*card.agency.years, card.agency.window]
        columns = ["Council"]
        for p in periods:
            span = "3 years " if p.period == card.window else ""
            columns += [f"{span}{p.period.label}: children", f"{span}{p.period.label}: average days"]
        columns.append(f"3 years within {threshold} days")
        rows = []
        for g in self.groups:
            cells = []
            for p in (*g.years, g.window):
                key = _t(count, g.code, p.period.label)
                cells += [_count(d, key), _days(p.timeliness.indicator(indicator), d.withheld(key))]
            key = _t(count, g.code, card.window.label)
            cells.append(_status(g.window.timeliness.indicator(indicator), threshold, d.withheld(key)))
            rows.append(Row(g.name, cells, total=g.is_agency))
        notes = [
            f"Threshold {threshold} days. Average days are child-weighted; the 3-year figure is over every "
            "child adopted in the three years."
        ]
        if indicator == "a2":
            notes.append("Only children with a placement order; a match before the order counts 0 days.")
        if indicator == "a10":
            notes.append(
                "For adoptions by the child's own foster carers the clock stops when the foster placement "
                "with them began."
            )
        return explain(Table(indicator, INDICATOR_LABELS[indicator], columns, rows, notes))

    def a3(self) -> Table:
        """A3 per year and over the 3 years: the adopted children under the A1 threshold."""
        card, d = self.card, self.d
        threshold = card.thresholds.a1_days
        columns = ["Council"]
        for p in (*card.agency.years, card.agency.window):
            span = "3 years " if p.period == card.window else ""
            columns += [f"{span}{p.period.label}: under {threshold} days", f"{span}{p.period.label}: share"]
        rows = []
        for g in self.groups:
            cells = []
            for p in (*g.years, g.window):
                a1, a3 = _t("a1", g.code, p.period.label), _t("a3", g.code, p.period.label)
                cells += [_count(d, a3), _percent(p.timeliness.a3, d.withheld(a1) or d.withheld(a3))]
            rows.append(Row(g.name, cells, total=g.is_agency))
        return explain(
            Table(
                "a3",
                INDICATOR_LABELS["a3"],
                columns,
                rows,
                [f"Of the children counted in A1; under {threshold} days follows the A1 threshold."],
            )
        )

    def activity(self, window: bool = False) -> Table:
        card, d = self.card, self.d
        labels = activity_labels(card.thresholds)
        period = card.window if window else card.year
        names = FLOWS if window else (*FLOWS, *STOCKS)
        columns = ["Measure", *(g.name for g in self.groups)]
        rows = []
        for name in names:
            if name in STOCKS:
                cells = [_count(d, ("s", name, g.code, self.stock_day)) for g in self.groups]
            else:
                cells = [_count(d, ("f", name, g.code, period.label)) for g in self.groups]
            rows.append(Row(labels[name], cells))
        if window:
            caption = f"Activity over the 3 years {period.label}"
            notes = []
        else:
            caption = f"Activity in {period.label}"
            notes = [f"Children and families waiting are counted on {self.stock_day:%-d %B %Y}."]
        return explain(
            Table("activity-window" if window else "activity", caption, columns, rows, notes), totals_in_columns=True
        )

    def breakdowns(self) -> list[Table]:
        card, d = self.card, self.d
        g = card.group(self.breakdown_group)
        t = card.thresholds
        label = card.window.label

        def cells(tl: Timeliness, key) -> list[Cell]:
            a1, a2, a3 = (key(c) for c in ("a1", "a2", "a3"))
            return [
                _count(d, a1),
                _days(tl.a1, d.withheld(a1)),
                _days(tl.a10, d.withheld(a1)),
                _count(d, a3),
                _percent(tl.a3, d.withheld(a1) or d.withheld(a3)),
                _count(d, a2),
                _days(tl.a2, d.withheld(a2)),
            ]

        tables = []
        for dimension in BREAKDOWNS:
            rows = [
                Row(
                    row.category,
                    cells(row.timeliness, lambda c, row=row: _b(c, g.code, dimension, row.category, label)),
                )
                for row in g.breakdowns
                if row.dimension == dimension
            ]
            rows.append(Row("All children", cells(g.window.timeliness, lambda c: _t(c, g.code, label)), total=True))
            tables.append(
                explain(
                    Table(
                        f"breakdown-{dimension.lower().replace(' ', '-')}",
                        f"Timeliness by {dimension.lower()}, {g.name}, 3 years {label}",
                        [
                            dimension,
                            "Adopted: children",
                            f"A1 average days ({t.a1_days})",
                            f"A10 average days ({t.a10_days})",
                            f"A3: under {t.a1_days} days",
                            "A3: share",
                            "With a placement order: children",
                            f"A2 average days ({t.a2_days})",
                        ],
                        rows,
                    )
                )
            )
        return tables

    def tables(self) -> list[Table]:
        return [
            self.indicators(len(self.card.agency.years) - 1),
            self.indicators(),
            *(self.indicators(i) for i in range(len(self.card.agency.years) - 1)),
            *(self.timeliness(i) for i in ("a10", "a1", "a2")),
            self.a3(),
            self.activity(),
            self.activity(window=True),
            *self.breakdowns(),
        ]

    def notes(self) -> list[str]:
        """The data's notes (left-out children): for those who see every count, who could count them."""
        return [f"{n.text}: {n.children}" for n in self.card.notes] if not self.suppress else []


# ----------------------------------------------------------------------------------------------
# Plain data: the API's answer and `openraa scorecard --json`
# ----------------------------------------------------------------------------------------------


def as_dict(output: ScorecardOutput) -> dict:
    """The scorecard as plain data, the same figures as the tables of `output`: a withheld count is
    its mark ("<5", "[c]"), and an average or percentage that would give it away is null."""
    card, d = output.card, output.d
    t = card.thresholds

    def number(key):
        return d.text(key) if d.withheld(key) else d.values[key]

    def average(name: str, ind: Indicator, key) -> dict:
        withheld = d.withheld(key)
        return {
            "children": number(key),
            "total_days": None if withheld else ind.total_days,
            "average_days": None if withheld or ind.average is None else round(ind.average, 1),
            "threshold_days": t.for_indicator(name),
            "within_threshold": None if withheld else ind.meets(t.for_indicator(name)),
        }

    def share(part_key, whole_key, value: Share) -> dict:
        withheld = d.withheld(part_key) or d.withheld(whole_key)
        return {
            "count": number(part_key),
            "of": number(whole_key),
            "percent": None if withheld or value.percent is None else round(value.percent, 1),
        }

    def timeliness(tl: Timeliness, key) -> dict:
        return {
            **{name: average(name, tl.indicator(name), key(_count_of(name))) for name in ("a1", "a2", "a10")},
            "a3": {**share(key("a3"), key("a1"), tl.a3), "threshold_days": t.a1_days},
        }

    def period(g: GroupFigures, p: PeriodFigures) -> dict:
        label, on = p.period.label, p.counted_on
        flow = {name: ("f", name, g.code, label) for name in FLOWS}
        stock = {name: ("s", name, g.code, on) for name in STOCKS}
        return {
            "period": label,
            "start": p.period.start.isoformat(),
            "end": p.period.end.isoformat(),
            "stocks_counted_on": on.isoformat(),
            **timeliness(p.timeliness, lambda c: _t(c, g.code, label)),
            "a4": {
                "adoptions": number(flow["adoptions"]),
                "plans_ended": number(flow["plans_ended"]),
                "percent_of_ended_plans": share(flow["adoptions"], flow["plans_ended"], p.activity.a4)["percent"],
            },
            "a5": number(flow["reversals"]),
            "a9": number(stock["waiting_to_be_placed"]),
            "a11": number(stock["households_waiting"]),
            "a12": {
                **share(flow["families_matched_late"], flow["families_matched"], p.activity.a12),
                "months": t.household_wait_months,
            },
            "a13": number(stock["applications_open"]),
            "a14": number(stock["waiting_for_match"]),
            "a15": number(flow["adm_decisions"]),
            "a16": number(flow["placement_orders"]),
            "activity": {
                **{name: number(key) for name, key in flow.items()},
                **{name: number(key) for name, key in stock.items()},
            },
        }

    groups = []
    for g in output.groups:
        entry = {
            "council": g.code or None,
            "name": g.name,
            "years": [period(g, p) for p in g.years],
            "window": period(g, g.window),
        }
        if g.code == output.breakdown_group:
            label = card.window.label
            entry["breakdowns"] = [
                {
                    "dimension": row.dimension,
                    "category": row.category,
                    **timeliness(row.timeliness, lambda c, row=row: _b(c, g.code, row.dimension, row.category, label)),
                }
                for row in g.breakdowns
            ]
        groups.append(entry)
    return {
        "as_of": card.as_of.isoformat(),
        "year": card.year.label,
        "window": card.window.label,
        "suppressed": output.suppress,
        "suppression": KEY_NOTE if output.suppress else None,
        "thresholds": {
            "a1_days": t.a1_days,
            "a2_days": t.a2_days,
            "a10_days": t.a10_days,
            "a3_days": t.a1_days,
            "waiting_days": t.waiting_days,
            "long_wait_months": t.long_wait_months,
            "household_wait_months": t.household_wait_months,
        },
        "groups": groups,
        "notes": output.notes(),
    }


_COUNT = {
    "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": list(MARKS)}],
    "description": f"A count, or its mark when withheld: {LOW!r} (1 to {SMALL - 1}) or {WITHHELD!r}",
}
_NULLABLE_NUMBER = {"type": "number", "nullable": True}
_AVERAGE = {
    "type": "object",
    "required": ["children", "average_days", "threshold_days", "within_threshold"],
    "properties": {
        "children": _COUNT,
        "total_days": {"type": "integer", "nullable": True},
        "average_days": {**_NULLABLE_NUMBER, "description": "null when withheld or no child"},
        "threshold_days": {"type": "integer"},
        "within_threshold": {"type": "boolean", "nullable": True},
    },
}
_SHARE = {
    "type": "object",
    "required": ["count", "of", "percent"],
    "properties": {"count": _COUNT, "of": _COUNT, "percent": _NULLABLE_NUMBER},
}
_TIMELINESS = {
    "a1": {**_AVERAGE, "description": INDICATOR_LABELS["a1"]},
    "a2": {**_AVERAGE, "description": INDICATOR_LABELS["a2"]},
    "a10": {**_AVERAGE, "description": INDICATOR_LABELS["a10"]},
    "a3": {
        **_SHARE,
        "description": INDICATOR_LABELS["a3"] + " (count of the A1 children)",
        "properties": {**_SHARE["properties"], "threshold_days": {"type": "integer"}},
    },
}
_PERIOD = {
    "type": "object",
    "required": [
        "period",
        "start",
        "end",
        "stocks_counted_on",
        *_TIMELINESS,
        "a4",
        "a5",
        "a9",
        "a11",
        "a12",
        "a13",
        "a14",
        "a15",
        "a16",
        "activity",
    ],
    "properties": {
        "period": {"type": "string", "description": "A financial year (2024-25) or the 3-year window (2022-25)"},
        "start": {"type": "string", "format": "date"},
        "end": {"type": "string", "format": "date"},
        "stocks_counted_on": {"type": "string", "format": "date"},
        **_TIMELINESS,
        "a4": {
            "type": "object",
            "description": INDICATOR_LABELS["a4"] + ": the record holds only children with an "
            "adoption plan, so the share is of ended adoption plans, not of all children leaving care",
            "required": ["adoptions", "plans_ended", "percent_of_ended_plans"],
            "properties": {"adoptions": _COUNT, "plans_ended": _COUNT, "percent_of_ended_plans": _NULLABLE_NUMBER},
        },
        "a5": {**_COUNT, "description": "A5: decisions changed away from adoption in the period"},
        "a9": {**_COUNT, "description": "A9: children waiting to be placed (decision or placement order, not placed)"},
        "a11": {**_COUNT, "description": "A11: approved families waiting to be matched"},
        "a12": {
            **_SHARE,
            "description": INDICATOR_LABELS["a12"],
            "properties": {**_SHARE["properties"], "months": {"type": "integer"}},
        },
        "a13": {**_COUNT, "description": "A13: adopter applications not yet assessed"},
        "a14": {**_COUNT, "description": "A14: children waiting with a placement order and no match"},
        "a15": {**_COUNT, "description": "A15: ADM should-be-placed decisions in the period"},
        "a16": {**_COUNT, "description": "A16: placement orders in the period"},
        "activity": {
            "type": "object",
            "additionalProperties": _COUNT,
            "properties": dict.fromkeys((*FLOWS, *STOCKS), _COUNT),
        },
    },
}
SCORECARD_SCHEMA = {
    "type": "object",
    "description": "The adoption scorecard (DfE methodology): per council and for all councils together, each "
    "financial year of the 3-year window and the window. Counts the viewer may not see exactly are "
    "suppressed as on the page.",
    "required": ["as_of", "year", "window", "suppressed", "thresholds", "groups", "notes"],
    "properties": {
        "as_of": {"type": "string", "format": "date"},
        "year": {"type": "string", "example": "2024-25"},
        "window": {"type": "string", "example": "2022-25"},
        "suppressed": {"type": "boolean"},
        "suppression": {
            "type": "string",
            "nullable": True,
            "description": "What the marks mean, when counts are withheld",
        },
        "thresholds": {"type": "object", "additionalProperties": {"type": "integer"}},
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["council", "name", "years", "window"],
                "properties": {
                    "council": {"type": "string", "nullable": True, "description": f"ONS code; null for {AGENCY_NAME}"},
                    "name": {"type": "string"},
                    "years": {"type": "array", "items": _PERIOD},
                    "window": _PERIOD,
                    "breakdowns": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["dimension", "category", *_TIMELINESS],
                            "properties": {
                                "dimension": {"type": "string", "enum": list(BREAKDOWNS)},
                                "category": {"type": "string"},
                                **_TIMELINESS,
                            },
                        },
                    },
                },
            },
        },
        "notes": {"type": "array", "items": {"type": "string"}},
    },
}


def register_board(d: Disclosure, board: BoardFigures, years: Sequence[PeriodFigures]) -> None:
    """The board's counts and their lines; `years`: the financial years the scorecards registered,
    which the quarters add up to."""
    codes = [g.code for g in board.councils]
    quarters = [q.label for q in board.quarters]
    for g in board.groups:
        for q in g.quarters:
            for name in ("adoptions", "placement_orders", "approvals"):
                d.cell(("f", name, g.code, q.period.label), q.count(name), council=_owner(g.code), kind=kind_of(name))
            d.cell(("s", "children_waiting", g.code, q.counted_on), q.children_waiting, council=_owner(g.code))
            d.cell(_t("a1", g.code, q.period.label), q.a10.children, council=_owner(g.code))
    for q in board.quarters:
        on = board.agency.quarters[quarters.index(q.label)].counted_on
        for name in ("adoptions", "placement_orders", "approvals"):
            d.line([("f", name, c, q.label) for c in codes], ("f", name, AGENCY, q.label))
        d.line([("s", "children_waiting", c, on) for c in codes], ("s", "children_waiting", AGENCY, on))
        d.line([_t("a1", c, q.label) for c in codes], _t("a1", AGENCY, q.label))
    # Quarters add up to their financial year when all of the year's quarters (to date) are here.
    seen = set()
    for year in years:
        label = year.period.label
        if label in seen:
            continue
        seen.add(label)
        inside = [q.label for q in board.quarters if year.period.start <= q.start <= min(year.period.end, board.as_of)]
        expected = _quarter_labels(year.period.start, min(year.period.end, board.as_of))
        if inside and inside == expected:
            for g in board.groups:
                for name in ("adoptions", "placement_orders", "approvals"):
                    d.line([("f", name, g.code, q) for q in inside], ("f", name, g.code, label))
                d.line([_t("a1", g.code, q) for q in inside], _t("a1", g.code, label))
    on = board.as_of
    for g in board.groups:
        d.cell(("s", "children_waiting", g.code, on), g.waiting.children, council=_owner(g.code))
        bands = [
            d.cell(("band", g.code, band, on), n, council=_owner(g.code)) for band, n in zip(WAIT_BANDS, g.wait_bands)
        ]
        d.line(bands, ("s", "children_waiting", g.code, on))
    for band in WAIT_BANDS:
        d.line([("band", c, band, on) for c in codes], ("band", AGENCY, band, on))
    d.line([("s", "children_waiting", c, on) for c in codes], ("s", "children_waiting", AGENCY, on))
    a = board.agency
    for k, group in enumerate(a.hard_to_place):
        d.cell(("hard", k, on), group.children)
        d.cell(("hard-rest", k, on), a.waiting.children - group.children, shown=False)
        d.line([("hard", k, on), ("hard-rest", k, on)], ("s", "children_waiting", AGENCY, on))


class BoardOutput:
    """The board pack: the scorecard summary and activity, quarterly trends per council, the
    distribution of waits and the hard-to-place breakdown, as tables and charts. `disclosure`: from
    `publish`, else one for this pack alone, for `suppress` (True: the board's view)."""

    def __init__(
        self,
        card: Scorecard,
        board: BoardFigures,
        *,
        suppress: Viewer | bool = True,
        disclosure: Disclosure | None = None,
        extra: Sequence[Table] = (),
    ):
        self.card, self.board = card, board
        self.extra = list(extra)  # tables computed beside the scorecard (the in-house placement rate)
        if disclosure is None:
            disclosure = publish([card], board, suppress)
        self.d = disclosure
        self.suppress = disclosure.active
        self.today = board.as_of
        self.scorecard = ScorecardOutput(card, disclosure=disclosure)

    # Tables --------------------------------------------------------------------------------
    def quarterly(self, name: str) -> Table:
        board, d = self.board, self.d
        labels = {
            "adoptions": "Adoption orders",
            "placement_orders": "Placement orders",
            "approvals": "Households approved",
            "children_waiting": "Children waiting at the end of the quarter",
        }
        rows = []
        for g in board.groups:
            cells = []
            for q in g.quarters:
                key = (
                    ("s", name, g.code, q.counted_on)
                    if name == "children_waiting"
                    else ("f", name, g.code, q.period.label)
                )
                cells.append(_count(d, key))
            rows.append(Row(g.name, cells, total=g.code == AGENCY))
        notes = (
            [f"The current quarter is counted to {board.as_of:%-d %B %Y}."]
            if board.quarters[-1].end > board.as_of
            else []
        )
        return explain(
            Table(
                f"quarterly-{name.replace('_', '-')}",
                f"{labels[name]} by quarter",
                ["Council", *(q.label for q in board.quarters)],
                rows,
                notes,
            )
        )

    def quarterly_a10(self) -> Table:
        board, d = self.board, self.d
        rows = []
        for g in board.groups:
            cells = []
            for q in g.quarters:
                key = _t("a1", g.code, q.period.label)
                cells.append(_days(q.a10, d.withheld(key)))
            rows.append(Row(g.name, cells, total=g.code == AGENCY))
        return explain(
            Table(
                "quarterly-a10",
                "A10 average days for the children adopted in each quarter",
                ["Council", *(q.label for q in board.quarters)],
                rows,
                [f"Threshold {self.card.thresholds.a10_days} days."],
            )
        )

    def waits(self) -> Table:
        board, d = self.board, self.d
        rows = []
        for g in board.groups:
            cells = [_count(d, ("band", g.code, band, self.today)) for band in WAIT_BANDS]
            cells.append(_count(d, ("s", "children_waiting", g.code, self.today)))
            rows.append(Row(g.name, cells, total=g.code == AGENCY))
        return explain(
            Table(
                "waits",
                f"Children waiting on {self.today:%-d %B %Y} by time since the placement order",
                ["Council", *WAIT_BANDS, "All waiting"],
                rows,
            )
        )

    def hard_to_place(self) -> Table:
        board, d = self.board, self.d
        a = board.agency
        rows = []
        for k, (label, group) in enumerate(zip((*HARD_TO_PLACE, HARD_TO_PLACE_ANY), a.hard_to_place)):
            key = ("hard", k, self.today)
            withheld = d.withheld(key)
            share = (
                Cell(WITHHELD)
                if withheld
                else Cell(
                    f"{100 * group.children / a.waiting.children:.0f}%",
                    round(100 * group.children / a.waiting.children),
                )
                if a.waiting.children
                else Cell(NO_CHILDREN)
            )
            days = Indicator(group.children, group.total_days)
            rows.append(Row(label, [_count(d, key), share, _days(days, withheld)], total=k == len(HARD_TO_PLACE)))
        key = ("s", "children_waiting", AGENCY, self.today)
        rows.append(
            Row(
                "All children waiting",
                [
                    _count(d, key),
                    Cell("100%" if a.waiting.children else NO_CHILDREN),
                    _days(Indicator(a.waiting.children, a.waiting.total_days), d.withheld(key)),
                ],
                total=True,
            )
        )
        return explain(
            Table(
                "hard-to-place",
                f"Children waiting on {self.today:%-d %B %Y} whose family is harder to find",
                ["Characteristic", "Children", "Share of those waiting", "Average days since the order"],
                rows,
                ["A child can have more than one of these characteristics."],
            )
        )

    def summary(self) -> Table:
        """A10, A1, A2 and A3 over the 3 years per council, against the thresholds."""
        card, d = self.card, self.d
        t = card.thresholds
        label = card.window.label
        rows = []
        for g in card.groups:
            cells = []
            for name in ("a10", "a1", "a2"):
                key = _t(_count_of(name), g.code, label)
                ind = g.window.timeliness.indicator(name)
                cells += [_days(ind, d.withheld(key)), _status(ind, t.for_indicator(name), d.withheld(key))]
            cells.append(
                _percent(
                    g.window.timeliness.a3, d.withheld(_t("a1", g.code, label)) or d.withheld(_t("a3", g.code, label))
                )
            )
            rows.append(Row(g.name, cells, total=g.is_agency))
        return explain(
            Table(
                "summary",
                f"Scorecard, 3 years {label}",
                [
                    "Council",
                    "A10 average days",
                    f"A10 within {t.a10_days}",
                    "A1 average days",
                    f"A1 within {t.a1_days}",
                    "A2 average days",
                    f"A2 within {t.a2_days}",
                    f"A3 share under {t.a1_days} days",
                ],
                rows,
            )
        )

    def tables(self) -> list[Table]:
        s = self.scorecard
        return [
            self.summary(),
            s.indicators(len(self.card.agency.years) - 1),
            s.indicators(),
            *(s.timeliness(i) for i in ("a10", "a1", "a2")),
            s.a3(),
            s.activity(),
            self.quarterly("adoptions"),
            self.quarterly_a10(),
            self.quarterly("children_waiting"),
            self.quarterly("placement_orders"),
            self.quarterly("approvals"),
            self.waits(),
            self.hard_to_place(),
            *self.extra,
        ]

    # Charts --------------------------------------------------------------------------------
    def charts(self) -> list[charts.Chart]:
        board, d = self.board, self.d
        quarters = [q.label.split(" ")[-1] + " " + q.label.split(" ")[0] for q in board.quarters]

        def series(name: str) -> list[charts.Series]:
            out = []
            for g in board.councils:
                values = []
                for q in g.quarters:
                    key = (
                        ("s", name, g.code, q.counted_on)
                        if name == "children_waiting"
                        else ("f", name, g.code, q.period.label)
                    )
                    values.append(charts.Value(d.value(key), d.text(key)))
                out.append(charts.Series(g.name, values))
            return out

        a10 = []
        for q in board.agency.quarters:
            key = _t("a1", AGENCY, q.period.label)
            withheld = d.withheld(key)
            a10.append(
                charts.Value(
                    None if withheld else q.a10.rounded,
                    WITHHELD if withheld else (f"{q.a10.rounded}" if q.a10.rounded is not None else ""),
                )
            )
        bands = [
            charts.Value(d.value(("band", AGENCY, b, self.today)), d.text(("band", AGENCY, b, self.today)))
            for b in WAIT_BANDS
        ]
        hard = [
            charts.Value(d.value(("hard", k, self.today)), d.text(("hard", k, self.today)))
            for k in range(len(HARD_TO_PLACE) + 1)
        ]
        return [
            charts.Chart(
                "chart-adoptions",
                "Adoption orders per quarter by council",
                quarters,
                series("adoptions"),
                "Adoption orders",
            ),
            charts.Chart(
                "chart-waiting",
                "Children waiting at the end of each quarter by council",
                quarters,
                series("children_waiting"),
                "Children",
            ),
            charts.Chart(
                "chart-a10",
                f"A10 average days per quarter, {AGENCY_NAME.lower()}",
                quarters,
                [charts.Series(AGENCY_NAME, a10)],
                "Days",
                threshold=self.card.thresholds.a10_days,
                threshold_label=f"Threshold {self.card.thresholds.a10_days} days",
            ),
            charts.Chart(
                "chart-waits",
                f"Children waiting on {self.today:%-d %B %Y} by time since the placement order",
                list(WAIT_BANDS),
                [charts.Series(AGENCY_NAME, bands)],
                "Children",
            ),
            charts.Chart(
                "chart-hard",
                "Children waiting whose family is harder to find",
                [*HARD_TO_PLACE, HARD_TO_PLACE_ANY],
                [charts.Series(AGENCY_NAME, hard)],
                "Children",
                horizontal=True,
            ),
        ]


def _quarter_labels(start: date, end: date) -> list[str]:
    labels, day = [], start
    while day <= end:
        q = quarter_of(day)
        labels.append(q.label)
        day = date.fromordinal(q.end.toordinal() + 1)
    return labels


def text_table(table: Table) -> str:
    """A table for the console."""
    widths = [max(len(table.columns[0]), *(len(r.header) for r in table.rows))]
    for i, column in enumerate(table.columns[1:]):
        widths.append(max(len(column), *(len(r.cells[i].text) for r in table.rows)))
    lines = [
        table.caption,
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(table.columns, widths))),
    ]
    lines.append("  ".join("-" * w for w in widths))
    for r in table.rows:
        lines.append("  ".join([r.header.ljust(widths[0]), *(c.text.rjust(w) for c, w in zip(r.cells, widths[1:]))]))
    lines += table.notes
    if table.suppression:
        lines.append(table.suppression)
    return "\n".join(lines)
