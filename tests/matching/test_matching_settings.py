"""The agency's matching settings page: weights that change the ranking, distance rules, and the
neighbouring agencies whose households are searched only on mutual opt-in. Team managers and
administrators change them; family finders read them; every version is kept."""

from datetime import date, timedelta

import pytest
from django.test import Client

from openraa.matching.models import MatchingSettings
from openraa.people.roles import Role, scope_of
from tests import builders

WEIGHTS = {
    "needs": "25",
    "ethnicity": "15",
    "religion": "10",
    "language": "10",
    "distance": "15",
    "child_waiting": "5",
    "household_waiting": "10",
    "early_permanence": "10",
}


def form_data(**overrides):
    return {
        **WEIGHTS,
        "identification_radius_km": "40",
        "max_distance_km": "",
        "max_open_interests": "3",
        "escalate_after_days": "91",
        **overrides,
    }


@pytest.fixture
def pool(aim):
    """A waiting child with one need, and two approved households that can meet it: one with a level
    to spare but approved recently, one that just meets it but has waited years."""
    child = builders.child(aim, "Knowsley", needs={"attachment": "medium"})
    approved = date.today() - timedelta(days=200)
    spare = builders.household(
        aim,
        "Knowsley",
        capabilities={"attachment": "high"},
        stage2_ended_on=approved - timedelta(days=30),
        panel_on=approved - timedelta(days=10),
        approved_on=approved,
    )
    waited = builders.household(aim, "Knowsley", capabilities={"attachment": "medium"})
    return child, spare, waited


def shortlist(client, child):
    page = client.get(f"/children/{child.pk}/matching/")
    assert page.status_code == 200
    return {candidate.household_id: candidate for candidate, _ in page.context["candidates"]}


def factor_points(candidate, name):
    return next(f.points for f in candidate.factors if f.name == name)


def test_only_team_managers_and_administrators_configure_matching():
    granted = {role for role in Role if scope_of(role, "matching", "configure")}
    assert granted == {Role.TEAM_MANAGER, Role.ADMINISTRATOR}


@pytest.mark.django_db
def test_editing_the_weights_changes_the_shortlist_and_keeps_history(pool, aim, client_for):
    child, spare, waited = pool
    manager = builders.user(Role.TEAM_MANAGER, aim)
    client = client_for(manager)
    before = shortlist(client, child)
    assert list(before) == [spare.reference, waited.reference]  # the need met with a level to spare counts most
    assert factor_points(before[spare.reference], "needs") == pytest.approx(25)

    page = client.get("/matching/settings/")
    assert page.status_code == 200 and "The agency uses the defaults" in page.content.decode()
    assert client.get("/matching/settings/edit/").status_code == 200
    response = client.post("/matching/settings/edit/", form_data(needs="100", distance="0"))
    assert response.status_code == 302 and response.url == "/matching/settings/"
    after = shortlist(client, child)
    assert factor_points(after[spare.reference], "needs") == pytest.approx(100)
    assert all(factor_points(c, "distance") == 0 for c in after.values())
    assert after[spare.reference].points > before[spare.reference].points

    # Waiting counts for everything, needs for nothing: the household that has waited longest comes first.
    client.post("/matching/settings/edit/", form_data(needs="0", household_waiting="100"))
    reranked = shortlist(client, child)
    assert list(reranked) == [waited.reference, spare.reference]
    assert factor_points(reranked[spare.reference], "needs") == 0

    config = MatchingSettings.objects.get(agency=aim)
    assert (config.needs, config.household_waiting) == (0, 100)
    assert config.history.count() == 2
    assert {h.history_user for h in config.history.all()} == {manager}
    page = client.get("/matching/settings/").content.decode()
    assert "needs: 100.0 → 0.0" in page and "household_waiting: 10.0 → 100.0" in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.FAMILY_FINDER, Role.PANEL_ADVISER, Role.ADM])
def test_those_who_only_read_matching_see_the_settings_but_cannot_change_them(aim, client_for, role):
    client = client_for(builders.user(role, aim))
    page = client.get("/matching/settings/")
    assert page.status_code == 200
    assert "Change matching settings" not in page.content.decode()
    assert client.get("/matching/settings/edit/").status_code == 403
    assert client.post("/matching/settings/edit/", form_data(needs="100")).status_code == 403
    assert not MatchingSettings.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.BOARD_MEMBER, Role.FINANCE_OFFICER])
def test_roles_without_matching_cannot_read_the_settings(aim, client_for, role):
    client = client_for(builders.user(role, aim))
    assert client.get("/matching/settings/").status_code == 403
    assert client.get("/matching/settings/edit/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value, message",
    [
        ("needs", "101", "Meeting the child&#x27;s needs must be 100 points or less"),
        ("distance", "-1", "Distance from the child must be 0 points or more"),
        ("religion", "lots", "Religion must be a number, like 15"),
        ("language", "nan", "Language must be a number, like 15"),
        ("ethnicity", "", "Enter ethnicity"),
        ("identification_radius_km", "250", "Identification radius must be 200 km or less"),
        ("identification_radius_km", "-5", "Identification radius must be 0 km or more"),
    ],
)
def test_bad_settings_are_refused_with_the_error_summary(aim, client_for, field, value, message):
    client = client_for(builders.user(Role.ADMINISTRATOR, aim))
    response = client.post("/matching/settings/edit/", form_data(**{field: value}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and "<title>Error: " in body
    assert message in body
    assert f'href="#id_{field}"' in body
    assert not MatchingSettings.objects.exists()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_neighbours_households_are_searched_only_when_both_agencies_name_each_other(aim):
    neighbour = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    child = builders.child(aim, "Knowsley")
    theirs = builders.household(neighbour, "Sefton", postcode_district="L20")
    ours = signed_in(builders.user(Role.ADMINISTRATOR, aim))
    finder = signed_in(builders.user(Role.FAMILY_FINDER, aim))

    # The edit form offers the other agencies, never the agency itself.
    choices = {
        str(label) for _, label in ours.get("/matching/settings/edit/").context["form"].fields["share_with"].choices
    }
    assert choices == {neighbour.name}

    def theirs_offered():
        return theirs.reference in shortlist(finder, child)

    assert not theirs_offered()
    # This agency names the neighbour: not enough on its own.
    assert ours.post("/matching/settings/edit/", form_data(share_with=[neighbour.pk])).status_code == 302
    assert not theirs_offered()
    assert f"{neighbour.name} does not name {aim.name}" in finder.get("/matching/settings/").content.decode()

    # The neighbour names it back: now its households are searched.
    theirs_admin = signed_in(builders.user(Role.ADMINISTRATOR, neighbour, "Sefton"))
    assert theirs_admin.post("/matching/settings/edit/", form_data(share_with=[aim.pk])).status_code == 302
    assert theirs_offered()
    assert "Both agencies name each other" in finder.get("/matching/settings/").content.decode()
    # Another agency's household is linked outside this record: no actions are offered for it.
    assert f"/matching/{theirs.pk}/link/" not in finder.get(f"/children/{child.pk}/matching/").content.decode()

    # Either side withdrawing stops the search.
    manager = signed_in(builders.user(Role.TEAM_MANAGER, aim))
    assert manager.post("/matching/settings/edit/", form_data()).status_code == 302
    assert not theirs_offered()
    assert MatchingSettings.objects.get(agency=aim).history.count() >= 2


@pytest.mark.django_db
def test_the_regional_page_links_to_the_settings(aim, client_for):
    page = client_for(builders.user(Role.FAMILY_FINDER, aim)).get("/matching/")
    assert 'href="/matching/settings/"' in page.content.decode()
