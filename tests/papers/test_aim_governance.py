"""Adoption in Merseyside's governance as Sefton's cabinet papers record it (issue 19)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from openraa.governance import schedule, services
from openraa.governance.demo import load_aim_governance
from openraa.governance.models import Agreement, AgreementExtension, Board, Workstream
from openraa.governance.schedule import Extension, Frequency
from tests import builders

AIM_COUNCILS = ("Knowsley", "Liverpool", "Sefton", "Wirral")


@pytest.fixture
def aim4(db):
    return builders.agency("aim", councils=AIM_COUNCILS, host="Knowsley")


def test_the_demo_extension_runs_on_from_the_expiry_it_extends(aim4):
    """Sefton 2021: "The current partnership agreement expired on 31 March 2021 and arrangements to
    extend the agreement were not implemented due to the impact of Covid-19" and "The current
    partnership agreement for AIM (Adoption in Merseyside) be extended until 31 March 2022"."""
    load_aim_governance(aim4)
    first = Agreement.objects.get(agency=aim4, title__endswith="2018")
    extension = first.extensions.get()
    assert first.original_expiry == date(2021, 3, 31)
    assert extension.extends_expiry == date(2021, 3, 31) and extension.runs_from == date(2021, 4, 1)
    assert extension.new_expiry == date(2022, 3, 31) and first.expires_on == date(2022, 3, 31)
    assert extension.decided_on > first.original_expiry  # decided after it had expired, as the paper says
    assert extension.decided_after_lapse


def test_an_extension_must_run_on_from_the_end_it_extends(aim4):
    """An extension decided before one already recorded, or ending on or before the expiry in force,
    extends nothing and is refused; so is one decided before the agreement began."""
    agreement = Agreement.objects.create(
        agency=aim4, title="AIM 2018", kind="partnership", starts_on=date(2018, 4, 1), term_years=3
    )
    services.save_extension(
        AgreementExtension(agreement=agreement, new_expiry=date(2022, 3, 31), decided_on=date(2021, 11, 4), reason="r"),
        by=None,
    )
    for new_expiry, decided_on, field in (
        (date(2021, 9, 30), date(2021, 12, 1), "new_expiry"),  # before the end it would extend
        (date(2023, 3, 31), date(2021, 2, 15), "decided_on"),  # before the extension already recorded
    ):
        with pytest.raises(ValidationError) as refused:
            services.save_extension(
                AgreementExtension(agreement=agreement, new_expiry=new_expiry, decided_on=decided_on, reason="r"),
                by=None,
            )
        assert field in refused.value.message_dict
    assert agreement.extensions.count() == 1
    problems = schedule.extension_problems(
        date(2018, 4, 1), 3, None, [], Extension(decided_on=date(2017, 1, 1), new_expiry=date(2022, 3, 31))
    )
    assert "decided_on" in problems


def test_the_demo_workstreams_are_the_papers_nine_with_their_leads(aim4):
    """Sefton 2018, 2.1: "The programme has been managed through eight separate work streams, each
    with a lead and membership from across the four Local Authorities", followed by a table of nine
    (Information Technology, Human Resources, Commissioning and Performance, Finance, Estates,
    Communications, Legal, Operational Delivery, Learning and Development): the table is taken."""
    load_aim_governance(aim4)
    leads = {w.name: w.lead_council.name for w in Workstream.objects.filter(agency=aim4)}
    assert leads == {
        "Information Technology": "Knowsley",
        "Human Resources": "Wirral",
        "Commissioning and Performance": "Sefton",
        "Finance": "Knowsley",
        "Estates": "Liverpool",
        "Communications": "Liverpool",
        "Legal": "Knowsley",
        "Operational Delivery": "Knowsley",
        "Learning and Development": "Sefton",
    }
    finance = Workstream.objects.get(agency=aim4, name="Finance")
    assert [h.lead_council.name for h in finance.history.order_by("history_date")] == ["Liverpool", "Knowsley"]


def test_the_board_and_operational_group_meet_bi_monthly(aim4):
    """Sefton 2018, 3.3: "The Management Board will meet bi-monthly"; 3.4: the Operational Group
    "will meet bi-monthly reporting to the Management Board on all aspects of the service"."""
    load_aim_governance(aim4)
    frequencies = {board.kind: board.frequency for board in Board.objects.filter(agency=aim4)}
    assert frequencies == {"management": Frequency.BI_MONTHLY, "operational": Frequency.BI_MONTHLY}
    chair = Board.objects.get(agency=aim4, kind="management").members.get(role_on_board="Chair")
    assert chair.council.name == "Wirral"  # "chaired by ... Wirral Council (previously Knowsley Council)"
    assert schedule.next_meeting_due(Frequency.BI_MONTHLY, date(2018, 4, 1), date(2018, 6, 5)) == date(2018, 8, 5)
