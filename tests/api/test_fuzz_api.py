"""Fuzzing the JSON API from its own OpenAPI document (/api/schema/) with schemathesis.

For every operation the document describes, generated requests (valid ones and, for writes,
arbitrary bodies) are sent through the WSGI application as a signed-in user of three roles:
- a team manager (who sees and changes children and households with their names);
- a panel adviser (who reads children but never their names or birth family);
- a family finder of Knowsley, to whom the Liverpool child is only an anonymised profile (people/sharing.py).

Each answer must not be a server error, must conform to the documented response schema when it is a
success; for the panel adviser no answer may contain a restricted child field, at any depth, and for
the family finder no answer may contain the other council's child.

Then generated JSON bodies the document does not describe (values of any type and depth) are PATCHed,
PUT and POSTed to the writable endpoints: no server error, and a refused write changes nothing.
"""

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from openraa.children.models import Child
from openraa.people.roles import Role
from openraa.security import tokens
from tests import builders

RESTRICTED_CHILD_KEYS = set(Child.RESTRICTED_FIELDS)
OTHER_COUNCIL_SECRET = "Lee Testfather"  # the Liverpool child's birth father, never shown in Knowsley
EXAMPLES = 8  # per operation and mode: the whole run stays well under a minute


def _keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Called straight through WSGI, Django closes the database connection when each request ends,
    which would end the test's transaction on PostgreSQL; its own test client avoids it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def seeded(aim):
    children = [
        builders.child(aim, "Knowsley", birth_mother_name="Pat Testmother"),
        builders.child(aim, "Liverpool", birth_father_name="Lee Testfather"),
    ]
    households = [builders.household(aim, "Knowsley"), builders.household(aim, "Liverpool")]
    return {"agency": aim, "child": children[0].pk, "other_child": children[1].pk, "household": households[0].pk}


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    for result in schema.get_all_operations():
        yield result.ok()


def _fuzz(operation, app, token, restricted_hidden, statuses, path_parameters=None):
    failures = []

    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy(path_parameters=path_parameters))
    def run(case):
        response = case.call(headers={"Authorization": f"Token {token}"})
        label = f"{case.method} {case.formatted_path} -> {response.status_code}"
        statuses.add((case.method, operation.path, response.status_code))
        if response.status_code >= 500:
            failures.append(f"server error: {label}")
            return
        try:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        except Exception as error:  # schemathesis groups its failures; the message names them
            failures.append(f"does not conform: {label}: {str(error)[:300]}")
        if restricted_hidden and response.content:
            try:
                body = json.loads(response.content)
            except ValueError:
                return
            if restricted_hidden == "other_council":
                # Another council's child is only an anonymised profile, which the API never serves.
                if OTHER_COUNCIL_SECRET in response.content.decode(errors="replace"):
                    failures.append(f"another council's child shown: {label}")
                return
            leaked = RESTRICTED_CHILD_KEYS & set(_keys(body)) if "/children" in case.path else set()
            if leaked:
                failures.append(f"restricted fields {sorted(leaked)} shown: {label}")

    run()
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, restricted_hidden",
    [(Role.TEAM_MANAGER, False), (Role.PANEL_ADVISER, True), (Role.FAMILY_FINDER, "other_council")],
)
def test_the_api_answers_generated_requests_without_error_or_leak(seeded, role, restricted_hidden):
    user = builders.user(role, seeded["agency"])
    token = tokens.issue(user).key
    app = get_wsgi_application()
    failures, statuses = [], set()
    operations = list(_operations(app))
    assert {op.method.upper() for op in operations} >= {"GET", "POST", "PATCH"}
    for operation in operations:
        failures += _fuzz(operation, app, token, restricted_hidden, statuses)
        if "{id}" in operation.path:
            record = seeded["child"] if "/children/" in operation.path else seeded["household"]
            if "/councils/" in operation.path:
                record = seeded["agency"].member_councils().first().pk
            elif "/agencies/" in operation.path:
                record = seeded["agency"].pk
            failures += _fuzz(operation, app, token, restricted_hidden, statuses, path_parameters={"id": record})
            if restricted_hidden == "other_council" and "/children/" in operation.path:
                failures += _fuzz(
                    operation, app, token, restricted_hidden, statuses, path_parameters={"id": seeded["other_child"]}
                )
    assert not failures, "\n".join(sorted(set(failures)))
    # The run reached real records, not only refusals: the leak check had bodies to look at.
    assert ("GET", "/api/children/{id}/", 200) in statuses and ("GET", "/api/children/", 200) in statuses


# Generated JSON bodies beyond what the OpenAPI document describes: every writable field, the
# version and a step's details given values of any type (other scripts' digits, NUL, huge numbers,
# long text, nested objects and lists). No answer is a server error, and a refused write changes
# nothing.

OTHER_DIGITS_TEXT = st.sampled_from(["²", "H-²", "C-²", "٣", "߅", "9999-00", "2024-²-01", "a\x00b", "1" * 500, ""])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**18, max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    OTHER_DIGITS_TEXT,
    st.text(max_size=20),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
WRITES = {
    "child": (
        "responsible_council",
        "first_name",
        "last_name",
        "date_of_birth",
        "sex",
        "ethnicity",
        "needs",
        "sibling_group",
        "birth_family_council",
        "birth_mother_name",
        "version",
        "household",
        "placed_on",
    ),
    "household": (
        "home_council",
        "postcode_district",
        "enquiry_on",
        "applicants",
        "capabilities",
        "approved_children",
        "age_min",
        "age_max",
        "fast_track",
        "version",
        "approved_on",
    ),
    "step": ("kind", "occurred_on", "details", "note", "supersedes"),
}
details_values = st.dictionaries(
    st.sampled_from(["household", "early_permanence_household", "plan_ended_reason", "closed_reason", "source"]),
    json_values,
    max_size=3,
)


def _changes(names):
    """Up to three fields given generated values (a step's details always), over a valid body, so
    that one bad value reaches the code behind the valid ones."""
    changes = st.dictionaries(st.sampled_from(names), json_values, max_size=3)
    if "details" in names:
        return st.tuples(changes, details_values).map(lambda pair: {**pair[0], "details": pair[1]})
    return changes


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.SOCIAL_WORKER])
def test_generated_json_bodies_never_give_a_server_error_and_a_refusal_changes_nothing(aim, client_for, role):
    from openraa.households.models import Household

    child, household = builders.child(aim, placement_order_on=None), builders.household(aim)
    client = client_for(builders.user(role, aim))
    targets = [
        ("patch", f"/api/children/{child.pk}/", "child"),
        ("put", f"/api/children/{child.pk}/", "child"),
        ("post", "/api/children/", "child"),
        ("post", f"/api/children/{child.pk}/steps/", "step"),
        ("patch", f"/api/households/{household.pk}/", "household"),
        ("post", "/api/households/", "household"),
        ("post", f"/api/households/{household.pk}/steps/", "step"),
    ]

    def valid(kind):  # a body each endpoint would accept, with the version as it is now
        if kind == "child":
            return {
                "responsible_council": "E08000011",
                "first_name": "Kit",
                "last_name": "Sample",
                "date_of_birth": "2022-05-01",
                "sex": "1",
                "ethnicity": "WBRI",
                "version": Child.objects.get(pk=child.pk).version,
            }
        if kind == "household":
            return {
                "home_council": "E08000011",
                "postcode_district": "L36",
                "enquiry_on": "2022-01-05",
                "version": Household.objects.get(pk=household.pk).version,
            }
        return {"kind": "linked", "occurred_on": "2024-01-10", "note": ""}

    failures, statuses = [], set()

    def state():
        return (
            Child.objects.count(),
            Household.objects.count(),
            Child.objects.get(pk=child.pk).version,
            Household.objects.get(pk=household.pk).version,
            child.steps.count(),
            household.steps.count(),
        )

    for method, url, kind in targets:

        @settings(
            max_examples=EXAMPLES * 3,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(changes=_changes(WRITES[kind]))
        def run(changes):
            body = {**valid(kind), **changes}
            before = state()
            try:
                response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
            except Exception as error:  # the test client re-raises what the view raised: that is the 500
                failures.append(f"{method.upper()} {url} {body!r:.200}: {type(error).__name__}: {error}")
                return
            statuses.add((method, kind, response.status_code))
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url} {body!r:.200}: {response.status_code}")
            elif response.status_code >= 400 and state() != before:
                failures.append(
                    f"{method.upper()} {url} {body!r:.200}: refused with {response.status_code} "
                    f"but changed {before} -> {state()}"
                )

        run()
    assert not failures, "\n".join(failures[:30])
    assert any(status == 400 for _, _, status in statuses)  # the bodies reached the checks
