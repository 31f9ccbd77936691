"""The scorecard and the board's figures as tables and charts, the same for every output: the pages,
the board pack's PDF and XLSX, the API and the console. Pure Python.

One `ScorecardOutput` or `BoardOutput` registers every count it shows (and the counts its totals
are made of) with one `Disclosure`, so that small numbers are suppressed consistently across all
the tables and charts of that page or file when it is shown to someone who may not see records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from openraa.performance import charts
from openraa.performance.disclosure import CHILDREN, HOUSEHOLDS, KEY_NOTE, WITHHELD, Disclosure, Viewer
from openraa.performance.scorecard import (AGENCY, BREAKDOWNS, FLOWS, HARD_TO_PLACE, HARD_TO_PLACE_ANY,
                                           INDICATOR_LABELS, NESTED_STOCKS, STOCKS, WAIT_BANDS, BoardFigures,
                                           Indicator, PeriodFigures, Scorecard, activity_labels, quarter_of)

NO_CHILDREN = "–"


@dataclass
class Cell:
    text: str
    value: float | int | None = None  # the number behind the text, None when withheld or empty
    numeric: bool = True
    tag: str = ""  # "met" / "missed" for a threshold


@dataclass
class Row:
    header: str
    cells: list[Cell]
    total: bool = False


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]  # the first names the row headers
    rows: list[Row]
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"key": self.key, "caption": self.caption, "columns": self.columns,
                "rows": [{"header": r.header, "total": r.total, "cells": [c.text for c in r.cells]} for r in self.rows],
                "notes": self.notes}


def _days(ind: Indicator, withheld: bool) -> Cell:
    if withheld:
        return Cell(WITHHELD)
    if ind.rounded is None:
        return Cell(NO_CHILDREN)
    return Cell(f"{ind.rounded:,}", ind.rounded)


def _count(d: Disclosure, key) -> Cell:
    return Cell(d.text(key), d.value(key))


def _status(ind: Indicator, threshold: int, withheld: bool) -> Cell:
    if withheld:
        return Cell(WITHHELD, numeric=False)
    met = ind.meets(threshold)
    if met is None:
        return Cell(NO_CHILDREN, numeric=False)
    return Cell("Yes" if met else "No", numeric=False, tag="met" if met else "missed")


def _t(count: str, code: str, label: str) -> tuple:
    return ("t", count, code, label)


def _count_of(indicator: str) -> str:
    """A10 counts exactly A1's children, so the two share their counts."""
    return "a2" if indicator == "a2" else "a1"


HOUSEHOLD_MEASURES = frozenset({"enquiries", "approvals", "households_waiting", "households_waiting_long"})


def kind_of(measure: str) -> str:
    return HOUSEHOLDS if measure in HOUSEHOLD_MEASURES else CHILDREN


def _owner(code: str) -> str | None:
    return code or None  # the agency-wide group is a total over councils


def breakdown_groups(card: Scorecard, viewer: Viewer) -> list[str]:
    """Whose breakdowns a viewer may ask for: the agency's, and each council they see exactly."""
    return [g.code for g in card.groups if g.is_agency or viewer.exact(g.code)]


def register_scorecard(d: Disclosure, card: Scorecard) -> None:
    """Every count of one scorecard and the lines among them. Registering the scorecards of several
    years in one Disclosure protects them together: a year's figures cannot then be subtracted from
    another's to find what either withholds."""
    labels = [p.period.label for p in card.agency.years]
    window = card.window.label
    year = card.year.label
    codes = [g.code for g in card.councils]
    offered = set(breakdown_groups(card, d.viewer))
    for count in ("a1", "a2"):
        for g in card.groups:
            for p in (*g.years, g.window):
                d.cell(_t(count, g.code, p.period.label), p.timeliness.indicator(count).children, council=_owner(g.code))
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
                keys = []
                for row in g.breakdowns:
                    if row.dimension == dimension:
                        keys.append(d.cell(_b(count, g.code, dimension, row.category, window),
                                           row.timeliness.indicator(count).children, council=_owner(g.code)))
                d.line(keys, _t(count, g.code, window))
        shown_councils = [c for c in codes if c in offered]
        rest = [g for g in card.councils if g.code not in offered]
        if shown_councils:
            for dimension, categories in BREAKDOWNS.items():
                for category in categories:
                    keys = [_b(count, c, dimension, category, window) for c in shown_councils]
                    if rest:
                        n = sum(r.timeliness.indicator(count).children for g in rest for r in g.breakdowns
                                if (r.dimension, r.category) == (dimension, category))
                        keys.append(d.cell(_b(count, "other councils", dimension, category, window), n, shown=False))
                    d.line(keys, _b(count, AGENCY, dimension, category, window))
    for name in FLOWS:
        for g in card.groups:
            for p in (*g.years, g.window):
                d.cell(("f", name, g.code, p.period.label), p.activity.count(name),
                       shown=p.period.label in (year, window), council=_owner(g.code), kind=kind_of(name))
            d.line([("f", name, g.code, label) for label in labels], ("f", name, g.code, window))
        for label in (*labels, window):
            d.line([("f", name, c, label) for c in codes], ("f", name, AGENCY, label))
    on = card.agency.years[-1].counted_on
    for name in STOCKS:
        for g in card.groups:
            d.cell(("s", name, g.code, on), g.years[-1].activity.count(name), council=_owner(g.code),
                   kind=kind_of(name))
        d.line([("s", name, c, on) for c in codes], ("s", name, AGENCY, on))
    for part, whole in NESTED_STOCKS:
        for g in card.groups:
            a = g.years[-1].activity
            rest = ("s-rest", part, g.code, on)
            d.cell(rest, a.count(whole) - a.count(part), shown=False, council=_owner(g.code), kind=kind_of(part))
            d.line([("s", part, g.code, on), rest], ("s", whole, g.code, on))


def _b(count: str, code: str, dimension: str, category: str, window: str) -> tuple:
    return ("b", count, code, dimension, category, window)


def publish(cards: Sequence[Scorecard], board: BoardFigures | None, viewer: Viewer | bool) -> Disclosure:
    """One Disclosure for everything one viewer can ask for: the scorecards of every year offered
    and the board's figures, resolved together."""
    d = Disclosure(viewer)
    for card in cards:
        register_scorecard(d, card)
    if board is not None:
        register_board(d, board, [y for card in cards for y in card.agency.years])
    return d.resolve()


class ScorecardOutput:
    """The scorecard's tables. `disclosure`: from `publish` (every output the viewer can ask for),
    else one for this scorecard alone, for `suppress` (a Viewer, or True for the board's view).
    `breakdown_group`: whose breakdowns to show, if the viewer may see them."""

    def __init__(self, card: Scorecard, *, suppress: Viewer | bool = True, breakdown_group: str = AGENCY,
                 disclosure: Disclosure | None = None):
        self.card = card
        if disclosure is None:
            disclosure = publish([card], None, suppress)
        self.d = disclosure
        self.suppress = disclosure.active
        self.breakdown_group = (breakdown_group if breakdown_group in breakdown_groups(card, disclosure.viewer)
                                else AGENCY)
        self.stock_day = card.agency.years[-1].counted_on

    # Tables ------------------------------------------------------------------------------
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
        for g in card.groups:
            cells = []
            for p in (*g.years, g.window):
                key = _t(count, g.code, p.period.label)
                cells += [_count(d, key), _days(p.timeliness.indicator(indicator), d.withheld(key))]
            key = _t(count, g.code, card.window.label)
            cells.append(_status(g.window.timeliness.indicator(indicator), threshold, d.withheld(key)))
            rows.append(Row(g.name, cells, total=g.is_agency))
        notes = [f"Threshold {threshold} days. Average days are child-weighted; the 3-year figure is over every "
                 "child adopted in the three years."]
        if indicator == "a2":
            notes.append("Only children with a placement order; a match before the order counts 0 days.")
        if indicator == "a10":
            notes.append("For adoptions by the child's early permanence (foster) carers the clock stops when the "
                         "foster placement with them began.")
        return Table(indicator, INDICATOR_LABELS[indicator], columns, rows, notes)

    def activity(self, window: bool = False) -> Table:
        card, d = self.card, self.d
        labels = activity_labels(card.thresholds)
        period = card.window if window else card.year
        names = FLOWS if window else (*FLOWS, *STOCKS)
        columns = ["Measure", *(g.name for g in card.groups)]
        rows = []
        for name in names:
            if name in STOCKS:
                cells = [_count(d, ("s", name, g.code, self.stock_day)) for g in card.groups]
            else:
                cells = [_count(d, ("f", name, g.code, period.label)) for g in card.groups]
            rows.append(Row(labels[name], cells))
        if window:
            caption = f"Activity over the 3 years {period.label}"
            notes = []
        else:
            caption = f"Activity in {period.label}"
            notes = [f"Children and households waiting are counted on {self.stock_day:%-d %B %Y}."]
        return Table("activity-window" if window else "activity", caption, columns, rows, notes)

    def breakdowns(self) -> list[Table]:
        card, d = self.card, self.d
        g = card.group(self.breakdown_group)
        t = card.thresholds
        tables = []
        for dimension in BREAKDOWNS:
            rows = []
            for row in g.breakdowns:
                if row.dimension != dimension:
                    continue
                a1_key = _b("a1", g.code, dimension, row.category, card.window.label)
                a2_key = _b("a2", g.code, dimension, row.category, card.window.label)
                tl = row.timeliness
                rows.append(Row(row.category, [
                    _count(d, a1_key), _days(tl.a1, d.withheld(a1_key)), _days(tl.a10, d.withheld(a1_key)),
                    _count(d, a2_key), _days(tl.a2, d.withheld(a2_key)),
                ]))
            w = g.window.timeliness
            a1_key, a2_key = _t("a1", g.code, card.window.label), _t("a2", g.code, card.window.label)
            rows.append(Row("All children", [
                _count(d, a1_key), _days(w.a1, d.withheld(a1_key)), _days(w.a10, d.withheld(a1_key)),
                _count(d, a2_key), _days(w.a2, d.withheld(a2_key)),
            ], total=True))
            tables.append(Table(
                f"breakdown-{dimension.lower().replace(' ', '-')}",
                f"Timeliness by {dimension.lower()}, {g.name}, 3 years {card.window.label}",
                [dimension, "Adopted: children", f"A1 average days ({t.a1_days})", f"A10 average days ({t.a10_days})",
                 "With a placement order: children", f"A2 average days ({t.a2_days})"],
                rows,
            ))
        return tables

    def tables(self) -> list[Table]:
        return [*(self.timeliness(i) for i in ("a10", "a1", "a2")), self.activity(), self.activity(window=True),
                *self.breakdowns()]

    def notes(self) -> list[str]:
        notes = [f"{n.text}: {n.children}" for n in self.card.notes] if not self.suppress else []
        if self.suppress:
            notes.append(KEY_NOTE)
        return notes

    def api_dict(self) -> dict:
        """The scorecard as plain data, with withheld counts as their marks and their averages null."""
        card, d = self.card, self.d
        t = card.thresholds

        def indicator(name, ind: Indicator, key) -> dict:
            withheld = d.withheld(key)
            return {"children": d.text(key) if withheld else ind.children,
                    "average_days": None if withheld or ind.average is None else round(ind.average, 1),
                    "threshold_days": t.for_indicator(name),
                    "within_threshold": None if withheld else ind.meets(t.for_indicator(name))}

        def period(g, p, with_activity: bool) -> dict:
            out = {"period": p.period.label, "start": p.period.start.isoformat(), "end": p.period.end.isoformat(),
                   **{name: indicator(name, p.timeliness.indicator(name), _t(_count_of(name), g.code, p.period.label))
                      for name in ("a1", "a2", "a10")}}
            if with_activity:
                activity = {}
                for name in FLOWS:
                    key = ("f", name, g.code, p.period.label)
                    if d.is_shown(key):
                        activity[name] = d.value(key) if not d.withheld(key) else d.text(key)
                if p.period == card.year:
                    activity["counted_on"] = self.stock_day.isoformat()
                    for name in STOCKS:
                        key = ("s", name, g.code, self.stock_day)
                        activity[name] = d.value(key) if not d.withheld(key) else d.text(key)
                if activity:
                    out["activity"] = activity
            return out

        groups = []
        for g in card.groups:
            entry = {"council": g.code or None, "name": g.name,
                     "years": [period(g, p, True) for p in g.years], "window": period(g, g.window, True)}
            if g.code == self.breakdown_group:
                entry["breakdowns"] = [
                    {"dimension": row.dimension, "category": row.category,
                     **{name: indicator(name, row.timeliness.indicator(name),
                                        _b(_count_of(name), g.code, row.dimension, row.category, card.window.label))
                        for name in ("a1", "a2", "a10")}}
                    for row in g.breakdowns
                ]
            groups.append(entry)
        return {
            "as_of": card.as_of.isoformat(), "year": card.year.label, "window": card.window.label,
            "suppressed": self.suppress,
            "thresholds": {"a1_days": t.a1_days, "a2_days": t.a2_days, "a10_days": t.a10_days,
                           "waiting_days": t.waiting_days, "long_wait_months": t.long_wait_months,
                           "household_wait_months": t.household_wait_months},
            "groups": groups,
            "notes": self.notes(),
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
        bands = [d.cell(("band", g.code, band, on), n, council=_owner(g.code)) for band, n in zip(WAIT_BANDS, g.wait_bands)]
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

    def __init__(self, card: Scorecard, board: BoardFigures, *, suppress: Viewer | bool = True,
                 disclosure: Disclosure | None = None):
        self.card, self.board = card, board
        if disclosure is None:
            disclosure = publish([card], board, suppress)
        self.d = disclosure
        self.suppress = disclosure.active
        self.today = board.as_of
        self.scorecard = ScorecardOutput(card, disclosure=disclosure)

    # Tables --------------------------------------------------------------------------------
    def quarterly(self, name: str) -> Table:
        board, d = self.board, self.d
        labels = {"adoptions": "Adoption orders", "placement_orders": "Placement orders",
                  "approvals": "Households approved", "children_waiting": "Children waiting at the end of the quarter"}
        rows = []
        for g in board.groups:
            cells = []
            for q in g.quarters:
                key = (("s", name, g.code, q.counted_on) if name == "children_waiting"
                       else ("f", name, g.code, q.period.label))
                cells.append(_count(d, key))
            rows.append(Row(g.name, cells, total=g.code == AGENCY))
        notes = ([f"The current quarter is counted to {board.as_of:%-d %B %Y}."]
                 if board.quarters[-1].end > board.as_of else [])
        return Table(f"quarterly-{name.replace('_', '-')}", f"{labels[name]} by quarter",
                     ["Council", *(q.label for q in board.quarters)], rows, notes)

    def quarterly_a10(self) -> Table:
        board, d = self.board, self.d
        rows = []
        for g in board.groups:
            cells = []
            for q in g.quarters:
                key = _t("a1", g.code, q.period.label)
                cells.append(_days(q.a10, d.withheld(key)))
            rows.append(Row(g.name, cells, total=g.code == AGENCY))
        return Table("quarterly-a10", "A10 average days for the children adopted in each quarter",
                     ["Council", *(q.label for q in board.quarters)], rows,
                     [f"Threshold {self.card.thresholds.a10_days} days."])

    def waits(self) -> Table:
        board, d = self.board, self.d
        rows = []
        for g in board.groups:
            cells = [_count(d, ("band", g.code, band, self.today)) for band in WAIT_BANDS]
            cells.append(_count(d, ("s", "children_waiting", g.code, self.today)))
            rows.append(Row(g.name, cells, total=g.code == AGENCY))
        return Table("waits", f"Children waiting on {self.today:%-d %B %Y} by time since the placement order",
                     ["Council", *WAIT_BANDS, "All waiting"], rows)

    def hard_to_place(self) -> Table:
        board, d = self.board, self.d
        a = board.agency
        rows = []
        for k, (label, group) in enumerate(zip((*HARD_TO_PLACE, HARD_TO_PLACE_ANY), a.hard_to_place)):
            key = ("hard", k, self.today)
            withheld = d.withheld(key)
            share = (Cell(WITHHELD) if withheld else
                     Cell(f"{100 * group.children / a.waiting.children:.0f}%", round(100 * group.children / a.waiting.children))
                     if a.waiting.children else Cell(NO_CHILDREN))
            days = Indicator(group.children, group.total_days)
            rows.append(Row(label, [_count(d, key), share, _days(days, withheld)], total=k == len(HARD_TO_PLACE)))
        key = ("s", "children_waiting", AGENCY, self.today)
        rows.append(Row("All children waiting", [_count(d, key), Cell("100%" if a.waiting.children else NO_CHILDREN),
                                                  _days(Indicator(a.waiting.children, a.waiting.total_days),
                                                        d.withheld(key))], total=True))
        return Table("hard-to-place", f"Children waiting on {self.today:%-d %B %Y} whose family is harder to find",
                     ["Characteristic", "Children", "Share of those waiting", "Average days since the order"], rows,
                     ["A child can have more than one of these characteristics."])

    def summary(self) -> Table:
        """A10, A1 and A2 over the 3 years per council, against the thresholds."""
        card, d = self.card, self.d
        t = card.thresholds
        rows = []
        for g in card.groups:
            cells = []
            for name in ("a10", "a1", "a2"):
                key = _t(_count_of(name), g.code, card.window.label)
                ind = g.window.timeliness.indicator(name)
                cells += [_days(ind, d.withheld(key)), _status(ind, t.for_indicator(name), d.withheld(key))]
            rows.append(Row(g.name, cells, total=g.is_agency))
        return Table("summary", f"Scorecard, 3 years {card.window.label}",
                     ["Council", "A10 average days", f"A10 within {t.a10_days}", "A1 average days",
                      f"A1 within {t.a1_days}", "A2 average days", f"A2 within {t.a2_days}"], rows)

    def tables(self) -> list[Table]:
        s = self.scorecard
        return [self.summary(), *(s.timeliness(i) for i in ("a10", "a1", "a2")), s.activity(),
                self.quarterly("adoptions"), self.quarterly_a10(), self.quarterly("children_waiting"),
                self.quarterly("placement_orders"), self.quarterly("approvals"), self.waits(), self.hard_to_place()]

    # Charts --------------------------------------------------------------------------------
    def charts(self) -> list[charts.Chart]:
        board, d = self.board, self.d
        quarters = [q.label.split(" ")[-1] + " " + q.label.split(" ")[0] for q in board.quarters]

        def series(name: str) -> list[charts.Series]:
            out = []
            for g in board.councils:
                values = []
                for q in g.quarters:
                    key = (("s", name, g.code, q.counted_on) if name == "children_waiting"
                           else ("f", name, g.code, q.period.label))
                    values.append(charts.Value(d.value(key), d.text(key)))
                out.append(charts.Series(g.name, values))
            return out

        a10 = []
        for q in board.agency.quarters:
            key = _t("a1", AGENCY, q.period.label)
            withheld = d.withheld(key)
            a10.append(charts.Value(None if withheld else q.a10.rounded,
                                    WITHHELD if withheld else (f"{q.a10.rounded}" if q.a10.rounded is not None else "")))
        bands = [charts.Value(d.value(("band", AGENCY, b, self.today)), d.text(("band", AGENCY, b, self.today)))
                 for b in WAIT_BANDS]
        hard = [charts.Value(d.value(("hard", k, self.today)), d.text(("hard", k, self.today)))
                for k in range(len(HARD_TO_PLACE) + 1)]
        return [
            charts.Chart("chart-adoptions", "Adoption orders per quarter by council", quarters, series("adoptions"),
                         "Adoption orders"),
            charts.Chart("chart-waiting", "Children waiting at the end of each quarter by council", quarters,
                         series("children_waiting"), "Children"),
            charts.Chart("chart-a10", "A10 average days per quarter, all councils", quarters,
                         [charts.Series("All councils", a10)], "Days", threshold=self.card.thresholds.a10_days,
                         threshold_label=f"Threshold {self.card.thresholds.a10_days} days"),
            charts.Chart("chart-waits", f"Children waiting on {self.today:%-d %B %Y} by time since the placement order",
                         list(WAIT_BANDS), [charts.Series("All councils", bands)], "Children"),
            charts.Chart("chart-hard", "Children waiting whose family is harder to find",
                         [*HARD_TO_PLACE, HARD_TO_PLACE_ANY], [charts.Series("All councils", hard)], "Children",
                         horizontal=True),
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
    lines = [table.caption, "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(table.columns, widths)))]
    lines.append("  ".join("-" * w for w in widths))
    for r in table.rows:
        lines.append("  ".join([r.header.ljust(widths[0]), *(c.text.rjust(w) for c, w in zip(r.cells, widths[1:]))]))
    lines += table.notes
    return "\n".join(lines)
