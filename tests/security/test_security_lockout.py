"""Sign-in lock-out (django-axes): five wrong passwords lock a username from one address for 30 minutes."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from openraa.people.roles import Role
from tests import builders


@pytest.fixture
def lockout(settings):
    settings.AUTHENTICATION_BACKENDS = django_settings.AXES_BACKENDS
    from axes.utils import reset

    reset()
    return settings


def _sign_in(client, username, password):
    return client.post("/sign-in/", {"username": username, "password": password})


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_and_other_users_are_unaffected(client, aim, lockout):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    colleague = builders.user(Role.FAMILY_FINDER, aim)
    for _attempt in range(4):
        response = _sign_in(client, worker.username, "wrong-password")
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    response = _sign_in(client, worker.username, "wrong-password")  # the fifth
    assert response.status_code in {429, 403}
    page = response.content.decode()
    assert "You cannot sign in for 30 minutes" in page
    assert "Traceback" not in page

    # The right password is now refused too.
    response = _sign_in(client, worker.username, builders.PASSWORD)
    assert "You cannot sign in for 30 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session

    # Someone else signs in from the same address.
    response = _sign_in(client, colleague.username, builders.PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off(client, aim, lockout):
    from axes.models import AccessAttempt

    worker = builders.user(Role.SOCIAL_WORKER, aim)
    for _attempt in range(5):
        _sign_in(client, worker.username, "wrong-password")
    assert "You cannot sign in" in _sign_in(client, worker.username, builders.PASSWORD).content.decode()
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    response = _sign_in(client, worker.username, builders.PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(worker.pk)


def test_lockout_settings():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=30) == django_settings.AXES_COOLOFF_TIME
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert django_settings.AXES_BACKENDS[0].startswith("axes.backends.")
