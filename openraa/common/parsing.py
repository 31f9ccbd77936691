"""Reading what people type into pages, filters and the API: references, whole numbers, dates
and years. Pure Python, no Django.

Every function takes any text (or None) and answers the value, or None when the text is not one:
none raises, so no input reaches a view as a server error. Only ASCII digits are read:
`str.isdigit()` also passes '²' (which `int()` then refuses) and `int()` reads '٣' as 3, so neither
is used on input. Lengths are bounded before anything is converted, and every value has a range.
"""

from __future__ import annotations

import re
from datetime import date

# The key of every record (BigAutoField): a reference naming a larger number names no record.
MAX_ID = 2**63 - 1
# No number, reference or date anyone types is longer; longer text is refused before it is read.
MAX_LENGTH = 40

# The prefixes of the references the records show (their `reference` property): "C-000123".
REFERENCE_PREFIXES = {
    "C": "child",
    "H": "household",
    "G": "sibling group",
    "S": "support case",
    "CR": "carer",
    "P": "permanence plan",
    "CP": "complaint",
}

EARLIEST_YEAR = 1900  # no date the records keep is earlier
LATEST_YEAR = 2100  # nor later: a year beyond is a typing mistake, and date() fails at 10000

_DIGITS = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"[+-]?[0-9]+")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def _text(value: object) -> str | None:
    """The text to read, stripped, or None when it is not text or too long to be a value."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    return text if len(text) <= MAX_LENGTH else None


def whole_number(value: object, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """'42', '-3', '+7' (ASCII digits) within [minimum, maximum]; None otherwise."""
    text = _text(value)
    if text is None or not _SIGNED.fullmatch(text):
        return None
    number = int(text)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return None
    return number


def record_id(value: object) -> int | None:
    """A record's key: a whole number from 1 to MAX_ID."""
    text = _text(value)
    if text is None or not _DIGITS.fullmatch(text):
        return None
    return whole_number(text, 1, MAX_ID)


def reference(value: object, prefix: str, *, bare: bool = True) -> int | None:
    """The key a reference names: 'C-000123', 'c-123' and 'C123' (and, when `bare`, '123') are 123
    for the prefix 'C'. Another prefix ('H-000123' asked as a child) is not a reference."""
    if prefix not in REFERENCE_PREFIXES:
        raise ValueError(f"No reference has the prefix {prefix!r}")
    text = _text(value)
    if text is None:
        return None
    text = text.upper()
    for with_prefix in (f"{prefix}-", prefix):
        if text.startswith(with_prefix):
            return record_id(text.removeprefix(with_prefix))
    return record_id(text) if bare else None


def _day(year: int, month: int, day: int, earliest: date, latest: date) -> date | None:
    try:
        found = date(year, month, day)
    except ValueError:  # 31 February, month 13, day 0
        return None
    return found if earliest <= found <= latest else None


def iso_date(
    value: object, earliest: date = date(EARLIEST_YEAR, 1, 1), latest: date = date(LATEST_YEAR, 12, 31)
) -> date | None:
    """'2024-03-31' (ASCII digits; month and day may have one digit) between earliest and latest."""
    if isinstance(value, date):
        return value if earliest <= value <= latest else None
    text = _text(value)
    match = _ISO_DATE.fullmatch(text) if text is not None else None
    if match is None:
        return None
    return _day(int(match[1]), int(match[2]), int(match[3]), earliest, latest)


def date_from_parts(
    day: object, month: object, year: object, earliest: date = date(1, 1, 1), latest: date = date(9999, 12, 31)
) -> date | None:
    """The GOV.UK date input's three boxes: day and month of one or two ASCII digits and a year of
    four. The default range is every date Python has, so a caller can say why a year is refused."""
    d, m, y = (_text(part) for part in (day, month, year))
    if (
        d is None
        or m is None
        or y is None
        or not all(_DIGITS.fullmatch(part) for part in (d, m, y))
        or len(y) != 4
        or len(d) > 2
        or len(m) > 2
    ):
        return None
    return _day(int(y), int(m), int(d), earliest, latest)


def year(value: object, earliest: int = EARLIEST_YEAR, latest: int = LATEST_YEAR) -> int | None:
    """A calendar year of four ASCII digits between earliest and latest."""
    text = _text(value)
    if text is None or not re.fullmatch(r"[0-9]{4}", text):
        return None
    return whole_number(text, earliest, latest)


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(raw: bytes) -> int:
    """How deeply a JSON text nests its arrays and objects ('{"a": [1]}' is 2), counted on the
    bytes before any parser recurses into them (brackets inside strings do not count)."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub(b"", raw)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(depth - 1, 0)
    return deepest
