"""The staff side of the families' pages: the household's panel and its actions, preparation groups,
the child's published profile and the recruitment report. Records outside the reader's reach answer
404, bad input a clear error with nothing changed, never a 500."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from openraa.audit.models import RecordView
from openraa.families.models import (
    AdopterAccount,
    DocumentRequest,
    Enquiry,
    FamilyUpload,
    Message,
    PreparationGroup,
    PreparationPlace,
    PublishedProfile,
    RegistrationOfInterest,
)
from tests import builders

TODAY = timezone.localdate()


@pytest.fixture
def other(db):
    return builders.agency("other", councils=("Sefton", "Wirral"), host="Sefton")


def enquiring(agency, council="Knowsley"):
    household = builders.household(
        agency,
        council,
        approved=False,
        registration_of_interest_on=None,
        stage1_started_on=None,
        stage1_ended_on=None,
        stage2_started_on=None,
        stage_one_checks=False,
    )
    Enquiry.objects.create(
        household=household,
        first_name="Robin",
        last_name="Frontdoor",
        email=f"robin{household.pk}@example.org",
        household_makeup="single",
        source="adoption_week",
        monitoring={"sexual_orientation": "bisexual", "religion": "prefer_not"},
    )
    account = AdopterAccount.objects.create(household=household, email=f"robin{household.pk}@example.org")
    return household, account


def registration(household, account, submitted_on):
    return RegistrationOfInterest.objects.create(
        household=household,
        submitted_on=submitted_on,
        submitted_by=account,
        information_session_on=submitted_on - timedelta(days=7),
        why_adopt="We have room and time for a child.",
    )


def date_fields(name, value):
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def test_household_panel_shows_the_front_door_and_never_the_monitoring(aim, client_for):
    household, account = enquiring(aim)
    registration(household, account, TODAY - timedelta(days=30))
    worker = client_for(builders.user("recruitment_assessment", aim))
    html = builders.page_html(worker.get(reverse("households:detail", args=[household.pk])))
    assert "National Adoption Week" in html
    assert "Robin Frontdoor" in html
    assert "Overdue" in html
    assert reverse("families-staff:decide-registration", args=[household.pk, household.registrations.get().pk]) in html
    assert "Bisexual" not in html and "bisexual" not in html
    assert "Prefer not to say" not in html


def test_household_panel_offers_no_action_to_a_reader_who_may_not_change(aim, client_for):
    household, account = enquiring(aim)
    registration(household, account, TODAY)
    finder = client_for(builders.user("family_finder", aim))
    html = builders.page_html(finder.get(reverse("households:detail", args=[household.pk])))
    assert "Waiting for a decision" in html
    assert "/families/households/" not in html


def test_accepting_a_registration_records_the_journey_step(aim, client_for):
    household, account = enquiring(aim)
    found = registration(household, account, TODAY - timedelta(days=2))
    worker = client_for(builders.user("recruitment_assessment", aim))
    url = reverse("families-staff:decide-registration", args=[household.pk, found.pk])
    assert worker.get(url).status_code == 200
    response = worker.post(url, {"decision": "accepted", **date_fields("decided_on", TODAY), "reason": ""})
    assert response.status_code == 302
    found.refresh_from_db()
    household.refresh_from_db()
    assert found.decision == "accepted" and found.decided_by.username.startswith("recruitment_assessment")
    assert household.registration_of_interest_on == found.submitted_on
    assert worker.get(url).status_code == 404  # decided: nothing left to decide


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "declined", "reason": "no"},  # a reason the family could not understand
        {"decision": "maybe", "reason": ""},
        {"decision": "accepted", "decided_on_0": "31", "decided_on_1": "2", "decided_on_2": "2025"},
        {"decision": "accepted", "decided_on_0": "x", "decided_on_1": "13", "decided_on_2": "٣"},
    ],
)
def test_a_bad_decision_is_refused_and_changes_nothing(aim, client_for, data):
    household, account = enquiring(aim)
    found = registration(household, account, TODAY - timedelta(days=2))
    worker = client_for(builders.user("recruitment_assessment", aim))
    data = {**date_fields("decided_on", TODAY), **data}
    response = worker.post(reverse("families-staff:decide-registration", args=[household.pk, found.pk]), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    found.refresh_from_db()
    assert found.decision == ""


def test_family_pages_of_a_household_out_of_reach_are_404(aim, other, client_for):
    household, account = enquiring(other, "Sefton")
    found = registration(household, account, TODAY)
    worker = client_for(builders.user("recruitment_assessment", aim))
    for url in [
        reverse("families-staff:decide-registration", args=[household.pk, found.pk]),
        reverse("families-staff:ask-document", args=[household.pk]),
        reverse("families-staff:send-message", args=[household.pk]),
        "/families/households/99999999999999999999999/messages/",
    ]:
        assert worker.get(url).status_code == 404, url
        assert worker.post(url, {"text": "Hello"}).status_code == 404, url
    assert not Message.objects.exists()
    # Another household's registration, through one's own household: 404 too.
    mine, _ = enquiring(aim)
    assert worker.get(reverse("families-staff:decide-registration", args=[mine.pk, found.pk])).status_code == 404


def test_a_reader_without_change_is_refused(aim, client_for):
    household, _ = enquiring(aim)
    finder = client_for(builders.user("family_finder", aim))
    assert finder.get(reverse("families-staff:ask-document", args=[household.pk])).status_code == 403


def test_asking_for_a_document_and_writing_to_the_family(aim, client_for, mailoutbox):
    household, _ = enquiring(aim)
    worker = client_for(builders.user("recruitment_assessment", aim))
    ask = reverse("families-staff:ask-document", args=[household.pk])
    assert worker.post(ask, {"title": "", "explanation": ""}).status_code == 200
    assert not DocumentRequest.objects.exists()
    response = worker.post(ask, {"title": "Your last three pay slips", **date_fields("due_on", TODAY)})
    assert response.status_code == 302
    assert household.document_requests.get().title == "Your last three pay slips"
    send = reverse("families-staff:send-message", args=[household.pk])
    assert worker.post(send, {"text": "   "}).status_code == 200
    assert worker.post(send, {"text": "Welcome: we will call you on Monday."}).status_code == 302
    message = household.family_messages.get()
    assert message.from_staff is not None and message.from_family is None
    assert any(household.adopter_accounts.get().email in m.to for m in mailoutbox)
    html = builders.page_html(worker.get(reverse("households:detail", args=[household.pk])))
    assert "Welcome: we will call you on Monday." in html and "Your last three pay slips" in html


def test_a_family_upload_is_served_to_staff_in_reach_and_the_read_audited(aim, other, client_for):
    household, account = enquiring(aim)
    worker_user = builders.user("recruitment_assessment", aim)
    asked = DocumentRequest.objects.create(household=household, title="Pay slip", requested_by=worker_user)
    upload = FamilyUpload(
        request=asked,
        original_name="payslip.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
        uploaded_by=account,
    )
    upload.file.save("upload", ContentFile(b"%PDF-1.4"), save=True)
    url = reverse("families-staff:upload", args=[household.pk, upload.pk])
    response = client_for(worker_user).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    assert RecordView.objects.filter(
        user=worker_user, record_type="households.household", record_id=household.pk, channel="export"
    ).exists()
    stranger = client_for(builders.user("recruitment_assessment", other, "Sefton"))
    assert stranger.get(url).status_code == 404
    mine, _ = enquiring(other, "Sefton")
    assert stranger.get(reverse("families-staff:upload", args=[mine.pk, upload.pk])).status_code == 404


def test_preparation_groups_added_booked_and_attended(aim, other, client_for):
    worker = client_for(builders.user("recruitment_assessment", aim))
    add = reverse("families-staff:group-add")
    start = TODAY + timedelta(days=10)
    bad = {"title": "Preparation group", "place": "Huyton", "capacity": "8"}
    bad |= date_fields("starts_on", start) | date_fields("ends_on", start - timedelta(days=1))
    response = worker.post(add, bad)
    assert response.status_code == 200 and "The last day must be" in response.content.decode()
    assert not PreparationGroup.objects.exists()
    good = {**bad, **date_fields("ends_on", start + timedelta(days=2))}
    assert worker.post(add, good).status_code == 302
    group = PreparationGroup.objects.get()
    assert group.agency == aim and group.history.count() == 1
    assert group.title in worker.get(reverse("families-staff:groups")).content.decode()

    household, _ = enquiring(aim)
    theirs, _ = enquiring(other, "Sefton")
    book = reverse("families-staff:group-book", args=[group.pk])
    for reference in ["", "nonsense", theirs.reference, "H-99999999999999999999"]:
        response = worker.post(book, {"household": reference})
        assert response.status_code == 200 and "There is a problem" in response.content.decode(), reference
    assert worker.post(book, {"household": household.reference}).status_code == 302
    place = PreparationPlace.objects.get()
    assert place.household == household
    assert worker.post(book, {"household": household.reference}).status_code == 200  # already booked

    attendance = reverse("families-staff:group-attendance", args=[group.pk, place.pk])
    worker.post(attendance, {"attended": "yes"})
    place.refresh_from_db()
    assert place.attended is None  # the group has not started
    PreparationGroup.objects.filter(pk=group.pk).update(starts_on=TODAY - timedelta(days=1))
    worker.post(attendance, {"attended": "sideways"})
    place.refresh_from_db()
    assert place.attended is None
    worker.post(attendance, {"attended": "yes"})
    place.refresh_from_db()
    assert place.attended is True


def test_another_agencys_group_is_404(aim, other, client_for):
    group = PreparationGroup.objects.create(
        agency=other, starts_on=TODAY + timedelta(days=5), ends_on=TODAY + timedelta(days=6), place="X", capacity=5
    )
    worker = client_for(builders.user("recruitment_assessment", aim))
    for name in ["group", "group-edit"]:
        assert worker.get(reverse(f"families-staff:{name}", args=[group.pk])).status_code == 404
    assert worker.post(reverse("families-staff:group-book", args=[group.pk]), {"household": "1"}).status_code == 404
    assert worker.get("/families/preparation-groups/99999999999999999999999/").status_code == 404
    assert b"X</td>" not in worker.get(reverse("families-staff:groups")).content


def test_the_responsible_council_publishes_and_withdraws_a_profile(aim, client_for):
    child = builders.child(aim, "Knowsley")
    social_worker = client_for(builders.user("social_worker", aim, "Knowsley"))
    page = builders.page_html(social_worker.get(reverse("children:detail", args=[child.pk])))
    publish = reverse("families-staff:publish-profile", args=[child.pk])
    assert publish in page and "Not published" in page
    assert social_worker.post(publish, {"summary": ""}).status_code == 200
    assert not PublishedProfile.objects.exists()
    response = social_worker.post(publish, {"summary": "A cheerful toddler who loves music."})
    assert response.status_code == 302
    profile = PublishedProfile.objects.get()
    assert profile.agreed_for == child.responsible_council
    page = builders.page_html(social_worker.get(reverse("children:detail", args=[child.pk])))
    assert "A cheerful toddler who loves music." in page
    assert social_worker.post(publish, {"summary": "Again"}).status_code == 200  # already published
    withdraw = reverse("families-staff:withdraw-profile", args=[child.pk, profile.pk])
    assert social_worker.post(withdraw).status_code == 302
    profile.refresh_from_db()
    assert profile.withdrawn_on == TODAY
    assert social_worker.post(withdraw).status_code == 404  # nothing published to withdraw


def test_only_the_responsible_councils_staff_may_publish(aim, client_for):
    child = builders.child(aim, "Knowsley")
    manager = client_for(builders.user("team_manager", aim, "Liverpool"))
    page = builders.page_html(manager.get(reverse("children:detail", args=[child.pk])))
    assert reverse("families-staff:publish-profile", args=[child.pk]) not in page
    publish = reverse("families-staff:publish-profile", args=[child.pk])
    assert manager.get(publish).status_code == 404
    assert manager.post(publish, {"summary": "A cheerful toddler."}).status_code == 404
    liverpool = client_for(builders.user("social_worker", aim, "Liverpool"))
    assert liverpool.post(publish, {"summary": "A cheerful toddler."}).status_code == 404
    assert not PublishedProfile.objects.exists()


def test_recruitment_report_is_counts_only_and_suppressed_for_everyone(aim, other, client_for):
    for _ in range(3):
        enquiring(aim)
    enquiring(other, "Sefton")
    for role in ["board_member", "administrator", "team_manager"]:
        response = client_for(builders.user(role, aim, username=f"{role}-report")).get(
            reverse("families-staff:recruitment")
        )
        assert response.status_code == 200, role
        html = builders.page_html(response)
        assert "&lt;5" in html
        assert "Robin" not in html and "H-0" not in html
        assert "What families the waiting children need" in html


def test_recruitment_report_shows_the_sufficiency_gaps(aim, client_for):
    builders.child(aim, "Knowsley", date_of_birth=date(2015, 1, 1), stage="placement_order")
    response = client_for(builders.user("board_member", aim)).get(reverse("families-staff:recruitment"))
    assert response.status_code == 200
    assert "No child is waiting" not in response.content.decode()


def test_an_administrator_sets_what_the_front_door_says(aim, client_for, client):
    from openraa.families.models import FrontDoorSettings

    admin = client_for(builders.user("administrator", aim))
    bad = admin.post("/families/front-door/", {"recruits_in": "12, ??", "about": "x"})
    assert bad.status_code == 200 and not FrontDoorSettings.objects.exists()
    admin.post("/families/front-door/", {"recruits_in": "l, ch41", "about": "We find families across Merseyside"})
    saved = FrontDoorSettings.objects.get(agency=aim)
    assert saved.recruits_in == "L, CH41" and saved.history.first().history_user is not None
    client.logout()
    assert "We find families across Merseyside" in client.get(f"/adopt/{aim.code}/").content.decode()
    assert client_for(builders.user("family_finder", aim)).get("/families/front-door/").status_code == 403
