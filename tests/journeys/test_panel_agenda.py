"""The agenda and the attendance of a panel as it runs: items found by reference or name among the
records at the right stage (names only where the policy shows them), added, moved and removed
before the meeting and never after; who attended recorded on the day, with the quorum and history."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from openraa.journeys import agenda, panels, services
from openraa.journeys.models import AgendaItem, PanelMember
from openraa.people import policy
from openraa.people.roles import Role
from tests import builders
from tests.journeys.panel_helpers import awaiting_panel, linked_child, meeting_of, members_of


@pytest.fixture
def adviser(aim):
    return builders.user(Role.PANEL_ADVISER, aim)


@pytest.fixture
def manager(aim):
    return builders.user(Role.TEAM_MANAGER, aim)


@pytest.fixture
def ahead(aim):
    return meeting_of(aim, timezone.localdate() + timedelta(days=14))


def test_the_stage_each_kind_of_item_needs():
    assert panels.stage_refusal("household_approval", "awaiting_panel", []) is None
    assert "not at the stage" in panels.stage_refusal("household_approval", "approved_waiting", [])
    assert panels.stage_refusal("review", "linked", []) is None
    assert "not at the stage" in panels.stage_refusal("review", "awaiting_panel", [])
    assert panels.stage_refusal("match", "linked", ["linked", "linked"]) is None
    assert "A child" in panels.stage_refusal("match", "linked", ["linked", "matched"])
    assert panels.stage_refusal("plan_change", None, ["placed"]) is None
    assert "A child" in panels.stage_refusal("plan_change", None, ["adopted"])


def test_the_agenda_is_open_until_the_meeting_date_has_passed_or_the_panel_recommended():
    day = date(2026, 5, 6)
    assert panels.agenda_refusal(day, day, recommended=False) is None  # on the day, before it sits
    assert panels.agenda_refusal(day, day - timedelta(days=30), recommended=False) is None
    assert "has met" in panels.agenda_refusal(day, day + timedelta(days=1), recommended=False)
    assert "has recommended" in panels.agenda_refusal(day, day, recommended=True)


def _refs(found):
    return [c.reference for c in found]


@pytest.mark.django_db
def test_each_kind_of_item_offers_only_records_at_its_stage(aim, adviser):
    ready = awaiting_panel(aim)
    approved = builders.household(aim)
    in_stage_2 = builders.household(aim, panel_on=None, approved_on=None, stage2_ended_on=None)
    for household in (ready, approved, in_stage_2):
        household.applicants.update(last_name="Samename")
    matched_household = builders.household(aim)
    child = linked_child(aim, matched_household)
    assert _refs(agenda.candidates(adviser, "household_approval", "Samename")) == [ready.reference]
    assert set(_refs(agenda.candidates(adviser, "review", "Samename"))) == {approved.reference}
    assert agenda.candidates(adviser, "household_approval", approved.reference) == []  # wrong stage by reference
    (match,) = agenda.candidates(adviser, "match", child.reference)  # a match: the household, found by its child
    assert match.reference == matched_household.reference and match.post == {
        "kind": "match",
        "household": matched_household.pk,
    }
    assert match.children[0].startswith(child.reference)
    assert agenda.candidates(adviser, "match", ready.reference) == []  # no child linked with it
    (plan,) = agenda.candidates(adviser, "plan_change", child.reference)
    assert plan.post == {"kind": "plan_change", "child_reference": child.reference}
    assert agenda.candidates(adviser, "household_approval", "") == []  # nothing without a search


@pytest.mark.django_db
def test_a_record_waiting_on_an_agenda_is_not_offered_again(aim, adviser, ahead):
    ready = awaiting_panel(aim)
    services.add_agenda_item(ahead, "household_approval", ready, [], by=adviser)
    assert agenda.candidates(adviser, "household_approval", ready.reference) == []
    other = meeting_of(aim, ahead.held_on + timedelta(days=28))
    with pytest.raises(ValidationError, match="already on a panel's agenda"):
        services.add_agenda_item(other, "household_approval", ready, [], by=adviser)


@pytest.mark.django_db
def test_a_name_is_searched_and_shown_only_where_the_policy_shows_it(aim, adviser, manager):
    own = builders.child(aim, "Knowsley", first_name="Zebedee", last_name="Rarename")
    other_council = builders.child(aim, "Liverpool", first_name="Zebedee", last_name="Rarename")
    # The team manager sees Knowsley's children in full, Liverpool's only as the anonymised profile.
    assert not {"first_name", "last_name"} & policy.hidden_fields(manager, own)
    assert {"first_name", "last_name"} <= policy.hidden_fields(manager, other_council)
    found = agenda.candidates(manager, "plan_change", "zebedee")
    assert _refs(found) == [own.reference] and found[0].names == "Zebedee Rarename"
    (by_reference,) = agenda.candidates(manager, "plan_change", other_council.reference)
    assert by_reference.names == ""  # found by its reference, its names not shown
    # Panel advisers read children without their identity (people/roles.py): no child by name at all.
    assert {"first_name", "last_name"} <= policy.hidden_fields(adviser, own)
    assert agenda.candidates(adviser, "plan_change", "Zebedee Rarename") == []
    (by_reference,) = agenda.candidates(adviser, "plan_change", own.reference)
    assert by_reference.names == ""


@pytest.mark.django_db
def test_a_match_is_not_found_by_a_child_name_the_searcher_may_not_see(aim, adviser, manager):
    household = builders.household(aim)
    household.applicants.update(first_name="Priya", last_name="Uniquesurname")
    linked_child(aim, household, first_name="Zebedee", last_name="Rarename")
    assert _refs(agenda.candidates(manager, "match", "Rarename")) == [household.reference]
    assert agenda.candidates(adviser, "match", "Rarename") == []
    (found,) = agenda.candidates(adviser, "match", "Uniquesurname")  # the adviser sees applicants
    assert found.names == "Priya Uniquesurname" and "Zebedee" not in found.children[0]


@pytest.mark.django_db
def test_adding_searching_and_reordering_through_the_meeting_page(aim, adviser, ahead, client_for):
    client = client_for(adviser)
    url = f"/panels/{ahead.pk}/"
    first, second, third = awaiting_panel(aim), awaiting_panel(aim), awaiting_panel(aim)
    first.applicants.update(last_name="Firstfamily")
    page = client.get(url, {"kind": "household_approval", "q": "Firstfamily"})
    assert [c.reference for c in page.context["candidates"]] == [first.reference]
    assert "Firstfamily" in page.content.decode()
    assert "<select" not in page.content.decode()  # no list of every household
    for household in (first, second, third):
        assert (
            client.post(url, {"action": "item", "kind": "household_approval", "household": household.pk}).status_code
            == 302
        )
    items = list(ahead.items.order_by("position", "id"))
    assert [i.household for i in items] == [first, second, third]
    assert [i.position for i in items] == [1, 2, 3]
    client.post(url, {"action": "move-up", "item": items[2].pk})
    assert [i.household for i in ahead.items.all()] == [first, third, second]
    client.post(url, {"action": "move-down", "item": items[0].pk})
    assert [i.household for i in ahead.items.all()] == [third, first, second]
    client.post(url, {"action": "move-up", "item": items[2].pk})  # already first: nothing changes
    assert [i.household for i in ahead.items.all()] == [third, first, second]
    assert items[0].history.first().changes == {"position": [1, 2]}
    client.post(url, {"action": "remove", "item": items[1].pk})
    assert [i.household for i in ahead.items.all()] == [third, first]
    assert AgendaItem.history.filter(id=items[1].pk, history_type="-").get().history_user == adviser
    html = client.get(url).content.decode()
    assert "Move up" in html and "Remove" in html


@pytest.mark.django_db
def test_a_household_at_the_wrong_stage_posted_by_hand_is_refused_on_the_form(aim, adviser, ahead, client_for):
    approved = builders.household(aim)
    page = client_for(adviser).post(
        f"/panels/{ahead.pk}/", {"action": "item", "kind": "household_approval", "household": approved.pk}
    )
    assert page.status_code == 200 and not ahead.items.exists()
    assert "not at the stage for a household approval" in page.content.decode()


@pytest.mark.django_db
def test_the_agenda_is_fixed_once_the_meeting_date_has_passed(aim, adviser, client_for):
    held = meeting_of(aim, timezone.localdate() - timedelta(days=1))
    item = AgendaItem.objects.create(meeting=held, kind="household_approval", household=awaiting_panel(aim), position=1)
    client = client_for(adviser)
    url = f"/panels/{held.pk}/"
    page = client.post(url, {"action": "item", "kind": "household_approval", "household": awaiting_panel(aim).pk})
    assert page.status_code == 200 and "The panel has met" in page.content.decode()
    assert client.post(url, {"action": "remove", "item": item.pk}, follow=True).status_code == 200
    assert held.items.count() == 1
    page = client.get(url, {"kind": "household_approval", "q": "Testadopter"})
    assert page.context["agenda_open"] is False and page.context["candidates"] == []
    assert "Move up" not in page.content.decode() and "Remove<" not in page.content.decode()


@pytest.mark.django_db
def test_the_agenda_is_fixed_once_the_panel_has_recommended(aim, adviser):
    today = meeting_of(aim, timezone.localdate(), members_of(aim))
    first = services.add_agenda_item(today, "household_approval", awaiting_panel(aim), [], by=adviser)
    second = services.add_agenda_item(today, "household_approval", awaiting_panel(aim), [], by=adviser)
    services.record_recommendation(first, "recommend", "Ready", by=adviser)
    for refused in (
        lambda: services.add_agenda_item(today, "household_approval", awaiting_panel(aim), [], by=adviser),
        lambda: services.move_agenda_item(second, True, by=adviser),
        lambda: services.remove_agenda_item(second, by=adviser),
    ):
        with pytest.raises(ValidationError, match="The panel has recommended"):
            refused()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999", ""])
def test_an_item_key_that_is_not_one_is_not_found(aim, adviser, ahead, client_for, value):
    for action in ("move-up", "remove", "recommend"):
        assert client_for(adviser).post(f"/panels/{ahead.pk}/", {"action": action, "item": value}).status_code == 404


@pytest.mark.django_db
def test_only_those_who_run_panels_change_the_agenda(aim, ahead, client_for):
    item = AgendaItem.objects.create(meeting=ahead, kind="household_approval", household=awaiting_panel(aim))
    adm = client_for(builders.user(Role.ADM, aim))
    assert adm.post(f"/panels/{ahead.pk}/", {"action": "remove", "item": item.pk}).status_code == 403
    assert ahead.items.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.PANEL_ADVISER, Role.TEAM_MANAGER, Role.ADMINISTRATOR])
def test_attendance_is_recorded_after_the_meeting_from_the_active_members_with_quorum(aim, client_for, role):
    active = members_of(aim)
    left = PanelMember.objects.create(agency=aim, name="Left Member", role="other", active=False)
    meeting = meeting_of(aim, timezone.localdate() - timedelta(days=1))
    client = client_for(builders.user(role, aim))
    url = f"/panels/{meeting.pk}/"
    page = client.get(url)
    offered = set(page.context["attendance_form"].fields["attended_by"].queryset)
    assert offered == set(active)  # not the member who left the list
    page = client.post(url, {"action": "attendance", "attended_by": [left.pk]})
    assert page.status_code == 200 and not meeting.attended_by.exists()
    client.post(url, {"action": "attendance", "attended_by": [m.pk for m in active[:3]]})
    assert set(meeting.attended_by.all()) == set(active[:3])
    page = client.get(url)
    assert "Not quorate: 3 members attended; at least 5 are needed" in page.content.decode()
    client.post(url, {"action": "attendance", "attended_by": [m.pk for m in active]})
    page = client.get(url)
    assert page.context["quorum_problems"] == [] and "Quorate" in page.content.decode()
    versions = list(meeting.history.order_by("history_date", "history_id"))
    assert [{m.panelmember_id for m in v.attended_by.all()} for v in versions[-2:]] == [
        {m.pk for m in active[:3]},
        {m.pk for m in active},
    ]


@pytest.mark.django_db
def test_a_member_who_attended_and_then_left_the_list_stays_on_the_attendance(aim, adviser, client_for):
    active = members_of(aim)
    meeting = meeting_of(aim, timezone.localdate() - timedelta(days=1), active)
    PanelMember.objects.filter(pk=active[0].pk).update(active=False)
    offered = set(
        client_for(adviser).get(f"/panels/{meeting.pk}/").context["attendance_form"].fields["attended_by"].queryset
    )
    assert offered == set(active)


@pytest.mark.django_db
def test_the_search_box_never_finds_or_shows_a_name_the_searcher_may_not_see(aim, adviser, ahead, client_for):
    child = builders.child(aim, "Knowsley", first_name="Zebedee", last_name="Rarename")
    client = client_for(adviser)
    page = client.get(f"/panels/{ahead.pk}/", {"kind": "plan_change", "q": "Rarename"})
    assert page.context["candidates"] == [] and "Nothing found" in page.content.decode()
    page = client.get(f"/panels/{ahead.pk}/", {"kind": "plan_change", "q": child.reference})
    html = page.content.decode()
    assert child.reference in html and "Zebedee" not in html and "Rarename" not in html
    added = client.post(
        f"/panels/{ahead.pk}/", {"action": "item", "kind": "plan_change", "child_reference": child.reference}
    )
    assert added.status_code == 302 and list(ahead.items.get().children.all()) == [child]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["household_approval", "match", "review", "plan_change", "nonsense"])
@pytest.mark.parametrize("q", ["H-²", "C-٣", "9" * 30, "x" * 500, "%", "C-000001 H-000001", "  "])
def test_any_search_text_is_answered(aim, adviser, ahead, client_for, kind, q):
    assert client_for(adviser).get(f"/panels/{ahead.pk}/", {"kind": kind, "q": q}).status_code == 200
