"""The encoded household pool behind every shortlist: read from plain rows, kept per process and
rebuilt only when something it is built from changes (issue 7, bench load)."""

from datetime import date

import pytest

from openraa.children.services import save_child
from openraa.households.models import Household
from openraa.households.services import save_household
from openraa.matching import adapters, selectors
from tests import builders

TODAY = date(2025, 3, 1)


@pytest.mark.django_db
def test_households_are_read_with_everything_the_engine_needs(aim):
    household = builders.household(
        aim,
        "Liverpool",
        postcode_district="L18",
        religion="christian",
        languages=["cy"],
        sibling_group_open=True,
        capabilities={"attachment": "high", "autism": "low"},
    )
    household.applicants.create(
        first_name="Kit", last_name="Testadopter", date_of_birth=date(1986, 1, 1), sex="1", ethnicity="MWBC"
    )
    builders.household(aim, approved=False)  # in assessment: not in the pool
    (read,) = adapters.households(Household.objects.all(), TODAY)
    assert read.id == household.reference
    assert read.council == "E08000012"
    assert read.capabilities == {"attachment": "high", "autism": "low"}
    assert read.ethnicities == ["MWBC", "WBRI"]
    assert (read.religion, list(read.languages), read.sibling_group_open) == ("christian", ["cy"], True)
    assert (read.approved_children, read.age_min, read.age_max) == (2, 0, 6)
    assert read.days_waiting == (TODAY - household.approved_on).days and read.approved and not read.in_active_link
    assert [h.id for h in adapters.households(Household.objects.all(), TODAY, in_assessment=True)] == [
        household.reference
    ]


@pytest.mark.django_db
def test_the_pool_is_reused_across_child_edits_and_rebuilt_when_a_household_changes(aim):
    child = builders.child(aim)
    household = builders.household(aim, capabilities={"attachment": "low"})
    first = selectors.context_for(aim, TODAY).pool
    child.birth_father_name = "Changed Testname"
    save_child(child, expected_version=child.version)
    assert selectors.context_for(aim, TODAY).pool is first

    save_household(household, {"attachment": "high"}, expected_version=household.version)
    rebuilt = selectors.context_for(aim, TODAY).pool
    assert rebuilt is not first
    assert rebuilt.households[0].capabilities == {"attachment": "high"}

    builders.household(aim)
    assert len(selectors.context_for(aim, TODAY).pool) == 2


@pytest.mark.django_db
def test_the_pool_is_rebuilt_when_an_applicant_or_a_capability_changes_alone_or_a_household_closes(aim):
    """Issue 18: the pool notices any change by the highest history row of each part it holds
    (an index lookup), not by counting and summing every household of the region."""
    household = builders.household(aim, capabilities={"attachment": "low"})
    applicant = household.applicants.get()
    first = selectors.context_for(aim, TODAY).pool
    assert selectors.context_for(aim, TODAY).pool is first

    applicant.ethnicity = "MWBC"
    applicant.save()  # the applicant alone: the household row is untouched
    second = selectors.context_for(aim, TODAY).pool
    assert second is not first and second.households[0].ethnicities == ["MWBC"]

    capability = household.capabilities.get()
    capability.level = "high"
    capability.save()
    third = selectors.context_for(aim, TODAY).pool
    assert third is not second and third.households[0].capabilities == {"attachment": "high"}

    household.closed_on = TODAY
    household.save()
    assert len(selectors.context_for(aim, TODAY).pool) == 0
