"""SSDA903 layouts by collection year, in and out: SEX 1/2 up to 2023-24 and M/F/U from 2024-25,
placement codes (2025-26 splits Z1 into Z11-Z14, drops H5 and P2), the deprivation of liberty table
from 2026-27, collection years as FinancialYears, AD1 FOSTER_CARE from fostered_by_adopters_from.
Pure except where a test says `aim`."""

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from openraa.children.models import Child
from openraa.common.years import FinancialYear
from openraa.interchange import services
from openraa.interchange.ssda903 import codes, reading, writing
from tests import builders
from tests.interchange.test_ssda903 import KNOWSLEY, _files

YEARS = [FinancialYear(start) for start in range(2022, 2027)]  # 2022-23 to 2026-27


def _csv(columns: tuple[str, ...], *rows: tuple[str, ...]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode()


def _header(sex: str) -> bytes:
    return _csv(codes.TABLES["Header"], ("7", sex, "01/02/2022", "WBRI", "UN1", "0", ""))


def _episode(place: str) -> bytes:
    return _csv(codes.TABLES["Episodes"], ("7", "01/06/2022", "S", "E1", "", place, "PR1", "", "", "", "", "", ""))


def _child(**overrides) -> writing.ExportChild:
    values = {
        "child": "7",
        "sex": "2",
        "date_of_birth": date(2021, 6, 1),
        "ethnicity": "WBRI",
        "entered_care_on": date(2022, 5, 1),
        "should_be_placed_on": date(2022, 9, 1),
        "placement_order_on": date(2023, 1, 10),
        "matched_on": date(2023, 6, 1),
        "placed_on": date(2023, 6, 20),
        "adoption_order_on": date(2024, 5, 2),
        "adopter_sexes": ("1", "2"),
    }
    return writing.ExportChild(**(values | overrides))


# -- collection years ------------------------------------------------------------------------------


def test_collection_years_are_financial_years():
    year = codes.parse_year("2025")
    assert year == codes.parse_year("2024-25") == codes.parse_year("2024/2025") == FinancialYear(2024)
    assert year.label == "2024-25"
    assert codes.collection_year(year) == codes.collection_year(2025) == (date(2024, 4, 1), date(2025, 3, 31))
    assert codes.ruleset(year) == "lac2024_25" and codes.ruleset(FinancialYear(2025)) == "lac2025_26"
    with pytest.raises(ValueError, match="not a financial year"):
        codes.parse_year("2024-26")


def test_the_export_command_takes_either_name_of_the_year_and_prints_its_label(aim, tmp_path, capsys):
    call_command("export_ssda903", "--council", "Knowsley", "--year", "2025", str(tmp_path / "a"))
    assert "Knowsley 2024-25:" in capsys.readouterr().out
    call_command("export_ssda903", "--council", "Knowsley", "--year", "2024-25", str(tmp_path / "b"))
    assert (tmp_path / "a" / "header.csv").read_text() == (tmp_path / "b" / "header.csv").read_text()
    assert '"year": "2024-25"' in (tmp_path / "a" / services.REPORT_NAME).read_text()
    with pytest.raises(CommandError, match="not a financial year"):
        call_command("export_ssda903", "--council", "Knowsley", "--year", "2024-26", str(tmp_path / "c"))
    assert not (tmp_path / "c").exists()


# -- SEX -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS, ids=str)
def test_sex_is_read_in_either_layout_and_a_code_of_the_other_layout_is_a_warning(year):
    letters = year >= FinancialYear(2024)
    for sex, stored in (("1", "1"), ("2", "2"), ("M", "1"), ("F", "2"), ("U", "U")):
        data = reading.read_return([("h.csv", _header(sex))], year)
        assert data.problems == [] and data.header[0].sex == stored
        other_layout = (sex in "12") == letters
        assert [w.field for w in data.warnings] == (["SEX"] if other_layout else [])
    refused = reading.read_return([("h.csv", _header("X"))], year)
    assert refused.header == [] and refused.problems[0].field == "SEX"


def test_without_the_year_every_years_codes_are_read_without_warning():
    data = reading.read_return([("h.csv", _header("U")), ("e.csv", _episode("H5"))])
    assert (data.header[0].sex, data.episodes[0].place, data.warnings) == ("U", "H5", [])


@pytest.mark.parametrize("year", YEARS, ids=str)
def test_sex_is_written_in_the_years_layout(year):
    waiting = {"adoption_order_on": None}  # in every year's return
    tables = writing.tables_for_year(
        [
            _child(child="1", sex="1", **waiting),
            _child(child="2", sex="2", **waiting),
            _child(child="3", sex="U", **waiting),
        ],
        year,
        date(2027, 6, 1),
    )
    written = {row["CHILD"]: row["SEX"] for row in tables.header}
    # The digits' layout has no code for "not known": left blank. Either way the export says it is not held.
    letters = year >= FinancialYear(2024)
    assert written == ({"1": "M", "2": "F", "3": "U"} if letters else {"1": "1", "2": "2", "3": ""})
    assert [(g.child, g.field) for g in tables.gaps if g.field == "SEX"] == [("3", "SEX")]


def test_an_imported_child_of_unknown_sex_is_kept_as_u(aim):
    files = [
        (name, content.replace(b"1002,F,", b"1002,U,") if "Header" in name else content)
        for name, content in _files(KNOWSLEY)
    ]
    services.import_return(files, builders.council("Knowsley"), 2025)  # the import side keeps int years
    child = Child.objects.get(council_child_id="1002")
    assert child.sex == "U" and child.get_sex_display() == "Not known or indeterminate"


# -- PLACE -----------------------------------------------------------------------------------------


def test_2025_26_splits_z1_and_drops_h5_and_p2():
    before, after = codes.places(FinancialYear(2024)), codes.places(FinancialYear(2025))
    assert {"Z1", "H5", "P2"} <= set(before) and not {"Z11", "Z12", "Z13", "Z14"} & set(before)
    assert {"Z11", "Z12", "Z13", "Z14"} <= set(after) and not {"Z1", "H5", "P2"} & set(after)
    assert set(before) - {"Z1", "H5", "P2"} == set(after) - {"Z11", "Z12", "Z13", "Z14"}
    assert codes.places(FinancialYear(2026)) == after and codes.places(FinancialYear(2022)) == before


@pytest.mark.parametrize("year", YEARS, ids=str)
def test_a_placement_code_of_another_year_is_read_with_a_warning_and_one_of_no_year_is_refused(year):
    for place in ("Z1", "H5", "P2", "Z11", "Z14", "U6"):
        data = reading.read_return([("e.csv", _episode(place))], year)
        assert data.problems == [] and data.episodes[0].place == place
        warned = [w for w in data.warnings if w.field == "PLACE"]
        assert bool(warned) == (place not in codes.places(year))
        if warned:
            assert year.label in warned[0].reason and "146" in warned[0].reason and warned[0].child == "7"
    refused = reading.read_return([("e.csv", _episode("Z9"))], year)
    assert refused.episodes == [] and refused.problems[0].field == "PLACE"


# -- the deprivation of liberty table --------------------------------------------------------------


def test_the_deprivation_of_liberty_table_is_recognised_and_set_aside():
    dolo = _csv(("CHILD", "DOB", "DOLO_START", "DOLO_END"), ("7", "01/02/2012", "01/05/2026", ""))
    data = reading.read_return([("h.csv", _header("F")), ("dol.csv", dolo)], FinancialYear(2026))
    assert data.ignored == ["dol.csv (DoLo)"] and data.file_problems == [] and len(data.header) == 1


@pytest.mark.parametrize("year", YEARS, ids=str)
def test_the_deprivation_of_liberty_table_is_written_empty_from_2026_27(year, tmp_path):
    tables = writing.tables_for_year([_child()], year, date(2027, 6, 1))
    names = {p.name for p in writing.write_tables(tables, tmp_path)}
    assert ("dolo.csv" in names) == (year >= FinancialYear(2026))
    if "dolo.csv" in names:
        assert (tmp_path / "dolo.csv").read_text().splitlines() == ["CHILD,DOB,DOLO_START,DOLO_END"]


# -- FOSTER_CARE -----------------------------------------------------------------------------------


def test_a_child_fostered_by_its_adopters_is_placed_with_its_foster_carers_and_ad1_says_so():
    fostered = _child(fostered_by_adopters_from=date(2022, 8, 1))
    tables = writing.tables_for_year([fostered], FinancialYear(2024), date(2027, 6, 1))
    assert tables.ad1[0]["FOSTER_CARE"] == "1"
    episodes = writing.episodes_for(fostered, date(2027, 6, 1))
    assert [(e["DECOM"], e["RNE"], e["LS"], e["PLACE"]) for e in episodes] == [
        (date(2022, 5, 1), "S", "C2", "U6"),
        (date(2022, 8, 1), "P", "C2", "U6"),  # moves to the adopters
        (date(2023, 1, 10), "L", "E1", "U6"),
        (date(2023, 6, 20), "T", "E1", "A5"),
    ]  # placed with them
    other = writing.tables_for_year([_child()], FinancialYear(2024), date(2027, 6, 1))
    assert other.ad1[0]["FOSTER_CARE"] == "0"
    assert writing.episodes_for(_child(), date(2027, 6, 1))[-1]["PLACE"] == "A6"


def test_the_export_reads_fostered_by_adopters_from_off_the_record(aim, tmp_path):
    services.import_return(_files(KNOWSLEY), builders.council("Knowsley"), 2025)
    Child.objects.filter(council_child_id="1001").update(fostered_by_adopters_from=date(2022, 12, 1))
    services.export_return(builders.council("Knowsley"), FinancialYear(2024), tmp_path)
    ad1 = {r["CHILD"]: r for r in csv.DictReader((tmp_path / "ad1.csv").open())}
    assert ad1["1001"]["FOSTER_CARE"] == "1"
    last = [r for r in csv.DictReader((tmp_path / "episodes.csv").open()) if r["CHILD"] == "1001"][-1]
    assert (last["PLACE"], last["RNE"], last["REC"]) == ("A5", "T", "E11")


# -- round trip ------------------------------------------------------------------------------------


@st.composite
def export_children(draw):
    """A child at any stage of the adoption journey, milestones in order, of any sex OpenRAA keeps."""
    born = draw(st.dates(date(2010, 1, 1), date(2025, 1, 1)))
    entered = born + timedelta(days=draw(st.integers(0, 900)))
    dates, day = {}, entered
    for name in ("should_be_placed_on", "placement_order_on", "matched_on", "placed_on", "adoption_order_on"):
        if not draw(st.booleans()) and name != "should_be_placed_on":
            break
        day += timedelta(days=draw(st.integers(1, 300)))
        dates[name] = day
    fostered = None
    if "placed_on" in dates and draw(st.booleans()):
        fostered = entered + timedelta(days=draw(st.integers(0, (dates["placed_on"] - entered).days)))
    return writing.ExportChild(
        child=f"C{draw(st.integers(1, 9999))}",
        sex=draw(st.sampled_from("12U")),
        date_of_birth=born,
        ethnicity=draw(st.sampled_from(("WBRI", "MWBC", "BAFR"))),
        entered_care_on=entered,
        fostered_by_adopters_from=fostered,
        adopter_sexes=draw(st.sampled_from((("1",), ("2",), ("1", "2")))),
        **dates,
    )


@settings(max_examples=60, deadline=None)
@given(child=export_children(), year=st.sampled_from(YEARS))
def test_what_is_written_for_a_year_reads_back_in_that_years_layout(child, year, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    tables = writing.tables_for_year([child], year, date(2027, 6, 1))
    data = reading.read_return([(p.name, p.read_bytes()) for p in writing.write_tables(tables, folder)], year)
    assert data.file_problems == [] and data.warnings == []  # every code written is one of the year's
    if not tables.header:
        return
    (header,) = tables.header
    if header["SEX"]:
        assert [(h.child, h.sex, h.dob) for h in data.header] == [(child.child, child.sex, child.date_of_birth)]
    else:  # U before 2024-25: no code for it, so the header cannot be read back, and the export said so
        assert child.sex == "U" and year < FinancialYear(2024) and data.problems[0].field == "SEX"
    assert all(e.place in codes.places(year) for e in data.episodes)
    assert len(data.episodes) == len(tables.episodes)
    assert [p.date_placed for p in data.placed_adoption] == [child.should_be_placed_on]
    for ad1 in data.ad1:
        assert ad1.foster_care == ("1" if child.fostered_by_adopters_from else "0")
        placed = [e for e in data.episodes if e.place in codes.PLACED_FOR_ADOPTION]
        assert not placed or placed[-1].place == ("A5" if ad1.foster_care == "1" else "A6")
    assert {p.name for p in Path(folder).iterdir()} == {codes.FILE_NAMES[t] for t in codes.tables_written(year)}
