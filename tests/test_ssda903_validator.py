"""The public SSDA903 validator (csc-validator-be-903) raises no flag on OpenRAA's export of records
it holds complete. It runs in its own virtual environment (it pins old pandas and numpy): .ci/run
creates /tmp/validator-venv; without it these tests are skipped."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from openraa.interchange import services
from tests import builders
from tests.test_ssda903 import KNOWSLEY, YEAR, _files

VALIDATOR_PYTHON = Path(os.environ.get("OPENRAA_VALIDATOR_PYTHON", "/tmp/validator-venv/bin/python"))
SCRIPT = Path(services.__file__).with_name("validate_export.py")

pytestmark = pytest.mark.skipif(not VALIDATOR_PYTHON.exists(), reason=f"no validator environment at {VALIDATOR_PYTHON}")


def _validate(folder: Path) -> tuple[int, list[dict]]:
    done = subprocess.run([str(VALIDATOR_PYTHON), str(SCRIPT), str(folder), "--json"], capture_output=True, text=True,
                          timeout=600, cwd="/")
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


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
