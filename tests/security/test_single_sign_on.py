"""Single sign-on against a real OpenID Connect provider: oidc-provider-mock serves discovery,
authorisation, tokens signed with its own key and user info from a thread, and the whole code flow
runs through it. OpenRAA matches an active user by e-mail address and never creates one."""

from urllib.parse import quote, urlsplit

import pytest
import requests
from oidc_provider_mock import run_server_in_thread

from openraa.audit.models import SignInEvent
from openraa.people.roles import Role
from openraa.security import oidc
from tests import builders


@pytest.fixture(scope="module")
def provider():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(settings, provider):
    settings.OPENRAA_OIDC_ISSUER = provider
    settings.OIDC_RP_CLIENT_ID = "openraa-test"
    settings.OIDC_RP_CLIENT_SECRET = "test-only-client-secret"
    settings.OPENRAA_OIDC_TRUSTS_MFA = False
    settings.AUTHENTICATION_BACKENDS = [
        "openraa.people.backends.StaffBackend",
        "openraa.security.oidc.CouncilSignInBackend",
    ]
    oidc._discovery.cache_clear()
    return provider


def _to_provider(client, provider, sub, claims, start="/sign-in/council-account/"):
    """Start at OpenRAA, and sign in at the provider as `sub`: the URL the provider sends the browser back to."""
    assert requests.put(f"{provider}/users/{quote(sub)}", json=claims, timeout=10).status_code == 204
    response = client.get(start)
    assert response.status_code == 302 and response["Location"].startswith(f"{provider}/oauth2/authorize?")
    back = requests.post(response["Location"], data={"sub": sub}, allow_redirects=False, timeout=10)
    assert back.status_code == 302
    location = urlsplit(back.headers["Location"])
    assert location.path == "/sign-in/council-account/callback/"
    return f"{location.path}?{location.query}"


def _sign_in(client, provider, sub, claims, **kwargs):
    return client.get(_to_provider(client, provider, sub, claims, **kwargs))


def _signed_in_as(client):
    from django.contrib.auth import SESSION_KEY

    return client.session.get(SESSION_KEY)


@pytest.mark.django_db
def test_the_sign_in_page_offers_a_council_account_only_when_configured(client, settings, provider):
    assert "Sign in with your council account" not in client.get("/sign-in/").content.decode()
    assert client.get("/sign-in/council-account/").status_code == 404
    assert client.get("/sign-in/council-account/callback/?code=x&state=y").status_code == 404
    settings.OPENRAA_OIDC_ISSUER = provider
    assert "Sign in with your council account" in client.get("/sign-in/").content.decode()


@pytest.mark.django_db
def test_a_known_active_user_is_signed_in_by_e_mail_address_whatever_its_case(client, aim, sso):
    worker = builders.user(Role.FAMILY_FINDER, aim)
    worker.email = "Jo.Finder@knowsley.example"
    worker.save()

    response = _sign_in(
        client,
        sso,
        "jo-at-knowsley",
        {"email": "jo.finder@KNOWSLEY.example", "email_verified": True},
        start="/sign-in/council-account/?next=/children/",
    )

    assert response.status_code == 302 and response["Location"] == "/children/"
    assert _signed_in_as(client) == str(worker.pk)
    assert client.get("/").status_code == 200
    assert SignInEvent.objects.filter(user=worker, kind=SignInEvent.Kind.SIGNED_IN).count() == 1
    # Roles and councils stay OpenRAA's: nothing about the user was changed, no user was added.
    worker.refresh_from_db()
    assert (worker.roles, worker.employing_council.name) == ([Role.FAMILY_FINDER], "Knowsley")


@pytest.mark.django_db
def test_an_unknown_e_mail_address_is_refused_and_no_user_is_created(client, aim, sso):
    from openraa.people.models import User

    before = User.objects.count()
    response = _sign_in(client, sso, "stranger", {"email": "nobody@elsewhere.example", "email_verified": True})

    assert response.status_code == 403
    assert "not linked to anyone in OpenRAA" in response.content.decode()
    assert _signed_in_as(client) is None
    assert User.objects.count() == before


@pytest.mark.django_db
def test_a_deactivated_user_is_refused_and_the_attempt_is_audited(client, aim, sso):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    worker.email = "left@knowsley.example"
    worker.is_active = False
    worker.save()

    response = _sign_in(client, sso, "left", {"email": "left@knowsley.example", "email_verified": True})

    assert response.status_code == 403
    assert "account has been closed" in response.content.decode()
    assert _signed_in_as(client) is None
    assert SignInEvent.objects.filter(user=worker, kind=SignInEvent.Kind.FAILED).count() == 1


@pytest.mark.django_db
def test_an_address_the_provider_has_not_verified_is_refused(client, aim, sso):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    worker.email = "claimed@knowsley.example"
    worker.save()

    response = _sign_in(client, sso, "claimer", {"email": "claimed@knowsley.example", "email_verified": False})

    assert response.status_code == 403
    assert _signed_in_as(client) is None


@pytest.mark.django_db
def test_a_state_or_nonce_from_another_sign_in_is_refused(client, aim, sso):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    worker.email = "sw@knowsley.example"
    worker.save()
    claims = {"email": "sw@knowsley.example", "email_verified": True}

    # The provider's answer carries a state this browser never sent.
    callback = _to_provider(client, sso, "sw", claims)
    path, query = callback.split("?")
    forged = "&".join("state=forged" if part.startswith("state=") else part for part in query.split("&"))
    response = client.get(f"{path}?{forged}")
    assert response.status_code == 400
    assert "did not complete" in response.content.decode()
    assert _signed_in_as(client) is None

    # The ID token's nonce is not the one this browser's sign-in asked for.
    callback = _to_provider(client, sso, "sw", claims)
    session = client.session
    for entry in session["oidc_states"].values():
        entry["nonce"] = "another-sign-in"
    session.save()
    response = client.get(callback)
    assert response.status_code == 400
    assert _signed_in_as(client) is None


@pytest.mark.django_db
def test_two_factor_is_still_asked_unless_the_provider_did_it(client, aim, sso, settings):
    settings.OPENRAA_REQUIRE_2FA = True
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    worker.email = "mfa@knowsley.example"
    worker.save()

    _sign_in(client, sso, "mfa", {"email": "mfa@knowsley.example", "email_verified": True})
    assert client.get("/")["Location"].startswith("/sign-in/set-up-authenticator/")

    client.logout()
    _sign_in(client, sso, "mfa", {"email": "mfa@knowsley.example", "email_verified": True, "amr": ["pwd", "mfa"]})
    assert client.get("/").status_code == 200

    client.logout()
    settings.OPENRAA_OIDC_TRUSTS_MFA = True
    _sign_in(client, sso, "mfa", {"email": "mfa@knowsley.example", "email_verified": True})
    assert client.get("/").status_code == 200
