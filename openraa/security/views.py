"""Two-factor authentication pages: enter a code from an authenticator app, or set one up; and
signing in with a council account (single sign-on, security/oidc.py)."""

import base64
import logging
import re

import django_otp
import qrcode
import qrcode.image.svg
import requests
from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django_otp.plugins.otp_totp.models import TOTPDevice
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from openraa.security import oidc
from openraa.web.forms import GovukForm

logger = logging.getLogger("openraa.security")


class TokenForm(GovukForm, forms.Form):
    token = forms.CharField(
        label="Security code",
        max_length=6,
        min_length=6,
        help_text="The 6-digit code shown in your authenticator app",
        error_messages={
            "required": "Enter the 6-digit security code from your authenticator app",
            "min_length": "Enter the 6-digit security code from your authenticator app",
        },
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "class": "govuk-input govuk-input--width-5",
                "spellcheck": "false",
            }
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not re.fullmatch(r"[0-9]{6}", token):  # isdigit() would pass '²', which no code holds
            raise forms.ValidationError("Enter the 6-digit security code from your authenticator app")
        return token


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _check(device, form):
    """Validate the token against the device; django-otp throttles repeated wrong codes."""
    if not form.is_valid():
        return False
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        form.add_error("token", "Too many wrong codes. Wait a minute, then enter the code your app shows now")
        return False
    if not device.verify_token(form.cleaned_data["token"]):
        form.add_error("token", "The security code is wrong or has expired. Enter the code your app shows now")
        return False
    return True


class TwoFactorView(View):
    openraa_public = True  # DenyByDefaultMiddleware lets it through; it checks sign-in itself

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


class VerifyView(TwoFactorView):
    template_name = "security/otp_verify.html"

    def _device(self):
        return TOTPDevice.objects.filter(user=self.request.user, confirmed=True).first()

    def get(self, request):
        if self._device() is None:
            return redirect("otp-enrol")
        return render(request, self.template_name, {"form": TokenForm(), "next": _next(request)})

    def post(self, request):
        device = self._device()
        if device is None:
            return redirect("otp-enrol")
        form = TokenForm(request.POST)
        if _check(device, form):
            django_otp.login(request, device)
            return redirect(_next(request))
        return render(request, self.template_name, {"form": form, "next": _next(request)})


class EnrolView(TwoFactorView):
    template_name = "security/otp_enrol.html"

    def _device(self):
        user = self.request.user
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return None
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)

    def _page(self, request, device, form):
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
        svg = image.to_string(encoding="unicode")
        context = {
            "form": form,
            "next": _next(request),
            "secret": " ".join(_chunks(base64.b32encode(device.bin_key).decode("ascii"), 4)),
            "qr_code": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii"),
        }
        return render(request, self.template_name, context)

    def get(self, request):
        device = self._device()
        if device is None:
            return redirect("otp-verify")
        return self._page(request, device, TokenForm())

    def post(self, request):
        device = self._device()
        if device is None:
            return redirect("otp-verify")
        form = TokenForm(request.POST)
        if _check(device, form):
            device.confirmed = True
            device.save()
            django_otp.login(request, device)
            return redirect(_next(request))
        return self._page(request, device, form)


def _chunks(text, size):
    return [text[i : i + size] for i in range(0, len(text), size)]


class CouncilSignInView(OIDCAuthenticationRequestView):
    """ "Sign in with your council account": off (404) unless single sign-on is configured."""

    openraa_public = True

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library's reads the endpoint from settings; it comes from discovery

    def get(self, request):
        if not oidc.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.endpoint("authorization_endpoint")
        except (requests.RequestException, ValueError, KeyError, ImproperlyConfigured):
            logger.warning("Single sign-on: the provider's discovery document could not be read", exc_info=True)
            return _refused(request, oidc.FAILED, status=502)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class CouncilSignInCallbackView(OIDCAuthenticationCallbackView):
    """Where the council's provider sends the person back. A refusal is a page that says why, never a 500."""

    openraa_public = True

    def get(self, request):
        if not oidc.enabled():
            raise Http404
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException, ValueError, KeyError, ImproperlyConfigured):
            # A state or nonce that does not match this browser's sign-in, a token that fails its
            # checks, or a provider that cannot be reached.
            logger.warning("Single sign-on failed", exc_info=True)
            return _refused(request, oidc.FAILED, status=400)

    def login_failure(self):
        return _refused(self.request, getattr(self.request, "openraa_sso_refusal", oidc.FAILED), status=403)

    def login_success(self):
        response = super().login_success()
        if getattr(self.request, "openraa_sso_mfa", False):
            self.request.session[oidc.PROVIDER_MFA_SESSION_KEY] = True
        return response


def _refused(request, reason, status):
    return render(request, "security/sso_refused.html", {"message": oidc.REFUSALS[reason]}, status=status)
