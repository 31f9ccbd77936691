"""The access explanation is read off the same table the policy enforces."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openraa.people.access import ACTION_LABELS, RESOURCE_LABELS, SCOPE_LABELS, explain
from openraa.people.roles import INCOMPATIBLE, POLICY, Action, Resource, Role, Scope, role_problems, scope_for
from openraa.people.sharing import CrossCouncil, SharingRules


def test_every_resource_has_a_label():
    assert set(RESOURCE_LABELS) == set(Resource)


@pytest.mark.parametrize("role", list(Role))
def test_the_explanation_lists_exactly_the_grants_of_the_table(role):
    access = explain([role], SharingRules())
    listed = {(grant.area, action) for grant in access.grants for action in grant.actions}
    table = {(RESOURCE_LABELS[r], ACTION_LABELS[a]) for r, actions in POLICY[role].items() for a in actions}
    assert listed == table
    assert set(access.refused) == {RESOURCE_LABELS[r] for r in Resource if not POLICY[role].get(r)}


def test_whole_records_across_councils_are_explained_by_the_agreement():
    shared = explain([Role.FAMILY_FINDER], SharingRules(cross_council=CrossCouncil.RECORD))
    cautious = explain([Role.FAMILY_FINDER], SharingRules())
    assert any("the whole record, because" in line for line in shared.children)
    assert any("profile only" in line for line in cautious.children)


def test_no_role_means_nothing():
    access = explain([], SharingRules())
    assert access.grants == () and set(access.refused) == set(RESOURCE_LABELS.values())


ROLE_SETS = st.frozensets(st.sampled_from(list(Role)), min_size=1, max_size=4)


@given(ROLE_SETS)
def test_several_roles_are_explained_as_the_widest_grant_of_any_of_them(roles):
    access = explain(roles, SharingRules())
    listed = {(grant.area, action, grant.scope) for grant in access.grants for action in grant.actions}
    expected = set()
    for resource in Resource:
        for action in Action:
            scopes = {POLICY[role].get(resource, {}).get(action) for role in roles} - {None}
            if scopes:
                widest = Scope.AGENCY if Scope.AGENCY in scopes else Scope.OWN_COUNCIL
                assert scope_for(roles, resource, action) == widest
                expected.add((RESOURCE_LABELS[resource], ACTION_LABELS[action], SCOPE_LABELS[widest]))
            else:
                assert scope_for(roles, resource, action) is None
    assert listed == expected


def test_a_social_worker_who_is_also_a_family_finder_reaches_every_council():
    assert scope_for([Role.SOCIAL_WORKER], "child", "view") == Scope.OWN_COUNCIL
    assert scope_for([Role.SOCIAL_WORKER, Role.FAMILY_FINDER], "child", "view") == Scope.AGENCY
    assert scope_for([Role.SOCIAL_WORKER, "not_a_role"], "finance", "view") is None


def test_roles_that_must_not_be_held_together_are_refused_with_the_reason():
    for pair, reason in INCOMPATIBLE.items():
        assert reason in role_problems(sorted(pair))
    assert role_problems([Role.FAMILY_FINDER, Role.RECRUITMENT_ASSESSMENT]) == []
    assert role_problems([]) == ["Give at least one role"]
    assert role_problems(["wizard"]) == ["Unknown role 'wizard'"]
