"""The bundled register of English councils with children's services (partnership/councils.csv):
consistent, complete on the days that matter, and right about the reorganisations since 2015."""

from datetime import date

from openraa.partnership import register
from openraa.partnership.register import RegisteredCouncil


def test_the_bundled_register_is_consistent():
    councils = list(register.councils().values())
    assert register.problems(councils) == []
    assert len({c.ons_code for c in councils}) == len(councils)


def test_it_has_every_authority_with_childrens_services_on_each_day():
    # 152 when the register starts (2015-16), 153 since Cumbria, North Yorkshire and Somerset changed
    assert len(register.existing_on(date(2015, 4, 1))) == 152
    assert len(register.existing_on(date(2023, 4, 1))) == 153
    assert len(register.existing_on(date(2025, 3, 31))) == 153
    for day in (date(2019, 3, 31), date(2019, 4, 1), date(2021, 3, 31), date(2021, 4, 1)):
        now = {c.ons_code for c in register.existing_on(day)}
        # whoever has ended handed its area on to successors that exist now (none has ended twice)
        for council in register.councils().values():
            if council.ends_on and council.ends_on < day:
                assert council.ons_code not in now and set(council.successors) <= now


def test_the_reorganisations_since_2015():
    find = register.find
    northamptonshire = find("E10000021")
    assert northamptonshire.ends_on == date(2021, 3, 31)
    assert set(northamptonshire.successors) == {"E06000061", "E06000062"}
    assert find("E06000061").name == "North Northamptonshire" and find("E06000062").starts_on == date(2021, 4, 1)
    assert find("E10000006").successors == ("E06000063", "E06000064") and find("E10000006").ends_on == date(2023, 3, 31)
    assert (find("E06000063").name, find("E06000064").name) == ("Cumberland", "Westmorland and Furness")
    assert find("E10000023").successors == ("E06000065",) and find("E06000065").name == "North Yorkshire"
    assert find("E10000027").successors == ("E06000066",) and find("E06000066").starts_on == date(2023, 4, 1)
    for predecessor in ("E06000028", "E06000029", "E10000009"):  # Bournemouth, Poole, Dorset County
        assert find(predecessor).ends_on == date(2019, 3, 31)
    assert {s for p in ("E06000028", "E06000029") for s in find(p).successors} == {"E06000058"}
    assert find("E06000058").starts_on == find("E06000059").starts_on == date(2019, 4, 1)
    assert find("E10000002").successors == ("E06000060",) and find("E06000060").starts_on == date(2020, 4, 1)


def test_names_regions_and_dfe_numbers():
    knowsley = register.find(" e08000011 ")
    assert (knowsley.name, knowsley.region, knowsley.dfe_number, knowsley.kind) == (
        "Knowsley",
        "North West",
        "340",
        "metropolitan district",
    )
    assert register.find("E06000053").name == "Isles of Scilly" and register.find("E09000001").kind == "City of London"
    assert register.find("E99999999") is None


def test_problems_are_found():
    good = RegisteredCouncil(
        "E10000001", "Old County", "county", "South East", "800", None, date(2020, 3, 31), ("E06000001",)
    )
    successor = RegisteredCouncil("E06000001", "New", "unitary", "South East", "801", date(2020, 4, 1), None)
    assert register.problems([good, successor]) == []
    late = RegisteredCouncil("E06000001", "New", "unitary", "South East", "801", date(2020, 5, 1), None)
    assert "does not start the day after it ends" in register.problems([good, late])[0]
    assert "is not in the register" in register.problems([good])[0]
    twice = RegisteredCouncil("E06000002", "New", "unitary", "South East", "8011", None, None)
    found = register.problems([successor, twice, good])
    assert any("more than one council has this name" in p for p in found)
    assert any("is not three digits" in p for p in found)
    wales = RegisteredCouncil("W06000001", "Anglesey", "unitary", "Wales", None, None, None)
    assert "not an ONS code" in register.problems([wales])[0]
