"""Reading an SSDA903 return: CSV tables (recognised by their exact column sets) and the XML form,
into typed rows. A row that cannot be read is left out with its reason; a file that is not an
SSDA903 table stops the whole return (nothing is imported from a return whose tables are unknown).
Pure Python.

Codes change by collection year (codes.py). Given the return's year, a code that is an SSDA903 code
of another year only (SEX 1/2 from 2024-25 or M/F/U before; PLACE Z1, H5 or P2 from 2025-26, Z11-Z14
before) is read, and reported as a warning: the DfE's rules 101 and 146 make it an error of the
council's submission, which the council corrects in its own system, but its meaning is plain and
OpenRAA keeps neither the placement type beyond A3-A6/U5 nor anything that would differ, so
refusing the child's adoption milestones over it would lose true dates for nothing. A code of no
year is refused as before."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from openraa.common.years import FinancialYear
from openraa.interchange.ssda903 import codes
from openraa.reference import ETHNICITIES


@dataclass(frozen=True)
class Problem:
    """Why a row (or a file, when row is None) could not be taken in."""

    table: str
    row: int | None  # the line of the CSV file (its header is line 1), or the child's place in the XML
    child: str
    field: str
    reason: str
    file: str = ""


@dataclass(frozen=True)
class Row:
    table: str
    file: str
    row: int
    child: str


@dataclass(frozen=True)
class HeaderRow(Row):
    sex: str  # OpenRAA's code: 1 male, 2 female, U not known or indeterminate
    dob: date
    ethnic: str
    upn: str
    mother: str
    mc_dob: date | None


@dataclass(frozen=True)
class EpisodeRow(Row):
    decom: date
    rne: str
    ls: str
    cin: str
    place: str
    place_provider: str
    dec: date | None
    rec: str
    reason_place_change: str
    home_post: str
    pl_post: str
    urn: str


@dataclass(frozen=True)
class Ad1Row(Row):
    dob: date | None
    date_int: date | None
    date_match: date | None
    foster_care: str
    nb_adoptr: str
    sex_adoptr: str
    ls_adoptr: str


@dataclass(frozen=True)
class PlacedAdoptionRow(Row):
    dob: date | None
    date_placed: date
    date_placed_ceased: date | None
    reason_placed_ceased: str


@dataclass(frozen=True)
class PrevPermRow(Row):
    dob: date | None
    prev_perm: str
    la_perm: str
    date_perm: date | None


@dataclass
class Return:
    """Everything read from one council's return."""

    header: list[HeaderRow] = field(default_factory=list)
    episodes: list[EpisodeRow] = field(default_factory=list)
    ad1: list[Ad1Row] = field(default_factory=list)
    placed_adoption: list[PlacedAdoptionRow] = field(default_factory=list)
    prev_perm: list[PrevPermRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # rows left out, with the reason
    warnings: list[Problem] = field(default_factory=list)  # rows read, with a code of another year's layout
    file_problems: list[Problem] = field(default_factory=list)  # files not read: nothing is imported
    tables: dict[str, list[str]] = field(default_factory=dict)  # table -> files it was read from
    ignored: list[str] = field(default_factory=list)  # files of tables OpenRAA has no use for

    @property
    def rows(self) -> int:
        return sum(len(rows) for rows in (self.header, self.episodes, self.ad1, self.placed_adoption, self.prev_perm))

    def rows_of(self, table: str) -> list:
        return {
            "Header": self.header,
            "Episodes": self.episodes,
            "AD1": self.ad1,
            "PlacedAdoption": self.placed_adoption,
            "PrevPerm": self.prev_perm,
        }[table]


@dataclass(frozen=True)
class _Layout:
    iso: bool  # dates may be yyyy-mm-dd (the XML form)
    year: FinancialYear | None  # the return's collection year, when known
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (field, reason) of the row being read

    def of_year(self, name: str, text: str, codes_of: Callable[[FinancialYear], Iterable[str]], rule: str) -> None:
        """Warn when `text` is not one of the return's year's codes (`codes_of(year)`)."""
        if self.year is not None and text and text not in codes_of(self.year):
            self.warnings.append(
                (
                    name,
                    f"{name} {text!r} is a code of another year, not of the {self.year.label} "
                    f"return (DfE rule {rule}): read as it is; the council's return needs "
                    f"correcting",
                )
            )


class _Bad(Exception):
    def __init__(self, field_name: str, reason: str):
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


# ----------------------------------------------------------------------------------------------
# Fields
# ----------------------------------------------------------------------------------------------

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DMY = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


def _date(values: dict, name: str, required: bool, iso: bool) -> date | None:
    text = values.get(name, "")
    if not text:
        if required:
            raise _Bad(name, f"{name} is missing")
        return None
    try:
        if _DMY.match(text):
            return datetime.strptime(text, codes.DATE_FORMAT).date()
        if iso and _ISO.match(text[:10]):
            return date.fromisoformat(text[:10])
    except ValueError:
        pass
    raise _Bad(name, f"{name} is not a real date in the form dd/mm/yyyy: {text!r}")


def _code(values: dict, name: str, allowed: Iterable[str], required: bool = False) -> str:
    text = values.get(name, "")
    if not text:
        if required:
            raise _Bad(name, f"{name} is missing")
        return ""
    if text not in allowed:
        raise _Bad(name, f"{name} {text!r} is not an SSDA903 code ({', '.join(sorted(allowed))})")
    return text


def _text(values: dict, name: str, length: int) -> str:
    text = values.get(name, "")
    if len(text) > length:
        raise _Bad(name, f"{name} is longer than {length} characters")
    return text


def _header(values: dict, layout: _Layout) -> dict:
    sex = values.get("SEX", "")
    if sex not in codes.SEX_CODES:
        raise _Bad(
            "SEX",
            f"SEX {sex!r} is not an SSDA903 code (1 or M male, 2 or F female, U not known or indeterminate)"
            if sex
            else "SEX is missing",
        )
    layout.of_year("SEX", sex, codes.sex_codes, "101")
    return {
        "sex": codes.SEX_CODES[sex],
        "dob": _date(values, "DOB", True, layout.iso),
        "ethnic": _code(values, "ETHNIC", ETHNICITIES, required=True),
        "upn": _text(values, "UPN", 13),
        "mother": _code(values, "MOTHER", ("0", "1")),
        "mc_dob": _date(values, "MC_DOB", False, layout.iso),
    }


def _episode(values: dict, layout: _Layout) -> dict:
    row = {
        "decom": _date(values, "DECOM", True, layout.iso),
        "rne": _code(values, "RNE", codes.RNE, required=True),
        "ls": _code(values, "LS", codes.LEGAL_STATUS, required=True),
        "cin": _code(values, "CIN", codes.CIN),
        "place": _code(values, "PLACE", codes.PLACES, required=True),
        "place_provider": _code(values, "PLACE_PROVIDER", codes.PLACE_PROVIDERS),
        "dec": _date(values, "DEC", False, layout.iso),
        "rec": _code(values, "REC", codes.REASON_CEASED),
        "reason_place_change": _code(values, "REASON_PLACE_CHANGE", codes.REASON_PLACE_CHANGE),
        "home_post": _text(values, "HOME_POST", 8),
        "pl_post": _text(values, "PL_POST", 8),
        "urn": _text(values, "URN", 8),
    }
    layout.of_year("PLACE", row["place"], codes.places, "146")
    if bool(row["dec"]) != bool(row["rec"]):
        raise _Bad("DEC" if not row["dec"] else "REC", "DEC and REC must both be given or both be blank")
    if row["dec"] and row["dec"] < row["decom"]:
        raise _Bad("DEC", "The episode ends (DEC) before it starts (DECOM)")
    return row


def _ad1(values: dict, layout: _Layout) -> dict:
    return {
        "dob": _date(values, "DOB", False, layout.iso),
        "date_int": _date(values, "DATE_INT", False, layout.iso),
        "date_match": _date(values, "DATE_MATCH", False, layout.iso),
        "foster_care": _code(values, "FOSTER_CARE", codes.FOSTER_CARE),
        "nb_adoptr": _code(values, "NB_ADOPTR", codes.NB_ADOPTR),
        "sex_adoptr": _code(values, "SEX_ADOPTR", codes.SEX_ADOPTR),
        "ls_adoptr": _code(values, "LS_ADOPTR", codes.LS_ADOPTR),
    }


def _placed_adoption(values: dict, layout: _Layout) -> dict:
    row = {
        "dob": _date(values, "DOB", False, layout.iso),
        "date_placed": _date(values, "DATE_PLACED", True, layout.iso),
        "date_placed_ceased": _date(values, "DATE_PLACED_CEASED", False, layout.iso),
        "reason_placed_ceased": _code(values, "REASON_PLACED_CEASED", codes.REASON_PLACED_CEASED),
    }
    if bool(row["date_placed_ceased"]) != bool(row["reason_placed_ceased"]):
        raise _Bad(
            "REASON_PLACED_CEASED" if row["date_placed_ceased"] else "DATE_PLACED_CEASED",
            "DATE_PLACED_CEASED and REASON_PLACED_CEASED must both be given or both be blank",
        )
    if row["date_placed_ceased"] and row["date_placed_ceased"] < row["date_placed"]:
        raise _Bad("DATE_PLACED_CEASED", "The decision ceased before it was made (DATE_PLACED)")
    return row


def _prev_perm(values: dict, layout: _Layout) -> dict:
    return {
        "dob": _date(values, "DOB", False, layout.iso),
        "prev_perm": _code(values, "PREV_PERM", codes.PREV_PERM),
        "la_perm": _text(values, "LA_PERM", 4),
        "date_perm": _date(values, "DATE_PERM", False, layout.iso),
    }


_PARSERS: dict[str, tuple[type[Row], Callable[[dict, _Layout], dict]]] = {
    "Header": (HeaderRow, _header),
    "Episodes": (EpisodeRow, _episode),
    "AD1": (Ad1Row, _ad1),
    "PlacedAdoption": (PlacedAdoptionRow, _placed_adoption),
    "PrevPerm": (PrevPermRow, _prev_perm),
}


def _take(result: Return, table: str, file: str, row_number: int, values: dict, layout: _Layout) -> None:
    child = values.get("CHILD", "")
    if not child:
        result.problems.append(Problem(table, row_number, "", "CHILD", "CHILD is missing", file))
        return
    if len(child) > 10:
        result.problems.append(Problem(table, row_number, child, "CHILD", "CHILD is longer than 10 characters", file))
        return
    row_type, parse = _PARSERS[table]
    layout.warnings.clear()
    try:
        parsed = parse(values, layout)
    except _Bad as bad:
        result.problems.append(Problem(table, row_number, child, bad.field, bad.reason, file))
        return
    result.warnings += [Problem(table, row_number, child, name, reason, file) for name, reason in layout.warnings]
    result.rows_of(table).append(row_type(table=table, file=file, row=row_number, child=child, **parsed))


# ----------------------------------------------------------------------------------------------
# CSV
# ----------------------------------------------------------------------------------------------


def recognise(columns: Iterable[str]) -> str | None:
    found = set(columns)
    for name, expected in (*codes.TABLES.items(), *codes.OTHER_TABLES.items()):
        if found == set(expected):
            return name
    return None


def _unrecognised(file: str, columns: list[str]) -> Problem:
    found = set(columns)
    closest = max(codes.TABLES.items(), key=lambda item: len(found & set(item[1])) - len(found - set(item[1])))
    missing = [c for c in closest[1] if c not in found]
    extra = [c for c in columns if c not in closest[1]]
    details = "; ".join(
        part
        for part in (
            f"missing {', '.join(missing)}" if missing else "",
            f"unexpected {', '.join(extra)}" if extra else "",
        )
        if part
    )
    reason = f"The columns are not those of an SSDA903 table (closest: {closest[0]}: {details or 'columns repeated'})"
    return Problem(closest[0], None, "", ", ".join(missing or extra), reason, file)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def read_csv(result: Return, name: str, content: bytes, year: FinancialYear | None = None) -> None:
    reader = csv.reader(io.StringIO(_decode(content), newline=""))
    try:
        columns = [c.strip().upper() for c in next(reader)]
    except StopIteration:
        result.file_problems.append(Problem("", None, "", "", "The file is empty", name))
        return
    except csv.Error as error:
        result.file_problems.append(Problem("", None, "", "", f"Not a CSV file: {error}", name))
        return
    table = recognise(columns) if len(set(columns)) == len(columns) else None
    if table is None:
        result.file_problems.append(_unrecognised(name, columns))
        return
    if table not in codes.TABLES:
        result.ignored.append(f"{name} ({table})")
        return
    result.tables.setdefault(table, []).append(name)
    layout = _Layout(iso=False, year=year)
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                result.problems.append(
                    Problem(
                        table,
                        line,
                        cells[0].strip() if cells else "",
                        "",
                        f"The row has {len(cells)} cells, not {len(columns)}",
                        name,
                    )
                )
                continue
            values = {column: cell.strip().upper() for column, cell in zip(columns, cells)}
            _take(result, table, name, line, values, layout)
    except csv.Error as error:
        result.file_problems.append(Problem(table, reader.line_num, "", "", f"Not a CSV file: {error}", name))


# ----------------------------------------------------------------------------------------------
# XML: one element per child, its header items and AD1 items as leaves, EPISODE elements, and
# AD_PLACED / PERMANENCE elements (the layout the public validator reads).
# ----------------------------------------------------------------------------------------------

_SUBTABLES = {"EPISODE": "Episodes", "AD_PLACED": "PlacedAdoption", "PERMANENCE": "PrevPerm"}
_NOT_OURS = {"AREVIEW", "AMISSING", "OC2", "OC3", "UASC", "SWEPISODE", "REVIEW", "MISSING"}
_RENAMES = {"CHILDID": "CHILD", "PL": "PLACE"}


def _tag(element: ET.Element) -> str:
    tag = element.tag.rsplit("}", 1)[-1].upper()
    return _RENAMES.get(tag, tag)


def _leaves(element: ET.Element, into: dict, subtables: list) -> None:
    for item in element:
        tag = _tag(item)
        if tag in _SUBTABLES:
            subtables.append((tag, item))
        elif tag in _NOT_OURS:
            continue
        elif len(item):
            _leaves(item, into, subtables)
        else:
            into.setdefault(tag, (item.text or "").strip().upper())


def _child_elements(root: ET.Element) -> list[ET.Element]:
    found = [e for e in root.iter() if _tag(e) == "CHILD" and len(e)]
    return found or list(root)


def read_xml(result: Return, name: str, content: bytes, year: FinancialYear | None = None) -> None:
    # defusedxml over the whole document: a return has no need of a document type declaration, so
    # any (and with it entity expansion and external entities) refuses the file, wherever it is.
    try:
        root = SafeET.fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        result.file_problems.append(
            Problem(
                "",
                None,
                "",
                "",
                "XML with a document type declaration or entities is refused: export the return again without one",
                name,
            )
        )
        return
    except ET.ParseError as error:
        result.file_problems.append(Problem("", None, "", "", f"Not well-formed XML: {error}", name))
        return
    for table in codes.TABLES:
        result.tables.setdefault(table, []).append(name)
    layout = _Layout(iso=True, year=year)
    for number, element in enumerate(_child_elements(root), start=1):
        values: dict[str, str] = {}
        subtables: list = []
        _leaves(element, values, subtables)
        if values.get("DATE_INT") or values.get("DATE_MATCH"):
            _take(result, "AD1", name, number, values, layout)
        _take(result, "Header", name, number, values, layout)
        for tag, item in subtables:
            row_values: dict[str, str] = {}
            _leaves(item, row_values, [])
            _take(result, _SUBTABLES[tag], name, number, {**values, **row_values}, layout)


def read_return(files: Iterable[tuple[str, bytes]], year: FinancialYear | int | None = None) -> Return:
    """Read every file of a return (CSV tables, or the XML form); with the return's collection year,
    codes of another year's layout are reported in `warnings` (see the module's docstring)."""
    year = None if year is None else codes.financial_year(year)
    result = Return()
    for name, content in files:
        lower = name.lower()
        if lower.endswith(".xml"):
            read_xml(result, name, content, year)
        elif lower.endswith(".csv"):
            read_csv(result, name, content, year)
        else:
            result.file_problems.append(Problem("", None, "", "", "Not a CSV or XML file", name))
    if not result.file_problems and not result.tables:
        result.file_problems.append(Problem("", None, "", "", "No SSDA903 table was found", ""))
    return result
