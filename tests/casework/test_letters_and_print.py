"""Letters made from the record and kept as documents; printed profiles that show what the reader may
see and nothing more (an anonymised profile stays anonymised on paper)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from openraa.audit.models import RecordView
from openraa.casework.models import Document
from openraa.people.roles import Role
from tests import builders
from tests.support.matrix_support import agreed_case


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_an_approval_letter_is_made_on_the_letterhead_and_kept_as_a_document(aim, client_for):
    household = builders.household(aim)
    worker = builders.user(Role.RECRUITMENT_ASSESSMENT, aim)
    client = client_for(worker)
    url = reverse("casework:households-letters", args=[household.pk])
    assert "Approval as prospective adopters" in builders.page_html(client.get(url))
    assert client.post(url, {"letter": "approval"}).status_code == 302
    document = Document.objects.get(household=household)
    assert document.kind == "letter" and document.title == "Approval as prospective adopters"
    version = document.versions.get()
    text = _text(version.file.read())
    assert aim.name in text and "Dear Sam Testadopter" in text and "15 September 2022" in text
    # Made again: a new version of the same letter, not a second document.
    client.post(url, {"letter": "approval"})
    assert Document.objects.filter(household=household).count() == 1
    assert document.versions.count() == 2


@pytest.mark.django_db
def test_a_letter_the_record_is_not_ready_for_is_refused_with_the_reason(aim, client_for):
    household = builders.household(aim, approved=False)
    client = client_for(builders.user(Role.RECRUITMENT_ASSESSMENT, aim))
    url = reverse("casework:households-letters", args=[household.pk])
    response = client.post(url, {"letter": "approval"}, follow=True)
    assert "no approval recorded yet" in response.content.decode()
    assert client.post(url, {"letter": "no-such-letter"}).status_code == 404
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_support_letters_address_the_requester(aim, client_for):
    case = agreed_case(aim, builders.council("Knowsley"))
    client = client_for(builders.user(Role.SUPPORT_WORKER, aim))
    url = reverse("casework:support-letters", args=[case.pk])
    for letter in ("support_plan", "decision"):
        assert client.post(url, {"letter": letter}).status_code == 302
    texts = [_text(d.versions.get().file.read()) for d in Document.objects.filter(support_case=case)]
    assert len(texts) == 2 and all("Dear Robin Testparent" in text for text in texts)


@pytest.mark.django_db
def test_a_printed_profile_shows_what_the_reader_may_see_and_is_audited(aim, client_for):
    liverpool = builders.child(aim, "Liverpool", first_name="Morgan", ethnicity="WBRI")
    own = builders.child(aim, "Knowsley", first_name="Jordan")
    finder = builders.user(Role.FAMILY_FINDER, aim)  # Knowsley: Liverpool's child is a profile only
    client = client_for(finder)
    response = client.get(reverse("casework:children-print", args=[own.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Jordan" in _text(response.content)
    response = client.get(reverse("casework:children-print", args=[liverpool.pk]))
    text = _text(response.content)
    assert "Morgan" not in text and "Age band" in text and "Date of birth" not in text
    assert RecordView.objects.filter(
        user=finder, record_id=liverpool.pk, channel=RecordView.Channel.EXPORT, record_type="children.child"
    ).exists()
    # A panel adviser sees households' applicants, not children's names.
    adviser = client_for(builders.user(Role.PANEL_ADVISER, aim))
    assert "Jordan" not in _text(adviser.get(reverse("casework:children-print", args=[own.pk])).content)
    household = builders.household(aim)
    assert "Testadopter" in _text(adviser.get(reverse("casework:households-print", args=[household.pk])).content)


@pytest.mark.django_db
def test_a_sealed_record_prints_nothing(aim, client_for):
    sealed = builders.child(
        aim,
        adoption_order_on=date(2024, 9, 2),
        household=builders.household(aim),
        linked_on=date(2024, 1, 8),
        matching_panel_on=date(2024, 2, 5),
        matched_on=date(2024, 2, 12),
        placed_on=date(2024, 3, 1),
    )
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    assert client.get(reverse("casework:children-print", args=[sealed.pk])).status_code == 404
