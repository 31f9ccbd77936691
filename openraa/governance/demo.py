"""Adoption in Merseyside's governance records for the demo, following Sefton's cabinet papers of
1 February 2018 and 4 November 2021; people's names and the records the papers do not give are
synthetic. The three-year partnership agreement from 1 April 2018 "expired on 31 March 2021" and
was extended "until 31 March 2022" by the decision of November 2021; its successor runs five years
from 1 April 2022, so it is approaching expiry. The Management Board and the Operational Group meet
bi-monthly; the programme ran through the nine workstreams the 2018 paper tabulates."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from openraa.common.workdays import add_months
from openraa.governance import schedule, services
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

EXTENDED_ON = date(2021, 11, 4)  # Sefton's cabinet of 4 November 2021 agreed the extension
# Sefton 2018, 2.1: each workstream and its lead authority ("X and now Y": the lead changed to Y).
WORKSTREAMS = (
    ("Information Technology", ("Knowsley",)),
    ("Human Resources", ("Wirral",)),
    ("Commissioning and Performance", ("Knowsley", "Sefton")),
    ("Finance", ("Liverpool", "Knowsley")),
    ("Estates", ("Liverpool",)),
    ("Communications", ("Liverpool",)),
    ("Legal", ("Liverpool", "Knowsley")),
    ("Operational Delivery", ("Knowsley",)),
    ("Learning and Development", ("Sefton",)),
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
    services.save_extension(
        AgreementExtension(
            agreement=first,
            new_expiry=date(2022, 3, 31),
            decided_on=EXTENDED_ON,
            reason=(
                "The agreement expired on 31 March 2021 and the extension was not implemented due to the "
                "impact of Covid-19: extended until 31 March 2022 while the partnership is reviewed"
            ),
        ),
        by=None,
    )
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

    councils_by_name = {council.name: council for council in councils}
    boards = {}
    # Sefton 2018, 3.3 and 3.4: the Management Board and the Operational Group "will meet bi-monthly".
    for kind, name, established_on, chair in (
        (Board.Kind.MANAGEMENT, "Management Board", date(2018, 4, 1), "Wirral"),
        (Board.Kind.OPERATIONAL, "Operational Group", date(2017, 11, 1), None),
    ):
        board = boards[kind] = Board(
            agency=agency, name=name, kind=kind, frequency=schedule.Frequency.BI_MONTHLY, established_on=established_on
        )
        board.save()
        for index, council in enumerate(councils):
            BoardMember(
                board=board,
                name=f"Member {index + 1} of the {name}",
                council=council,
                role_on_board="Chair" if council.name == chair else "Council representative",
            ).save()
    management = boards[Board.Kind.MANAGEMENT]
    # The 2021 paper: "the 21/22 Budget Paper taken to the AiM Strategic Board on 26th March 2021".
    meeting = Meeting(board=management, held_on=date(2021, 3, 26), quorate=True)
    meeting.save()
    Decision(meeting=meeting, text="The 2021-22 budget paper agreed within the financing model").save()
    for months_ago, quorate in ((3, True), (1, False)):
        meeting = Meeting(board=management, held_on=add_months(today, -months_ago), quorate=quorate)
        meeting.save()
        Decision(meeting=meeting, text="Bi-monthly performance report noted").save()
    # The operational group met on time, so only the management board's actions call for attention.
    Meeting(board=boards[Board.Kind.OPERATIONAL], held_on=today - timedelta(weeks=4), quorate=True).save()
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

    for name, leads in WORKSTREAMS:
        present = [councils_by_name[lead] for lead in leads if lead in councils_by_name] or [host]
        workstream = Workstream(
            agency=agency,
            name=name,
            lead_council=present[0],
            status=Workstream.Status.COMPLETE,
            note="A workstream of the programme that set AIM up (Sefton cabinet, 1 February 2018)",
        )
        services.save_workstream(workstream, by=None)
        if present[-1] != present[0]:  # "Liverpool and now Knowsley": the change stays in its history
            workstream.lead_council = present[-1]
            services.save_workstream(workstream, by=None)

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
