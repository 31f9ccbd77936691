"""In-app notifications: when someone changes a child or household record, records a step, a case
note, a document or an expression of interest (recorded or closed) on it, each other worker
allocated to it hears of it on their My work page. Imports and the demo (no user) notify no one."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from simple_history.signals import post_create_historical_record

from openraa.casework.models import CaseNote, DocumentVersion, Notification
from openraa.children.models import Child
from openraa.households.models import Household
from openraa.journeys.models import ChildStep, HouseholdStep
from openraa.matching.models import Interest

_PAGES = {Child: "children:detail", Household: "households:detail"}


def notify_holders(record, by, message: str) -> None:
    if by is None or type(record) not in _PAGES or record.pk is None:
        return
    holders = record.allocated_workers.exclude(pk=by.pk).values_list("pk", flat=True)
    url = reverse(_PAGES[type(record)], args=[record.pk])
    Notification.objects.bulk_create(
        Notification(
            user_id=pk, reference=record.reference, message=f"{message} by {by.get_full_name() or by}", url=url
        )
        for pk in holders
    )


def notify_from_family(record, message: str) -> None:
    """The family did something from their own account: every worker allocated hears of it."""
    url = reverse(_PAGES[type(record)], args=[record.pk])
    Notification.objects.bulk_create(
        Notification(user_id=pk, reference=record.reference, message=f"{message} by the family", url=url)
        for pk in record.allocated_workers.values_list("pk", flat=True)
    )


@receiver(post_create_historical_record)
def _record_changed(sender, instance, history_instance, **kwargs):
    if isinstance(instance, (Child, Household)) and history_instance.history_type == "~":
        notify_holders(instance, kwargs.get("history_user"), "Record changed")


@receiver(post_save, sender=ChildStep)
@receiver(post_save, sender=HouseholdStep)
def _step_recorded(sender, instance, created, **kwargs):
    if created:
        record = instance.child if sender is ChildStep else instance.household
        notify_holders(record, instance.recorded_by, "Journey step recorded")


@receiver(post_save, sender=CaseNote)
def _note_written(sender, instance, created, **kwargs):
    if created and instance.subject_field in ("child", "household"):
        notify_holders(instance.subject, instance.author, "Case note added")


@receiver(post_save, sender=DocumentVersion)
def _document_uploaded(sender, instance, created, **kwargs):
    document = instance.document
    if created and document.subject_field in ("child", "household"):
        notify_holders(document.subject, instance.uploaded_by, "Document uploaded")


@receiver(post_save, sender=Interest)
def _interest_changed(sender, instance, created, **kwargs):
    """An interest recorded or closed is news for the child's and the household's workers alike."""
    by = instance.recorded_by if created else getattr(instance, "_history_user", None)
    message = (
        "Expression of interest recorded"
        if created
        else f"Expression of interest {instance.get_status_display().lower()}"
    )
    from_family = (
        created and instance.recorded_by_id is None and instance.direction == Interest.Direction.FROM_HOUSEHOLD
    )
    if from_family or getattr(instance, "_by_family", False):
        message = "Expression of interest " + ("recorded" if created else instance.status)
        notify_from_family(instance.child, message)
        notify_from_family(instance.household, message)
    elif created or not instance.is_open:
        notify_holders(instance.child, by, message)
        notify_holders(instance.household, by, message)
