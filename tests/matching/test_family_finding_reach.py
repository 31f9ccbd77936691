"""Family finding that reaches further: no waiting child invisible (blocked first, with what blocks
them and what would unblock them), interests and visits for the whole sibling group, closure with a
reason both workers read, the cap on open interests, confirmation before a link, offers to
neighbouring agencies that take them, and the profile pack."""

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openraa.audit.models import RecordView
from openraa.matching import engine, escalation
from openraa.matching.engine import core
from openraa.matching.models import Escalation, Interest, MatchingSettings
from openraa.people.roles import Role
from tests import builders


@pytest.fixture
def finder(aim):
    return builders.user(Role.FAMILY_FINDER, aim)


def _interest(client, child, household, day="2"):
    return client.post(
        f"/children/{child.pk}/matching/{household.pk}/interest/",
        {"direction": "from_agency", "expressed_on_0": day, "expressed_on_1": "2", "expressed_on_2": "2025"},
    )


@pytest.mark.django_db
def test_every_waiting_unit_is_listed_the_blocked_first_with_what_blocks_and_what_would_unblock(
    aim, finder, client_for
):
    group = builders.sibling_group(aim)
    older = builders.child(aim, sibling_group=group, date_of_birth=date(2017, 2, 2))
    builders.child(aim, sibling_group=group, date_of_birth=date(2019, 2, 2))
    single = builders.child(aim)
    # Approved for two children aged 0 to 6, not open to siblings: one rule away for the group.
    builders.household(aim, sibling_group_open=False, age_max=12)
    page = client_for(finder).get("/matching/")
    assert page.status_code == 200
    blocked = page.context["blocked"]
    assert [row.members[0] for row in blocked] == [older]
    assert "no approved household free to link accepts 2 brothers and sisters aged" in blocked[0].blocked_words
    assert blocked[0].unblock == ["1 household would be viable if open to a sibling group of 2"]
    listed = [row.members[0] for row in page.context["unsuggested"] + page.context["suggested"]]
    assert listed == [single]
    html = page.content.decode()
    assert "Open to a sibling group of 2" not in html or "Households open to a sibling group of 2" in html
    assert page.context["targets"][0].label == "households open to a sibling group of 2"


@given(
    st.lists(
        st.tuples(
            st.integers(1, 3), st.integers(0, 3), st.integers(0, 9), st.booleans(), st.sampled_from(["", "low", "high"])
        ),
        min_size=1,
        max_size=8,
    ),
    st.lists(st.tuples(st.integers(0, 12), st.integers(1, 2)), min_size=1, max_size=4),
)
@settings(max_examples=60, deadline=None)
def test_reach_agrees_with_the_hard_rules_household_by_household(households, units):
    pool = engine.HouseholdPool(
        [
            engine.Household(
                id=f"H{i}",
                approved_children=n,
                age_min=low,
                age_max=low + span,
                sibling_group_open=open_,
                capabilities={"attachment": level} if level else {},
            )
            for i, (n, low, span, open_, level) in enumerate(households)
        ]
    )
    us = [
        engine.Unit(id=f"U{i}", ages=[age] * size, needs={"attachment": "medium"})
        for i, (age, size) in enumerate(units)
    ]
    found = engine.reach(us, pool)
    for unit, r in zip(us, found):
        reasons = engine.exclusion_reasons(unit, pool)
        assert r.viable == len(pool) - len(reasons)
        # A household breaking exactly one rule is counted as one rule away under that rule.
        alone = sum(1 for words in reasons.values() if len(words) == 1)
        assert sum(b.alone for b in r.blockers) == alone
        assert r.blocked == (r.viable == 0)
    ok = core.feasible(
        core.UnitArrays(us, pool, engine.Weights(), engine.Settings()).rows(slice(None)),
        pool.columns(),
        engine.Settings(),
    )
    assert [r.viable for r in found] == ok.sum(axis=1).tolist()


@pytest.mark.django_db
def test_an_interest_belongs_to_the_whole_group_is_capped_and_is_closed_with_a_reason_both_sides_read(
    aim, finder, client_for
):
    group = builders.sibling_group(aim)
    one = builders.child(aim, sibling_group=group)
    other = builders.child(aim, sibling_group=group)
    household = builders.household(aim, sibling_group_open=True)
    client = client_for(finder)
    form = client.get(f"/children/{one.pk}/matching/{household.pk}/interest/")
    assert "breaks no hard rule" in form.content.decode() and "Open to brothers and sisters" in form.content.decode()
    assert _interest(client, one, household).status_code == 302
    # Recorded from one child, it is on the other's page too; a second is refused as already open.
    assert [i.household for i in client.get(f"/children/{other.pk}/matching/").context["interests"]] == [household]
    assert _interest(client, other, household).status_code == 200
    assert Interest.objects.count() == 1

    MatchingSettings.objects.create(agency=aim, max_open_interests=1)
    third = builders.child(aim)
    refused = _interest(client, third, household)
    assert "already holds 1 open interests" in refused.content.decode()
    assert Interest.objects.count() == 1

    interest = Interest.objects.get()
    empty = client.post(f"/matching/interests/{interest.pk}/close/", {"status": "declined"})
    assert empty.status_code == 200 and "Say why" in empty.content.decode()
    closed = client.post(
        f"/matching/interests/{interest.pk}/close/",
        {
            "status": "declined",
            "closed_on_0": "3",
            "closed_on_1": "2",
            "closed_on_2": "2025",
            "reason": "The children's worker wants a family nearer school",
        },
    )
    assert closed.status_code == 302
    interest.refresh_from_db()
    assert interest.status == "declined" and interest.closed_reason.startswith("The children's worker")
    household_page = client_for(builders.user(Role.TEAM_MANAGER, aim)).get(f"/households/{household.pk}/matching/")
    assert "a family nearer school" in household_page.content.decode()
    # Closed once is closed: the page for it is gone.
    assert client.get(f"/matching/interests/{interest.pk}/close/").status_code == 404


@pytest.mark.django_db
def test_a_link_waits_for_confirmation_and_closes_every_other_open_interest_with_the_reason(aim, finder, client_for):
    child = builders.child(aim)
    chosen = builders.household(aim)
    other_household = builders.household(aim)
    other_child = builders.child(aim)
    client = client_for(finder)
    _interest(client, child, chosen)
    _interest(client, child, other_household)
    _interest(client, other_child, chosen)
    data = {"linked_on_0": "5", "linked_on_1": "2", "linked_on_2": "2025"}
    confirm = client.post(f"/children/{child.pk}/matching/{chosen.pk}/link/", data)
    assert confirm.status_code == 200 and "Confirm the link" in confirm.content.decode()
    assert "2 other open interests" in confirm.content.decode()
    child.refresh_from_db()
    assert child.stage == "family_finding"
    assert (
        client.post(f"/children/{child.pk}/matching/{chosen.pk}/link/", {**data, "confirm": "yes"}).status_code == 302
    )
    outcome = {(i.child_id, i.household_id): i for i in Interest.objects.all()}
    assert outcome[child.pk, chosen.pk].status == "linked"
    for key in ((child.pk, other_household.pk), (other_child.pk, chosen.pk)):
        assert outcome[key].status == "closed" and "linked with" in outcome[key].closed_reason


@pytest.mark.django_db
def test_a_blocked_unit_is_offered_anonymised_to_agencies_that_take_offers_and_scored_there(aim, finder, client_for):
    neighbour = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    quiet = builders.agency("wir", councils=("Wirral",), host="Wirral")
    MatchingSettings.objects.create(agency=neighbour, receive_escalations=True)
    MatchingSettings.objects.create(agency=quiet)
    child = builders.child(aim, first_name="Unmistakable", needs={"attachment": "medium"})  # no household at home
    theirs = builders.household(neighbour, "Sefton", postcode_district="L20", capabilities={"attachment": "high"})

    assert escalation.escalate_due(aim, date(2023, 9, 20)) == []  # not waited long enough yet
    made = escalation.escalate_due(aim, date(2024, 1, 1))
    assert [(o.to_agency, o.unit_reference) for o in made] == [(neighbour, child.reference)]
    assert escalation.escalate_due(aim, date(2024, 1, 2)) == []  # offered once
    offer = made[0]
    profile = json.dumps(offer.profile)
    assert "Unmistakable" not in profile and "2022" not in profile and child.reference not in profile

    their_finder = builders.user(Role.FAMILY_FINDER, neighbour, "Sefton")
    client = client_for(their_finder)
    page = client.get("/matching/offers/")
    html = page.content.decode()
    assert page.status_code == 200 and theirs.reference in html and "Unmistakable" not in html
    assert RecordView.objects.filter(user=their_finder, record_id=child.pk, channel="profile").exists()
    assert client_for(builders.user(Role.FAMILY_FINDER, quiet, "Wirral")).get("/matching/offers/").context["rows"] == []
    # Another agency's offer cannot be acted on, nor another agency's household put forward.
    assert client_for(finder).get(f"/matching/offers/{offer.pk}/put-forward/{theirs.pk}/").status_code == 404
    client = client_for(their_finder)
    response = client.post(f"/matching/offers/{offer.pk}/put-forward/{theirs.pk}/", {"note": "Experienced"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Escalation.Status.PUT_FORWARD
    interests = client_for(finder).get(f"/children/{child.pk}/matching/").context["interests"]
    assert [i.household for i in interests] == [theirs]


@pytest.mark.django_db
def test_the_profile_pack_holds_the_blocked_units_anonymised_in_the_documented_format(aim, finder, client_for):
    blocked = builders.child(aim, first_name="Unmistakable", needs={"attachment": "high"})
    assert client_for(builders.user(Role.SOCIAL_WORKER, aim)).get("/matching/profile-pack.json").status_code == 403
    manager = finder
    response = client_for(manager).get("/matching/profile-pack.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    pack = json.loads(response.content)
    assert pack["format"] == escalation.PROFILE_PACK_FORMAT and pack["version"] == 1
    assert [p["children"] for p in pack["profiles"]] == [1]
    assert pack["profiles"][0]["needs"][0]["level"] == "high"
    assert "Unmistakable" not in response.content.decode() and blocked.reference not in response.content.decode()
    assert RecordView.objects.filter(user=manager, record_id=blocked.pk, channel="export").exists()
