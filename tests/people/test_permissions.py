"""Who may see and change what, checked on the server role by role, own council and other council,
for pages and the API alike. Expectations come from the declared policy (people/roles.py), and the
issue's fixed promises are asserted on their own so a loosened policy cannot pass silently."""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from openraa.people.roles import POLICY, Role, Scope, scope_of
from tests import builders

RECORDS = {
    "child": ("/children/", "/api/children/"),
    "household": ("/households/", "/api/households/"),
}


@pytest.fixture
def region(aim):
    other_agency = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    return {
        "agency": aim,
        "child": {
            "Knowsley": builders.child(aim, "Knowsley"),
            "Liverpool": builders.child(aim, "Liverpool"),
            "other_agency": builders.child(other_agency, "Sefton"),
        },
        "household": {
            "Knowsley": builders.household(aim, "Knowsley"),
            "Liverpool": builders.household(aim, "Liverpool"),
            "other_agency": builders.household(other_agency, "Sefton"),
        },
    }


def expected_status(role: Role, resource: str, action: str, own: bool, api: bool = False) -> int:
    scope = scope_of(role, resource, action)
    if scope is None:
        return 403
    if scope == Scope.OWN_COUNCIL and not own:
        return 404  # the same answer as "does not exist": no hint that the record is there
    # The information-sharing defaults: another council's child is an anonymised profile on its
    # page, and neither changed nor served by the API (which has only whole records).
    if resource == "child" and not own and (api or action != "view"):
        return 404
    return 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("resource", ["child", "household"])
def test_pages_and_api_obey_the_policy_for_own_and_other_council(region, client_for, role, resource):
    user = builders.user(role, region["agency"], employer="Knowsley")
    client = client_for(user)
    page_root, api_root = RECORDS[resource]
    for council, own in (("Knowsley", True), ("Liverpool", False)):
        record = region[resource][council]
        view = expected_status(role, resource, "view", own)
        assert client.get(f"{page_root}{record.pk}/").status_code == view, (role, council, "page")
        api_view = expected_status(role, resource, "view", own, api=True)
        assert client.get(f"{api_root}{record.pk}/").status_code == api_view, (role, council, "api")
        change = expected_status(role, resource, "change", own)
        assert client.get(f"{page_root}{record.pk}/edit/").status_code == change, (role, council, "edit")
        patch = client.patch(
            f"{api_root}{record.pk}/",
            {"version": type(record).objects.get(pk=record.pk).version},
            content_type="application/json",
        )
        assert patch.status_code == change, (role, council, "api patch")
    listing = client.get(page_root)
    assert listing.status_code == (200 if scope_of(role, resource, "view") else 403)
    # Another agency's record is never visible, whatever the role.
    stranger = region[resource]["other_agency"]
    assert client.get(f"{page_root}{stranger.pk}/").status_code in (403, 404)
    assert client.get(f"{api_root}{stranger.pk}/").status_code in (403, 404)


@pytest.mark.django_db
def test_a_council_social_worker_sees_only_their_own_councils_children(region, client_for):
    worker = builders.user(Role.SOCIAL_WORKER, region["agency"], employer="Liverpool")
    client = client_for(worker)
    listing = client.get("/children/")
    shown = {child.pk for child in listing.context["page"]}
    assert shown == {region["child"]["Liverpool"].pk}
    api = client.get("/api/children/").json()
    assert [row["id"] for row in api["results"]] == [region["child"]["Liverpool"].pk]
    assert client.get(f"/children/{region['child']['Knowsley'].pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.FINANCE_OFFICER])
def test_board_members_and_finance_officers_never_see_a_childs_record(region, client_for, role):
    client = client_for(builders.user(role, region["agency"]))
    child = region["child"]["Knowsley"]
    for url in ("/children/", f"/children/{child.pk}/", "/api/children/", f"/api/children/{child.pk}/"):
        assert client.get(url).status_code == 403, url
    home = client.get("/")
    assert home.status_code == 200
    assert child.first_name not in home.content.decode()
    assert child.reference not in home.content.decode()


@pytest.mark.django_db
def test_a_social_worker_cannot_create_a_child_for_another_council(region, client_for):
    worker = builders.user(Role.SOCIAL_WORKER, region["agency"], employer="Liverpool")
    response = client_for(worker).post(
        "/api/children/",
        {
            "responsible_council": "E08000011",
            "first_name": "Jo",
            "last_name": "Test",
            "date_of_birth": "2023-01-01",
            "sex": "2",
            "ethnicity": "WBRI",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "responsible_council" in response.json()


@pytest.mark.django_db
def test_nobody_can_delete_a_record_through_the_api(region, client_for):
    admin = builders.user(Role.ADMINISTRATOR, region["agency"])
    child = region["child"]["Knowsley"]
    assert client_for(admin).delete(f"/api/children/{child.pk}/").status_code in (403, 405)
    child.refresh_from_db()


@pytest.mark.django_db
def test_restricted_fields_are_hidden_from_roles_without_the_grant(region, client_for):
    child = region["child"]["Knowsley"]
    adviser = client_for(builders.user(Role.PANEL_ADVISER, region["agency"]))
    body = adviser.get(f"/api/children/{child.pk}/").json()
    assert "first_name" not in body and "birth_mother_name" not in body
    page = adviser.get(f"/children/{child.pk}/").content.decode()
    assert child.last_name not in page
    manager = client_for(builders.user(Role.TEAM_MANAGER, region["agency"], username="tm"))
    assert manager.get(f"/api/children/{child.pk}/").json()["last_name"] == child.last_name


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in_and_the_api_refuses_them(region, client):
    child = region["child"]["Knowsley"]
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    assert client.get(f"/api/children/{child.pk}/").status_code in (401, 403)


def _all_patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_page_declares_a_policy_or_is_marked_public():
    """Deny by default: a page added without a permission would be refused by the middleware, and
    this names it so the author declares one."""
    from rest_framework.views import APIView

    undeclared = []
    for route, callback in _all_patterns():
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if getattr(callback, "openraa_public", False) or getattr(view_class, "openraa_public", False):
            continue
        if view_class is not None and issubclass(view_class, APIView):
            if not getattr(view_class, "policy_resource", None):
                undeclared.append(route)
            continue
        if getattr(view_class, "permission", None) is None and getattr(callback, "permission", None) is None:
            undeclared.append(route)
    assert undeclared == []


def test_the_policy_names_every_role_and_gives_no_record_to_board_or_finance():
    assert set(POLICY) == set(Role)
    for role in (Role.BOARD_MEMBER, Role.FINANCE_OFFICER):
        assert scope_of(role, "child", "view") is None
        assert scope_of(role, "household", "view") is None
    assert scope_of(Role.SOCIAL_WORKER, "child", "view") == Scope.OWN_COUNCIL


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_panel_pages_obey_the_policy(aim, client_for, role):
    from openraa.journeys.models import AgendaItem, PanelMeeting

    meeting = PanelMeeting.objects.create(agency=aim, held_on=date(2025, 3, 3))
    item = AgendaItem.objects.create(meeting=meeting, kind="review", household=builders.household(aim))
    client = client_for(builders.user(role, aim))
    for url, action in (
        ("/panels/", "view"),
        (f"/panels/{meeting.pk}/", "view"),
        ("/panels/new/", "add"),
        (f"/panels/decisions/{item.pk}/", "decide"),
    ):
        expected = 200 if scope_of(role, "panel", action) else 403
        assert client.get(url).status_code == expected, (role, url)


@pytest.mark.django_db
def test_board_members_see_small_numbers_suppressed_on_the_home_page(aim, client_for):
    builders.child(aim, "Knowsley")  # one child in family finding: a small number
    board = client_for(builders.user(Role.BOARD_MEMBER, aim)).get("/")
    family_finding = next(row for row in board.context["tables"][0][1] if row["stage"] == "family_finding")
    assert family_finding["cells"][0] == "<5" and family_finding["total"] == "<5"
    manager = client_for(builders.user(Role.TEAM_MANAGER, aim, username="tm")).get("/")
    row = next(row for row in manager.context["tables"][0][1] if row["stage"] == "family_finding")
    assert row["total"] == "1"
