"""Sessions end after inactivity; errors show and log no personal data."""

import logging
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from openraa.children import views as child_views
from openraa.people.roles import Role
from openraa.staff.models import StaffSession as Session
from tests import builders


def test_session_and_cookie_settings():
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert django_settings.SESSION_COOKIE_HTTPONLY
    assert not django_settings.DEBUG
    import openraa.settings as production

    if not production.DEBUG:
        assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE


@pytest.mark.django_db
def test_a_session_idle_for_30_minutes_ends_and_activity_keeps_it_alive(client_for, aim):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    client = client_for(worker)
    assert client.get("/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    # Each request pushes the expiry 30 minutes on.
    assert session.expire_date > timezone.now() + timedelta(minutes=29)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get("/").status_code == 200
    assert Session.objects.get(pk=session.pk).expire_date > timezone.now() + timedelta(minutes=29)
    # 30 minutes with no request: the session has expired and the next page asks to sign in.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.django_db
def test_an_unchanged_session_is_written_only_when_its_expiry_is_over_a_minute_old(client_for, aim):
    """Issue 18: a page does not rewrite its session row; the idle timeout still moves on."""
    client = client_for(builders.user(Role.SOCIAL_WORKER, aim))
    key = client.session.session_key
    client.get("/")
    written = timezone.now() + timedelta(minutes=29, seconds=30)  # within the minute: left alone
    Session.objects.filter(pk=key).update(expire_date=written)
    assert client.get("/").status_code == 200
    assert Session.objects.get(pk=key).expire_date == written
    stale = timezone.now() + timedelta(minutes=28, seconds=50)  # over a minute old: pushed on
    Session.objects.filter(pk=key).update(expire_date=stale)
    assert client.get("/").status_code == 200
    assert Session.objects.get(pk=key).expire_date > timezone.now() + timedelta(minutes=29, seconds=50)
    # A change to the session is written at once, however fresh its expiry: one made the usual way,
    # and one made inside a value (as mozilla-django-oidc keeps its states), which Django's own
    # `modified` flag does not see.
    Session.objects.filter(pk=key).update(expire_date=written)
    session = client.session
    session["states"] = {"first": "nonce"}
    session.save()
    assert Session.objects.get(pk=key).get_decoded()["states"] == {"first": "nonce"}
    Session.objects.filter(pk=key).update(expire_date=written)
    session = client.session
    session["states"]["second"] = "another"
    assert not session.modified
    session.save()
    assert Session.objects.get(pk=key).get_decoded()["states"] == {"first": "nonce", "second": "another"}


@pytest.mark.django_db
def test_a_server_error_shows_no_traceback_and_no_child_data(client_for, aim, monkeypatch, caplog):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    child = builders.child(aim, first_name="Zebediah", last_name="Uniquename")
    child.allocated_workers.add(worker)

    def explode(self, pk, **kwargs):
        raise RuntimeError("something broke")

    monkeypatch.setattr(child_views.ChildDetailView, "get_context_data", explode)
    client = client_for(worker)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(f"/children/{child.pk}/?q=Zebediah")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page and "RuntimeError" not in page
    assert "Zebediah" not in page and "Uniquename" not in page
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"/children/{child.pk}/" in logged
    assert "Zebediah" not in logged
    assert all(getattr(record, "request", None) is None for record in caplog.records if record.name == "django.request")


def test_the_filter_strips_query_strings_and_the_request():
    from openraa.security.logging import RedactPersonalDataFilter

    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/children/?q=Smith",), None
    )
    record.request = object()
    assert RedactPersonalDataFilter().filter(record)
    assert record.getMessage() == "Not Found: /children/?[redacted]"
    assert record.request is None
