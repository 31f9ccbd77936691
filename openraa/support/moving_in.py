"""Moving in: the adoption support cases and letterbox agreements a council's system or spreadsheet
holds, read from a CSV file or an XLSX sheet (households/moving_in.py reads the files) and checked
row by row before anything is written. Pure Python: the councils, households and children come in
as plain mappings, so the rules test without a database.

Support cases, one a row (a header row, columns in any order):
- reference: the council system's own reference for the case, unique in the file; kept on the
  case, so that importing the file again finds it "already here"
- responsible_council: ONS code or name; requester: adoptive_family, adopted_adult, birth_relative
  or special_guardian (or their labels); requester_name
- household: its OpenRAA reference (H-000012) or the council system's reference of the household;
  child: its OpenRAA reference (C-000123); both optional
- categories: therapeutic, financial, contact, education, peer_support, other (or their labels),
  separated by ; or |
- request: what is asked
- received_on and, when reached, assessment_started_on, assessment_completed_on with
  assessment_outcome (needed or not_needed), plan_agreed_on, commissioned_on, last_review_on,
  closed_on with closed_reason (support_ended, not_needed, withdrawn, moved_away, other)
Each date becomes the step of the support journey that records it, and the steps must follow one
another as the journey allows (domain.JOURNEY): a plan is agreed only after an assessment that
found a need, a review only under a plan, nothing after the case closed.

Letterbox agreements, one a row:
- reference, responsible_council as above; child and/or household as above (one at least)
- birth_relative_name, birth_relative_relationship (birth mother, maternal grandmother...)
- direction: both, to_birth_family (the adoptive family writes) or to_adopters (the birth family
  writes), or their labels
- exchanges_per_year (1-12) and months: the months they are due (3;9 or March;September), as many
  as the exchanges
- starts_on, ends_on (optional); status: active, suspended or ended (empty: ended once ends_on has
  passed, else active)
Dates are 2024-03-31 or 31/03/2024."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from openraa.common import parsing
from openraa.common.machine import StepRefused, replay
from openraa.households.moving_in import (
    REFERENCE_LENGTH,
    HeldReferences,
    Present,
    Problem,
    header_of,
    read_date,
    rows_of,
)
from openraa.support import domain, letterbox

SUPPORT_DATES = domain.DATES  # received_on ... closed_on, in the journey's order
SUPPORT_COLUMNS = (
    "reference",
    "responsible_council",
    "requester",
    "requester_name",
    "household",
    "child",
    "categories",
    "request",
    "received_on",
    "assessment_started_on",
    "assessment_completed_on",
    "assessment_outcome",
    "plan_agreed_on",
    "commissioned_on",
    "last_review_on",
    "closed_on",
    "closed_reason",
)
SUPPORT_REQUIRED = (
    "reference",
    "responsible_council",
    "requester",
    "requester_name",
    "categories",
    "request",
    "received_on",
)
LETTERBOX_COLUMNS = (
    "reference",
    "responsible_council",
    "child",
    "household",
    "birth_relative_name",
    "birth_relative_relationship",
    "direction",
    "exchanges_per_year",
    "months",
    "starts_on",
    "ends_on",
    "status",
)
LETTERBOX_REQUIRED = tuple(c for c in LETTERBOX_COLUMNS if c not in ("child", "household", "ends_on", "status"))
# The step that records each of the case's dates.
STEP_OF = {step.sets: step for step in domain.STEPS.values() if step.sets}
DATE_LABELS = {name: STEP_OF[name].label for name in SUPPORT_DATES} | {
    "starts_on": "Start date",
    "ends_on": "End date",
}
SEPARATORS = re.compile(r"[;|]")
MONTH_SEPARATORS = re.compile(r"[;|,/\s]+")
DIRECTION_ALIASES = {
    "both ways": "both",
    "adopters to birth family": "to_birth_family",
    "adoptive family to birth family": "to_birth_family",
    "birth family to adopters": "to_adopters",
    "birth family to adoptive family": "to_adopters",
}


def _choices(codes: Mapping[str, str], aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """A column's accepted words, lower case: each code, its label and any alias, to the code."""
    return {code: code for code in codes} | {label.lower(): code for code, label in codes.items()} | dict(aliases or {})


REQUESTERS = _choices(domain.REQUESTERS)
CATEGORIES = _choices(domain.CATEGORIES)
OUTCOMES = _choices(domain.OUTCOMES, {"support needed": "needed", "support not needed": "not_needed"})
CLOSED_REASONS = _choices(domain.CLOSED_REASONS)
DIRECTIONS = _choices(letterbox.DIRECTIONS, DIRECTION_ALIASES)
STATUSES = _choices(letterbox.STATUSES)


CouncilKey = TypeVar("CouncilKey")
Key = TypeVar("Key")  # how the caller holds a household or a child (its id)


@dataclass(frozen=True)
class Links(Generic[CouncilKey, Key]):
    """What a row may name, as the caller holds it: the agency's member councils by ONS code
    (upper case) or name (lower case), its households by id and by the council's reference, its
    children by id."""

    councils: Mapping[str, CouncilKey]
    households: Mapping[int, Key]
    household_references: Mapping[str, Sequence[Key]]
    children: Mapping[int, Key]


@dataclass(frozen=True)
class NewSupportCase(Generic[CouncilKey, Key]):
    row: int
    reference: str  # the council system's
    council: CouncilKey
    requester: str
    requester_name: str
    household: Key | None
    child: Key | None
    categories: tuple[str, ...]
    request: str
    steps: tuple[tuple[str, date, dict], ...]  # the journey's, in its order
    stage: domain.Stage


@dataclass(frozen=True)
class NewAgreement(Generic[CouncilKey, Key]):
    row: int
    reference: str  # the council system's
    council: CouncilKey
    child: Key | None
    household: Key | None
    birth_relative_name: str
    birth_relative_relationship: str
    direction: str
    exchanges_per_year: int
    months: tuple[int, ...]
    starts_on: date
    ends_on: date | None
    status: str


def read_support_cases(
    table: Iterable[list[str]], links: Links[CouncilKey, Key], held: HeldReferences, today: date
) -> tuple[list[NewSupportCase[CouncilKey, Key]], list[Problem], list[Present]]:
    """The file's new cases, every problem by its line and the cases already held (by the council's
    reference); a caller writes nothing unless there is no problem."""
    return _read(table, links, held, today, SUPPORT_REQUIRED, SUPPORT_COLUMNS, _support_case, "support cases")


def read_letterbox(
    table: Iterable[list[str]], links: Links[CouncilKey, Key], held: HeldReferences, today: date
) -> tuple[list[NewAgreement[CouncilKey, Key]], list[Problem], list[Present]]:
    """As read_support_cases, for letterbox agreements."""
    return _read(table, links, held, today, LETTERBOX_REQUIRED, LETTERBOX_COLUMNS, _agreement, "letterbox agreements")


def _read(table, links, held, today, required, columns, build, what):
    rows = iter(table)
    header, missing = header_of(rows, required, columns)
    if missing:
        return [], [missing], []
    found, problems, present = [], [], []
    in_file: dict[str, int] = {}
    for line, row in rows_of(header, rows, problems):
        reasons = [f"{name.replace('_', ' ')} is empty" for name in required if not row.get(name)]
        reference = row.get("reference", "")
        if len(reference) > REFERENCE_LENGTH:
            reasons.append(f"reference is longer than {REFERENCE_LENGTH} characters")
        if reference in in_file:
            reasons.append(f"reference {reference} is also on line {in_file[reference]}")
        elif reference:
            in_file[reference] = line
        council = _council(row.get("responsible_council", ""), links, reasons)
        if council is not None and (council, reference) in held:
            present.append(Present(line, reference, held[council, reference]))
            continue
        record = build(line, row, council, links, today, reasons)
        if reasons:
            problems += [Problem(line, reason) for reason in reasons]
        elif record is not None:
            found.append(record)
    if not found and not problems and not present:
        problems.append(Problem(1, f"The file has no {what} in it"))
    return found, problems, present


def _council(text: str, links: Links[CouncilKey, Key], reasons: list[str]) -> CouncilKey | None:
    council = links.councils.get(text.upper()) or links.councils.get(text.lower())
    if text and council is None:
        reasons.append(f"{text!r} is not a member council of the agency (give its ONS code or name)")
    return council


def _household(text: str, links: Links[CouncilKey, Key], reasons: list[str]) -> Key | None:
    if not text:
        return None
    pk = parsing.reference(text, "H", bare=False)
    if pk is not None and pk in links.households:
        return links.households[pk]
    held = links.household_references.get(text, ())
    if len(held) == 1:
        return held[0]
    if len(held) > 1:
        reasons.append(f"household {text!r} is the reference of more than one council's household: give its H- one")
    else:
        reasons.append(f"household {text!r} is not a household of the agency (give its H- reference or the council's)")
    return None


def _child(text: str, links: Links[CouncilKey, Key], reasons: list[str]) -> Key | None:
    if not text:
        return None
    pk = parsing.reference(text, "C", bare=False)
    if pk is None or pk not in links.children:
        reasons.append(f"child {text!r} is not a child of the agency (give its C- reference)")
        return None
    return links.children[pk]


def _choice(name: str, text: str, words: Mapping[str, str], codes: Iterable[str], reasons: list[str]) -> str:
    code = words.get(text.lower(), "")
    if text and not code:
        reasons.append(f"{name.replace('_', ' ')} {text!r} is not one of {', '.join(codes)}")
    return code


def _dates(row: dict[str, str], names: Iterable[str], reasons: list[str]) -> dict[str, date | None]:
    dates = {}
    for name in names:
        dates[name], reason = read_date(name, row.get(name, ""), DATE_LABELS)
        reasons += [reason] if reason else []
    return dates


def _text(row: dict[str, str], name: str, limit: int, reasons: list[str]) -> str:
    text = row.get(name, "")
    if len(text) > limit:
        reasons.append(f"{name.replace('_', ' ')} is longer than {limit} characters")
    return text


def _support_case(line, row, council, links, today, reasons):  # -> NewSupportCase | None
    requester = _choice("requester", row.get("requester", ""), REQUESTERS, domain.REQUESTERS, reasons)
    name = _text(row, "requester_name", 120, reasons)
    household = _household(row.get("household", ""), links, reasons)
    child = _child(row.get("child", ""), links, reasons)
    unknown: list[str] = []
    words = [w.strip() for w in SEPARATORS.split(row.get("categories", "")) if w.strip()]
    categories = list(dict.fromkeys(_choice("category", w, CATEGORIES, domain.CATEGORIES, unknown) for w in words))
    reasons += unknown
    if requester and categories and not unknown:
        reasons += list(domain.request_errors(requester, categories).values())  # what a birth relative may ask for
    dates = _dates(row, SUPPORT_DATES, reasons)
    outcome = _choice("assessment_outcome", row.get("assessment_outcome", ""), OUTCOMES, domain.OUTCOMES, reasons)
    closed_reason = _choice(
        "closed_reason", row.get("closed_reason", ""), CLOSED_REASONS, domain.CLOSED_REASONS, reasons
    )
    if outcome and not dates["assessment_completed_on"]:
        reasons.append("assessment outcome is given without the date the assessment was completed")
    if closed_reason and not dates["closed_on"]:
        reasons.append("closed reason is given without the date the case closed")
    if reasons or council is None:
        return None
    details = {
        "assessment_completed_on": {"assessment_outcome": outcome},
        "closed_on": {"closed_reason": closed_reason},
    }
    steps = tuple(
        (STEP_OF[name].kind, on, {k: v for k, v in details.get(name, {}).items() if v})
        for name, on in dates.items()
        if on is not None
    )
    try:
        projection = replay(domain.JOURNEY, domain.entries_of(list(steps)), today)
    except StepRefused as error:
        reasons.append(f"The support journey refuses these dates: {error}")
        return None
    return NewSupportCase(
        line,
        row["reference"],
        council,
        requester,
        name,
        household,
        child,
        tuple(categories),
        row["request"],
        steps,
        domain.stage_of(projection),
    )


def _agreement(line, row, council, links, today, reasons):  # -> NewAgreement | None
    household = _household(row.get("household", ""), links, reasons)
    child = _child(row.get("child", ""), links, reasons)
    name = _text(row, "birth_relative_name", 120, reasons)
    relationship = _text(row, "birth_relative_relationship", 60, reasons)
    direction = _choice("direction", row.get("direction", ""), DIRECTIONS, letterbox.DIRECTIONS, reasons)
    count_text = row.get("exchanges_per_year", "")
    count = parsing.whole_number(count_text) if count_text else None
    if count_text and count is None:
        reasons.append(f"exchanges per year {count_text!r} is not a whole number")
    months = []
    for word in (w for w in MONTH_SEPARATORS.split(row.get("months", "")) if w):
        month = letterbox.month_number(word)
        if month is None:
            reasons.append(f"month {word!r} is not one (give 3 or March)")
        else:
            months.append(month)
    dates = _dates(row, ("starts_on", "ends_on"), reasons)
    status_text = row.get("status", "")
    status = _choice("status", status_text, STATUSES, letterbox.STATUSES, reasons)
    if reasons or council is None:
        return None
    status = status or letterbox.status_for(dates["ends_on"], today)
    terms = letterbox.Terms(
        direction, count, tuple(months), dates["starts_on"], dates["ends_on"], status, bool(child or household)
    )
    reasons += [_said(field, message) for field, message in letterbox.errors(terms, today).items()]
    if reasons or count is None or dates["starts_on"] is None:
        return None
    return NewAgreement(
        line,
        row["reference"],
        council,
        child,
        household,
        name,
        relationship,
        direction,
        count,
        tuple(sorted(months)),
        dates["starts_on"],
        dates["ends_on"],
        status,
    )


def _said(field: str, message: str) -> str:
    label = field.replace("_", " ")
    return message if label in message.lower() else f"{label}: {message}"
