"""Reads of the governance records, through the policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from openraa.governance.models import Action, Agreement, Board, Complaint, ComplaintStageEntry, Document
from openraa.governance.schedule import AgreementStatus, ReviewStatus
from openraa.people import policy

REMINDED_AGREEMENTS = (AgreementStatus.EXPIRING_SOON, AgreementStatus.EXPIRED)
REMINDED_DOCUMENTS = (ReviewStatus.DUE, ReviewStatus.OVERDUE)


@dataclass(frozen=True)
class Reminder:
    kind: str  # "Agreement" or the document's kind
    title: str
    date_label: str  # "Expires" or "Review due"
    due_on: date
    status_label: str
    overdue: bool
    url: str


def agreements(user):
    return policy.restrict(Agreement.objects.prefetch_related("extensions"), user, "governance", "view")


def documents(user):
    return policy.restrict(Document.objects.all(), user, "governance", "view")


def boards(user):
    return policy.restrict(Board.objects.prefetch_related("meetings"), user, "governance", "view")


def open_actions(user):
    return policy.restrict(
        Action.objects.filter(done_on__isnull=True).select_related("board"), user, "governance", "view"
    )


def complaints(user, action: str = "view"):
    stages = Prefetch("stages", queryset=ComplaintStageEntry.objects.order_by("started_on", "id"))
    return policy.restrict(
        Complaint.objects.select_related("council").prefetch_related(stages), user, "complaints", action
    )


def reminders_for_agency(agency, today: date) -> list[Reminder]:
    """Agreements expiring within their reminder window or expired, and documents due for review
    or overdue, soonest first."""
    found = []
    for agreement in Agreement.objects.filter(agency=agency).prefetch_related("extensions"):
        status = agreement.status(today)
        if status in REMINDED_AGREEMENTS:
            found.append(
                Reminder(
                    agreement.get_kind_display(),
                    agreement.title,
                    "Expires",
                    agreement.expires_on,
                    status.label,
                    status == AgreementStatus.EXPIRED,
                    reverse("governance:agreement", kwargs={"pk": agreement.pk}),
                )
            )
    for document in Document.objects.filter(agency=agency):
        status = document.status(today)
        if status in REMINDED_DOCUMENTS:
            found.append(
                Reminder(
                    document.get_kind_display(),
                    document.title,
                    "Review due",
                    document.review_due_on,
                    status.label,
                    status == ReviewStatus.OVERDUE,
                    reverse("governance:document", kwargs={"pk": document.pk}),
                )
            )
    return sorted(found, key=lambda reminder: reminder.due_on)


def governance_reminders(user, today: date | None = None) -> list[Reminder]:
    """The home page's reminders: only for those who may view the governance records."""
    if not policy.can(user, "governance", "view"):
        return []
    return reminders_for_agency(user.agency, today or timezone.localdate())
