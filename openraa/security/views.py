"""Two-factor authentication pages: enter a code from an authenticator app, or set one up; and
signing in with a council account (single sign-on, security/oidc.py)."""

import base64
import logging
import re
from urllib.parse import parse_qs, urlsplit

import django_otp
import qrcode
import qrcode.image.svg
import requests
from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView
from django_otp.plugins.otp_totp.models import TOTPDevice
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView, OIDCLogoutView

from openraa.people import policy
from openraa.security import oidc, services
from openraa.security.forms import ProviderForm
from openraa.security.models import SignInProvider
from openraa.web.forms import GovukForm, add_errors
from openraa.web.views import PolicyView

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
    """ "Sign in with <council> account": sends the browser to that council's provider (?provider= the
    SignInProvider's id; without it, the environment's provider). 404 for a provider not offered."""

    openraa_public = True

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library's reads the endpoint from settings; it comes from discovery

    def get(self, request):
        provider = oidc.provider_by_key(request.GET.get("provider") or oidc.ENVIRONMENT)
        if provider is None:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.discovery(provider.issuer)["authorization_endpoint"]
        except (requests.RequestException, ValueError, KeyError, TypeError, ImproperlyConfigured):
            logger.warning(
                "Single sign-on: the discovery document of %s could not be read", provider.issuer, exc_info=True
            )
            return _refused(request, oidc.FAILED, status=502)
        if not oidc.client_secret(provider):
            logger.error("Single sign-on: the client secret of %s is not set in the environment", provider.audit_label)
            return _refused(request, oidc.FAILED, status=502)
        self.OIDC_RP_CLIENT_ID = provider.client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        oidc.remember_start(request.session, state, provider)
        return response


class CouncilSignInCallbackView(OIDCAuthenticationCallbackView):
    """Where every council's provider sends the person back: the state says which provider it was.
    A refusal is a page that says why, never a 500."""

    openraa_public = True

    def get(self, request):
        if not oidc.enabled():
            raise Http404
        provider = oidc.provider_of_return(request.session, request.GET.get("state", ""))
        if provider is None:
            # A state this browser never sent out (or sent out to a provider since withdrawn).
            logger.warning("Single sign-on: a return with a state this browser did not send")
            return _refused(request, oidc.FAILED, status=400)
        request.openraa_sso_provider = provider
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
        session, provider = self.request.session, self.request.openraa_sso_provider
        if getattr(self.request, "openraa_sso_mfa", False):
            session[oidc.PROVIDER_MFA_SESSION_KEY] = True
        session[oidc.PROVIDER_SESSION_KEY] = provider.key
        try:
            ends_sessions = bool(oidc.discovery(provider.issuer).get("end_session_endpoint"))
        except (requests.RequestException, ValueError, ImproperlyConfigured):
            ends_sessions = False
        id_token = getattr(self.request, "openraa_sso_id_token", None)
        if ends_sessions and id_token:
            session[oidc.ID_TOKEN_SESSION_KEY] = id_token
        return response


class SignOutView(OIDCLogoutView):
    """Signing out (POST only, as before): ends the OpenRAA session and, after a single sign-on
    through a provider that can end its own (OIDC_OP_LOGOUT_URL_METHOD, oidc.provider_logout_url),
    sends the browser there to end that too."""

    openraa_public = True
    http_method_names = ["post"]


class ProvidersView(PolicyView, FormView):
    """An administrator's list of the member councils' single sign-on providers, and the form that
    adds one (or, with ?provider=<id>, changes that one). The service writes it, with its history."""

    permission = ("partnership", "change")
    template_name = "security/providers.html"
    form_class = ProviderForm

    def dispatch(self, request, *args, **kwargs):
        self.provider = None
        chosen = request.GET.get("provider")
        if chosen is not None:
            if not chosen.isdigit() or len(chosen) > 12:
                raise Http404
            mine = policy.restrict(SignInProvider.objects.all(), request.user, "partnership", "change")
            self.provider = get_object_or_404(mine, pk=int(chosen))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.request.user.agency, "instance": self.provider}

    def get_context_data(self, **kwargs):
        providers = SignInProvider.objects.filter(agency=self.request.user.agency).select_related("council")
        return super().get_context_data(
            providers=providers,
            provider=self.provider,
            callback=self.request.build_absolute_uri(reverse("oidc-callback")),
            signed_out=self.request.build_absolute_uri(reverse("login")),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.save_provider(form.save(commit=False), form.cleaned_data["also_allowed"], by=self.request.user)
        except ValidationError as refused:
            add_errors(form, refused)
            return self.form_invalid(form)
        messages.success(self.request, "The council's sign-in provider is saved")
        return redirect("sso-providers")


def _refused(request, reason, status):
    return render(request, "security/sso_refused.html", {"message": oidc.REFUSALS[reason]}, status=status)
