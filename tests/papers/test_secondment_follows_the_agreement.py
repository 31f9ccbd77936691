"""Secondment follows the partnership agreement's staffing model, never a stored host (issue 19)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from openraa.partnership import secondments
from openraa.partnership.models import Agency
from openraa.people import staffing
from openraa.people.models import Secondment
from openraa.people.roles import Role
from tests import builders

KENT, BEXLEY, MEDWAY = "E10000016", "E09000004", "E06000035"


@pytest.fixture
def bkm_with_kent_stored_as_host(db):
    """Bexley, Kent and Medway as a partnership, with Kent left stored as host (the abandoned plan)."""
    for name, code in (("Kent", KENT), ("Bexley", BEXLEY), ("Medway", MEDWAY)):
        builders.council(name, code, "South East")
    return builders.agency(
        "bkm", councils=("Kent", "Bexley", "Medway"), host="Kent", governance_model=Agency.Governance.PARTNERSHIP
    )


def test_kent_2020_no_tupe_or_secondment_so_medway_staff_are_never_seconded(bkm_with_kent_stored_as_host, client_for):
    """Kent 2020: "further discussions have resulted in a move away from a hosted model to a
    Partnership Model" and "This way of working will mean: - No TUPE or secondment of staff".

    Medway's staff stay Medway's: no secondment can be recorded, and one written before the model
    was known does not make them seconded, whoever is stored as host."""
    bkm = bkm_with_kent_stored_as_host
    assert bkm.host_council.name == "Kent"
    finder = builders.user(Role.FAMILY_FINDER, bkm, employer="Medway")
    with pytest.raises(ValidationError, match="no TUPE or secondment"):
        staffing.record_secondment(
            Secondment(user=finder, from_council=finder.employing_council, starts_on=date(2020, 4, 1))
        )
    assert not Secondment.objects.exists()

    Secondment.objects.create(user=finder, from_council=finder.employing_council, starts_on=date(2020, 4, 1))
    finder.refresh_from_db()
    assert not finder.is_seconded
    admin = builders.user(Role.ADMINISTRATOR, bkm, employer="Kent")
    page = client_for(admin).get("/partnership/").content.decode()
    assert "Medway" in page and "Seconded</strong>" not in page
    assert "no TUPE or secondment" in page


def test_aim_2018_seconds_into_the_host_from_the_other_councils_only(aim):
    """Sefton 2018: "Agree that as host, employees from the other three Councils are seconded into
    Knowsley from 1 April 2018": a Liverpool employee may be seconded; Knowsley's own are not."""
    assert aim.staffing == secondments.StaffArrangement.INTO_HOST
    liverpool = builders.user(Role.FAMILY_FINDER, aim, employer="Liverpool")
    staffing.record_secondment(
        Secondment(user=liverpool, from_council=liverpool.employing_council, starts_on=date(2018, 4, 1))
    )
    assert liverpool.is_seconded
    knowsley = builders.user(Role.FAMILY_FINDER, aim, employer="Knowsley", username="knowsley.finder")
    with pytest.raises(ValidationError, match="Knowsley is the host"):
        staffing.record_secondment(
            Secondment(user=knowsley, from_council=knowsley.employing_council, starts_on=date(2018, 4, 1))
        )


def test_the_staffing_model_follows_the_recorded_agreement_else_the_governance_model():
    arrangement = secondments.arrangement
    assert arrangement("hosted", "") == secondments.StaffArrangement.INTO_HOST
    assert arrangement("partnership", "") == secondments.StaffArrangement.NONE
    assert arrangement("hub_and_spoke", "where_agreed") == secondments.StaffArrangement.WHERE_AGREED
    assert (
        secondments.refusal(
            secondments.StaffArrangement.WHERE_AGREED, employer_id=1, host_id=None, starts_on=date(2020, 4, 1)
        )
        is None
    )
    assert "no host council" in secondments.refusal(
        secondments.StaffArrangement.INTO_HOST, employer_id=1, host_id=None, starts_on=date(2020, 4, 1)
    )


def test_an_administrator_records_the_staffing_model_with_its_history(bkm_with_kent_stored_as_host, client_for):
    bkm = bkm_with_kent_stored_as_host
    admin = builders.user(Role.ADMINISTRATOR, bkm, employer="Kent")
    client = client_for(admin)
    refused = client.post("/partnership/staffing/", {"staff_arrangement": "into_host"})
    assert refused.status_code == 200 and "is not hosted" in refused.content.decode()
    assert client.post("/partnership/staffing/", {"staff_arrangement": "where_agreed"}).status_code == 302
    bkm.refresh_from_db()
    assert bkm.staffing == secondments.StaffArrangement.WHERE_AGREED
    assert bkm.history.latest().history_user == admin
    finder = builders.user(Role.FAMILY_FINDER, bkm, employer="Medway")
    staffing.record_secondment(
        Secondment(user=finder, from_council=finder.employing_council, starts_on=date(2021, 1, 4))
    )
    assert client.post("/partnership/staffing/", {"staff_arrangement": "none"}).status_code == 302
    finder = type(finder).objects.get(pk=finder.pk)
    assert not finder.is_seconded  # the agreement's model now has no secondment: the old record does not count
    bexley_finder = builders.user(Role.FAMILY_FINDER, bkm, employer="Bexley")
    assert client_for(bexley_finder).get("/partnership/staffing/").status_code == 403
