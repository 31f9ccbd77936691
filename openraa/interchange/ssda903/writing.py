"""A child's adoption milestones as the adoption-relevant SSDA903 tables of a collection year
(Header, Episodes, AD1, PlacedAdoption, and from 2026-27 the deprivation of liberty orders table,
empty: an adoption agency holds no such order), in that year's DfE layout. Pure Python.

OpenRAA holds the adoption journey, not the whole care record, so the episodes are synthesised
from the milestones, each change of legal status or placement starting a new episode:

- entering care: RNE S, legal status C2 (full care order), a foster placement U6 (or U5, foster
  carers who are also approved adopters, when the early permanence placement began that day);
- early permanence (Foster to Adopt, concurrent planning): placement U5, RNE P;
- fostered by the carers who went on to adopt (`fostered_by_adopters_from`, when not the early
  permanence placement): a foster placement U6 with them, RNE P;
- placement order: legal status E1, RNE L;
- placed for adoption: A5 with the current foster carer(s) (the child was fostered by its adopters),
  RNE T, and AD1 FOSTER_CARE 1; A6 otherwise, RNE P, FOSTER_CARE 0;
- the plan ends before an adoption order: the placement order no longer applies (legal status C2)
  and a child placed for adoption returns to foster care (U6);
- adoption order: the last episode ceases (DEC) with REC E11, or E12 when an import said so.

Values OpenRAA does not hold are left blank, or given the DfE's code for "not applicable" where
the record implies it (UPN UN1 for a child under school age, MOTHER 0 for a child under 12), and
every blank the validator may ask for is listed in `Tables.gaps`: category of need, UPN, MOTHER,
postcodes and Ofsted URN, the adopters' legal status for a couple, and SEX for a child whose sex is
not known (U from 2024-25, which the validator queries; blank before, the digits having no code for it). PLACE_PROVIDER is PR1 (the
council's or agency's own provision) and REASON_PLACE_CHANGE CARPL (the care plan) throughout.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openraa.common.years import FinancialYear
from openraa.interchange.ssda903 import codes

# One row of a return's table: column name -> value (a code, a date, a number or blank; the
# episode rows' dates are compared and rewritten as the episodes are built, hence Any).
Row = dict[str, Any]


@dataclass(frozen=True)
class ExportChild:
    child: str  # the CHILD id
    sex: str  # OpenRAA's code: 1 male, 2 female, U not known or indeterminate
    date_of_birth: date
    ethnicity: str
    entered_care_on: date | None
    should_be_placed_on: date | None
    placement_order_on: date | None = None
    early_permanence_on: date | None = None
    matched_on: date | None = None
    placed_on: date | None = None
    adoption_order_on: date | None = None
    plan_ended_on: date | None = None
    plan_ended_reason: str = ""
    plan_ended_code: str = ""
    fostered_by_adopters_from: date | None = None  # the foster placement with the adopters began
    adopter_sexes: tuple[str, ...] = ()  # OpenRAA codes of the adopting household's applicants
    step_codes: dict[str, dict[str, str]] = field(
        default_factory=dict
    )  # SSDA903 codes an import kept with the journey entries
    adopters: dict[str, str] = field(default_factory=dict)  # AD1 values an import kept

    @property
    def with_foster_carer(self) -> bool:
        """Placed for adoption with its foster carers: the adopters fostered the child first."""
        return self.fostered_by_adopters_from is not None


@dataclass(frozen=True)
class Gap:
    child: str
    table: str
    field: str
    reason: str


@dataclass
class Tables:
    year: FinancialYear | None = None  # decides the tables written (codes.tables_written); None: the adoption tables
    header: list[Row] = field(default_factory=list)
    episodes: list[Row] = field(default_factory=list)
    ad1: list[Row] = field(default_factory=list)
    placed_adoption: list[Row] = field(default_factory=list)
    dolo: list[Row] = field(default_factory=list)  # always empty: OpenRAA holds no deprivation of liberty order
    gaps: list[Gap] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (child, why it is not in this year's return)

    def rows_of(self, table: str) -> list[Row]:
        return {
            "Header": self.header,
            "Episodes": self.episodes,
            "AD1": self.ad1,
            "PlacedAdoption": self.placed_adoption,
            "DoLo": self.dolo,
        }[table]

    @property
    def written(self) -> tuple[str, ...]:
        return codes.tables_written(self.year) if self.year else codes.ADOPTION_TABLES


# Defaults for what OpenRAA does not hold; see the module's docstring.
LEGAL_STATUS_BEFORE_ORDER = "C2"
FOSTER_PLACEMENT = "U6"
EARLY_PERMANENCE_PLACEMENT = "U5"
PLACE_PROVIDER = "PR1"
REASON_PLACE_CHANGE = "CARPL"
NOT_HELD = "OpenRAA does not hold it: the council's case system supplies it"


def _fmt(value: date | None) -> str:
    return value.strftime(codes.DATE_FORMAT) if value else ""


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass
class _State:
    ls: str
    place: str
    carer: int  # changes when the child moves to other carers


def episodes_for(child: ExportChild, until: date) -> list[Row]:
    """Every episode of the child's period of care up to `until` (milestones later are not yet known)."""
    if not child.entered_care_on or child.entered_care_on > until:
        return []
    events: dict[date, list[str]] = {}
    for name in (
        "fostered_by_adopters_from",
        "early_permanence_on",
        "placement_order_on",
        "placed_on",
        "plan_ended_on",
    ):
        value = getattr(child, name)
        if value and value <= until and not (name == "plan_ended_on" and child.adoption_order_on):
            events.setdefault(max(value, child.entered_care_on), []).append(name)
    ep_first = child.early_permanence_on == child.entered_care_on
    state = _State(LEGAL_STATUS_BEFORE_ORDER, EARLY_PERMANENCE_PLACEMENT if ep_first else FOSTER_PLACEMENT, 0)
    episodes = [{"DECOM": child.entered_care_on, "RNE": "S", "LS": state.ls, "PLACE": state.place}]
    if child.entered_care_on in events:
        state = _apply(child, state, events.pop(child.entered_care_on))
        episodes[0].update(LS=state.ls, PLACE=state.place)
    for day in sorted(events):
        before = _State(state.ls, state.place, state.carer)
        state = _apply(child, state, events[day])
        # A move to other carers is a change of placement even when the placement type stays the same.
        status, moved = state.ls != before.ls, state.carer != before.carer
        placement = moved or state.place != before.place
        if not (status or placement):
            continue
        rne = ("B" if moved else "U") if status and placement else ("L" if status else ("P" if moved else "T"))
        episodes.append({"DECOM": day, "RNE": rne, "LS": state.ls, "PLACE": state.place})
    rows = []
    for index, episode in enumerate(episodes):
        following = episodes[index + 1] if index + 1 < len(episodes) else None
        if following:
            dec, rec = following["DECOM"], codes.CONTINUING
        elif child.adoption_order_on and child.adoption_order_on <= until:
            dec, rec = child.adoption_order_on, child.step_codes.get("adoption_order", {}).get("ssda903_rec", "E11")
        else:
            dec, rec = None, ""
        moves = following is not None and following["RNE"] in ("P", "T", "U", "B")
        rows.append(
            {
                "CHILD": child.child,
                "DECOM": episode["DECOM"],
                "RNE": episode["RNE"],
                "LS": episode["LS"],
                "CIN": "",
                "PLACE": episode["PLACE"],
                "PLACE_PROVIDER": PLACE_PROVIDER,
                "DEC": dec,
                "REC": rec,
                "REASON_PLACE_CHANGE": REASON_PLACE_CHANGE if moves else "",
                "HOME_POST": "",
                "PL_POST": "",
                "URN": "",
            }
        )
    return rows


def _apply(child: ExportChild, state: _State, happened: list[str]) -> _State:
    state = _State(state.ls, state.place, state.carer)
    for name in happened:
        if (
            name == "fostered_by_adopters_from"
            and child.fostered_by_adopters_from != child.early_permanence_on
            and state.place not in codes.PLACED_FOR_ADOPTION
        ):
            state.place, state.carer = FOSTER_PLACEMENT, state.carer + 1
        elif name == "early_permanence_on" and state.place != EARLY_PERMANENCE_PLACEMENT:
            state.place, state.carer = EARLY_PERMANENCE_PLACEMENT, state.carer + 1
        elif name == "placement_order_on":
            state.ls = codes.PLACEMENT_ORDER
        elif name == "placed_on":
            place = placed_with(child)
            state.place = place
            if place == "A6":
                state.carer += 1
        elif name == "plan_ended_on":
            state.ls = LEGAL_STATUS_BEFORE_ORDER
            if state.place in codes.PLACED_FOR_ADOPTION:
                state.place, state.carer = FOSTER_PLACEMENT, state.carer + 1
    return state


def placed_with(child: ExportChild) -> str:
    """A5 when the child's adopters fostered it first (the record says so, or an import kept A5), else A6."""
    kept = child.step_codes.get("placed", {}).get("ssda903_place")
    return "A5" if child.with_foster_carer or kept == "A5" else "A6"


def _in_year(child: ExportChild, start: date, cutoff: date) -> str:
    """Why the child is not in the year's return, or "" when it is."""
    if not child.should_be_placed_on:
        return "no decision that the child should be placed for adoption"
    if not child.entered_care_on:
        return "no date of entering care"
    if child.entered_care_on > cutoff:
        return "entered care after the year"
    if child.adoption_order_on and child.adoption_order_on < start:
        return "adopted before the year"
    if child.plan_ended_on and child.plan_ended_on < start:
        return "adoption plan ended before the year"
    if child.should_be_placed_on > cutoff:
        return "decision that the child should be placed for adoption after the year"
    return ""


def tables_for_year(children: list[ExportChild], year: FinancialYear | int, today: date) -> Tables:
    """The return's adoption tables for the collection year (an int: the year it ends in), as known on `today`."""
    year = codes.financial_year(year)
    start, end = codes.collection_year(year)
    cutoff = min(end, today)
    tables = Tables(year=year)
    for child in sorted(children, key=lambda c: c.child):
        why = _in_year(child, start, cutoff)
        if why:
            tables.left_out.append((child.child, why))
            continue
        episodes = [e for e in episodes_for(child, cutoff) if e["DEC"] is None or e["DEC"] >= start]
        if not episodes:
            tables.left_out.append((child.child, "not looked after during the year"))
            continue
        tables.episodes += episodes
        tables.header.append(_header(child, year, tables.gaps))
        tables.gaps += [Gap(child.child, "Episodes", name, NOT_HELD) for name in ("CIN", "HOME_POST", "PL_POST", "URN")]
        ended = (
            child.plan_ended_on
            if child.plan_ended_on and child.plan_ended_on <= cutoff and not child.adoption_order_on
            else None
        )
        reason = ""
        if ended:
            reason = (
                child.step_codes.get("plan_ended", {}).get("ssda903_reason_placed_ceased")
                or child.plan_ended_code
                or "RD4"
            )
        tables.placed_adoption.append(
            {
                "CHILD": child.child,
                "DOB": child.date_of_birth,
                "DATE_PLACED": child.should_be_placed_on,
                "DATE_PLACED_CEASED": ended,
                "REASON_PLACED_CEASED": reason,
            }
        )
        if child.adoption_order_on and start <= child.adoption_order_on <= cutoff:
            tables.ad1.append(_ad1(child, tables.gaps))
    return tables


def _header(child: ExportChild, year: FinancialYear, gaps: list[Gap]) -> Row:
    # UN1: under school age (not yet 4 on the 31 August before the year, as the validator's rule 209 reads it).
    under_school_age = _age(child.date_of_birth, date(year.start - 1, 8, 31)) < 4
    upn = "UN1" if under_school_age else ""
    mother = "0" if _age(child.date_of_birth, year.ends_on) < 12 else ""
    if not upn:
        gaps.append(Gap(child.child, "Header", "UPN", NOT_HELD))
    if not mother:
        gaps.append(Gap(child.child, "Header", "MOTHER", NOT_HELD))
    sex = codes.sex_code(child.sex, year)
    if child.sex == "U":  # the validator queries U (rule 232) and the digits have no code for it (rule 101)
        gaps.append(
            Gap(
                child.child,
                "Header",
                "SEX",
                "The child's sex is not known"
                + ("" if sex else f": the {year.label} return has no code for that (U is written from 2024-25)"),
            )
        )
    return {
        "CHILD": child.child,
        "SEX": sex,
        "DOB": child.date_of_birth,
        "ETHNIC": child.ethnicity,
        "UPN": upn,
        "MOTHER": mother,
        "MC_DOB": None,
    }


def _ad1(child: ExportChild, gaps: list[Gap]) -> Row:
    kept = child.adopters
    sexes = sorted("M" if s == "1" else "F" for s in child.adopter_sexes)
    if len(sexes) == 1:
        number, sex, status = "1", f"{sexes[0]}1", "L0"
    elif len(sexes) == 2:
        number, sex, status = (
            "2",
            "".join(sorted(sexes, key=lambda s: s != "M")) if sexes[0] != sexes[1] else sexes[0] * 2,
            "",
        )
    else:
        number, sex, status = "", "", ""
    number = number or kept.get("NB_ADOPTR", "")
    sex = sex or kept.get("SEX_ADOPTR", "")
    status = status or (kept.get("LS_ADOPTR", "") if kept.get("NB_ADOPTR", number) == number else "")
    for name, value in (("NB_ADOPTR", number), ("SEX_ADOPTR", sex), ("LS_ADOPTR", status)):
        if not value:
            gaps.append(
                Gap(
                    child.child,
                    "AD1",
                    name,
                    "OpenRAA does not hold the adopters' legal status"
                    if name == "LS_ADOPTR"
                    else "No adopting household is recorded",
                )
            )
    # FOSTER_CARE agrees with the placement for adoption (the validator's rule 335).
    return {
        "CHILD": child.child,
        "DOB": child.date_of_birth,
        "DATE_INT": child.should_be_placed_on,
        "DATE_MATCH": child.matched_on,
        "FOSTER_CARE": "1" if placed_with(child) == "A5" else "0",
        "NB_ADOPTR": number,
        "SEX_ADOPTR": sex,
        "LS_ADOPTR": status,
    }


def write_tables(tables: Tables, folder: Path) -> list[Path]:
    """One CSV per table of the year, DfE column names and order, dd/mm/yyyy dates."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables.written:
        path = folder / codes.FILE_NAMES[table]
        columns = codes.columns(table)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in tables.rows_of(table):
                writer.writerow([_fmt(v) if isinstance(v, date) or v is None else v for v in (row[c] for c in columns)])
        written.append(path)
    return written
