"""Sign-ins and sign-outs go into the audit log, from Django's own signals (pages, and any other
way a session is opened)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from openraa.audit.models import SignInEvent


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    # Single sign-on (security/oidc.py) names its provider on the request; any other way in is a password.
    provider = getattr(request, "openraa_sso_provider_label", "")
    method = SignInEvent.Method.SINGLE_SIGN_ON if provider else SignInEvent.Method.PASSWORD
    SignInEvent.objects.create(user=user, kind=SignInEvent.Kind.SIGNED_IN, method=method, provider=provider)


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:  # signing out when not signed in is nobody's act
        SignInEvent.objects.create(user=user, kind=SignInEvent.Kind.SIGNED_OUT)


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    model = get_user_model()
    username = credentials.get(model.USERNAME_FIELD) or credentials.get("username")
    user = (
        model._default_manager.filter(**{model.USERNAME_FIELD: username}).first() if isinstance(username, str) else None
    )
    if user is not None:
        SignInEvent.objects.create(user=user, kind=SignInEvent.Kind.FAILED, method=SignInEvent.Method.PASSWORD)
