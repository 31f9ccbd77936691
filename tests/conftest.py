import pytest

from tests import builders


@pytest.fixture
def aim(db):
    """A hosted agency of two councils: Knowsley (host) and Liverpool."""
    return builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")


@pytest.fixture
def client_for(client):
    """Sign a test client in as the given user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
