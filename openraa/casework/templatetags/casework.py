"""Case notes and documents on a record's own page, asked for by its template (the record apps sit
below casework): the notes the reader may see, among the journey's steps, and the links to add one
or to open the documents."""

from django import template
from django.urls import reverse
from django.utils import timezone

from openraa.casework import selectors
from openraa.casework.models import Document
from openraa.casework.subjects import SUBJECTS
from openraa.casework.urls import ONLY_FOR

register = template.Library()


@register.simple_tag(takes_context=True)
def casework(context, slug: str, record, history=()) -> dict:
    user = context["request"].user
    subject = SUBJECTS[slug]
    if getattr(record, "sealed", False) or not subject.reaches_record(user, record, "view"):
        return {"shown": False, "timeline": list(history)}
    notes = selectors.notes_for(user, subject, record)
    can_change = subject.reaches_record(user, record, "change")
    held = set(Document.objects.filter(**{subject.field: record}).values_list("kind", flat=True))
    today = timezone.localdate()
    due = selectors.documents_due(subject, record, held)
    return {
        "shown": True,
        "notes": notes,
        "timeline": selectors.timeline(list(history), notes),
        "can_note": can_change,
        "note_url": reverse(f"casework:{slug}-note-add", args=[record.pk]),
        "correct_url": f"/records/{slug}/{record.pk}/notes/",
        "documents_url": reverse(f"casework:{slug}-documents", args=[record.pk]),
        "documents": len(held),
        "letters_url": reverse(f"casework:{slug}-letters", args=[record.pk])
        if can_change and slug in ONLY_FOR["letters"]
        else "",
        "print_url": reverse(f"casework:{slug}-print", args=[record.pk]) if slug in ONLY_FOR["print"] else "",
        "overdue": [item for item in due if item.overdue(today)],
    }


@register.simple_tag(takes_context=True)
def panel_minutes(context, item) -> list[dict]:
    """The panel minutes kept on the records of an agenda item that the reader may see, latest version
    each: the decision maker opens them from the decision page."""
    user = context["request"].user
    found = []
    records = [("households", item.household)] if item.household_id else []
    records += [("children", child) for child in item.children.all()]
    for slug, record in records:
        subject = SUBJECTS[slug]
        if getattr(record, "sealed", False) or not subject.reaches_record(user, record, "view"):
            continue
        for document in selectors.documents_for(user, subject, record):
            latest = (
                document.versions.all()[0] if document.kind == "panel_minutes" and document.versions.all() else None
            )
            if latest is not None:
                found.append(
                    {
                        "reference": record.reference,
                        "title": document.title,
                        "url": reverse(f"casework:{slug}-download", args=[record.pk, document.pk, latest.number]),
                        "version": latest.number,
                    }
                )
    return found
