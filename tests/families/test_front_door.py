"""The public front door: question pages, check your answers, the enquiry in the chosen agency,
the confirmation e-mail, the honeypot, the rate limit, and never a 500 on bad input."""

import re

import pytest
from django.core import mail

from openraa.families import front_door
from openraa.families.models import AdopterAccount, AdopterEvent, Enquiry, FrontDoorSettings
from openraa.households.models import Household
from openraa.journeys.models import HouseholdStep
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_agencies(aim):
    other = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    FrontDoorSettings.objects.create(agency=aim, recruits_in="L")
    FrontDoorSettings.objects.create(agency=other, recruits_in="PR8, PR9")
    return aim, other


def answer_all(client, *, agency_code="aim", postcode="L1 0AA", email="new.family@example.org", monitoring=True):
    steps = [
        ("name", {"first_name": "Robin", "last_name": "Example", "website": ""}),
        ("partner", {"household_makeup": "couple", "partner_first_name": "Kit", "partner_last_name": "Example"}),
        ("children", {"children_at_home": "1"}),
        ("contact", {"email": email, "phone": ""}),
        ("postcode", {"postcode": postcode}),
        ("agency", {"agency": agency_code}),
        ("source", {"source": "adoption_week"}),
    ]
    client.get("/adopt/register/")
    for step, data in steps:
        response = client.post(f"/adopt/register/{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    if monitoring:
        client.post("/adopt/register/about-you-age/", {"answer": "30_39"})
        client.post("/adopt/register/about-you-religion/", {"answer": front_door.PREFER_NOT})
    return client


def test_postcode_suggests_the_agencies_that_recruit_there(client, two_agencies):
    aim, other = two_agencies
    answer_all(client)
    page = client.get("/adopt/register/agency/").content.decode()
    assert page.index(aim.name) < page.index(other.name)
    assert "recruits where you live" in page.split(other.name)[0]
    assert "recruits where you live" not in page.split(other.name)[1].split("</div>")[0]


def test_registering_interest_creates_the_enquiry_in_the_chosen_agency(client, two_agencies):
    aim, _ = two_agencies
    answer_all(client)
    check = client.get("/adopt/register/check/").content.decode()
    assert "Robin Example" in check and "National Adoption Week" in check and "Prefer not to say" in check
    response = client.post("/adopt/register/check/", {"website": ""})
    assert response.status_code == 302 and response.url == "/adopt/register/done/"
    enquiry = Enquiry.objects.get()
    household = enquiry.household
    assert household.agency == aim and household.stage == "enquiry"
    assert household.home_council.name == "Liverpool"  # L1 0AA is in Liverpool, from the postcode directory
    assert household.postcode_district == "L1"
    assert enquiry.monitoring == {"age": "30_39", "religion": front_door.PREFER_NOT}
    assert enquiry.source == "adoption_week"
    assert HouseholdStep.objects.filter(household=household, kind="enquiry").exists()
    account = AdopterAccount.objects.get(household=household)
    assert account.email == "new.family@example.org" and not account.has_password
    assert len(mail.outbox) == 1 and "choose a password" in mail.outbox[0].body.lower()
    assert AdopterEvent.objects.filter(household=household, action__contains="front door").exists()
    # The link in the e-mail sets a password once.
    link = re.search(r"/adopt/account/set-password/[^/\s]+/", mail.outbox[0].body).group(0)
    assert client.get(link).status_code == 200
    client.post(link, {"password": "a long enough phrase", "again": "a long enough phrase"})
    account.refresh_from_db()
    assert account.has_password
    assert client.get(link).status_code == 404


def test_the_worker_of_the_chosen_agency_sees_the_enquiry(client, two_agencies, client_for):
    aim, other = two_agencies
    answer_all(client)
    client.post("/adopt/register/check/", {"website": ""})
    household = Household.objects.get()
    assessor = builders.user("recruitment_assessment", aim)
    stranger = builders.user("recruitment_assessment", other, employer="Sefton")
    assert client_for(assessor).get(f"/households/{household.pk}/").status_code == 200
    assert client_for(stranger).get(f"/households/{household.pk}/").status_code == 404


def test_an_address_with_an_account_makes_no_second_household(client, two_agencies):
    answer_all(client)
    client.post("/adopt/register/check/", {"website": ""})
    answer_all(client)
    response = client.post("/adopt/register/check/", {"website": ""})
    assert response.url == "/adopt/register/done/"  # the same answer: nobody learns who enquired
    assert Household.objects.count() == 1 and AdopterAccount.objects.count() == 1


def test_a_robot_filling_the_honeypot_is_answered_as_if_it_succeeded(client, two_agencies):
    client.get("/adopt/register/")
    response = client.post("/adopt/register/name/", {"first_name": "Bot", "last_name": "Bot", "website": "http://spam"})
    assert response.status_code == 302
    response = client.post("/adopt/register/check/", {"website": ""})
    assert response.url == "/adopt/register/done/"
    assert not Household.objects.exists() and not mail.outbox


def test_posts_are_rate_limited_per_address(client, two_agencies):
    client.get("/adopt/register/")
    statuses = [
        client.post("/adopt/register/name/", {"first_name": "A", "last_name": "B"}).status_code for _ in range(25)
    ]
    assert statuses[0] == 302 and statuses[-1] == 429


@pytest.mark.parametrize(
    "step,data",
    [
        ("name", {}),
        ("contact", {"email": "not an address"}),
        ("postcode", {"postcode": "ZZZ"}),
        ("children", {"children_at_home": "-3"}),
        ("agency", {"agency": "nope"}),
        ("council", {"council": "99999999999999999999"}),
        ("about-you-age", {"answer": "<script>"}),
    ],
)
def test_bad_answers_get_a_clear_error_and_change_nothing(client, two_agencies, step, data):
    client.get("/adopt/register/")
    client.post("/adopt/register/name/", {"first_name": "Robin", "last_name": "Example"})
    response = client.post(f"/adopt/register/{step}/", data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Household.objects.exists()


def test_unknown_steps_and_agencies_are_not_found(client, two_agencies):
    assert client.get("/adopt/register/nothing/").status_code == 404
    assert client.get("/adopt/nowhere/").status_code == 404
    assert client.get("/adopt/aim/").status_code == 200


def test_equality_questions_can_be_skipped_whole(client, two_agencies):
    answer_all(client, monitoring=True)
    client.get("/adopt/register/skip-equality-questions/")
    client.post("/adopt/register/check/", {"website": ""})
    assert Enquiry.objects.get().monitoring == {}


def test_suggestion_rules():
    assert front_door.parse_prefixes("l, ch41 ;WA, 12, L") == ["L", "CH41", "WA"]
    assert front_door.covers(["L"], "L36") == 1 and front_door.covers(["L"], "LA1") == 0
    assert front_door.covers(["CH41"], "CH41") == 2
    assert front_door.suggest([(1, ["L"]), (2, ["L36"]), (3, ["PR"])], "L36") == [2, 1]


def test_answers_naming_an_agency_that_no_longer_exists_go_back_to_that_question(client, two_agencies):
    answer_all(client)
    session = client.session
    answers = session["openraa_front_door"]
    answers["agency"] = "gone"
    session["openraa_front_door"] = answers
    session.save()
    response = client.post("/adopt/register/check/", {"website": ""})
    assert response.status_code == 302 and response.url == "/adopt/register/agency/"
    assert not Household.objects.exists()
