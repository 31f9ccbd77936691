"""Moving in: the households a council's system or spreadsheet holds, read from a CSV file or an
XLSX sheet with the same header and checked row by row before anything is written. Pure Python:
councils come in as {ONS code or lower-case name: key}, and the people already held as
(council key, first name, last name, date of birth), so the rules test without a database.

Columns (a header row, in any order; one household a row):
- reference: the council system's own reference for the household, unique in the file; kept on the
  household, so that importing the file again finds it "already here" instead of doubling it
- home_council: ONS code or name; postcode_district: L36, CH41
- enquiry_on and, when reached, registration_of_interest_on, stage1_started_on, stage1_ended_on,
  stage2_started_on, stage2_ended_on, panel_on, approved_on, closed_on with closed_reason
  (withdrawn or not_approved); fast_track yes/no
- approved_children, age_min, age_max: the approval range, needed once approved
- applicant1_first_name, applicant1_last_name, applicant1_sex (1/2, M/F, male/female),
  applicant1_ethnicity (the SSDA903 code, WBRI), applicant1_date_of_birth; the same for applicant2
  when there are two
Dates are 2024-03-31 or 31/03/2024."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from openpyxl import load_workbook

from openraa.common import parsing
from openraa.households import domain
from openraa.reference import ETHNICITIES

DATES = tuple(domain.DATE_LABELS)  # enquiry_on ... closed_on, in the journey's order
APPLICANT_FIELDS = ("first_name", "last_name", "sex", "ethnicity", "date_of_birth")
APPLICANT_COLUMNS = tuple(f"applicant{n}_{field}" for n in (1, 2) for field in APPLICANT_FIELDS)
COLUMNS = (
    "reference",
    "home_council",
    "postcode_district",
    *DATES,
    "closed_reason",
    "fast_track",
    "approved_children",
    "age_min",
    "age_max",
    *APPLICANT_COLUMNS,
)
REQUIRED = ("reference", "home_council", "postcode_district", "enquiry_on", *APPLICANT_COLUMNS[:5])
MAX_ROWS = 5000
REFERENCE_LENGTH = 40  # the council_reference the record keeps
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
POSTCODE_DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
SEXES = {"1": "1", "m": "1", "male": "1", "2": "2", "f": "2", "female": "2"}
YES_NO = {
    "": False,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
}
CLOSED_REASONS = dict(domain.CLOSED_REASONS) | {label.lower(): code for code, label in domain.CLOSED_REASONS.items()}
EARLIEST_BIRTH = date(1900, 1, 1)

CouncilKey = TypeVar("CouncilKey")


@dataclass(frozen=True)
class NewApplicant:
    first_name: str
    last_name: str
    sex: str
    ethnicity: str
    date_of_birth: date


@dataclass(frozen=True)
class NewHousehold(Generic[CouncilKey]):
    row: int
    reference: str  # the council system's, for the report: OpenRAA gives the household its own
    home_council: CouncilKey
    postcode_district: str
    milestones: domain.HouseholdMilestones
    applicants: tuple[NewApplicant, ...]

    @property
    def stage(self) -> domain.HouseholdStage:
        return domain.derive_stage(self.milestones)


@dataclass(frozen=True)
class Problem:
    row: int  # the line of the file (the sheet's row), the header being line 1
    reason: str


@dataclass(frozen=True)
class Present:
    """A row OpenRAA already holds (an earlier import of the same file): reported, never written again."""

    row: int
    reference: str  # the council's
    held_as: str  # OpenRAA's
    how: str = "by the council's reference"


# Who is held already: an applicant (person_key) -> (OpenRAA's reference of their household, the
# council's reference of it, "" when it has none); a household (council key, council's reference) -> OpenRAA's.
HeldPeople = Mapping[tuple[Any, str, str, date], tuple[str, str]]
HeldReferences = Mapping[tuple[Any, str], str]


def person_key(council: object, first_name: str, last_name: str, born: date) -> tuple[object, str, str, date]:
    """Who an applicant is, for refusing a household already held: names compared without case."""
    return (council, first_name.strip().lower(), last_name.strip().lower(), born)


def read(
    text: str,
    councils: Mapping[str, CouncilKey],
    held: HeldPeople,
    today: date,
    references: HeldReferences | None = None,
) -> tuple[list[NewHousehold[CouncilKey]], list[Problem], list[Present]]:
    """Every household a CSV file names that is new, every problem found and every household already
    held; a caller writes nothing unless there is no problem, so a file is imported whole or not at all."""
    table, problems = csv_table(text)
    return ([], problems, []) if problems else read_table(table, councils, held, today, references)


def csv_table(text: str) -> tuple[list[list[str]], list[Problem]]:
    # newline=None reads a Mac's lone carriage returns as line ends; lstrip a spreadsheet's byte-order mark.
    try:
        return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=None))), []
    except csv.Error as error:
        return [], [Problem(1, f"The file is not CSV that can be read: {error}")]


def xlsx_table(data: bytes) -> tuple[list[list[str]], list[Problem]]:
    """The first sheet of an XLSX workbook as rows of text: dates as 2024-03-31, whole numbers without
    a decimal point, as a CSV export of the same sheet would have them."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [[_cell(value) for value in row] for row in sheet.iter_rows(max_row=MAX_ROWS + 2, values_only=True)]
        workbook.close()
    except Exception as error:  # a damaged workbook fails in openpyxl, zipfile or the XML parser, each its own way
        return [], [Problem(1, f"The file is not an XLSX workbook that can be read: {error}")]
    return rows, []


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def header_of(
    rows: Iterable[list[str]], required: Iterable[str], columns: Iterable[str]
) -> tuple[list[str], Problem | None]:
    """The header row's column names, or the problem of a header without every required column."""
    header = [name.strip().lower() for name in next(iter(rows), [])]
    missing = [name for name in required if name not in header]
    if missing:
        return header, Problem(
            1, f"The header row lacks the column(s) {', '.join(missing)}: expected {', '.join(columns)}"
        )
    return header, None


def rows_of(
    header: list[str], rows: Iterable[list[str]], problems: list[Problem]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {column: stripped text}) for each row that is not blank, up to MAX_ROWS."""
    for line, cells in enumerate(rows, start=2):
        if line - 1 > MAX_ROWS:
            problems.append(Problem(line, f"More than {MAX_ROWS} rows: split the file"))
            return
        row = {name: (cells[i] if i < len(cells) else "").strip() for i, name in enumerate(header) if name}
        if any(row.values()):
            yield line, row


def read_table(
    table: Iterable[list[str]],
    councils: Mapping[str, CouncilKey],
    held: HeldPeople,
    today: date,
    references: HeldReferences | None = None,
) -> tuple[list[NewHousehold[CouncilKey]], list[Problem], list[Present]]:
    rows = iter(table)
    header, missing = header_of(rows, REQUIRED, COLUMNS)
    if missing:
        return [], [missing], []
    references = references or {}
    households: list[NewHousehold[CouncilKey]] = []
    problems: list[Problem] = []
    present: list[Present] = []
    in_file: dict[str, int] = {}
    people: dict[tuple[object, str, str, date], int] = {}
    for line, row in rows_of(header, rows, problems):
        reasons, household = _household(line, row, councils, today)
        reference = row.get("reference", "")
        if reference in in_file:
            reasons.append(f"reference {reference} is also on line {in_file[reference]}")
        elif reference:
            in_file[reference] = line
        if household is not None and (household.home_council, reference) in references:
            present.append(Present(line, reference, references[household.home_council, reference]))
            continue
        if household is not None:
            keys = [
                person_key(household.home_council, a.first_name, a.last_name, a.date_of_birth)
                for a in household.applicants
            ]
            holders = {held[key] for key in keys if key in held}
            if len(holders) == 1 and all(key in held for key in keys) and not next(iter(holders))[1]:
                # Held by a household without the council's reference (entered by hand, or imported
                # before references were kept): the same people, so the same household.
                present.append(Present(line, reference, next(iter(holders))[0], "by its applicants"))
                continue
            for n, (key, applicant) in enumerate(zip(keys, household.applicants, strict=True), start=1):
                who = f"applicant {n} ({applicant.first_name} {applicant.last_name}, born {applicant.date_of_birth})"
                if key in held:
                    held_as, their_reference = held[key]
                    reasons.append(
                        f"{who} is already an applicant of {held_as}"
                        + (f" (the council's {their_reference})" if their_reference else "")
                        + ", another household of that council: not imported twice"
                    )
                elif key in people:
                    reasons.append(f"{who} is also on line {people[key]}")
                else:
                    people[key] = line
        if reasons:
            problems += [Problem(line, reason) for reason in reasons]
        elif household is not None:
            households.append(household)
    if not households and not problems and not present:
        problems.append(Problem(1, "The file has no households in it"))
    return households, problems, present


def _household(
    line: int, row: dict[str, str], councils: Mapping[str, CouncilKey], today: date
) -> tuple[list[str], NewHousehold[CouncilKey] | None]:
    reasons = [f"{name.replace('_', ' ')} is empty" for name in REQUIRED if not row.get(name)]
    council_text = row.get("home_council", "")
    council = councils.get(council_text.upper()) or councils.get(council_text.lower())
    if council_text and council is None:
        reasons.append(f"{council_text!r} is not a member council of the agency (give its ONS code or name)")
    if len(row.get("reference", "")) > REFERENCE_LENGTH:
        reasons.append(f"reference is longer than {REFERENCE_LENGTH} characters")
    district = row.get("postcode_district", "").upper()
    if district and not POSTCODE_DISTRICT.fullmatch(district):
        reasons.append(f"postcode district {row['postcode_district']!r} is not one (like L36 or CH41)")
    dates: dict[str, date | None] = {}
    for name in DATES:
        dates[name], reason = read_date(name, row.get(name, ""))
        reasons += [reason] if reason else []
    numbers: dict[str, int | None] = {}
    for name in ("approved_children", "age_min", "age_max"):
        text = row.get(name, "")
        numbers[name] = parsing.whole_number(text, minimum=0) if text else None
        if text and numbers[name] is None:
            reasons.append(f"{name.replace('_', ' ')} {text!r} is not a whole number")
    fast_track = YES_NO.get(row.get("fast_track", "").lower())
    if fast_track is None:
        reasons.append(f"fast track {row['fast_track']!r} is not yes or no")
    closed_text = row.get("closed_reason", "")
    closed_reason = CLOSED_REASONS.get(closed_text.lower(), "")
    if closed_text and not closed_reason:
        reasons.append(f"closed reason {closed_text!r} is not one of {', '.join(domain.CLOSED_REASONS)}")
    applicants = []
    for n in (1, 2):
        applicant_reasons, applicant = _applicant(n, row, dates["enquiry_on"], today)
        reasons += applicant_reasons
        applicants += [applicant] if applicant else []
    if reasons or council is None:
        return reasons, None
    milestones = domain.HouseholdMilestones(
        enquiry_on=dates["enquiry_on"],
        registration_of_interest_on=dates["registration_of_interest_on"],
        stage1_started_on=dates["stage1_started_on"],
        stage1_ended_on=dates["stage1_ended_on"],
        stage2_started_on=dates["stage2_started_on"],
        stage2_ended_on=dates["stage2_ended_on"],
        panel_on=dates["panel_on"],
        approved_on=dates["approved_on"],
        closed_on=dates["closed_on"],
        closed_reason=closed_reason,
        fast_track=bool(fast_track),
        approved_children=numbers["approved_children"],
        age_min=numbers["age_min"],
        age_max=numbers["age_max"],
    )
    labels = dict(domain.DATE_LABELS) | {"closed_reason": "Closed reason", "fast_track": "Fast track"}
    for field, message in domain.validate(milestones, today).items():
        label = labels.get(field, field.replace("_", " ").capitalize())
        reasons.append(f"{label}: {message}" if label.lower() not in message.lower() else message)
    if reasons:
        return reasons, None
    return [], NewHousehold(line, row["reference"], council, district, milestones, tuple(applicants))


def _applicant(
    n: int, row: dict[str, str], enquiry_on: date | None, today: date
) -> tuple[list[str], NewApplicant | None]:
    values = {field: row.get(f"applicant{n}_{field}", "") for field in APPLICANT_FIELDS}
    if n == 2 and not any(values.values()):
        return [], None
    who = f"applicant {n}"
    reasons = [f"{who} {field.replace('_', ' ')} is empty" for field, value in values.items() if not value]
    for field in ("first_name", "last_name"):
        if len(values[field]) > 80:
            reasons.append(f"{who} {field.replace('_', ' ')} is longer than 80 characters")
    sex = SEXES.get(values["sex"].lower(), "")
    if values["sex"] and not sex:
        reasons.append(f"{who} sex {values['sex']!r} is not 1 or 2 (M or F)")
    ethnicity = values["ethnicity"].upper()
    if ethnicity and ethnicity not in ETHNICITIES:
        reasons.append(f"{who} ethnicity {values['ethnicity']!r} is not an SSDA903 code (like WBRI)")
    born, reason = read_date(f"{who} date of birth", values["date_of_birth"])
    if reason:
        reasons.append(reason)
    elif born and not EARLIEST_BIRTH <= born <= today:
        reasons.append(f"{who} date of birth {born} is not a date a living adult was born on")
    elif born and enquiry_on and born >= enquiry_on:
        reasons.append(f"{who} was born on {born}, after the enquiry")
    if reasons or born is None:
        return reasons, None
    return [], NewApplicant(values["first_name"], values["last_name"], sex, ethnicity, born)


def read_date(name: str, text: str, labels: Mapping[str, str] = domain.DATE_LABELS) -> tuple[date | None, str]:
    if not text:
        return None, ""
    uk = UK_DATE.fullmatch(text)
    found = parsing.date_from_parts(uk[1], uk[2], uk[3]) if uk else parsing.iso_date(text)
    label = labels.get(name, name.replace("_", " "))
    return (found, "") if found else (None, f"{label} {text!r} is not a date (use 2024-03-31 or 31/03/2024)")
