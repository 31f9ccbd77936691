"""Single sign-on with one provider per member council, against two real OpenID Connect providers
(oidc-provider-mock, one per council, each in its own thread with its own signing key): who may
sign in through which, the method kept in the sign-in audit, sign-out ending the provider's session,
and the administrator's page that records a council's provider."""

from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from oidc_provider_mock import run_server_in_thread

from openraa.audit.models import SignInEvent
from openraa.people.roles import Role
from openraa.security import oidc, services, sign_in_rules
from openraa.security.models import SignInProvider
from tests import builders


@pytest.fixture(scope="module")
def knowsley_idp():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def liverpool_idp():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def admin(aim):
    return builders.user(Role.ADMINISTRATOR, aim, username="admin.aim")


@pytest.fixture
def councils(aim, admin, settings, monkeypatch, knowsley_idp, liverpool_idp):
    """Knowsley's and Liverpool's providers, recorded by the agency's administrator; no fallback provider."""
    settings.OPENRAA_OIDC_ISSUER = ""
    settings.AUTHENTICATION_BACKENDS = [
        "openraa.people.backends.StaffBackend",
        "openraa.security.oidc.CouncilSignInBackend",
    ]
    monkeypatch.setenv("OPENRAA_OIDC_SECRET_KNOWSLEY", "test-only-knowsley-secret")
    monkeypatch.setenv("OPENRAA_OIDC_SECRET_LIVERPOOL", "test-only-liverpool-secret")
    oidc.discovery.cache_clear()
    made = {}
    for name, issuer in (("Knowsley", knowsley_idp), ("Liverpool", liverpool_idp)):
        record = SignInProvider(
            agency=aim,
            council=builders.council(name),
            issuer=issuer,
            client_id=f"openraa-{name.lower()}",
            client_secret_variable=f"OPENRAA_OIDC_SECRET_{name.upper()}",
            email_domains=[f"{name.lower()}.example"],
        )
        made[name] = services.save_provider(record, [], by=admin)
    return made


def _person(aim, employer, email, role=Role.SOCIAL_WORKER, active=True):
    person = builders.user(role, aim, employer=employer)
    person.email, person.is_active = email, active
    person.save()
    return person


def _start(provider):
    return f"/sign-in/council-account/?provider={provider.pk}"


def _to_provider(client, start, sub, claims):
    """Start at OpenRAA and sign in at whichever provider it sends the browser to, as `sub`: the
    URL the provider sends the browser back to."""
    response = client.get(start)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    idp = f"{location.scheme}://{location.netloc}"
    assert requests.put(f"{idp}/users/{quote(sub)}", json=claims, timeout=10).status_code == 204
    back = requests.post(response["Location"], data={"sub": sub}, allow_redirects=False, timeout=10)
    assert back.status_code == 302
    returned = urlsplit(back.headers["Location"])
    assert returned.path == "/sign-in/council-account/callback/"
    return f"{returned.path}?{returned.query}"


def _sign_in(client, start, sub, claims):
    return client.get(_to_provider(client, start, sub, claims))


def _claims(email):
    return {"email": email, "email_verified": True}


def _events():
    return list(SignInEvent.objects.order_by("id"))


@pytest.mark.django_db
def test_the_sign_in_page_offers_each_councils_provider(client, councils):
    page = client.get("/sign-in/?next=/children/").content.decode()
    for name, provider in councils.items():
        assert f'href="{_start(provider)}&amp;next=/children/"' in page
        assert f"Sign in with {name} account" in page
    assert "Sign in with your council account" not in page  # no fallback provider is configured

    # Withdrawn from the sign-in page: not offered, and its start page is gone.
    councils["Liverpool"].offered = False
    services.save_provider(councils["Liverpool"], [], by=None)
    assert "Sign in with Liverpool account" not in client.get("/sign-in/").content.decode()
    assert client.get(_start(councils["Liverpool"])).status_code == 404


@pytest.mark.django_db
def test_each_provider_is_sent_its_own_client(client, councils, knowsley_idp, liverpool_idp):
    for provider, idp in ((councils["Knowsley"], knowsley_idp), (councils["Liverpool"], liverpool_idp)):
        location = client.get(_start(provider))["Location"]
        assert location.startswith(f"{idp}/oauth2/authorize?")
        query = parse_qs(urlsplit(location).query)
        assert query["client_id"] == [provider.client_id]
        assert query["redirect_uri"] == ["http://testserver/sign-in/council-account/callback/"]


@pytest.mark.django_db
def test_staff_of_a_council_sign_in_through_its_provider_and_the_method_is_kept(client, aim, admin, councils):
    worker = _person(aim, "Knowsley", "jo@knowsley.example")

    response = _sign_in(client, _start(councils["Knowsley"]), "jo", _claims("jo@knowsley.example"))

    assert response.status_code == 302
    assert client.session.get(SESSION_KEY) == str(worker.pk)
    event = SignInEvent.objects.get(user=worker, kind=SignInEvent.Kind.SIGNED_IN)
    assert event.method == SignInEvent.Method.SINGLE_SIGN_ON
    assert event.provider == f"Knowsley ({councils['Knowsley'].issuer})"

    # The administrator reads it on the audit log.
    client.force_login(admin)
    sentences = [e.sentence for e in client.get("/audit/", {"person": worker.pk}).context["page"]]
    assert f"Signed in through the single sign-on of Knowsley ({councils['Knowsley'].issuer})" in sentences


@pytest.mark.django_db
def test_a_password_sign_in_is_kept_as_one(client, aim):
    worker = _person(aim, "Knowsley", "pw@knowsley.example")
    client.post("/sign-in/", {"username": worker.username, "password": "wrong"})
    client.post("/sign-in/", {"username": worker.username, "password": builders.PASSWORD})
    assert [(e.kind, e.method, e.provider) for e in _events()] == [
        ("failed", "password", ""),
        ("signed_in", "password", ""),
    ]


@pytest.mark.django_db
def test_someone_of_one_council_cannot_sign_in_through_anothers_provider(client, aim, admin, councils):
    # Employed by Knowsley in OpenRAA, with an account at Liverpool's provider.
    worker = _person(aim, "Knowsley", "sam@liverpool.example")

    response = _sign_in(client, _start(councils["Liverpool"]), "sam", _claims("sam@liverpool.example"))

    assert response.status_code == 403
    assert "does not record you as working for the council" in response.content.decode()
    assert client.session.get(SESSION_KEY) is None
    event = SignInEvent.objects.get(user=worker)
    assert (event.kind, event.method) == (SignInEvent.Kind.FAILED, SignInEvent.Method.SINGLE_SIGN_ON)
    assert event.provider.startswith("Liverpool (") and event.reason == "not employed by this provider's council"

    # Until an administrator allows them on Liverpool's provider.
    services.save_provider(councils["Liverpool"], [worker], by=admin)
    _sign_in(client, _start(councils["Liverpool"]), "sam", _claims("sam@liverpool.example"))
    assert client.session.get(SESSION_KEY) == str(worker.pk)


@pytest.mark.django_db
def test_an_address_outside_the_providers_domains_is_refused(client, aim, councils):
    worker = _person(aim, "Knowsley", "kim@knowsley.example")

    # Liverpool's provider vouching for a Knowsley address (a guest account, say) lets no one in.
    response = _sign_in(client, _start(councils["Liverpool"]), "kim", _claims("kim@knowsley.example"))

    assert response.status_code == 403
    assert "not one this council signs in for" in response.content.decode()
    assert client.session.get(SESSION_KEY) is None
    assert SignInEvent.objects.get().reason == "an e-mail address outside this provider's domains"
    assert not SignInEvent.objects.filter(user=worker, kind=SignInEvent.Kind.SIGNED_IN).exists()


@pytest.mark.django_db
def test_an_unknown_person_is_refused_and_the_refusal_is_on_the_agencys_audit_log(client, aim, admin, councils):
    response = _sign_in(client, _start(councils["Knowsley"]), "new", _claims("new.starter@knowsley.example"))

    assert response.status_code == 403
    assert "not linked to anyone in OpenRAA" in response.content.decode()
    assert client.session.get(SESSION_KEY) is None
    event = SignInEvent.objects.get()
    assert (event.user, event.email, event.agency) == (None, "new.starter@knowsley.example", aim)

    client.force_login(admin)
    entries = list(client.get("/audit/", {"channel": "sign_in"}).context["page"])
    assert any(
        e.who == "new.starter@knowsley.example"
        and e.sentence.startswith("Refused sign-in for new.starter@knowsley.example (not an OpenRAA user)")
        for e in entries
    )


@pytest.mark.django_db
def test_someone_of_another_agency_is_unknown_to_this_agencys_provider(client, aim, councils):
    elsewhere = builders.agency("nw", councils=("Wirral",), host="Wirral")
    _person(elsewhere, "Wirral", "pat@knowsley.example")

    response = _sign_in(client, _start(councils["Knowsley"]), "pat", _claims("pat@knowsley.example"))

    assert response.status_code == 403 and client.session.get(SESSION_KEY) is None


@pytest.mark.django_db
def test_a_deactivated_person_is_refused_and_the_refusal_audited(client, aim, councils):
    left = _person(aim, "Knowsley", "left@knowsley.example", active=False)

    response = _sign_in(client, _start(councils["Knowsley"]), "left", _claims("left@knowsley.example"))

    assert response.status_code == 403
    assert "account has been closed" in response.content.decode()
    assert client.session.get(SESSION_KEY) is None
    event = SignInEvent.objects.get(user=left)
    assert (event.kind, event.method, event.reason) == ("failed", "sso", "the account is deactivated")


@pytest.mark.django_db
def test_a_code_from_another_councils_provider_signs_no_one_in(client, aim, councils, liverpool_idp):
    _person(aim, "Knowsley", "mix@knowsley.example")
    # The browser was sent to Knowsley's provider; the code that comes back is Liverpool's.
    start = client.get(_start(councils["Knowsley"]))["Location"]
    state = parse_qs(urlsplit(start).query)["state"][0]
    assert requests.put(f"{liverpool_idp}/users/mix", json=_claims("mix@knowsley.example"), timeout=10).ok
    elsewhere = client.get(_start(councils["Liverpool"]))["Location"]
    back = requests.post(elsewhere, data={"sub": "mix"}, allow_redirects=False, timeout=10)
    code = parse_qs(urlsplit(back.headers["Location"]).query)["code"][0]

    response = client.get(f"/sign-in/council-account/callback/?code={code}&state={state}")

    assert response.status_code == 400
    assert client.session.get(SESSION_KEY) is None


@pytest.mark.django_db
def test_signing_out_ends_the_session_at_the_provider(client, aim, councils, knowsley_idp):
    worker = _person(aim, "Knowsley", "out@knowsley.example")
    _sign_in(client, _start(councils["Knowsley"]), "out", _claims("out@knowsley.example"))
    id_token = client.session[oidc.ID_TOKEN_SESSION_KEY]

    response = client.post("/sign-out/")

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{knowsley_idp}/oauth2/end_session"
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/sign-in/"]
    assert query["client_id"] == ["openraa-knowsley"]
    # Signed out of OpenRAA, and the ID token went with the session.
    assert client.session.get(SESSION_KEY) is None
    assert oidc.ID_TOKEN_SESSION_KEY not in client.session
    assert SignInEvent.objects.filter(user=worker, kind=SignInEvent.Kind.SIGNED_OUT).count() == 1
    # The provider takes the request and offers the way back to OpenRAA.
    ended = requests.get(response["Location"], timeout=10)
    assert ended.status_code == 200 and "http://testserver/sign-in/" in ended.text


@pytest.mark.django_db
def test_a_password_sign_in_signs_out_at_openraa_only_and_a_refusal_keeps_no_token(client, aim, councils):
    worker = _person(aim, "Knowsley", "plain@knowsley.example")
    client.post("/sign-in/", {"username": worker.username, "password": builders.PASSWORD})
    assert client.post("/sign-out/")["Location"] == "/sign-in/"
    assert client.get("/sign-out/").status_code == 405  # signing out is a POST, as before

    _sign_in(client, _start(councils["Knowsley"]), "nobody", _claims("nobody@knowsley.example"))
    assert oidc.ID_TOKEN_SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_provider_whose_secret_is_not_set_says_so_rather_than_failing_at_the_provider(client, councils, monkeypatch):
    monkeypatch.delenv("OPENRAA_OIDC_SECRET_LIVERPOOL")
    response = client.get(_start(councils["Liverpool"]))
    assert response.status_code == 502
    assert "did not complete" in response.content.decode()


@pytest.mark.django_db
def test_an_administrator_adds_and_changes_a_councils_provider(client, aim, admin, settings):
    client.force_login(admin)
    page = client.get("/partnership/single-sign-on/")
    assert page.status_code == 200 and "http://testserver/sign-in/council-account/callback/" in page.content.decode()
    knowsley = builders.council("Knowsley")
    form = {
        "council": knowsley.pk,
        "issuer": "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0/",
        "client_id": "openraa-app",
        "client_secret_variable": "OPENRAA_SECRET_KEY",
        "domains": "@Knowsley.gov.uk\nknowsley_gov.uk",
        "offered": "on",
    }

    refused = client.post("/partnership/single-sign-on/", form)
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "knowsley_gov.uk is not an e-mail domain" in text
    assert not SignInProvider.objects.exists()

    form["domains"] = "@Knowsley.gov.uk\nknowsley-council.example"
    refused = client.post("/partnership/single-sign-on/", form)
    assert "starts OPENRAA_OIDC_SECRET_" in refused.content.decode()  # not the server's own secret
    assert not SignInProvider.objects.exists()

    form["client_secret_variable"] = "OPENRAA_OIDC_SECRET_KNOWSLEY"
    assert client.post("/partnership/single-sign-on/", form)["Location"] == "/partnership/single-sign-on/"
    provider = SignInProvider.objects.get()
    assert (provider.issuer, provider.email_domains) == (
        "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0",
        ["knowsley.gov.uk", "knowsley-council.example"],
    )
    assert provider.history.get().history_user == admin

    # A second provider for the same council is refused; a change goes through the record's own page.
    assert "already has a sign-in provider" in client.post("/partnership/single-sign-on/", form).content.decode()
    worker = builders.user(Role.SOCIAL_WORKER, aim, employer="Liverpool")
    changed = {**form, "issuer": "http://idp.example.org", "also_allowed": [worker.pk]}
    assert (
        "https web address"
        in client.post(f"/partnership/single-sign-on/?provider={provider.pk}", changed).content.decode()
    )
    changed["issuer"] = "https://idp.example.org"
    client.post(f"/partnership/single-sign-on/?provider={provider.pk}", changed)
    provider.refresh_from_db()
    assert provider.issuer == "https://idp.example.org" and list(provider.also_allowed.all()) == [worker]
    assert all(entry.history_user == admin for entry in provider.history.all())


@pytest.mark.django_db
def test_only_an_administrator_of_the_agency_reaches_the_providers(client, aim, admin, councils):
    client.force_login(builders.user(Role.TEAM_MANAGER, aim))
    assert client.get("/partnership/single-sign-on/").status_code == 403
    other = builders.agency("nw", councils=("Wirral",), host="Wirral")
    client.force_login(builders.user(Role.ADMINISTRATOR, other, employer="Wirral"))
    assert client.get(f"/partnership/single-sign-on/?provider={councils['Knowsley'].pk}").status_code == 404
    page = client.get("/partnership/single-sign-on/").content.decode()
    assert "Knowsley" not in page


def test_the_rules_without_a_database():
    provider = sign_in_rules.Provider(
        key="1",
        name="Knowsley",
        issuer="https://idp",
        client_id="c",
        agency_id=1,
        council_id=10,
        email_domains=("knowsley.gov.uk",),
        allowed_user_ids=frozenset({7}),
    )
    assert sign_in_rules.email_refusal(provider, "a@KNOWSLEY.gov.uk", None) is None
    assert sign_in_rules.email_refusal(provider, "a@knowsley.gov.uk", "false") == sign_in_rules.UNVERIFIED
    assert sign_in_rules.email_refusal(provider, None, True) == sign_in_rules.UNVERIFIED
    assert sign_in_rules.email_refusal(provider, "a@evil.knowsley.gov.uk", True) == sign_in_rules.OTHER_DOMAIN
    person = sign_in_rules.Person
    assert sign_in_rules.person_refusal(provider, [person(1, True, 1, 10)]) is None
    assert sign_in_rules.person_refusal(provider, [person(1, True, 1, 11)]) == sign_in_rules.OTHER_COUNCIL
    assert sign_in_rules.person_refusal(provider, [person(7, True, 1, 11)]) is None  # allowed by an administrator
    assert sign_in_rules.person_refusal(provider, [person(7, True, 2, 10)]) == sign_in_rules.UNKNOWN
    assert sign_in_rules.person_refusal(provider, [person(1, False, 1, 10)]) == sign_in_rules.DEACTIVATED
    assert sign_in_rules.person_refusal(provider, [person(1, True, 1, 10)] * 2) == sign_in_rules.AMBIGUOUS
    assert sign_in_rules.issuer_problem("http://localhost:8080") is None
    assert sign_in_rules.issuer_problem("https://login.example/t/v2.0?x=1") is not None
    assert sign_in_rules.SECRET_VARIABLE.fullmatch("OPENRAA_SECRET_KEY") is None
