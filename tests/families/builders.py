"""Records of the families' side for tests."""

from tests import builders


def enquiring_household(agency, council_name: str = "Knowsley"):
    """A household at its enquiry stage: no registration of interest yet."""
    return builders.household(
        agency,
        council_name,
        approved=False,
        registration_of_interest_on=None,
        stage1_started_on=None,
        stage1_ended_on=None,
        stage2_started_on=None,
        stage2_ended_on=None,
    )
