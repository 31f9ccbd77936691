"""No browser or proxy keeps what the application answers (issue 14): every page, API answer and
download carries Cache-Control: no-store; static files stay cacheable."""

import pytest
from django.urls import reverse

from openraa.people.roles import Role
from tests import builders
from tests.people.test_permission_matrix import NO_RECORD, OWN, QUERY, RECORD_LOOKUPS, _patterns


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_every_page_and_api_answer_to_a_signed_in_user_is_not_stored(region, client_for):
    client = client_for(builders.user(Role.ADMINISTRATOR, region["agency"][OWN]))
    stored = []
    for name, _route, _entry in _patterns():
        if name == "logout":
            continue
        kwargs = RECORD_LOOKUPS[name][0](region, OWN) if name in RECORD_LOOKUPS else NO_RECORD.get(name, {})
        url = reverse(name, kwargs=kwargs or None) + QUERY.get(name, "")
        response = client.get(url)
        if not no_store(response):
            stored.append(f"{url} ({response.status_code}): {response.get('Cache-Control')!r}")
    assert stored == []


@pytest.mark.django_db
def test_a_record_page_and_the_api_through_a_token_are_not_stored(aim, client_for, client):
    from rest_framework.test import APIClient

    from openraa.security import tokens

    worker = builders.user(Role.SOCIAL_WORKER, aim)
    child = builders.child(aim)
    page = client_for(worker).get(f"/children/{child.pk}/")
    assert page.status_code == 200 and no_store(page)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(worker).key}")
    answer = api.get(f"/api/children/{child.pk}/")
    assert answer.status_code == 200 and no_store(answer)


@pytest.mark.django_db
def test_static_files_stay_cacheable(client):
    response = client.get("/static/govuk/govuk-frontend.min.css")
    assert response.status_code == 200 and not no_store(response)
