"""The role policy (people/roles.py) is one literal table. These tests hold it to three promises:
it grants exactly what the loops that built it before issue 16 granted; the rules that hold across
roles (aggregates for everyone, drift and caseloads derived from the child and household grants)
still hold in what is written out by hand; and every resource and action the code names is one the
table knows, so a misspelt name cannot silently deny (or, worse, be granted under another spelling).
Pure Python: no database."""

import ast
import functools
from pathlib import Path

from openraa.people.roles import POLICY, Action, Resource, Role, Scope

ROOT = Path(__file__).resolve().parents[2]


def _policy_as_the_loops_built_it() -> dict:
    """A frozen copy of the policy code of issue 15 (roles.py at ee70bd6), kept verbatim but for
    indentation so that the literal table can be compared with it. A deliberate change to the policy
    changes this copy in the same commit."""
    A, C = Scope.AGENCY, Scope.OWN_COUNCIL
    _VIEW, _RESTRICTED, _ADD, _CHANGE = Action.VIEW, Action.VIEW_RESTRICTED, Action.ADD, Action.CHANGE
    _ALL = {_VIEW: A, _RESTRICTED: A, _ADD: A, _CHANGE: A}
    _RUN_PANELS = {_VIEW: A, _ADD: A, _CHANGE: A}

    POLICY = {
        Role.FAMILY_FINDER: {
            Resource.CHILD: _ALL,
            Resource.HOUSEHOLD: {_VIEW: A, _RESTRICTED: A},
            Resource.PANEL: {_VIEW: A},
            Resource.MATCHING: {_VIEW: A, _CHANGE: A},
        },
        Role.RECRUITMENT_ASSESSMENT: {Resource.HOUSEHOLD: _ALL, Resource.PANEL: {_VIEW: A}},
        Role.TEAM_MANAGER: {
            Resource.CHILD: _ALL,
            Resource.HOUSEHOLD: _ALL,
            Resource.PANEL: _RUN_PANELS,
            Resource.MATCHING: {_VIEW: A, _CHANGE: A, Action.CONFIGURE: A},
            Resource.RETURNS: {_VIEW: A},
        },
        Role.PANEL_ADVISER: {
            Resource.CHILD: {_VIEW: A},
            Resource.HOUSEHOLD: {_VIEW: A, _RESTRICTED: A},
            Resource.PANEL: _RUN_PANELS,
            Resource.MATCHING: {_VIEW: A},
        },
        Role.ADM: {
            Resource.CHILD: {_VIEW: A},
            Resource.HOUSEHOLD: {_VIEW: A, _RESTRICTED: A},
            Resource.PANEL: {_VIEW: A, Action.DECIDE: A},
            Resource.MATCHING: {_VIEW: A},
        },
        Role.SOCIAL_WORKER: {Resource.CHILD: {_VIEW: C, _RESTRICTED: C, _ADD: C, _CHANGE: C}},
        Role.FINANCE_OFFICER: {},
        Role.BOARD_MEMBER: {},
        Role.SUPPORT_WORKER: {
            Resource.CHILD: {_VIEW: A, _RESTRICTED: A},
            Resource.HOUSEHOLD: {_VIEW: A, _RESTRICTED: A},
        },
        Role.ADMINISTRATOR: {
            Resource.CHILD: _ALL,
            Resource.HOUSEHOLD: _ALL,
            Resource.AUDIT: {_VIEW: A},
            Resource.PARTNERSHIP: {_VIEW: A, _CHANGE: A},
            Resource.PANEL: _RUN_PANELS,
            Resource.MATCHING: {_VIEW: A, _CHANGE: A, Action.CONFIGURE: A},
            Resource.INTERCHANGE: {_VIEW: A, _ADD: A},
            Resource.RETURNS: {_VIEW: A},
        },
    }
    for _role, _finance in (
        (Role.FINANCE_OFFICER, {_VIEW: A, _ADD: A, _CHANGE: A}),
        (Role.ADMINISTRATOR, {_VIEW: A, _ADD: A, _CHANGE: A}),
        (Role.TEAM_MANAGER, {_VIEW: A}),
    ):
        POLICY[_role][Resource.FINANCE] = _finance
    for _role, _support in (
        (Role.SUPPORT_WORKER, _ALL),
        (Role.TEAM_MANAGER, _ALL),
        (Role.ADMINISTRATOR, _ALL),
        (Role.FINANCE_OFFICER, {_VIEW: A}),
    ):
        POLICY[_role][Resource.SUPPORT] = _support
    for _role, _permanence in (
        (Role.FAMILY_FINDER, _ALL),
        (Role.RECRUITMENT_ASSESSMENT, _ALL),
        (Role.TEAM_MANAGER, _ALL),
        (Role.ADMINISTRATOR, _ALL),
        (Role.SOCIAL_WORKER, {_VIEW: C, _RESTRICTED: C, _ADD: C, _CHANGE: C}),
        (Role.ADM, {_VIEW: A, Action.DECIDE: A}),
        (Role.PANEL_ADVISER, {_VIEW: A}),
    ):
        POLICY[_role][Resource.PERMANENCE] = _permanence
    for _role, _governance in (
        (Role.ADMINISTRATOR, {_VIEW: A, _ADD: A, _CHANGE: A}),
        (Role.TEAM_MANAGER, {_VIEW: A}),
        (Role.BOARD_MEMBER, {_VIEW: A}),
        (Role.FINANCE_OFFICER, {_VIEW: A}),
    ):
        POLICY[_role][Resource.GOVERNANCE] = _governance
    for _role in (Role.ADMINISTRATOR, Role.TEAM_MANAGER):
        POLICY[_role][Resource.COMPLAINTS] = _ALL
    for _grants in POLICY.values():
        _grants.setdefault(Resource.AGGREGATES, {_VIEW: A})
    for _grants in POLICY.values():
        _scopes = {_grants.get(r, {}).get(_VIEW) for r in (Resource.CHILD, Resource.HOUSEHOLD)} - {None}
        if _scopes:
            _grants[Resource.DRIFT] = {_VIEW: A if A in _scopes else C}
        if all(_grants.get(r, {}).get(_VIEW) == A for r in (Resource.CHILD, Resource.HOUSEHOLD)):
            _grants[Resource.CASELOADS] = {_VIEW: A}
    return POLICY


def test_the_table_grants_exactly_what_the_loops_granted():
    assert _policy_as_the_loops_built_it() == POLICY


def test_every_role_has_an_entry_and_every_grant_is_typed():
    assert set(POLICY) == set(Role)
    for role, grants in POLICY.items():
        for resource, actions in grants.items():
            assert type(resource) is Resource, (role, resource)
            assert actions, f"{role} lists {resource} with no action: leave the resource out instead"
            for action, scope in actions.items():
                assert type(action) is Action and type(scope) is Scope, (role, resource, action)


def test_everyone_sees_their_agency_aggregates():
    for role, grants in POLICY.items():
        assert grants.get(Resource.AGGREGATES) == {Action.VIEW: Scope.AGENCY}, role


def test_drift_and_caseloads_follow_from_the_child_and_household_grants():
    for role, grants in POLICY.items():
        views = [grants.get(resource, {}).get(Action.VIEW) for resource in (Resource.CHILD, Resource.HOUSEHOLD)]
        reached = {scope for scope in views if scope is not None}
        if not reached:
            assert Resource.DRIFT not in grants, role
        else:
            wider = Scope.AGENCY if Scope.AGENCY in reached else Scope.OWN_COUNCIL
            assert grants[Resource.DRIFT] == {Action.VIEW: wider}, role
        if views == [Scope.AGENCY, Scope.AGENCY]:
            assert grants[Resource.CASELOADS] == {Action.VIEW: Scope.AGENCY}, role
        else:
            assert Resource.CASELOADS not in grants, role


# The crawl: where the code names a resource or an action as a string.
# - Calls to a function that takes parameters named `resource` or `action` (the policy's own
#   functions and the selectors and helpers that pass them on), and those parameters' defaults: the
#   functions are found by reading every definition.
# - Views' `permission = (resource, action)`; models', serializers' and API views'
#   `policy_resource = "..."` and comparisons with it; API views' `policy_actions` maps.
POLICY_PARAMETERS = ("resource", "action")
KINDS = {"resource": Resource, "action": Action}


@functools.cache
def _parsed(folder: str) -> tuple[tuple[Path, ast.Module], ...]:
    return tuple(
        (path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for path in sorted((ROOT / folder).rglob("*.py"))
    )


def _sources(*folders: str):
    for folder in folders:
        yield from _parsed(folder)


def _signatures() -> dict[tuple[str, bool], list[tuple[list[str], int]]]:
    """(function name, is a method) -> the parameters of the definitions by that name that take a
    resource or an action (the method's `self` left out), each with how many have a default."""
    signatures: dict[tuple[str, bool], list[tuple[list[str], int]]] = {}
    for _path, tree in _sources("openraa"):
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                names = [argument.arg for argument in node.args.args]
                if not set(names) & set(POLICY_PARAMETERS):
                    continue
                method = bool(names) and names[0] == "self"
                signatures.setdefault((node.name, method), []).append(
                    (names[1:] if method else names, len(node.args.defaults))
                )
    return signatures


def _called(call: ast.Call) -> tuple[str, bool] | None:
    """The called function's name and whether it is called as a method of self."""
    if isinstance(call.func, ast.Name):
        return call.func.id, False
    if isinstance(call.func, ast.Attribute):
        return call.func.attr, isinstance(call.func.value, ast.Name) and call.func.value.id == "self"
    return None


def _text(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _named(signatures, call: ast.Call):
    """(kind, string) for each string the call passes as a resource or an action."""
    called = _called(call)
    if called is None or called not in signatures:
        return
    if any(isinstance(argument, ast.Starred) for argument in call.args):
        return  # the middleware's can(user, *permission): the crawl reads the views' `permission`
    # Bound as Python would, against each definition the call fits (there may be several: `can`).
    for parameters, defaults in signatures[called]:
        bound = dict(zip(parameters, call.args, strict=False)) | {k.arg: k.value for k in call.keywords}
        if (
            len(call.args) > len(parameters)
            or not set(bound) <= set(parameters)
            or not set(parameters[: len(parameters) - defaults]) <= set(bound)
        ):
            continue
        for kind in POLICY_PARAMETERS:
            if (text := _text(bound.get(kind))) is not None:
                yield kind, text


def _declared(node):
    """(kind, string) for each resource or action a view, model or serializer declares, or a
    function takes by default."""
    if isinstance(node, ast.FunctionDef):
        with_default = node.args.args[len(node.args.args) - len(node.args.defaults) :]
        for argument, default in zip(with_default, node.args.defaults, strict=True):
            if argument.arg in POLICY_PARAMETERS and (text := _text(default)) is not None:
                yield argument.arg, text
    if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = {t.id if isinstance(t, ast.Name) else getattr(t, "attr", None) for t in targets}
        if "permission" in names and isinstance(node.value, ast.Tuple):
            resource, action = node.value.elts
            yield "resource", _text(resource)
            yield "action", _text(action)
        if "policy_resource" in names and _text(node.value):  # the API's base view names none: ""
            yield "resource", _text(node.value)
        if "policy_actions" in names:
            for per_method in node.value.values:
                for action in per_method.values:
                    yield "action", _text(action)
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq | ast.NotEq):
        sides = [node.left, *node.comparators]
        if any(getattr(side, "id", getattr(side, "attr", None)) in ("resource", "policy_resource") for side in sides):
            for side in sides:
                if (text := _text(side)) is not None:
                    yield "resource", text


@functools.cache  # both tests read it: the crawl parses the tree once
def _names_in_the_code() -> tuple[tuple[str, str, str], ...]:
    signatures = _signatures()
    found = []
    for path, tree in _sources("openraa", "tests"):
        for node in ast.walk(tree):
            named = _named(signatures, node) if isinstance(node, ast.Call) else _declared(node)
            for kind, text in named:
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", kind, text))
    return tuple(found)


def test_every_resource_and_action_named_in_the_code_is_declared():
    found = _names_in_the_code()
    unknown = [
        (where, kind, text)
        for where, kind, text in found
        if text is None or text not in {member.value for member in KINDS[kind]}
    ]
    assert not unknown, f"not a member of Resource or Action (people/roles.py): {unknown}"


def test_the_crawl_finds_the_names_it_is_meant_to_find():
    """Guards the crawl itself: a change that made it find nothing would pass the test above."""
    found = {(where.split(":")[0], kind, text) for where, kind, text in _names_in_the_code()}
    for expected in [
        ("openraa/performance/views.py", "resource", "returns"),  # permission = (...)
        ("openraa/children/models.py", "resource", "child"),  # policy_resource
        ("openraa/api/views.py", "action", "change"),  # policy_actions
        ("openraa/finance/views.py", "action", "add"),  # self.can(action)
        ("openraa/governance/views.py", "resource", "complaints"),  # self.can(resource, action)
        ("openraa/performance/returns.py", "action", "view"),  # policy.restrict(...)
        ("openraa/permanence/views.py", "action", "change"),  # carers_for(user, action)
        ("openraa/permanence/selectors.py", "action", "view"),  # def plans_for(user, action="view")
        ("openraa/api/serializers.py", "resource", "child"),
    ]:  # policy_resource == "..."
        assert expected in found, expected
