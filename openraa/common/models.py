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
