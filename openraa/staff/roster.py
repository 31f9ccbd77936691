"""A staff list in CSV, checked row by row before anything is written. Pure Python: councils come
in as {ONS code or lower-case name: key} so the rules test without a database.

Columns (a header row, in any order): first_name, last_name, email, roles, employing_council, and
optionally team, base and starts_on. Roles are one or more codes or labels separated by ";"
("family_finder" or "Family finder; Panel adviser"); a council its ONS code or its name; a team or
base its name; a date 2026-04-01 or 01/04/2026."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from openraa.common import parsing
from openraa.people.roles import Role, role_problems

COLUMNS = ("first_name", "last_name", "email", "roles", "employing_council", "team", "base", "starts_on")
REQUIRED = ("first_name", "last_name", "email", "roles", "employing_council")
MAX_ROWS = 2000
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
ROLES = {role.value: role for role in Role} | {role.label.lower(): role for role in Role}

CouncilKey = TypeVar("CouncilKey")
TeamKey = TypeVar("TeamKey")
BaseKey = TypeVar("BaseKey")


@dataclass(frozen=True)
class Starter(Generic[CouncilKey, TeamKey, BaseKey]):
    row: int
    first_name: str
    last_name: str
    email: str
    roles: tuple[Role, ...]
    employing_council: CouncilKey
    starts_on: date | None
    team: TeamKey | None = None
    base: BaseKey | None = None

    @property
    def role_labels(self) -> str:
        return ", ".join(role.label for role in self.roles)


@dataclass(frozen=True)
class Problem:
    row: int  # the line of the file, the header being line 1
    reason: str


def read(
    text: str,
    councils: Mapping[str, CouncilKey],
    emails_in_use: set[str],
    teams: Mapping[str, TeamKey] | None = None,
    bases: Mapping[str, BaseKey] | None = None,
) -> tuple[list[Starter[CouncilKey, TeamKey, BaseKey]], list[Problem]]:
    """Every starter the file names and every problem found; a caller writes nothing unless there
    is no problem, so a file is imported whole or not at all. Teams and bases come in as {lower-case
    name: key}."""
    try:
        return _read(text, councils, emails_in_use, teams or {}, bases or {})
    except csv.Error as error:
        return [], [Problem(1, f"The file is not CSV that can be read: {error}")]


def read_roles(text: str) -> tuple[tuple[Role, ...], list[str]]:
    """Roles separated by ";" by code or label, and why they cannot be given together, if so."""
    found: list[Role] = []
    reasons: list[str] = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        role = ROLES.get(part.lower())
        if role is None:
            reasons.append(f"Unknown role {part!r}")
        elif role not in found:
            found.append(role)
    if found and not reasons:
        reasons = role_problems(found)
    return tuple(found), reasons


def _read(
    text: str,
    councils: Mapping[str, CouncilKey],
    emails_in_use: set[str],
    teams: Mapping[str, TeamKey],
    bases: Mapping[str, BaseKey],
) -> tuple[list[Starter[CouncilKey, TeamKey, BaseKey]], list[Problem]]:
    # newline=None reads a Mac's lone carriage returns as line ends; lstrip a spreadsheet's byte-order mark.
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=None))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return [], [
            Problem(1, f"The header row lacks the column(s) {', '.join(missing)}: expected {', '.join(COLUMNS)}")
        ]
    reader.fieldnames = header
    starters: list[Starter[CouncilKey, TeamKey, BaseKey]] = []
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
        roles, role_reasons = read_roles(row.get("roles", ""))
        reasons += role_reasons
        council_text = row.get("employing_council", "")
        council = councils.get(council_text.upper()) or councils.get(council_text.lower())
        if council_text and council is None:
            reasons.append(f"{council_text!r} is not a member council of the agency (give its ONS code or name)")
        team, team_reason = _named(row.get("team", ""), teams, "team")
        base, base_reason = _named(row.get("base", ""), bases, "base")
        reasons += [r for r in (team_reason, base_reason) if r]
        starts_on, date_reason = _date(row.get("starts_on", ""))
        if date_reason:
            reasons.append(date_reason)
        if email:
            seen.setdefault(email, line)
        if reasons:
            problems += [Problem(line, reason) for reason in reasons]
        elif roles and council is not None:
            starters.append(
                Starter(line, row["first_name"], row["last_name"], email, roles, council, starts_on, team, base)
            )
    if not starters and not problems:
        problems.append(Problem(1, "The file has no staff in it"))
    return starters, problems


Key = TypeVar("Key")


def _named(text: str, known: Mapping[str, Key], kind: str) -> tuple[Key | None, str]:
    if not text:
        return None, ""
    found = known.get(text.lower())
    return (found, "") if found is not None else (None, f"{text!r} is not a {kind} of the agency (add it first)")


def _date(text: str) -> tuple[date | None, str]:
    if not text:
        return None, ""
    uk = UK_DATE.fullmatch(text)
    found = parsing.date_from_parts(uk[1], uk[2], uk[3]) if uk else parsing.iso_date(text)
    return (found, "") if found else (None, f"starts on {text!r} is not a date (use 2026-04-01 or 01/04/2026)")
