"""API tokens for machine clients: they expire, and only staff who have set up two-factor sign-in
may hold one (a token cannot be a way around the second factor). Issued by `openraa api_token`."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_otp import user_has_device
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

DEFAULT_LIFETIME_DAYS = 30


def lifetime() -> timedelta:
    return timedelta(days=getattr(settings, "OPENRAA_API_TOKEN_DAYS", DEFAULT_LIFETIME_DAYS))


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token.created < timezone.now() - lifetime():
            raise AuthenticationFailed("This API token has expired: ask an administrator for a new one (openraa api_token)")
        if getattr(settings, "OPENRAA_REQUIRE_2FA", True) and not user_has_device(user, confirmed=True):
            raise AuthenticationFailed("API tokens are only for staff who have set up two-factor sign-in")
        return user, token


def issue(user) -> Token:
    """A new token for the user; any earlier one stops working."""
    if getattr(settings, "OPENRAA_REQUIRE_2FA", True) and not user_has_device(user, confirmed=True):
        raise ValueError(f"{user.username} has not set up two-factor sign-in: sign in once and set it up first")
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
