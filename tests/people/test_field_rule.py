"""One rule for what a person may see of a record (people/policy.py `hidden_fields`), applied by every
renderer: the findings of issue 14 that reached people inside the agency, each as a regression test.
tests/project/test_canary_crawl.py checks the whole class across every page, download, API call and e-mail."""

from datetime import date

import pytest

from openraa.children.models import Child
from openraa.children.services import save_child
from openraa.matching.engine import IDENTIFICATION_REASON
from openraa.people import policy
from openraa.people.roles import Role
from openraa.people.sharing import ChildAccess
from tests import builders


@pytest.fixture
def liverpool_child(aim):
    child = builders.child(
        aim,
        "Liverpool",
        first_name="Robin",
        last_name="Testchild",
        date_of_birth=date(2019, 5, 1),
        birth_mother_name="Pat Testmother",
        council_child_id="LPL0042",
    )
    child.birth_father_name = "Lee Testfather"
    return save_child(child, expected_version=child.version, by=None)


@pytest.mark.django_db
def test_a_stale_save_does_not_quote_birth_parents_to_someone_who_may_not_see_them(aim, client_for, liverpool_child):
    admin = builders.user(Role.ADMINISTRATOR, aim, employer="Liverpool")  # sees the record, not the birth family
    refused = client_for(admin).patch(
        f"/api/children/{liverpool_child.pk}/", {"version": 0}, content_type="application/json"
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Someone else saved this record" in body and "Lee Testfather" not in body and "(restricted)" in body
    # The council's social worker, who may see the birth family, is told what changed.
    worker = builders.user(Role.SOCIAL_WORKER, aim, employer="Liverpool")
    told = client_for(worker).patch(
        f"/api/children/{liverpool_child.pk}/", {"version": 0}, content_type="application/json"
    )
    assert told.status_code == 400 and "Lee Testfather" in told.content.decode()


@pytest.mark.django_db
def test_the_children_list_shows_a_profile_as_a_profile(aim, client_for, liverpool_child):
    finder = builders.user(Role.FAMILY_FINDER, aim, employer="Knowsley")
    own = builders.child(aim, "Knowsley", first_name="Jo", date_of_birth=date(2019, 5, 1))
    client = client_for(finder)
    page = client.get("/children/")
    rows = {row["child"].pk: row for row in page.context["rows"]}
    assert rows[own.pk]["council"] == "Knowsley" and rows[own.pk]["age"].isdigit() and rows[own.pk]["name"]
    profile = rows[liverpool_child.pk]
    assert profile["council"] is None and profile["name"] is None and profile["age"] == "5 to 9"
    html = builders.page_html(page)
    assert "Robin" not in html and "Liverpool</td>" not in html
    # Filtering by council must not sort out what the rows hide.
    liverpool = liverpool_child.responsible_council
    found = client.get("/children/", {"council": liverpool.pk}).context["rows"]
    assert liverpool_child.pk not in {row["child"].pk for row in found}


@pytest.mark.django_db
def test_why_a_household_was_excluded_does_not_say_where_the_birth_family_lives(aim, client_for):
    child = builders.child(
        aim,
        "Liverpool",
        birth_family_council=builders.council("Knowsley"),
        identification_risk=True,
        birth_family_postcode_district="L36",
    )
    builders.household(aim, "Knowsley")  # lives in the birth family's council
    for role, employer, reveals in (
        (Role.FAMILY_FINDER, "Knowsley", False),
        (Role.ADM, "Liverpool", False),
        (Role.FAMILY_FINDER, "Liverpool", True),
    ):
        reader = builders.user(role, aim, employer=employer, username=f"{role}.{employer}")
        html = client_for(reader).get(f"/children/{child.pk}/matching/", {"excluded": "1"}).content.decode()
        assert ("an excluded area" in html) == reveals, (role, employer)
        assert (IDENTIFICATION_REASON in html) != reveals, (role, employer)


@pytest.mark.django_db
def test_the_api_drops_what_the_reader_may_not_see_record_by_record(aim, client_for, liverpool_child):
    adviser = builders.user(Role.PANEL_ADVISER, aim, employer="Liverpool")
    data = client_for(adviser).get(f"/api/children/{liverpool_child.pk}/").json()
    assert "first_name" not in data and "birth_mother_name" not in data and data["reference"]


@pytest.mark.django_db
def test_every_role_sees_exactly_the_fields_its_access_opens(aim, liverpool_child):
    """Every role, in the child's council or not, allocated or not: names only with the identity,
    birth family only with its grant, and nothing but the profile of another council's child."""
    for role in Role:
        for employer in ("Knowsley", "Liverpool"):
            reader = builders.user(role, aim, employer=employer)
            for allocated in (False, True):
                if allocated:
                    liverpool_child.allocated_workers.add(reader)
                child = Child.objects.get(pk=liverpool_child.pk)
                hidden, access = policy.hidden_fields(reader, child), policy.child_access(reader, child)
                assert ("first_name" in hidden) == (access < ChildAccess.IDENTITY), (role, employer)
                assert ("birth_father_name" in hidden) == (access < ChildAccess.BIRTH_FAMILY), (role, employer)
                assert ("date_of_birth" in hidden) == (access <= ChildAccess.PROFILE), (role, employer)
            liverpool_child.allocated_workers.remove(reader)


@pytest.mark.django_db
@pytest.mark.parametrize("cross_council", [False, True])
def test_a_list_s_shared_answers_are_each_child_s_own_answer(aim, cross_council):
    """Issue 18: a list works out what is hidden once per kind of row and reuses it; for every role,
    council and kind of child (allocated, sealed, another council's) that must equal asking afresh
    of the child alone."""
    from openraa.children.selectors import children_for
    from openraa.people.models import InformationSharing

    InformationSharing.objects.create(agency=aim, cross_council=cross_council)
    staff = [
        builders.user(role, aim, employer, username=f"{role}.{employer}")
        for role in (Role.SOCIAL_WORKER, Role.FAMILY_FINDER, Role.TEAM_MANAGER, Role.ADMINISTRATOR, Role.ADM)
        for employer in ("Knowsley", "Liverpool")
    ]
    adopted = {
        "household": builders.household(aim, "Knowsley"),
        "linked_on": date(2024, 1, 8),
        "matching_panel_on": date(2024, 2, 5),
        "matched_on": date(2024, 2, 12),
        "placed_on": date(2024, 3, 1),
        "adoption_order_on": date(2024, 9, 2),
    }
    children = [
        builders.child(aim, council, first_name=f"Row{n}", **(adopted if n % 4 == 3 else {}))
        for n, council in enumerate(["Knowsley", "Liverpool"] * 4)
    ]
    children[1].allocated_workers.add(*staff)  # another council's child, allocated to everyone
    for user in staff:
        listed = list(policy.with_child_access(children_for(user), user))
        alone = {
            c.pk: policy.hidden_fields(type(user).objects.get(pk=user.pk), Child.objects.get(pk=c.pk)) for c in listed
        }
        assert {c.pk: policy.hidden_fields(user, c) for c in listed} == alone, user
        assert {c.pk: policy.hidden_fields(user, c, opened=True) for c in listed} == {
            c.pk: policy.hidden_fields(type(user).objects.get(pk=user.pk), Child.objects.get(pk=c.pk), opened=True)
            for c in listed
        }, user
