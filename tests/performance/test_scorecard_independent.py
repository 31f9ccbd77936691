"""The scorecard proved against a second calculation: a council's synthetic SSDA903 returns for six
collection years (openraa/interchange/ssda903/synthetic.py) are imported in one run, oldest first, and
`openraa scorecard --json` must give what the DfE's definitions give when applied here, directly to
the returned episodes, AD1 and PlacedAdoption rows (read from the CSV files, not through OpenRAA's
reader, mapping or scorecard):

- A1: days from the start of the period of care (the DECOM of its RNE S episode) to the day the
  child moved in with the adoptive family (the DECOM of the run of A3-A6 episodes with the same
  carers that ended in the adoption), for children whose period ended E11/E12 in the year;
- A10: as A1, but for adoptions by the foster carers (AD1 FOSTER_CARE 1) the clock stops when the
  foster placement with them began: the start of the run of episodes with the same carers (RNE L,
  T, U continue a run; S, P, B start one) before the adoptive placement;
- A2: days from the placement order (the first E1 episode of the period) to AD1 DATE_MATCH, 0 when
  matched before the order; only children with an order;
- A3: the percentage of A1's children whose A1 is under 426 days (14 months);
- 3-year figures: child-weighted over the window (total days over all its children);
- counts: adoptions, placement orders (the first E1 of a period) and ADM decisions (DATE_PLACED)
  in each year; children waiting on the year's last day (an open episode under E1 that is not a
  placement for adoption, with a decision to place that has not ceased).

"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from openraa.common.years import FinancialYear
from openraa.interchange.ssda903 import reading, synthetic
from tests import builders

COUNCIL = "E08000011"  # Knowsley
YEAR = FinancialYear(2024)  # the scorecard's year: 2024-25, window 2022-25
AS_OF = "2025-06-30"  # after the last return's year: every figure is final
SEEDS = (1, 2)
CHILDREN = 110  # with an adoption plan; about 70 adopted over the six years, 60 in the window
PLACED_FOR_ADOPTION = ("A3", "A4", "A5", "A6")
ADOPTED = ("E11", "E12")
SAME_CARERS = ("L", "T", "U")  # the new episode continues with the carers of the one before
A3_DAYS = 426


# ----------------------------------------------------------------------------------------------
# The second calculation: straight from the returned rows
# ----------------------------------------------------------------------------------------------


def _day(text: str) -> date | None:
    return datetime.strptime(text, "%d/%m/%Y").date() if text else None


@dataclass
class Returned:
    """One child as the returns show it: each row in its latest return (a later return closes an
    episode an earlier one left open, and gives a decision's reversal)."""

    episodes: dict[date, dict] = field(default_factory=dict)  # DECOM -> row
    decisions: dict[date, dict] = field(default_factory=dict)  # DATE_PLACED -> row
    ad1: dict | None = None

    def sorted_episodes(self) -> list[dict]:
        return [self.episodes[d] for d in sorted(self.episodes)]

    def periods(self) -> list[list[dict]]:
        periods: list[list[dict]] = []
        for episode in self.sorted_episodes():
            if episode["RNE"] == "S" or not periods:
                periods.append([])
            periods[-1].append(episode)
        return periods


@functools.cache
def council(seed: int) -> synthetic.CouncilReturns:
    return synthetic.council_returns(seed, children=CHILDREN)


def returned(returns: synthetic.CouncilReturns) -> dict[str, Returned]:
    children: dict[str, Returned] = defaultdict(Returned)
    for year in returns.years:
        for name, content in returns.files(year):
            for row in csv.DictReader(io.StringIO(content.decode("utf-8"))):
                child = children[row["CHILD"]]
                if name == "episodes.csv":
                    child.episodes[_day(row["DECOM"])] = row
                elif name == "placed_for_adoption.csv":
                    child.decisions[_day(row["DATE_PLACED"])] = row
                elif name == "ad1.csv":
                    child.ad1 = row
    return dict(children)


@dataclass(frozen=True)
class Adoption:
    adopted_on: date
    a1: int
    a10: int
    a2: int | None


def adoption(child: Returned) -> Adoption | None:
    for period in child.periods():
        last = period[-1]
        if last["REC"] not in ADOPTED:
            continue
        assert period[0]["RNE"] == "S", "a period's first episode is in the returns"
        started = _day(period[0]["DECOM"])
        k = len(period) - 1
        assert last["PLACE"] in PLACED_FOR_ADOPTION
        while period[k]["RNE"] in SAME_CARERS and period[k - 1]["PLACE"] in PLACED_FOR_ADOPTION:
            k -= 1
        moved_in = _day(period[k]["DECOM"])
        stop = moved_in
        if child.ad1["FOSTER_CARE"] == "1":
            j = k
            while period[j]["RNE"] in SAME_CARERS:
                j -= 1
            stop = _day(period[j]["DECOM"])
        order = next((_day(e["DECOM"]) for e in period if e["LS"] == "E1"), None)
        matched = _day(child.ad1["DATE_MATCH"])
        return Adoption(
            _day(last["DEC"]),
            (moved_in - started).days,
            (stop - started).days,
            None if order is None else max(0, (matched - order).days),
        )
    return None


def placement_orders(child: Returned) -> list[date]:
    return [
        next(_day(e["DECOM"]) for e in period if e["LS"] == "E1")
        for period in child.periods()
        if any(e["LS"] == "E1" for e in period)
    ]


def decisions(child: Returned) -> set[date]:
    found = set(child.decisions)
    if child.ad1 and child.ad1["DATE_INT"]:
        found.add(_day(child.ad1["DATE_INT"]))
    return found


def waiting(child: Returned, on: date) -> bool:
    episode = next(
        (e for e in child.sorted_episodes() if _day(e["DECOM"]) <= on and (not e["DEC"] or _day(e["DEC"]) > on)), None
    )
    if episode is None or episode["LS"] != "E1" or episode["PLACE"] in PLACED_FOR_ADOPTION:
        return False
    return any(
        placed <= on and not (row["DATE_PLACED_CEASED"] and _day(row["DATE_PLACED_CEASED"]) <= on)
        for placed, row in child.decisions.items()
    )


@dataclass
class Expected:
    """The figures of one period by the DfE's definitions."""

    a1: list[int] = field(default_factory=list)
    a10: list[int] = field(default_factory=list)
    a2: list[int] = field(default_factory=list)
    adoptions: int = 0
    placement_orders: int = 0
    adm_decisions: int = 0

    def add(self, other: Expected) -> None:
        for name in ("a1", "a10", "a2"):
            getattr(self, name).extend(getattr(other, name))
        self.adoptions += other.adoptions
        self.placement_orders += other.placement_orders
        self.adm_decisions += other.adm_decisions


def expected(children: dict[str, Returned]) -> tuple[dict[str, Expected], int]:
    """Each year of the window and the window itself (by label), and the children waiting at the end."""
    window = YEAR.window(3)
    years = {y.label: Expected() for y in window}
    for child in children.values():
        done = adoption(child)
        if done:
            year = FinancialYear.containing(done.adopted_on)
            if year in window:
                figures = years[year.label]
                figures.adoptions += 1
                figures.a1.append(done.a1)
                figures.a10.append(done.a10)
                if done.a2 is not None:
                    figures.a2.append(done.a2)
        for day in placement_orders(child):
            if FinancialYear.containing(day) in window:
                years[FinancialYear.containing(day).label].placement_orders += 1
        for day in decisions(child):
            if FinancialYear.containing(day) in window:
                years[FinancialYear.containing(day).label].adm_decisions += 1
    total = Expected()
    for figures in years.values():
        total.add(figures)
    years["window"] = total
    return years, sum(waiting(child, YEAR.ends_on) for child in children.values())


def average(days: list[int]) -> float | None:
    return round(sum(days) / len(days), 1) if days else None


# ----------------------------------------------------------------------------------------------
# OpenRAA: the returns imported year by year, then `openraa scorecard --json`
# ----------------------------------------------------------------------------------------------


@dataclass
class Imported:
    returns: synthetic.CouncilReturns
    rejected: list[tuple[int, str, str]]  # (year, child, reason) of every import run
    held: set[str]  # the CHILD ids OpenRAA holds
    cards: dict[str, dict]  # `scorecard --year LABEL --json` for each year of the window
    card_bare: dict  # --year 2025
    expected: dict[str, Expected]  # the second calculation, per year and "window"
    waiting: int  # children waiting on the last day of 2024-25, by the second calculation

    @property
    def card(self) -> dict:
        return self.cards[YEAR.label]


def _scorecard(year: str) -> dict:
    out = io.StringIO()
    call_command(
        "scorecard", "--agency", "aim", "--council", COUNCIL, "--year", year, "--date", AS_OF, "--json", stdout=out
    )
    return json.loads(out.getvalue())


def _import(returns: synthetic.CouncilReturns, folder) -> None:
    """The council's returns in one run, as a council brings its history: every year's folder (named
    by its year), which the import reads oldest first, each with the episodes of the earlier ones."""
    call_command(
        "import_ssda903", *map(str, returns.write(folder)), "--council", COUNCIL, verbosity=0, stdout=io.StringIO()
    )


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def imported(request, django_db_setup, django_db_blocker, tmp_path_factory) -> Imported:
    """One import of the six years per seed, shared by the tests (rolled back afterwards). The tests
    that use it are marked django_db: pytest-django sets up the test database only for such tests."""
    from openraa.children.models import Child
    from openraa.interchange.models import ImportRun

    returns = council(request.param)
    with django_db_blocker.unblock(), transaction.atomic():
        knowsley = builders.agency("aim", councils=("Knowsley",)).memberships.get().council
        _import(returns, tmp_path_factory.mktemp(f"ssda903-seed{request.param}"))
        rejected = [
            (run.year, line["child"], line["reason"])
            for run in ImportRun.objects.filter(council=knowsley)
            for line in csv.DictReader(io.StringIO(run.report))
            if line["outcome"] == "rejected"
        ]
        held = set(Child.objects.filter(responsible_council=knowsley).values_list("council_child_id", flat=True))
        cards = {year.label: _scorecard(year.label) for year in YEAR.window(3)}
        bare = _scorecard(str(YEAR.end))
        transaction.set_rollback(True)
    figures, waiting_at_end = expected(returned(returns))
    return Imported(returns, rejected, held, cards, bare, figures, waiting_at_end)


def _group(card: dict) -> dict:
    return next(g for g in card["groups"] if g["council"] == COUNCIL)


def _periods(card: dict) -> dict[str, dict]:
    group = _group(card)
    return {**{p["period"]: p for p in group["years"]}, "window": group["window"]}


# ----------------------------------------------------------------------------------------------
# The generator's returns are a real council's in shape (pure: no database)
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_the_returns_are_read_without_a_problem_and_hold_every_kind_of_child(seed):
    returns = council(seed)
    for year in returns.years:
        data = reading.read_return(returns.files(year))
        assert not data.file_problems and not data.problems, (year, data.file_problems, data.problems[:5])
        assert set(data.tables) == {"Header", "Episodes", "AD1", "PlacedAdoption"}
    children = returned(returns)
    stories = {c.story for c in returns.children}
    assert stories == {*synthetic.STORIES, "no_plan"}
    adoptions = [a for a in map(adoption, children.values()) if a]
    in_window = [a for a in adoptions if FinancialYear.containing(a.adopted_on) in YEAR.window(3)]
    assert 40 <= len(in_window) <= len(adoptions) <= 120
    assert any(a.a10 < a.a1 for a in in_window), "foster-carer adoptions stop A10 earlier"
    assert any(a.a2 == 0 for a in in_window), "matched before the placement order"
    assert any(a.a2 is None for a in in_window), "placed with consent, no placement order"


def _rows(returns: synthetic.CouncilReturns, year: FinancialYear) -> dict[str, list[dict]]:
    return {name: list(csv.DictReader(io.StringIO(content.decode("utf-8")))) for name, content in returns.files(year)}


@pytest.mark.parametrize("seed", SEEDS)
def test_each_return_keeps_the_dfe_rules_between_its_tables_and_with_the_year_before(seed):
    """The rules of the public validator (csc-validator-be-903) a generator could break, by number."""
    returns = council(seed)
    open_at_end: dict[str, dict] = {}
    decided: dict[str, str] = {}
    for year in returns.years:
        rows = _rows(returns, year)
        start, end = year.starts_on, year.ends_on
        header = {r["CHILD"]: r for r in rows["header.csv"]}
        ad1 = {r["CHILD"]: r for r in rows["ad1.csv"]}
        placed = {r["CHILD"]: r for r in rows["placed_for_adoption.csv"]}
        assert {r["SEX"] for r in header.values()} <= ({"M", "F"} if year.end >= 2025 else {"1", "2"})  # 101
        episodes: dict[str, list[dict]] = defaultdict(list)
        for row in rows["episodes.csv"]:
            episodes[row["CHILD"]].append(row)
        assert set(episodes) == set(header)
        for child, eps in episodes.items():
            eps.sort(key=lambda e: _day(e["DECOM"]))
            girl = header[child]["SEX"] in ("2", "F")
            assert (header[child]["MOTHER"] != "") == girl  # 393
            if open_at_end.get(child):  # 502, 503A-E: the open episode goes on in this return
                carried = open_at_end[child]
                assert {k: eps[0][k] for k in ("DECOM", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "CIN")} == carried
            for before, after in itertools.pairwise(eps):
                assert before["DEC"], (child, "142: a new episode starts while the one before is open")
                if after["RNE"] == "S":
                    assert _day(after["DECOM"]) > _day(before["DEC"]) and before["REC"] != "X1"  # 431, 388
                    continue
                assert before["REC"] == "X1" and before["DEC"] == after["DECOM"]  # 433, 432
                status = after["LS"] != before["LS"]
                placement = any(after[k] != before[k] for k in ("PLACE", "PL_POST", "PLACE_PROVIDER"))
                carers = after["PL_POST"] != before["PL_POST"]
                assert {
                    "L": status and not placement,
                    "P": not status and carers,  # 434, 435, 436
                    "T": not status and placement and not carers,
                    "U": status and placement and not carers,
                    "B": status and carers,
                }[after["RNE"]], (child, before, after)
                if after["PLACE"] in ("A3", "A5"):
                    assert after["RNE"] in ("T", "U") and before["PLACE"][0] in "AU"  # 217, 336
                if after["PLACE"] in ("A3", "A4"):
                    assert before["PLACE"][0] in "AU"  # 336
            for e in eps:
                assert _day(e["DECOM"]) <= end and (not e["DEC"] or start <= _day(e["DEC"]) <= end)  # 354, 385
                assert not e["DEC"] or _day(e["DEC"]) > _day(e["DECOM"])  # 355, 356
                if e["PLACE"] in ("A5", "A6"):
                    assert e["LS"] == "E1"  # 408
                if e["REC"] in ADOPTED:
                    assert e["PLACE"] in PLACED_FOR_ADOPTION  # 390
            adopted = eps[-1]["REC"] in ADOPTED
            assert (child in ad1) == adopted  # 601, 602
            if adopted:
                a = ad1[child]
                assert a["FOSTER_CARE"] == ("1" if eps[-1]["PLACE"] in ("A3", "A5") else "0")  # 335
                assert (
                    a["DATE_INT"] == placed[child]["DATE_PLACED"] and not placed[child]["DATE_PLACED_CEASED"]
                )  # 523, 558
                moved_in = next(_day(e["DECOM"]) for e in eps if e["PLACE"] in PLACED_FOR_ADOPTION)
                assert _day(a["DATE_INT"]) <= _day(a["DATE_MATCH"]) <= moved_in  # 333, 331
                assert a["DATE_MATCH"] != eps[-1]["DEC"]  # 582
            if any(e["LS"] == "E1" or e["PLACE"] in PLACED_FOR_ADOPTION for e in eps):
                assert child in placed  # 551, 553
            if child in placed:
                p = placed[child]
                ceased = _day(p["DATE_PLACED_CEASED"])
                assert _day(p["DATE_PLACED"]) <= end and (ceased is None or start <= ceased <= end)  # 117, 118
                assert bool(p["DATE_PLACED_CEASED"]) == bool(p["REASON_PLACED_CEASED"])  # 119
                orders = [_day(e["DECOM"]) for e in eps if e["LS"] == "E1"]
                assert not orders or _day(p["DATE_PLACED"]) <= min(orders) or eps[0]["LS"] == "E1"  # 554
                assert decided.get(child, p["DATE_PLACED"]) == p["DATE_PLACED"]  # 560, 579
                decided[child] = p["DATE_PLACED"]
                left = eps[-1]["DEC"] and eps[-1]["REC"] != "X1"
                if left and not adopted:
                    assert ceased and ceased <= _day(eps[-1]["DEC"])  # 557, 117
            header_dob = header[child]["DOB"]
            assert all(r["DOB"] == header_dob for r in (ad1.get(child), placed.get(child)) if r)  # INT12
            age = (date(start.year - 1, 8, 31) - _day(header_dob)).days / 365.25
            assert (header[child]["UPN"] == "UN1") == (age < 4)  # 209
        open_at_end = {
            child: {k: eps[-1][k] for k in ("DECOM", "RNE", "LS", "PLACE", "PLACE_PROVIDER", "CIN")}
            for child, eps in episodes.items()
            if not eps[-1]["DEC"]
        }


def test_the_generator_is_seeded():
    first, again = synthetic.council_returns(3, children=20), synthetic.council_returns(3, children=20)
    other = synthetic.council_returns(4, children=20)
    assert first.files(synthetic.LAST_YEAR) == again.files(synthetic.LAST_YEAR)
    assert first.files(synthetic.LAST_YEAR) != other.files(synthetic.LAST_YEAR)


# ----------------------------------------------------------------------------------------------
# OpenRAA against the second calculation
# ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_import_rejects_no_valid_child_and_holds_every_child_with_an_adoption_plan(imported):
    assert imported.rejected == []
    planned = {
        cid
        for cid, child in returned(imported.returns).items()
        if child.decisions or any(e["LS"] == "E1" or e["PLACE"] in PLACED_FOR_ADOPTION for e in child.episodes.values())
    }
    assert imported.held == planned


@pytest.mark.django_db
def test_a1_and_a2_per_year_and_over_three_years_are_the_dfe_definitions(imported):
    figures, periods = imported.expected, _periods(imported.card)
    assert set(periods) == set(figures)
    for label, want in figures.items():
        got = periods[label]
        assert (got["a1"]["children"], got["a1"]["average_days"]) == (len(want.a1), average(want.a1)), label
        assert (got["a2"]["children"], got["a2"]["average_days"]) == (len(want.a2), average(want.a2)), label


@pytest.mark.django_db
def test_a10_per_year_and_over_three_years_is_the_dfe_definition(imported):
    figures, periods = imported.expected, _periods(imported.card)
    for label, want in figures.items():
        got = periods[label]["a10"]
        assert (got["children"], got["average_days"]) == (len(want.a10), average(want.a10)), label


@pytest.mark.django_db
def test_a10_is_shorter_than_a1_when_foster_carers_adopt(imported):
    window = _periods(imported.card)["window"]
    assert window["a10"]["average_days"] < window["a1"]["average_days"]


@pytest.mark.django_db
def test_a3_is_the_share_adopted_within_14_months_of_entering_care(imported):
    figures, periods = imported.expected, _periods(imported.card)
    for label, want in figures.items():
        got = periods[label]["a3"]
        within = sum(days < A3_DAYS for days in want.a1)
        assert (got["count"], got["of"]) == (within, len(want.a1)), label
        assert got["percent"] == round(100 * within / len(want.a1), 1), label


@pytest.mark.django_db
def test_adoptions_placement_orders_decisions_and_children_waiting_are_the_returns_counts(imported):
    """Each year's counts from that year's scorecard, the window's from 2024-25's."""
    for label, want in imported.expected.items():
        card = imported.card if label == "window" else imported.cards[label]
        activity = _periods(card)[label]["activity"]
        got = {name: activity[name] for name in ("adoptions", "placement_orders", "adm_decisions")}
        assert got == {
            "adoptions": want.adoptions,
            "placement_orders": want.placement_orders,
            "adm_decisions": want.adm_decisions,
        }, label
    assert _periods(imported.card)[YEAR.label]["activity"]["children_waiting"] == imported.waiting


@pytest.mark.django_db
def test_the_year_2024_25_and_2025_give_one_scorecard(imported):
    assert imported.card["year"] == YEAR.label
    assert imported.card_bare == imported.card
