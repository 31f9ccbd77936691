"""A household from enquiry to approval through a real browser: a recruitment and assessment worker
adds it and records its assessment step by step, the drift page shows its Stage 2 overdue, a panel
that is not quorate cannot recommend, a quorate one does, the agency decision maker decides within
the seven working days, and the drift page no longer shows the household. axe-core checks every
page visited."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from openraa.common.workdays import add_months, add_working_days
from openraa.households import checks
from openraa.households.models import Household, StageOneCheck
from openraa.journeys.models import AdmDecision, AgendaItem, PanelMeeting, PanelMember
from openraa.journeys.panels import MemberRole
from tests import builders
from tests.browser.helpers import enter_date, error_summary, long_date, short_date, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUORATE = {
    "Pat Chair": MemberRole.CHAIR,
    "Sol Worker": MemberRole.SOCIAL_WORKER,
    "Indy Pendent": MemberRole.INDEPENDENT,
    "Dr Med Adviser": MemberRole.MEDICAL_ADVISER,
    "Oli Other": MemberRole.OTHER,
}


@pytest.fixture
def agency(transactional_db):
    """Agency AIM: its staff, and its central list of panel members (enough for a quorum)."""
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    for name, role in QUORATE.items():
        PanelMember.objects.create(agency=aim, name=name, role=role)
    return {
        "agency": aim,
        "assessor": builders.user("recruitment_assessment", aim, "Knowsley"),
        "adviser": builders.user("panel_adviser", aim, "Knowsley"),
        "adm": builders.user("adm", aim, "Knowsley"),
    }


def record_step(page, household: Household, step: str, when, check_accessibility=None) -> None:
    """From the household's page, record one step of its journey through the "Record a step" form."""
    page.get_by_role("button", name="Record a step").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a step")
    if check_accessibility:
        check_accessibility(page, "household step form")
    page.get_by_role("group", name="Step", exact=True).get_by_role("radio", name=step, exact=True).check()
    enter_date(page, "Date it happened", when)
    page.get_by_role("button", name="Record step").click()
    expect(page).to_have_url(re.compile(rf"/households/{household.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text(f"{step} recorded for {household.reference}")


def add_panel(page, held_on, members: list[str], check_accessibility=None):
    """Add a panel meeting with these members attending, from the panels list; lands on the meeting."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Panels").click()
    page.get_by_role("button", name="Add a panel meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a panel meeting")
    if check_accessibility:
        check_accessibility(page, "panel meeting form")
        page.get_by_role("button", name="Save meeting").click()
        link = error_summary(page, "Add a panel meeting").get_by_role("link", name="Enter the date of the panel")
        expect(link).to_have_attribute("href", "#id_held_on_0")
        check_accessibility(page, "panel meeting form with errors")
    enter_date(page, "Date of the panel", held_on)
    attended = page.get_by_role("group", name="Members who attended")
    for name in members:
        attended.get_by_role("checkbox", name=re.compile(f"^{name} ")).check()
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Panel of {long_date(held_on)}")
    return PanelMeeting.objects.get(held_on=held_on)


def add_approval_item(page, household: Household):
    """The item was put on the agenda before the meeting: these panels are recorded after they met, when
    the agenda can no longer change (journeys/panels.agenda_refusal), so it is written here and the page reloaded."""
    meeting = PanelMeeting.objects.order_by("-pk").first()
    AgendaItem.objects.create(meeting=meeting, kind="household_approval", household=household, position=1)
    page.reload()
    card = page.locator(".govuk-summary-card", has_text=f"Household approval: {household.reference}")
    expect(card).to_contain_text("Not yet recorded")
    return card


def recommend(card, reasons: str) -> None:
    card.get_by_role("radio", name="Recommended", exact=True).check()
    card.get_by_label("The panel's reasons").fill(reasons)
    card.get_by_role("button", name="Record recommendation").click()


def test_a_household_goes_from_enquiry_through_panel_and_adm_decision_to_approval(page, agency, check_accessibility):
    assessor, adviser, adm = agency["assessor"], agency["adviser"], agency["adm"]
    today = timezone.localdate()
    # An assessment that began eight months ago; Stage 2 started five months ago, so "Stage 2 and
    # decision within 4 months" fell due a month ago and no decision has been made.
    enquiry_on = add_months(today, -8)
    registered_on = enquiry_on + timedelta(days=14)
    stage1_started_on, stage1_ended_on = add_months(today, -7), add_months(today, -6)
    stage2_started_on, stage2_ended_on = add_months(today, -5), today - timedelta(days=20)
    stage2_due = add_months(stage2_started_on, 4)
    first_panel_on, panel_on = today - timedelta(days=12), today - timedelta(days=10)
    minutes_on = today - timedelta(days=2)
    decide_by = add_working_days(minutes_on, 7)

    # The recruitment and assessment worker adds the household from its enquiry and takes it on.
    sign_in(page, assessor)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Households").click()
    page.get_by_role("button", name="Add a household").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a household")
    page.get_by_label("Applicant 1: first name").fill("Robin")
    page.get_by_label("Applicant 1: last name").fill("Newadopter")
    enter_date(page, "Applicant 1: date of birth", (14, 7, 1988))
    page.get_by_label("Applicant 1: sex").select_option("2")
    page.get_by_label("Applicant 1: ethnicity").select_option("WBRI")
    page.get_by_label("Home council").select_option(label="Knowsley")
    page.get_by_label("Postcode district").fill("L34")
    enter_date(page, "Enquiry", enquiry_on)
    page.get_by_role("group", name="Allocated workers").get_by_role("checkbox", name=str(assessor)).check()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/households/\d+/$"))
    household = Household.objects.get(postcode_district="L34")
    expect(page).to_have_url(re.compile(rf"/households/{household.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text(f"{household.reference} saved")
    expect(page.locator(".govuk-caption-l")).to_have_text("Knowsley · Enquiry")
    expect(page.locator(".openraa-timeline")).to_contain_text(f"Enquiry {long_date(enquiry_on)}")

    # Assessment, one recorded step at a time.
    record_step(page, household, "Registration of interest", registered_on, check_accessibility)
    record_step(page, household, "Stage 1 started", stage1_started_on)
    record_step(page, household, "Stage 1 completed", stage1_ended_on)
    record_step(page, household, "Stage 2 started", stage2_started_on)
    record_step(page, household, "Stage 2 completed", stage2_ended_on)
    # Every applicant's Stage 1 checks, complete and clear (their own page is tested in tests/households).
    StageOneCheck.objects.bulk_create(
        StageOneCheck(
            household=household,
            applicant=applicant,
            kind=kind,
            requested_on=stage1_started_on,
            completed_on=stage1_ended_on,
            outcome="clear",
        )
        for applicant in household.applicants.all()
        for kind in checks.REQUIRED[checks.AdultKind.APPLICANT]
    )
    expect(page.locator(".govuk-caption-l")).to_have_text("Knowsley · Awaiting panel")
    timescale = page.get_by_role("listitem").filter(has_text="Stage 2 and decision within 4 months")
    expect(timescale).to_contain_text(f"Overdue Stage 2 and decision within 4 months: due {short_date(stage2_due)}")

    # The approval range the assessment recommends is part of the record.
    page.get_by_role("button", name=f"Edit {household.reference}").click()
    expect(page.get_by_role("group", name="Enquiry")).to_have_count(0)  # recorded as a step
    page.get_by_label("Number of children").fill("2")
    page.get_by_label("Youngest age (years)").fill("0")
    page.get_by_label("Oldest age (years)").fill("4")
    page.get_by_role("button", name="Save").click()
    approval_range = page.locator(".govuk-summary-list__row", has_text="Approval range")
    expect(approval_range).to_contain_text("up to 2 children aged 0 to 4")

    # Drift: the worker's own overdue item.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Drift").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your overdue and due-soon items")
    items = page.get_by_role("table", name="Your items")
    overdue = items.get_by_role("row").filter(has=page.get_by_role("link", name=household.reference))
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text("Stage 2 and decision within 4 months")
    expect(overdue).to_contain_text("Awaiting panel")
    expect(overdue).to_contain_text(f"Overdue by {(today - stage2_due).days} days")
    expect(overdue).to_contain_text(str(assessor))
    expect(page.get_by_role("listitem").filter(has_text="overdue")).to_have_text("1 overdue")
    check_accessibility(page, "drift (mine) with an overdue household")
    sign_out(page)

    # The panel adviser runs the panels. The first is not quorate: it cannot recommend.
    sign_in(page, adviser)
    meeting = add_panel(page, first_panel_on, ["Pat Chair", "Sol Worker", "Indy Pendent"], check_accessibility)
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "Not quorate: 3 members attended; at least 5 are needed"
    )
    card = add_approval_item(page, household)
    item = AgendaItem.objects.get(meeting=meeting)
    recommend(card, "Ready for approval")
    summary = error_summary(page, f"Panel of {long_date(first_panel_on)}")
    link = summary.get_by_role("link", name="The panel was not quorate: 3 members attended; at least 5 are needed")
    expect(link).to_have_attribute("href", f"#id_item{item.pk}-recommendation_0")
    expect(page.locator(f"#id_item{item.pk}-recommendation_error")).to_contain_text("The panel was not quorate")
    check_accessibility(page, "panel detail with errors")
    link.click()
    expect(page.get_by_role("radio", name="Recommended", exact=True)).to_be_focused()
    item.refresh_from_db()
    household.refresh_from_db()
    assert (item.recommendation, household.stage, household.panel_on) == ("", "awaiting_panel", None)

    # The quorate panel recommends approval, and the final minutes arrive.
    meeting = add_panel(page, panel_on, list(QUORATE))
    expect(page.get_by_text("Quorate", exact=True)).to_be_visible()
    attended = page.get_by_role("list").filter(has_text="Pat Chair")
    expect(attended.get_by_role("listitem")).to_have_count(5)
    check_accessibility(page, "panel detail (quorate, no items)")
    card = add_approval_item(page, household)
    check_accessibility(page, "panel detail with an item")
    recommend(card, "Warm, reflective applicants with a strong support network")
    expect(page.get_by_role("alert")).to_contain_text("Recommendation recorded")
    expect(card).to_contain_text("Recommended: Warm, reflective applicants with a strong support network")
    expect(card.get_by_role("button", name="Record recommendation")).to_have_count(0)
    enter_date(page, "Date the final minutes were received", minutes_on)
    page.get_by_role("button", name="Save minutes date").click()
    expect(page.get_by_role("alert")).to_contain_text("Final minutes date recorded")
    expect(card).to_contain_text(f"due {long_date(decide_by)}")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Panels").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adoption panels")
    meetings = page.get_by_role("table", name="Panel meetings")
    expect(meetings.get_by_role("row").filter(has_text=long_date(first_panel_on))).to_contain_text("Not quorate")
    expect(meetings.get_by_role("row").filter(has_text=long_date(panel_on))).to_contain_text(long_date(minutes_on))
    check_accessibility(page, "panels list")

    # Only an agency decision maker decides: the adviser sees the queue but cannot open the form.
    page.get_by_role("link", name="ADM decisions and deadlines").click()
    item = AgendaItem.objects.get(meeting=meeting)
    waiting = page.get_by_role("table", name="Waiting for a decision")
    expect(waiting).to_contain_text(household.reference)
    expect(waiting.get_by_role("link", name=re.compile(household.reference))).to_have_count(0)
    response = page.goto(f"/panels/decisions/{item.pk}/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    sign_out(page)

    # The agency decision maker decides, within the seven working days of the final minutes.
    sign_in(page, adm)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Panels").click()
    check_accessibility(page, "panels list as ADM")
    page.get_by_role("link", name="ADM decisions and deadlines").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agency decision maker")
    waiting = page.get_by_role("table", name="Waiting for a decision")
    row = waiting.get_by_role("row").filter(has_text=household.reference)
    expect(row).to_contain_text("Recommended")
    expect(row).to_contain_text(f"Due soon {short_date(decide_by)}")
    check_accessibility(page, "ADM decisions queue")
    row.get_by_role("link", name=f"Household approval {household.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Household approval: {household.reference}")
    expect(page.locator("main")).to_contain_text(f"Decide by {long_date(decide_by)}")
    expect(page.locator("main")).to_contain_text("The panel: Recommended. Warm, reflective applicants")
    check_accessibility(page, "ADM decision form")
    page.get_by_role("button", name="Record decision").click()
    summary = error_summary(page, f"Decision on household approval: {household.reference}")
    for message in (
        "Select whether you agree with the panel's recommendation",
        "Enter the reasons for your decision",
        "Enter the date of the decision",
    ):
        expect(summary.get_by_role("link", name=message)).to_have_count(1)
    check_accessibility(page, "ADM decision form with errors")
    page.get_by_role("radio", name="Yes, I agree").check()
    page.get_by_label("Reasons for your decision").fill("I agree with the panel: approved for up to two children")
    enter_date(page, "Date of the decision", today)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Decision recorded")
    expect(waiting).to_contain_text("Nothing waiting.")
    decided = (
        page.get_by_role("table", name="Decided", exact=True).get_by_role("row").filter(has_text=household.reference)
    )
    expect(decided).to_contain_text(f"Agreed on {short_date(today)} by {adm}")
    expect(decided).to_contain_text("Met")
    check_accessibility(page, "ADM decisions queue after deciding")

    # The household is approved; its journey shows the panel and the approval.
    page.goto(f"/households/{household.pk}/")
    expect(page.locator(".govuk-caption-l")).to_have_text("Knowsley · Approved and waiting")
    journey = page.locator(".openraa-timeline")
    approval = journey.get_by_role("listitem").filter(has_text="Approved (ADM decision)")
    expect(approval).to_contain_text(long_date(today))
    expect(approval).to_contain_text(f"recorded by {adm}")
    expect(approval).to_contain_text("ADM decision: I agree with the panel")
    panel = journey.get_by_role("listitem").filter(has_text="Panel recommendation")
    expect(panel).to_contain_text(long_date(panel_on))
    expect(panel).to_contain_text(f"Recommended at Panel of {long_date(panel_on)}")
    stage2 = page.get_by_role("listitem").filter(has_text="Stage 2 and decision within 4 months")
    expect(stage2).to_contain_text("Met late")
    check_accessibility(page, "household detail after approval (as ADM)")
    sign_out(page)

    # Back on the worker's drift page, the household has nothing overdue.
    sign_in(page, assessor)
    page.goto("/drift/")
    expect(page.get_by_role("table", name="Your items").get_by_role("link", name=household.reference)).to_have_count(0)
    expect(page.get_by_text("Nothing is overdue or due in the next 14 days.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="overdue")).to_have_text("0 overdue")
    check_accessibility(page, "drift (mine) after approval")

    household.refresh_from_db()
    assert (household.stage, household.panel_on, household.approved_on) == ("approved_waiting", panel_on, today)
    assert list(household.steps.values_list("kind", flat=True)) == [
        "enquiry",
        "registration_of_interest",
        "stage1_started",
        "stage1_ended",
        "stage2_started",
        "stage2_ended",
        "panel",
        "approved",
    ]
    assert list(household.steps.values_list("recorded_by", flat=True)) == [assessor.pk] * 6 + [adviser.pk, adm.pk]
    decision = AdmDecision.objects.get()
    assert (decision.item.household, decision.decided_by, decision.agrees) == (household, adm, True)
    assert list(household.allocated_workers.all()) == [assessor]
