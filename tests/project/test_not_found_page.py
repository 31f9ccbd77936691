"""A missing record is answered with the site's own "Page not found", with DEBUG on (the demo) as in
production (issue 17): never Django's technical page, which lists every URL of the service."""

import pytest
from django.test import override_settings

from openraa.people.roles import Role
from tests import builders


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("path", ["/children/999999/", "/children/999999/edit/", "/households/999999/"])
def test_a_missing_record_is_the_sites_own_page_not_found(aim, client_for, debug, path):
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    with override_settings(DEBUG=debug):
        response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no such page, or no record here that you may see." in page
    assert "URLconf" not in page and "technical_404" not in page
    assert response.templates[0].name == "404.html"


@pytest.mark.django_db
def test_another_agencys_record_is_the_same_page_as_a_missing_one_with_debug_on(aim, client_for):
    other = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    child = builders.child(other, council_name="Sefton")
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    with override_settings(DEBUG=True):
        hidden, missing = client.get(f"/children/{child.pk}/"), client.get("/children/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert builders.page_html(hidden) == builders.page_html(missing)


@pytest.mark.django_db
def test_an_address_that_matches_no_url_keeps_djangos_page_for_developers_with_debug_on(aim, client_for):
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    with override_settings(DEBUG=True):
        response = client.get("/no-such-area/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()
