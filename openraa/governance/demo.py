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
    Risk,
    RiskReview,
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


# Each partnership's risks as its own council paper lists them (the source says where); the papers
# give no ratings, so the ratings and reviews are synthetic: (title, cause and effect, owner,
# controls, source, raised on, [(months after raising, likelihood, impact, note), ...]).
RISKS = {
    "aim": (
        (
            "Set-up costs met for two years only",
            "The additional costs of creating the agency (£0.155m, Sefton's share £0.031m: IT, premises and "
            "the Head of Service) are met for the first two years; without efficiencies they fall on the "
            "councils' adoption budgets.",
            "Finance lead",
            "A service review within the two years to identify efficiencies from the new ways of working",
            "Sefton cabinet, 1 February 2018, 5.2",
            date(2018, 2, 1),
            ((0, 3, 3, "Raised"), (12, 3, 3, "Service review under way"), (26, 2, 2, "Costs within budgets")),
        ),
        (
            "Adoption allowances overspend",
            "The adoption allowances stay with each council and are overspending by about £40,000 a year; "
            "the partnership's budgets could be drawn on to offset them.",
            "Finance lead",
            "Each council offsets the overspend against its other adoption budget lines; allowance "
            "policies to be reviewed and consolidated",
            "Sefton cabinet, 1 February 2018, 5.3 and 4.7",
            date(2018, 2, 1),
            ((0, 4, 2, "Raised"), (14, 4, 2, "Policies not yet consolidated")),
        ),
        (
            "Financial risk between the partners",
            "The overall costs must not exceed the budgets the partners agreed; a future overspend has to be "
            "shared as the legal and operational framework agreement provides.",
            "Management Board",
            "Risk-sharing agreement in the schedule of documents; contributions reviewed each year",
            "Sefton cabinet, 1 February 2018, Revenue Costs and 4.1",
            date(2018, 2, 1),
            ((0, 3, 4, "Raised"),),
        ),
        (
            "The partnership agreement lapsed",
            "The three-year agreement expired on 31 March 2021 and its extension was not put in place due to "
            "Covid-19: the partners worked without a current agreement.",
            "Management Board",
            "Extension to 31 March 2022 and a review of the host, governance, support services and funding model",
            "Sefton cabinet, 4 November 2021, 1.2 and 3.3",
            date(2021, 4, 1),
            ((0, 5, 3, "Raised"), (7, 2, 3, "Extension agreed by the cabinets")),
        ),
        (
            "Funding formula review changes contributions",
            "A review of the funding formula might change the budget contributions each council makes.",
            "Finance lead",
            "The review undertaken with each council's finance officers",
            "Sefton cabinet, 4 November 2021, Revenue Costs",
            date(2021, 11, 4),
            ((0, 3, 3, "Raised"),),
        ),
    ),
    "bkm": (
        (
            "Interagency placements weigh unevenly on the partners",
            "The three councils use interagency placements differently; moving the budgets to the agency "
            "could impact one council disproportionately.",
            "Executive Board",
            "An equitable formula, agreed by the Executive Board; fees abolished between the partners for "
            "adopters the agency approves",
            "Kent cabinet committee, 10 January 2020, Interagency placement budget and approach",
            date(2020, 1, 10),
            ((0, 3, 3, "Raised"),),
        ),
        (
            "A partner is negatively impacted by overheads",
            "Overheads of the new agency could leave a partner authority significantly worse off.",
            "Head of Service",
            "A view of overheads in the end-of-year-1 budget review",
            "Kent cabinet committee, 10 January 2020, Future years",
            date(2020, 1, 10),
            ((0, 2, 3, "Raised"),),
        ),
        (
            "Overspend of the pooled budget",
            "The pooled budget may overspend; the Executive Board decides how an overspend is funded.",
            "Head of Service",
            "Monthly monitoring by the Head of Service and regular forecasts to the Executive Board",
            "Kent cabinet committee, 10 January 2020, 4.1",
            date(2020, 1, 10),
            ((0, 3, 3, "Raised"),),
        ),
    ),
    "nmapp": (
        (
            "Taking on every permanence function at once",
            "Bringing adoption, fostering, connected persons and special guardianship together at once "
            "would strain the partnership.",
            "Programme board",
            "Functions join in three phases (2018 – 2020, 2020 – 2022, 2022 – 2024), each approved by the cabinets",
            "Shropshire cabinet, 20 March 2019, 6.1.2",
            date(2019, 3, 20),
            ((0, 3, 4, "Raised"),),
        ),
        (
            "A council pays for children it is not responsible for",
            "Without an equitable formula a council could fund provision for looked after children of another.",
            "Finance lead",
            "A financial formula in the full business case",
            "Shropshire cabinet, 20 March 2019, 4.2 and 4.3",
            date(2019, 3, 20),
            ((0, 3, 3, "Raised"),),
        ),
        (
            "The transformation grant ends in 2020",
            "The DfE transformation grant funds additional specialist capacity only until 2020.",
            "Programme board",
            "The design phase completed within the grant",
            "Shropshire cabinet, 20 March 2019, 6.1.3",
            date(2019, 3, 20),
            ((0, 4, 2, "Raised"),),
        ),
    ),
    "d2n2": (
        (
            "Clawback of the project funding",
            "Not moving towards regionalisation risks Government sanctions and the financial claw back of "
            "the project funding the region has received.",
            "Project Governance Board",
            "The D2N2 pilot of permanency teams",
            "Derby cabinet, 21 June 2017, Other options considered",
            date(2017, 6, 21),
            ((0, 2, 4, "Raised"),),
        ),
        (
            "Children identified by their birth families",
            "Derby's small area means its children are often placed outside it, given the risk of their "
            "identification by birth families.",
            "Head of Service",
            "Pan-regional home finding and matching",
            "Derby cabinet, 21 June 2017, 1.3",
            date(2017, 6, 21),
            ((0, 3, 4, "Raised"),),
        ),
    ),
}


# Closed when the successor agreement began on 1 April 2022.
CLOSED_RISKS = {"The partnership agreement lapsed": date(2022, 4, 1)}


def load_risks(agency) -> None:
    """The partnership's risks from its paper, each rated when raised and reviewed since; an open one
    was last reviewed a fortnight ago (synthetic), so the register is current."""
    recent = timezone.localdate() - timedelta(days=14)
    for title, description, owner, controls, source, raised_on, reviews in RISKS.get(agency.code, ()):
        (_, likelihood, impact, _), *later = reviews
        last = (likelihood, impact)
        risk = services.raise_risk(
            Risk(
                agency=agency,
                title=title,
                description=description,
                owner=owner,
                controls=controls,
                source=source,
                raised_on=raised_on,
            ),
            likelihood,
            impact,
            by=None,
        )
        for months, likelihood, impact, note in later:
            services.review_risk(
                RiskReview(
                    risk=risk,
                    reviewed_on=add_months(raised_on, months),
                    likelihood=likelihood,
                    impact=impact,
                    note=note,
                ),
                by=None,
            )
            last = (likelihood, impact)
        if title in CLOSED_RISKS:
            risk.closed_on = CLOSED_RISKS[title]
            services.save_risk(risk, by=None)
        else:
            services.review_risk(
                RiskReview(
                    risk=risk, reviewed_on=recent, likelihood=last[0], impact=last[1], note="Reviewed: no change"
                ),
                by=None,
            )
