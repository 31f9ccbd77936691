"""Fuzzing the JSON API from its own OpenAPI document (/api/schema/) with schemathesis.

For every operation the document describes, generated requests (valid ones and, for writes,
arbitrary bodies) are sent through the WSGI application as a signed-in user of three roles:
- a team manager (who sees and changes children and households with their names);
- a panel adviser (who reads children but never their names or birth family);
- a family finder of Knowsley, to whom the Liverpool child is only an anonymised profile (people/sharing.py).

Each answer must not be a server error, must conform to the documented response schema when it is a
success; for the panel adviser no answer may contain a restricted child field, at any depth, and for
the family finder no answer may contain the other council's child.
"""

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
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
    children = [builders.child(aim, "Knowsley", birth_mother_name="Pat Testmother"),
                builders.child(aim, "Liverpool", birth_father_name="Lee Testfather")]
    households = [builders.household(aim, "Knowsley"), builders.household(aim, "Liverpool")]
    return {"agency": aim, "child": children[0].pk, "other_child": children[1].pk, "household": households[0].pk}


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    for result in schema.get_all_operations():
        yield result.ok()


def _fuzz(operation, app, token, restricted_hidden, statuses, path_parameters=None):
    failures = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
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
@pytest.mark.parametrize("role, restricted_hidden", [(Role.TEAM_MANAGER, False), (Role.PANEL_ADVISER, True),
                                                     (Role.FAMILY_FINDER, "other_council")])
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
                failures += _fuzz(operation, app, token, restricted_hidden, statuses,
                                  path_parameters={"id": seeded["other_child"]})
    assert not failures, "\n".join(sorted(set(failures)))
    # The run reached real records, not only refusals: the leak check had bodies to look at.
    assert ("GET", "/api/children/{id}/", 200) in statuses and ("GET", "/api/children/", 200) in statuses
