"""Wider permanence in the permission matrix (tests/people/test_permission_matrix.py): one approved carer and
one long-term fostering plan matched to them per side (so each has a decision to correct), and the
builders the permanence tests share. Synthetic data."""

from datetime import date

from openraa.permanence import services
from openraa.permanence.definitions import CarerKind
from openraa.permanence.models import Carer, PermanenceFunction
from openraa.permanence.phases import Function
from tests import builders

LONG_TERM_MATCH = (
    ("family_finding", date(2025, 1, 10)),
    ("match_panel", date(2025, 3, 3)),
    ("matched", date(2025, 3, 6)),
)
FOSTER_APPROVAL = (
    ("enquiry", date(2024, 1, 8)),
    ("application", date(2024, 2, 5)),
    ("stage2", date(2024, 4, 1)),
    ("panel", date(2024, 8, 5)),
    ("approved", date(2024, 8, 12)),
)


def run_functions(agency, since: date = date(2018, 4, 1), functions=tuple(Function)) -> None:
    for function in functions:
        PermanenceFunction.objects.update_or_create(agency=agency, function=function, defaults={"active_from": since})


def carer(
    agency, council_name: str = "Knowsley", kind: str = CarerKind.FOSTER_CARER, steps=FOSTER_APPROVAL, **overrides
) -> Carer:
    values = {
        "home_council": builders.council(council_name),
        "postcode_district": "L36",
        "names": "Robin Testcarer",
        "approved_children": 2,
        "age_min": 0,
        "age_max": 17,
        "ethnicities": ["WBRI"],
        **overrides,
    }
    record = services.add_carer(Carer(agency=agency, kind=kind, **values), by=None)
    for step, day in steps:
        services.record_carer_step(record, step, day, by=None)
    record.refresh_from_db()
    return record


def build(region, agencies, councils):
    region["carer"], region["plan"] = {}, {}
    for side, agency in agencies.items():
        run_functions(agency)
        region["carer"][side] = carer(agency, councils[side])
        plan = services.add_plan(region["child"][side], "long_term_fostering", date(2025, 1, 6), by=None)
        for step, day in LONG_TERM_MATCH:
            details = {"carer": region["carer"][side]} if step == "match_panel" else None
            services.record_plan_step(plan, step, day, by=None, details=details)
        region["plan"][side] = plan


def _pk(kind):
    return lambda region, side: {"pk": region[kind][side].pk}


def _decision(kind, step):
    return lambda region, side: {"pk": region[kind][side].pk, "step": region[kind][side].steps.get(kind=step).pk}


def _first_step(kind):
    return lambda region, side: {
        "pk": region[kind][side].pk,
        "step": region[kind][side].steps.order_by("pk").first().pk,
    }


RECORD_LOOKUPS = {
    "permanence:carer-decision": (_pk("carer"), [("permanence", "decide")]),
    "permanence:plan-decision": (_pk("plan"), [("permanence", "decide")]),
    "permanence:carer-correct": (_first_step("carer"), [("permanence", "change")]),
    "permanence:plan-correct": (_first_step("plan"), [("permanence", "change")]),
    "permanence:carer-decision-correct": (_decision("carer", "approved"), [("permanence", "decide")]),
    "permanence:plan-decision-correct": (_decision("plan", "matched"), [("permanence", "decide")]),
    "permanence:carer": (_pk("carer"), [("permanence", "view")]),
    "permanence:carer-step": (_pk("carer"), [("permanence", "change")]),
    "permanence:carer-edit": (_pk("carer"), [("permanence", "change")]),
    "permanence:plan-add": (_pk("child"), [("permanence", "add")]),
    "permanence:plan": (_pk("plan"), [("permanence", "view")]),
    "permanence:plan-step": (_pk("plan"), [("permanence", "change")]),
    "permanence:shortlist": (_pk("plan"), [("permanence", "view")]),
    "carer-detail": (_pk("carer"), [("permanence", "view")]),
    "permanence-plan-detail": (_pk("plan"), [("permanence", "view")]),
}
