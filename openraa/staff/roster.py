"""A staff list in CSV, checked row by row before anything is written. Pure Python: councils come
in as {ONS code or lower-case name: key} so the rules test without a database.

Columns (a header row, in any order): first_name, last_name, email, role, employing_council,
starts_on. A role is its code or its label ("family_finder" or "Family finder"); a council its ONS
code or its name; a date 2026-04-01 or 01/04/2026."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from openraa.common import parsing
from openraa.people.roles import Role

COLUMNS = ("first_name", "last_name", "email", "role", "employing_council", "starts_on")
REQUIRED = ("first_name", "last_name", "email", "role", "employing_council")
MAX_ROWS = 2000
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
ROLES = {role.value: role for role in Role} | {role.label.lower(): role for role in Role}

CouncilKey = TypeVar("CouncilKey")


@dataclass(frozen=True)
class Starter(Generic[CouncilKey]):
    row: int
    first_name: str
    last_name: str
    email: str
    role: Role
    employing_council: CouncilKey
    starts_on: date | None


@dataclass(frozen=True)
class Problem:
    row: int  # the line of the file, the header being line 1
    reason: str


def read(
    text: str, councils: Mapping[str, CouncilKey], emails_in_use: set[str]
) -> tuple[list[Starter[CouncilKey]], list[Problem]]:
    """Every starter the file names and every problem found; a caller writes nothing unless there
    is no problem, so a file is imported whole or not at all."""
    try:
        return _read(text, councils, emails_in_use)
    except csv.Error as error:
        return [], [Problem(1, f"The file is not CSV that can be read: {error}")]


def _read(
    text: str, councils: Mapping[str, CouncilKey], emails_in_use: set[str]
) -> tuple[list[Starter[CouncilKey]], list[Problem]]:
    # newline=None reads a Mac's lone carriage returns as line ends; lstrip a spreadsheet's byte-order mark.
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=None))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return [], [
            Problem(1, f"The header row lacks the column(s) {', '.join(missing)}: expected {', '.join(COLUMNS)}")
        ]
    reader.fieldnames = header
    starters: list[Starter[CouncilKey]] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            problems.append(Problem(line, f"More than {MAX_ROWS} rows: split the file"))
            break
        row = {key: (value or "").strip() for key, value in raw.items() if key}
        if not any(row.values()):
            continue
        reasons = [f"{name.replace('_', ' ')} is empty" for name in REQUIRED if not row.get(name)]
        email = row.get("email", "").lower()
        if email and not EMAIL.fullmatch(email):
            reasons.append(f"{row['email']!r} is not an e-mail address")
        elif email in emails_in_use:
            reasons.append(f"{email} already has an account")
        elif email in seen:
            reasons.append(f"{email} is also on line {seen[email]}")
        role = ROLES.get(row.get("role", "").lower())
        if row.get("role") and role is None:
            reasons.append(f"Unknown role {row['role']!r}")
        council_text = row.get("employing_council", "")
        council = councils.get(council_text.upper()) or councils.get(council_text.lower())
        if council_text and council is None:
            reasons.append(f"{council_text!r} is not a member council of the agency (give its ONS code or name)")
        starts_on, date_reason = _date(row.get("starts_on", ""))
        if date_reason:
            reasons.append(date_reason)
        if email:
            seen.setdefault(email, line)
        if reasons:
            problems += [Problem(line, reason) for reason in reasons]
        elif role is not None and council is not None:
            starters.append(Starter(line, row["first_name"], row["last_name"], email, role, council, starts_on))
    if not starters and not problems:
        problems.append(Problem(1, "The file has no staff in it"))
    return starters, problems


def _date(text: str) -> tuple[date | None, str]:
    if not text:
        return None, ""
    uk = UK_DATE.fullmatch(text)
    found = parsing.date_from_parts(uk[1], uk[2], uk[3]) if uk else parsing.iso_date(text)
    return (found, "") if found else (None, f"starts on {text!r} is not a date (use 2026-04-01 or 01/04/2026)")
