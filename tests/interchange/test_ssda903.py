"""SSDA903 import and export: the fixture return, idempotence, the round trip, bad files, the upload
page and the commands."""

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openraa.children.models import Child
from openraa.interchange import services
from openraa.interchange.models import ImportRun
from openraa.interchange.ssda903 import codes, mapping, reading
from openraa.journeys.models import ChildStep
from openraa.people.roles import Role
from tests import builders

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ssda903"
KNOWSLEY = FIXTURES / "knowsley-2025"
YEAR = 2025


def _files(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".xml")]


def _replace(files, table: str, old: str, new: str):
    """The fixture with one table's text edited."""
    return [
        (name, content.replace(old.encode(), new.encode()) if table in name else content) for name, content in files
    ]


def _import(files, council="Knowsley", **kwargs):
    return services.import_return(files, builders.council(council), YEAR, **kwargs)


def _state():
    """Everything an import could write: children, their history rows and journey entries."""
    return (
        Child.objects.count(),
        Child.history.count(),
        ChildStep.objects.count(),
        sorted(
            Child.objects.values_list(
                "council_child_id",
                "stage",
                "entered_care_on",
                "placement_order_on",
                "matched_on",
                "placed_on",
                "adoption_order_on",
                "plan_ended_on",
                "plan_ended_reason",
                "plan_ended_code",
            )
        ),
    )


def _report(result) -> list[dict]:
    return list(csv.DictReader(io.StringIO(result.report_csv())))


# -- reading ---------------------------------------------------------------------------------------


def test_tables_are_recognised_by_their_columns_whatever_the_file_name_and_column_order():
    header = "ETHNIC,CHILD,DOB,SEX,MC_DOB,MOTHER,UPN\nWBRI,7,01/02/2022,F,,0,UN1\n"
    data = reading.read_return(
        [("anything.csv", header.encode()), ("old.csv", b"CHILD,DOB,REVIEW,REVIEW_CODE\n7,01/02/2022,01/03/2024,PN1\n")]
    )
    assert data.tables == {"Header": ["anything.csv"]}
    assert data.ignored == ["old.csv (Reviews)"]
    assert data.header[0].child == "7" and data.header[0].sex == "2" and data.header[0].dob == date(2022, 2, 1)


def test_the_mapping_reads_each_milestone_from_its_table():
    data = reading.read_return(_files(KNOWSLEY))
    children, problems = mapping.group_by_child(data)
    assert problems == []
    adopted = mapping.milestones_from_return(children["1001"])
    assert {name: found.value for name, found in adopted.dates.items()} == {
        "entered_care_on": date(2022, 5, 10),
        "placement_order_on": date(2023, 2, 1),
        "placed_on": date(2023, 9, 15),
        "adoption_order_on": date(2024, 8, 20),
        "should_be_placed_on": date(2022, 11, 1),
        "matched_on": date(2023, 9, 1),
    }
    assert all(found.exact for found in adopted.dates.values())
    disrupted = mapping.milestones_from_return(children["1004"])
    assert (disrupted.plan_ended_reason, disrupted.plan_ended_code) == ("disruption", "RD1")
    assert disrupted.dates["plan_ended_on"].value == date(2024, 6, 10)
    # Only a continuation episode with the order in force: the order and entering care are bounds.
    older = mapping.milestones_from_return(children["1006"])
    assert not older.dates["placement_order_on"].exact and not older.dates["entered_care_on"].exact
    assert not mapping.milestones_from_return(children["1005"]).adoption_plan


# -- import ----------------------------------------------------------------------------------------


def test_import_adds_children_with_their_milestones_as_imported_journey_entries(aim):
    result = _import(_files(KNOWSLEY))
    run = result.run
    assert (run.children, run.created, run.skipped, run.rejected, run.updated) == (6, 5, 1, 0, 0)
    adopted = Child.objects.get(council_child_id="1001")
    assert adopted.agency == aim and adopted.responsible_council.name == "Knowsley"
    assert (adopted.first_name, adopted.last_name) == (services.PLACEHOLDER_FIRST_NAME, "1001")
    assert adopted.stage == "adopted" and adopted.adoption_order_on == date(2024, 8, 20)
    assert (adopted.sex, adopted.ethnicity, adopted.date_of_birth) == ("1", "WBRI", date(2021, 3, 2))
    steps = {s.kind: s for s in adopted.steps.all()}
    assert set(steps) == {"entered_care", "should_be_placed", "placement_order", "matched", "placed", "adoption_order"}
    assert all(s.details["source"] == "import" and s.recorded_by is None for s in steps.values())
    assert steps["adoption_order"].details["ssda903_rec"] == "E11"
    assert steps["adoption_order"].details["ssda903_ls_adoptr"] == "L11"
    assert Child.objects.get(council_child_id="1004").stage == "plan_ended"
    assert Child.objects.get(council_child_id="1003").stage == "should_be_placed"
    assert not Child.objects.filter(council_child_id="1005").exists()
    lines = _report(result)
    assert [line["child"] for line in lines if line["outcome"] == "skipped"] == ["1005"]
    assert {line["field"] for line in lines if line["child"] == "1006"} == {"placement_order_on", "entered_care_on"}


def test_importing_the_same_return_twice_changes_nothing(aim):
    _import(_files(KNOWSLEY))
    before = _state()
    again = _import(_files(KNOWSLEY)).run
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 5, 0)
    assert _state() == before
    assert ImportRun.objects.count() == 2


def test_a_changed_date_is_corrected_by_an_entry_that_supersedes_the_one_in_force(aim):
    _import(_files(KNOWSLEY))
    child = Child.objects.get(council_child_id="1002")
    order = child.steps.get(kind="placement_order")
    changed = _replace(_files(KNOWSLEY), "Episodes", "1002,10/01/2024,L", "1002,12/01/2024,L")
    changed = _replace(
        changed, "Episodes", "1002,01/06/2023,S,C2,N1,U5,PR1,10/01/2024", "1002,01/06/2023,S,C2,N1,U5,PR1,12/01/2024"
    )
    result = _import(changed)
    assert (result.run.updated, result.run.unchanged) == (1, 4)
    child.refresh_from_db()
    assert child.placement_order_on == date(2024, 1, 12)
    correction = child.steps.get(supersedes=order)
    assert correction.occurred_on == date(2024, 1, 12) and correction.details["source"] == "import"
    assert any("placement order 10/01/2024 -> 12/01/2024" in line["reason"] for line in _report(result))


def test_an_import_never_changes_a_sealed_record(aim):
    """Issue 14: an adopted child's record is sealed; a later return that differs is refused for that
    child, with the reason, and changes nothing."""
    _import(_files(KNOWSLEY))
    child = Child.objects.get(council_child_id="1001")
    steps, version = child.steps.count(), child.version
    changed = _replace(_files(KNOWSLEY), "Episodes", "1001,01/02/2023,L", "1001,03/02/2023,L")
    changed = _replace(
        changed, "Episodes", "1001,10/05/2022,S,C2,N1,U6,PR1,01/02/2023", "1001,10/05/2022,S,C2,N1,U6,PR1,03/02/2023"
    )
    result = _import(changed)
    assert (result.run.updated, result.run.rejected) == (0, 1)
    child.refresh_from_db()
    assert child.placement_order_on == date(2023, 2, 1) and (child.steps.count(), child.version) == (steps, version)
    assert any(line["child"] == "1001" and "sealed adoption record" in line["reason"] for line in _report(result))


def test_round_trip_import_export_import_changes_nothing(aim, tmp_path):
    _import(_files(KNOWSLEY))
    before = _state()
    services.export_return(builders.council("Knowsley"), YEAR, tmp_path / "first")
    result = _import(_files(tmp_path / "first"))
    assert (result.run.created, result.run.updated, result.run.rejected) == (0, 0, 0)
    assert _state() == before
    services.export_return(builders.council("Knowsley"), YEAR, tmp_path / "second")
    for name in codes.FILE_NAMES.values():
        if (tmp_path / "first" / name).exists():
            assert (tmp_path / "first" / name).read_text() == (tmp_path / "second" / name).read_text()


def test_the_export_writes_the_dfe_layout(aim, tmp_path):
    _import(_files(KNOWSLEY))
    result = services.export_return(builders.council("Knowsley"), YEAR, tmp_path)
    for table in ("Header", "Episodes", "AD1", "PlacedAdoption"):
        with (tmp_path / codes.FILE_NAMES[table]).open() as handle:
            assert next(csv.reader(handle)) == list(codes.TABLES[table])
    rows = {r["CHILD"]: r for r in csv.DictReader((tmp_path / "ad1.csv").open())}
    assert rows == {
        "1001": {
            "CHILD": "1001",
            "DOB": "02/03/2021",
            "DATE_INT": "01/11/2022",
            "DATE_MATCH": "01/09/2023",
            "FOSTER_CARE": "0",
            "NB_ADOPTR": "2",
            "SEX_ADOPTR": "MF",
            "LS_ADOPTR": "L11",
        }
    }
    episodes = [r for r in csv.DictReader((tmp_path / "episodes.csv").open()) if r["CHILD"] == "1004"]
    assert [(e["DECOM"], e["RNE"], e["LS"], e["PLACE"], e["DEC"], e["REC"]) for e in episodes] == [
        ("01/08/2022", "P", "E1", "A6", "10/06/2024", "X1"),
        ("10/06/2024", "B", "C2", "U6", "", ""),
    ]
    header = {r["CHILD"]: r for r in csv.DictReader((tmp_path / "header.csv").open())}
    assert header["1001"]["SEX"] == "M" and header["1002"]["SEX"] == "F"  # M/F from 2024-25
    ceased = {r["CHILD"]: r for r in csv.DictReader((tmp_path / "placed_for_adoption.csv").open())}["1004"]
    assert (ceased["DATE_PLACED_CEASED"], ceased["REASON_PLACED_CEASED"]) == ("10/06/2024", "RD1")
    assert "1005" not in header and result.report.exists()


def test_the_xml_form_is_read_like_the_csv_tables(aim):
    result = _import(_files(FIXTURES / "liverpool-2025-xml"), council="Liverpool")
    assert (result.run.created, result.run.rejected) == (2, 0)
    adopted = Child.objects.get(council_child_id="2002")
    assert (adopted.should_be_placed_on, adopted.matched_on, adopted.adoption_order_on) == (
        date(2022, 3, 1),
        date(2023, 2, 20),
        date(2024, 7, 15),
    )
    assert adopted.steps.get(kind="adoption_order").details["ssda903_rec"] == "E12"
    assert Child.objects.get(council_child_id="2001").placement_order_on == date(2023, 5, 2)


# -- bad files -------------------------------------------------------------------------------------


def test_a_table_with_missing_columns_stops_the_import_and_writes_nothing(aim):
    files = _replace(_files(KNOWSLEY), "Episodes", "CHILD,DECOM,RNE,LS,", "CHILD,DECOM,RNE,")
    files = [
        (
            n,
            c
            if "Episodes" not in n
            else b"\n".join(
                line.replace(b",C2,", b",", 1).replace(b",E1,", b",", 1).replace(b",V2,", b",", 1)
                for line in c.split(b"\n")
            ),
        )
        for n, c in files
    ]
    result = _import(files)
    assert result.refused and Child.objects.count() == 0 and ChildStep.objects.count() == 0
    (line,) = _report(result)
    assert line["outcome"] == "refused" and line["file"] == "SSDA903_2024-25_Episodes.csv"
    assert "missing LS" in line["reason"] and line["table"] == "Episodes"
    assert ImportRun.objects.get().outcome == ImportRun.Outcome.REFUSED


@pytest.mark.parametrize(
    ("table", "old", "new", "child", "field", "reason"),
    [
        ("Episodes", "1003,01/02/2024,S", "1003,31/02/2024,S", "1003", "DECOM", "not a real date"),
        ("Header", "1002,F,14/05/2023", "1002,F,2023-05-14", "1002", "DOB", "not a real date"),
        (
            "Episodes",
            "1004,01/08/2022,P,E1,N1,A6",
            "1004,01/08/2022,P,E1,N1,Z9",
            "1004",
            "PLACE",
            "not an SSDA903 code",
        ),
        ("Header", "1006,F,30/06/2020,WOTH", "1006,F,30/06/2020,WXYZ", "1006", "ETHNIC", "not an SSDA903 code"),
        (
            "PlacedAdoption",
            "1004,11/07/2019,01/09/2021,10/06/2024,RD1",
            "1004,11/07/2019,01/09/2021,10/06/2024,RD9",
            "1004",
            "REASON_PLACED_CEASED",
            "not an SSDA903 code",
        ),
        ("Header", "1001,M,", "1001,X,", "1001", "SEX", "not an SSDA903 code"),
    ],
)
def test_a_bad_row_rejects_its_child_with_the_reason_and_the_others_are_imported(
    aim, table, old, new, child, field, reason
):
    result = _import(_replace(_files(KNOWSLEY), table, old, new))
    assert (result.run.created, result.run.rejected) == (4, 1)
    assert not Child.objects.filter(council_child_id=child).exists()
    (line,) = [line for line in _report(result) if line["outcome"] == "rejected"]
    assert (line["child"], line["table"], line["field"]) == (child, table, field)
    assert reason in line["reason"] and line["row"].isdigit()


def test_duplicate_child_ids_reject_that_child(aim):
    files = _replace(
        _files(KNOWSLEY),
        "Header",
        "1003,F,20/01/2022,WBRI,UN1,0,\n",
        "1003,F,20/01/2022,WBRI,UN1,0,\n1003,M,20/01/2021,WBRI,UN1,0,\n",
    )
    result = _import(files)
    assert (result.run.created, result.run.rejected) == (4, 1)
    lines = [line for line in _report(result) if line["outcome"] == "rejected"]
    assert {(line["child"], line["table"], line["row"]) for line in lines} == {
        ("1003", "Header", "4"),
        ("1003", "Header", "5"),
    }
    assert all("appears 2 times in Header" in line["reason"] for line in lines)
    assert not Child.objects.filter(council_child_id="1003").exists()


def test_a_match_before_the_placement_order_is_imported_with_a_warning(aim):
    """The DfE counts it (A2 = 0 days): rejecting it lost 1 adopted child in 7 in a realistic return."""
    files = _replace(_files(KNOWSLEY), "AD1", "01/11/2022,01/09/2023", "01/11/2022,01/01/2023")
    result = _import(files)
    assert (result.run.created, result.run.rejected, result.run.warned) == (5, 0, 1)
    child = Child.objects.get(council_child_id="1001")
    assert (child.matched_on, child.placement_order_on) == (date(2023, 1, 1), date(2023, 2, 1))
    (line,) = [line for line in _report(result) if line["outcome"] == "warning"]
    assert line["child"] == "1001" and line["field"] == "matched_on" and "before the placement order" in line["reason"]


def test_dates_no_child_can_have_reject_the_child_and_write_nothing_of_it(aim):
    # A match before the decision that the child should be placed (SSDA903 rule 333).
    files = _replace(_files(KNOWSLEY), "AD1", "01/11/2022,01/09/2023", "01/11/2022,01/10/2022")
    result = _import(files)
    assert (result.run.created, result.run.rejected) == (4, 1)
    assert not Child.objects.filter(council_child_id="1001").exists()
    assert not ChildStep.objects.filter(child__council_child_id="1001").exists()
    (line,) = [line for line in _report(result) if line["outcome"] == "rejected"]
    assert line["child"] == "1001" and "before should be placed" in line["reason"]


def test_rows_for_a_child_missing_from_header_are_rejected(aim):
    files = _replace(_files(KNOWSLEY), "Header", "1003,F,20/01/2022,WBRI,UN1,0,\n", "")
    result = _import(files)
    (line,) = [line for line in _report(result) if line["outcome"] == "rejected"]
    assert line["child"] == "1003" and "not in the Header table" in line["reason"]


# -- commands --------------------------------------------------------------------------------------


def test_the_commands_import_with_a_report_and_export(aim, tmp_path, capsys):
    call_command("import_ssda903", str(KNOWSLEY), council="E08000011", year="2024-25", report=tmp_path / "r.csv")
    out = capsys.readouterr()
    assert "5 added" in out.out and "1 skipped" in out.out
    assert "child" in out.err  # the progress bar
    assert "1005" in (tmp_path / "r.csv").read_text()
    call_command("export_ssda903", str(tmp_path / "out"), council="Knowsley", year="2025")
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {
        "header.csv",
        "episodes.csv",
        "ad1.csv",
        "placed_for_adoption.csv",
        "openraa-export.json",
    }
    with pytest.raises(CommandError, match="No council"):
        call_command("import_ssda903", str(KNOWSLEY), council="E99999999", year="2025")


# -- the upload page -------------------------------------------------------------------------------


def _zip(folder: Path) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in _files(folder):
            archive.writestr(f"return/{name}", content)
    buffer.seek(0)
    buffer.name = "return.zip"
    return buffer


def test_an_administrator_uploads_a_zip_and_downloads_the_reason_report(aim, client_for):
    admin = builders.user(Role.ADMINISTRATOR, aim)
    client = client_for(admin)
    assert client.get("/interchange/ssda903/").status_code == 200
    knowsley = builders.council("Knowsley")
    response = client.post(
        "/interchange/ssda903/", {"council": knowsley.pk, "year": "2024-25", "files": _zip(KNOWSLEY)}
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == f"/interchange/ssda903/runs/{run.pk}/"
    assert (run.by, run.source, run.created, run.skipped) == (admin, "upload", 5, 1)
    assert sorted(run.files) == sorted(name for name, _ in _files(KNOWSLEY))
    page = client.get(response.url).content.decode()
    assert "Skipped: no adoption plan" in page and "1005" in page
    report = client.get(f"/interchange/ssda903/runs/{run.pk}/report.csv")
    assert report["Content-Type"].startswith("text/csv") and b"1005" in report.content
    created = Child.objects.get(council_child_id="1001")
    assert created.history.get().history_user == admin and created.steps.first().recorded_by == admin


def test_an_upload_of_a_file_that_is_not_a_return_is_refused(aim, client_for):
    client = client_for(builders.user(Role.ADMINISTRATOR, aim))
    upload = io.BytesIO(b"NAME,AGE\nx,1\n")
    upload.name = "people.csv"
    response = client.post(
        "/interchange/ssda903/",
        {"council": builders.council("Knowsley").pk, "year": "2025", "files": upload},
        follow=True,
    )
    assert "Nothing was imported" in response.content.decode() and Child.objects.count() == 0


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrators_reach_the_import(aim, client_for, role):
    client = client_for(builders.user(role, aim))
    assert client.get("/interchange/ssda903/").status_code == 403


def test_an_administrator_sees_only_the_runs_of_their_agency(aim, client_for):
    other = builders.agency("bkm", councils=("Sefton", "Wirral"), host="Sefton")
    run = services.import_return(_files(KNOWSLEY), builders.council("Sefton"), YEAR).run
    assert run.agency == other
    client = client_for(builders.user(Role.ADMINISTRATOR, aim))
    assert client.get(f"/interchange/ssda903/runs/{run.pk}/").status_code == 404
    assert client.get(f"/interchange/ssda903/runs/{run.pk}/report.csv").status_code == 404


# -- the benchmark ---------------------------------------------------------------------------------


def test_bench_reporting_times_the_import_and_a_second_import_that_changes_nothing(db, capsys):
    import json

    call_command("bench", "reporting", "--episodes", "300", "--in-place", "--json")
    result = json.loads(capsys.readouterr().out)
    timing = result["import"]
    assert result["area"] == "reporting" and timing["episodes"] >= 300
    assert timing["first"]["created"] == timing["first"]["children"] > 50 and timing["first"]["rejected"] == 0
    assert timing["again"]["unchanged"] == timing["first"]["children"]
