"""Pages: forms refuse bad input and save nothing, lists filter and paginate, the partnership shows
its structure."""

from datetime import date

import pytest

from openraa.children.models import Child, SiblingGroup
from openraa.people.models import InformationSharing, Secondment
from openraa.people.roles import Role
from tests import builders


def date_fields(name: str, value: date | None) -> dict[str, str]:
    if value is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def new_child_form(council_pk: int) -> dict[str, str]:
    data = {
        "responsible_council": str(council_pk),
        "first_name": "Kit",
        "last_name": "Sample",
        "sex": "1",
        "ethnicity": "WBRI",
        "need_autism": "high",
    }
    data.update(date_fields("date_of_birth", date(2023, 1, 1)))
    return data


@pytest.mark.django_db
def test_adding_a_child_through_the_page_saves_it_with_its_needs(aim, client_for):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    knowsley = builders.council("Knowsley")
    response = client_for(worker).post("/children/new/", new_child_form(knowsley.pk))
    assert response.status_code == 302
    child = Child.objects.get()
    assert response.url == f"/children/{child.pk}/"
    assert child.needs.get().severity == "high" and child.stage == "considered"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind, when, message",
    [
        ("placement_order", date(2022, 12, 1), "Placement order cannot be recorded on 1 December 2022"),  # before care
        ("placement_order", date(2099, 3, 1), "Placement order cannot be in the future"),
    ],
)
def test_a_step_with_an_impossible_date_shows_the_error_summary_and_saves_nothing(aim, client_for, kind, when, message):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    child = builders.child(aim, placement_order_on=None)
    response = client_for(worker).post(
        f"/children/{child.pk}/steps/new/", {"kind": kind, **date_fields("occurred_on", when)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    child.refresh_from_db()
    assert child.placement_order_on is None and child.steps.count() == 2


@pytest.mark.django_db
def test_only_the_steps_the_stage_allows_are_offered(aim, client_for):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    child = builders.child(aim)  # placement order made: family finding
    offered = dict(client_for(worker).get(f"/children/{child.pk}/steps/new/").context["form"].fields["kind"].choices)
    assert "linked" in offered and "plan_ended" in offered
    assert "matched" not in offered and "should_be_placed" not in offered


@pytest.mark.django_db
def test_a_correction_supersedes_the_entry_and_keeps_both(aim, client_for):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    child = builders.child(aim)
    client = client_for(worker)
    order = child.steps.get(kind="placement_order")
    response = client.post(
        f"/children/{child.pk}/steps/{order.pk}/correct/",
        {"action": "correct", "note": "Sealed order shows the 2nd", **date_fields("occurred_on", date(2023, 9, 2))},
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.placement_order_on == date(2023, 9, 2)
    assert child.steps.filter(kind="placement_order").count() == 2  # the original is kept
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "<del>Placement order</del>" in page and "Sealed order shows the 2nd" in page


@pytest.mark.django_db
def test_withdrawing_an_entry_moves_the_stage_back(aim, client_for):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    child = builders.child(aim)
    order = child.steps.get(kind="placement_order")
    client_for(worker).post(
        f"/children/{child.pk}/steps/{order.pk}/correct/", {"action": "withdraw", "note": "Recorded on the wrong child"}
    )
    child.refresh_from_db()
    assert child.stage == "should_be_placed" and child.placement_order_on is None


@pytest.mark.django_db
def test_a_social_worker_is_offered_only_their_own_council(aim, client_for):
    worker = builders.user(Role.SOCIAL_WORKER, aim, employer="Liverpool")
    client = client_for(worker)
    form = client.get("/children/new/").context["form"]
    assert [c.name for c in form.fields["responsible_council"].queryset] == ["Liverpool"]
    response = client.post("/children/new/", new_child_form(builders.council("Knowsley").pk))
    assert response.status_code == 200 and not Child.objects.exists()


@pytest.mark.django_db
def test_the_children_list_filters_searches_and_paginates(aim, client_for):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    for i in range(55):
        builders.child(aim, "Liverpool" if i % 2 else "Knowsley", last_name=f"Sample{i:02d}")
    client = client_for(manager)
    first = client.get("/children/")
    assert first.context["page"].paginator.count == 55 and len(first.context["page"]) == 50
    assert len(client.get("/children/?page=2").context["page"]) == 5
    liverpool = builders.council("Liverpool")
    knowsley = builders.council("Knowsley")
    filtered = client.get(f"/children/?council={knowsley.pk}").context["page"]
    assert filtered.paginator.count == 28 and {c.responsible_council_id for c in filtered} == {knowsley.pk}
    # Another council's children are profiles that do not show their council: the filter finds none
    # of them, unless the agency's agreement adds the council to the profile.
    assert client.get(f"/children/?council={liverpool.pk}").context["page"].paginator.count == 0
    InformationSharing.objects.create(agency=aim, profile_fields=["responsible_council"])
    assert client.get(f"/children/?council={liverpool.pk}").context["page"].paginator.count == 27
    found = client.get("/children/?q=Sample08").context["page"]
    assert [c.last_name for c in found] == ["Sample08"]
    # Another council's child is shown as a profile: its name finds nothing, its reference does.
    assert not client.get("/children/?q=Sample07").context["page"]
    other = Child.objects.get(last_name="Sample07")
    by_reference = client.get(f"/children/?q={other.reference}")
    assert [c.pk for c in by_reference.context["page"]] == [other.pk]
    assert "Sample07" not in by_reference.content.decode() and "Profile only" in by_reference.content.decode()


@pytest.mark.django_db
def test_a_sibling_group_placed_apart_needs_a_reason(aim, client_for):
    client = client_for(builders.user(Role.FAMILY_FINDER, aim))
    refused = client.post("/children/sibling-groups/new/", {"decision_reason": ""})
    assert "Give the reason" in refused.content.decode() and not SiblingGroup.objects.exists()
    client.post("/children/sibling-groups/new/", {"place_together": "on"})
    assert SiblingGroup.objects.get().place_together is True


@pytest.mark.django_db
def test_the_partnership_page_shows_host_members_and_seconded_staff(aim, client_for):
    admin = builders.user(Role.ADMINISTRATOR, aim)
    seconded = builders.user(Role.FAMILY_FINDER, aim, employer="Liverpool")
    assert not seconded.is_seconded  # employed by another council than the host is not a secondment
    Secondment.objects.create(user=seconded, from_council=seconded.employing_council, starts_on=date(2018, 4, 1))
    assert seconded.is_seconded and not admin.is_seconded
    page = client_for(admin).get("/partnership/").content.decode()
    assert "E08000012" in page and "Seconded" in page
    board = client_for(builders.user(Role.BOARD_MEMBER, aim)).get("/partnership/")
    assert board.status_code == 200 and board.context.get("staff") is None


@pytest.mark.django_db
def test_a_worker_who_may_not_see_the_child_cannot_be_allocated_to_it(aim, client_for):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    liverpool_worker = builders.user(Role.SOCIAL_WORKER, aim, employer="Liverpool")
    knowsley_worker = builders.user(Role.SOCIAL_WORKER, aim, employer="Knowsley")
    knowsley = builders.council("Knowsley")
    client = client_for(manager)
    refused = client.post("/children/new/", {**new_child_form(knowsley.pk), "allocated_workers": [liverpool_worker.pk]})
    assert "may not see Knowsley" in refused.content.decode() and not Child.objects.exists()
    client.post("/children/new/", {**new_child_form(knowsley.pk), "allocated_workers": [knowsley_worker.pk]})
    assert list(Child.objects.get().allocated_workers.all()) == [knowsley_worker]


@pytest.mark.django_db
def test_an_administrator_sets_the_agencys_timescale_targets_and_drift_follows(aim, client_for):
    from openraa.journeys.models import targets_for

    admin = client_for(builders.user(Role.ADMINISTRATOR, aim))
    form = admin.get("/partnership/targets/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    assert data["order_to_match_days"] == 121  # the scorecard's threshold by default
    refused = admin.post("/partnership/targets/", {**data, "order_to_match_days": 0})
    assert refused.status_code == 200 and targets_for(aim).order_to_match_days == 121
    admin.post("/partnership/targets/", {**data, "order_to_match_days": 100})
    assert targets_for(aim).order_to_match_days == 100
    manager = client_for(builders.user(Role.TEAM_MANAGER, aim, username="tm"))
    assert manager.get("/partnership/targets/").status_code == 403
