"""Change history: django-simple-history keeps every version of a record; this adds, to each
version, the fields that changed (old -> new) so the audit log reads without re-diffing."""

from django.db import models
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

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
