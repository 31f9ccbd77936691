"""Security middleware: the Permissions-Policy header, no caching of what the application
answers, refusing NUL characters, and two-factor enforcement."""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import devices_for_user

from openraa.security.oidc import PROVIDER_MFA_SESSION_KEY

# Powerful browser features the service never uses; each is switched off for every origin.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class NoStoreMiddleware:
    """Nothing the application answers is kept by a browser's or a proxy's cache (Cache-Control:
    no-store and its companions): a record page or API answer must not be readable from a shared
    computer's cache, or by the back button, after sign-out. Deny by default, so every page, the API
    and every download are covered, public pages too (they are small and hold a CSRF token). Static
    files are answered by WhiteNoise, placed before this, and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class RefuseNulCharactersMiddleware:
    """No text anyone types contains a NUL character, and PostgreSQL can neither store nor compare
    one: a query string or form holding one is refused whole, before any view reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = [request.GET]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            fields.append(request.POST)
        for data in fields:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return HttpResponseBadRequest(
                        "The request held a NUL character, which no field accepts. Nothing was changed.",
                        content_type="text/plain; charset=utf-8",
                    )
        return self.get_response(request)


# Pages an authenticated user who has not yet given a code may still reach.
TWO_FACTOR_OPEN = {"login", "logout", "health", "otp-verify", "otp-enrol"}


class RequireTwoFactorMiddleware:
    """Deny by default: a signed-in user who has not given a two-factor code this session is sent to
    the code page (or to set up an authenticator app first) from every page except sign-in and
    sign-out, the two-factor pages, the health check and public pages. A single sign-on whose provider
    did multi-factor authentication counts as given. Static files are served by WhiteNoise before this
    runs. OPENRAA_REQUIRE_2FA=False switches it off (the test suite)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(settings, "OPENRAA_REQUIRE_2FA", True):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if request.session.get(PROVIDER_MFA_SESSION_KEY):
            return None  # signed in through a council's provider that asked for a second factor (security/oidc.py)
        match = request.resolver_match
        if match is not None and match.url_name in TWO_FACTOR_OPEN:
            return None
        view_class = getattr(view_func, "view_class", None)
        if getattr(view_func, "openraa_public", False) or getattr(view_class, "openraa_public", False):
            return None
        target = "otp-verify" if any(devices_for_user(user, confirmed=True)) else "otp-enrol"
        next_url = request.get_full_path()
        if request.method != "GET" or not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
            next_url = reverse("home")
        return redirect(f"{reverse(target)}?{urlencode({'next': next_url})}")
