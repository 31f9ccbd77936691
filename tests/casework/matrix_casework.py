"""Case notes and documents in the permission matrix (tests/people/test_permission_matrix.py): on each
kind of record, one unrestricted note and one document per side, so every page has something to find.
Their pages need the record shown whole: another council's child, seen only as a profile, gives 404."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from openraa.casework import services
from openraa.casework.subjects import SUBJECTS
from openraa.casework.urls import ONLY_FOR, PAGES
from openraa.people.roles import Role
from tests import builders

# The region's key for each kind of record (tests/people/test_permission_matrix.py and the area modules).
REGION_KEYS = {
    "children": "child",
    "households": "household",
    "support": "support_case",
    "carers": "carer",
    "plans": "plan",
}


def build(region, agencies, councils):
    for side, agency in agencies.items():
        author = builders.user(Role.ADMINISTRATOR, agency, employer=councils[side], username=f"casework.{side}")
        for slug, subject in SUBJECTS.items():
            record = region[REGION_KEYS[slug]][side]
            note = services.add_note(
                subject, record, kind="visit", occurred_on=date(2025, 6, 2), text="Visit", restricted=False, by=author
            )
            version = services.upload_document(
                subject,
                record,
                kind="other",
                title="Notes of a meeting",
                restricted=False,
                upload=SimpleUploadedFile("notes.txt", b"Meeting notes"),
                by=author,
            )
            region.setdefault(f"{slug}-note", {})[side] = note
            region.setdefault(f"{slug}-document", {})[side] = version.document


def _kwargs(slug, page):
    key = REGION_KEYS[slug]

    def make(region, side):
        kwargs = {"pk": region[key][side].pk}
        if page == "note-correct":
            kwargs["note"] = region[f"{slug}-note"][side].pk
        if page in ("version-add", "download"):
            kwargs["doc"] = region[f"{slug}-document"][side].pk
        if page == "download":
            kwargs["number"] = 1
        return kwargs

    return make


RECORD_LOOKUPS = {
    f"casework:{slug}-{page}": (_kwargs(slug, page), [(subject.resource, action)])
    for slug, subject in SUBJECTS.items()
    for page, (_view, _route, action) in PAGES.items()
    if slug in ONLY_FOR.get(page, {slug})
}
# Pages that need the child's whole record, never the anonymised profile.
# The printed profile is the exception: another council's child prints as its anonymised profile.
WHOLE_RECORDS = {name for name in RECORD_LOOKUPS if name.startswith("casework:children-")} - {"casework:children-print"}
