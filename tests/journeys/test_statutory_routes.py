"""Statutory decisions only where the regulations put them (issue 14): each decision kind declares
its route (journeys/routes.py); the journey services refuse a panel recommendation or an ADM decision
from anywhere but the panel's and the ADM's own functions, so "Record a step", the correction page
and the steps API all refuse them; the qualifying determination and the IRM; quorum on recorded
attendance; the ADM who sat on the panel does not decide; those who decide read the whole record
(audited); a decision that cannot be made yet says what must be put right, by whom, with a link."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from openraa.audit.models import RecordView
from openraa.common.workdays import add_working_days, working_days_between
from openraa.journeys import routes, services
from openraa.journeys.definitions import CHILD_STEPS, HOUSEHOLD_STEPS
from openraa.journeys.models import AgendaItem, ChildStep, HouseholdStep, PanelMeeting, PanelMember
from openraa.journeys.panels import MemberRole
from openraa.people.roles import Role
from tests import builders

QUORATE = [
    MemberRole.CHAIR,
    MemberRole.SOCIAL_WORKER,
    MemberRole.INDEPENDENT,
    MemberRole.MEDICAL_ADVISER,
    MemberRole.OTHER,
]
# The steps the brief names as decisions: never typed in, never sent to the steps API.
CHILD_DECISIONS = {"should_be_placed", "matching_panel", "matched"}
HOUSEHOLD_DECISIONS = {"panel", "approved", "approval_reviewed", "qualifying_determination"}


def _date(name: str, day: date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def meeting_of(agency, held_on: date, roles=QUORATE, users=None) -> PanelMeeting:
    meeting = PanelMeeting.objects.create(agency=agency, held_on=held_on)
    users = users or [None] * len(roles)
    meeting.attended_by.set(
        [
            PanelMember.objects.create(agency=agency, name=f"Member {i}", role=role, user=user)
            for i, (role, user) in enumerate(zip(roles, users))
        ]
    )
    return meeting


@pytest.fixture
def adviser(aim):
    return builders.user(Role.PANEL_ADVISER, aim)


@pytest.fixture
def adm(aim):
    return builders.user(Role.ADM, aim)


@pytest.fixture
def assessor(aim):
    return builders.user(Role.RECRUITMENT_ASSESSMENT, aim)


# The routes table (pure) ----------------------------------------------------------------------


def test_every_decision_kind_declares_its_route():
    assert set(routes.ROUTES) == set(routes.Decision)
    r = routes.ROUTES
    assert (r["should_be_placed"].panel, r["should_be_placed"].maker) == (
        routes.Panel.CONSENT_CASES,
        routes.Maker.CHILD_COUNCIL_ADM,
    )
    assert (r["adopter_approval"].panel, r["adopter_approval"].maker) == (routes.Panel.ALWAYS, routes.Maker.AGENCY_ADM)
    assert r["adopter_approval"].qualifying_determination
    assert (r["match"].panel, r["match"].maker) == (routes.Panel.ALWAYS, routes.Maker.SETTING_ADM)
    assert (r["approval_review"].panel, r["approval_review"].maker) == (routes.Panel.ALWAYS, routes.Maker.AGENCY_ADM)
    for order in ("placement_order", "adoption_order"):
        assert (r[order].panel, r[order].maker) == (routes.Panel.NEVER, routes.Maker.COURT)


def test_exactly_the_decision_steps_are_refused_as_plain_steps_and_each_refusal_names_where_it_goes():
    """The whole class, from the journeys' own step tables: a decision step added to a journey
    without a route, or a route that covers a court order, fails here."""
    child = {kind for kind in CHILD_STEPS if routes.is_decision("child", kind)}
    household = {kind for kind in HOUSEHOLD_STEPS if routes.is_decision("household", kind)}
    assert (child, household) == (CHILD_DECISIONS, HOUSEHOLD_DECISIONS)
    assert routes.refusal("household", "panel") == (
        "The panel's recommendation is not recorded here. Record the panel's "
        "recommendation on the panel's page (Panels, then the meeting)."
    )
    assert "ADM decisions page" in routes.refusal("child", "should_be_placed")
    assert "ADM decisions page" in routes.refusal("household", "closed", {"closed_reason": "not_approved"})
    assert routes.refusal("household", "closed", {"closed_reason": "withdrawn"}) is None
    assert routes.refusal("child", "placement_order") is None and routes.refusal("child", "adoption_order") is None


def test_the_agencys_setting_names_whose_adm_decides_a_match():
    match = routes.ROUTES[routes.Decision.MATCH]
    councils = {1: "Knowsley", 2: "Liverpool"}
    assert (
        routes.decider_refusal(match, decisions_by_council_adm=False, decider_council=1, child_councils=councils)
        is None
    )
    assert (
        routes.decider_refusal(match, decisions_by_council_adm=True, decider_council=1, child_councils={2: "Liverpool"})
        == "Liverpool's own ADM decides for its children"
    )
    assert (
        routes.decider_refusal(match, decisions_by_council_adm=True, decider_council=2, child_councils={2: "Liverpool"})
        is None
    )
    approval = routes.ROUTES[routes.Decision.ADOPTER_APPROVAL]
    assert routes.decider_refusal(approval, decisions_by_council_adm=True, decider_council=1, child_councils={}) is None


@given(determined=st.dates(date(2024, 1, 1), date(2030, 12, 31)), later=st.integers(0, 120))
def test_the_final_decision_waits_for_the_40_working_days_unless_the_household_responded(determined, later):
    decided = determined + timedelta(days=later)
    due = routes.representations_due(determined)
    assert working_days_between(determined, due) == 40
    silent = routes.final_decision_refusal(routes.Determination(determined), decided)
    assert (silent is None) == (decided > due)
    answered = routes.Determination(determined, representations_on=determined)
    assert routes.final_decision_refusal(answered, decided) is None
    to_irm = routes.Determination(determined, irm_applied_on=determined)
    assert "IRM panel's recommendation" in routes.final_decision_refusal(to_irm, decided)
    heard = routes.Determination(determined, irm_applied_on=determined, irm_recommended_on=determined)
    assert routes.final_decision_refusal(heard, decided) is None


# Finding: the panel and the ADM bypassed with "Record a step" and the API ----------------------


@pytest.mark.django_db
def test_an_assessor_cannot_take_a_household_to_approval_with_record_a_step(aim, assessor, client_for):
    """The finding: enquiry to "Approved (ADM decision)" in two days through /households/<id>/steps/new/."""
    client = client_for(assessor)
    household = builders.household(
        aim, approved=False, stage2_started_on=None, stage1_ended_on=None, stage1_started_on=None, fast_track=True
    )
    today = timezone.localdate()
    for kind in ("stage2_started", "stage2_ended"):
        response = client.post(f"/households/{household.pk}/steps/new/", {"kind": kind, **_date("occurred_on", today)})
        assert response.status_code == 302, response.content.decode()
    page = client.get(f"/households/{household.pk}/steps/new/")
    assert "panel" not in dict(page.context["form"].fields["kind"].choices)
    assert "Record the panel&#x27;s recommendation on the panel&#x27;s page" in page.content.decode()
    refused = client.post(f"/households/{household.pk}/steps/new/", {"kind": "panel", **_date("occurred_on", today)})
    assert refused.status_code == 200
    household.refresh_from_db()
    assert household.stage == "awaiting_panel" and household.panel_on is None
    assert not household.steps.filter(kind__in=HOUSEHOLD_DECISIONS).exists()


@pytest.mark.django_db
def test_a_childs_record_a_step_does_not_offer_the_matching_panel_or_the_should_be_placed_decision(aim, client_for):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    linked = builders.child(aim, linked_on=date(2024, 1, 10), household=builders.household(aim))
    considered = builders.child(aim, should_be_placed_on=None, placement_order_on=None)
    for child, kind in ((linked, "matching_panel"), (considered, "should_be_placed")):
        page = client_for(worker).get(f"/children/{child.pk}/steps/new/")
        assert kind not in dict(page.context["form"].fields["kind"].choices)
        assert "Decisions are not recorded here" in page.content.decode()
        client_for(worker).post(
            f"/children/{child.pk}/steps/new/", {"kind": kind, **_date("occurred_on", date(2024, 2, 1))}
        )
        assert not child.steps.filter(kind=kind, recorded_by__isnull=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "journey, kind, details",
    [
        *[("child", kind, {}) for kind in sorted(CHILD_DECISIONS)],
        *[("household", kind, {}) for kind in sorted(HOUSEHOLD_DECISIONS)],
        ("household", "closed", {"closed_reason": "not_approved"}),
    ],
)
def test_the_steps_api_refuses_every_decision_and_names_where_it_is_recorded(aim, client_for, journey, kind, details):
    manager = builders.user(Role.TEAM_MANAGER, aim)  # may change both children and households
    record = builders.child(aim) if journey == "child" else builders.household(aim, panel_on=None, approved_on=None)
    before = record.steps.count()
    plural = "children" if journey == "child" else "households"
    response = client_for(manager).post(
        f"/api/{plural}/{record.pk}/steps/",
        {"kind": kind, "occurred_on": "2024-02-01", "details": details},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "is not recorded here" in response.json()["kind"][0]
    assert record.steps.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["approved", "panel"])
def test_the_api_cannot_correct_or_withdraw_a_decision(aim, client_for, kind):
    household = builders.household(aim)
    entry = household.steps.get(kind=kind)
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    for body in (
        {"kind": "withdrawn", "occurred_on": str(entry.occurred_on), "supersedes": entry.pk},
        {"kind": kind, "occurred_on": "2022-09-20", "supersedes": entry.pk},
    ):
        response = client.post(f"/api/households/{household.pk}/steps/", body, content_type="application/json")
        assert response.status_code == 400 and "decision page" in response.json()["kind"][0]
    assert not entry.corrections.exists()


@pytest.mark.django_db
def test_the_generic_correction_page_refuses_a_decision_and_links_to_the_decision_page(aim, client_for, assessor):
    household = builders.household(aim)
    approval = household.steps.get(kind="approved")
    url = f"/households/{household.pk}/steps/{approval.pk}/correct/"
    page = client_for(assessor).get(url).content.decode()
    assert "decision page" in page and f"/panels/decisions/households/{household.pk}/{approval.pk}/" in page
    assert "Save correction" not in page
    client_for(assessor).post(url, {"action": "withdraw", "note": "Mistake"})
    assert not approval.corrections.exists()


@pytest.mark.django_db
def test_a_closure_as_not_approved_is_not_offered_and_refused_as_a_step(aim, assessor, client_for):
    household = builders.household(aim, panel_on=None, approved_on=None)
    form = client_for(assessor).get(f"/households/{household.pk}/steps/new/").context["form"]
    assert "not_approved" not in dict(form.fields["closed_reason"].choices)
    with pytest.raises(ValidationError, match="ADM decisions page"):
        services.record_household_step(
            household, "closed", date(2024, 1, 2), by=assessor, details={"closed_reason": "not_approved"}
        )
    services.record_household_step(
        household, "closed", date(2024, 1, 2), by=assessor, details={"closed_reason": "withdrawn"}
    )


# Imports and the history ------------------------------------------------------------------------


@pytest.mark.django_db
def test_decisions_that_arrive_by_import_keep_working_and_show_their_source(aim, client_for):
    from openraa.children.models import Child
    from openraa.children.services import save_child
    from openraa.journeys.services import seed_child_history

    child = save_child(
        Child(
            agency=aim,
            responsible_council=builders.council("Knowsley"),
            first_name="Imp",
            last_name="Orted",
            date_of_birth=date(2021, 2, 2),
            sex="1",
            ethnicity="WBRI",
            entered_care_on=date(2022, 1, 1),
            should_be_placed_on=date(2022, 3, 1),
            placement_order_on=date(2022, 6, 1),
            matched_on=date(2022, 9, 1),
            household=builders.household(aim),
        ),
        {},
    )
    ChildStep.objects.bulk_create(seed_child_history(child, imported=True))  # no link, no panel: an SSDA903 return
    assert set(child.steps.values_list("kind", flat=True)) >= {"should_be_placed", "matched"}
    page = client_for(builders.user(Role.TEAM_MANAGER, aim)).get(f"/children/{child.pk}/").content.decode()
    assert "imported from an imported SSDA903 return" in page


# The ADM's should-be-placed page ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_adm_records_the_should_be_placed_decision_with_reasons_and_it_is_on_the_decision_pages(
    aim, adm, client_for
):
    child = builders.child(aim, should_be_placed_on=None, placement_order_on=None)
    queue = client_for(adm).get("/panels/decisions/").content.decode()
    assert f"/panels/decisions/should-be-placed/{child.pk}/" in queue
    url = f"/panels/decisions/should-be-placed/{child.pk}/"
    assert client_for(adm).post(url, {"reasons": "", **_date("decided_on", date(2024, 1, 5))}).status_code == 200
    response = client_for(adm).post(
        url, {"reasons": "Adoption is in the child's best interests", **_date("decided_on", date(2024, 1, 5))}
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.stage == "should_be_placed" and child.should_be_placed_on == date(2024, 1, 5)
    step = child.steps.get(kind="should_be_placed")
    assert step.recorded_by == adm and "best interests" in step.note
    assert child.reference in client_for(adm).get("/panels/decisions/").context["placed_decisions"][0].child.reference


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.PANEL_ADVISER])
def test_only_a_decision_maker_opens_the_should_be_placed_page(aim, client_for, role):
    child = builders.child(aim, should_be_placed_on=None, placement_order_on=None)
    client = client_for(builders.user(role, aim))
    assert (
        client.post(
            f"/panels/decisions/should-be-placed/{child.pk}/", {"reasons": "r", **_date("decided_on", date(2024, 1, 5))}
        ).status_code
        == 403
    )
    child.refresh_from_db()
    assert child.should_be_placed_on is None


@pytest.mark.django_db
def test_where_councils_keep_decisions_only_the_childs_councils_adm_decides_should_be_placed(aim):
    aim.decisions_by_council_adm = True
    aim.save()
    child = builders.child(aim, "Liverpool", should_be_placed_on=None, placement_order_on=None)
    knowsley = builders.user(Role.ADM, aim, employer="Knowsley")
    with pytest.raises(ValidationError, match="Liverpool's own ADM"):
        services.record_should_be_placed(child, date(2024, 1, 5), "Reasons", by=knowsley)
    assert (
        services.should_be_placed_blockers(child, knowsley)[0].message == "Liverpool's own ADM decides for its children"
    )
    services.record_should_be_placed(
        child, date(2024, 1, 5), "Reasons", by=builders.user(Role.ADM, aim, employer="Liverpool", username="adm.l")
    )


# Quorum on recorded attendance --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_recommendation_needs_attendance_recorded_and_quorate_and_attendance_can_be_recorded_later(
    aim, adviser, client_for
):
    household = builders.household(aim, panel_on=None, approved_on=None)
    members = [PanelMember.objects.create(agency=aim, name=f"Member {i}", role=role) for i, role in enumerate(QUORATE)]
    client = client_for(adviser)
    held = timezone.localdate() - timedelta(days=3)
    client.post("/panels/new/", {**_date("held_on", held)})  # created with no attendance recorded
    meeting = PanelMeeting.objects.get()
    item = AgendaItem.objects.create(meeting=meeting, kind="household_approval", household=household)
    recommend = {
        "action": "recommend",
        "item": item.pk,
        f"item{item.pk}-recommendation": "recommend",
        f"item{item.pk}-reasons": "Ready",
    }
    assert "No attendance is recorded" in client.post(f"/panels/{meeting.pk}/", recommend).content.decode()
    client.post(f"/panels/{meeting.pk}/", {"action": "attendance", "attended_by": [m.pk for m in members[:3]]})
    assert "not quorate" in client.post(f"/panels/{meeting.pk}/", recommend).content.decode()
    client.post(f"/panels/{meeting.pk}/", {"action": "attendance", "attended_by": [m.pk for m in members]})
    assert client.post(f"/panels/{meeting.pk}/", recommend).status_code == 302
    household.refresh_from_db()
    assert household.stage == "awaiting_decision"
    # Every change of attendance is in the meeting's history, with who made it.
    changes = [sorted(m.panelmember_id for m in h.attended_by.all()) for h in meeting.history.order_by("history_id")]
    assert [m.pk for m in members[:3]] in changes and [m.pk for m in members] in changes
    assert meeting.history.filter(history_user=adviser).exists()
    # Once the panel has recommended, its attendance on the day is fixed.
    with pytest.raises(ValidationError, match="can no longer change"):
        services.set_attendance(meeting, members[:2], by=adviser)
    assert meeting.attended_by.count() == 5


# The ADM who sat on the panel does not decide its items --------------------------------------------


@pytest.mark.django_db
def test_the_adm_who_sat_on_the_panel_may_not_decide_its_items(aim, adviser, adm, client_for):
    household = builders.household(aim, panel_on=None, approved_on=None)
    held = timezone.localdate() - timedelta(days=10)
    meeting = meeting_of(aim, held, users=[None, None, None, None, adm])
    item = AgendaItem.objects.create(meeting=meeting, kind="household_approval", household=household)
    services.record_recommendation(item, "recommend", "Ready", by=adviser)
    services.set_final_minutes(meeting, held, by=adviser)
    page = client_for(adm).get(f"/panels/decisions/{item.pk}/").content.decode()
    assert "You sat on the Panel of" in page
    response = client_for(adm).post(
        f"/panels/decisions/{item.pk}/",
        {"action": "decide", "agrees": "yes", "reasons": "Agree", **_date("decided_on", timezone.localdate())},
    )
    assert response.status_code == 200 and "another agency decision maker decides" in response.content.decode()
    household.refresh_from_db()
    assert household.stage == "awaiting_decision"
    other = builders.user(Role.ADM, aim, employer="Liverpool", username="adm.other")
    services.record_adm_decision(item, True, "Agree", timezone.localdate(), by=other)
    household.refresh_from_db()
    assert household.stage == "approved_waiting"


# Those who decide see what they decide --------------------------------------------------------------


@pytest.fixture
def agenda(aim, adviser):
    """A match on a panel's agenda: a Liverpool child (another council's: a profile to Knowsley staff)."""
    household = builders.household(aim)
    child = builders.child(
        aim,
        "Liverpool",
        first_name="Canaryname",
        birth_mother_name="Birthmothercanary",
        linked_on=date(2024, 1, 10),
        household=household,
    )
    meeting = meeting_of(aim, timezone.localdate() - timedelta(days=5))
    item = AgendaItem.objects.create(meeting=meeting, kind="match", household=household)
    item.children.set([child])
    return meeting, item, child, household


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ADM, Role.PANEL_ADVISER])
def test_panel_papers_show_the_whole_record_for_that_meeting_and_every_open_is_audited(aim, agenda, client_for, role):
    meeting, _item, child, household = agenda
    reader = builders.user(role, aim, username=f"reader.{role}")
    client = client_for(reader)
    assert "Canaryname" not in client.get(f"/children/{child.pk}/").content.decode()  # the profile, elsewhere
    detail = client.get(f"/panels/{meeting.pk}/").content.decode()
    paper_url = f"/panels/{meeting.pk}/papers/children/{child.pk}/"
    assert paper_url in detail
    page = client.get(paper_url).content.decode()
    assert "Canaryname" in page and "Birthmothercanary" not in page  # no birth family without the grant
    household_page = client.get(f"/panels/{meeting.pk}/papers/households/{household.pk}/").content.decode()
    assert "Testadopter" in household_page
    audited = RecordView.objects.filter(user=reader, path=paper_url)
    assert audited.count() == 1 and audited.get().record_id == child.pk and audited.get().channel == "page"
    assert "Panel paper" in audited.get().reason


@pytest.mark.django_db
def test_a_panel_member_who_is_a_user_reads_papers_and_birth_family_only_with_the_grant(aim, agenda, client_for):
    meeting, _item, child, _household = agenda
    finder = builders.user(Role.FAMILY_FINDER, aim)  # a role the agreement lets see the birth family
    assert client_for(finder).get(f"/panels/{meeting.pk}/papers/children/{child.pk}/").status_code == 403
    PanelMember.objects.create(agency=aim, name="Finder on the panel", role=MemberRole.OTHER, user=finder)
    page = client_for(finder).get(f"/panels/{meeting.pk}/papers/children/{child.pk}/").content.decode()
    assert "Canaryname" in page and "Birthmothercanary" in page


@pytest.mark.django_db
def test_a_panel_paper_opens_only_records_on_that_meetings_agenda(aim, agenda, adm, client_for):
    meeting, _item, _child, _household = agenda
    elsewhere = builders.child(aim, "Liverpool")
    assert client_for(adm).get(f"/panels/{meeting.pk}/papers/children/{elsewhere.pk}/").status_code == 404
    assert not RecordView.objects.filter(record_id=elsewhere.pk, user=adm).exists()


@pytest.mark.django_db
def test_the_decision_page_links_the_papers_of_its_agenda_item(aim, agenda, adm, client_for):
    meeting, item, child, household = agenda
    page = client_for(adm).get(f"/panels/decisions/{item.pk}/").content.decode()
    assert f"/panels/{meeting.pk}/papers/children/{child.pk}/" in page
    assert f"/panels/{meeting.pk}/papers/households/{household.pk}/" in page


# What must be put right, by whom, with a link ---------------------------------------------------------


@pytest.mark.django_db
def test_a_decision_that_cannot_be_made_says_what_must_be_put_right_by_whom_with_a_link(aim, adviser, adm, client_for):
    """The finding: the ADM was told "An approved household needs its approval range" and could not
    open the form that records it."""
    household = builders.household(
        aim, panel_on=None, approved_on=None, approved_children=None, age_min=None, age_max=None
    )
    meeting = meeting_of(aim, timezone.localdate() - timedelta(days=10))
    item = AgendaItem.objects.create(meeting=meeting, kind="household_approval", household=household)
    services.record_recommendation(item, "recommend", "Ready", by=adviser)
    page = client_for(adm).get(f"/panels/decisions/{item.pk}/").content.decode()
    assert "A panel adviser must record the date the final minutes" in page and f'href="/panels/{meeting.pk}/"' in page
    services.set_final_minutes(meeting, meeting.held_on, by=adviser)
    message = f"A recruitment and assessment worker must record the approval range of {household.reference} first"
    page = client_for(adm).get(f"/panels/decisions/{item.pk}/").content.decode()
    assert message in page and f'href="/households/{household.pk}/edit/"' in page
    refused = client_for(adm).post(
        f"/panels/decisions/{item.pk}/",
        {"action": "decide", "agrees": "yes", "reasons": "Agree", **_date("decided_on", timezone.localdate())},
    )
    assert message in refused.content.decode()
    household.refresh_from_db()
    assert household.stage == "awaiting_decision" and not hasattr(AgendaItem.objects.get(pk=item.pk), "decision")


# The qualifying determination and the Independent Review Mechanism --------------------------------


@pytest.mark.django_db
def test_a_proposed_refusal_goes_through_the_irm_before_the_final_decision(aim, adviser, adm, client_for):
    household = builders.household(aim, panel_on=None, approved_on=None)
    held = timezone.localdate() - timedelta(days=30)
    meeting = meeting_of(aim, held)
    item = AgendaItem.objects.create(meeting=meeting, kind="household_approval", household=household)
    services.record_recommendation(item, "recommend", "Ready", by=adviser)
    services.set_final_minutes(meeting, held, by=adviser)
    client = client_for(adm)
    url = f"/panels/decisions/{item.pk}/"
    determined = held + timedelta(days=1)
    response = client.post(
        url, {"action": "decide", "agrees": "no", "reasons": "Concerns", **_date("decided_on", determined)}
    )
    assert response.status_code == 302 and response.url == url
    household.refresh_from_db()
    assert household.stage == "awaiting_decision"
    due = add_working_days(determined, 40)
    assert f"{due.day} {due:%B %Y}" in client.get(url).content.decode()
    today = timezone.localdate()
    client.post(url, {"action": "response", "response": "irm", **_date("response_on", held + timedelta(days=10))})
    refused = client.post(
        url, {"action": "final", "approve": "no", "reasons": "Final", **_date("decided_on", today)}
    ).content.decode()
    assert "There is a problem" in refused
    household.refresh_from_db()
    assert household.stage == "awaiting_decision"
    client.post(url, {"action": "irm", "irm_recommendation": "approve", **_date("irm_recommended_on", today)})
    assert (
        client.post(
            url, {"action": "final", "approve": "yes", "reasons": "Persuaded by the IRM", **_date("decided_on", today)}
        ).status_code
        == 302
    )
    household.refresh_from_db()
    assert household.stage == "approved_waiting" and household.approved_on == today
    kinds = list(household.steps.values_list("kind", flat=True))
    assert kinds[-3:] == ["panel", "qualifying_determination", "approved"]


# Corrections of a decision go through the decision page ----------------------------------------------


@pytest.mark.django_db
def test_the_adm_corrects_or_withdraws_their_own_decision_by_a_superseding_entry(aim, adviser, adm, client_for):
    child = builders.child(aim, should_be_placed_on=None, placement_order_on=None)
    services.record_should_be_placed(child, date(2024, 1, 5), "Reasons", by=adm)
    entry = child.steps.get(kind="should_be_placed")
    url = f"/panels/decisions/children/{child.pk}/{entry.pk}/"
    other = builders.user(Role.ADM, aim, employer="Liverpool", username="adm.other")
    assert client_for(other).post(url, {"action": "withdraw", "note": "Not mine"}).status_code == 200
    assert not entry.corrections.exists()
    response = client_for(adm).post(
        url, {"action": "correct", "note": "The signed record says the 8th", **_date("occurred_on", date(2024, 1, 8))}
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.should_be_placed_on == date(2024, 1, 8)
    correction = entry.corrections.get()
    assert correction.note == "The signed record says the 8th" and correction.recorded_by == adm
    assert client_for(builders.user(Role.SOCIAL_WORKER, aim)).get(url).status_code == 403


@pytest.mark.django_db
def test_the_demo_households_and_childrens_seeded_decisions_still_build(aim):
    """seed_*_history (the demo, the test builders) writes decisions as the system's history."""
    household = builders.household(aim)
    assert set(household.steps.values_list("kind", flat=True)) >= {"panel", "approved"}
    assert HouseholdStep.objects.filter(household=household, recorded_by__isnull=True).exists()


@pytest.mark.django_db
def test_a_panel_member_is_linked_to_a_staff_user_of_the_agency_on_the_members_page(aim, adviser, adm, client_for):
    response = client_for(adviser).post("/panels/members/", {"name": "A Decider", "role": "other", "user": adm.pk})
    assert response.status_code == 302
    assert PanelMember.objects.get(name="A Decider").user == adm
    stranger = builders.user(Role.ADM, builders.agency("bkm", councils=("Sefton",), host="Sefton"), employer="Sefton")
    refused = client_for(adviser).post("/panels/members/", {"name": "Outsider", "role": "other", "user": stranger.pk})
    assert refused.status_code == 200 and not PanelMember.objects.filter(name="Outsider").exists()
