"""Twenty staff save at once on the embedded default (issue 17): every save succeeds, none is a 500.

The server is the one `make demo` runs, Django's threaded development server (a thread per request),
with the project's own settings, in a subprocess against a file-based SQLite database made and
migrated in a temporary folder, so the suite's own database (in-memory SQLite, or PostgreSQL in CI) is
not involved. Twenty signed-in clients each open their own child's edit page, wait at a barrier so
their saves go out together, and post. Before the SQLite settings (WAL, a busy timeout, immediate
transactions) such saves failed with "database is locked".
"""

import json
import os
import sqlite3
import subprocess
import sys
import threading
from html.parser import HTMLParser
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

from openraa.children.models import Child

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 20
WAIT = 120  # seconds: only a bound so that a broken server fails the test instead of hanging it

SETUP = """
import json
import sys
from django.test import Client
from openraa.people.models import User
from openraa.people.roles import Role
from tests import builders

aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
knowsley = builders.council("Knowsley")
workers = []
for i in range(int(sys.argv[1])):
    # No password: hashing twenty with production's hasher would only slow the test down.
    user = User.objects.create(
        username=f"worker{i}", agency=aim, employing_council=knowsley, roles=[Role.TEAM_MANAGER]
    )
    client = Client()
    client.force_login(user, backend="openraa.people.backends.StaffBackend")
    child = builders.child(aim, first_name=f"Child{i}")
    workers.append({"session": client.cookies["sessionid"].value, "child": child.pk})
print(json.dumps(workers))
"""

SERVE = """
import django
django.setup()
from django.core.servers.basehttp import get_internal_wsgi_application, run
run("127.0.0.1", 0, get_internal_wsgi_application(), threading=True, on_bind=lambda port: print(port, flush=True))
"""


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENRAA_") and k != "DATABASE_URL"}
    env.update(
        OPENRAA_DEBUG="1",
        OPENRAA_REQUIRE_2FA="0",
        OPENRAA_SQLITE_PATH=str(database),
        DJANGO_SETTINGS_MODULE="openraa.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def _run(database: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=_env(database), capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


class _Form(HTMLParser):
    """The fields of the page's form that carries a version, as a browser would submit them untouched."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._select: str | None = None
        self._option: str | None = None
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append([])
        elif tag == "input" and a.get("name") and "disabled" not in a:
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") not in ("submit", "button", "file"):
                self.forms[-1].append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and "disabled" not in a:
            self._select, self._option = a.get("name"), None
        elif tag == "option" and self._select and "selected" in a:
            self._option = a.get("value", "")
        elif tag == "textarea" and "disabled" not in a:
            self._textarea = a.get("name")
            self.forms[-1].append((self._textarea or "", ""))

    def handle_data(self, data):
        if self._textarea:
            name, text = self.forms[-1][-1]
            self.forms[-1][-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            self.forms[-1].append((self._select, self._option or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def versioned(self) -> list[tuple[str, str]]:
        [form] = [f for f in self.forms if any(name == "version" for name, _ in f)]
        return [(name, value.removeprefix("\n")) for name, value in form]


def _request(port: int, method: str, path: str, cookies: dict[str, str], body: str | None = None):
    connection = HTTPConnection("127.0.0.1", port, timeout=WAIT)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Location"), response.getheader("Set-Cookie") or "", response.read()
    finally:
        connection.close()


def test_twenty_staff_saving_at_once_through_the_server_all_succeed(tmp_path):
    database = tmp_path / "openraa.sqlite3"
    _run(database, "-m", "openraa.cli", "migrate", "--noinput", "--verbosity", "0")
    workers = json.loads(_run(database, "-c", "import django; django.setup()\n" + SETUP, str(WRITERS)))

    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE], cwd=ROOT, env=_env(database), stdout=subprocess.PIPE, stderr=log, text=True
    )
    try:
        line = server.stdout.readline() if server.stdout else ""
        assert line.strip().isdigit(), (tmp_path / "server.log").read_text()[-3000:]
        port = int(line)

        barrier = threading.Barrier(WRITERS, timeout=WAIT)
        results: dict[int, tuple] = {}

        def save(i: int) -> None:
            worker = workers[i]
            cookies = {"sessionid": worker["session"]}
            path = f"/children/{worker['child']}/edit/"
            try:
                status, _, set_cookie, page = _request(port, "GET", path, cookies)
                assert status == 200, (status, page[-2000:])
                cookies["csrftoken"] = set_cookie.split("csrftoken=", 1)[1].split(";", 1)[0]
                fields = dict(_Form(page.decode()).versioned())
                fields["birth_mother_name"] = f"Saved by worker {i}"
                barrier.wait()
                results[i] = _request(port, "POST", path, cookies, urlencode(fields))
            except BaseException as error:  # reported below, with the thread's number
                barrier.abort()
                results[i] = (error,)

        threads = [threading.Thread(target=save, args=(i,)) for i in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    server_log = (tmp_path / "server.log").read_text()
    # Each writer's status, or what went wrong in its thread; a server error's traceback is in the log.
    answers = {i: result[0] for i, result in results.items()}
    assert answers == dict.fromkeys(range(WRITERS), 302), (answers, server_log[-3000:])
    for i, (_, location, _, _) in results.items():
        assert location == f"/children/{workers[i]['child']}/", location  # saved, back on the child's page
    assert "database is locked" not in server_log

    with sqlite3.connect(database) as connection:
        saved = dict(connection.execute(f"select id, birth_mother_name from {Child._meta.db_table}").fetchall())
    assert saved == {worker["child"]: f"Saved by worker {i}" for i, worker in enumerate(workers)}


def _settings(monkeypatch, database_url: str | None) -> dict:
    """openraa/settings.py as it reads the environment given."""
    import runpy

    import openraa.settings

    if database_url is None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("OPENRAA_SECRET_KEY", "test-only-secret-key")
    return runpy.run_path(openraa.settings.__file__)["DATABASES"]["default"]


def test_only_the_embedded_sqlite_database_is_given_the_concurrency_options(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENRAA_SQLITE_PATH", str(tmp_path / "openraa.sqlite3"))
    sqlite = _settings(monkeypatch, None)
    assert sqlite["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE" and sqlite["OPTIONS"]["timeout"] >= 20
    assert "journal_mode=WAL" in sqlite["OPTIONS"]["init_command"]
    postgres = _settings(monkeypatch, "postgres://postgres@127.0.0.1:5432/openraa_example")
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert not {"transaction_mode", "timeout", "init_command"} & set(postgres.get("OPTIONS", {}))
