"""The panel pack PDF (the papers of every record on the agenda, audited as a download) and the
meeting and the ADM's decision linked both ways."""

import re
import zlib
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openraa.audit.models import RecordView
from openraa.children.models import Child
from openraa.journeys import services
from openraa.journeys.models import AgendaItem
from openraa.people.roles import Role
from tests import builders
from tests.journeys.panel_helpers import awaiting_panel, date_fields, linked_child, meeting_of, members_of


def pdf_text(content: bytes) -> str:
    """The text drawn on the PDF's pages (fpdf2 compresses each page's content stream)."""
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            text.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            text.append(stream.decode("latin-1"))
    return "\n".join(text)


@pytest.fixture
def agenda(aim):
    meeting = meeting_of(aim, timezone.localdate() + timedelta(days=7), members_of(aim))
    household = awaiting_panel(aim)
    household.applicants.update(first_name="Priya", last_name="Uniquesurname")
    matched = builders.household(aim)
    child = linked_child(
        aim, matched, "Liverpool", first_name="Zebedee", last_name="Rarename", birth_mother_name="Birthmum Secret"
    )
    first = AgendaItem.objects.create(meeting=meeting, kind="household_approval", household=household, position=1)
    second = AgendaItem.objects.create(meeting=meeting, kind="match", household=matched, position=2)
    second.children.set([child])
    return {"meeting": meeting, "household": household, "matched": matched, "child": child, "items": [first, second]}


@pytest.mark.django_db
def test_the_pack_holds_each_paper_in_agenda_order_and_every_record_is_audited_as_a_download(aim, agenda, client_for):
    adviser = builders.user(Role.PANEL_ADVISER, aim)
    meeting = agenda["meeting"]
    assert f"/panels/{meeting.pk}/pack.pdf" in client_for(adviser).get(f"/panels/{meeting.pk}/").content.decode()
    RecordView.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        response = client_for(adviser).get(f"/panels/{meeting.pk}/pack.pdf")
    inserts = [q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "audit_recordview"')]
    assert len(inserts) == 1  # the download's reads in one statement, as every page's
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Quorate" in text and "Member aim 0" in text
    approval, match = text.index("Item 1: Household approval"), text.index("Item 2: Match")
    assert approval < match
    # Those who decide read the whole record, names included (papers.py, the DECISION purpose) ...
    assert "Priya Uniquesurname" in text and "Zebedee" in text
    # ... but the birth family only with the information-sharing agreement's grant: not advisers.
    assert "Birthmum Secret" not in text
    assert "8 January 2024: Link with a household" in text  # each paper's journey, as beside the paper page
    reads = {
        (r.record_type, r.record_id) for r in RecordView.objects.filter(user=adviser, channel=RecordView.Channel.EXPORT)
    }
    assert reads == {
        ("households.household", agenda["household"].pk),
        ("households.household", agenda["matched"].pk),
        ("children.child", agenda["child"].pk),
    }
    assert set(RecordView.objects.values_list("reason", flat=True)) == {f"Panel pack: {meeting}"}


@pytest.mark.django_db
def test_a_sealed_record_is_left_out_of_the_pack_and_not_audited(aim, client_for):
    adviser = builders.user(Role.PANEL_ADVISER, aim)
    meeting = meeting_of(aim, timezone.localdate() + timedelta(days=7))
    sealed = builders.child(
        aim,
        first_name="Sealedname",
        household=builders.household(aim),
        linked_on=date(2024, 1, 8),
        matching_panel_on=date(2024, 2, 5),
        matched_on=date(2024, 2, 12),
        placed_on=date(2024, 3, 1),
    )
    item = AgendaItem.objects.create(meeting=meeting, kind="plan_change")
    item.children.set([sealed])
    Child.objects.filter(pk=sealed.pk).update(adoption_order_on=date(2024, 9, 2))  # sealed since the agenda was set
    response = client_for(adviser).get(f"/panels/{meeting.pk}/pack.pdf")
    text = pdf_text(response.content)
    assert "Sealed adoption record: not in the pack" in text and "Sealedname" not in text
    assert not RecordView.objects.filter(channel=RecordView.Channel.EXPORT).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role, status", [(Role.TEAM_MANAGER, 403), (Role.SOCIAL_WORKER, 403), (Role.ADM, 200)])
def test_only_those_who_read_papers_download_the_pack(aim, agenda, client_for, role, status):
    response = client_for(builders.user(role, aim)).get(f"/panels/{agenda['meeting'].pk}/pack.pdf")
    assert response.status_code == status
    assert RecordView.objects.filter(channel=RecordView.Channel.EXPORT).exists() is (status == 200)


@pytest.mark.django_db
def test_the_pack_of_another_agency_is_not_found(aim, agenda, client_for):
    stranger = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    adviser = builders.user(Role.PANEL_ADVISER, stranger, employer="Sefton")
    assert client_for(adviser).get(f"/panels/{agenda['meeting'].pk}/pack.pdf").status_code == 404


@pytest.mark.django_db
def test_the_meeting_and_the_adm_decision_link_both_ways(aim, client_for):
    adviser, adm = builders.user(Role.PANEL_ADVISER, aim), builders.user(Role.ADM, aim)
    held = timezone.localdate() - timedelta(days=5)
    meeting = meeting_of(aim, held, members_of(aim))
    item = AgendaItem.objects.create(meeting=meeting, kind="household_approval", household=awaiting_panel(aim))
    services.record_recommendation(item, "recommend", "Ready", by=adviser)
    decide = client_for(adm).get(f"/panels/decisions/{item.pk}/").content.decode()
    assert f'href="/panels/{meeting.pk}/"' in decide and "Final minutes of the panel: not yet received" in decide
    services.set_final_minutes(meeting, held + timedelta(days=1), by=adviser)
    decide = client_for(adm).get(f"/panels/decisions/{item.pk}/").content.decode()
    minutes = held + timedelta(days=1)
    assert f"received {minutes.day} {minutes:%B %Y}" in decide
    client_for(adm).post(
        f"/panels/decisions/{item.pk}/", {"agrees": "yes", "reasons": "Agree", **date_fields("decided_on", minutes)}
    )
    assert hasattr(AgendaItem.objects.get(pk=item.pk), "decision")
    page = client_for(adm).get(f"/panels/{meeting.pk}/").content.decode()
    assert f'href="/panels/decisions/{item.pk}/"' in page
    assert f"Final minutes received {minutes.day} {minutes:%B %Y}" in page
