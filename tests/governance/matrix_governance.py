"""Governance records for the permission matrix (tests/people/test_permission_matrix.py): one of each per side."""

from datetime import date

from openraa.governance.models import (
    Action,
    Agreement,
    Board,
    BoardMember,
    Complaint,
    ComplaintStageEntry,
    Document,
    InterCountryCase,
    Risk,
    RiskReview,
    Workstream,
)


def _pk(kind):
    return lambda region, side: {"pk": region[f"governance_{kind}"][side].pk}


_VIEW, _ADD, _CHANGE = [("governance", "view")], [("governance", "add")], [("governance", "change")]
_COMPLAINTS_VIEW, _COMPLAINTS_CHANGE = [("complaints", "view")], [("complaints", "change")]

RECORD_LOOKUPS = {
    "governance:agreement": (_pk("agreement"), _VIEW),
    "governance:agreement-change": (_pk("agreement"), _CHANGE),
    "governance:agreement-extend": (_pk("agreement"), _CHANGE),
    "governance:document": (_pk("document"), _VIEW),
    "governance:document-change": (_pk("document"), _CHANGE),
    "governance:board": (_pk("board"), _VIEW),
    "governance:board-change": (_pk("board"), _CHANGE),
    "governance:member-create": (_pk("board"), _ADD),
    "governance:meeting-create": (_pk("board"), _ADD),
    "governance:action-create": (_pk("board"), _ADD),
    "governance:member-change": (_pk("member"), _CHANGE),
    "governance:action-change": (_pk("action"), _CHANGE),
    "governance:workstream-change": (_pk("workstream"), _CHANGE),
    "governance:complaint": (_pk("complaint"), _COMPLAINTS_VIEW),
    "governance:complaint-respond": (_pk("complaint"), _COMPLAINTS_CHANGE),
    "governance:complaint-escalate": (_pk("complaint"), _COMPLAINTS_CHANGE),
    "governance:intercountry": (_pk("intercountry"), _COMPLAINTS_VIEW),
    "governance:intercountry-change": (_pk("intercountry"), _COMPLAINTS_CHANGE),
    "governance:risk": (_pk("risk"), _VIEW),
    "governance:risk-change": (_pk("risk"), _CHANGE),
    "governance:risk-review": (_pk("risk"), _CHANGE),
    "agreement-detail": (_pk("agreement"), _VIEW),
    "document-detail": (_pk("document"), _VIEW),
}


def build(region, agencies, councils):
    for kind in (
        "agreement",
        "document",
        "board",
        "member",
        "action",
        "workstream",
        "complaint",
        "intercountry",
        "risk",
    ):
        region[f"governance_{kind}"] = {}
    for side, agency in agencies.items():
        council = region["council"][side]
        records = {
            "agreement": Agreement.objects.create(
                agency=agency, title=f"Agreement {side}", kind="partnership", starts_on=date(2024, 4, 1), term_years=3
            ),
            "document": Document.objects.create(
                agency=agency,
                kind="terms_of_reference",
                title=f"Terms {side}",
                owner="Board secretary",
                version="1.0",
                approved_on=date(2025, 1, 1),
                review_due_on=date(2026, 1, 1),
            ),
            "board": Board.objects.create(
                agency=agency,
                name=f"Board {side}",
                kind="management",
                frequency="quarterly",
                established_on=date(2020, 1, 1),
            ),
            "workstream": Workstream.objects.create(agency=agency, name=f"Workstream {side}", lead_council=council),
            "risk": Risk.objects.create(
                agency=agency,
                title=f"Risk {side}",
                description="Costs exceed the budgets",
                owner="Finance lead",
                raised_on=date(2025, 1, 6),
            ),
            "complaint": Complaint.objects.create(
                agency=agency, council=council, received_on=date(2025, 5, 1), about="Delay"
            ),
            "intercountry": InterCountryCase.objects.create(
                agency=agency,
                household_reference="H-1",
                country="Chile",
                provider="Specialist service",
                enquiry_on=date(2025, 1, 6),
            ),
        }
        records["member"] = BoardMember.objects.create(
            board=records["board"], name="A Member", council=council, role_on_board="Chair"
        )
        records["action"] = Action.objects.create(
            board=records["board"], description="Do it", owner="Chair", due_on=date(2025, 6, 1)
        )
        ComplaintStageEntry.objects.create(complaint=records["complaint"], stage="stage_1", started_on=date(2025, 5, 1))
        RiskReview.objects.create(risk=records["risk"], reviewed_on=date(2025, 1, 6), likelihood=3, impact=3)
        for kind, record in records.items():
            region[f"governance_{kind}"][side] = record
