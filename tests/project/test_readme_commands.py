"""Every `openraa ...` command README.md shows (its command-line table and code blocks) parses with
the command's own arguments, and runs on a fresh database, in-process, as written: once without its
[optional] parts and once with them, placeholders (DIR, FILE, N, ...) given fixture files and small
values. Only what needs PostgreSQL and gunicorn, or a terminal, is not run (reasons below)."""

import itertools
import re
import shlex
import shutil
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.test import override_settings

from openraa.security.backups import new_key_pair

README = Path(__file__).resolve().parents[2] / "README.md"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SSDA903_FOLDER = FIXTURES / "ssda903" / "knowsley-2025"
RECHARGES = FIXTURES / "recharges-bkm-2020-21.csv"
STAFF = FIXTURES / "staff-aim.csv"
HOUSEHOLDS = FIXTURES / "households-aim.csv"
_EMAILS = itertools.count(1)

# Not run, only parsed: why.
NOT_RUN = {
    ("bench", "load"): "needs PostgreSQL (DATABASE_URL) and starts gunicorn and a load client",
    ("runserver",): "serves until stopped",
    ("serve",): "becomes gunicorn, serving until stopped (tests/project/test_deployment.py runs it)",
    ("createsuperuser",): "asks its questions on a terminal",
    ("db_worker",): "runs queued jobs until stopped (the suite runs jobs at once: tests/settings.py TASKS)",
}
# The worker takes only the database backend, which the suite swaps for the immediate one.
WORKER_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Small sizes, so that the benchmarks and the simulator run in seconds (added to what README shows).
SMALL = {
    ("bench", "pages"): ["--children", "200", "--households", "200", "--runs", "1", "--in-place"],
    ("bench", "profile"): ["--children", "60", "--households", "60", "--runs", "1", "--in-place"],
    ("bench", "drift"): ["--children", "200", "--households", "200", "--runs", "1", "--in-place"],
    ("bench", "reporting"): ["--episodes", "200", "--history-children", "24", "--in-place"],
    ("bench", "matching"): ["--households", "200", "--units", "40", "--runs", "2", "--naive-runs", "1"],
    ("demo_region",): ["--scale", "0.05"],
    ("simulate",): ["--years", "1", "--replications", "1", "--workers", "1"],
}


def _readme_commands() -> list[str]:
    """The command texts: the table's first column and the code blocks' lines, from `openraa` on."""
    text = README.read_text()
    section = text.split("## The command line", 1)[1].split("\n## ", 1)[0]
    found = []
    for line in section.splitlines():
        if line.startswith("| `"):
            cell = line.split(" | ")[0].removeprefix("| ")
            found += re.findall(r"`([^`]*openraa [^`]*)`", cell)
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            command = line.split("#")[0]
            found += [part.strip() for part in command.split("&&") if re.search(r"(^|\s|/)openraa ", part)]
    return found


def _words(command: str, *, optional: bool, tmp: Path) -> list[list[str]]:
    """argv lists (after `openraa`) for one README command, alternatives (a|b) expanded."""
    command = re.sub(r"^.*?openraa ", "", command).replace("\\|", "|")
    # setup_agency's "..." is more members: Sefton, the commissioning council, must be one of them.
    command = command.replace("--council E08000012 ...", "--council E08000012 --council E08000014")
    command = command.replace("...", "").replace("[DIR ]", "")
    command = re.sub(r"\[([^\]]*)\]", r"\1" if optional else "", command)
    values = {
        "DIR": str(tmp / "2024-25"),
        "FILE": str(RECHARGES)
        if "import_recharges" in command
        else str(STAFF)
        if "import_staff" in command
        else str(HOUSEHOLDS)
        if "import_households" in command
        else str(tmp / "report.csv"),
        "EMAIL": f"readme.{next(_EMAILS)}@knowsley.example",  # each invitation a new person
        "OUT_DIR": str(tmp / "export"),
        "N": "7",
        "CODE": "E08000011",
        "D": "2025-01-15",
        "USERNAME": "aim.team_manager",
        "OUT.age": str(tmp / "backup.age"),
        "IN.age": str(tmp / "backup.age"),
        "KEY": str(tmp / "backup-key.txt"),  # written by _backup_key below: the key the backups are encrypted to
        "NEW_KEY": str(tmp / "new-backup-key.txt"),
    }
    words = [values.get(word, word) for word in shlex.split(command)]
    variants = [words]
    for i, word in enumerate(words):
        if "|" in word:
            variants = [[*v[:i], alternative, *v[i + 1 :]] for v in variants for alternative in word.split("|")]
    return variants


def _variants(tmp: Path) -> list[list[str]]:
    seen, out = set(), []
    for command in _readme_commands():
        for optional in (False, True):
            for argv in _words(command, optional=optional, tmp=tmp):
                if tuple(argv) not in seen:
                    seen.add(tuple(argv))
                    out.append(argv)
    return out


def _key(argv: list[str]) -> tuple[str, ...]:
    return tuple(argv[:2]) if argv[0] == "bench" else (argv[0],)


TMP = Path(tempfile.gettempdir()) / "openraa-readme-commands"
ALL = _variants(TMP)
IDS = [" ".join(argv).replace(f"{TMP}/", "").replace(f"{FIXTURES}/", "") for argv in ALL]


def test_the_readme_shows_every_command_of_the_table():
    names = {argv[0] for argv in ALL}
    assert {
        "migrate",
        "demo_region",
        "setup_agency",
        "bench",
        "import_ssda903",
        "export_ssda903",
        "scorecard",
        "budget",
        "import_recharges",
        "load_bkm_budget",
        "load_finance_tables",
        "api_token",
        "backup",
        "restore",
        "simulate",
        "drift",
        "drift_digest",
        "governance_reminders",
        "invite_staff",
        "import_staff",
        "import_households",
        "db_worker",
    } <= names
    assert {tuple(argv[:2]) for argv in ALL if argv[0] == "bench"} >= {
        ("bench", "pages"),
        ("bench", "load"),
        ("bench", "matching"),
        ("bench", "drift"),
        ("bench", "reporting"),
    }


@pytest.mark.parametrize("argv", ALL, ids=IDS)
def test_every_readme_command_parses(argv):
    app = get_commands()[argv[0]]
    command = load_command_class(app, argv[0]) if isinstance(app, str) else app
    with override_settings(**({"TASKS": WORKER_TASKS} if argv[0] == "db_worker" else {})):
        command.create_parser("openraa", argv[0]).parse_args(argv[1:])  # SystemExit (a failure) if not


# The backups' key pair, as `openraa backup_key` makes it: the server has the public key, the
# restore is given the private key's file (KEY, written by _backup_key).
_BACKUP_SECRET, BACKUP_RECIPIENT = new_key_pair()


def _backup_key() -> None:
    TMP.mkdir(exist_ok=True)
    (TMP / "backup-key.txt").write_text(f"{_BACKUP_SECRET}\n")


def _run(argv: list[str], out: StringIO | None = None) -> str:
    out = out or StringIO()
    call_command(*argv, *SMALL.get(_key(argv), []), stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db(transaction=False)
@override_settings(OPENRAA_REQUIRE_2FA=True)  # as under OPENRAA_DEBUG=1 and in production
@pytest.mark.parametrize(
    "argv", [a for a in ALL if a[0] == "bench"], ids=[i for a, i in zip(ALL, IDS) if a[0] == "bench"]
)
def test_each_readme_bench_command_runs_on_a_fresh_database(argv):
    if _key(argv) in NOT_RUN:
        pytest.skip(NOT_RUN[_key(argv)])
    assert _run(argv)


# transaction=True: `restore --replace` flushes (TRUNCATE), which PostgreSQL refuses inside a test's transaction
# with deferred constraint checks pending; a real restore runs outside one.
@pytest.mark.django_db(transaction=True)
@override_settings(
    OPENRAA_REQUIRE_2FA=True,
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    OPENRAA_BACKUP_RECIPIENT=BACKUP_RECIPIENT,
)
def test_the_other_readme_commands_run_in_order_on_a_fresh_database():
    """In the README's order on one database, as someone trying them would: the demo region first,
    then what reads it; restore last (--replace, as the database is no longer empty)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from openraa.children.models import Child, SealedRecordError
    from openraa.people.models import User

    shutil.rmtree(TMP, ignore_errors=True)
    shutil.copytree(SSDA903_FOLDER, TMP / "2024-25")  # a return's folder is named by its year
    _backup_key()
    # setup_agency sets up "aim", which the demo region loads: it runs on its own fresh database below.
    run = [a for a in ALL if a[0] not in ("bench", "setup_agency") and _key(a) not in NOT_RUN]
    restores = [a for a in run if a[0] == "restore"]
    run = [a for a in run if a[0] != "restore"]
    # What the others read first (the demo region, the budget tables), then in the README's order.
    # The recharges go in before --demo-actuals records the year's own.
    first = {
        ("migrate",): 0,
        ("demo_region",): 1,
        ("load_bkm_budget",): 2,
        ("load_finance_tables",): 2,
        ("import_recharges",): 3,
        ("load_bkm_budget", "--demo-actuals"): 4,
    }
    run.sort(
        key=lambda a: first.get(tuple(a[:2]), first.get((a[0],), 5)) if a[0] != "load_bkm_budget" or len(a) == 1 else 4
    )
    failures = []
    for argv in run:
        if argv[0] == "api_token":  # a token is only for staff who have set up two-factor sign-in
            TOTPDevice.objects.get_or_create(user=User.objects.get(username=argv[1]), name="readme", confirmed=True)
        out = StringIO()
        try:
            _run(argv, out)
        except Exception as error:
            failures.append(f"openraa {' '.join(argv)}: {type(error).__name__}: {error}\n{out.getvalue()[-2000:]}")
    assert not failures, "\n".join(failures)
    # The backup holds sealed adoption records: their links come back too, and nothing else may change them.
    sealed = sorted(Child.objects.filter(adoption_order_on__isnull=False).values_list("pk", flat=True))
    assert sealed, "the demo has adopted children, so the backup holds sealed records"
    assert "Restored" in _run(next(a for a in restores if "--replace" in a))
    assert sorted(Child.objects.filter(adoption_order_on__isnull=False).values_list("pk", flat=True)) == sealed
    with pytest.raises(SealedRecordError):
        Child.objects.get(pk=sealed[0]).allocated_workers.clear()


@pytest.mark.django_db
@override_settings(OPENRAA_BACKUP_RECIPIENT=BACKUP_RECIPIENT)
def test_restore_as_the_readme_shows_it_loads_a_backup_into_an_empty_database():
    restore = next(a for a in ALL if a[0] == "restore" and "--replace" not in a)
    _backup_key()
    call_command("backup", restore[1], stdout=StringIO())
    assert "Restored" in _run(restore)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "argv", [a for a in ALL if a[0] == "setup_agency"], ids=[i for a, i in zip(ALL, IDS) if a[0] == "setup_agency"]
)
def test_setup_agency_as_the_readme_shows_it_runs_on_a_fresh_database(argv):
    assert "Adoption in Merseyside" in _run(argv)
