"""Model helpers shared by the record apps."""

from dataclasses import fields

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone


def domain_values(instance, dataclass_type):
    """Build a pure-domain dataclass from a model instance's fields of the same names."""
    return dataclass_type(**{f.name: getattr(instance, f.name) for f in fields(dataclass_type)})


def raise_domain_errors(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


def today():
    return timezone.localdate()


# The outward half of a UK postcode (L36, CH41, SW1A): enough to place a household without an address.
postcode_district_validator = RegexValidator(
    r"^[A-Z]{1,2}[0-9][A-Z0-9]?$", "Enter a postcode district in capitals, like L36 or CH41"
)


def sync_grades(rows, wanted: dict[str, str], grade_field: str, make) -> None:
    """Make a record's graded needs (or capabilities) exactly `wanted` ({need: grade}): rows no
    longer wanted are deleted (their history keeps them), changed grades saved, new ones made with
    make(need, grade). Rows are saved one by one so each change has its history row."""
    existing = {row.need: row for row in rows}
    for code, row in existing.items():
        if code not in wanted:
            row.delete()
    for code, grade in wanted.items():
        row = existing.get(code)
        if row is None:
            make(code, grade).save()
        elif getattr(row, grade_field) != grade:
            setattr(row, grade_field, grade)
            row.save()
