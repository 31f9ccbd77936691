"""The adopter's own account: two factors to sign in, only their own household, never a staff page
or the API, the registration of interest, preparation groups, documents, messages, and the profiles
they may see with their interests followed to the end."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.oath import TOTP

from openraa.common.models import today
from openraa.families import accounts, services
from openraa.families.models import AdopterEvent, FamilyUpload, Message, PreparationGroup, RegistrationOfInterest
from openraa.matching.models import Interest
from openraa.matching.services import close_interest
from tests import builders
from tests.families.builders import enquiring_household
from tests.families.conftest import ADOPTER_PASSWORD, make_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(aim):
    return make_account(builders.household(aim))


def test_signing_in_takes_the_password_and_an_emailed_code(client, family):
    response = client.post("/adopt/account/sign-in/", {"email": family.email, "password": ADOPTER_PASSWORD})
    assert response.status_code == 302 and response.url.startswith("/adopt/account/code/")
    assert client.get("/adopt/account/").status_code == 302  # not yet: the code is still owed
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    wrong = "000000" if code != "000000" else "111111"
    assert "not right" in client.post("/adopt/account/code/", {"code": wrong}).content.decode()
    response = client.post("/adopt/account/code/", {"code": code})
    assert response.status_code == 302 and response.url == "/adopt/account/"
    page = client.get("/adopt/account/").content.decode()
    assert family.household.reference in page and "Approved" in page
    assert AdopterEvent.objects.filter(account=family, action="signed in").exists()
    # A used code does not work twice.
    client.post("/adopt/account/sign-out/")
    client.post("/adopt/account/sign-in/", {"email": family.email, "password": ADOPTER_PASSWORD})
    assert client.post("/adopt/account/code/", {"code": code}).status_code == 200


def test_a_wrong_password_says_nothing_about_the_address_and_locks_after_five(client, family):
    unknown = client.post("/adopt/account/sign-in/", {"email": "nobody@example.org", "password": "x"}).content.decode()
    wrong = client.post("/adopt/account/sign-in/", {"email": family.email, "password": "x"}).content.decode()
    assert accounts.GENERIC_PROBLEM in unknown and accounts.GENERIC_PROBLEM in wrong
    for _ in range(4):
        client.post("/adopt/account/sign-in/", {"email": family.email, "password": "x"})
    locked = client.post("/adopt/account/sign-in/", {"email": family.email, "password": ADOPTER_PASSWORD})
    assert locked.status_code == 200 and "Too many tries" in locked.content.decode()


def test_an_authenticator_app_replaces_the_emailed_code(client, adopter_client, family):
    signed_in = adopter_client(family)
    signed_in.get("/adopt/account/authenticator/")
    key = signed_in.session["openraa_adopter_new_totp"]
    totp = TOTP(bytes.fromhex(key))
    response = signed_in.post("/adopt/account/authenticator/", {"code": f"{totp.token():06d}"})
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.totp_confirmed
    signed_in.post("/adopt/account/sign-out/")
    sent = len(mail.outbox)
    client.post("/adopt/account/sign-in/", {"email": family.email, "password": ADOPTER_PASSWORD})
    assert len(mail.outbox) == sent  # no e-mailed code
    # The code just used is refused (no replay); the next step's code is accepted.
    assert client.post("/adopt/account/code/", {"code": f"{totp.token():06d}"}).status_code == 200
    totp.drift = 1
    assert client.post("/adopt/account/code/", {"code": f"{totp.token():06d}"}).status_code == 302


@pytest.mark.parametrize("path", ["/", "/households/", "/children/", "/matching/", "/my-work/", "/audit/"])
def test_an_adopter_reaches_no_staff_page(adopter_client, family, path):
    response = adopter_client(family).get(path)
    assert response.status_code == 302 and "/sign-in/" in response.url and not response.url.startswith("/adopt/")


def test_an_adopter_reaches_no_api(adopter_client, family):
    signed_in = adopter_client(family)
    for path in ("/api/children/", "/api/households/", f"/api/households/{family.household.pk}/"):
        assert signed_in.get(path).status_code in (401, 403)


def test_an_adopter_sees_nothing_of_another_family(adopter_client, aim, family):
    other = make_account(builders.household(aim, council_name="Liverpool"), email="other@example.org")
    request = services.request_document(other.household, "Pay slip", "", None, by=builders.user("team_manager", aim))
    services.send_message(other.household, "A private word", by=builders.user("family_finder", aim))
    signed_in = adopter_client(family)
    assert signed_in.get(f"/adopt/account/documents/{request.pk}/").status_code == 404
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert signed_in.post(f"/adopt/account/documents/{request.pk}/", {"file": upload}).status_code == 404
    for path in ("/adopt/account/", "/adopt/account/messages/", "/adopt/account/documents/"):
        page = signed_in.get(path).content.decode()
        assert other.household.reference not in page and "A private word" not in page and "Pay slip" not in page


def test_registration_of_interest_and_the_decision_within_five_working_days(adopter_client, aim):
    household = enquiring_household(aim)
    account = make_account(household)
    signed_in = adopter_client(account)
    assert "send your registration of interest" in signed_in.get("/adopt/account/").content.decode()
    future = today() + timedelta(days=3)
    bad = signed_in.post(
        "/adopt/account/registration/",
        {
            "information_session_on_0": future.day,
            "information_session_on_1": future.month,
            "information_session_on_2": future.year,
            "why_adopt": "We want a family",
        },
    )
    assert bad.status_code == 200 and not RegistrationOfInterest.objects.exists()
    day = today()
    response = signed_in.post(
        "/adopt/account/registration/",
        {
            "information_session_on_0": day.day,
            "information_session_on_1": day.month,
            "information_session_on_2": day.year,
            "why_adopt": "We have room and love to give",
        },
    )
    assert response.status_code == 302
    registration = RegistrationOfInterest.objects.get()
    assert "decides by" in signed_in.get("/adopt/account/").content.decode()
    manager = builders.user("team_manager", aim)
    services.decide_registration(registration, True, today(), "", by=manager)
    household.refresh_from_db()
    assert household.registration_of_interest_on == registration.submitted_on and household.stage == "registered"
    assert "Accepted" in signed_in.get("/adopt/account/").content.decode()


def test_preparation_group_places_within_capacity(adopter_client, aim, family):
    manager = builders.user("team_manager", aim)
    group = services.save_group(
        PreparationGroup(
            agency=aim,
            starts_on=today() + timedelta(days=10),
            ends_on=today() + timedelta(days=11),
            place="Huyton",
            capacity=1,
        ),
        by=manager,
    )
    other = builders.household(aim)
    services.book_place(group, other, by=manager)
    signed_in = adopter_client(family)
    assert "Full" in signed_in.get("/adopt/account/preparation-groups/").content.decode()
    signed_in.post("/adopt/account/preparation-groups/", {"group": group.pk})
    assert not group.places.filter(household=family.household).exists()
    assert signed_in.post("/adopt/account/preparation-groups/", {"group": "99999999999999999999"}).status_code == 404


def test_uploads_are_checked_as_staff_uploads_are(adopter_client, aim, family):
    request = services.request_document(
        family.household, "Pay slip", "The last three months", None, by=builders.user("team_manager", aim)
    )
    signed_in = adopter_client(family)
    fake = SimpleUploadedFile("slip.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = signed_in.post(f"/adopt/account/documents/{request.pk}/", {"file": fake})
    assert response.status_code == 200 and "must be a" in response.content.decode()
    pdf = SimpleUploadedFile("slip.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")
    assert signed_in.post(f"/adopt/account/documents/{request.pk}/", {"file": pdf}).status_code == 302
    assert FamilyUpload.objects.get().uploaded_by == family


def test_messages_are_kept_on_the_record_both_ways(adopter_client, aim, family):
    worker = builders.user("recruitment_assessment", aim)
    family.household.allocated_workers.add(worker)
    signed_in = adopter_client(family)
    assert signed_in.post("/adopt/account/messages/", {"text": "  "}).status_code == 200
    signed_in.post("/adopt/account/messages/", {"text": "When is our next visit?"})
    services.send_message(family.household, "Tuesday at ten", by=worker)
    thread = list(Message.objects.filter(household=family.household).values_list("text", flat=True))
    assert thread == ["When is our next visit?", "Tuesday at ten"]
    assert "Tuesday at ten" in signed_in.get("/adopt/account/messages/").content.decode()
    assert worker.notifications.filter(message__contains="by the family").exists()


def _published_child(aim, **overrides):
    child = builders.child(aim, **overrides)
    worker = builders.user("social_worker", aim, username=f"sw{child.pk}")
    return child, services.publish_profile(child, "Loves dinosaurs and the park", by=worker)


def test_only_the_responsible_council_publishes(aim):
    child = builders.child(aim)
    liverpool = builders.user("social_worker", aim, employer="Liverpool")
    with pytest.raises(Exception, match="responsible council"):
        services.publish_profile(child, "x", by=liverpool)


def test_an_approved_family_finds_a_profile_expresses_interest_and_sees_it_closed(adopter_client, aim, family):
    child, profile = _published_child(aim)
    signed_in = adopter_client(family)
    listing = signed_in.get("/adopt/account/profiles/").content.decode()
    assert profile.code in listing
    for secret in (child.first_name, child.last_name, child.reference, "Knowsley"):
        assert secret not in listing
    page = signed_in.get(f"/adopt/account/profiles/{profile.code}/").content.decode()
    assert "Loves dinosaurs" in page and child.first_name not in page and child.reference not in page
    response = signed_in.post(f"/adopt/account/profiles/{profile.code}/", {"note": "We would love to hear more"})
    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.recorded_by is None and interest.direction == Interest.Direction.FROM_HOUSEHOLD
    assert AdopterEvent.objects.filter(child=child, action__startswith="expressed interest").exists()
    close_interest(
        interest,
        Interest.Status.DECLINED,
        today(),
        "Another family's approval fits her needs better",
        by=builders.user("family_finder", aim),
    )
    followed = signed_in.get("/adopt/account/interests/").content.decode()
    assert "Declined" in followed and "fits her needs better" in followed


def test_the_interest_cap_holds_for_families_too(adopter_client, aim, family):
    profiles = [_published_child(aim)[1] for _ in range(4)]
    signed_in = adopter_client(family)
    for profile in profiles:
        signed_in.post(f"/adopt/account/profiles/{profile.code}/", {"note": ""})
    assert Interest.objects.filter(household=family.household, status="open").count() == 3


def test_profiles_outside_the_approval_show_the_rule_and_refuse_interest(adopter_client, aim, family):
    _, profile = _published_child(aim, date_of_birth=date(2014, 1, 1))  # older than the approval's 6
    signed_in = adopter_client(family)
    assert profile.code not in signed_in.get("/adopt/account/profiles/").content.decode()
    everything = signed_in.get("/adopt/account/profiles/?show=all").content.decode()
    assert profile.code in everything and "approved for children aged 0 to 6" in everything
    signed_in.post(f"/adopt/account/profiles/{profile.code}/", {"note": ""})
    assert not Interest.objects.exists()


def test_a_child_near_the_family_with_a_risk_of_identification_is_not_shown_at_all(adopter_client, aim, family):
    _, profile = _published_child(
        aim,
        identification_risk=True,
        birth_family_postcode_district="L36",
        birth_family_council=builders.council("Knowsley"),
    )
    signed_in = adopter_client(family)
    assert profile.code not in signed_in.get("/adopt/account/profiles/?show=all").content.decode()
    assert signed_in.get(f"/adopt/account/profiles/{profile.code}/").status_code == 404


def test_a_family_not_yet_approved_sees_no_profiles(adopter_client, aim):
    _, profile = _published_child(aim)
    account = make_account(builders.household(aim, approved=False))
    signed_in = adopter_client(account)
    assert profile.code not in signed_in.get("/adopt/account/profiles/").content.decode()
    assert signed_in.get(f"/adopt/account/profiles/{profile.code}/").status_code == 404


def test_what_families_do_is_in_the_administrators_audit_log(adopter_client, aim, family, client_for):
    child, profile = _published_child(aim)
    adopter_client(family).post(f"/adopt/account/profiles/{profile.code}/", {"note": ""})
    administrator = builders.user("administrator", aim)
    staff = client_for(administrator)
    everything = staff.get("/audit/?channel=family").content.decode()
    assert f"The family of {family.household.reference}" in everything
    assert f"Expressed interest in profile {profile.code} (child {child.reference})" in everything
    about_child = staff.get(f"/audit/?reference={child.reference}").content.decode()
    assert "Expressed interest" in about_child
    other_child = builders.child(aim)
    assert "Expressed interest" not in staff.get(f"/audit/?reference={other_child.reference}").content.decode()
    by_staff = staff.get(f"/audit/?person={administrator.pk}").content.decode()
    assert "The family of" not in by_staff


def test_a_registration_waiting_for_a_decision_is_on_drift_until_decided(adopter_client, aim):
    from openraa.drift.selectors import agency_drift

    household = enquiring_household(aim)
    registration = services.submit_registration(make_account(household), today(), "We have room and love to give")
    RegistrationOfInterest.objects.filter(pk=registration.pk).update(submitted_on=today() - timedelta(days=14))
    items = [i for i in agency_drift(aim, today()).items if i.timescale == "registration_decision"]
    assert [(i.pk, i.overdue) for i in items] == [(household.pk, True)]
    registration.refresh_from_db()
    services.decide_registration(registration, True, today(), "", by=builders.user("team_manager", aim))
    assert not [i for i in agency_drift(aim, today()).items if i.timescale == "registration_decision"]


def test_a_page_not_found_for_a_family_keeps_the_familys_links(adopter_client, family):
    page = adopter_client(family).get("/adopt/account/documents/999999/")
    assert page.status_code == 404
    text = page.content.decode()
    assert "/adopt/account/" in text and 'href="/"' not in text


def test_a_family_withdraws_its_own_interest_with_a_reason_the_workers_read(adopter_client, aim, family):
    child, profile = _published_child(aim)
    finder = builders.user("family_finder", aim)
    child.allocated_workers.add(finder)
    signed_in = adopter_client(family)
    signed_in.post(f"/adopt/account/profiles/{profile.code}/", {"note": ""})
    interest = Interest.objects.get()
    assert signed_in.post(f"/adopt/account/interests/{interest.pk}/withdraw/", {"reason": " "}).status_code == 200
    signed_in.post(f"/adopt/account/interests/{interest.pk}/withdraw/", {"reason": "We have decided to wait a year"})
    interest.refresh_from_db()
    assert interest.status == Interest.Status.WITHDRAWN and interest.closed_reason == "We have decided to wait a year"
    assert finder.notifications.filter(message__contains="withdrawn by the family").exists()
    assert signed_in.get(f"/adopt/account/interests/{interest.pk}/withdraw/").status_code == 404  # closed now
    other = make_account(builders.household(aim), email="other@example.org")
    _, second = _published_child(aim)
    adopter_client(other).post(f"/adopt/account/profiles/{second.code}/", {"note": ""})
    theirs = Interest.objects.get(household=other.household)
    assert adopter_client(family).get(f"/adopt/account/interests/{theirs.pk}/withdraw/").status_code == 404


def test_profiles_come_in_pages_and_a_withdrawn_one_leaves_the_list_at_once(adopter_client, aim, family):
    from openraa.families.account_views import PROFILES_PER_PAGE

    worker = builders.user("social_worker", aim, username="publisher")
    profiles = [
        services.publish_profile(builders.child(aim), "Loves the park", by=worker) for _ in range(PROFILES_PER_PAGE + 2)
    ]
    signed_in = adopter_client(family)
    first = signed_in.get("/adopt/account/profiles/").content.decode()
    second = signed_in.get("/adopt/account/profiles/?page=2").content.decode()
    shown = [p.code for p in profiles if p.code in first]
    assert len(shown) == PROFILES_PER_PAGE and sum(p.code in second for p in profiles) == 2
    assert AdopterEvent.objects.filter(account=family, action__contains="in the list").count() == PROFILES_PER_PAGE + 2
    assert signed_in.get("/adopt/account/profiles/?page=abc").status_code == 200  # the first page, not an error
    services.withdraw_profile(profiles[0], by=worker)  # the cached list knows at once
    pages = (
        signed_in.get("/adopt/account/profiles/").content.decode()
        + signed_in.get("/adopt/account/profiles/?page=2").content.decode()
    )
    assert profiles[0].code not in pages and profiles[1].code in pages


def test_a_change_to_a_published_child_reaches_the_familys_list_at_once(adopter_client, aim, family):
    from openraa.children.services import save_child

    child, profile = _published_child(aim)
    signed_in = adopter_client(family)
    assert profile.code in signed_in.get("/adopt/account/profiles/").content.decode()
    child.refresh_from_db()
    save_child(child, {"physical_disability": "high"}, expected_version=child.version)  # beyond the approval
    assert profile.code not in signed_in.get("/adopt/account/profiles/").content.decode()
    assert "cannot meet" in signed_in.get("/adopt/account/profiles/?show=all").content.decode()
