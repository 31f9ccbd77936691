"""Family finding in the product: a child's shortlist with reasons, links for a whole sibling
group, expressions of interest, the household's view and the regional page."""

from datetime import date

import pytest

from openraa.children.models import Child
from openraa.matching.models import Interest
from openraa.people.roles import Role
from tests import builders


@pytest.fixture
def finder(aim):
    return builders.user(Role.FAMILY_FINDER, aim)


@pytest.fixture
def pool(aim):
    """A waiting child (born 2022, Knowsley's) and three approved households: one that fits, one in
    the birth family's council, and one approved only for older children."""
    child = builders.child(
        aim,
        "Knowsley",
        needs={"attachment": "medium"},
        birth_family_council=builders.council("Liverpool"),
        identification_risk=True,
    )
    fits = builders.household(aim, "Knowsley", capabilities={"attachment": "high"})
    near_birth_family = builders.household(
        aim, "Liverpool", postcode_district="L18", capabilities={"attachment": "high"}
    )
    older_only = builders.household(aim, "Knowsley", age_min=8, age_max=12, capabilities={"attachment": "high"})
    return child, fits, near_birth_family, older_only


@pytest.mark.django_db
def test_the_shortlist_ranks_only_households_that_break_no_hard_rule_and_explains(pool, finder, client_for):
    child, fits, near_birth_family, older_only = pool
    page = client_for(finder).get(f"/children/{child.pk}/matching/")
    assert page.status_code == 200
    ranked = [candidate.household_id for candidate, _ in page.context["candidates"]]
    assert ranked == [fits.reference]
    assert "meets 1 of 1 need" in page.content.decode()
    with_reasons = client_for(finder).get(f"/children/{child.pk}/matching/?excluded=1")
    reasons = dict(with_reasons.context["reasons"])
    assert set(reasons) == {near_birth_family.reference, older_only.reference}
    assert any("Liverpool" in text for text in reasons[near_birth_family.reference])
    assert any("8 to 12" in text for text in reasons[older_only.reference])


@pytest.mark.django_db
def test_a_sibling_group_to_be_placed_together_is_linked_as_one(aim, finder, client_for):
    group = builders.sibling_group(aim)
    older = builders.child(aim, sibling_group=group, date_of_birth=date(2020, 2, 2))
    younger = builders.child(aim, sibling_group=group)
    household = builders.household(aim, sibling_group_open=True)
    client = client_for(finder)
    page = client.get(f"/children/{younger.pk}/matching/")
    assert page.context["unit"].child_ids == [older.reference, younger.reference]
    assert [c.household_id for c, _ in page.context["candidates"]] == [household.reference]
    response = client.post(
        f"/children/{younger.pk}/matching/{household.pk}/link/",
        {"linked_on_0": "3", "linked_on_1": "3", "linked_on_2": "2025", "note": "Both children", "confirm": "yes"},
    )
    assert response.status_code == 302
    for child in (older, younger):
        child.refresh_from_db()
        assert child.stage == "linked" and child.household == household
    household.refresh_from_db()
    assert household.stage == "linked"
    # A household in an active link is not offered again.
    third = builders.child(aim)
    assert client.get(f"/children/{third.pk}/matching/").context["candidates"] == []


@pytest.mark.django_db
def test_a_household_not_open_to_siblings_is_excluded_for_a_group(aim, finder, client_for):
    group = builders.sibling_group(aim)
    child = builders.child(aim, sibling_group=group)
    builders.child(aim, sibling_group=group)
    builders.household(aim, sibling_group_open=False)
    page = client_for(finder).get(f"/children/{child.pk}/matching/")
    assert page.context["candidates"] == []


@pytest.mark.django_db
def test_an_expression_of_interest_is_recorded_and_the_link_closes_it(pool, finder, client_for):
    child, fits, *_ = pool
    client = client_for(finder)
    client.post(
        f"/children/{child.pk}/matching/{fits.pk}/interest/",
        {"direction": "from_household", "expressed_on_0": "1", "expressed_on_1": "2", "expressed_on_2": "2025"},
    )
    interest = Interest.objects.get()
    assert (interest.child, interest.household, interest.status) == (child, fits, "open")
    client.post(
        f"/children/{child.pk}/matching/{fits.pk}/link/",
        {"linked_on_0": "5", "linked_on_1": "2", "linked_on_2": "2025", "confirm": "yes"},
    )
    interest.refresh_from_db()
    assert interest.status == "linked"


@pytest.mark.django_db
def test_a_future_date_is_refused_and_nothing_is_linked(pool, finder, client_for):
    child, fits, *_ = pool
    response = client_for(finder).post(
        f"/children/{child.pk}/matching/{fits.pk}/link/",
        {"linked_on_0": "1", "linked_on_1": "1", "linked_on_2": "2099"},
    )
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()
    assert Child.objects.get(pk=child.pk).stage == "family_finding"


@pytest.mark.django_db
def test_the_household_sees_the_children_it_could_be_considered_for(pool, finder, client_for):
    child, fits, near_birth_family, _ = pool
    client = client_for(finder)
    rows = client.get(f"/households/{fits.pk}/matching/").context["rows"]
    assert [members[0] for _, _, members in rows] == [child]
    assert client.get(f"/households/{near_birth_family.pk}/matching/").context["rows"] == []


@pytest.mark.django_db
def test_the_regional_page_compares_the_optimum_with_first_come_first_served(pool, finder, client_for):
    page = client_for(finder).get("/matching/")
    assert page.status_code == 200
    suggested = page.context["suggested"]
    assert [row.members for row in suggested] == [[pool[0]]]
    assert suggested[0].suggested.household_id == pool[1].reference
    everyone = page.context["reach"][0]
    assert everyone["units"] == 1 and everyone["reached"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.BOARD_MEMBER, Role.FINANCE_OFFICER, Role.RECRUITMENT_ASSESSMENT]
)
def test_roles_without_matching_cannot_see_it(pool, aim, client_for, role):
    child = pool[0]
    client = client_for(builders.user(role, aim))
    assert client.get("/matching/").status_code == 403
    assert client.get(f"/children/{child.pk}/matching/").status_code == 403
