"""North Midlands: /support/ honours the adoption support phase, and the demo's phases are the
paper's three (issue 19)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from openraa.partnership.models import Agency
from openraa.permanence import phases
from openraa.permanence.demo import PHASES
from openraa.permanence.models import PermanenceFunction
from openraa.permanence.phases import Function
from openraa.support.models import SupportCase
from tests import builders


@pytest.fixture
def partnership(db):
    return builders.agency("nmapp", host=None, governance_model=Agency.Governance.HUB_AND_SPOKE)


def _support_phase(agency, active_from):
    PermanenceFunction.objects.update_or_create(
        agency=agency, function=Function.ADOPTION_SUPPORT, defaults={"active_from": active_from}
    )


def _request(council) -> dict:
    today = timezone.localdate()
    return {
        "responsible_council": council.pk,
        "requester": "adoptive_family",
        "requester_name": "Robin Testparent",
        "categories": ["therapeutic"],
        "request": "Therapeutic parenting support",
        "child_reference": "",
        "household_reference": "",
        "received_on_0": str(today.day),
        "received_on_1": str(today.month),
        "received_on_2": str(today.year),
    }


def test_support_pages_are_closed_until_the_adoption_support_phase_goes_live(partnership, client_for):
    """Shropshire 2019: "permanence functions will form part of the arrangement at different stages"
    and "prepares the detail for phase one to go live in April 2020": before adoption support's
    phase goes live /support/ says so and records nothing."""
    worker = builders.user("support_worker", partnership, "Knowsley")
    client = client_for(worker)
    later = timezone.localdate() + timedelta(days=30)
    _support_phase(partnership, later)
    for url in ("/support/", "/support/new/", "/support/budget/", "/support/counts/"):
        page = client.get(url)
        assert page.status_code == 200
        assert "not yet run by the agency" in page.content.decode(), url
        assert f"runs adoption support from {later.day} {later:%B %Y}" in page.content.decode(), url
    client.post("/support/new/", _request(builders.council("Knowsley")))
    assert not SupportCase.objects.exists()

    _support_phase(partnership, None)
    assert "does not run adoption support" in client.get("/support/").content.decode()

    _support_phase(partnership, timezone.localdate() - timedelta(days=1))
    page = client.get("/support/").content.decode()
    assert "not yet run by the agency" not in page
    assert client.post("/support/new/", _request(builders.council("Knowsley"))).status_code == 302
    assert SupportCase.objects.count() == 1


def test_an_adoption_agency_without_phases_runs_adoption_support(aim, client_for):
    worker = builders.user("support_worker", aim, "Knowsley")
    assert "not yet run by the agency" not in client_for(worker).get("/support/").content.decode()
    assert phases.adoption_support_refusal({}, date(2020, 1, 1)) is None


def test_the_demo_phases_are_the_papers_three():
    """Shropshire 2019: "permanence functions will form part of the arrangement at different stages,
    through a well organised and sequenced plan to achieve go live of phase one (2018 – 2020), phase
    two (2020 – 2022) and phase three (2022 – 2024)"."""
    notes = {note for _, note in PHASES.values()}
    assert notes == {
        "Phase one (2018 – 2020): live 1 April 2020",
        "Phase two (2020 – 2022): live 1 April 2022",
        "Phase three (2022 – 2024): live 1 April 2024",
    }
    # Each goes live at the end of its years; phase one in April 2020, as the paper says.
    assert {day for day, _ in PHASES.values()} == {date(2020, 4, 1), date(2022, 4, 1), date(2024, 4, 1)}
    assert PHASES[Function.ADOPTION_SUPPORT][0] == date(2020, 4, 1)
    assert set(PHASES) == set(Function)  # every function has its phase
