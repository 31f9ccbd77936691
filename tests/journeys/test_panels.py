"""Panels and the agency decision maker: quorum, recommendations, decisions with their deadline,
and the journeys they move on."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from openraa.common.workdays import add_working_days
from openraa.journeys import panels, services
from openraa.journeys.models import AgendaItem, PanelMeeting, PanelMember
from openraa.journeys.panels import MemberRole, quorum_problems
from openraa.people.roles import Role
from tests import builders

QUORATE = [
    MemberRole.CHAIR,
    MemberRole.SOCIAL_WORKER,
    MemberRole.INDEPENDENT,
    MemberRole.MEDICAL_ADVISER,
    MemberRole.OTHER,
]


def test_a_full_panel_is_quorate():
    assert quorum_problems(QUORATE) == []


@pytest.mark.parametrize(
    "missing, problem",
    [
        (MemberRole.CHAIR, "chair or a vice chair"),
        (MemberRole.SOCIAL_WORKER, "social worker"),
        (MemberRole.OTHER, "at least 5"),
    ],
)
def test_a_panel_without_each_required_member_is_not_quorate(missing, problem):
    roles = list(QUORATE)
    roles.remove(missing)
    if missing != MemberRole.OTHER:
        roles.append(MemberRole.OTHER)  # keep five members so only the missing role is at fault
    problems = quorum_problems(roles)
    assert len(problems) == 1 and problem in problems[0]


@pytest.mark.parametrize(
    "recommendation, agrees, happens",
    [
        ("recommend", True, True),
        ("recommend", False, False),
        ("not_recommend", True, False),
        ("not_recommend", False, True),
    ],
)
def test_the_adm_decides_and_the_panel_recommends(recommendation, agrees, happens):
    assert panels.outcome(recommendation, agrees) is happens


def meeting_of(agency, held_on: date, roles=QUORATE) -> PanelMeeting:
    meeting = PanelMeeting.objects.create(agency=agency, held_on=held_on)
    meeting.attended_by.set(
        [PanelMember.objects.create(agency=agency, name=f"Member {i}", role=role) for i, role in enumerate(roles)]
    )
    return meeting


@pytest.fixture
def awaiting_panel(aim):
    return builders.household(aim, panel_on=None, approved_on=None)


@pytest.fixture
def adviser(aim):
    return builders.user(Role.PANEL_ADVISER, aim)


@pytest.fixture
def adm(aim):
    return builders.user(Role.ADM, aim)


@pytest.mark.django_db
def test_a_household_goes_from_panel_to_approval(aim, awaiting_panel, adviser, adm):
    held = timezone.localdate() - timedelta(days=20)
    meeting = meeting_of(aim, held)
    item = AgendaItem.objects.create(meeting=meeting, kind="household_approval", household=awaiting_panel)
    services.record_recommendation(item, "recommend", "Warm, reflective, good support network", by=adviser)
    awaiting_panel.refresh_from_db()
    assert awaiting_panel.stage == "awaiting_decision" and awaiting_panel.panel_on == held
    with pytest.raises(ValidationError, match="must record the date the final minutes"):
        services.record_adm_decision(item, True, "Agree", held + timedelta(days=3), by=adm)
    services.set_final_minutes(meeting, held + timedelta(days=5), by=adviser)
    services.record_adm_decision(item, True, "I agree with the panel", held + timedelta(days=8), by=adm)
    awaiting_panel.refresh_from_db()
    assert awaiting_panel.stage == "approved_waiting" and awaiting_panel.approved_on == held + timedelta(days=8)
    approval = awaiting_panel.steps.get(kind="approved")
    assert approval.recorded_by == adm and "I agree with the panel" in approval.note


@pytest.mark.django_db
def test_a_panel_without_quorum_cannot_recommend_and_nothing_changes(aim, awaiting_panel, adviser):
    meeting = meeting_of(aim, timezone.localdate() - timedelta(days=2), roles=QUORATE[:3])
    item = AgendaItem.objects.create(meeting=meeting, kind="household_approval", household=awaiting_panel)
    with pytest.raises(ValidationError, match="not quorate"):
        services.record_recommendation(item, "recommend", "Reasons", by=adviser)
    item.refresh_from_db()
    awaiting_panel.refresh_from_db()
    assert item.recommendation == "" and awaiting_panel.stage == "awaiting_panel"


@pytest.mark.django_db
def test_only_an_adm_may_decide(aim, awaiting_panel, adviser):
    meeting = meeting_of(aim, timezone.localdate() - timedelta(days=10))
    item = AgendaItem.objects.create(meeting=meeting, kind="household_approval", household=awaiting_panel)
    services.record_recommendation(item, "recommend", "Reasons", by=adviser)
    services.set_final_minutes(meeting, meeting.held_on, by=adviser)
    manager = builders.user(Role.TEAM_MANAGER, aim)
    with pytest.raises(ValidationError, match="Only an agency decision maker"):
        services.record_adm_decision(item, True, "Agree", timezone.localdate(), by=manager)
    assert not hasattr(AgendaItem.objects.get(pk=item.pk), "decision")


@pytest.mark.django_db
def test_an_adm_disagreeing_with_approval_makes_a_qualifying_determination_then_closes_after_40_working_days(
    aim, awaiting_panel, adviser, adm
):
    """A proposed refusal is a qualifying determination: the household still awaits the decision, and
    the final decision closes the journey only once the 40 working days have passed."""
    held = timezone.localdate() - timedelta(days=120)
    meeting = meeting_of(aim, held)
    item = AgendaItem.objects.create(meeting=meeting, kind="household_approval", household=awaiting_panel)
    services.record_recommendation(item, "recommend", "Reasons", by=adviser)
    services.set_final_minutes(meeting, meeting.held_on, by=adviser)
    determined = held + timedelta(days=3)
    services.record_adm_decision(item, False, "Concerns about support network", determined, by=adm)
    awaiting_panel.refresh_from_db()
    assert awaiting_panel.stage == "awaiting_decision" and awaiting_panel.closed_on is None
    assert awaiting_panel.steps.filter(kind="qualifying_determination").count() == 1
    due = add_working_days(determined, 40)
    with pytest.raises(ValidationError, match="representations"):
        services.record_final_decision(item, False, "Still concerned", due, by=adm)
    services.record_final_decision(item, False, "No representations; still concerned", due + timedelta(days=1), by=adm)
    awaiting_panel.refresh_from_db()
    assert awaiting_panel.stage == "closed" and awaiting_panel.closed_reason == "not_approved"


@pytest.mark.django_db
def test_a_match_moves_the_linked_children_through_panel_and_decision(aim, adviser, adm):
    household = builders.household(aim)
    child = builders.child(aim, linked_on=date(2024, 1, 10), household=household)
    meeting = meeting_of(aim, timezone.localdate() - timedelta(days=9))
    item = AgendaItem.objects.create(meeting=meeting, kind="match", household=household)
    item.children.set([child])
    services.record_recommendation(item, "recommend", "A good match", by=adviser)
    child.refresh_from_db()
    assert child.stage == "matching_panel"
    services.set_final_minutes(meeting, meeting.held_on + timedelta(days=1), by=adviser)
    services.record_adm_decision(item, True, "Agree", timezone.localdate(), by=adm)
    child.refresh_from_db()
    household.refresh_from_db()
    assert child.stage == "matched" and household.stage == "matched"


@pytest.mark.django_db
def test_where_councils_keep_their_decisions_only_that_councils_adm_decides(aim, adviser):
    aim.decisions_by_council_adm = True
    aim.save()
    household = builders.household(aim)
    child = builders.child(aim, "Liverpool", linked_on=date(2024, 1, 10), household=household)
    meeting = meeting_of(aim, timezone.localdate() - timedelta(days=9))
    item = AgendaItem.objects.create(meeting=meeting, kind="match", household=household)
    item.children.set([child])
    services.record_recommendation(item, "recommend", "A good match", by=adviser)
    services.set_final_minutes(meeting, meeting.held_on, by=adviser)
    knowsley_adm = builders.user(Role.ADM, aim, employer="Knowsley")
    with pytest.raises(ValidationError, match="Liverpool's own ADM"):
        services.record_adm_decision(item, True, "Agree", timezone.localdate(), by=knowsley_adm)
    liverpool_adm = builders.user(Role.ADM, aim, employer="Liverpool", username="adm.liverpool")
    services.record_adm_decision(item, True, "Agree", timezone.localdate(), by=liverpool_adm)
    child.refresh_from_db()
    assert child.stage == "matched"


@pytest.mark.django_db
def test_the_decision_queue_flags_a_breached_deadline(aim, awaiting_panel, adviser, adm, client_for):
    held = timezone.localdate() - timedelta(days=40)
    meeting = meeting_of(aim, held)
    item = AgendaItem.objects.create(meeting=meeting, kind="household_approval", household=awaiting_panel)
    services.record_recommendation(item, "recommend", "Reasons", by=adviser)
    services.set_final_minutes(meeting, held + timedelta(days=1), by=adviser)
    page = client_for(adm).get("/panels/decisions/")
    ((_waiting_item, (deadline, status)),) = page.context["waiting"]
    assert deadline.due_on == add_working_days(held + timedelta(days=1), 7)
    assert status == "overdue"
    assert "Overdue" in page.content.decode()


@pytest.mark.django_db
def test_running_a_panel_through_the_pages(aim, awaiting_panel, adviser, adm, client_for):
    for i, role in enumerate(QUORATE):
        PanelMember.objects.create(agency=aim, name=f"Member {i}", role=role)
    client = client_for(adviser)
    held = timezone.localdate()  # the agenda is set before the meeting, at the latest on the day
    created = client.post(
        "/panels/new/",
        {
            "held_on_0": held.day,
            "held_on_1": held.month,
            "held_on_2": held.year,
            "attended_by": [m.pk for m in PanelMember.objects.all()],
        },
    )
    meeting = PanelMeeting.objects.get()
    assert created.url == f"/panels/{meeting.pk}/"
    client.post(created.url, {"action": "item", "kind": "household_approval", "household": awaiting_panel.pk})
    item = meeting.items.get()
    client.post(
        created.url,
        {
            "action": "recommend",
            "item": item.pk,
            f"item{item.pk}-recommendation": "recommend",
            f"item{item.pk}-reasons": "Ready",
        },
    )
    client.post(
        created.url,
        {
            "action": "minutes",
            "final_minutes_on_0": held.day,
            "final_minutes_on_1": held.month,
            "final_minutes_on_2": held.year,
        },
    )
    decided = client_for(adm).post(
        f"/panels/decisions/{item.pk}/",
        {
            "agrees": "yes",
            "reasons": "Agree",
            "decided_on_0": held.day,
            "decided_on_1": held.month,
            "decided_on_2": held.year,
        },
    )
    assert decided.status_code == 302
    awaiting_panel.refresh_from_db()
    assert awaiting_panel.stage == "approved_waiting"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.BOARD_MEMBER, Role.FINANCE_OFFICER])
def test_roles_outside_panels_cannot_see_them(aim, client_for, role):
    client = client_for(builders.user(role, aim))
    assert client.get("/panels/").status_code == 403
    assert client.get("/panels/decisions/").status_code == 403
