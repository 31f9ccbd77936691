"""Case notes and documents: who reads them (restricted, sealed, the other council, another agency),
corrections that never edit a note away, uploads refused with nothing stored, and every download
audited."""

import io
import sys
import zipfile
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openraa.audit.models import RecordView
from openraa.casework import services
from openraa.casework.models import CaseNote, Document, DocumentTracking, DocumentVersion
from openraa.casework.subjects import SUBJECTS
from openraa.people.roles import Role
from tests import builders

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHILDREN = SUBJECTS["children"]


def _stored_files() -> set[str]:
    root = settings.MEDIA_ROOT
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _note(subject, record, by, text="Visited the foster home; settled and playful", restricted=False):
    return services.add_note(
        subject, record, kind="visit", occurred_on=date(2025, 6, 2), text=text, restricted=restricted, by=by
    )


def _pdf(name="report.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def knowsley_child(aim):
    return builders.child(aim, "Knowsley")


@pytest.mark.django_db
def test_a_worker_records_a_note_and_it_shows_among_the_journey_steps(aim, knowsley_child, client_for):
    worker = builders.user(Role.FAMILY_FINDER, aim)
    client = client_for(worker)
    url = reverse("casework:children-note-add", args=[knowsley_child.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"kind": "visit", "occurred_on_0": "2", "occurred_on_1": "6", "occurred_on_2": "2025", "text": "Settled well"},
    )
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert (note.author, note.child, note.restricted) == (worker, knowsley_child, False)
    page = builders.page_html(client.get(reverse("children:detail", args=[knowsley_child.pk])))
    assert "Settled well" in page and "Visit note" in page
    # Among the steps by date, newest first: before the should-be-placed decision of 2023.
    assert page.index("Settled well") < page.index("1 June 2023")


@pytest.mark.django_db
def test_bad_note_input_is_refused_and_nothing_is_saved(aim, knowsley_child, client_for):
    client = client_for(builders.user(Role.FAMILY_FINDER, aim))
    url = reverse("casework:children-note-add", args=[knowsley_child.pk])
    for data in (
        {"kind": "visit", "occurred_on_0": "31", "occurred_on_1": "2", "occurred_on_2": "2025", "text": "x"},
        {"kind": "séance", "occurred_on_0": "1", "occurred_on_1": "2", "occurred_on_2": "2025", "text": "x"},
        {"kind": "visit", "occurred_on_0": "1", "occurred_on_1": "2", "occurred_on_2": "2999", "text": "x"},
        {"kind": "visit", "occurred_on_0": "1", "occurred_on_1": "2", "occurred_on_2": "2025", "text": ""},
    ):
        response = client.post(url, data)
        assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not CaseNote.objects.exists()


@pytest.mark.django_db
def test_a_correction_supersedes_the_note_which_stays_on_the_record(aim, knowsley_child, client_for):
    worker = builders.user(Role.FAMILY_FINDER, aim)
    first = _note(CHILDREN, knowsley_child, worker, text="Visited on the wrong day")
    client = client_for(worker)
    url = reverse("casework:children-note-correct", args=[knowsley_child.pk, first.pk])
    response = client.post(
        url,
        {
            "kind": "visit",
            "occurred_on_0": "3",
            "occurred_on_1": "6",
            "occurred_on_2": "2025",
            "text": "Visited on the third",
            "reason": "Wrong date",
        },
    )
    assert response.status_code == 302
    correction = CaseNote.objects.get(supersedes=first)
    first.refresh_from_db()
    assert first.text == "Visited on the wrong day" and correction.author == worker
    page = builders.page_html(client.get(reverse("children:detail", args=[knowsley_child.pk])))
    assert "<del>Visit note</del>" in page and "Visited on the third" in page and "Visited on the wrong day" in page
    # A corrected note is not corrected twice; the correction is.
    assert client.get(url).status_code == 404
    with pytest.raises(Exception, match="cannot be changed"):
        first.save()


@pytest.mark.django_db
def test_restricted_notes_follow_the_record_rules(aim, knowsley_child, client_for):
    author = builders.user(Role.FAMILY_FINDER, aim)
    _note(CHILDREN, knowsley_child, author, text="About the birth mother's new address", restricted=True)
    _note(CHILDREN, knowsley_child, author, text="Ordinary visit")
    detail = reverse("children:detail", args=[knowsley_child.pk])
    # A panel adviser reads the record but not its restricted details: the ordinary note only.
    page = builders.page_html(client_for(builders.user(Role.PANEL_ADVISER, aim)).get(detail))
    assert "Ordinary visit" in page and "birth mother" not in page
    # The family finder of the same council sees both.
    page = builders.page_html(client_for(author).get(detail))
    assert "Ordinary visit" in page and "birth mother" in page


@pytest.mark.django_db
def test_the_other_council_and_another_agency_see_no_notes(aim, client_for):
    liverpool_child = builders.child(aim, "Liverpool")
    _note(
        CHILDREN, liverpool_child, builders.user(Role.FAMILY_FINDER, aim, employer="Liverpool"), text="Liverpool note"
    )
    # Knowsley's family finder sees Liverpool's child as the anonymised profile (sharing defaults).
    knowsley = client_for(builders.user(Role.FAMILY_FINDER, aim))
    assert "Liverpool note" not in builders.page_html(
        knowsley.get(reverse("children:detail", args=[liverpool_child.pk]))
    )
    for page in ("note-add", "documents", "document-add"):
        assert knowsley.get(reverse(f"casework:children-{page}", args=[liverpool_child.pk])).status_code == 404
    stranger_agency = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    stranger = client_for(builders.user(Role.FAMILY_FINDER, stranger_agency, employer="Sefton"))
    assert stranger.get(reverse("casework:children-documents", args=[liverpool_child.pk])).status_code == 404


@pytest.mark.django_db
def test_a_sealed_record_seals_its_notes_and_documents(aim, client_for):
    worker = builders.user(Role.TEAM_MANAGER, aim)
    child = builders.child(aim, "Knowsley")
    _note(CHILDREN, child, worker, text="Before the order")
    version = services.upload_document(
        CHILDREN, child, kind="other", title="Contact plan", restricted=False, upload=_pdf(), by=worker
    )
    sealed = builders.child(
        aim,
        "Knowsley",
        adoption_order_on=date(2024, 9, 2),
        household=builders.household(aim),
        linked_on=date(2024, 1, 8),
        matching_panel_on=date(2024, 2, 5),
        matched_on=date(2024, 2, 12),
        placed_on=date(2024, 3, 1),
    )
    Document.objects.filter(pk=version.document.pk).update(child=sealed)
    client = client_for(worker)
    download = reverse("casework:children-download", args=[sealed.pk, version.document.pk, 1])
    assert client.get(download).status_code == 404
    assert client.get(reverse("casework:children-documents", args=[sealed.pk])).status_code == 404


@pytest.mark.django_db
def test_upload_version_and_download_audited(aim, knowsley_child, client_for):
    worker = builders.user(Role.FAMILY_FINDER, aim)
    client = client_for(worker)
    url = reverse("casework:children-document-add", args=[knowsley_child.pk])
    response = client.post(url, {"kind": "cpr", "title": "Child Permanence Report", "file": _pdf("CPR final.pdf")})
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert document.restricted  # a CPR is about the birth family: always restricted
    version_url = reverse("casework:children-version-add", args=[knowsley_child.pk, document.pk])
    assert client.post(version_url, {"file": _pdf("v2.pdf", PDF + b"%v2\n"), "note": "After review"}).status_code == 302
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    before = RecordView.objects.filter(channel=RecordView.Channel.EXPORT).count()
    response = client.get(reverse("casework:children-download", args=[knowsley_child.pk, document.pk, 2]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF + b"%v2\n"
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    audit = RecordView.objects.filter(channel=RecordView.Channel.EXPORT)
    assert audit.count() == before + 1
    row = audit.first()
    assert (row.user, row.record_type, row.record_id) == (worker, "children.child", knowsley_child.pk)
    # The panel adviser cannot read the restricted CPR: the same answer as no such document.
    adviser = client_for(builders.user(Role.PANEL_ADVISER, aim))
    assert (
        adviser.get(reverse("casework:children-download", args=[knowsley_child.pk, document.pk, 1])).status_code == 404
    )
    assert "Child Permanence Report" not in builders.page_html(
        adviser.get(reverse("casework:children-documents", args=[knowsley_child.pk]))
    )


def _docx(with_macros=False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if with_macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00\x03 a Windows program", "must be a PDF"),
        ("report.docx", _docx(with_macros=True), "must be a PDF"),
        ("report.pdf", b"<html><script>alert(1)</script></html>", "must be a PDF"),
        ("report.pdf", b"PK\x03\x04 not really a zip", "must be a PDF"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_and_nothing_stored(
    aim, knowsley_child, client_for, name, content, message
):
    client = client_for(builders.user(Role.FAMILY_FINDER, aim))
    before = _stored_files()
    response = client.post(
        reverse("casework:children-document-add", args=[knowsley_child.pk]),
        {"kind": "other", "title": "Report", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert _stored_files() == before


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_and_nothing_stored(aim, knowsley_child, client_for, settings):
    settings.OPENRAA_MAX_UPLOAD_BYTES = 1024
    client = client_for(builders.user(Role.FAMILY_FINDER, aim))
    before = _stored_files()
    response = client.post(
        reverse("casework:children-document-add", args=[knowsley_child.pk]),
        {"kind": "other", "title": "Report", "file": _pdf(content=PDF + b"0" * 2000)},
    )
    assert response.status_code == 200 and "must be smaller than" in response.content.decode()
    assert not Document.objects.exists() and _stored_files() == before


@pytest.mark.django_db
def test_the_virus_scanner_is_asked_and_an_infected_file_refused(aim, knowsley_child, client_for, settings, tmp_path):
    # A stand-in scanner with clamdscan's contract: reads stdin, exits 1 on the EICAR test string.
    scanner = tmp_path / "scan.py"
    scanner.write_text(
        "import sys\nsys.exit(1 if b'EICAR-STANDARD-ANTIVIRUS-TEST-FILE' in sys.stdin.buffer.read() else 0)\n"
    )
    settings.OPENRAA_VIRUS_SCAN_COMMAND = f"{sys.executable} {scanner}"
    client = client_for(builders.user(Role.FAMILY_FINDER, aim))
    url = reverse("casework:children-document-add", args=[knowsley_child.pk])
    eicar = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
    response = client.post(url, {"kind": "other", "title": "Letter", "file": SimpleUploadedFile("a.txt", eicar)})
    assert "contains a virus" in response.content.decode()
    assert not DocumentVersion.objects.exists()
    response = client.post(url, {"kind": "other", "title": "Letter", "file": SimpleUploadedFile("a.txt", b"Dear Sam")})
    assert response.status_code == 302 and DocumentVersion.objects.count() == 1
    settings.OPENRAA_VIRUS_SCAN_COMMAND = f"{sys.executable} -c 'import sys; sys.exit(2)'"
    response = client.post(
        url, {"kind": "other", "title": "Letter 2", "file": SimpleUploadedFile("b.txt", b"Dear Sam")}
    )
    assert "could not be checked" in response.content.decode() and DocumentVersion.objects.count() == 1


@pytest.mark.django_db
def test_documents_due_by_the_guidance_are_shown_and_overdue_flagged(aim, client_for):
    child = builders.child(aim, "Knowsley")  # should-be-placed decision 1 June 2023, no CPR held
    client = client_for(builders.user(Role.FAMILY_FINDER, aim))
    documents = reverse("casework:children-documents", args=[child.pk])
    # Not expected until the agency says from when (records moved in keep their papers elsewhere).
    assert "Child Permanence Report: due" not in builders.page_html(client.get(documents))
    DocumentTracking.objects.create(agency=aim, tracked_from=date(2023, 6, 1))
    page = builders.page_html(client.get(documents))
    assert "Child Permanence Report: due 1 June 2023" in page and "Overdue" in page
    services.upload_document(
        CHILDREN,
        child,
        kind="cpr",
        title="CPR",
        restricted=True,
        upload=_pdf(),
        by=builders.user(Role.TEAM_MANAGER, aim),
    )
    page = builders.page_html(client.get(reverse("casework:children-documents", args=[child.pk])))
    assert "Child Permanence Report: due" not in page
