"""The children list's "Disability or complex needs" tag and filter: a disability need or any need
graded high, worked out for the rows shown (issue 18) and, as a filter, over the whole list."""

import pytest

from openraa.people.roles import Role
from tests import builders

TAG = "Disability or complex needs"


@pytest.mark.django_db
def test_the_tag_and_the_filter_pick_the_same_children(aim, client_for):
    disabled = builders.child(aim, first_name="Disabled", needs={"autism": "low"})
    high = builders.child(aim, first_name="High", needs={"attachment": "high"})
    plain = builders.child(aim, first_name="Plain", needs={"attachment": "medium"})
    none = builders.child(aim, first_name="Nothing")
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))

    rows = {row["child"].pk: row["child"].complex_needs for row in client.get("/children/").context["rows"]}
    assert rows == {disabled.pk: True, high.pk: True, plain.pk: False, none.pk: False}
    page = client.get("/children/").content.decode()
    assert page.count(TAG) == 2 + 1  # two rows, and the filter's own label

    filtered = client.get("/children/?disability=on").context["rows"]
    assert sorted(row["child"].pk for row in filtered) == sorted([disabled.pk, high.pk])


@pytest.mark.django_db
def test_children_sort_by_days_waiting_without_ordering_profiles_by_their_hidden_dates(aim, client_for):
    from datetime import date

    from openraa.children.selectors import child_list

    newer = builders.child(aim, "Knowsley", placement_order_on=date(2024, 9, 1))
    older = builders.child(aim, "Knowsley", placement_order_on=date(2023, 7, 1))
    profile = builders.child(aim, "Liverpool", placement_order_on=date(2023, 6, 1))  # longest, but a profile here
    user = builders.user(Role.FAMILY_FINDER, aim)
    assert list(child_list(user, sort="waiting")) == [older, newer, profile]
    page = builders.page_html(client_for(user).get("/children/?sort=waiting"))
    assert page.index(older.reference) < page.index(newer.reference) < page.index(profile.reference)
