"""Letterbox agreements: after an adoption, who writes to whom and how often, through the agency
(ASSR 2005 reg 3(1)(c): help with contact arrangements, here the indirect kind). Pure Python: the
rules an agreement keeps, for the service and the moving-in import alike.

Letters in and out (issue 20) are recorded against an agreement; the agreement itself says only
the parties, the direction, how many exchanges a year and in which months they are due."""

from dataclasses import dataclass
from datetime import date

DIRECTIONS = {
    "both": "Both ways",
    "to_birth_family": "Adoptive family to birth family",
    "to_adopters": "Birth family to adoptive family",
}
STATUSES = {"active": "Active", "suspended": "Suspended", "ended": "Ended"}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MAX_EXCHANGES = 12  # one a month at most: more is direct contact, not letterbox


@dataclass(frozen=True)
class Terms:
    direction: str
    exchanges_per_year: int | None
    months: tuple[int, ...]  # 1-12, the months the exchanges are due
    starts_on: date | None
    ends_on: date | None
    status: str
    has_child_or_household: bool


def status_for(ends_on: date | None, today: date) -> str:
    """The status an agreement has when none is given: ended once its end date has passed."""
    return "ended" if ends_on is not None and ends_on <= today else "active"


def month_number(text: str) -> int | None:
    """1-12 for '3', '03', 'Mar' or 'March' (any case); None for anything else."""
    text = text.strip().lower()
    if text.isascii() and text.isdigit():  # isdigit() alone passes '¹', which int() refuses
        return int(text) if 1 <= int(text) <= 12 else None
    for number, name in enumerate(MONTHS, start=1):
        if len(text) >= 3 and name.lower().startswith(text):
            return number
    return None


def month_names(months: list[int] | tuple[int, ...]) -> str:
    return ", ".join(MONTHS[m - 1] for m in sorted(months) if 1 <= m <= 12)


def errors(terms: Terms, today: date) -> dict[str, str]:
    """Why an agreement cannot be recorded as given (empty when it can), by field."""
    found = {}
    if not terms.has_child_or_household:
        found["child"] = "Link the agreement to the adopted child, the adoptive household or both"
    if terms.direction not in DIRECTIONS:
        found["direction"] = f"Choose who writes to whom: {', '.join(DIRECTIONS)}"
    if terms.status not in STATUSES:
        found["status"] = f"Choose the status: {', '.join(STATUSES)}"
    n = terms.exchanges_per_year
    if n is None or not 1 <= n <= MAX_EXCHANGES:
        found["exchanges_per_year"] = f"Exchanges a year must be a whole number from 1 to {MAX_EXCHANGES}"
    months = terms.months
    if any(not 1 <= m <= 12 for m in months):
        found["months"] = "Months are 1 to 12"
    elif len(set(months)) != len(months):
        found["months"] = "A month is given twice"
    elif n is not None and "exchanges_per_year" not in found and len(months) != n:
        found["months"] = f"{n} exchange(s) a year needs {n} month(s) they are due in; {len(months)} given"
    if terms.starts_on is None:
        found["starts_on"] = "Enter the date the agreement starts"
    elif terms.ends_on is not None and terms.ends_on < terms.starts_on:
        found["ends_on"] = "The agreement cannot end before it starts"
    if terms.status == "ended" and terms.ends_on is None:
        found["ends_on"] = "An ended agreement needs the date it ended"
    elif terms.status in ("active", "suspended") and terms.ends_on is not None and terms.ends_on <= today:
        found["status"] = f"The agreement ended on {terms.ends_on}: its status is ended"
    return found


# --- Letters exchanged under an agreement (issue 20) ---------------------------------------------
# Each letter is logged against the agreement when it is due (its due date is the last day of one of
# the agreement's months), received by the agency, read and checked by a worker, then passed on - or
# returned to the writer or withheld, with the reason. Nothing is passed on unread.

EXCHANGE_DIRECTIONS = {
    "to_birth_family": "From the adoptive family to the birth relative",
    "to_adopters": "From the birth relative to the adoptive family",
}
HELD_BACK = {"returned": "Returned to the writer", "withheld": "Withheld"}


def direction_allowed(agreement_direction: str, exchange_direction: str) -> bool:
    """Whether the agreement provides for letters going this way."""
    return exchange_direction in EXCHANGE_DIRECTIONS and agreement_direction in ("both", exchange_direction)


def _month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def due_dates(months: tuple[int, ...] | list[int], starts_on: date, until: date) -> list[date]:
    """The dates letters are due under the agreement: the last day of each of its months, from the
    month it starts up to `until` (the agreement's end, or a date the caller chooses)."""
    found = []
    for year in range(starts_on.year, until.year + 1):
        for month in sorted(m for m in months if 1 <= m <= 12):
            due = _month_end(year, month)
            if starts_on <= due <= until:
                found.append(due)
    return found


@dataclass(frozen=True)
class Exchange:
    """One letter under an agreement, as far as it has gone."""

    direction: str
    due_on: date | None
    received_on: date | None = None
    checked_on: date | None = None
    checked_by: int | None = None  # the worker who read and checked it
    passed_on_on: date | None = None
    held_back: str = ""  # returned / withheld
    held_back_on: date | None = None
    held_back_reason: str = ""


def exchange_errors(exchange: Exchange, agreement_direction: str, today: date) -> dict[str, str]:
    """Why a letter cannot be recorded as given (empty when it can), by field. The agency reads and
    checks every letter before it is passed on; a letter returned or withheld says why."""
    e = exchange
    found: dict[str, str] = {}
    if not direction_allowed(agreement_direction, e.direction):
        found["direction"] = (
            "The agreement does not provide for letters going this way"
            if e.direction in EXCHANGE_DIRECTIONS
            else "Choose which way the letter goes"
        )
    if e.due_on is None:
        found["due_on"] = "Choose the date the letter is due"
    for name, label in (
        ("received_on", "received"),
        ("checked_on", "read and checked"),
        ("passed_on_on", "passed on"),
        ("held_back_on", "returned or withheld"),
    ):
        value = getattr(e, name)
        if value is not None and value > today:
            found[name] = f"The date {label} cannot be in the future"
    if e.checked_on is not None:
        if e.received_on is None:
            found.setdefault("checked_on", "A letter is read and checked once it is received: enter the date received")
        elif e.checked_on < e.received_on:
            found.setdefault("checked_on", "A letter cannot be read and checked before it was received")
        if e.checked_by is None:
            found.setdefault("checked_on", "Say who read and checked the letter")
    if e.passed_on_on is not None:
        if e.checked_on is None:
            found.setdefault(
                "passed_on_on", "The agency reads and checks every letter before it is passed on: record that first"
            )
        elif e.passed_on_on < e.checked_on:
            found.setdefault("passed_on_on", "A letter cannot be passed on before it was read and checked")
    if e.held_back:
        if e.held_back not in HELD_BACK:
            found["held_back"] = "Choose whether the letter was returned or withheld"
        if e.received_on is None:
            found.setdefault("held_back", "Only a letter received can be returned or withheld")
        if e.passed_on_on is not None:
            found.setdefault("held_back", "A letter passed on cannot also be returned or withheld")
        if e.held_back_on is None:
            found.setdefault("held_back_on", "Enter the date the letter was returned or withheld")
        elif e.received_on is not None and e.held_back_on < e.received_on:
            found.setdefault("held_back_on", "A letter cannot be returned or withheld before it was received")
        if len(e.held_back_reason.split()) < 2:
            found["held_back_reason"] = "Give the reason the letter was returned or withheld"
    elif e.held_back_on is not None or e.held_back_reason.strip():
        found.setdefault("held_back", "Choose whether the letter was returned or withheld")
    return found


def is_overdue(exchange: Exchange, today: date) -> bool:
    """A letter not received by its due date is overdue (the agency reminds the writer)."""
    return exchange.received_on is None and exchange.due_on is not None and exchange.due_on < today


def exchange_status(exchange: Exchange, today: date) -> str:
    """Where the letter has got to, in words."""
    e = exchange
    if e.held_back:
        return HELD_BACK.get(e.held_back, "Held back")
    if e.passed_on_on is not None:
        return "Passed on"
    if e.checked_on is not None:
        return "Read and checked: to pass on"
    if e.received_on is not None:
        return "Received: to read and check"
    return "Overdue" if is_overdue(e, today) else "Expected"


def due_date_error(
    months: tuple[int, ...] | list[int], starts_on: date, ends_on: date | None, due_on: date
) -> str | None:
    """Why a letter cannot be due on this date under the agreement (None when it can)."""
    if due_on not in due_dates(months, starts_on, ends_on or due_on):
        return (
            f"Letters are due at the end of {month_names(months) or 'the agreement months'}, while the agreement runs"
        )
    return None
