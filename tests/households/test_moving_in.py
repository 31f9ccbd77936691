"""Moving in: the household template's rules without a database, then the command on one."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from openraa.households import domain, moving_in
from openraa.households.models import Household
from openraa.journeys.models import IMPORTED, HouseholdStep

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "households-aim.csv"
COUNCILS = {"E08000011": "K", "knowsley": "K", "E08000012": "L", "liverpool": "L"}
TODAY = date(2026, 12, 1)
HEADER = ",".join(moving_in.COLUMNS)


def _row(**values: str) -> str:
    base = {
        "reference": "R1",
        "home_council": "E08000011",
        "postcode_district": "L36",
        "enquiry_on": "2024-01-10",
        "applicant1_first_name": "Sam",
        "applicant1_last_name": "Example",
        "applicant1_sex": "F",
        "applicant1_ethnicity": "WBRI",
        "applicant1_date_of_birth": "1985-03-03",
    } | values
    return ",".join(base.get(name, "") for name in moving_in.COLUMNS)


def _read(*rows: str, held=None, references=None):
    return moving_in.read("\n".join([HEADER, *rows]) + "\n", COUNCILS, held or {}, TODAY, references)


def _reasons(*rows: str, held=None) -> list[tuple[int, str]]:
    return [(p.row, p.reason) for p in _read(*rows, held=held)[1]]


def test_the_fixture_reads_as_two_households_at_their_stages():
    households, problems, present = moving_in.read(FIXTURE.read_text(), COUNCILS, {}, TODAY)
    assert problems == [] and present == []
    approved, stage1 = households
    assert (approved.home_council, approved.stage, len(approved.applicants)) == (
        "K",
        domain.HouseholdStage.APPROVED_WAITING,
        2,
    )
    assert (stage1.home_council, stage1.stage, stage1.applicants[0].sex, stage1.row) == (
        "L",
        domain.HouseholdStage.STAGE_1,
        "2",
        3,
    )
    assert stage1.milestones.enquiry_on == date(2024, 6, 1)  # 01/06/2024, the UK way round


def test_each_row_gets_its_reasons_with_its_line():
    reasons = _reasons(
        _row(home_council="Wirral"),
        _row(reference="R2", enquiry_on="31/02/2024"),
        _row(reference="R3", applicant1_ethnicity="XXXX", applicant1_sex="Q"),
        _row(reference="R1", applicant1_first_name="Other"),
    )
    lines = {line for line, _ in reasons}
    assert lines == {2, 3, 4, 5}
    text = " ".join(reason for _, reason in reasons)
    assert "'Wirral' is not a member council" in text
    assert "'31/02/2024' is not a date" in text
    assert "'XXXX' is not an SSDA903 code" in text and "'Q' is not 1 or 2" in text
    assert "reference R1 is also on line 2" in text


def test_dates_out_of_the_journey_order_are_refused_with_the_rule():
    reasons = _reasons(_row(registration_of_interest_on="2023-12-01"))
    assert reasons == [(2, "Registration of interest cannot be before enquiry")]
    approved_without_range = _row(
        registration_of_interest_on="2024-02-01",
        stage1_started_on="2024-02-05",
        stage1_ended_on="2024-04-01",
        stage2_started_on="2024-04-10",
        stage2_ended_on="2024-08-01",
        panel_on="2024-09-01",
        approved_on="2024-09-10",
    )
    assert any("approval range" in reason for _, reason in _reasons(approved_without_range))


def test_an_applicant_of_another_household_or_twice_in_the_file_is_refused():
    held = {moving_in.person_key("K", "SAM", "example", date(1985, 3, 3)): ("H-000007", "KN-1")}
    reason = _reasons(_row(), held=held)[0][1]
    assert "already an applicant of H-000007 (the council's KN-1)" in reason
    reasons = _reasons(_row(), _row(reference="R2"))
    assert [line for line, _ in reasons] == [3] and "also on line 2" in reasons[0][1]


def test_a_household_already_held_is_present_by_its_reference_or_its_applicants():
    households, problems, present = _read(_row(), references={("K", "R1"): "H-000003"})
    assert (
        households == []
        and problems == []
        and [(p.row, p.held_as, p.how) for p in present] == [(2, "H-000003", "by the council's reference")]
    )
    # Held without the council's reference (entered by hand): the same applicants are the same household.
    held = {moving_in.person_key("K", "Sam", "Example", date(1985, 3, 3)): ("H-000009", "")}
    households, problems, present = _read(_row(), held=held)
    assert (
        households == []
        and problems == []
        and [(p.held_as, p.how) for p in present] == [("H-000009", "by its applicants")]
    )
    # The same reference in another council is another household.
    households, _, present = _read(_row(home_council="Liverpool"), references={("K", "R1"): "H-000003"})
    assert len(households) == 1 and present == []


def test_a_missing_column_is_one_problem_on_the_header():
    _, problems, _ = moving_in.read("reference,home_council\nR1,K\n", COUNCILS, {}, TODAY)
    assert [p.row for p in problems] == [1] and "enquiry_on" in problems[0].reason


@given(st.text(max_size=400))
def test_any_text_gives_households_or_reasons_never_an_error(text):
    households, problems, _ = moving_in.read(text, COUNCILS, {}, TODAY)
    assert households or problems


@given(st.lists(st.lists(st.text(max_size=12), max_size=30), max_size=5))
def test_any_table_under_the_header_gives_households_or_reasons(rows):
    households, problems, _ = moving_in.read_table([list(moving_in.COLUMNS), *rows], COUNCILS, {}, TODAY)
    assert households or problems


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_sheet_reads_as_its_csv_would_with_real_dates_and_numbers():
    values = dict(zip(moving_in.COLUMNS, _row(approved_children="2").split(",")))
    cells = [values[name] for name in moving_in.COLUMNS]
    cells[moving_in.COLUMNS.index("enquiry_on")] = date(2024, 1, 10)  # a date cell, not text
    cells[moving_in.COLUMNS.index("age_min")] = 1.0  # a spreadsheet's number
    table, problems = moving_in.xlsx_table(_xlsx([list(moving_in.COLUMNS), cells]))
    assert problems == []
    households, problems, _ = moving_in.read_table(table, COUNCILS, {}, TODAY)
    assert problems == []
    assert households[0].milestones.enquiry_on == date(2024, 1, 10) and households[0].milestones.age_min == 1


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize(
    "data", [b"not a zip", _zip({"notes.txt": "x"}), _zip({"[Content_Types].xml": "<not xml"})], ids=str
)
def test_a_file_that_is_not_a_workbook_is_one_problem(data):
    table, problems = moving_in.xlsx_table(data)
    assert table == [] and [p.row for p in problems] == [1]


@given(st.binary(max_size=300))
def test_any_bytes_give_a_sheet_or_a_reason(data):
    table, problems = moving_in.xlsx_table(data)
    assert table or problems


@pytest.mark.django_db
def test_the_command_dry_runs_imports_and_finds_the_same_file_already_here(aim):
    out = io.StringIO()
    call_command("import_households", str(FIXTURE), "--agency=aim", "--dry-run", stdout=out)
    assert "Rows read: 2" in out.getvalue() and "Approved and waiting: 1" in out.getvalue()
    assert not Household.objects.exists() and not HouseholdStep.objects.exists()

    out = io.StringIO()
    call_command("import_households", str(FIXTURE), "--agency=aim", stdout=out)
    assert "Created 2 household(s)" in out.getvalue()
    approved = Household.objects.get(home_council__ons_code="E08000011")
    assert approved.stage == domain.HouseholdStage.APPROVED_WAITING and approved.council_reference == "KN-0412"
    assert [a.first_name for a in approved.applicants.all()] == ["Rowan", "Alex"]
    steps = list(approved.steps.order_by("occurred_on", "id"))
    assert len(steps) == 8 and steps[0].kind == "enquiry"  # enquiry to approval, one entry a date
    assert all(s.details.get("source") == IMPORTED for s in steps)
    assert Household.objects.get(home_council__ons_code="E08000012").stage == domain.HouseholdStage.STAGE_1

    out = io.StringIO()
    call_command("import_households", str(FIXTURE), "--agency=aim", stdout=out)
    assert "Already here (not imported again): 2" in out.getvalue() and "Created 0 household(s)" in out.getvalue()
    assert f"Line 2: KN-0412 is already here as {approved.reference}" in out.getvalue()
    assert Household.objects.count() == 2 and HouseholdStep.objects.count() == 8 + 3


@pytest.mark.django_db
def test_an_applicant_of_another_household_refuses_the_file(aim, tmp_path):
    call_command("import_households", str(FIXTURE), "--agency=aim", stdout=io.StringIO())
    text = FIXTURE.read_text().replace("KN-0412", "KN-0413")  # the same people under another reference
    path = tmp_path / "households.csv"
    path.write_text(text)
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_households", str(path), "--agency=aim", stdout=io.StringIO(), stderr=err)
    assert "Line 2: applicant 1 (Rowan Movedin" in err.getvalue() and "the council's KN-0412" in err.getvalue()
    assert Household.objects.count() == 2


@pytest.mark.django_db
def test_the_command_reads_an_xlsx_file(aim, tmp_path):
    rows = [line.split(",") for line in FIXTURE.read_text().splitlines()]
    path = tmp_path / "households.xlsx"
    path.write_bytes(_xlsx(rows))
    out = io.StringIO()
    call_command("import_households", str(path), "--agency=aim", stdout=out)
    assert Household.objects.count() == 2 and "KN-0412 is H-" in out.getvalue()
