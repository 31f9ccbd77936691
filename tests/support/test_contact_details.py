"""Contact details where the agency holds them (telephone, e-mail, postal address and postcode) for
applicants, support requesters, carers and birth relatives in letterbox agreements: restricted like
names (policy.hidden_fields) on pages and in the API, and a malformed number or address changes nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openraa.common import contact
from openraa.households.models import Applicant
from openraa.partnership.models import Council
from openraa.people import policy
from openraa.people.roles import Role
from openraa.permanence.models import Carer
from openraa.support.models import LetterboxAgreement, SupportCase
from tests import builders
from tests.permanence.matrix_permanence import carer, run_functions
from tests.support.matrix_support import agreed_case, agreement

PHONE, EMAIL, ADDRESS = "01632 960 777", "robin.testparent@example.org", "1 Canary Row, Kirkby"


@pytest.mark.parametrize("good", ["01632 960 001", "+44 (0)1632 960001", "07700-900123", ""])
def test_telephone_numbers_as_people_write_them(good):
    assert contact.phone_error(good) is None


@pytest.mark.parametrize("bad", ["call me", "0163", "01632 960 001 ext 4", "44+1632960001", "0" * 16])
def test_a_telephone_number_that_is_not_one_is_refused_with_words(bad):
    assert "Enter a telephone number" in contact.phone_error(bad)


@pytest.mark.parametrize("bad", ["robin", "robin@", "@example.org", "robin@example", "a b@example.org"])
def test_an_email_address_that_is_not_one_is_refused_with_words(bad):
    assert contact.email_error(bad) == "Enter an e-mail address in the correct format, like name@example.com"


@given(st.text(max_size=40))
def test_contact_rules_answer_any_text_with_a_message_or_none(text):
    for check in (contact.phone_error, contact.email_error, contact.postcode_error):
        assert check(text) is None or check(text).startswith("Enter")


def test_postcodes_are_kept_in_capitals_with_their_space():
    assert contact.normal_postcode("l369xx") == "L36 9XX" and contact.postcode_error("l369xx") is None
    assert contact.postcode_error("L36") == "Enter a full UK postcode, like L36 9XX"


@pytest.mark.django_db
def test_every_model_holding_contact_details_restricts_them():
    for model in (SupportCase, LetterboxAgreement, Carer):
        assert set(contact.CONTACT_FIELDS) <= set(model.RESTRICTED_FIELDS)
    assert Applicant.policy_owner_field == "applicants"  # the household's restricted part, whole


@pytest.fixture
def knowsley(aim):
    return Council.objects.get(name="Knowsley")


@pytest.fixture
def case(aim, knowsley):
    return agreed_case(aim, knowsley, phone=PHONE, email=EMAIL, address=ADDRESS, postcode="L32 1AA")


@pytest.mark.django_db
def test_a_requesters_contact_details_show_only_to_those_who_see_names(aim, case, client_for):
    worker = client_for(builders.user(Role.SUPPORT_WORKER, aim))
    page = worker.get(f"/support/{case.pk}/").content.decode()
    assert PHONE in page and EMAIL in page and "Canary Row" in page and "L32 1AA" in page
    api = worker.get(f"/api/support-cases/{case.pk}/").json()
    assert (api["phone"], api["email"], api["postcode"]) == (PHONE, EMAIL, "L32 1AA")

    finance = builders.user(Role.FINANCE_OFFICER, aim)  # reads support, without view_restricted
    assert {"phone", "email", "address", "postcode"} <= policy.hidden_fields(finance, case)
    reader = client_for(finance)
    page = reader.get(f"/support/{case.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert PHONE not in body and EMAIL not in body and "Canary Row" not in body and "L32 1AA" not in body
    api = reader.get(f"/api/support-cases/{case.pk}/")
    assert api.status_code == 200
    raw = api.content.decode()
    assert PHONE not in raw and EMAIL not in raw and "Canary Row" not in raw
    assert not {"phone", "email", "address", "postcode", "requester_name"} & set(api.json())


@pytest.mark.django_db
def test_a_birth_relatives_contact_details_show_only_to_those_who_see_names(aim, knowsley, client_for):
    letterbox = agreement(aim, knowsley, child=builders.child(aim), phone=PHONE, email=EMAIL)
    page = client_for(builders.user(Role.SUPPORT_WORKER, aim)).get(f"/support/letterbox/{letterbox.pk}/")
    assert PHONE in page.content.decode()
    page = client_for(builders.user(Role.FINANCE_OFFICER, aim)).get(f"/support/letterbox/{letterbox.pk}/")
    assert page.status_code == 200 and PHONE not in page.content.decode() and EMAIL not in page.content.decode()


def _request(council, **overrides):
    return {
        "responsible_council": council.pk,
        "requester": "adoptive_family",
        "requester_name": "Robin Testparent",
        "categories": ["therapeutic"],
        "request": "Therapeutic parenting",
        "child_reference": "",
        "household_reference": "",
        "received_on_0": "1",
        "received_on_1": "5",
        "received_on_2": "2025",
        **overrides,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value, message",
    [
        ("phone", "ring the office", "Enter a telephone number"),
        ("email", "robin-at-example", "Enter an e-mail address in the correct format"),
        ("postcode", "L3", "Enter a full UK postcode"),
    ],
)
def test_a_bad_phone_or_email_on_a_support_request_changes_nothing(aim, knowsley, client_for, field, value, message):
    client = client_for(builders.user(Role.SUPPORT_WORKER, aim))
    response = client.post("/support/new/", _request(knowsley, **{field: value}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not SupportCase.objects.exists()


@pytest.mark.django_db
def test_a_support_request_keeps_the_contact_details_given(aim, knowsley, client_for):
    client = client_for(builders.user(Role.SUPPORT_WORKER, aim))
    response = client.post("/support/new/", _request(knowsley, phone=PHONE, email=EMAIL, postcode="l32 1aa"))
    assert response.status_code == 302
    case = SupportCase.objects.get()
    assert (case.phone, case.email, case.postcode) == (PHONE, EMAIL, "L32 1AA")


def _applicant_form(household, **overrides):
    return {
        "version": household.version,
        "home_council": household.home_council_id,
        "postcode_district": household.postcode_district,
        "approved_children": 2,
        "age_min": 0,
        "age_max": 6,
        "applicant1_first_name": "Sam",
        "applicant1_last_name": "Testadopter",
        "applicant1_date_of_birth_0": "3",
        "applicant1_date_of_birth_1": "3",
        "applicant1_date_of_birth_2": "1985",
        "applicant1_sex": "2",
        "applicant1_ethnicity": "WBRI",
        **overrides,
    }


@pytest.mark.django_db
def test_an_applicants_bad_phone_or_email_changes_nothing_and_good_ones_are_kept(aim, client_for):
    household = builders.household(aim)
    client = client_for(builders.user(Role.RECRUITMENT_ASSESSMENT, aim))
    refused = client.post(
        f"/households/{household.pk}/edit/",
        _applicant_form(household, applicant1_phone="not a number", applicant1_email="sam@"),
    )
    assert refused.status_code == 200
    errors = refused.context["form"].errors
    assert "Enter a telephone number" in " ".join(errors["applicant1_phone"])
    assert "Enter an e-mail address" in " ".join(errors["applicant1_email"])
    applicant = household.applicants.get()
    assert (applicant.phone, applicant.email, applicant.history.count()) == ("", "", 1)
    saved = client.post(
        f"/households/{household.pk}/edit/",
        _applicant_form(household, applicant1_phone=PHONE, applicant1_email=EMAIL, applicant1_postcode="l36 9xx"),
    )
    assert saved.status_code == 302, saved.context["form"].errors
    applicant.refresh_from_db()
    assert (applicant.phone, applicant.email, applicant.postcode) == (PHONE, EMAIL, "L36 9XX")
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert PHONE in page and EMAIL in page
    api = client.get(f"/api/households/{household.pk}/").json()
    assert api["applicants"][0]["phone"] == PHONE


@pytest.mark.django_db
def test_a_carers_contact_details_are_restricted_like_their_names(aim, client_for):
    run_functions(aim)
    kept = carer(aim, phone=PHONE, email=EMAIL, address=ADDRESS, postcode="L36 9XX")
    finder = client_for(builders.user(Role.FAMILY_FINDER, aim))
    assert PHONE in finder.get(f"/permanence/carers/{kept.pk}/").content.decode()
    assert finder.get(f"/api/carers/{kept.pk}/").json()["email"] == EMAIL
    adm = builders.user(Role.ADM, aim)  # reads permanence without view_restricted
    assert {"names", "phone", "email", "address", "postcode"} <= policy.hidden_fields(adm, kept)
    reader = client_for(adm)
    page = reader.get(f"/permanence/carers/{kept.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert all(text not in body for text in (PHONE, EMAIL, "Canary Row", "L36 9XX"))
    api = reader.get(f"/api/carers/{kept.pk}/")
    assert api.status_code == 200 and PHONE not in api.content.decode() and EMAIL not in api.content.decode()
    assert not {"phone", "email", "address", "postcode", "names"} & set(api.json())


@pytest.mark.django_db
def test_the_api_checks_and_keeps_an_applicants_contact_details(aim, client_for):
    household = builders.household(aim)
    client = client_for(builders.user(Role.RECRUITMENT_ASSESSMENT, aim))
    applicant = {
        "first_name": "Sam",
        "last_name": "Testadopter",
        "date_of_birth": "1985-03-03",
        "sex": "2",
        "ethnicity": "WBRI",
    }
    refused = client.patch(
        f"/api/households/{household.pk}/",
        {"version": household.version, "applicants": [{**applicant, "phone": "ring me"}]},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "Enter a telephone number" in refused.content.decode()
    assert household.applicants.get().phone == ""
    saved = client.patch(
        f"/api/households/{household.pk}/",
        {"version": household.version, "applicants": [{**applicant, "phone": PHONE, "postcode": "l36 9xx"}]},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    assert (household.applicants.get().phone, household.applicants.get().postcode) == (PHONE, "L36 9XX")
