"""`openraa setup_agency`: a real agency from the register of councils, refused whole (nothing
written) for each thing that would make it wrong; a member council's SSDA903 return then imports."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openraa.children.models import Child
from openraa.interchange import services as interchange
from openraa.partnership import setup
from openraa.partnership.models import Agency, Council, Membership

KNOWSLEY, LIVERPOOL, SEFTON, WIRRAL = "E08000011", "E08000012", "E08000014", "E08000015"
AIM = [
    "--code",
    "aim",
    "--name",
    "Adoption in Merseyside",
    "--model",
    "hosted",
    "--host",
    KNOWSLEY,
    "--commissioning",
    SEFTON,
    "--council",
    KNOWSLEY,
    "--council",
    LIVERPOOL,
    "--council",
    SEFTON,
    "--council",
    WIRRAL,
    "--joined",
    "2017-03-01",
]


def run(*args) -> str:
    out = io.StringIO()
    call_command("setup_agency", *args, stdout=out)
    return out.getvalue()


def _written():
    return (Agency.objects.count(), Council.objects.count(), Membership.objects.count())


def test_an_agency_is_set_up_from_the_register(db):
    Council.objects.create(name="Knowsley", ons_code=KNOWSLEY, region="North West")  # kept as it is
    text = run(*AIM)
    agency = Agency.objects.get(code="aim")
    assert (agency.name, agency.governance_model) == ("Adoption in Merseyside", "hosted")
    assert (agency.host_council.ons_code, agency.commissioning_council.ons_code) == (KNOWSLEY, SEFTON)
    assert agency.host_on(date(2017, 3, 1)).ons_code == KNOWSLEY and agency.host_on(date(2017, 2, 28)) is None
    assert sorted(m.council.name for m in agency.memberships.all()) == ["Knowsley", "Liverpool", "Sefton", "Wirral"]
    assert {m.joined_on for m in agency.memberships.all()} == {date(2017, 3, 1)}
    assert Council.objects.get(ons_code=WIRRAL).region == "North West"
    assert "hosted by Knowsley, commissioned by Sefton" in text
    assert "Added to the councils from the register: Liverpool (E08000012, North West), Sefton" in text
    assert agency.history.count() == 1 and Membership.objects.first().history.count() == 1


def test_a_member_councils_return_then_imports(db):
    run(*AIM)
    header = b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n2001,F,20/01/2022,WBRI,UN1,0,\n"
    episodes = (
        b"CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        b"2001,01/02/2024,S,C2,N1,U6,PR1,,,,L4 1AA,L5 1AA,SC123456\n"
    )
    placed = b"CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\n2001,20/01/2022,01/09/2024,,\n"
    liverpool = Council.objects.get(ons_code=LIVERPOOL)
    result = interchange.import_return(
        [("header.csv", header), ("episodes.csv", episodes), ("placed_for_adoption.csv", placed)], liverpool, 2025
    )
    assert (result.run.created, result.run.rejected) == (1, 0)
    child = Child.objects.get(council_child_id="2001")
    assert child.agency.code == "aim" and child.responsible_council == liverpool


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"--council": "E08000099"}, "E08000099 is not the ONS code of an English council"),
        ({"--host": "E08000013"}, "The host council E08000013 must also be named as a member"),
        ({"--commissioning": "E09000004"}, "The commissioning council E09000004 must also be named as a member"),
        ({"--host": None}, "An agency hosted by one council needs its host council"),
        (
            {"--joined": "2022-04-01", "--council": "E10000021"},
            "Northamptonshire (E10000021) ended on 31/03/2021, so it cannot join on 01/04/2022 (succeeded by "
            "North Northamptonshire (E06000061), West Northamptonshire (E06000062))",
        ),
        ({"--code": "AIM!"}, "The agency code 'AIM!' must be"),
    ],
)
def test_each_mistake_is_refused_and_nothing_is_written(db, change, reason):
    args = list(AIM)
    for option, value in change.items():
        i = args.index(option)
        if option == "--council":
            args[i + 1] = value  # the first member replaced
        elif value is None:
            del args[i : i + 2]
        else:
            args[i + 1] = value
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert reason in str(refused.value) and "Nothing was set up" in str(refused.value)
    assert _written() == (0, 0, 0)


def test_an_agency_code_in_use_is_refused_not_merged(db):
    run(*AIM)
    before = _written()
    with pytest.raises(CommandError, match="An agency with the code 'aim' already exists: nothing was changed"):
        run(*AIM)
    assert _written() == before


def test_a_council_already_in_another_agency_on_the_day_is_refused(db):
    run(*AIM)
    before = _written()
    other = [
        "--code",
        "mersey2",
        "--name",
        "Another",
        "--model",
        "partnership",
        "--council",
        "E08000013",
        "--council",
        WIRRAL,
        "--joined",
        "2020-04-01",
    ]
    with pytest.raises(CommandError, match="Wirral is a member of Adoption in Merseyside on 01/04/2020"):
        run(*other)
    assert _written() == before  # St. Helens (E08000013) was not added either
    Membership.objects.filter(council__ons_code=WIRRAL).update(left_on=date(2020, 4, 1))
    assert "Members from 01/04/2020: St. Helens, Wirral" in run(*other)


def test_the_plan_checks_the_model_against_the_agencys_choices():
    assert set(setup.MODELS) == set(Agency.Governance.values)
    plan, refusals = setup.plan(
        "nm", "North Midlands", "hub_and_spoke", [" e10000028 ", "E06000021"], None, None, date(2019, 10, 1)
    )
    assert refusals == [] and [c.name for c in plan.councils] == ["Staffordshire", "Stoke-on-Trent"]
    _, refusals = setup.plan(
        "nm", "North Midlands", "hub_and_spoke", ["E10000028", "E10000028"], None, None, date(2019, 10, 1)
    )
    assert refusals == ["Staffordshire (E10000028) is named twice"]
    _, refusals = setup.plan("nm", "", "federation", [], None, None, date(2019, 10, 1))
    assert len(refusals) == 3
