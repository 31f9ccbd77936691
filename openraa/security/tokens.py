"""API tokens for machine clients: they expire, only staff who have set up two-factor sign-in may
hold one (a token cannot be a way around the second factor), the database keeps only their digest,
and a password change ends them. Issued by `openraa api_token`."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp import user_has_device
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from openraa.security.models import ApiToken

DEFAULT_LIFETIME_DAYS = 30
FINGERPRINT_SALT = "openraa.security.tokens.password"


def lifetime() -> timedelta:
    return timedelta(days=getattr(settings, "OPENRAA_API_TOKEN_DAYS", DEFAULT_LIFETIME_DAYS))


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(password_hash: str) -> str:
    """A keyed digest of the user's password hash (as Django's session auth hash is): it changes
    whenever the password does, and reveals nothing of it."""
    return salted_hmac(FINGERPRINT_SALT, password_hash, algorithm="sha256").hexdigest()


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
        if token is None or not token.user.is_active:
            raise AuthenticationFailed("Invalid token.")
        if not constant_time_compare(token.password_fingerprint, password_fingerprint(token.user.password)):
            raise AuthenticationFailed(
                "This API token ended when its holder's password changed: ask for a new one (openraa api_token)"
            )
        if token.created < timezone.now() - lifetime():
            raise AuthenticationFailed(
                "This API token has expired: ask an administrator for a new one (openraa api_token)"
            )
        if getattr(settings, "OPENRAA_REQUIRE_2FA", True) and not user_has_device(token.user, confirmed=True):
            raise AuthenticationFailed("API tokens are only for staff who have set up two-factor sign-in")
        return token.user, token


def issue(user) -> ApiToken:
    """A new token for the user; any earlier one stops working. The token itself is on the returned
    object as `key`, once: only its digest is stored."""
    if getattr(settings, "OPENRAA_REQUIRE_2FA", True) and not user_has_device(user, confirmed=True):
        raise ValueError(f"{user.username} has not set up two-factor sign-in: sign in once and set it up first")
    key = secrets.token_urlsafe(32)
    ApiToken.objects.filter(user=user).delete()
    token = ApiToken.objects.create(
        user=user, digest=digest(key), password_fingerprint=password_fingerprint(user.password), created=timezone.now()
    )
    token.key = key
    return token
