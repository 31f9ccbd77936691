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
