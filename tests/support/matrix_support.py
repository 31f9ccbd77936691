"""Adoption support records for the permission matrix (tests/people/test_permission_matrix.py): one case
per side, with its plan agreed so that every case page has something to show. `agreed_case` is
also the page tests' builder."""

from datetime import date


def agreed_case(agency, council, child=None, by=None, received_on=date(2025, 5, 1), **overrides):
    """A request from an adoptive family, assessed as needing support, with its plan agreed."""
    from openraa.support import services
    from openraa.support.models import SupportCase

    values = {
        "requester": "adoptive_family",
        "requester_name": "Robin Testparent",
        "categories": ["therapeutic"],
        "request": "Therapeutic parenting support",
        **overrides,
    }
    case = services.open_case(
        SupportCase(agency=agency, responsible_council=council, child=child, **values), received_on, by=by
    )
    for kind, day, details in (
        ("assessment_started", date(2025, 5, 8), {}),
        ("assessment_completed", date(2025, 6, 20), {"assessment_outcome": "needed"}),
        ("plan_agreed", date(2025, 7, 1), {}),
    ):
        services.record_step(case, kind, day, by=by, details=details)
    case.refresh_from_db()
    return case


def agreement(agency, council, child=None, household=None, by=None, **overrides):
    """A letterbox agreement, both ways twice a year, through the support service."""
    from openraa.support import services
    from openraa.support.models import LetterboxAgreement

    values = {
        "birth_relative_name": "Casey Testbirthmum",
        "birth_relative_relationship": "Birth mother",
        "direction": "both",
        "exchanges_per_year": 2,
        "months": [3, 9],
        "starts_on": date(2025, 3, 1),
        **overrides,
    }
    return services.create_letterbox_agreement(
        LetterboxAgreement(agency=agency, responsible_council=council, child=child, household=household, **values),
        by=by,
    )


def _case(region, side):
    return {"pk": region["support_case"][side].pk}


RECORD_LOOKUPS = {
    "support:detail": (_case, [("support", "view")]),
    "support:step": (_case, [("support", "change")]),
    "support:correct": (
        lambda region, side: {
            **_case(region, side),
            "step": region["support_case"][side].steps.order_by("pk").last().pk,
        },
        [("support", "change")],
    ),
    "support:service": (_case, [("support", "change")]),
    "support:fund": (_case, [("support", "change")]),
    "support-case-detail": (_case, [("support", "view")]),
    "support:letterbox-detail": (lambda region, side: {"pk": region["letterbox"][side].pk}, [("support", "view")]),
    "support:letterbox-exchange-new": (
        lambda region, side: {"pk": region["letterbox"][side].pk},
        [("support", "change")],
    ),
    "support:letterbox-exchange": (
        lambda region, side: {"pk": region["letterbox"][side].pk, "exchange": region["letter"][side].pk},
        [("support", "change")],
    ),
    "support:allowance": (lambda region, side: {"pk": region["allowance"][side].pk}, [("support", "view")]),
    "support:allowance-review": (lambda region, side: {"pk": region["allowance"][side].pk}, [("support", "change")]),
    "support:allowance-payment": (lambda region, side: {"pk": region["allowance"][side].pk}, [("support", "change")]),
    "support:allowance-end": (lambda region, side: {"pk": region["allowance"][side].pk}, [("support", "change")]),
}


def build(region, agencies, councils):
    region["support_case"] = {
        side: agreed_case(agencies[side], region["council"][side], child=region["child"][side]) for side in agencies
    }
    region["letterbox"] = {
        side: agreement(agencies[side], region["council"][side], child=region["child"][side]) for side in agencies
    }
    from openraa.support.models import Allowance, LetterboxExchange

    region["letter"] = {  # a letter logged under each side's agreement, not yet received
        side: LetterboxExchange.objects.create(
            agreement=region["letterbox"][side], direction="to_adopters", due_on=date(2025, 3, 31)
        )
        for side in agencies
    }

    region["allowance"] = {
        side: Allowance.objects.create(
            agency=agencies[side],
            council=region["council"][side],
            household=region["household"][side],
            starts_on=date(2024, 4, 1),
            yearly_amount=6000,
        )
        for side in agencies
    }
