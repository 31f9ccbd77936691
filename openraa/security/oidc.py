"""Single sign-on with a council's own OpenID Connect provider (most use Microsoft Entra ID), through
mozilla-django-oidc. Each member council may have its own provider (a SignInProvider record, edited by
an administrator); one more may be configured from the environment (OPENRAA_OIDC_ISSUER), the fallback
for a deployment with one provider for everyone. The provider only says who someone is: the sign-in
matches an existing, active OpenRAA user by e-mail address under sign_in_rules, never creates one,
since roles and councils are given in OpenRAA.

mozilla-django-oidc reads one provider from settings. Here the provider is chosen per sign-in: the
start page (security/views.py) notes which provider each state it sends out belongs to, the callback
puts that provider on the request, and the backend below reads its endpoints (from the provider's
discovery document, cached per issuer) and its client from it."""

import functools
import logging
import os
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.shortcuts import resolve_url
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from openraa.audit.models import SignInEvent
from openraa.security.models import SignInProvider
from openraa.security.sign_in_rules import (  # noqa: F401 (the refusals are read from here too)
    AMBIGUOUS,
    DEACTIVATED,
    ENVIRONMENT,
    FAILED,
    OTHER_COUNCIL,
    OTHER_DOMAIN,
    REASON_LABELS,
    REFUSALS,
    UNKNOWN,
    UNVERIFIED,
    Person,
    Provider,
    email_refusal,
    person_refusal,
)

logger = logging.getLogger("openraa.security")

# The session key that says the provider did multi-factor authentication for this sign-in, which
# RequireTwoFactorMiddleware accepts in place of a code from an authenticator app.
PROVIDER_MFA_SESSION_KEY = "openraa_sso_mfa"
# Which provider each sign-in under way was sent to, by its state: {state: provider key}.
STARTS_SESSION_KEY = "openraa_sso_starts"
MAX_STARTS = 20
# After a single sign-on: the provider's key, and its ID token, kept only to end the session at the
# provider on sign-out (the id_token_hint), and only when the provider offers that. Signing out
# flushes the session, and both with it.
PROVIDER_SESSION_KEY = "openraa_sso_provider"
ID_TOKEN_SESSION_KEY = "openraa_sso_id_token"


def environment_provider() -> Provider | None:
    issuer = getattr(settings, "OPENRAA_OIDC_ISSUER", "")
    if not issuer:
        return None
    return Provider(
        key=ENVIRONMENT,
        name="your council",
        issuer=issuer.rstrip("/"),
        client_id=getattr(settings, "OIDC_RP_CLIENT_ID", ""),
        trusts_mfa=bool(getattr(settings, "OPENRAA_OIDC_TRUSTS_MFA", False)),
    )


def _provider(record: SignInProvider, *, with_allowed: bool = True) -> Provider:
    return Provider(
        key=str(record.pk),
        name=record.council.name,
        issuer=record.issuer.rstrip("/"),
        client_id=record.client_id,
        agency_id=record.agency_id,
        council_id=record.council_id,
        email_domains=tuple(record.email_domains),
        allowed_user_ids=frozenset(record.also_allowed.values_list("pk", flat=True)) if with_allowed else frozenset(),
        trusts_mfa=record.trusts_mfa,
    )


def offered_providers() -> list[Provider]:
    """What the sign-in page offers: each council's provider, then the environment's."""
    records = SignInProvider.objects.filter(offered=True).select_related("council")
    found = [_provider(r, with_allowed=False) for r in records]  # buttons: no one is let in by these
    fallback = environment_provider()
    return found + ([fallback] if fallback else [])


def provider_by_key(key: str, *, offered_only: bool = True) -> Provider | None:
    """A provider no longer offered takes no new sign-in, but still ends the sessions it began."""
    if key == ENVIRONMENT:
        return environment_provider()
    if not key.isdigit():
        return None
    records = SignInProvider.objects.filter(pk=int(key)).select_related("council")
    record = (records.filter(offered=True) if offered_only else records).first()
    return _provider(record) if record else None


def enabled() -> bool:
    return bool(getattr(settings, "OPENRAA_OIDC_ISSUER", "")) or SignInProvider.objects.filter(offered=True).exists()


def client_secret(provider: Provider) -> str:
    """Read when needed, never stored: the environment's own, or the variable the record names."""
    if provider.key == ENVIRONMENT:
        return getattr(settings, "OIDC_RP_CLIENT_SECRET", "")
    variable = SignInProvider.objects.filter(pk=int(provider.key)).values_list("client_secret_variable", flat=True)
    return os.environ.get(variable[0], "") if variable else ""


@functools.cache
def discovery(issuer: str) -> dict:
    """The provider's published endpoints; read once per process and issuer (a failure is not kept,
    so it is tried again on the next sign-in)."""
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=getattr(settings, "OIDC_TIMEOUT", 10))
    response.raise_for_status()
    document = response.json()
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ImproperlyConfigured(f"The discovery document of {issuer} names another issuer")
    return document


_discovery = discovery  # the name the first tests clear the cache by


def remember_start(session, state: str, provider: Provider) -> None:
    starts = dict(session.get(STARTS_SESSION_KEY, {}))
    starts[state] = provider.key
    session[STARTS_SESSION_KEY] = dict(list(starts.items())[-MAX_STARTS:])


def provider_of_return(session, state: str) -> Provider | None:
    """The provider this browser was sent to with `state` (used once), or None."""
    starts = dict(session.get(STARTS_SESSION_KEY, {}))
    key = starts.pop(state, None)
    if key is None:
        return None
    session[STARTS_SESSION_KEY] = starts
    return provider_by_key(key)


def provider_did_mfa(provider: Provider, id_claims: dict) -> bool:
    """Whether this sign-in counts as two-factor for OpenRAA: the provider always asks for a second
    factor (its record says so, or OPENRAA_OIDC_TRUSTS_MFA for the environment's, e.g. an Entra ID
    Conditional Access policy on the app), or the ID token's authentication methods (`amr`) include "mfa"."""
    amr = id_claims.get("amr") or []
    return provider.trusts_mfa or (isinstance(amr, list) and "mfa" in amr)


def audit_refusal(provider: Provider, reason: str, *, user=None, email: str = "") -> None:
    SignInEvent.objects.create(
        user=user,
        kind=SignInEvent.Kind.FAILED,
        method=SignInEvent.Method.SINGLE_SIGN_ON,
        provider=provider.audit_label,
        reason=REASON_LABELS[reason],
        email="" if user else email[:254],
        agency_id=None if user else provider.agency_id,
    )


class CouncilSignInBackend(OIDCAuthenticationBackend):
    """The library's backend, with the provider the callback chose (request.openraa_sso_provider):
    its endpoints from discovery (looked up only when a sign-in comes back, so restoring a session
    never waits on the network), the ID token's issuer and audience checked, and OpenRAA's rule."""

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        provider = getattr(request, "openraa_sso_provider", None)
        if request is None or provider is None or "code" not in request.GET:
            return None
        self.provider = provider
        document = discovery(provider.issuer)
        self.OIDC_OP_TOKEN_ENDPOINT = document["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = document["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = document["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = client_secret(provider)
        self.OIDC_RP_SIGN_ALGO = self.get_settings("OIDC_RP_SIGN_ALGO", "RS256")
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # The library leaves these to the application: a token another provider, or another of the
        # provider's applications, was given must not sign anyone in here.
        if str(payload.get("iss", "")).rstrip("/") != self.provider.issuer:
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        if self.OIDC_RP_CLIENT_ID not in (audience if isinstance(audience, list) else [audience]):
            raise SuspiciousOperation("ID token for another client")
        return payload

    def retrieve_matching_jwk(self, token):
        # A token may name no key ("kid" is optional): then only a provider with a single key is trusted.
        if "kid" in jwt.get_unverified_header(token):
            return super().retrieve_matching_jwk(token)
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=self.get_settings("OIDC_TIMEOUT", None))
        response.raise_for_status()
        keys = response.json().get("keys", [])
        if len(keys) != 1:
            raise SuspiciousOperation("ID token names no key, and the provider has several")
        return jwt.PyJWK(keys[0])

    def store_tokens(self, access_token, id_token):
        # Nothing goes into the session before the person is let in (the callback keeps the ID token
        # then, if the provider can end its session); the access token is never kept.
        self.request.openraa_sso_id_token = id_token

    def verify_claims(self, claims):
        return True  # OpenRAA's own rule is in get_or_create_user, which says why it refuses

    def get_or_create_user(self, access_token, id_token, payload):
        provider = self.provider
        claims = self.get_userinfo(access_token, id_token, payload)
        email = claims.get("email")
        refusal = email_refusal(provider, email, claims.get("email_verified", payload.get("email_verified")))
        if refusal:
            return self._refuse(refusal, email=email if isinstance(email, str) else "")
        users = self.UserModel._default_manager.filter(email__iexact=email.strip())
        if provider.agency_id is not None:
            users = users.filter(agency_id=provider.agency_id)
        found = list(users[:2])
        people = [Person(u.pk, u.is_active, u.agency_id, u.employing_council_id) for u in found]
        refusal = person_refusal(provider, people)
        if refusal:
            return self._refuse(refusal, user=found[0] if len(found) == 1 else None, email=email)
        self.request.openraa_sso_mfa = provider_did_mfa(provider, payload)
        # Read by the sign-in audit (audit/signals.py): this sign-in came through this provider.
        self.request.openraa_sso_provider_label = provider.audit_label
        return found[0]

    def _refuse(self, reason, *, user=None, email=""):
        logger.warning("Single sign-on through %s refused: %s", self.provider.audit_label, reason)
        self.request.openraa_sso_refusal = reason
        audit_refusal(self.provider, reason, user=user, email=email)


def provider_logout_url(request) -> str:
    """OIDC_OP_LOGOUT_URL_METHOD: where signing out sends the browser. After a single sign-on through
    a provider that publishes an end_session_endpoint, there (RP-initiated logout), so that the
    council session ends too and comes back to OpenRAA's sign-in page; otherwise straight there."""
    back = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    provider = provider_by_key(str(request.session.get(PROVIDER_SESSION_KEY, "")), offered_only=False)
    if not id_token or provider is None:
        return back
    try:
        end_session = discovery(provider.issuer).get("end_session_endpoint")
    except (requests.RequestException, ValueError, ImproperlyConfigured):
        logger.warning("Signing out: %s could not be asked to end its session", provider.audit_label, exc_info=True)
        return back
    if not isinstance(end_session, str) or not end_session.startswith(("https://", "http://")):
        return back
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(back),
            "client_id": provider.client_id,
        }
    )
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"


def is_single_sign_on(request, credentials) -> bool:
    """django-axes leaves the single sign-on callback alone: no password is tried there, and one
    council office's refused sign-ins must not lock out everyone else signing in from that address."""
    return request is not None and getattr(request, "path", None) == reverse("oidc-callback")
