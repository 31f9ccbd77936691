"""Adoption in Merseyside's governance records for the demo: synthetic, shaped like a real RAA's.
The first partnership agreement ran three years from 1 April 2018 and was extended to 31 March
2022 pending review; its successor runs five years from 1 April 2022, so it is approaching expiry."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from openraa.common.workdays import add_months
from openraa.governance import schedule
from openraa.governance.models import (
    Action,
    Agreement,
    AgreementExtension,
    Board,
    BoardMember,
    Complaint,
    ComplaintStageEntry,
    Decision,
    Document,
    InterCountryCase,
    Meeting,
    Workstream,
)

DOCUMENTS = [  # kind, title, owner, months since approval, review every (months)
    (Document.Kind.SECONDMENT, "Secondment agreement", "Head of Service", 30, 36),
    (Document.Kind.SERVICE_SPECIFICATION, "Service specification", "Commissioning manager", 10, 12),
    (Document.Kind.INFORMATION_SHARING, "Information-sharing agreement", "Data protection officer", 22, 24),
    (Document.Kind.RISK_SHARING, "Risk-sharing agreement", "Finance lead", 14, 36),
    (Document.Kind.ROLE_OF_HOST, "Role of the host", "Host council's director", 6, 36),
    (Document.Kind.TERMS_OF_REFERENCE, "Management Board terms of reference", "Board secretary", 13, 12),
    (Document.Kind.COMPLAINTS_PROCEDURE, "Complaints procedure", "Complaints manager", 8, 24),
]


@transaction.atomic
def load_aim_governance(agency) -> None:
    today = timezone.localdate()
    councils = list(agency.member_councils())
    host = agency.host_council or councils[0]

    first = Agreement(
        agency=agency,
        title="Adoption in Merseyside partnership agreement 2018",
        kind=Agreement.Kind.PARTNERSHIP,
        starts_on=date(2018, 4, 1),
        term_years=3,
        ended_on=date(2022, 3, 31),
    )
    first.save()
    AgreementExtension(
        agreement=first,
        new_expiry=date(2022, 3, 31),
        decided_on=date(2021, 2, 15),
        reason="Extended for a year pending the review of the partnership",
    ).save()
    Agreement(
        agency=agency,
        title="Adoption in Merseyside partnership agreement 2022",
        kind=Agreement.Kind.PARTNERSHIP,
        starts_on=date(2022, 4, 1),
        term_years=5,
        reminder_days=180,
    ).save()
    Agreement(
        agency=agency,
        title="Hosting agreement with the host council",
        kind=Agreement.Kind.HOSTING,
        starts_on=date(2022, 4, 1),
        term_years=10,
    ).save()

    for kind, title, owner, months_ago, every in DOCUMENTS:
        approved_on = add_months(today, -months_ago)
        Document(
            agency=agency,
            kind=kind,
            title=title,
            owner=owner,
            version=f"{1 + months_ago // 12}.0",
            approved_on=approved_on,
            review_due_on=add_months(approved_on, every),
        ).save()

    boards = {}
    for kind, name, frequency in (
        (Board.Kind.MANAGEMENT, "Management Board", schedule.Frequency.QUARTERLY),
        (Board.Kind.OPERATIONAL, "Operational Group", schedule.Frequency.SIX_WEEKLY),
        (Board.Kind.EXECUTIVE, "Executive Board", schedule.Frequency.HALF_YEARLY),
    ):
        board = boards[kind] = Board(
            agency=agency, name=name, kind=kind, frequency=frequency, established_on=date(2017, 11, 1)
        )
        board.save()
        for index, council in enumerate(councils):
            BoardMember(
                board=board,
                name=f"Member {index + 1} of the {name}",
                council=council,
                role_on_board="Chair" if council == host else "Council representative",
            ).save()
    management = boards[Board.Kind.MANAGEMENT]
    for months_ago, quorate in ((5, True), (2, False)):
        meeting = Meeting(board=management, held_on=add_months(today, -months_ago), quorate=quorate)
        meeting.save()
        Decision(meeting=meeting, text="Quarterly performance report noted").save()
    # The other groups met on time too, so only the management board's actions call for attention.
    Meeting(board=boards[Board.Kind.OPERATIONAL], held_on=today - timedelta(weeks=4), quorate=True).save()
    meeting = Meeting(board=boards[Board.Kind.EXECUTIVE], held_on=add_months(today, -4), quorate=True)
    meeting.save()
    Decision(meeting=meeting, text="The partnership agreement's review to start a year before it expires").save()
    Action(
        board=management,
        description="Bring the revised risk-sharing agreement to the next meeting",
        owner="Finance lead",
        due_on=today - timedelta(days=20),
    ).save()
    Action(
        board=management,
        description="Circulate the adopter recruitment strategy",
        owner="Head of Service",
        due_on=today + timedelta(days=30),
    ).save()

    for name, council, status in (
        ("Adoption support offer", councils[-1], Workstream.Status.IN_PROGRESS),
        ("Early permanence", host, Workstream.Status.PLANNED),
        ("Recruitment campaign", councils[0], Workstream.Status.COMPLETE),
    ):
        Workstream(agency=agency, name=name, lead_council=council, status=status).save()

    received = today - timedelta(days=21)
    complaint = Complaint(
        agency=agency,
        council=councils[0],
        received_on=received,
        about="Delay in arranging a support assessment after the adoption order",
    )
    complaint.save()
    ComplaintStageEntry(complaint=complaint, stage=schedule.ComplaintStage.STAGE_1, started_on=received).save()
    InterCountryCase(
        agency=agency,
        household_reference="H-ICA-001",
        country="Thailand",
        provider="Specialist inter-country adoption service",
        status=InterCountryCase.Status.ASSESSMENT,
        enquiry_on=add_months(today, -4),
    ).save()
