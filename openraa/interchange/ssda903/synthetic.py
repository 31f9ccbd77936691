"""A council's SSDA903 returns over several collection years, synthetic and seeded, shaped like a real
council's (for tests/performance/test_scorecard_independent.py and `openraa bench reporting`). Pure Python.

Each child lives one or two whole periods of care, simulated day by day as a council records them:
every change of legal status, placement or carers starts an episode whose reason for new episode
(RNE) says what changed (S started, L legal status only, P placement and carers, T placement only
with the same carers, U legal status and placement with the same carers, B all three). A period
often starts years before it ends, so a collection year's return holds only the episodes open
during that year and a child's first episode is in an earlier return. What the generator draws:

- adoptions through a placement order (C1/C2 -> E1, matched, placed A6 with new carers), some
  matched before the order (A2 counts 0 days), some placed the day they are matched, some adopted
  ten weeks after the placement;
- foster-carer adoptions: a run of U4/U5/U6 episodes with the same carers (the change to U5, the
  carers approved as adopters, is RNE T), then A5 with them (RNE T, or U when the order comes the
  same day), AD1 FOSTER_CARE 1;
- placements with parental consent and no placement order: A4 with new carers, A3 with the foster
  carers (FOSTER_CARE 1);
- plan reversals (PlacedAdoption DATE_PLACED_CEASED with RD1-RD4): before the order, after the
  order (the order revoked: E1 -> C2), and after the placement (a disruption: back to foster care,
  the order revoked);
- children still waiting with a placement order, a second period of care after a return home, and
  children with no adoption plan at all (never imported).

The returns follow the DfE's rules the public validator (csc-validator-be-903) checks between
tables and years: SEX 1/2 before 2024-25 and M/F from it; UPN UN1 under school age; MOTHER for
girls; AD1 only in the year of the adoption (DATE_INT the PlacedAdoption DATE_PLACED, DATE_MATCH
on or before the adoptive placement); a PlacedAdoption row each year the decision is open, its
DATE_PLACED_CEASED only in the year it ceased; A3/A5 start with RNE T or U after a foster
placement; A5/A6 only with legal status E1; episodes never start and end the same day, and a new
episode starts the day the last one ceased (REC X1).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from openraa.common.years import FinancialYear
from openraa.interchange.ssda903 import codes

FIRST_YEAR = FinancialYear(2019)
LAST_YEAR = FinancialYear(2024)
SEX_LETTERS_FROM = FinancialYear(2024)  # SEX M/F from 2024-25, 1/2 before (rule 101)
CONTINUING = "X1"
FOSTER = ("U4", "U6")  # other foster carers, long term or not
FOSTER_TO_ADOPT = "U5"  # foster carers who are also approved adopters
ETHNIC = ("WBRI",) * 6 + ("WOTH", "MWBC", "MWBA", "BAFR", "BCRB", "APKN", "AOTH")

# How often each story happens among children with an adoption plan (a real council's mix, roughly).
STORIES = {
    "order_then_match": 26,
    "match_before_order": 8,
    "placed_day_of_match": 8,
    "adopted_soon": 6,
    "foster_carer": 12,
    "consent_new_carers": 6,
    "consent_foster_carers": 4,
    "second_period": 5,
    "waiting": 6,
    "reversed_before_order": 5,
    "order_revoked": 4,
    "disruption": 4,
}


@dataclass
class Episode:
    decom: date
    rne: str
    ls: str
    place: str
    carer: int  # the carers (their household): a new number is a change of carers
    provider: str
    cin: str
    dec: date | None = None
    rec: str = ""
    reason_place_change: str = ""


@dataclass(frozen=True)
class Decision:
    """PlacedAdoption: the decision that the child should be placed for adoption, and its reversal."""

    date_placed: date
    ceased: date | None = None
    reason: str = ""  # RD1-RD4


@dataclass(frozen=True)
class Adopters:
    """AD1 beyond the dates: FOSTER_CARE, NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR."""

    foster_care: str
    number: str
    sex: str
    legal_status: str


@dataclass
class SyntheticChild:
    child: str
    story: str  # one of STORIES, or "no_plan"
    sex: str  # 1 male, 2 female
    dob: date
    ethnic: str
    upn: str  # used from school age; UN1 before
    home_post: str
    episodes: list[Episode] = field(default_factory=list)
    decision: Decision | None = None
    matched_on: date | None = None
    adopters: Adopters | None = None

    @property
    def adopted_on(self) -> date | None:
        last = self.episodes[-1] if self.episodes else None
        return last.dec if last and last.rec in codes.ADOPTED else None


class _Care:
    """A child's episodes as the council records them: each change starts an episode whose RNE says
    what changed; a change on the day an episode began is moved to the next day (an episode lasts
    at least a day, and two episodes never start on the same day)."""

    def __init__(self, episodes: list[Episode]):
        self.episodes = episodes

    @property
    def last(self) -> Episode:
        return self.episodes[-1]

    @property
    def last_ended(self) -> date:
        """The day the last episode ended: a story starts the next one only after that."""
        if self.last.dec is None:
            raise ValueError("the last episode has not ended")
        return self.last.dec

    def start(self, day: date, ls: str, place: str, carer: int, provider: str, cin: str) -> date:
        if self.episodes:
            day = max(day, self.last_ended + timedelta(days=1))
        self.episodes.append(Episode(day, "S", ls, place, carer, provider, cin))
        return day

    def change(
        self,
        day: date,
        *,
        ls: str | None = None,
        place: str | None = None,
        carer: int | None = None,
        provider: str | None = None,
    ) -> date:
        prev = self.last
        day = max(day, prev.decom + timedelta(days=1))
        ls, place = ls or prev.ls, place or prev.place
        carer = prev.carer if carer is None else carer
        provider = provider or prev.provider
        status, moved = ls != prev.ls, carer != prev.carer
        placement = moved or place != prev.place or provider != prev.provider
        if not (status or placement):
            return day
        rne = ("B" if moved else "U") if status and placement else ("L" if status else ("P" if moved else "T"))
        prev.dec, prev.rec = day, CONTINUING
        prev.reason_place_change = "CARPL" if placement else ""
        self.episodes.append(Episode(day, rne, ls, place, carer, provider, prev.cin))
        return day

    def end(self, day: date, rec: str) -> date:
        day = max(day, self.last.decom + timedelta(days=1))
        self.last.dec, self.last.rec = day, rec
        return day


class _Story:
    """The council's random draws, and its carers: each new carer household gets the next number."""

    def __init__(self, rng: random.Random, last_carer: int):
        self.rng = rng
        self.last_carer = last_carer

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def carer(self) -> int:
        self.last_carer += 1
        return self.last_carer


def _adopters(rng: random.Random, foster_care: bool) -> Adopters:
    number, sex, status = rng.choice(
        (
            ("2", "MF", "L11"),
            ("2", "MF", "L11"),
            ("2", "MF", "L3"),
            ("2", "FF", "L12"),
            ("2", "MM", "L4"),
            ("1", "F1", "L0"),
            ("1", "M1", "L0"),
        )
    )
    return Adopters("1" if foster_care else "0", number, sex, status)


def _cohort_child(story: str, child: SyntheticChild, entered: date, s: _Story) -> None:
    rng = s.rng
    care = _Care(child.episodes)
    if story == "second_period":  # a first period ending with a return home, then care again
        care.start(entered, "V2", "U6", s.carer(), "PR1", "N2")
        care.end(entered + s.days(60, 300), "E4A")
        entered = care.last_ended + s.days(60, 400)
        story = "order_then_match"
    consent = story in ("consent_new_carers", "consent_foster_carers")
    first_ls = "V2" if consent else rng.choice(("C1", "C1", "C2"))
    foster_carer = s.carer()
    care.start(entered, first_ls, rng.choice(FOSTER), foster_carer, rng.choice(("PR1", "PR1", "PR4")), "N1")
    day = care.last.decom
    for _ in range(rng.choice((0, 0, 1, 1, 2))):  # moves between foster carers
        foster_carer = s.carer()
        day = care.change(
            day + s.days(30, 200), place=rng.choice(FOSTER), carer=foster_carer, provider=rng.choice(("PR1", "PR4"))
        )
    if care.last.ls == "C1" and rng.random() < 0.5:  # the final care order before the placement order
        day = care.change(day + s.days(40, 150), ls="C2")
    decision = day + s.days(40, 250)
    child.decision = Decision(decision)

    if story in ("foster_carer", "consent_foster_carers"):
        if rng.random() < 0.5:  # the carers become approved adopters while fostering: Foster to Adopt
            day = care.change(max(day, decision) + s.days(5, 60), place=FOSTER_TO_ADOPT)
        order = None
        same_day = story == "foster_carer" and rng.random() < 0.2  # the order granted the day they are placed
        if story == "foster_carer" and not same_day:
            order = day = care.change(max(day, decision) + s.days(30, 200), ls=codes.PLACEMENT_ORDER)
        matched = max(decision, day) + s.days(10, 150)
        if same_day:
            placed = care.change(matched + s.days(0, 30), ls=codes.PLACEMENT_ORDER, place="A5")  # RNE U
        else:
            placed = care.change(matched + s.days(0, 30), place="A5" if order else "A3")  # RNE T
        child.matched_on = min(matched, placed)
        care.end(placed + s.days(21, 120), "E11")
        child.adopters = _adopters(rng, True)
        return

    if consent:
        matched = decision + s.days(30, 250)
        placed = care.change(matched + s.days(0, 40), place="A4", carer=s.carer(), provider="PR1")
        child.matched_on = min(matched, placed)
        care.end(placed + s.days(70, 300), "E11")
        child.adopters = _adopters(rng, False)
        return

    if story == "reversed_before_order":
        ceased = decision + s.days(30, 300)
        child.decision = Decision(decision, ceased, rng.choice(("RD1", "RD2", "RD4")))
        if rng.random() < 0.6:  # went home, or to relatives under an order
            care.end(ceased + s.days(0, 90), rng.choice(("E4A", "E13", "E41")))
        return

    if story == "match_before_order":
        matched = decision + s.days(20, 120)
        order = care.change(matched + s.days(5, 90), ls=codes.PLACEMENT_ORDER)
    else:
        order = care.change(decision + s.days(20, 250), ls=codes.PLACEMENT_ORDER)
        matched = order + s.days(15, 400)
    if story == "waiting":
        return
    if story == "order_revoked":
        ceased = order + s.days(60, 500)
        child.decision = Decision(decision, ceased, rng.choice(("RD3", "RD4")))
        care.change(ceased, ls="C2")
        if rng.random() < 0.5:
            care.end(ceased + s.days(30, 200), rng.choice(("E45", "E46", "E41")))
        return
    child.matched_on = matched
    placed_day = matched if story == "placed_day_of_match" else matched + s.days(1, 45)
    placed = care.change(
        max(placed_day, order + timedelta(days=1)),
        place="A6",
        carer=s.carer(),
        provider=rng.choice(("PR1", "PR1", "PR5")),
    )
    child.matched_on = min(matched, placed)
    if story == "disruption":
        ceased = placed + s.days(20, 200)
        child.decision = Decision(decision, ceased, rng.choice(("RD1", "RD4")))
        # Back to foster care, the placement order revoked with the plan (RNE B): a child under an
        # order has a decision to place open (rule 553), and this one has none.
        care.change(ceased, ls="C2", place="U6", carer=s.carer(), provider="PR1")
        return
    adopted = placed + (s.days(70, 84) if story == "adopted_soon" else s.days(90, 420))
    care.end(adopted, rng.choice(("E11", "E11", "E12")))
    child.adopters = _adopters(rng, False)


def _no_plan_child(child: SyntheticChild, entered: date, s: _Story) -> None:
    rng = s.rng
    care = _Care(child.episodes)
    age = (entered - child.dob).days // 365
    place = "K2" if age >= 12 and rng.random() < 0.4 else rng.choice(FOSTER)
    care.start(
        entered,
        rng.choice(("C1", "C2", "V2")),
        place,
        s.carer(),
        rng.choice(("PR1", "PR4")),
        rng.choice(("N1", "N2", "N4", "N5", "N8")),
    )
    day = care.last.decom
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        day = care.change(
            day + s.days(20, 400), place=rng.choice(FOSTER), carer=s.carer(), provider=rng.choice(("PR1", "PR4"))
        )
    if care.last.ls == "C1" and rng.random() < 0.6:
        day = care.change(day + s.days(30, 200), ls="C2")
    if rng.random() < 0.6:
        care.end(day + s.days(30, 700), rng.choice(("E4A", "E4A", "E13", "E41", "E45", "E8")))


def _upn(rng: random.Random) -> str:
    """A unique pupil number with its check letter (DfE: the letter of the weighted sum of the 12
    digits, modulo 23)."""
    digits = "".join(str(rng.randint(0, 9)) for _ in range(12))
    total = sum(int(d) * weight for d, weight in zip(digits, range(2, 14)))
    return "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23] + digits


def _known_at(child: SyntheticChild, day: date) -> SyntheticChild | None:
    """The child as the council's records stand at the end of `day`: later events not yet happened."""
    episodes = []
    for e in child.episodes:
        if e.decom > day:
            break
        episodes.append(replace(e, dec=None, rec="", reason_place_change="") if e.dec and e.dec > day else e)
    if not episodes:
        return None
    decision = child.decision
    if decision and decision.date_placed > day:
        decision = None
    elif decision and decision.ceased and decision.ceased > day:
        decision = Decision(decision.date_placed)
    adopted = child.adopted_on and child.adopted_on <= day
    return replace(
        child,
        episodes=episodes,
        decision=decision,
        matched_on=child.matched_on if adopted else None,
        adopters=child.adopters if adopted else None,
    )


def _fmt(value: date | None) -> str:
    return value.strftime(codes.DATE_FORMAT) if value else ""


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass
class CouncilReturns:
    """The council's children as they stand at the end of the last year, and each year's return."""

    years: tuple[FinancialYear, ...]
    children: list[SyntheticChild]

    @property
    def episodes(self) -> int:
        return sum(len(c.episodes) for c in self.children)

    def tables(self, year: FinancialYear) -> dict[str, list[dict[str, str]]]:
        """The return for the collection year: every child looked after during it, with only the
        episodes open during it, as known on its last day (CSV cells, dates dd/mm/yyyy)."""
        start, end = year.starts_on, year.ends_on
        letters = year >= SEX_LETTERS_FROM
        tables: dict[str, list[dict[str, str]]] = {name: [] for name in ("Header", "Episodes", "AD1", "PlacedAdoption")}
        for whole in self.children:
            child = _known_at(whole, end)
            if child is None:
                continue
            episodes = [e for e in child.episodes if e.dec is None or e.dec >= start]
            if not episodes:
                continue
            dob = _fmt(child.dob)
            school_age = _age(child.dob, date(start.year - 1, 8, 31)) >= 4
            tables["Header"].append(
                {
                    "CHILD": child.child,
                    "SEX": {"1": "M", "2": "F"}[child.sex] if letters else child.sex,
                    "DOB": dob,
                    "ETHNIC": child.ethnic,
                    "UPN": child.upn if school_age else "UN1",
                    "MOTHER": "0" if child.sex == "2" else "",
                    "MC_DOB": "",
                }
            )
            for e in episodes:
                tables["Episodes"].append(
                    {
                        "CHILD": child.child,
                        "DECOM": _fmt(e.decom),
                        "RNE": e.rne,
                        "LS": e.ls,
                        "CIN": e.cin,
                        "PLACE": e.place,
                        "PLACE_PROVIDER": e.provider,
                        "DEC": _fmt(e.dec),
                        "REC": e.rec,
                        "REASON_PLACE_CHANGE": e.reason_place_change,
                        "HOME_POST": child.home_post,
                        "PL_POST": _postcode(e.carer),
                        "URN": "",
                    }
                )
            adopted = child.adopted_on
            decision = child.decision
            if decision and not (decision.ceased and decision.ceased < start) and not (adopted and adopted < start):
                tables["PlacedAdoption"].append(
                    {
                        "CHILD": child.child,
                        "DOB": dob,
                        "DATE_PLACED": _fmt(decision.date_placed),
                        "DATE_PLACED_CEASED": _fmt(decision.ceased),
                        "REASON_PLACED_CEASED": decision.reason,
                    }
                )
            if adopted and adopted >= start and child.adopters and decision:
                a = child.adopters
                tables["AD1"].append(
                    {
                        "CHILD": child.child,
                        "DOB": dob,
                        "DATE_INT": _fmt(decision.date_placed),
                        "DATE_MATCH": _fmt(child.matched_on),
                        "FOSTER_CARE": a.foster_care,
                        "NB_ADOPTR": a.number,
                        "SEX_ADOPTR": a.sex,
                        "LS_ADOPTR": a.legal_status,
                    }
                )
        return tables

    def files(self, year: FinancialYear) -> list[tuple[str, bytes]]:
        """The year's return as the DfE CSV files (file name, content), in the order the DfE lists the tables."""
        tables = self.tables(year)
        files = []
        for name, rows in tables.items():
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=codes.TABLES[name], lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(rows)
            files.append((codes.FILE_NAMES[name], out.getvalue().encode("utf-8")))
        return files

    def write(self, folder: Path) -> list[Path]:
        """One folder per collection year, named by its label (2019-20, ...), oldest first."""
        written = []
        for year in self.years:
            where = folder / year.label
            where.mkdir(parents=True, exist_ok=True)
            for name, content in self.files(year):
                (where / name).write_bytes(content)
            written.append(where)
        return written


def _postcode(carer: int) -> str:
    """A placement postcode for the carers: distinct carers, distinct postcodes (the validator tells
    a change of carers from the placement's postcode)."""
    return f"L{carer % 40 + 1} {carer // 40 % 10}{'ABDEFGHJLNPQRSTUWXYZ'[carer // 400 % 20]}{'ABDEFGHJLNPQRSTUWXYZ'[carer % 20]}"


def council_returns(
    seed: int = 0,
    *,
    children: int = 120,
    others: int | None = None,
    first: FinancialYear = FIRST_YEAR,
    last: FinancialYear = LAST_YEAR,
    prefix: str = "S",
) -> CouncilReturns:
    """`children` with an adoption plan (each drawing a story from STORIES) and `others` (default
    half as many) looked after with no adoption plan, entering care from the first year's start;
    what happened after the last year's end is not yet known."""
    rng = random.Random(f"ssda903-synthetic-{seed}")
    others = children // 2 if others is None else others
    horizon_start, horizon_end = first.starts_on, last.ends_on
    span = (horizon_end - horizon_start).days
    story = _Story(rng, 1000 * (seed % 1000))
    names, weights = list(STORIES), list(STORIES.values())
    result: list[SyntheticChild] = []
    for number in range(children + others):
        planned = number < children
        kind = rng.choices(names, weights)[0] if planned else "no_plan"
        # Late entrants have had no time for a journey: the cohort enters through the first years.
        entered = horizon_start + timedelta(days=rng.randint(0, int(span * (0.85 if planned else 0.95))))
        age_days = rng.randint(0, 365 * (5 if planned else 15))
        child = SyntheticChild(
            child=f"{prefix}{seed % 100:02d}{number:05d}",
            story=kind,
            sex=rng.choice("12"),
            dob=entered - timedelta(days=age_days),
            ethnic=rng.choice(ETHNIC),
            upn=_upn(rng),
            home_post=_postcode(rng.randint(0, 7999)),
        )
        if planned:
            _cohort_child(kind, child, entered, story)
        else:
            _no_plan_child(child, entered, story)
        known = _known_at(child, horizon_end)
        if known is not None:
            result.append(known)
    years = tuple(FinancialYear(start) for start in range(first.start, last.start + 1))
    return CouncilReturns(years, result)
