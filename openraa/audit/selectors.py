"""Reads of the audit trail: a record's own changes; the agency-wide log for administrators is in log.py."""

from dataclasses import dataclass
from datetime import date, datetime
from heapq import merge

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import DateField, Q
from django.utils.formats import date_format
from simple_history.models import registered_models

from openraa.partnership.models import Agency
from openraa.people.policy import hidden_fields

ACTIONS = {"+": "Created", "~": "Changed", "-": "Removed"}


@dataclass(frozen=True)
class Change:
    at: datetime
    by: str
    action: str
    record: str
    fields: list[tuple[str, object, object]]


def _change(entry, record_label: str, hidden=(), skip=()) -> Change:
    model = entry.instance_type
    fields = [
        (_label(model, name), "(restricted)", "(restricted)")
        if name in hidden
        else (_label(model, name), _display(model, name, old), _display(model, name, new))
        for name, (old, new) in sorted(entry.changes.items())
        if name not in skip
    ]
    return Change(
        at=entry.history_date,
        by=str(entry.history_user) if entry.history_user_id else "System",
        action=ACTIONS[entry.history_type],
        record=record_label,
        fields=fields,
    )


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:
        return name


def _display(model, name: str, value):
    """Values as a person reads them: choice labels and dates in words (stored as text by history)."""
    if value is None or value == "":
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, DateField) and isinstance(value, str):
        try:
            return date_format(date.fromisoformat(value), "j M Y")
        except ValueError:
            return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


def changes_for(obj, viewer, parts=(), limit: int = 50, opened: bool = False) -> list[Change]:
    """The record's own changes and those of its parts, newest first, as `viewer` may see them: a
    value of a field the viewer may not see (people/policy.py hidden_fields) reads "(restricted)".
    `parts` are (label, model, foreign key to obj) - e.g. a child's needs or a household's
    applicants; a part listed under a hidden field of its owner (policy_owner_field) is hidden whole.
    `opened`: a sealed record the viewer opened with a stated reason."""
    hidden = hidden_fields(viewer, obj, opened=opened)
    streams = [[_change(entry, str(obj), hidden) for entry in _latest(obj.history.all(), limit)]]
    for label, model, fk_name in parts:
        entries = _latest(model.history.filter(**{f"{fk_name}_id": obj.pk}), limit)
        whole = getattr(model, "policy_owner_field", None) in hidden
        streams.append(
            [_change(entry, label, hidden=entry.changes.keys() if whole else (), skip={fk_name}) for entry in entries]
        )
    return list(merge(*streams, key=lambda change: change.at, reverse=True))[:limit]


def _latest(history, limit: int):
    return history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]


def tracked_models():
    """Every model whose changes django-simple-history records (m2m through tables excluded)."""
    return [model for model in registered_models.values() if hasattr(model, "history")]


def _agency_filter(model, agency):
    if model._meta.label == "partnership.Council":
        return Q(id__in=agency.councils.values("pk"))
    path = _agency_path(model)
    return Q(**{f"{path}_id": agency.pk}) if path else Q(pk__in=[])


def _agency_path(model, depth: int = 3) -> str | None:
    """The chain of foreign keys from a record to its agency ("agency", "child__agency",
    "line__year__agency"), shortest first; None when the record belongs to no one agency."""
    # Who recorded a row says nothing about whose record it is.
    relations = [f for f in model._meta.fields if f.many_to_one and f.related_model is not get_user_model()]
    for field in relations:
        if field.related_model is Agency and field.name == "agency":
            return "agency"
    if depth > 1:
        for field in relations:
            if field.related_model not in (Agency, model):
                found = _agency_path(field.related_model, depth - 1)
                if found:
                    return f"{field.name}__{found}"
    return None
