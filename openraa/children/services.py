"""Writes to a child's record. One transaction each; the history rows are written by
django-simple-history, so every change carries who and when."""

from django.db import transaction

from openraa.children.models import Child, ChildNeed
from openraa.common.models import check_version, sync_grades


@transaction.atomic
def save_child(child: Child, needs: dict[str, str] | None = None, expected_version: int | None = None,
               by=None) -> Child:
    """Validate and save the child and, when given, replace its graded needs ({need: severity}).
    With expected_version, refuse if someone saved the child since that version was read (saying
    what changed, as far as `by` may see it)."""
    check_version(child, expected_version, by)
    child.full_clean()
    child.save()
    if needs is not None:
        set_needs(child, needs)
    return child


def set_needs(child: Child, needs: dict[str, str]) -> None:
    sync_grades(child.needs.all(), needs, "severity", lambda need, severity: ChildNeed(child=child, need=need, severity=severity))
