"""Optimistic locking with a refusal that says what changed: a record is changed only at the
version the form was opened at (common.models.Versioned); the audit trail tells who changed it since."""

from django.core.exceptions import ValidationError

from openraa.audit.selectors import changes_for
from openraa.common.dates import long_date
from openraa.common.models import VERSION_REQUIRED, Versioned


def check_version(record: Versioned, expected: int | None, viewer) -> None:
    """Refuse when the record changed since the form was opened at `expected`, saying who changed
    what (old -> new) in the meantime, as far as `viewer` may see it. Locks the row until the
    transaction ends. An existing record
    is changed only at a stated version: `expected` None (or not a whole number) is refused; a new
    record (no pk) needs none."""
    if record.pk is None:
        return
    if isinstance(expected, bool) or not isinstance(expected, int):
        raise ValidationError(VERSION_REQUIRED, code="version_required")
    current = type(record).objects.select_for_update().filter(pk=record.pk).values_list("version", flat=True).first()
    if current == expected:
        return
    since = [c for c in changes_for(record, viewer, limit=20) if c.action == "Changed"][: max(current - expected, 1)]
    said = "; ".join(
        f"{change.by} on {long_date(change.at)} {change.at:%H:%M}: "
        + ", ".join(f"{name} {old} → {new}" for name, old, new in change.fields)
        for change in since
    )
    raise ValidationError(
        f"Someone else saved this record after you opened it, so your changes were not saved. "
        f"Their changes: {said or 'not shown'}. Open the record again and make your changes there."
    )
