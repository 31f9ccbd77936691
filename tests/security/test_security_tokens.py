"""API tokens: issued by `openraa api_token` only to staff with two-factor sign-in set up, replaced
on reissue, refused once expired or once the holder's password changes, and kept only as a digest."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from openraa.people.roles import Role
from openraa.security.models import ApiToken
from openraa.security.tokens import digest
from tests import builders

# DRF answers a failed token with 403 rather than 401 when session authentication is listed first.
REFUSED = (401, 403)


@pytest.fixture
def two_factor(settings):
    settings.OPENRAA_REQUIRE_2FA = True
    settings.OPENRAA_API_TOKEN_DAYS = 30


def _issue(username) -> str:
    out = StringIO()
    call_command("api_token", username, stdout=out)
    return out.getvalue().splitlines()[0]


@pytest.mark.django_db
def test_a_token_needs_two_factor_sign_in_and_expires(aim, client, two_factor):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    with pytest.raises(CommandError, match="two-factor"):
        _issue(manager.username)
    assert not ApiToken.objects.exists()
    TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    key = _issue(manager.username)
    assert client.get("/api/children/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    # A second issue replaces the first.
    newer = _issue(manager.username)
    assert client.get("/api/children/", HTTP_AUTHORIZATION=f"Token {key}").status_code in REFUSED
    assert client.get("/api/children/", HTTP_AUTHORIZATION=f"Token {newer}").status_code == 200
    ApiToken.objects.filter(digest=digest(newer)).update(created=timezone.now() - timedelta(days=31))
    expired = client.get("/api/children/", HTTP_AUTHORIZATION=f"Token {newer}")
    assert expired.status_code in REFUSED and "expired" in expired.json()["detail"]


@pytest.mark.django_db
def test_a_token_stops_working_when_its_holder_loses_the_second_factor(aim, client, two_factor):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    device = TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    key = _issue(manager.username)
    device.delete()
    refused = client.get("/api/children/", HTTP_AUTHORIZATION=f"Token {key}")
    assert refused.status_code in REFUSED and "two-factor" in refused.json()["detail"]


@pytest.mark.django_db
def test_no_token_for_an_unknown_or_inactive_user(aim, two_factor):
    with pytest.raises(CommandError, match="No active user"):
        _issue("nobody")


@pytest.mark.django_db
def test_the_database_keeps_only_a_digest_of_the_token(aim, client, two_factor):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    key = _issue(manager.username)
    assert len(key) >= 43  # 256 random bits
    stored = ApiToken.objects.get(user=manager)
    assert stored.digest == digest(key) and key not in str(ApiToken.objects.values().get())
    assert not Token.objects.exists()
    # A digest presented as the token is refused: having the table is not having the API.
    assert client.get("/api/children/", HTTP_AUTHORIZATION=f"Token {stored.digest}").status_code in REFUSED
    assert client.get("/api/children/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


@pytest.mark.django_db
def test_a_token_ends_when_its_holder_changes_password(aim, client, two_factor):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)
    key = _issue(manager.username)
    manager.refresh_from_db()
    manager.last_login = timezone.now()
    manager.save()  # saving the user otherwise changes nothing
    assert client.get("/api/children/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    manager.set_password("another-long-passphrase-2026")
    manager.save()
    refused = client.get("/api/children/", HTTP_AUTHORIZATION=f"Token {key}")
    assert refused.status_code in REFUSED and "password changed" in refused.json()["detail"]
    assert client.get("/api/children/", HTTP_AUTHORIZATION=f"Token {_issue(manager.username)}").status_code == 200
