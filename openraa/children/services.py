"""Writes to a child's record. One transaction each; the history rows are written by
django-simple-history, so every change carries who and when."""

from django.db import transaction

from openraa.children.models import Child, ChildNeed


@transaction.atomic
def save_child(child: Child, needs: dict[str, str] | None = None) -> Child:
    """Validate and save the child and, when given, replace its graded needs ({need: severity})."""
    child.full_clean()
    child.save()
    if needs is not None:
        set_needs(child, needs)
    return child


def set_needs(child: Child, needs: dict[str, str]) -> None:
    existing = {n.need: n for n in child.needs.all()}
    for code, need in existing.items():
        if code not in needs:
            need.delete()  # kept in the need's history; the child's record itself is never deleted
    for code, severity in needs.items():
        need = existing.get(code)
        if need is None:
            ChildNeed(child=child, need=code, severity=severity).save()
        elif need.severity != severity:
            need.severity = severity
            need.save()
