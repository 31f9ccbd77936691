"""An SSDA903 import killed mid-way (SIGKILL: no handler, no clean-up) leaves only complete children,
and running it again finishes the job: the record ends exactly as after one uninterrupted import.

The import runs as `openraa import_ssda903` in a subprocess against a file-based SQLite database made
and migrated in a temporary folder (the suite's own database is not involved), on a synthetic return
of some 5,000 children (three write batches), so it lasts long enough to be killed after its first
batch is committed and before its last. The databases are read back by small scripts in subprocesses
of their own, through the models and the journey machine.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from openraa.benchmarks import reporting as bench
from openraa.children.models import Child
from openraa.interchange.services import BATCH

ROOT = Path(__file__).resolve().parents[2]
EPISODES = 18_000  # about 5,000 children: three batches of 2,000
YEAR = 2025

SETUP = """
from tests import builders
builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
"""

# Every child must be whole: its history row, journey entries, and dates and stage that are what its
# entries replay to. Then the state an import could write, to compare databases by.
CHECK = """
import json
from django.utils import timezone
from openraa.children.models import Child
from openraa.interchange.models import ImportRun
from openraa.journeys import definitions
from openraa.common.machine import StepRefused, replay
from openraa.journeys.models import ChildStep

DATES = ["entered_care_on", "should_be_placed_on", "early_permanence_on", "placement_order_on", "matched_on",
         "placed_on", "adoption_order_on", "plan_ended_on"]
today = timezone.localdate()
with_history = set(Child.history.values_list("id", flat=True))
incomplete = []
for child in Child.objects.prefetch_related("steps").order_by("pk"):
    entries = [step.as_entry() for step in child.steps.all()]
    why = []
    if child.pk not in with_history:
        why.append("no history row")
    if not entries:
        why.append("no journey entries")
    else:
        journey = definitions.child_journey(child.date_of_birth)
        try:
            projection = replay(journey, entries, today)
        except StepRefused as error:
            why.append(f"journey does not replay: {error}")
        else:
            why += [f"{name} {getattr(child, name)} but its journey says {projection.get(name)}"
                    for name in DATES if projection.get(name) != getattr(child, name)]
            if journey.stage_of(projection) != child.stage:
                why.append(f"stage {child.stage} but its journey says {journey.stage_of(projection)}")
    if why:
        incomplete.append([child.council_child_id, why])
print(json.dumps({
    "children": Child.objects.count(),
    "history": Child.history.count(),
    "steps": ChildStep.objects.count(),
    "dates": sorted([[str(v) for v in row] for row in Child.objects.values_list(
        "council_child_id", "stage", "date_of_birth", *DATES, "plan_ended_reason", "plan_ended_code")]),
    "runs": list(ImportRun.objects.values("rows", "children", "created", "updated", "unchanged", "skipped", "rejected")),
    "incomplete": incomplete,
}))
"""


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENRAA_") and k not in ("DATABASE_URL",)}
    env.update(
        OPENRAA_DEBUG="1",
        OPENRAA_SQLITE_PATH=str(database),
        DJANGO_SETTINGS_MODULE="openraa.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def _openraa(database: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "openraa.cli", *args],
        cwd=ROOT,
        env=_env(database),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _script(database: Path, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=_env(database),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _import(database: Path, folder: Path) -> subprocess.CompletedProcess:
    process = _openraa(
        database, "import_ssda903", str(folder), "--council", "Knowsley", "--year", str(YEAR), "--verbosity", "0"
    )
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err[-3000:]
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _children_committed(database: Path) -> int:
    """Children a reader sees (committed ones only); 0 while the writer holds the database."""
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=0.05) as connection:
            return connection.execute(f"select count(*) from {Child._meta.db_table}").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _state(database: Path) -> dict:
    return json.loads(_script(database, CHECK))


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """A migrated database with the agency and its councils, and the synthetic return."""
    root = tmp_path_factory.mktemp("kill-import")
    template = root / "template.sqlite3"
    migrate = _openraa(template, "migrate", "--verbosity", "0")
    _, err = migrate.communicate(timeout=300)
    assert migrate.returncode == 0, err[-3000:]
    _script(template, SETUP)
    return_folder = root / "return"
    return_folder.mkdir()
    for name, content in bench.synthetic_return(EPISODES, today=timezone.localdate()):
        (return_folder / name).write_bytes(content)
    return root, template, return_folder


def test_a_killed_import_leaves_whole_children_and_running_it_again_ends_as_one_import(folders):
    root, template, return_folder = folders
    killed, fresh = root / "killed.sqlite3", root / "fresh.sqlite3"
    shutil.copy(template, killed)
    shutil.copy(template, fresh)

    # Kill the import once its first batch of children is committed, before it has finished.
    process = _openraa(
        killed, "import_ssda903", str(return_folder), "--council", "Knowsley", "--year", str(YEAR), "--verbosity", "0"
    )
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline and _children_committed(killed) < BATCH:
        time.sleep(0.02)
    assert process.poll() is None, "the import ended before it could be killed: make the return larger"
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL

    after_kill = _state(killed)
    assert after_kill["incomplete"] == []
    assert after_kill["runs"] == []  # the run is recorded when it ends: this one never did
    assert after_kill["children"] >= BATCH
    assert after_kill["children"] == after_kill["history"]  # one history row per child: nothing half-written

    # The same return, imported without interruption into a fresh database, and again into the killed one.
    _import(fresh, return_folder)
    _import(killed, return_folder)
    expected, again = _state(fresh), _state(killed)
    assert expected["incomplete"] == [] and again["incomplete"] == []
    assert after_kill["children"] < expected["children"], "the kill came after the last batch"
    assert {k: again[k] for k in ("children", "history", "steps")} == {
        k: expected[k] for k in ("children", "history", "steps")
    }
    assert again["dates"] == expected["dates"]
    [first], [rerun] = expected["runs"], again["runs"]
    assert rerun["rows"] == first["rows"] and rerun["children"] == first["children"]
    assert (rerun["skipped"], rerun["rejected"]) == (first["skipped"], first["rejected"])
    assert rerun["updated"] == 0 and rerun["unchanged"] == after_kill["children"]
    assert rerun["created"] + rerun["unchanged"] == first["created"]
    # What the first attempt wrote is left exactly as it was: the second import only added the rest.
    kept = {row[0]: row for row in after_kill["dates"]}
    assert all(row == kept[row[0]] for row in again["dates"] if row[0] in kept)
