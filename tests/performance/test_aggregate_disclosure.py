"""Aggregates cannot be undone (issue 14): one suppression rule for every aggregate page, API answer
and file, which depends on whose records the viewer sees in full (common/disclosure.py).

The property tests play the reader with an exact solver of their own (rational Gaussian
elimination, independent of the module's): from every cell shown and every line among them, no
suppressed count, and no small sum of the councils the viewer may not see, can be worked out.
The crawl walks every aggregate page and file as a board member and as a council's social worker
in a region where one council adopted 1 or 2 children, and finds no small count of a council they
may not see."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from openraa.common.disclosure import Disclosure, Viewer
from openraa.common.years import FinancialYear
from openraa.finance.models import FundingFormula
from openraa.people import policy
from openraa.people.roles import Role
from tests import builders

SMALL_TEXTS = {"1", "2", "3", "4", "1.0", "2.0", "3.0", "4.0"}  # "1.0": a formula's one-year average
KNOWSLEY, LIVERPOOL, SEFTON = "E08000011", "E08000012", "E08000014"


# ----------------------------------------------------------------------------------------------
# The reader's own solver
# ----------------------------------------------------------------------------------------------


def _row_space(lines, known: set, variables: list):
    """Reduced rows (dict column -> Fraction) of the lines' coefficients on the unknown cells."""
    index = {k: i for i, k in enumerate(variables)}
    pivots: dict[int, dict[int, Fraction]] = {}
    for members, total in lines:
        row: dict[int, Fraction] = {}
        for k, sign in [*((m, 1) for m in members), (total, -1)]:
            if k not in known:
                row[index[k]] = row.get(index[k], Fraction(0)) + sign
        _reduce_into(pivots, {c: v for c, v in row.items() if v})
    return pivots, index


def _reduce(pivots, row):
    for col, prow in pivots.items():
        factor = row.get(col)
        if factor:
            for c, v in prow.items():
                row[c] = row.get(c, Fraction(0)) - factor * v
            row = {c: v for c, v in row.items() if v}
    return row


def _reduce_into(pivots, row):
    row = _reduce(pivots, row)
    if not row:
        return
    col = min(row)
    row = {c: v / row[col] for c, v in row.items()}
    for other, prow in list(pivots.items()):
        factor = prow.get(col)
        if factor:
            pivots[other] = {
                c: prow.get(c, Fraction(0)) - factor * row.get(c, Fraction(0)) for c in set(prow) | set(row)
            }
            pivots[other] = {c: v for c, v in pivots[other].items() if v}
    pivots[col] = row


def worked_out(d: Disclosure, lines, cells: set, combination) -> bool:
    """Whether the reader can compute the sum of `combination` (cells) exactly: the cells they know
    are those shown and not withheld, and those the viewer sees exactly."""
    known = {k for k in cells if (d.is_shown(k) and not d.withheld(k)) or k in d.pinned}
    variables = sorted((k for k in cells if k not in known), key=str)
    if all(k in known for k in combination):
        return True
    pivots, index = _row_space(lines, known, variables)
    vector = {index[k]: Fraction(1) for k in combination if k not in known}
    return not _reduce(pivots, vector)


def protected(d: Disclosure, lines, cells: set):
    """Each count and each sum of the non-exact members of a line that the reader must not work out."""
    for k in cells:
        if 0 < d.values[k] < 5 and k not in d.pinned:
            yield (k,)
    for members, total in lines:
        others = tuple(k for k in members if k not in d.pinned)
        if total not in d.pinned and 2 <= len(others) < len(members) and 0 < sum(d.values[k] for k in others) < 5:
            yield others


# ----------------------------------------------------------------------------------------------
# Property tests
# ----------------------------------------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(st.integers(min_value=2, max_value=4), st.integers(min_value=3, max_value=6), st.data())
def test_no_suppressed_count_can_be_worked_out_across_overlapping_3_year_windows(councils, years, data):
    """Councils x financial years, each year's total and every 3-year window per council and for the
    agency (what asking the scorecard for each year in turn shows), for a viewer who sees some
    councils exactly (a council's own staff) or none (the board)."""
    counts = data.draw(
        st.lists(
            st.lists(st.integers(min_value=0, max_value=9), min_size=years, max_size=years),
            min_size=councils,
            max_size=councils,
        )
    )
    own = data.draw(st.sets(st.integers(min_value=0, max_value=councils - 1), max_size=councils - 1))
    d = Disclosure(Viewer(children=frozenset(f"c{i}" for i in own)))
    lines, cells = [], set()

    def cell(key, value, council=None):
        cells.add(d.cell(key, value, council=council))
        return key

    def line(members, total):
        d.line(members, total)
        lines.append((tuple(members), total))

    groups = [(f"c{i}", row) for i, row in enumerate(counts)]
    groups.append((None, [sum(row[y] for row in counts) for y in range(years)]))
    for code, row in groups:
        for y in range(years):
            cell((code, y), row[y], code)
        for last in range(2, years):
            cell((code, "w", last), sum(row[last - 2 : last + 1]), code)
            line([(code, y) for y in range(last - 2, last + 1)], (code, "w", last))
    codes = [code for code, _ in groups[:-1]]
    for y in range(years):
        line([(c, y) for c in codes], (None, y))
    for last in range(2, years):
        line([(c, "w", last) for c in codes], (None, "w", last))
    d.resolve()
    for combination in protected(d, lines, cells):
        assert not worked_out(d, lines, cells, combination), combination


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=6), min_size=2, max_size=5),
    st.data(),
)
def test_no_suppressed_count_can_be_worked_out_of_a_table_by_solving_all_its_totals_at_once(grid, data):
    """Councils x categories with a total for each council, each category and the whole: solved as a
    system (a chain of withheld cells can be broken open where no single line shows it)."""
    rows, columns = len(grid), len(grid[0])
    grid = [row[:columns] + [0] * (columns - len(row)) for row in grid]
    own = data.draw(st.sets(st.integers(min_value=0, max_value=rows - 1), max_size=rows - 1))
    d = Disclosure(Viewer(children=frozenset(f"c{i}" for i in own)))
    lines, cells = [], set()
    for r in range(rows):
        for c in range(columns):
            cells.add(d.cell((r, c), grid[r][c], council=f"c{r}"))
        cells.add(d.cell((r, "all"), sum(grid[r]), council=f"c{r}"))
        d.line([(r, c) for c in range(columns)], (r, "all"))
        lines.append((tuple((r, c) for c in range(columns)), (r, "all")))
    for c in range(columns):
        cells.add(d.cell(("all", c), sum(grid[r][c] for r in range(rows))))
        d.line([(r, c) for r in range(rows)], ("all", c))
        lines.append((tuple((r, c) for r in range(rows)), ("all", c)))
    cells.add(d.cell(("all", "all"), sum(map(sum, grid))))
    for members in ([(r, "all") for r in range(rows)], [("all", c) for c in range(columns)]):
        d.line(members, ("all", "all"))
        lines.append((tuple(members), ("all", "all")))
    d.resolve()
    for combination in protected(d, lines, cells):
        assert not worked_out(d, lines, cells, combination), combination
    for k in d.pinned:
        assert not d.withheld(k)  # the viewer's own council is never hidden from them


def test_a_viewer_sees_their_own_council_exactly_and_no_sum_of_the_others_that_is_small():
    d = Disclosure(Viewer(children=frozenset({"k"})))
    for key, value, council in (("k", 3, "k"), ("l", 1, "l"), ("s", 1, "s"), ("all", 5, None)):
        d.cell(key, value, council=council)
    d.line(["k", "l", "s"], "all")
    d.resolve()
    assert d.text("k") == "3"  # their own: exact
    assert d.text("l") == d.text("s") == "<5"
    assert d.withheld("all")  # 5 less their own 3 would say the others adopted 2


@pytest.mark.django_db
def test_who_sees_which_councils_counts_exactly(aim):
    def viewer(role, employer="Knowsley"):
        return policy.disclosure_viewer(builders.user(role, aim, employer=employer, username=f"{role}.{employer}.v"))

    assert viewer(Role.BOARD_MEMBER).nothing and viewer(Role.FINANCE_OFFICER).nothing
    social_worker = viewer(Role.SOCIAL_WORKER, "Liverpool")
    assert social_worker.exact(LIVERPOOL) and not social_worker.exact(KNOWSLEY) and not social_worker.exact(None)
    assert not social_worker.exact(LIVERPOOL, "households")  # they see no household record
    assert viewer(Role.TEAM_MANAGER).everything and viewer(Role.ADMINISTRATOR).everything
    family_finder = viewer(Role.FAMILY_FINDER)  # others' children only as anonymised profiles
    assert family_finder.exact(KNOWSLEY) and not family_finder.exact(LIVERPOOL)
    assert family_finder.exact(LIVERPOOL, "households")


# ----------------------------------------------------------------------------------------------
# The findings
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def three(db):
    return builders.agency("tri", councils=("Knowsley", "Liverpool", "Sefton"), host="Knowsley")


def test_a_board_member_cannot_read_council_counts_off_the_formula_page_across_years_and_formulas(three, client_for):
    """Found: differencing /finance/formula/ across years gave per-council counts of 1, 2 and 6."""
    for name, orders in (("Knowsley", 1), ("Liverpool", 2), ("Sefton", 6)):
        for i in range(orders):
            builders.child(three, name, placement_order_on=date(2023, 9, 1 + i))
    one = FundingFormula.objects.create(agency=three, name="One year", weight_placement_orders=1, years_averaged=1)
    averaged = FundingFormula.objects.create(agency=three, name="Three years", weight_placement_orders=1)
    board = client_for(builders.user(Role.BOARD_MEMBER, three))
    budget = Decimal("900000.00")
    for year in ("2024-25", "2025-26", "2026-27"):
        for first, second in ((one, averaged), (averaged, one)):
            response = board.get(f"/finance/formula/?first={first.pk}&second={second.pk}&year={year}&budget={budget}")
            assert response.status_code == 200
            scenario = response.context["scenario"]
            assert scenario.rounded and scenario.hidden_counts
            for row in scenario.rows:
                assert all(v is None for v in row.averages.values()), (year, row.council.name)
                for amount in (row.first, row.second):  # no more than a whole-percent share of the budget
                    assert (amount * 100 / budget) == int(amount * 100 / budget), (year, row.council.name, amount)
            assert sum(r.first for r in scenario.rows) == budget
    # The council's own social worker sees their own council's count, and no other's.
    worker = client_for(builders.user(Role.SOCIAL_WORKER, three, employer="Liverpool", username="sw.lpool"))
    rows = {
        r.council.name: r
        for r in worker.get(f"/finance/formula/?first={one.pk}&second={averaged.pk}&year=2024-25&budget={budget}")
        .context["scenario"]
        .rows
    }
    assert rows["Liverpool"].averages["placement_orders"] == 2
    assert rows["Knowsley"].averages["placement_orders"] is None and rows["Sefton"].averages["placement_orders"] is None


def test_asking_the_api_for_each_year_in_turn_gives_no_suppressed_count_away(region, client_for):
    """Found in review: each year's page was protected on its own, so subtracting one year's 3-year
    window from the next one's (or a council from the agency) gave a withheld count away. The reader
    here collects every count the API shows for every year offered and solves them all together."""
    client = client_for(builders.user(Role.BOARD_MEMBER, region))
    known, truth, lines = {}, {}, set()
    from openraa.performance.selectors import records, scorecard_of

    loaded = records(region)
    for year in (FinancialYear(start) for start in range(2019, 2027)):
        shown = client.get(f"/performance/api/scorecard/?year={year.label}").json()
        card = scorecard_of(region, year=year, loaded=loaded)
        for g, exact in zip(shown["groups"], card.groups):
            for period, figures in zip((*g["years"], g["window"]), (*exact.years, exact.window)):
                for name in ("adoptions", "placement_orders", "approvals", "enquiries"):
                    key = (g["council"], name, period["period"])
                    truth[key] = figures.activity.count(name)
                    value = period.get("activity", {}).get(name)
                    if isinstance(value, int):
                        known[key] = value
            labels = [p["period"] for p in g["years"]]
            for name in ("adoptions", "placement_orders", "approvals", "enquiries"):
                lines.add(
                    (
                        tuple((g["council"], name, label) for label in labels),
                        (g["council"], name, g["window"]["period"]),
                    )
                )
        councils = [g["council"] for g in shown["groups"][:-1]]
        for label in [p["period"] for p in shown["groups"][-1]["years"]] + [shown["groups"][-1]["window"]["period"]]:
            for name in ("adoptions", "placement_orders", "approvals", "enquiries"):
                lines.add((tuple((c, name, label) for c in councils), (None, name, label)))
    cells = set(truth)
    d = Disclosure(True)  # only to carry what is known: shown cells are those the API gave
    for key, value in truth.items():
        d.cell(key, value, shown=key in known)
    d.resolve = lambda: d  # the reader's view is the API's, not a new resolution
    d._resolved, d.low, d.secondary = True, set(), set()
    small = [k for k in cells if 0 < truth[k] < 5]
    assert small  # the region has small counts to protect
    for key in small:
        assert key not in known, key
        assert not worked_out(d, list(lines), cells, (key,)), key


def _adopted(agency, council_name, day, **overrides):
    household = builders.household(agency, council_name)
    return builders.child(
        agency,
        council_name,
        linked_on=date(2023, 10, 1),
        matching_panel_on=date(2023, 11, 1),
        matched_on=date(2023, 11, 10),
        placed_on=date(2023, 12, 1),
        adoption_order_on=day,
        household=household,
        **overrides,
    )


@pytest.fixture
def region(aim):
    """Knowsley adopted 6 children in 2024-25; Liverpool adopted 1, who is disabled."""
    for i in range(6):
        _adopted(aim, "Knowsley", date(2024, 6, 3 + i))
    _adopted(aim, "Liverpool", date(2024, 7, 1), needs={"autism": "medium"})
    builders.child(aim, "Liverpool")  # waiting
    return aim


def test_a_social_worker_sees_no_other_councils_breakdowns(region, client_for):
    """Found: a council's social worker saw another council's breakdowns ("Disabled: 1 adopted, 456 days")."""
    client = client_for(builders.user(Role.SOCIAL_WORKER, region, employer="Knowsley"))
    page = client.get(f"/performance/?year=2024-25&council={LIVERPOOL}")
    assert page.context["breakdown_name"] != "Liverpool"
    for table in page.context["breakdowns"]:
        for row in table.rows:
            assert row.cells[0].text not in SMALL_TEXTS, (table.key, row.header)
    api = client.get(f"/performance/api/scorecard/?year=2024-25&council={LIVERPOOL}").json()
    assert all("breakdowns" not in g for g in api["groups"] if g["council"] == LIVERPOOL)
    # Their own council's figures stay exact for them.
    own = client.get(f"/performance/?year=2024-25&council={KNOWSLEY}")
    assert own.context["breakdown_name"] == "Knowsley"
    knowsley = next(r for r in own.context["timeliness"][1].rows if r.header == "Knowsley")
    assert "6" in [c.text for c in knowsley.cells]


# ----------------------------------------------------------------------------------------------
# The crawl
# ----------------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Every table of a page as (caption, rows of cell texts)."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._in_caption = [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(["", []])
        elif tag == "caption" and self.tables:
            self._in_caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1][1]:
            self.tables[-1][1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._in_caption and self.tables:
            self.tables[-1][0] += data
        elif self._cell is not None:
            self._cell.append(data)


def _not_counts(header: str) -> bool:
    return any(word in header.lower() for word in ("days", "within", "share", "£", "last year", "a:", "b:", "b less"))


def _small_counts_in(caption: str, rows: list[list[str]], hidden: dict[str, str]) -> list:
    """Cells of a council the viewer may not see that show 1 to 4, in tables with councils as rows
    or as columns; columns of days, money and shares are not counts."""
    if not rows or "average days" in caption.lower():
        return []
    found = []
    header = rows[0]
    columns = [i for i, h in enumerate(header) if h in hidden]
    for row in rows[1:]:
        if row and row[0] in hidden:
            found += [
                (caption, row[0], header[i], c)
                for i, c in enumerate(row[1:], start=1)
                if i < len(header) and not _not_counts(header[i]) and c in SMALL_TEXTS
            ]
        elif row and not _not_counts(row[0]):
            found += [(caption, row[0], header[i], row[i]) for i in columns if i < len(row) and row[i] in SMALL_TEXTS]
    return found


def _api_small_counts(data: dict, hidden_codes: set[str]) -> list:
    found = []
    for g in data["groups"]:
        if g["council"] not in hidden_codes:
            continue
        for period in (*g["years"], g["window"]):
            for name in ("a1", "a2", "a10"):
                if period[name]["children"] in (1, 2, 3, 4):
                    found.append((g["name"], period["period"], name))
            found += [
                (g["name"], period["period"], k) for k, v in period.get("activity", {}).items() if v in (1, 2, 3, 4)
            ]
    return found


@pytest.mark.parametrize(
    "role,employer,hidden",
    [
        (Role.BOARD_MEMBER, "Knowsley", {"Knowsley": KNOWSLEY, "Liverpool": LIVERPOOL}),
        (Role.FINANCE_OFFICER, "Knowsley", {"Knowsley": KNOWSLEY, "Liverpool": LIVERPOOL}),
        (Role.SOCIAL_WORKER, "Knowsley", {"Liverpool": LIVERPOOL}),
    ],
)
def test_no_aggregate_page_or_file_shows_a_small_count_of_a_council_the_viewer_may_not_see(
    region, client_for, role, employer, hidden
):
    FundingFormula.objects.create(agency=region, name="One year", weight_adoption_orders=1, years_averaged=1)
    FundingFormula.objects.create(agency=region, name="Orders", weight_placement_orders=1)
    formulas = list(FundingFormula.objects.filter(agency=region).values_list("pk", flat=True))
    client = client_for(builders.user(role, region, employer=employer, username=f"crawl.{role}"))
    pages = ["/", "/performance/board/", "/finance/councils/", f"/finance/councils/{LIVERPOOL}/"]
    for year in range(2019, 2027):
        label = FinancialYear(year).label
        pages += [
            f"/performance/?year={label}",
            f"/performance/?year={label}&council={LIVERPOOL}",
            f"/performance/board/?year={label}",
            f"/finance/formula/?first={formulas[0]}&second={formulas[1]}&year={year}&budget=1000000.00",
        ]
    found = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        parser = _Tables()
        parser.feed(response.content.decode())
        for caption, rows in parser.tables:
            found += [(url, *f) for f in _small_counts_in(caption, rows, hidden)]
        found += [
            (url, m)
            for m in re.findall(
                r"\b[1-4] (?:placements? of its|approved household|waiting child)", response.content.decode()
            )
        ]
    for year in ("2023-24", "2024-25", "2025-26"):
        data = client.get(f"/performance/api/scorecard/?year={year}&council={LIVERPOOL}").json()
        found += [("api", year, *f) for f in _api_small_counts(data, set(hidden.values()))]
        book = load_workbook(io.BytesIO(client.get(f"/performance/board/pack.xlsx?year={year}").content))
        for sheet in book.worksheets[1:]:
            values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            found += [("xlsx", year, *f) for f in _small_counts_in(values[0][0] if values else "", values[1:], hidden)]
    assert not found, found[:10]


def test_the_crawl_sees_small_counts_where_the_viewer_may_see_them(region, client_for):
    """The crawl's check can fail: a team manager, who sees every record, is shown Liverpool's 1."""
    client = client_for(builders.user(Role.TEAM_MANAGER, region, username="crawl.tm"))
    parser = _Tables()
    parser.feed(client.get("/performance/?year=2024-25").content.decode())
    found = [f for caption, rows in parser.tables for f in _small_counts_in(caption, rows, {"Liverpool": LIVERPOOL})]
    assert found  # Liverpool's 1 adoption, shown to someone who sees every record
