"""Stage 1 checks on every adult of a household: the pure rules (hypothesis), the panel refusing a
household with checks missing on both write paths, a check barring approval closing the journey
with the reason, and the checks page under the policy."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from openraa.households import checks
from openraa.households.models import OtherAdult, StageOneCheck, panel_checks_refusal
from openraa.journeys import services
from openraa.journeys.models import AgendaItem, PanelMeeting, PanelMember
from openraa.journeys.panel_forms import AgendaItemForm
from openraa.journeys.panels import MemberRole
from openraa.people.roles import Role
from tests import builders

TODAY = date(2026, 6, 1)

adults_st = st.lists(
    st.builds(
        checks.Adult,
        key=st.sampled_from([f"a:{i}" for i in range(5)]),
        kind=st.sampled_from(list(checks.AdultKind)),
        label=st.just("someone"),
    ),
    max_size=4,
    unique_by=lambda a: a.key,
)
checks_st = st.lists(
    st.builds(
        checks.Check,
        adult=st.sampled_from([f"a:{i}" for i in range(5)]),
        kind=st.sampled_from(list(checks.Kind)),
        requested_on=st.just(date(2026, 1, 5)),
        completed_on=st.one_of(st.none(), st.just(date(2026, 2, 5))),
        outcome=st.sampled_from(["", *checks.Outcome]),
    ),
    max_size=12,
)


@given(adults_st, checks_st)
def test_missing_is_every_required_check_not_completed_with_an_outcome(adults, recorded):
    gaps = {(g.adult.key, g.kind) for g in checks.missing(adults, recorded)}
    for adult in adults:
        for kind in checks.REQUIRED[adult.kind]:
            done = any(c.adult == adult.key and c.kind == kind and c.done for c in recorded)
            assert ((adult.key, kind) in gaps) is not done
    assert all(kind in checks.REQUIRED[next(a for a in adults if a.key == key).kind] for key, kind in gaps)


@given(adults_st, checks_st)
def test_a_household_goes_to_panel_only_with_an_applicant_every_check_done_and_none_barring(adults, recorded):
    refused = checks.panel_refusal(adults, recorded, "H-000001")
    has_applicant = any(a.kind == checks.AdultKind.APPLICANT for a in adults)
    ok = has_applicant and not checks.missing(adults, recorded) and not checks.barring(recorded)
    assert (refused is None) is ok
    if checks.barring(recorded) and has_applicant:
        assert "bars" in refused


@given(adults_st, checks_st)
def test_completing_every_check_clear_leaves_nothing_missing(adults, recorded):
    complete = [
        checks.Check(a.key, kind, date(2026, 1, 1), date(2026, 1, 2), checks.Outcome.CLEAR)
        for a in adults
        for kind in checks.REQUIRED[a.kind]
    ]
    assert checks.missing(adults, [*recorded, *complete]) == []
    assert checks.barring(complete) == []


def test_other_adults_need_dbs_and_local_authority_checks_only():
    other = checks.Adult("o:1", checks.AdultKind.OTHER_ADULT, "Other adult 1")
    assert [g.kind for g in checks.missing([other], [])] == [checks.Kind.DBS, checks.Kind.LOCAL_AUTHORITY]


@pytest.mark.parametrize(
    "check, field",
    [
        (checks.Check("a", "dbs", None), "requested_on"),
        (checks.Check("a", "dbs", TODAY + timedelta(days=1)), "requested_on"),
        (checks.Check("a", "dbs", TODAY, TODAY - timedelta(days=1), "clear"), "completed_on"),
        (checks.Check("a", "dbs", TODAY - timedelta(days=3), TODAY, ""), "outcome"),
        (checks.Check("a", "dbs", TODAY, None, "clear"), "completed_on"),
        (checks.Check("a", "nonsense", TODAY), "kind"),
    ],
)
def test_a_check_with_impossible_dates_or_outcome_is_refused(check, field):
    assert field in checks.check_errors(check, TODAY)


def test_every_barring_reason_names_its_check_and_fits_the_field():
    from openraa.households.domain import CLOSED_REASONS

    for kind, reason in checks.CLOSED_REASON_OF.items():
        assert len(reason) <= 20 and checks.KIND_LABELS[kind] in CLOSED_REASONS[reason]


# --- on the record -----------------------------------------------------------------------------------


def _quorate_meeting(agency, held_on):
    meeting = PanelMeeting.objects.create(agency=agency, held_on=held_on)
    roles = [MemberRole.CHAIR, MemberRole.SOCIAL_WORKER, MemberRole.INDEPENDENT, MemberRole.MEDICAL_ADVISER]
    meeting.attended_by.set(
        [PanelMember.objects.create(agency=agency, name=f"Member {i}", role=r) for i, r in enumerate(roles * 2)]
    )
    return meeting


@pytest.fixture
def unchecked(aim):
    """A household awaiting panel, none of its applicant's checks recorded."""
    return builders.household(aim, panel_on=None, approved_on=None, stage_one_checks=False)


def _complete(household, outcome="clear", kinds=None, adult=None):
    applicant = None if adult else household.applicants.get()
    for kind in kinds or checks.REQUIRED[checks.AdultKind.APPLICANT]:
        StageOneCheck.objects.create(
            household=household,
            applicant=applicant,
            other_adult=adult,
            kind=kind,
            requested_on=date(2022, 2, 10),
            completed_on=date(2022, 3, 1),
            outcome=outcome,
        )


@pytest.mark.django_db
def test_the_panel_cannot_recommend_a_household_with_checks_missing_and_nothing_changes(aim, unchecked):
    adviser = builders.user(Role.PANEL_ADVISER, aim)
    meeting = _quorate_meeting(aim, timezone.localdate() - timedelta(days=2))
    item = AgendaItem.objects.create(meeting=meeting, kind="household_approval", household=unchecked)
    with pytest.raises(ValidationError, match="Stage 1 checks missing: Enhanced DBS check for Applicant 1"):
        services.record_recommendation(item, "recommend", "Reasons", by=adviser)
    item.refresh_from_db()
    unchecked.refresh_from_db()
    assert item.recommendation == "" and unchecked.stage == "awaiting_panel" and unchecked.panel_on is None
    # The journey's own write path refuses the step whoever calls it.
    with pytest.raises(ValidationError) as refused:
        services.record_household_step(
            unchecked, "panel", meeting.held_on, by=adviser, authority=services._PANEL_OR_ADM
        )
    assert "stage1_checks" in refused.value.message_dict
    _complete(unchecked)
    services.record_recommendation(item, "recommend", "Reasons", by=adviser)
    unchecked.refresh_from_db()
    assert unchecked.stage == "awaiting_decision"


@pytest.mark.django_db
def test_another_adult_living_there_needs_their_checks_before_panel(aim):
    household = builders.household(aim, panel_on=None, approved_on=None)
    assert panel_checks_refusal(household) is None
    son = OtherAdult.objects.create(household=household, first_name="Jo", last_name="Son", relationship="Adult son")
    assert "Enhanced DBS check for Other adult 1; Local authority checks for Other adult 1" in panel_checks_refusal(
        household
    )
    _complete(household, kinds=[checks.Kind.DBS, checks.Kind.LOCAL_AUTHORITY], adult=son)
    assert panel_checks_refusal(household) is None


@pytest.mark.django_db
def test_the_agenda_form_refuses_a_household_with_checks_missing(aim, unchecked):
    adviser = builders.user(Role.PANEL_ADVISER, aim)
    form = AgendaItemForm({"kind": "household_approval", "household": unchecked.pk}, user=adviser)
    assert not form.is_valid()
    assert "Stage 1 checks missing" in str(form.errors["household"])
    _complete(unchecked)
    assert AgendaItemForm({"kind": "household_approval", "household": unchecked.pk}, user=adviser).is_valid()


@pytest.mark.django_db
def test_the_agenda_page_adds_no_item_for_a_household_with_checks_missing(aim, unchecked, client_for):
    adviser = builders.user(Role.PANEL_ADVISER, aim)
    meeting = _quorate_meeting(aim, timezone.localdate() + timedelta(days=5))
    page = client_for(adviser).post(
        f"/panels/{meeting.pk}/", {"action": "item", "kind": "household_approval", "household": unchecked.pk}
    )
    assert page.status_code == 200 and "Stage 1 checks missing" in page.content.decode()
    assert not meeting.items.exists()


def _post_check(client, household, **values):
    data = {
        "adult": household.applicants.get().check_key,
        "kind": "dbs",
        "requested_on_0": "10",
        "requested_on_1": "2",
        "requested_on_2": "2022",
        "completed_on_0": "1",
        "completed_on_1": "3",
        "completed_on_2": "2022",
        "outcome": "clear",
        "note": "",
        **values,
    }
    return client.post(f"/households/{household.pk}/checks/new/", data)


@pytest.mark.django_db
def test_a_check_that_bars_approval_closes_the_household_with_the_reason(aim, client_for):
    household = builders.household(aim, panel_on=None, approved_on=None, stage_one_checks=False)
    worker = builders.user(Role.RECRUITMENT_ASSESSMENT, aim)
    client = client_for(worker)
    saved = _post_check(client, household, outcome="bars", note="Conviction disclosed")
    assert saved.status_code == 302
    household.refresh_from_db()
    assert household.stage == "closed" and household.closed_reason == "check_dbs"
    assert household.closed_on == timezone.localdate()
    closing = household.steps.get(kind="closed")
    assert closing.recorded_by == worker and "Enhanced DBS check for Applicant 1 bars approval" in closing.note
    assert "Sam" not in closing.note  # the journey's note names no one
    detail = client.get(f"/households/{household.pk}/").content.decode()
    assert "Enhanced DBS check bars approval" in detail
    page = client.get(f"/households/{household.pk}/checks/").content.decode()
    assert "Enhanced DBS check bars approval" in page and "Bars approval" in page
    assert StageOneCheck.history.filter(household_id=household.pk).exists()  # kept in its history


@pytest.mark.django_db
def test_a_check_with_its_outcome_but_no_completion_date_changes_nothing(aim, client_for):
    household = builders.household(aim, panel_on=None, approved_on=None, stage_one_checks=False)
    client = client_for(builders.user(Role.RECRUITMENT_ASSESSMENT, aim))
    page = _post_check(client, household, outcome="bars", completed_on_0="", completed_on_1="", completed_on_2="")
    assert page.status_code == 200 and "Give the date the check was completed" in page.content.decode()
    household.refresh_from_db()
    assert not household.stage_one_checks.exists() and household.closed_on is None


@pytest.mark.django_db
def test_a_viewer_sees_the_checks_and_only_the_change_grant_records_them(aim, client_for):
    household = builders.household(aim, panel_on=None, approved_on=None)
    adm = client_for(builders.user(Role.ADM, aim))
    page = adm.get(f"/households/{household.pk}/checks/")
    assert page.status_code == 200 and "Enhanced DBS check" in page.content.decode()
    assert "Record a check" not in page.content.decode()
    assert _post_check(adm, household).status_code == 403
    assert adm.get(f"/households/{household.pk}/adults/new/").status_code == 403
    assert household.stage_one_checks.count() == 4


@pytest.mark.django_db
def test_an_other_adult_is_added_through_the_page(aim, client_for):
    household = builders.household(aim, panel_on=None, approved_on=None)
    client = client_for(builders.user(Role.RECRUITMENT_ASSESSMENT, aim))
    saved = client.post(
        f"/households/{household.pk}/adults/new/",
        {"first_name": "Jo", "last_name": "Testson", "relationship": "Adult son"},
    )
    assert saved.status_code == 302
    adult = household.other_adults.get()
    assert adult.history.count() == 1
    page = client.get(f"/households/{household.pk}/checks/").content.decode()
    assert "Jo Testson" in page and "Enhanced DBS check for Jo Testson (Adult son)" in page


@pytest.mark.django_db
def test_an_adult_who_moved_out_needs_no_further_checks(aim, client_for):
    household = builders.household(aim, panel_on=None, approved_on=None)
    son = OtherAdult.objects.create(household=household, first_name="Jo", last_name="Son", relationship="Adult son")
    assert panel_checks_refusal(household) is not None
    client = client_for(builders.user(Role.RECRUITMENT_ASSESSMENT, aim))
    saved = client.post(
        f"/households/{household.pk}/adults/{son.pk}/",
        {
            "first_name": "Jo",
            "last_name": "Son",
            "relationship": "Adult son",
            "moved_out_on_0": "1",
            "moved_out_on_1": "3",
            "moved_out_on_2": "2022",
        },
    )
    assert saved.status_code == 302
    son.refresh_from_db()
    assert son.moved_out_on == date(2022, 3, 1) and son.history.count() == 1 + 1
    assert panel_checks_refusal(household) is None
    assert "moved out 1 March 2022" in client.get(f"/households/{household.pk}/checks/").content.decode()
