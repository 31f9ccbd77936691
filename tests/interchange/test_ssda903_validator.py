"""The public SSDA903 validator (csc-validator-be-903) raises no flag on OpenRAA's export of records
it holds complete, in every collection year the installed validator has a rule set for. It runs in
its own virtual environment (it pins old pandas and numpy): .ci/run creates /tmp/validator-venv;
without it these tests are skipped (they fail instead with OPENRAA_REQUIRE_VALIDATOR=1, as in CI).
The demo region's check here is CI's check of the export: one region, every year."""

import csv
import io
import json
import os
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F, Q

from openraa.children.models import Child
from openraa.common.years import FinancialYear
from openraa.interchange import services
from openraa.interchange.ssda903 import codes
from tests import builders
from tests.interchange.test_ssda903 import KNOWSLEY, YEAR, _files

VALIDATOR_PYTHON = Path(os.environ.get("OPENRAA_VALIDATOR_PYTHON", "/tmp/validator-venv/bin/python"))
SCRIPT = Path(services.__file__).with_name("validate_export.py")

# Rules of csc-validator-be-903 0.1.17 that raise on any return with these tables, whatever the data:
# 231 needs UASC_STATUS, derived only from a UASC table (OpenRAA holds no UASC status); 233 reads
# DATE_EPISODE_CEASED and 709/710 PLACEMENT, columns no table has; 706 needs last year's DoLo table.
# A rule that newly cannot run fails the test: it would check nothing.
CANNOT_RUN = {"231", "233", "706", "709", "710"}


@pytest.fixture(autouse=True)
def _validator_environment():
    """Skip without the validator's environment, unless OPENRAA_REQUIRE_VALIDATOR=1 (CI): then fail."""
    if not VALIDATOR_PYTHON.exists():
        reason = f"no validator environment at {VALIDATOR_PYTHON}"
        if os.environ.get("OPENRAA_REQUIRE_VALIDATOR") == "1":
            pytest.fail(f"OPENRAA_REQUIRE_VALIDATOR=1 but {reason}", pytrace=False)
        pytest.skip(reason)


def _validate(*folders: Path) -> tuple[int, list[dict]]:
    done = subprocess.run(
        [str(VALIDATOR_PYTHON), str(SCRIPT), *map(str, folders), "--json"],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
        cwd="/",
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def _validator_years() -> list[FinancialYear]:
    """The collection years the installed validator has a rule set for (lac2022_23 -> 2022-23, ...)."""
    done = subprocess.run(
        [str(VALIDATOR_PYTHON), str(SCRIPT), "--rulesets"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/",
        check=True,
    )
    return [FinancialYear(int(name[3:7])) for name in json.loads(done.stdout)]


def test_the_validator_raises_no_flag_on_the_export_of_an_imported_return(aim, tmp_path):
    services.import_return(_files(KNOWSLEY), builders.council("Knowsley"), YEAR)
    services.export_return(builders.council("Knowsley"), YEAR, tmp_path)
    status, (result,) = _validate(tmp_path)
    assert status == 0, result["flags"]
    assert result["ruleset"] == "lac2024_25" and result["rules_run"] > 100
    assert result["rows"] == {"Header": 5, "Episodes": 7, "AD1": 1, "PlacedAdoption": 5}


def test_the_validator_flags_what_is_wrong(aim, tmp_path):
    services.import_return(_files(KNOWSLEY), builders.council("Knowsley"), YEAR)
    services.export_return(builders.council("Knowsley"), YEAR, tmp_path)
    ad1 = tmp_path / "ad1.csv"
    ad1.write_text(ad1.read_text().replace("01/09/2023", "20/08/2024"))  # matched on the day of the adoption order
    status, (result,) = _validate(tmp_path)
    assert status == 1 and "582" in result["flags"]


def _one_of_unknown_sex_across_the_change_of_layout() -> tuple[str, str]:
    """A demo child in the returns of 2023-24 (digits, no code for U) and 2024-25 (letters), made U."""
    still_in = Q(adoption_order_on__isnull=True) | Q(adoption_order_on__gte=date(2024, 4, 1))
    not_ended = Q(plan_ended_on__isnull=True) | Q(plan_ended_on__gte=date(2024, 4, 1))
    child = (
        Child.objects.filter(
            still_in, not_ended, should_be_placed_on__lte=date(2024, 3, 31), entered_care_on__lte=date(2024, 3, 31)
        )
        .select_related("responsible_council")
        .order_by("pk")
        .first()
    )
    Child.objects.filter(pk=child.pk).update(sex="U")
    return child.responsible_council.name, child.council_child_id


def _one_fostered_by_its_adopters() -> str:
    """An adopted demo child, not in early permanence, whose adopters fostered it before the placement."""
    child = (
        Child.objects.filter(
            adoption_order_on__isnull=False,
            early_permanence_on__isnull=True,
            placement_order_on__gt=F("entered_care_on"),
        )
        .order_by("-adoption_order_on")
        .first()
    )
    Child.objects.filter(pk=child.pk).update(fostered_by_adopters_from=child.placement_order_on)
    return child.council_child_id


def test_the_validator_raises_no_flag_on_the_demo_region_in_any_year_it_has_rules_for(db, tmp_path):
    """One demo region; each AIM council's return for every year the validator has rules for, each
    checked against its own year's rule set in one run of the validator (CI's check of the export)."""
    years = _validator_years()
    assert {FinancialYear(2023), FinancialYear(2024), FinancialYear(2025), FinancialYear(2026)} <= set(years)
    call_command("demo_region", stdout=io.StringIO())
    unknown, fostered = _one_of_unknown_sex_across_the_change_of_layout(), _one_fostered_by_its_adopters()
    folders = {}
    for name in builders.COUNCILS:
        for year in years:
            folders[name, year] = tmp_path / f"{name}-{year.label}"
            services.export_return(services.find_council(name), year, folders[name, year])
    status, results = _validate(*folders.values())
    assert status == 0, {r["folder"]: (r["flags"], r["examples"]) for r in results if r["flags"]}
    assert [r["ruleset"] for r in results] == [codes.ruleset(year) for _, year in folders]  # no year fell back
    assert all(r["rules_run"] > 100 and set(r["rules_failed_to_run"]) <= CANNOT_RUN for r in results)
    by_folder = dict(zip(folders, results))
    rows = Counter()
    for (_, year), result in by_folder.items():
        rows[year] += result["rows"]["Episodes"]
        assert ("DoLo" in result["rows"]) == (year >= codes.DOLO_FROM)
    assert all(rows[year] for year in years), rows  # every year's rules met records
    # The child of unknown sex: blank in 2023-24 (reported as not held), U from 2024-25.
    council, unknown = unknown
    sexes = {
        year: _row(folders[council, year] / "header.csv", unknown)
        for year in (FinancialYear(2023), FinancialYear(2024))
    }
    assert (sexes[FinancialYear(2023)]["SEX"], sexes[FinancialYear(2024)]["SEX"]) == ("", "U")
    assert "101" in by_folder[council, FinancialYear(2023)]["not_held"]  # SEX missing
    assert "232" in by_folder[council, FinancialYear(2024)]["not_held"]  # the DfE's query of U
    # The child fostered by its adopters: AD1 FOSTER_CARE 1, and no flag (rule 335 reads it with the placement).
    assert any(_row(folder / "ad1.csv", fostered).get("FOSTER_CARE") == "1" for folder in folders.values())


def _row(path: Path, child: str) -> dict:
    return next((r for r in csv.DictReader(path.open()) if r["CHILD"] == child), {})
