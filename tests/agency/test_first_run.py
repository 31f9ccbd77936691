"""The first-run page of a fresh install: the agency and its first administrator, with the server's
setup code, and never again once an agency exists."""

from io import StringIO

import pytest
from django.core.management import call_command

from openraa.agency.first_run import setup_code
from openraa.partnership.models import Agency
from openraa.people.models import User
from openraa.people.roles import Role

pytestmark = pytest.mark.django_db

FORM = {
    "code": "aim",
    "name": "Adoption in Merseyside",
    "model": "hosted",
    "councils": "E08000011, E08000012\nE08000014 E08000015",
    "host": "E08000011",
    "commissioning": "E08000014",
    "joined_on_0": "1",
    "joined_on_1": "3",
    "joined_on_2": "2017",
    "first_name": "Pat",
    "last_name": "Head",
    "email": "pat.head@knowsley.example",
    "employer": "E08000011",
    "password1": "a long first passphrase 17",
    "password2": "a long first passphrase 17",
}


def test_the_first_administrator_sets_up_the_agency_once(client):
    assert client.get("/setup/").status_code == 200
    response = client.post("/setup/", FORM | {"setup_code": setup_code()})
    assert response.status_code == 302 and response["Location"] == "/sign-in/"
    agency = Agency.objects.get(code="aim")
    assert agency.host_council.ons_code == "E08000011" and agency.commissioning_council.ons_code == "E08000014"
    assert sorted(c.ons_code for c in agency.member_councils()) == ["E08000011", "E08000012", "E08000014", "E08000015"]
    head = User.objects.get(email="pat.head@knowsley.example")
    assert head.roles == [Role.ADMINISTRATOR] and head.agency == agency and head.check_password(FORM["password1"])
    assert client.get("/setup/").status_code == 404
    assert client.post("/setup/", FORM | {"setup_code": setup_code(), "code": "again"}).status_code == 404
    assert Agency.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"setup_code": "guess"}, "not the setup code"),
        ({"councils": "E08000011 E99999999"}, "E99999999 is not the ONS code"),
        ({"host": ""}, "needs its host council"),
        ({"employer": "E08000035"}, "must be one of the member councils"),
        ({"password2": "something else entirely 9"}, "not the same"),
    ],
)
def test_a_refused_setup_says_why_and_writes_nothing(client, change, reason):
    page = client.post("/setup/", FORM | {"setup_code": setup_code()} | change)
    assert page.status_code == 200 and reason in page.content.decode()
    assert not Agency.objects.exists() and not User.objects.exists()


def test_the_setup_code_is_shown_on_the_server_only_while_no_agency_exists(aim):
    out = StringIO()
    call_command("setup_code", stdout=out)
    assert setup_code() not in out.getvalue() and "closed" in out.getvalue()


def test_the_setup_code_command_prints_it_on_a_fresh_install():
    out = StringIO()
    call_command("setup_code", stdout=out)
    assert setup_code() in out.getvalue()
