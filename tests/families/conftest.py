import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache

from openraa.families import accounts
from openraa.families.models import AdopterAccount

ADOPTER_PASSWORD = "correct horse battery staple"


def make_account(household, email="family@example.org") -> AdopterAccount:
    return AdopterAccount.objects.create(household=household, email=email, password=make_password(ADOPTER_PASSWORD))


@pytest.fixture
def adopter_client(client):
    """A test client signed in as the household's family, both factors given (as accounts.complete does)."""

    def sign_in(account):
        session = client.session
        session[accounts.SESSION_ACCOUNT] = account.pk
        session.save()
        return client

    return sign_in


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The rate limits count in the cache, which outlives a test's transaction."""
    cache.clear()
    yield
    cache.clear()
