"""Single sign-on with a council's own OpenID Connect provider (most use Microsoft Entra ID), through
mozilla-django-oidc. Off unless OPENRAA_OIDC_ISSUER is set. The provider only says who someone is:
the sign-in matches an existing, active OpenRAA user by e-mail address, never creates one, since
roles and councils are given in OpenRAA. The provider's endpoints come from its discovery document."""

import functools
import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from openraa.audit.models import SignInEvent

logger = logging.getLogger("openraa.security")

# The session key that says the provider did multi-factor authentication for this sign-in, which
# RequireTwoFactorMiddleware accepts in place of a code from an authenticator app.
PROVIDER_MFA_SESSION_KEY = "openraa_sso_mfa"

# Why a sign-in was refused, as the person is told (request.openraa_sso_refusal holds the key).
UNKNOWN, DEACTIVATED, UNVERIFIED, AMBIGUOUS, FAILED = "unknown", "deactivated", "unverified", "ambiguous", "failed"
REFUSALS = {
    UNKNOWN: "Your council account is not linked to anyone in OpenRAA. Ask your OpenRAA administrator to add "
    "you with the e-mail address your council account uses.",
    DEACTIVATED: "Your OpenRAA account has been closed. Ask your OpenRAA administrator if you still need it.",
    UNVERIFIED: "Your council account did not give a confirmed e-mail address, so OpenRAA cannot tell who you "
    "are. Ask your council's IT service desk.",
    AMBIGUOUS: "More than one OpenRAA account has your e-mail address. Ask your OpenRAA administrator to correct it.",
    FAILED: "Signing in with your council account did not complete. Start again from the sign-in page.",
}


def enabled() -> bool:
    return bool(getattr(settings, "OPENRAA_OIDC_ISSUER", ""))


@functools.cache
def _discovery(issuer: str) -> dict:
    """The provider's published endpoints; read once per process (a failure is not kept, so it is
    tried again on the next sign-in)."""
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=getattr(settings, "OIDC_TIMEOUT", 10))
    response.raise_for_status()
    document = response.json()
    if document.get("issuer", "").rstrip("/") != issuer:
        raise ImproperlyConfigured("The provider's discovery document names another issuer than OPENRAA_OIDC_ISSUER")
    return document


def endpoint(name: str) -> str:
    return _discovery(settings.OPENRAA_OIDC_ISSUER)[name]


def provider_did_mfa(id_claims: dict) -> bool:
    """Whether this sign-in counts as two-factor for OpenRAA: the deployment says the provider always
    asks for a second factor (OPENRAA_OIDC_TRUSTS_MFA, e.g. an Entra ID Conditional Access policy on
    the app), or the ID token's authentication methods (`amr`) include "mfa"."""
    amr = id_claims.get("amr") or []
    return bool(getattr(settings, "OPENRAA_OIDC_TRUSTS_MFA", False)) or (isinstance(amr, list) and "mfa" in amr)


class CouncilSignInBackend(OIDCAuthenticationBackend):
    """The library's backend, with the endpoints from discovery (looked up only when a sign-in comes
    back from the provider, so restoring a session never waits on the network), the ID token's issuer
    and audience checked, and OpenRAA's matching rule."""

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or not enabled() or "code" not in request.GET:
            return None
        self.OIDC_OP_TOKEN_ENDPOINT = endpoint("token_endpoint")
        self.OIDC_OP_USER_ENDPOINT = endpoint("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = endpoint("jwks_uri")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        self.OIDC_RP_CLIENT_SECRET = self.get_settings("OIDC_RP_CLIENT_SECRET")
        self.OIDC_RP_SIGN_ALGO = self.get_settings("OIDC_RP_SIGN_ALGO", "RS256")
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # The library leaves these to the application: a token another provider, or another of the
        # provider's applications, was given must not sign anyone in here.
        if str(payload.get("iss", "")).rstrip("/") != settings.OPENRAA_OIDC_ISSUER:
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

    def verify_claims(self, claims):
        return True  # OpenRAA's own rule is in get_or_create_user, which says why it refuses

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        email = claims.get("email")
        verified = claims.get("email_verified", payload.get("email_verified"))
        # Entra ID sends no email_verified; its addresses are set by the council's own directory,
        # which the issuer check confines sign-ins to. A provider that says "not verified" is refused.
        if not isinstance(email, str) or not email or verified is False or verified == "false":
            return self._refuse(UNVERIFIED)
        users = list(self.UserModel._default_manager.filter(email__iexact=email.strip())[:2])
        if not users:
            return self._refuse(UNKNOWN)
        if len(users) > 1:
            return self._refuse(AMBIGUOUS)
        user = users[0]
        if not user.is_active:
            SignInEvent.objects.create(user=user, kind=SignInEvent.Kind.FAILED)
            return self._refuse(DEACTIVATED)
        self.request.openraa_sso_mfa = provider_did_mfa(payload)
        return user

    def _refuse(self, reason):
        logger.warning("Single sign-on refused: %s", reason)
        self.request.openraa_sso_refusal = reason


def is_single_sign_on(request, credentials) -> bool:
    """django-axes leaves the single sign-on callback alone: no password is tried there, and one
    council office's refused sign-ins must not lock out everyone else signing in from that address."""
    return request is not None and getattr(request, "path", None) == reverse("oidc-callback")
