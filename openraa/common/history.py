"""Change history: django-simple-history keeps every version of a record; this adds, to each
version, the fields that changed (old -> new) so the audit log reads without re-diffing."""

from typing import TypeVar

from django.db import models, transaction
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

M = TypeVar("M", bound=models.Model)

# Fields never copied into the readable change summary (secrets and bookkeeping).
_HIDDEN = {"password", "last_login", "version"}


class ChangeSummary(models.Model):
    changes = models.JSONField(default=dict, editable=False)

    class Meta:
        abstract = True


def _readable(value):
    if value is None:
        return None
    return value if isinstance(value, (int, float, bool)) else str(value)


@receiver(pre_create_historical_record)
def summarise_change(sender, instance, history_instance, **kwargs):
    if not hasattr(history_instance, "changes"):
        return
    previous = (
        type(history_instance).objects.filter(id=history_instance.id).order_by("-history_date", "-history_id").first()
        if history_instance.history_type == "~"
        else None
    )
    changes = {}
    for field in history_instance.tracked_fields:
        name = field.attname
        if name in _HIDDEN or field.primary_key:
            continue
        new = getattr(history_instance, name)
        old = getattr(previous, name) if previous else None
        if history_instance.history_type == "+" and new in (None, ""):
            continue
        if previous is None or old != new:
            changes[field.name] = [_readable(old), _readable(new)]
    history_instance.changes = changes


def bulk_create_with_history(
    model: type[models.Model],
    objs: list,
    when,
    by=None,
    m2m: dict[str, dict[int, list]] | None = None,
    batch_size: int = 2000,
) -> list:
    """Insert the rows and one "created" history row each, like simple_history.utils.
    bulk_create_with_history, but also (1) sends `pre_create_historical_record` for each history row,
    which is what fills the audit's readable change summary (simple-history's bulk helper skips it),
    and (2) records many-to-many values ({field: {id(obj): [related objects]}}) with their history
    snapshot, as a save followed by `.set()` would. `by` is the author (None: the system). Needs the
    database to return the new keys (PostgreSQL, SQLite 3.35+)."""
    if not objs:
        return objs
    history_model = model.history.model
    with transaction.atomic(savepoint=False):
        created = model._default_manager.bulk_create(objs, batch_size=batch_size)
        if created[0].pk is None:
            raise RuntimeError("The database did not return primary keys from a bulk insert")
        tracked = history_model.tracked_fields
        history = []
        for obj in created:
            row = history_model(
                history_date=when,
                history_type="+",
                history_user=by,
                history_change_reason=None,
                **{f.attname: getattr(obj, f.attname) for f in tracked},
            )
            pre_create_historical_record.send(
                sender=history_model,
                instance=obj,
                history_date=when,
                history_user=by,
                history_change_reason=None,
                history_instance=row,
                using=None,
            )
            history.append(row)
        history_model.objects.bulk_create(history, batch_size=batch_size)
        for name, values in (m2m or {}).items():
            through = getattr(model, name).through
            m2m_history = getattr(history_model, name).model
            source, target = (
                getattr(model, name).field.m2m_field_name(),
                getattr(model, name).field.m2m_reverse_field_name(),
            )
            links, rows = [], []
            for obj, row in zip(created, history):
                for related in values.get(id(obj), []):
                    links.append(through(**{source: obj, target: related}))
                    rows.append(row)
            through.objects.bulk_create(links, batch_size=batch_size)
            # The snapshot copies the link row, its id included.
            m2m_history.objects.bulk_create(
                [
                    m2m_history(
                        history=row,
                        id=link.pk,
                        **{
                            f"{source}_id": getattr(link, f"{source}_id"),
                            f"{target}_id": getattr(link, f"{target}_id"),
                        },
                    )
                    for link, row in zip(links, rows)
                ],
                batch_size=batch_size,
            )
    return created


def save_by(record: M, by: object) -> M:
    """Save the record with its history row under `by` (the user who wrote)."""
    record._history_user = by  # type: ignore[attr-defined]  # django-simple-history reads it
    record.save()
    return record
