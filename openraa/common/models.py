"""Model helpers shared by the record apps."""

from dataclasses import fields

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from openraa.common import contact


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


class Versioned(models.Model):
    """A record two people may edit at once: each full save raises its version, and a save made
    from an out-of-date form is refused (optimistic concurrency) instead of overwriting."""

    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk and kwargs.get("update_fields") is None:
            self.version += 1
        super().save(*args, **kwargs)


# A change that does not say which version it was made to could overwrite a newer save unseen.
VERSION_REQUIRED = (
    "Your changes were not saved: they did not say which version of the record they change, so they "
    "could have overwritten someone else's. Open the record again and make your changes there."
)


def target_field(
    default: int, maximum: int, help_text: str, label: str | None = None, message: str | None = None
) -> models.PositiveSmallIntegerField:
    """A timescale target an agency may set for itself: a whole number from 1 to `maximum`. The
    adoption journeys', adoption support's and wider permanence's targets are all made here."""
    messages = (message,) if message else ()
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        help_text=help_text,
        validators=[MinValueValidator(1, *messages), MaxValueValidator(maximum, *messages)],
    )


# Contact details (common/contact.py), on every model that holds them: restricted like names.
def phone_validator(value: str) -> None:
    message = contact.phone_error(value or "")
    if message:
        raise ValidationError(message)


def email_validator(value: str) -> None:
    message = contact.email_error(value or "")
    if message:
        raise ValidationError(message)


def postcode_validator(value: str) -> None:
    message = contact.postcode_error(value or "")
    if message:
        raise ValidationError(message)


def phone_field() -> models.CharField:
    return models.CharField("Telephone", max_length=30, blank=True, validators=[phone_validator])


def email_field() -> models.CharField:
    return models.CharField("E-mail address", max_length=254, blank=True, validators=[email_validator])


def address_field() -> models.TextField:
    return models.TextField("Postal address", blank=True)


def postcode_field() -> models.CharField:
    return models.CharField("Postcode", max_length=8, blank=True, validators=[postcode_validator])
