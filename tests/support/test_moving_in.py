"""Moving in: support cases and letterbox agreements, their readers' rules without a database, then
the commands on one (dry run, refusal, idempotent re-run, steps marked imported)."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from openraa.households.models import Household
from openraa.journeys.models import IMPORTED
from openraa.support import domain, letterbox, moving_in
from openraa.support.models import LetterboxAgreement, SupportCase, SupportStep
from tests import builders

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TODAY = date(2026, 12, 1)
LINKS = moving_in.Links(
    councils={"E08000011": "K", "knowsley": "K", "E08000012": "L", "liverpool": "L"},
    households={12: "household 12"},
    household_references={"KN-0412": ["household 12"], "TWICE": ["h1", "h2"]},
    children={123: "child 123"},
)
CASE = {
    "reference": "S1",
    "responsible_council": "E08000011",
    "requester": "adoptive_family",
    "requester_name": "Robin Testparent",
    "categories": "therapeutic",
    "request": "Therapeutic parenting support",
    "received_on": "2025-01-06",
}
AGREEMENT = {
    "reference": "L1",
    "responsible_council": "Knowsley",
    "household": "H-000012",
    "birth_relative_name": "Casey Birthmum",
    "birth_relative_relationship": "Birth mother",
    "direction": "both",
    "exchanges_per_year": "2",
    "months": "3;9",
    "starts_on": "2024-03-01",
}


def _table(columns, *rows: dict) -> list[list[str]]:
    return [list(columns), *[[row.get(name, "") for name in columns] for row in rows]]


def _cases(*rows, held=None):
    return moving_in.read_support_cases(
        _table(moving_in.SUPPORT_COLUMNS, *[CASE | r for r in rows]), LINKS, held or {}, TODAY
    )


def _agreements(*rows, held=None):
    return moving_in.read_letterbox(
        _table(moving_in.LETTERBOX_COLUMNS, *[AGREEMENT | r for r in rows]), LINKS, held or {}, TODAY
    )


def _reasons(result) -> list[tuple[int, str]]:
    return [(p.row, p.reason) for p in result[1]]


# -- support cases, pure -------------------------------------------------------------------------


def test_a_case_becomes_the_journeys_steps_in_its_order():
    cases, problems, present = _cases(
        {
            "household": "KN-0412",
            "child": "C-000123",
            "categories": "Therapeutic support; education",
            "assessment_started_on": "13/01/2025",
            "assessment_completed_on": "2025-03-01",
            "assessment_outcome": "needed",
            "plan_agreed_on": "2025-03-01",  # the same day: replayed after the assessment, in the journey's order
            "last_review_on": "2026-02-20",
        }
    )
    assert problems == [] and present == []
    (case,) = cases
    assert [kind for kind, _, _ in case.steps] == [
        "request_received",
        "assessment_started",
        "assessment_completed",
        "plan_agreed",
        "reviewed",
    ]
    assert case.steps[2][2] == {"assessment_outcome": "needed"}
    assert (case.household, case.child, case.categories, case.stage) == (
        "household 12",
        "child 123",
        ("therapeutic", "education"),
        domain.Stage.PLAN_AGREED,
    )


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"responsible_council": "Wirral"}, "'Wirral' is not a member council"),
        ({"requester": "neighbour"}, "requester 'neighbour' is not one of"),
        ({"categories": "therapy"}, "category 'therapy' is not one of"),
        ({"requester": "birth_relative", "categories": "financial"}, "cannot be assessed for financial support"),
        ({"household": "KN-9999"}, "household 'KN-9999' is not a household of the agency"),
        ({"household": "TWICE"}, "more than one council's household"),
        ({"child": "C-000999"}, "child 'C-000999' is not a child of the agency"),
        ({"received_on": "31/02/2025"}, "'31/02/2025' is not a date"),
        ({"received_on": ""}, "received on is empty"),
        ({"assessment_outcome": "needed"}, "without the date the assessment was completed"),
        ({"closed_reason": "withdrawn"}, "without the date the case closed"),
        # The journey's own rules, as each step recorded here would meet them:
        ({"received_on": "2027-01-01"}, "Request received cannot be in the future"),
        ({"assessment_started_on": "2024-12-01"}, "Assessment of need started cannot be recorded on 1 December 2024"),
        ({"assessment_started_on": "2025-01-10", "assessment_completed_on": "2025-02-01"}, "needs assessment outcome"),
        ({"plan_agreed_on": "2025-02-01"}, "Support plan agreed cannot be recorded"),
        (
            {
                "assessment_started_on": "2025-01-10",
                "assessment_completed_on": "2025-02-01",
                "assessment_outcome": "not_needed",
                "plan_agreed_on": "2025-02-10",
            },
            "'Assessed: support not needed'",
        ),
        ({"closed_on": "2025-02-01"}, "Case closed needs closed reason"),
        ({"closed_on": "2025-02-01", "closed_reason": "withdrawn", "last_review_on": "2025-03-01"}, "reviewed"),
    ],
)
def test_each_broken_rule_refuses_the_row_with_its_reason(row, reason):
    cases, problems, _ = _cases(row)
    assert cases == []
    assert [p.row for p in problems] == [2] and reason.lower() in problems[0].reason.lower(), problems


def test_a_case_already_held_is_present_not_new_and_a_duplicate_reference_is_refused():
    cases, problems, present = _cases({}, held={("K", "S1"): "S-000004"})
    assert cases == [] and problems == [] and [(p.row, p.held_as) for p in present] == [(2, "S-000004")]
    assert _reasons(_cases({}, {})) == [(3, "reference S1 is also on line 2")]


@given(st.lists(st.lists(st.text(max_size=12), max_size=20), max_size=5))
def test_any_table_under_the_header_gives_cases_or_reasons(rows):
    cases, problems, present = moving_in.read_support_cases([list(moving_in.SUPPORT_COLUMNS), *rows], LINKS, {}, TODAY)
    assert cases or problems or present


DAYS = st.dates(min_value=date(2020, 1, 1), max_value=TODAY)


@given(DAYS, DAYS, DAYS, DAYS)
def test_a_case_is_accepted_only_when_its_dates_keep_the_journeys_order(received, started, completed, agreed):
    cases, problems, _ = _cases(
        {
            "received_on": received.isoformat(),
            "assessment_started_on": started.isoformat(),
            "assessment_completed_on": completed.isoformat(),
            "assessment_outcome": "needed",
            "plan_agreed_on": agreed.isoformat(),
        }
    )
    assert bool(cases) == (received <= started <= completed <= agreed)
    assert bool(problems) != bool(cases)


# -- letterbox agreements, pure ------------------------------------------------------------------


def test_an_agreement_reads_with_its_months_and_status():
    agreements, problems, _ = _agreements({"months": "September, mar", "child": "C123"}, {"reference": "L2"})
    assert problems == []
    first = agreements[0]
    assert (first.months, first.status, first.child, first.household) == ((3, 9), "active", "child 123", "household 12")
    ended, _, _ = _agreements({"ends_on": "2025-11-30"})
    assert ended[0].status == "ended"  # its end date has passed


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"household": "", "child": ""}, "Link the agreement to the adopted child, the adoptive household or both"),
        ({"direction": "sideways"}, "direction 'sideways' is not one of"),
        ({"exchanges_per_year": "13", "months": "1"}, "from 1 to 12"),
        ({"exchanges_per_year": "two"}, "'two' is not a whole number"),
        ({"months": "3"}, "2 exchange(s) a year needs 2 month(s)"),
        ({"months": "3;3"}, "A month is given twice"),
        ({"months": "3;Smarch"}, "month 'Smarch' is not one"),
        ({"ends_on": "2024-01-01"}, "cannot end before it starts"),
        ({"status": "ended"}, "An ended agreement needs the date it ended"),
        ({"status": "active", "ends_on": "2025-01-01"}, "its status is ended"),
        ({"birth_relative_name": ""}, "birth relative name is empty"),
    ],
)
def test_each_broken_agreement_rule_refuses_the_row(row, reason):
    agreements, problems, _ = _agreements(row)
    assert agreements == [] and [p.row for p in problems] == [2]
    assert reason.lower() in problems[0].reason.lower(), problems


@given(st.sets(st.integers(1, 12), max_size=12), st.integers(1, 12))
def test_an_agreement_needs_one_month_an_exchange(months, exchanges):
    agreements, problems, _ = _agreements(
        {"months": ";".join(map(str, sorted(months))), "exchanges_per_year": str(exchanges)}
    )
    assert bool(agreements) == (len(months) == exchanges) != bool(problems)


@given(st.text(max_size=10))
def test_any_month_text_is_a_month_or_none(text):
    month = letterbox.month_number(text)
    assert month is None or 1 <= month <= 12


@given(st.lists(st.lists(st.text(max_size=12), max_size=20), max_size=5))
def test_any_table_under_the_header_gives_agreements_or_reasons(rows):
    found, problems, present = moving_in.read_letterbox([list(moving_in.LETTERBOX_COLUMNS), *rows], LINKS, {}, TODAY)
    assert found or problems or present


# -- the commands --------------------------------------------------------------------------------


def _run(command, path, *flags):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, str(path), "--agency=aim", *flags, stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def households(aim):
    _run("import_households", FIXTURES / "households-aim.csv")
    return Household.objects.get(council_reference="KN-0412")


@pytest.mark.django_db
def test_support_cases_dry_run_import_and_rerun(households):
    path = FIXTURES / "support-aim.csv"
    out = _run("import_support_cases", path, "--dry-run")
    assert (
        "Rows read: 2" in out and "Support cases to create: 2" in out and "Already here (not imported again): 0" in out
    )
    assert "Line 2: would create KN-S-101 (Knowsley, Services commissioned, 6 step(s))" in out
    assert not SupportCase.objects.exists() and not SupportStep.objects.exists()

    out = _run("import_support_cases", path)
    assert "Created 2 support cases" in out
    case = SupportCase.objects.get(council_reference="KN-S-101")
    assert (case.household, case.stage, case.assessment_outcome) == (households, "supported", "needed")
    assert case.received_on == date(2024, 2, 5) and case.last_review_on == date(2025, 4, 28)
    steps = list(case.steps.order_by("occurred_on", "id"))
    assert [s.kind for s in steps][:3] == ["request_received", "assessment_started", "assessment_completed"]
    assert all(s.details["source"] == IMPORTED for s in steps) and len(steps) == 6
    closed = SupportCase.objects.get(council_reference="LV-S-7")
    assert (closed.stage, closed.closed_reason, closed.requester) == ("closed", "not_needed", "birth_relative")
    assert closed.history.count() == 1  # created once, with its projection, under the import

    out = _run("import_support_cases", path)
    assert "Already here (not imported again): 2" in out and "Created 0 support cases" in out
    assert f"Line 2: KN-S-101 is already here as {case.reference}" in out
    assert SupportCase.objects.count() == 2 and SupportStep.objects.count() == 10


@pytest.mark.django_db
def test_an_imported_case_goes_on_through_the_support_service(households):
    from openraa.support import services

    _run("import_support_cases", FIXTURES / "support-aim.csv")
    case = SupportCase.objects.get(council_reference="KN-S-101")
    services.record_step(case, "reviewed", date(2026, 4, 20), by=None)
    case.refresh_from_db()
    assert case.last_review_on == date(2026, 4, 20) and case.stage == "supported"


@pytest.mark.django_db
def test_a_refused_support_row_gives_its_reason_and_nothing_is_written(aim, tmp_path):
    child = builders.child(aim)
    path = tmp_path / "support.csv"
    rows = [
        CASE | {"child": child.reference},
        CASE | {"reference": "S2", "received_on": "2025-01-06", "plan_agreed_on": "2025-02-01"},
    ]
    path.write_text("\n".join(",".join(r) for r in _table(moving_in.SUPPORT_COLUMNS, *rows)) + "\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("import_support_cases", str(path), "--agency=aim", stdout=io.StringIO(), stderr=err)
    assert "Line 3: The support journey refuses these dates: Support plan agreed cannot be recorded" in err.getvalue()
    assert not SupportCase.objects.exists() and not SupportStep.objects.exists()


@pytest.mark.django_db
def test_letterbox_dry_run_import_and_rerun(households):
    path = FIXTURES / "letterbox-aim.csv"
    out = _run("import_letterbox", path, "--dry-run")
    assert "Rows read: 2" in out and "Letterbox agreements to create: 2" in out
    assert "Casey" not in out  # the birth relative's name stays off the terminal
    assert not LetterboxAgreement.objects.exists()

    out = _run("import_letterbox", path)
    assert "Created 2 letterbox agreements" in out
    agreement = LetterboxAgreement.objects.get(council_reference="KN-LB-31")
    assert (agreement.household, agreement.months, agreement.status, agreement.direction) == (
        households,
        [3, 9],
        "active",
        "both",
    )
    assert LetterboxAgreement.objects.get(council_reference="LV-LB-8").status == "ended"

    out = _run("import_letterbox", path)
    assert "Already here (not imported again): 2" in out and LetterboxAgreement.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_letterbox_row_changes_nothing(aim, tmp_path):
    path = tmp_path / "letterbox.csv"
    row = AGREEMENT | {"household": "KN-0412"}  # no such household yet: the households file comes first
    path.write_text("\n".join(",".join(r) for r in _table(moving_in.LETTERBOX_COLUMNS, row)) + "\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_letterbox", str(path), "--agency=aim", stdout=io.StringIO(), stderr=err)
    assert "Line 2: household 'KN-0412' is not a household of the agency" in err.getvalue()
    assert not LetterboxAgreement.objects.exists()
