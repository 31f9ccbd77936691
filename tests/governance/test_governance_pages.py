"""Governance pages: the overview, forms that change nothing on bad input, extensions that end a
reminder, complaints escalated as superseding entries, other agencies' records answering 404, the
home page's reminders and the reminder command."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from openraa.governance.models import (
    Action,
    Agreement,
    AgreementExtension,
    Board,
    Complaint,
    ComplaintStageEntry,
    Decision,
    Document,
    Meeting,
)
from openraa.governance.selectors import governance_reminders
from tests import builders

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def expiring_agreement(agency, days_left=30, **overrides):
    """A 3-year agreement whose term ends `days_left` days from today."""
    expires = today() + timedelta(days=days_left)
    starts_on = (expires + timedelta(days=1)).replace(year=expires.year - 3)
    values = {
        "title": "Partnership agreement",
        "kind": "partnership",
        "starts_on": starts_on,
        "term_years": 3,
        "reminder_days": 90,
        **overrides,
    }
    return Agreement.objects.create(agency=agency, **values)


def date_fields(name, when):
    return {f"{name}_0": str(when.day), f"{name}_1": str(when.month), f"{name}_2": str(when.year)}


@pytest.fixture
def admin(aim):
    return builders.user("administrator", aim, "Knowsley")


def test_overview_lists_each_kind_of_record_with_its_status(aim, admin, client_for):
    agreement = expiring_agreement(aim)
    Document.objects.create(
        agency=aim,
        kind="information_sharing",
        title="Information-sharing agreement",
        owner="DPO",
        version="2.0",
        approved_on=date(2023, 1, 1),
        review_due_on=today() - timedelta(days=1),
    )
    board = Board.objects.create(
        agency=aim, name="Management Board", kind="management", frequency="quarterly", established_on=date(2020, 1, 1)
    )
    Meeting.objects.create(board=board, held_on=date(2025, 1, 31), quorate=True)
    Action.objects.create(
        board=board,
        description="Revise the risk-sharing agreement",
        owner="Finance lead",
        due_on=today() - timedelta(days=3),
    )
    page = client_for(admin).get(reverse("governance:overview")).content.decode()
    assert agreement.title in page and "Expiring soon" in page
    assert "Review overdue" in page
    assert "30 Apr 2025" in page  # the quarterly board's next meeting
    assert "Revise the risk-sharing agreement" in page and "Overdue" in page
    assert "Add an agreement" in page


def test_readers_see_the_records_but_no_add_links_and_social_workers_are_refused(aim, client_for):
    expiring_agreement(aim)
    board_member = builders.user("board_member", aim, "Liverpool")
    page = client_for(board_member).get(reverse("governance:overview")).content.decode()
    assert "Partnership agreement" in page and "Add an agreement" not in page
    assert client_for(board_member).get(reverse("governance:agreement-create")).status_code == 403
    assert client_for(board_member).get(reverse("governance:complaints")).status_code == 403
    worker = builders.user("social_worker", aim, "Knowsley")
    assert client_for(worker).get(reverse("governance:overview")).status_code == 403


def test_add_an_agreement_derives_its_expiry_and_keeps_history(aim, admin, client_for):
    data = {
        "title": "AIM partnership agreement",
        "kind": "partnership",
        "term_years": "3",
        "reminder_days": "180",
        **date_fields("starts_on", date(2018, 4, 1)),
    }
    response = client_for(admin).post(reverse("governance:agreement-create"), data)
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response.url == reverse("governance:agreement", kwargs={"pk": agreement.pk})
    assert agreement.agency == aim and agreement.expires_on == date(2021, 3, 31)
    assert agreement.history.get().history_user == admin


def test_bad_input_shows_the_error_summary_and_changes_nothing(aim, admin, client_for):
    client = client_for(admin)
    response = client.post(
        reverse("governance:agreement-create"),
        {
            "title": "",
            "kind": "partnership",
            "term_years": "0",
            "reminder_days": "180",
            **date_fields("starts_on", date(2018, 4, 1)),
            "ended_on_0": "31",
            "ended_on_1": "2",
            "ended_on_2": "2020",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "Enter title" in page
    assert "Enter a real date" in page
    assert not Agreement.objects.exists()
    response = client.post(
        reverse("governance:document-create"),
        {
            "kind": "terms_of_reference",
            "title": "Terms",
            "owner": "Secretary",
            "version": "1",
            "reminder_days": "30",
            **date_fields("approved_on", date(2025, 5, 1)),
            **date_fields("review_due_on", date(2025, 4, 1)),
        },
    )
    assert "The review must be due after the date it was approved" in response.content.decode()
    assert not Document.objects.exists()


def test_an_extension_moves_the_expiry_and_the_reminder_goes(aim, admin, client_for):
    agreement = expiring_agreement(aim)
    assert [r.title for r in governance_reminders(admin)] == [agreement.title]
    client = client_for(admin)
    url = reverse("governance:agreement-extend", kwargs={"pk": agreement.pk})
    earlier = client.post(
        url, {"reason": "Pending review", **date_fields("new_expiry", today()), **date_fields("decided_on", today())}
    )
    assert "must be after the current one" in earlier.content.decode()
    assert not AgreementExtension.objects.exists()
    new_expiry = today() + timedelta(days=400)
    response = client.post(
        url,
        {
            "reason": "Extended for a year pending review",
            **date_fields("new_expiry", new_expiry),
            **date_fields("decided_on", today()),
        },
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.expires_on == new_expiry and agreement.status(today()) == "in_force"
    assert governance_reminders(admin) == []
    page = client.get(reverse("governance:agreement", kwargs={"pk": agreement.pk})).content.decode()
    assert "Extended for a year pending review" in page and "Changes to this record" in page


def test_another_agencys_records_answer_404(aim, admin, client_for):
    other = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    agreement = expiring_agreement(other)
    complaint = Complaint.objects.create(
        agency=other, council=builders.council("Sefton"), received_on=today(), about="Delay"
    )
    ComplaintStageEntry.objects.create(complaint=complaint, stage="stage_1", started_on=today())
    client = client_for(admin)
    for url in (
        reverse("governance:agreement", kwargs={"pk": agreement.pk}),
        reverse("governance:agreement-extend", kwargs={"pk": agreement.pk}),
        reverse("governance:complaint", kwargs={"pk": complaint.pk}),
        reverse("governance:complaint-escalate", kwargs={"pk": complaint.pk}),
    ):
        assert client.get(url).status_code == 404, url
    assert governance_reminders(admin) == []


def test_home_page_shows_reminders_only_to_governance_readers(aim, admin, client_for):
    expiring_agreement(aim, title="AIM agreement 2022")
    Document.objects.create(
        agency=aim,
        kind="secondment",
        title="Secondment agreement",
        owner="HR",
        version="1",
        approved_on=date(2020, 1, 1),
        review_due_on=today() + timedelta(days=500),
    )
    page = client_for(admin).get(reverse("home")).content.decode()
    assert "Governance reminders" in page and "AIM agreement 2022" in page
    assert "Secondment agreement" not in page  # its review is not yet within its reminder window
    worker = builders.user("social_worker", aim, "Knowsley")
    assert "Governance reminders" not in client_for(worker).get(reverse("home")).content.decode()


def test_a_meeting_records_its_decisions_and_moves_the_next_meeting(aim, admin, client_for):
    board = Board.objects.create(
        agency=aim,
        name="Operational Group",
        kind="operational",
        frequency="six_weekly",
        established_on=date(2020, 1, 1),
    )
    response = client_for(admin).post(
        reverse("governance:meeting-create", kwargs={"pk": board.pk}),
        {
            **date_fields("held_on", date(2025, 3, 3)),
            "quorate": "on",
            "decisions": "Budget monitoring noted\n\nRecruitment campaign approved",
        },
    )
    assert response.status_code == 302
    assert list(Decision.objects.values_list("text", flat=True)) == [
        "Budget monitoring noted",
        "Recruitment campaign approved",
    ]
    assert Board.objects.get().next_meeting_due == date(2025, 4, 14)


def test_a_member_and_a_workstream_name_a_member_council_of_the_agency(aim, admin, client_for):
    builders.agency("bkm", councils=("Sefton",), host="Sefton")
    board = Board.objects.create(
        agency=aim, name="Executive Board", kind="executive", frequency="half_yearly", established_on=date(2020, 1, 1)
    )
    sefton = builders.council("Sefton")
    response = client_for(admin).post(
        reverse("governance:member-create", kwargs={"pk": board.pk}),
        {"name": "A Director", "council": sefton.pk, "role_on_board": "Chair"},
    )
    assert "Select a valid choice" in response.content.decode() and not board.members.exists()


def test_a_complaint_starts_at_stage_1_and_escalation_keeps_the_stage_before(aim, admin, client_for):
    client = client_for(admin)
    knowsley = builders.council("Knowsley")
    received = date(2025, 4, 17)
    response = client.post(
        reverse("governance:complaint-create"),
        {"council": knowsley.pk, "about": "Delay in support", **date_fields("received_on", received)},
    )
    complaint = Complaint.objects.get()
    assert response.url == reverse("governance:complaint", kwargs={"pk": complaint.pk})
    stage = complaint.current_stage
    assert stage.stage == "stage_1" and stage.due_on == date(2025, 5, 6) and stage.overdue(date(2025, 5, 7))

    respond = reverse("governance:complaint-respond", kwargs={"pk": complaint.pk})
    response = client.post(respond, {**date_fields("responded_on", date(2025, 5, 2))})
    assert "Select the outcome of the response" in response.content.decode()
    assert ComplaintStageEntry.objects.get().responded_on is None
    client.post(respond, {**date_fields("responded_on", date(2025, 5, 2)), "outcome": "not_upheld"})
    assert ComplaintStageEntry.objects.get().outcome == "not_upheld"

    escalate = reverse("governance:complaint-escalate", kwargs={"pk": complaint.pk})
    response = client.post(escalate, date_fields("started_on", date(2025, 4, 1)))
    assert "cannot be before the current stage started" in response.content.decode()
    client.post(escalate, date_fields("started_on", date(2025, 5, 12)))
    stages = list(Complaint.objects.get().stages.order_by("started_on"))
    assert [s.stage for s in stages] == ["stage_1", "stage_2"] and stages[0].outcome == "not_upheld"
    assert stages[1].due_on == date(2025, 6, 17)  # 25 working days, the late May bank holiday skipped
    page = client.get(reverse("governance:complaints")).content.decode()
    assert complaint.reference in page and "Stage 2: investigation" in page and "Overdue" in page
    for started_on in (date(2025, 6, 20), date(2025, 8, 1)):
        client.post(escalate, date_fields("started_on", started_on))
    assert Complaint.objects.get().current_stage.stage == "ombudsman"
    assert client.get(escalate).status_code == 404


def test_an_inter_country_case_refuses_dates_out_of_order(aim, admin, client_for):
    from openraa.governance.models import InterCountryCase

    response = client_for(admin).post(
        reverse("governance:intercountry-create"),
        {
            "household_reference": "H-000123",
            "country": "Chile",
            "provider": "Specialist service",
            "status": "approved",
            **date_fields("enquiry_on", date(2025, 3, 1)),
            **date_fields("approved_on", date(2025, 1, 1)),
        },
    )
    assert "The dates must follow one another" in response.content.decode()
    assert not InterCountryCase.objects.exists()


def test_an_action_is_marked_done(aim, admin, client_for):
    board = Board.objects.create(
        agency=aim, name="Management Board", kind="management", frequency="quarterly", established_on=date(2020, 1, 1)
    )
    action = Action.objects.create(
        board=board, description="Circulate the strategy", owner="Head of Service", due_on=today() - timedelta(days=5)
    )
    response = client_for(admin).post(
        reverse("governance:action-change", kwargs={"pk": action.pk}),
        {
            "description": action.description,
            "owner": action.owner,
            **date_fields("due_on", action.due_on),
            **date_fields("done_on", today()),
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == today() and not action.overdue(today())


def test_the_reminder_command_prints_and_emails_the_administrators(aim, admin, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    expiring_agreement(aim, title="AIM agreement 2022")
    from io import StringIO

    out = StringIO()
    call_command("governance_reminders", "--agency", "aim", stdout=out)
    assert "AIM agreement 2022" in out.getvalue() and "expiring soon" in out.getvalue()
    admin.email = "admin@example.invalid"
    admin.save()
    call_command("governance_reminders", "--email", stdout=StringIO())
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["admin@example.invalid"]
    assert "AIM agreement 2022" in mail.outbox[0].body


def test_the_demo_loader_gives_aim_its_agreements_boards_and_a_reminder(aim):
    from openraa.governance.demo import load_aim_governance

    load_aim_governance(aim)
    first = Agreement.objects.get(title__endswith="2018")
    assert first.original_expiry == date(2021, 3, 31) and first.expires_on == date(2022, 3, 31)
    assert Board.objects.filter(agency=aim).count() == 2 and Document.objects.filter(agency=aim).count() == 7
    assert Complaint.objects.get().current_stage.stage == "stage_1"


def test_change_pages_keep_the_saved_name_in_the_title_when_the_input_is_wrong(aim, admin, client_for):
    agreement = expiring_agreement(aim, title="AIM partnership agreement")
    client = client_for(admin)
    url = reverse("governance:agreement-change", kwargs={"pk": agreement.pk})
    assert "Change AIM partnership agreement" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "",
            "kind": "partnership",
            "term_years": "3",
            "reminder_days": "90",
            **date_fields("starts_on", agreement.starts_on),
        },
    )
    assert "Change AIM partnership agreement" in response.content.decode()
    assert Agreement.objects.get().title == "AIM partnership agreement"


def test_the_services_keep_each_write_in_history_under_the_user_without_a_page(aim, admin):
    """The pages' one write path, callable as it is by a command or the API: the history names the
    user because the service says who wrote, not because a request was there to read it from."""
    from openraa.governance import services

    council = builders.council("Knowsley")
    complaint = services.record_complaint(aim, council, today(), "Delay in the assessment", by=admin)
    stage = ComplaintStageEntry.objects.get(complaint=complaint)
    assert stage.stage == "stage_1" and stage.started_on == today()
    board = services.save_board(
        Board(
            agency=aim,
            name="Management Board",
            kind="management",
            frequency="quarterly",
            established_on=date(2020, 1, 1),
        ),
        by=admin,
    )
    meeting = services.record_meeting(
        Meeting(board=board, held_on=date(2025, 1, 31), quorate=True),
        ["Approve the budget", "Review the risk register"],
        by=admin,
    )
    records = [complaint, stage, board, meeting, *Decision.objects.filter(meeting=meeting)]
    assert len(records) == 6
    assert all(record.history.get().history_user == admin for record in records)


@pytest.mark.django_db
def test_an_operational_group_may_meet_every_two_months(aim, client_for):
    admin = client_for(builders.user("administrator", aim))
    data = {"name": "Operational Group", "kind": "operational", "frequency": "bi_monthly"}
    response = admin.post(
        "/governance/boards/new/",
        {**data, "established_on_0": "1", "established_on_1": "11", "established_on_2": "2017"},
    )
    assert response.status_code == 302
    group = Board.objects.get(agency=aim, name="Operational Group")
    assert group.frequency_label == "Every 2 months" and group.next_meeting_due == date(2017, 11, 1)
