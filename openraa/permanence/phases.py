"""Which wider permanence functions an agency runs, from which date. Pure Python.

A partnership takes on long-term fostering, connected persons, special guardianship and adoption
support in phases; before a function's date (or with none set) the agency does not run it, and
every page and service refuses its work with the reason."""

from collections.abc import Mapping
from datetime import date
from enum import StrEnum


class Function(StrEnum):
    LONG_TERM_FOSTERING = "long_term_fostering"
    CONNECTED_PERSONS = "connected_persons"
    SPECIAL_GUARDIANSHIP = "special_guardianship"
    ADOPTION_SUPPORT = "adoption_support"

    @property
    def label(self) -> str:
        return FUNCTION_LABELS[self]


FUNCTION_LABELS = {
    Function.LONG_TERM_FOSTERING: "Long-term fostering",
    Function.CONNECTED_PERSONS: "Connected persons (family and friends) fostering",
    Function.SPECIAL_GUARDIANSHIP: "Special guardianship",
    Function.ADOPTION_SUPPORT: "Adoption support",
}
FUNCTION_CHOICES = [(function.value, label) for function, label in FUNCTION_LABELS.items()]


def is_active(active_from: Mapping[str, date | None], function: str, on: date) -> bool:
    start = active_from.get(function)
    return start is not None and start <= on


def refusal(active_from: Mapping[str, date | None], function: str, on: date) -> str | None:
    """Why work for this function cannot be recorded on this date, or None when it can."""
    if is_active(active_from, function, on):
        return None
    label = FUNCTION_LABELS[Function(function)]
    start = active_from.get(function)
    if start is None:
        return f"The agency does not run {label.lower()}: an administrator sets the date it starts"
    return (
        f"The agency runs {label.lower()} from {start.day} {start:%B %Y}, "
        f"so nothing can be recorded for it on {on.day} {on:%B %Y}"
    )


def adoption_support_refusal(active_from: Mapping[str, date | None], on: date) -> str | None:
    """Why the agency's adoption support pages and records are closed on the day, or None.

    An adoption agency with no phases recorded runs adoption support as one of its core functions;
    a partnership that phases its functions (North Midlands: "permanence functions will form part of
    the arrangement at different stages") runs it only from the date its phase goes live."""
    if Function.ADOPTION_SUPPORT.value not in active_from:
        return None
    return refusal(active_from, Function.ADOPTION_SUPPORT, on)
