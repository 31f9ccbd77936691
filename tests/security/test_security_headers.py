"""Security headers on every page: a strict Content Security Policy and the browser hardening headers."""

import re
from pathlib import Path

import pytest

from openraa.people.roles import Role
from tests import builders

TEMPLATES = Path(__file__).resolve().parents[2] / "openraa" / "templates"


@pytest.mark.django_db
def test_a_page_carries_the_strict_policy_and_hardening_headers(client_for, aim):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    response = client_for(worker).get("/")
    assert response.status_code == 200
    policy = {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in response["Content-Security-Policy"].split("; ")}
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_sign_in_page_has_the_headers_too(client):
    response = client.get("/sign-in/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_hsts_is_sent_over_https_when_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/sign-in/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_production_settings_turn_hsts_on():
    import openraa.settings as production

    if production.DEBUG:  # pragma: no cover - the suite runs with OPENRAA_DEBUG unset
        pytest.skip("OPENRAA_DEBUG=1 in this environment")
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE


def test_no_template_has_inline_script_style_or_event_handler():
    offending = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for pattern in (r"\sstyle=", r"<style", r"<script(?![^>]*\ssrc=)[^>]*>", r"\son[a-z]+=\""):
            if re.search(pattern, text):
                offending.append(f"{template.relative_to(TEMPLATES)}: {pattern}")
    assert offending == []


def _production_settings(monkeypatch, **environment) -> dict:
    """openraa/settings.py as production reads it with the environment given."""
    import runpy

    monkeypatch.delenv("OPENRAA_DEBUG", raising=False)
    for name in ("OPENRAA_TLS_PROXY", "OPENRAA_SSL_REDIRECT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    import openraa.settings

    return runpy.run_path(openraa.settings.__file__)


@pytest.mark.django_db
def test_behind_a_tls_proxy_production_redirects_plain_http_and_sends_hsts(client, settings, monkeypatch):
    production = _production_settings(monkeypatch, OPENRAA_TLS_PROXY="1")
    assert production["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert (
        production["SECURE_SSL_REDIRECT"] and production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    )
    for name in (
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "SECURE_REDIRECT_EXEMPT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    ):
        setattr(settings, name, production[name])
    proxied = client.get("/sign-in/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    plain = client.get("/sign-in/", HTTP_X_FORWARDED_PROTO="http")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert client.get("/health/").status_code == 200  # the proxy's probe over plain HTTP


def test_without_a_proxy_the_forwarded_header_is_not_trusted(monkeypatch):
    production = _production_settings(monkeypatch)
    assert "SECURE_PROXY_SSL_HEADER" not in production and not production["SECURE_SSL_REDIRECT"]
    assert not _production_settings(monkeypatch, OPENRAA_TLS_PROXY="1", OPENRAA_SSL_REDIRECT="0")["SECURE_SSL_REDIRECT"]
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
