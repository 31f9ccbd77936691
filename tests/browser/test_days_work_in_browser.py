"""A day's work through a real browser, axe-core on every page: a recruitment worker records a visit
note and uploads the Prospective Adopter's Report, and finds the panel in the calendar; the panel
adviser puts the household on the agenda, records attendance on the day and the recommendation; the
decision maker opens the minutes from the decision page and decides; the worker makes the approval
letter; a support worker logs a letterbox letter in, reads and checks it, and passes it on."""

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from openraa.casework import services as casework
from openraa.casework.models import Document
from openraa.casework.subjects import SUBJECTS
from openraa.journeys.models import PanelMeeting, PanelMember
from openraa.journeys.panels import MemberRole
from openraa.support.models import LetterboxAgreement
from tests import builders
from tests.browser.helpers import enter_date, long_date, sign_in, sign_out
from tests.support.matrix_support import agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n% Prospective Adopter's Report (synthetic)\n%%EOF\n"
MINUTES = b"%PDF-1.4\n% Minutes of the adoption panel (synthetic)\n%%EOF\n"
QUORATE = {
    "Pat Chair": MemberRole.CHAIR,
    "Sol Worker": MemberRole.SOCIAL_WORKER,
    "Indy Pendent": MemberRole.INDEPENDENT,
    "Dr Med Adviser": MemberRole.MEDICAL_ADVISER,
    "Oli Other": MemberRole.OTHER,
}


def test_a_days_work(page, transactional_db, check_accessibility):
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    for name, role in QUORATE.items():
        PanelMember.objects.create(agency=aim, name=name, role=role)
    assessor = builders.user("recruitment_assessment", aim, "Knowsley")
    adviser = builders.user("panel_adviser", aim, "Knowsley")
    adm = builders.user("adm", aim, "Knowsley")
    administrator = builders.user("administrator", aim, "Knowsley")
    support_worker = builders.user("support_worker", aim, "Knowsley")
    today = timezone.localdate()
    household = builders.household(
        aim,
        approved=False,
        stage2_ended_on=date(2022, 8, 15),
        approved_children=2,
        age_min=0,
        age_max=6,
    )
    household.allocated_workers.add(assessor)
    meeting = PanelMeeting.objects.create(agency=aim, held_on=today)
    adopters = builders.household(aim)
    letters = agreement(aim, builders.council("Knowsley"), household=adopters, starts_on=date(today.year - 1, 1, 1))

    # The recruitment worker records the visit.
    sign_in(page, assessor, check_accessibility)
    page.goto(f"/households/{household.pk}/")
    check_accessibility(page, "household page")
    page.get_by_role("button", name="Add a case note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Add a case note to {household.reference}")
    check_accessibility(page, "case note form")
    page.get_by_label("What kind of note").select_option(label="Visit")
    page.get_by_label("Note", exact=True).fill("Home visit: the spare room is ready; both applicants at home")
    page.get_by_role("button", name="Save the note").click()
    expect(page).to_have_url(re.compile(rf"/households/{household.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text(f"Case note saved on {household.reference}")
    expect(page.locator(".openraa-timeline")).to_contain_text("Home visit: the spare room is ready")
    check_accessibility(page, "household page with the note")

    # ... uploads the Prospective Adopter's Report ...
    page.get_by_role("link", name="Documents (0)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    check_accessibility(page, "documents")
    page.get_by_role("button", name="Upload a document").click()
    page.get_by_label("Document").select_option(label="Prospective Adopter's Report")
    page.get_by_label("Title").fill("Prospective Adopter's Report")
    page.get_by_label("File").set_input_files(files=[{"name": "PAR.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    check_accessibility(page, "upload form")
    page.get_by_role("button", name="Upload the document").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Prospective Adopter's Report uploaded to {household.reference}")
    expect(page.get_by_role("heading", level=2, name="Prospective Adopter's Report")).to_be_visible()
    check_accessibility(page, "documents with the report")

    # ... and finds the panel in the calendar.
    page.goto("/panels/calendar/")
    expect(page.locator("main")).to_contain_text(long_date(today))
    check_accessibility(page, "panel calendar")
    sign_out(page)

    # The panel adviser puts the household on the agenda, takes attendance on the day, and records
    # the recommendation.
    sign_in(page, adviser)
    page.goto(f"/panels/{meeting.pk}/")
    check_accessibility(page, "meeting page")
    page.get_by_label("Find by reference or name").fill(household.reference)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name=f"Add {household.reference}").click()
    card = page.locator(".govuk-summary-card", has_text=household.reference)
    expect(card).to_be_visible()
    attended = page.get_by_role("group", name="Members who attended on the day")
    for name in QUORATE:
        attended.get_by_role("checkbox", name=re.compile(f"^{name} ")).check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("main")).to_contain_text("Quorate")
    for name in QUORATE:
        expect(page.get_by_role("listitem").filter(has_text=name).first).to_be_visible()
    check_accessibility(page, "meeting with attendance")
    card = page.locator(".govuk-summary-card", has_text=household.reference)
    card.get_by_role("radio", name="Recommended", exact=True).check()
    card.get_by_label("The panel's reasons").fill("Warm, reflective applicants with a strong network")
    card.get_by_role("button", name="Record recommendation").click()
    expect(page.locator(".govuk-summary-card", has_text=household.reference)).to_contain_text("Recommended")
    # The minutes, typed up and kept on the household's record; their date on the meeting.
    casework.upload_document(
        SUBJECTS["households"],
        household,
        kind="panel_minutes",
        title="Minutes of the panel",
        restricted=False,
        upload=SimpleUploadedFile("minutes.pdf", MINUTES),
        by=administrator,
    )
    enter_date(page, "Date the final minutes were received", today)
    page.get_by_role("button", name="Save minutes date").click()
    expect(page.locator("main")).to_contain_text(f"received {long_date(today)}")
    sign_out(page)

    # The decision maker opens the minutes from the decision page and decides.
    sign_in(page, adm)
    item = meeting.items.get()
    page.goto(f"/panels/decisions/{item.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Household approval: {household.reference}")
    check_accessibility(page, "decision page with the minutes")
    with page.expect_download() as opened:
        page.get_by_role("link", name=re.compile("^Minutes of the panel")).click()
    with open(opened.value.path(), "rb") as minutes:
        assert minutes.read() == MINUTES
    page.get_by_role("radio", name="Yes, I agree").check()
    page.get_by_label("Reasons for your decision").fill("I agree with the panel")
    enter_date(page, "Date of the decision", today)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Decision recorded")
    household.refresh_from_db()
    assert household.approved_on == today
    sign_out(page)

    # The worker makes the approval letter; it is kept with the documents.
    sign_in(page, assessor)
    page.goto(f"/households/{household.pk}/")
    page.get_by_role("link", name="Letters", exact=True).click()
    check_accessibility(page, "letters")
    page.get_by_role("button", name=re.compile("Approval as prospective adopters")).click()
    expect(page.get_by_role("alert")).to_contain_text("Approval as prospective adopters made")
    expect(page.get_by_role("heading", level=2, name="Approval as prospective adopters")).to_be_visible()
    assert Document.objects.filter(household=household, kind="letter", restricted=True).count() == 1
    sign_out(page)

    # A support worker logs a letter in from the birth relative, reads and checks it, and passes it on.
    sign_in(page, support_worker)
    page.goto(f"/support/letterbox/{letters.pk}/")
    check_accessibility(page, "letterbox agreement")
    page.get_by_role("button", name="Log a letter").click()
    page.get_by_role("radio", name="From the birth relative to the adoptive family").check()
    page.get_by_label("Due").select_option(index=1)
    enter_date(page, "Received by the agency (if it has arrived)", today - timedelta(days=1))
    check_accessibility(page, "log a letter")
    page.get_by_role("button", name="Log the letter").click()
    page.get_by_role("link", name=re.compile("^Record")).first.click()
    check_accessibility(page, "letter page")
    enter_date(page, "Passed on", today)
    page.get_by_role("button", name="Save").click()  # not yet read and checked: refused
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    enter_date(page, "Read and checked", today)
    enter_date(page, "Passed on", today)
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/support/letterbox/{letters.pk}/$"))
    expect(page.get_by_role("table")).to_contain_text(f"by {support_worker.get_full_name()}")
    check_accessibility(page, "letterbox agreement after passing on")
    exchange = LetterboxAgreement.objects.get(pk=letters.pk).exchanges.get()
    assert (exchange.checked_by, exchange.passed_on_on) == (support_worker, today)
