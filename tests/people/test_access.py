"""The access explanation is read off the same table the policy enforces."""

import pytest

from openraa.people.access import ACTION_LABELS, RESOURCE_LABELS, explain
from openraa.people.roles import POLICY, Resource, Role
from openraa.people.sharing import CrossCouncil, SharingRules


def test_every_resource_has_a_label():
    assert set(RESOURCE_LABELS) == set(Resource)


@pytest.mark.parametrize("role", list(Role))
def test_the_explanation_lists_exactly_the_grants_of_the_table(role):
    access = explain(role, SharingRules())
    listed = {(grant.area, action) for grant in access.grants for action in grant.actions}
    table = {(RESOURCE_LABELS[r], ACTION_LABELS[a]) for r, actions in POLICY[role].items() for a in actions}
    assert listed == table
    assert set(access.refused) == {RESOURCE_LABELS[r] for r in Resource if not POLICY[role].get(r)}


def test_whole_records_across_councils_are_explained_by_the_agreement():
    shared = explain(Role.FAMILY_FINDER, SharingRules(cross_council=CrossCouncil.RECORD))
    cautious = explain(Role.FAMILY_FINDER, SharingRules())
    assert any("the whole record, because" in line for line in shared.children)
    assert any("profile only" in line for line in cautious.children)


def test_no_role_means_nothing():
    access = explain("", SharingRules())
    assert access.grants == () and set(access.refused) == set(RESOURCE_LABELS.values())
