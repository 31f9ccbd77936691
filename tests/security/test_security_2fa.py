"""Two-factor authentication (TOTP, django-otp) for every member of staff."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from openraa.people.roles import Role
from tests import builders


@pytest.fixture
def require_2fa(settings):
    settings.OPENRAA_REQUIRE_2FA = True
    return settings


def _code(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _signed_in(client, user):
    response = client.post("/sign-in/", {"username": user.username, "password": builders.PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_an_unverified_user_is_sent_to_the_code_page_and_the_right_code_lets_them_in(client, aim, require_2fa):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    child = builders.child(aim)
    child.allocated_workers.add(worker)
    device = TOTPDevice.objects.create(user=worker, name="phone", confirmed=True)
    _signed_in(client, worker)

    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/security-code/?next=%2Fchildren%2F{child.pk}%2F"
    page = client.get(response["Location"])
    assert "Enter your security code" in page.content.decode()

    wrong = client.post(
        "/sign-in/security-code/",
        {"token": "000000" if _code(device) != "000000" else "111111", "next": f"/children/{child.pk}/"},
    )
    assert wrong.status_code == 200
    assert "The security code is wrong" in wrong.content.decode()
    assert client.get(f"/children/{child.pk}/").status_code == 302

    # django-otp throttles: straight after a wrong code even the right one must wait.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    refused = client.post("/sign-in/security-code/", {"token": _code(device), "next": f"/children/{child.pk}/"})
    assert "Too many wrong codes" in refused.content.decode()

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    device.refresh_from_db()
    right = client.post("/sign-in/security-code/", {"token": _code(device), "next": f"/children/{child.pk}/"})
    assert right.status_code == 302 and right["Location"] == f"/children/{child.pk}/"
    assert client.get(f"/children/{child.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_user_without_an_authenticator_enrols(client, aim, require_2fa):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    _signed_in(client, worker)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/set-up-authenticator/")
    page = client.get(response["Location"]).content.decode()
    assert "Set up an authenticator app" in page
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', page)
    device = TOTPDevice.objects.get(user=worker)
    assert not device.confirmed
    secret = re.search(r"<code[^>]*>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
    import base64

    assert base64.b32decode(secret) == device.bin_key

    wrong = client.post("/sign-in/set-up-authenticator/", {"token": "12345x", "next": "/"})
    assert "Enter the 6-digit security code" in wrong.content.decode()
    response = client.post("/sign-in/set-up-authenticator/", {"token": _code(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200

    # Next time: the code page, not enrolment again.
    client.post("/sign-out/")
    _signed_in(client, worker)
    assert client.get("/")["Location"].startswith("/sign-in/security-code/")
    assert client.get("/sign-in/set-up-authenticator/")["Location"] == "/sign-in/security-code/"


@pytest.mark.django_db
def test_open_pages_stay_open_and_the_code_pages_need_a_password_first(client, aim, require_2fa):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    _signed_in(client, worker)
    assert client.get("/health/").status_code == 200
    assert client.get("/sign-in/security-code/").status_code == 302  # no device yet: enrol
    client.post("/sign-out/")
    response = client.get("/sign-in/security-code/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/?next=")


def test_two_factor_is_required_by_default():
    import openraa.settings as production

    assert production.OPENRAA_REQUIRE_2FA is True or __import__("os").environ.get("OPENRAA_REQUIRE_2FA") == "0"
