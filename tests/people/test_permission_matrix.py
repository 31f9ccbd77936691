"""The permission matrix: every URL the project serves (pages and API), every role, against a record
of the user's own council, of the other council of the same agency and of another agency.

The expected answer is derived from the declared policy (people/roles.py), never written by hand:
- the page's `permission = (resource, action)` (or the API view's `policy_resource` and the
  method's action) missing from the role -> 403;
- a record looked up through a grant the role lacks, or through an own-council grant when the record
  belongs to the other council -> 404 (the same answer as "no such record");
- another agency's record -> 404, whatever the role;
- otherwise the page's success answer (200, or the status listed in SUCCESS).

Every URL pattern must be classified here: a page added without a policy, or without an entry in
RECORD_LOOKUPS / NO_RECORD when it takes arguments, fails `test_every_url_is_classified` with its
name, so the matrix cannot silently miss it.
"""

from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.views import APIView

from openraa.api.permissions import action_for
from openraa.journeys.papers import PAPER_ROLES
from openraa.people.roles import Role, Scope, scope_of
from tests import builders
from tests.casework import matrix_casework
from tests.families import matrix_families
from tests.governance import matrix_governance
from tests.permanence import matrix_permanence
from tests.staff import matrix_staff
from tests.support import matrix_support

OWN, OTHER, STRANGER = "own", "other", "stranger"

# Public pages, answered the same to everyone: name -> the status a signed-in user gets.
PUBLIC = {
    "login": 302,
    "logout": 405,
    "health": 200,
    "otp-verify": 302,
    "otp-enrol": 200,
    # Single sign-on is off unless configured (tests/security/test_single_sign_on.py turns it on).
    "oidc-start": 404,
    "oidc-callback": 404,
    "api-schema": 200,
    "api-docs": 200,
    "staff:welcome": 404,  # an invitation link that is not (or no longer) valid
    "first-run": 404,  # open only while no agency exists
    # A calendar app's feed of panel dates, opened by a signed token instead of a session
    # (journeys/calendar_views.py): a token the site did not sign is "not found" to anyone.
    "panels:calendar-feed": 404,
    **matrix_families.PUBLIC,
}

# Pages whose success is not a plain 200 for a GET.
SUCCESS = {
    "partnership:sealed-roles-decision": 405,  # POST only
    "tasks:done": 405,
    "tasks:notifications-read": 405,
    # Looked up among the interests whose child or household the user may change, and the offers made
    # to the user's agency (tests/matching/test_family_finding_reach.py): record 1 is no such thing here.
    "matching:close_interest": 404,
    "matching:put_forward": 404,
    **matrix_families.SUCCESS,
}


# URL name -> (kwargs for a side, the (resource, action) grants each record is looked up through).
# The kwargs function receives the region and the side (own, other or stranger).
def _pk(kind):
    return lambda region, side: {"pk": region[kind][side].pk}


def _child_and_household(region, side):
    return {"pk": region["child"][side].pk, "household": region["household"][side].pk}


def _child_step(region, side):
    child = region["child"][side]
    return {"pk": child.pk, "step": child.steps.order_by("pk").first().pk}


def _household_step(region, side):
    household = region["household"][side]
    return {"pk": household.pk, "step": household.steps.order_by("pk").first().pk}


def _household_check(region, side):
    household = region["household"][side]
    return {"pk": household.pk, "check": household.stage_one_checks.order_by("pk").first().pk}


def _decision_entry(kind_of_record, kind):
    def kwargs(region, side):
        record = region[kind_of_record][side]
        return {"pk": record.pk, "step": record.steps.get(kind=kind).pk}

    return kwargs


def _year(region, side):
    return {"year": region["year"][side].label}


def _ons(region, side):
    return {"ons": region["council"][side].ons_code}


RECORD_LOOKUPS = {
    "children:detail": (_pk("child"), [("child", "view")]),
    "children:edit": (_pk("child"), [("child", "change")]),
    "households:detail": (_pk("household"), [("household", "view")]),
    "households:edit": (_pk("household"), [("household", "change")]),
    "journeys:child-step": (_pk("child"), [("child", "change")]),
    "journeys:child-correct": (_child_step, [("child", "change")]),
    "journeys:household-step": (_pk("household"), [("household", "change")]),
    "journeys:household-correct": (_household_step, [("household", "change")]),
    "journeys:household-checks": (_pk("household"), [("household", "view")]),
    "journeys:household-check-new": (_pk("household"), [("household", "change")]),
    "journeys:household-check-edit": (_household_check, [("household", "change")]),
    "journeys:household-adult-new": (_pk("household"), [("household", "change")]),
    "journeys:household-adult-edit": (
        lambda region, side: {"pk": region["household"][side].pk, "adult": region["other_adult"][side].pk},
        [("household", "change")],
    ),
    "panels:detail": (_pk("meeting"), [("panel", "view")]),
    "panels:pack": (_pk("meeting"), [("panel", "view")]),
    "panels:decide": (lambda region, side: {"item": region["item"][side].pk}, [("panel", "view")]),
    "panels:paper-child": (
        lambda region, side: {"pk": region["meeting"][side].pk, "child": region["child"][side].pk},
        [("panel", "view"), ("child", "view")],
    ),
    "panels:paper-household": (
        lambda region, side: {"pk": region["meeting"][side].pk, "household": region["household"][side].pk},
        [("panel", "view"), ("household", "view")],
    ),
    "panels:should-be-placed": (_pk("child"), [("child", "view")]),
    "panels:paper-should-be-placed": (_pk("child"), [("child", "view")]),
    "panels:correct-child-decision": (_decision_entry("child", "should_be_placed"), [("child", "view")]),
    "panels:correct-household-decision": (_decision_entry("household", "approved"), [("household", "view")]),
    "matching:child": (_pk("child"), [("matching", "view")]),
    "matching:household": (_pk("household"), [("household", "view")]),
    "matching:interest": (_child_and_household, [("child", "change"), ("household", "view")]),
    "matching:visit": (_child_and_household, [("child", "change"), ("household", "view")]),
    "matching:link": (_child_and_household, [("child", "change"), ("household", "view")]),
    "interchange:run": (_pk("run"), [("interchange", "view")]),
    "interchange:report": (_pk("run"), [("interchange", "view")]),
    "finance:line-create": (_year, []),
    "finance:contribution": (_year, []),
    "finance:pay-award": (_year, []),
    "finance:stated-total-create": (_year, []),
    "finance:cost-create": (_year, []),
    "finance:income-create": (_year, []),
    "finance:sharing": (_year, []),
    "finance:recharges": (_year, []),
    "finance:formula-agree": (_pk("formula"), []),
    "finance:fee-paid": (_pk("fee"), []),
    "finance:council": (_ons, []),
    "finance:council-export": (lambda region, side: {**_ons(region, side), "fmt": "xlsx"}, []),
    # API
    "child-detail": (_pk("child"), [("child", "view")]),
    "child-steps": (_pk("child"), [("child", "view")]),
    "household-detail": (_pk("household"), [("household", "view")]),
    "household-steps": (_pk("household"), [("household", "view")]),
    "council-detail": (_pk("council"), []),
    "agency-detail": (_pk("agency"), []),
    # Pages of sealed records only (a sealed child per side): who may open them is SEALED_PAGES below.
    "children:records-request": (_pk("sealed"), [("child", "view")]),
    "journeys:correct-adoption-order": (_pk("sealed"), [("child", "view")]),
}
# Pages that act on a sealed record: the agency's sealed-record roles (the defaults) on any of its
# councils' children, nobody else (tests/security/test_sealed_records.py crawls them with every role).
SEALED_PAGES = {
    "children:records-request": {Role.TEAM_MANAGER, Role.SUPPORT_WORKER},
    "journeys:correct-adoption-order": {Role.TEAM_MANAGER},
}
# The newer areas keep their records in their own module (tests/<area>/matrix_<area>.py): a RECORD_LOOKUPS
# dict like the one above and build(region, agencies, councils), which adds one record per side to
# the region under the names its lookups read.
AREA_MODULES = (matrix_governance, matrix_support, matrix_permanence, matrix_staff, matrix_casework, matrix_families)
for _module in AREA_MODULES:
    RECORD_LOOKUPS.update(_module.RECORD_LOOKUPS)
# Panel papers open the whole record only to those who decide: panel advisers, decision makers and
# panel members linked to a user (journeys/papers.py); any other role that reaches panels gets 403.
PANEL_PAPERS = {"panels:paper-child", "panels:paper-household", "panels:paper-should-be-placed", "panels:pack"}
# API endpoints that serve only children shown in full.
API_WHOLE_RECORDS = {"child-detail", "child-steps"}
# Pages that serve only a child's whole record (case notes and documents).
WHOLE_RECORD_PAGES = matrix_casework.WHOLE_RECORDS
# Pages with arguments that name no record: fixed arguments.
NO_RECORD = {
    "performance:board-download": {"file_format": "xlsx"},
    "partnership:sealed-roles-decision": {"pk": 1, "decision": "confirm"},
    "staff:welcome": {"uid": "MQ", "token": "not-valid"},
    "tasks:done": {"pk": 1},  # a task is looked up among the user's own (tests/casework/test_my_work.py)
    "panels:calendar-feed": {"token": "not-valid"},
    "matching:close_interest": {"pk": 1},
    "matching:put_forward": {"pk": 1, "household": 1},
    **matrix_families.NO_RECORD,
}
# Query strings a page needs to show a record of the region (finance pages read ?year=).
QUERY = {"finance:council-export": "?year=2025-26", "finance:council": "?year=2025-26"}


def _patterns(resolver=None, prefix="", namespace=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern), entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern), entry


def _declared(callback):
    """The (resource, action) a GET needs, or None for a public page; raises if undeclared."""
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if getattr(callback, "openraa_public", False) or getattr(view_class, "openraa_public", False):
        return None
    if view_class is not None and issubclass(view_class, APIView):
        resource = getattr(view_class, "policy_resource", None)
        if not resource:
            raise LookupError("API view without policy_resource")
        return resource, action_for("GET", view_class)
    permission = getattr(view_class, "permission", None) or getattr(callback, "permission", None)
    if permission is None:
        raise LookupError("page without a declared permission")
    return tuple(permission)


def _url(name, route, entry, kwargs):
    from django.urls import reverse

    if entry.name is None:
        raise LookupError("unnamed URL")
    return reverse(name, kwargs=kwargs or None)


def test_every_url_is_classified():
    """A new page without a policy, or with arguments the matrix cannot fill, is named here."""
    unclassified = []
    for name, route, entry in _patterns():
        if name in PUBLIC:
            continue
        try:
            _declared(entry.callback)
        except LookupError as why:
            unclassified.append(f"{name} ({route}): {why}")
            continue
        takes_arguments = entry.pattern.converters or (
            getattr(entry.pattern, "regex", None) and entry.pattern.regex.groupindex
        )
        if takes_arguments and name not in RECORD_LOOKUPS and name not in NO_RECORD:
            unclassified.append(f"{name} ({route}): arguments not mapped in RECORD_LOOKUPS")
    public_names = {name for name, _, _ in _patterns()} & set(PUBLIC)
    assert public_names == set(PUBLIC), f"PUBLIC names no longer served: {set(PUBLIC) - public_names}"
    assert unclassified == []


@pytest.fixture
def region(aim):
    """Knowsley (own) and Liverpool (other) of one agency; Sefton of another agency (stranger)."""
    from openraa.finance import services as finance
    from openraa.finance.models import FinancialYear, FundingFormula
    from openraa.households.models import OtherAdult
    from openraa.interchange.models import ImportRun
    from openraa.journeys.models import AgendaItem, PanelMeeting
    from openraa.partnership.models import Council

    stranger = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    agencies = {OWN: aim, OTHER: aim, STRANGER: stranger}
    councils = {OWN: "Knowsley", OTHER: "Liverpool", STRANGER: "Sefton"}
    region = {
        "agency": {side: agencies[side] for side in agencies},
        "council": {side: Council.objects.get(name=councils[side]) for side in agencies},
    }
    region["child"] = {side: builders.child(agencies[side], councils[side]) for side in agencies}
    region["sealed"] = {
        side: builders.child(
            agencies[side],
            councils[side],
            adoption_order_on=date(2024, 9, 2),
            household=builders.household(agencies[side], councils[side]),
            linked_on=date(2024, 1, 8),
            matching_panel_on=date(2024, 2, 5),
            matched_on=date(2024, 2, 12),
            placed_on=date(2024, 3, 1),
        )
        for side in agencies
    }
    region["household"] = {side: builders.household(agencies[side], councils[side]) for side in agencies}
    region["other_adult"] = {  # an adult son living at home: his own Stage 1 checks (households/checks.py)
        side: OtherAdult.objects.create(
            household=region["household"][side], first_name="Jo", last_name="Testson", relationship="Adult son"
        )
        for side in agencies
    }
    region["meeting"], region["item"], region["run"], region["year"] = {}, {}, {}, {}
    region["formula"], region["fee"] = {}, {}
    for side, agency in agencies.items():
        council = region["council"][side]
        meeting = PanelMeeting.objects.create(agency=agency, held_on=date(2025, 3, 3))
        item = AgendaItem.objects.create(meeting=meeting, kind="review", household=region["household"][side])
        item.children.set([region["child"][side]])  # on the agenda, so its panel paper has a record to open
        region["meeting"][side], region["item"][side] = meeting, item
        region["run"][side] = ImportRun.objects.create(
            agency=agency, council=council, year=2025, source="upload", started_at=timezone.now(), outcome="imported"
        )
        if side != OTHER:
            # The stranger's year is another one, so its URL is not also one of the own agency's years.
            region["year"][side] = FinancialYear.objects.create(agency=agency, start_year=2025 if side == OWN else 2024)
            region["formula"][side] = FundingFormula.objects.create(
                agency=agency, name=f"Formula {side}", weight_placement_orders=1
            )
        else:
            region["year"][side] = region["year"][OWN]
            region["formula"][side] = region["formula"][OWN]
        region["fee"][side] = finance.record_external_placement(
            agency, region["child"][side], "voluntary", "Coram", date(2025, 6, 2)
        )
    for module in AREA_MODULES:
        module.build(region, agencies, councils)
    return region


def expected(role, permission, lookups, side, name) -> int:
    if permission is None:
        return PUBLIC[name]
    if scope_of(role, *permission) is None:
        return 403
    if side == STRANGER:
        return 404
    if name in SEALED_PAGES:
        return 200 if role in SEALED_PAGES[name] else 404
    for resource, action in lookups:
        scope = scope_of(role, resource, action)
        if scope is None or (scope == Scope.OWN_COUNCIL and side == OTHER):
            return 404
        # Information-sharing defaults (people/sharing.py): the other council's child is only an
        # anonymised profile to a page view; nothing else reaches it, and the API has no profiles.
        if (
            resource == "child"
            and side == OTHER
            and (action != "view" or name in API_WHOLE_RECORDS or name in WHOLE_RECORD_PAGES)
        ):
            return 404
    if name in PANEL_PAPERS and role not in PAPER_ROLES:
        return 403
    return SUCCESS.get(name, 200)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_url_answers_each_role_as_the_policy_declares(region, client_for, role):
    client = client_for(builders.user(role, region["agency"][OWN], employer="Knowsley"))
    wrong = []
    for name, route, entry in _patterns():
        permission = _declared(entry.callback) if name not in PUBLIC else None
        if name in RECORD_LOOKUPS:
            make_kwargs, lookups = RECORD_LOOKUPS[name]
            cases = [(side, make_kwargs(region, side)) for side in (OWN, OTHER, STRANGER)]
        else:
            lookups = []
            cases = [(OWN, NO_RECORD.get(name, {}))]
        for side, kwargs in cases:
            url = _url(name, route, entry, kwargs) + QUERY.get(name, "")
            want = expected(role, permission, lookups, side, name)
            got = client.get(url).status_code
            if got != want:
                wrong.append(f"{name} {side} {url}: expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_a_signed_out_visitor_reaches_only_the_public_pages(region, client):
    wrong = []
    for name, route, entry in _patterns():
        if name in PUBLIC:
            continue
        make_kwargs = RECORD_LOOKUPS.get(name, (lambda region, side: NO_RECORD.get(name, {}), []))[0]
        url = _url(name, route, entry, make_kwargs(region, OWN))
        status = client.get(url).status_code
        if status not in (302, 401, 403):
            wrong.append(f"{name} {url}: {status}")
    assert wrong == []
