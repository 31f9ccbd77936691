"""Date rules shared by every journey: no future dates, and milestones in their legal order. Pure."""

from collections.abc import Mapping, Sequence
from datetime import date

Errors = dict[str, str]


def check_dates(
    dates: Mapping[str, date | None],
    labels: Mapping[str, str],
    today: date,
    requires: Sequence[tuple[str, str]] = (),
    not_before: Sequence[tuple[str, str]] = (),
) -> Errors:
    """Return {field: message} for the first problem found with each field.

    requires: (field, prerequisite) - field may only be recorded once the prerequisite is.
    not_before: (field, earlier) - when both are recorded, field is on or after earlier.
    """
    errors: Errors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, message)

    for field, value in dates.items():
        if value is not None and value > today:
            add(field, f"{labels[field]} cannot be in the future")
    for field, prerequisite in requires:
        if dates.get(field) is not None and dates.get(prerequisite) is None:
            add(field, f"{labels[field]} needs {labels[prerequisite].lower()} to be recorded first")
    for field, earlier in not_before:
        later_value, earlier_value = dates.get(field), dates.get(earlier)
        if later_value is not None and earlier_value is not None and later_value < earlier_value:
            add(field, f"{labels[field]} cannot be before {labels[earlier].lower()}")
    return errors


def long_date(when: date) -> str:
    """A date in words as every page writes it: 2 October 2023 (templates: `date:"j F Y"`)."""
    return f"{when.day} {when:%B %Y}"
