"""The one-time link that lets an invited member of staff set their password.

Django's password-reset tokens, under their own salt so a reset token is never an invitation: a
token is a keyed hash of the account's password and last sign-in, so it stops working once the
password is set (used twice is refused) and after PASSWORD_RESET_TIMEOUT (OPENRAA_INVITATION_DAYS)."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from openraa.people.models import User


class InvitationTokens(PasswordResetTokenGenerator):
    key_salt = "openraa.staff.invitations"


tokens = InvitationTokens()


def link_path(user: User) -> str:
    return reverse("staff:welcome", args=[urlsafe_base64_encode(force_bytes(user.pk)), tokens.make_token(user)])


def invited_user(uid: str, token: str) -> User | None:
    """The active account this link was made for, while the link is valid; None otherwise."""
    try:
        pk = int(urlsafe_base64_decode(uid).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    return user if user is not None and tokens.check_token(user, token) else None
