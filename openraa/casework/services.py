"""The one write path for case notes and documents."""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction

from openraa.casework import domain, scanning
from openraa.casework.models import (
    CaseNote,
    Document,
    DocumentDueDays,
    DocumentTracking,
    DocumentVersion,
    Notification,
    Task,
)
from openraa.casework.subjects import Subject
from openraa.common import filetypes


def add_note(
    subject: Subject, record, *, kind: str, occurred_on: date, text: str, restricted: bool, by, supersedes=None
) -> CaseNote:
    note = CaseNote(
        agency_id=record.agency_id,
        kind=kind,
        occurred_on=occurred_on,
        text=text,
        restricted=restricted,
        supersedes=supersedes,
        author=by,
        **{subject.field: record},
    )
    note.full_clean()
    note.save()
    return note


@dataclass(frozen=True)
class CheckedFile:
    file_type: filetypes.FileType
    size: int
    sha256: str


def check_upload(upload) -> CheckedFile:
    """Refuses, with the reason, a file too big, of a type a case record does not take (judged by
    its bytes), or one the virus scanner finds infected or cannot check. Nothing is stored here."""
    limit = settings.OPENRAA_MAX_UPLOAD_BYTES
    if upload.size == 0:
        raise ValidationError("The selected file is empty")
    if upload.size > limit:
        raise ValidationError(f"The selected file must be smaller than {limit // (1024 * 1024)} MB")
    file_type = filetypes.identify_file(upload)
    if file_type is None:
        raise ValidationError(f"The selected file must be a {filetypes.ACCEPTED_LABELS}")
    verdict = scanning.scan(upload)
    if verdict == scanning.Verdict.INFECTED:
        raise ValidationError("The selected file contains a virus")
    if verdict == scanning.Verdict.FAILED:
        raise ValidationError("The selected file could not be checked for viruses. Try again later")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(file_type, upload.size, digest.hexdigest())


def safe_name(name: str, file_type: filetypes.FileType) -> str:
    """The uploader's file name, kept for the download, with its extension the one its bytes prove."""
    stem = "".join(ch for ch in name.rsplit(".", 1)[0] if ch.isalnum() or ch in " -_()")[:150].strip() or "document"
    return f"{stem}.{file_type.extension}"


def upload_document(
    subject: Subject, record, *, kind: str, title: str, restricted: bool, upload, by, note: str = ""
) -> DocumentVersion:
    checked = check_upload(upload)
    with transaction.atomic():
        document = Document(
            agency_id=record.agency_id,
            kind=kind,
            title=title,
            restricted=restricted or kind in domain.ALWAYS_RESTRICTED,
            created_by=by,
            **{subject.field: record},
        )
        document.full_clean()
        document.save()
        return _store_version(document, upload, checked, by, note)


def upload_version(document: Document, *, upload, by, note: str = "") -> DocumentVersion:
    checked = check_upload(upload)
    with transaction.atomic():
        Document.objects.select_for_update().filter(pk=document.pk).first()  # one new number at a time
        return _store_version(document, upload, checked, by, note)


def _store_version(document, upload, checked: CheckedFile, by, note: str) -> DocumentVersion:
    numbers = list(document.versions.values_list("number", flat=True))
    version = DocumentVersion(
        document=document,
        number=domain.next_version(numbers),
        original_name=safe_name(getattr(upload, "name", "") or document.title, checked.file_type),
        content_type=checked.file_type.content_type,
        size=checked.size,
        sha256=checked.sha256,
        note=note,
        uploaded_by=by,
    )
    upload.seek(0)
    version.file.save("upload", File(upload), save=False)
    try:
        version.save()
    except Exception:
        if version.file.name:
            version.file.storage.delete(version.file.name)  # no file is kept without its record
        raise
    return version


def store_generated(
    subject: Subject, record, *, kind: str, title: str, content: bytes, filename: str, by, restricted: bool = False
) -> DocumentVersion:
    """A document the system wrote (a letter, a profile): stored like an upload, as a new version of
    the record's document of the same title when there is one."""
    upload = ContentFile(content, name=filename)
    existing = Document.objects.filter(**{subject.field: record}, kind=kind, title=title).first()
    if existing is not None:
        return upload_version(existing, upload=upload, by=by, note="Made again from the record")
    return upload_document(subject, record, kind=kind, title=title, restricted=restricted, upload=upload, by=by)


def set_timings(agency_id: int, tracked_from, timings: dict[str, tuple[int, int]]) -> None:
    """The one write path for the agency's document timings; rows saved one by one for their history."""
    with transaction.atomic():
        tracking = DocumentTracking.objects.filter(agency_id=agency_id).first()
        if tracked_from is None and tracking is not None:
            tracking.delete()
        elif tracked_from is not None and (tracking is None or tracking.tracked_from != tracked_from):
            tracking = tracking or DocumentTracking(agency_id=agency_id)
            tracking.tracked_from = tracked_from
            tracking.save()
        for kind, (months, days) in timings.items():
            row = DocumentDueDays.objects.filter(agency_id=agency_id, kind=kind).first()
            if row is None:
                row = DocumentDueDays(agency_id=agency_id, kind=kind)
            if row.pk is None or (row.months, row.days) != (months, days):
                row.months, row.days = months, days
                row.save()


def set_task(*, by, title: str, owner, due_on, record=None) -> Task:
    """A task for a colleague (or oneself), about a child or a household or nothing."""
    task = Task(agency_id=by.agency_id, title=title, owner=owner, due_on=due_on, set_by=by)
    if record is not None:
        setattr(task, "child" if record._meta.label_lower == "children.child" else "household", record)
    task.full_clean()
    task.save()
    return task


def finish_task(task: Task, on) -> None:
    if task.done_on is None:
        task.done_on = on
        task.save(update_fields=["done_on"])


def mark_notifications_read(user, at) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=at)
