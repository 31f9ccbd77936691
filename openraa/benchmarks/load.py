"""`openraa bench load`: the app under gunicorn on PostgreSQL, with --users simulated staff working at
once for --duration seconds, measured from a load client on loopback.

It builds a throwaway database (never the user's: `openraa_bench_<pid>` on the PostgreSQL server that
DATABASE_URL names), loads the 10,000-children agency through the demo generator (as `bench pages`
does), starts gunicorn on a free port of 127.0.0.1 as in production (OPENRAA_DEBUG=0, secure cookies,
two-factor sign-in required, static files by WhiteNoise), and signs the simulated staff in by writing
their sessions straight into the database (verified by a TOTP device, as after the code page), so the
load measures the pages and not sign-in.

Each simulated member of staff (team managers and family finders of the agency: they may edit a child
and open its shortlist, several sessions each
when there are more users than staff) repeats one visit with a pause between requests (--think, a
uniform draw around its mean; 0 for a stress test):
  children_list  GET  /children/
  search         GET  /children/?q=C-000123         (a reference the staff member can see)
  child_detail   GET  /children/<pk>/
  edit_form      GET  /children/<pk>/edit/
  edit_save      POST /children/<pk>/edit/          (the form as a browser posts it: CSRF token, version)
  shortlist      GET  /children/<pk>/matching/
Each user edits only children of its own, so optimistic-locking conflicts between simulated users are
not counted as errors.

Beside them, --public members of the public look at the front door, and --adopters signed-in
adopters (their sessions written as the adopters' sign-in leaves them, past both factors) at their
own pages; the families' demo records (openraa/demo/families.py) are loaded for them:
  front_door        GET  /adopt/
  agency_page       GET  /adopt/aim/
  privacy           GET  /adopt/privacy/
  start             GET  /adopt/register/                 (302 to the first question)
  first_question    GET  /adopt/register/name/
  adopter_home      GET  /adopt/account/                  (the journey)
  adopter_profiles  GET  /adopt/account/profiles/
  adopter_profile   GET  /adopt/account/profiles/<code>/  (one the family may open; approved only)
  adopter_interests GET  /adopt/account/interests/
  adopter_messages  GET  /adopt/account/messages/
The public never post (the front door's posts are rate limited per address). An error is any answer
other than 200 (302 after a save or at /adopt/register/), a refused save, or a failed connection.

The load client is Python's own http.client in one thread per user (keep-alive connections): no extra
dependency, a closed loop that is easy to read, and per-request work that is small beside the
server's; it runs on the same two cores as the server and the database, as the issue asks (loopback).
Target: p95 <= 300 ms over all requests and no errors (the load's target is the staff's: --users).
"""

from __future__ import annotations

import http.client
import math
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from argparse import ArgumentParser
from collections import defaultdict
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db.models import F
from django.test.utils import override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from openraa.benchmarks import floor, pages
from openraa.children.selectors import children_for
from openraa.common.text import table
from openraa.demo import generator
from openraa.demo.families import load_families
from openraa.families import accounts as adopter_sign_in
from openraa.families.models import AdopterAccount
from openraa.families.selectors import published_for
from openraa.people.roles import Role
from openraa.staff.sessions import SessionStore

# Issue 18: 50 staff at p95 300 ms; 150 staff at p95 1 s (a busier agency, on the same 2 cores).
TARGETS_P95_MS = ((50, 300), (150, 1_000))


def target_p95_ms(users: int) -> int:
    """The p95 the run is held to: that of the smallest listed load at least as big as this one."""
    return next((ms for most, ms in TARGETS_P95_MS if users <= most), TARGETS_P95_MS[-1][1])


SEED = 2016
STAFF_FLOWS = ("children_list", "search", "child_detail", "edit_form", "edit_save", "shortlist")
# The public only GET: the front door's posts are rate limited per address (20 an hour), and every
# simulated visitor shares 127.0.0.1, so posting would measure the limit, not the pages.
PUBLIC_FLOWS = {
    "front_door": ("/adopt/", 200),
    "agency_page": ("/adopt/aim/", 200),
    "privacy": ("/adopt/privacy/", 200),
    "start": ("/adopt/register/", 302),  # resets the visitor's answers, then the first question
    "first_question": ("/adopt/register/name/", 200),
}
ADOPTER_FLOWS = (
    "adopter_home",
    "adopter_profiles",
    "adopter_profile",
    "adopter_interests",
    "adopter_messages",
)
GROUPS = {"staff": STAFF_FLOWS, "public": tuple(PUBLIC_FLOWS), "adopters": ADOPTER_FLOWS}
FLOWS = tuple(flow for flows in GROUPS.values() for flow in flows)


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--users", type=int, default=50, help="Concurrent simulated staff (default %(default)s)")
    parser.add_argument("--duration", type=float, default=120, help="Seconds of measured load (default %(default)s)")
    parser.add_argument(
        "--think",
        type=float,
        default=2.0,
        help="Mean pause in seconds between one user's requests, drawn uniformly from half to "
        "one and a half times it (default %(default)s; 0 for no pause)",
    )
    parser.add_argument(
        "--public", type=int, default=20, help="Members of the public at the front door besides (default %(default)s)"
    )
    parser.add_argument(
        "--adopters", type=int, default=10, help="Signed-in adopters on their own pages besides (default %(default)s)"
    )
    parser.add_argument("--children", type=int, default=10_000, help="Children in the agency (default %(default)s)")
    parser.add_argument("--households", type=int, default=10_000, help="Households (default %(default)s)")
    parser.add_argument(
        "--workers", type=int, default=0, help="Gunicorn workers (default cores + 1, as `openraa serve`)"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="Threads per worker: 1 runs sync workers, more gthread (default 1)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="Consecutive runs on the same database, each with a fresh server"
    )


def run(options: dict[str, Any], log=lambda message: None) -> dict[str, Any]:
    users, duration, think = max(1, options["users"]), max(1.0, options["duration"]), max(0.0, options["think"])
    cores = os.cpu_count() or 1
    workers = options["workers"] or cores + 1  # as openraa/gunicorn_config.py
    threads = max(1, options.get("threads") or 1)
    warnings.filterwarnings("ignore", message="No directory at")
    with pages._throwaway_database() as connection, override_settings(DEBUG=False):
        if connection.vendor != "postgresql":
            raise RuntimeError(
                "bench load measures PostgreSQL: set DATABASE_URL=postgres://... (a throwaway "
                "database is made beside it)"
            )
        log(
            f"Loading {options['children']} children and {options['households']} households into "
            f"{connection.settings_dict['NAME']}..."
        )
        started = time.perf_counter()
        loaded = generator.load_agency(
            generator.AGENCIES["aim"],
            children=options["children"],
            households=options["households"],
            rng=generator.agency_rng(SEED, "aim"),
            password="bench-only-password",
            check_foreign_keys=False,
        )
        load_families(
            loaded.agency, generator.agency_rng(SEED, "aim-families"), as_of=timezone.localdate(), new_households=False
        )
        load_seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        plans = _plans(loaded, users)
        plans += [{"kind": "public"} for _ in range(max(0, options.get("public") or 0))]
        plans += _adopter_plans(max(0, options.get("adopters") or 0))
        database = {"vendor": connection.vendor, "version": pages._version(connection)}
        connection.close()  # the server's workers open their own
        log(f"Loaded in {load_seconds:.1f} s.")
        runs = []
        for number in range(max(1, options.get("repeat") or 1)):
            port = _free_port()
            log(
                f"Run {number + 1}: gunicorn ({workers} workers) on 127.0.0.1:{port}; {users} users for {duration:.0f} s..."
            )
            measured = _measure(connection.settings_dict, port, (workers, threads), plans, duration, think)
            runs.append(
                _summary(
                    measured,
                    duration,
                    users,
                    think,
                    workers,
                    cores,
                    load_seconds,
                    database,
                    loaded,
                    threads=threads,
                    public=sum(p["kind"] == "public" for p in plans),
                    adopters=sum(p["kind"] == "adopter" for p in plans),
                )
            )
    if len(runs) == 1:
        return runs[0]
    return {"area": "load", "runs": runs, "within_target": all(r["within_target"] for r in runs)}


def _measure(db: dict, port: int, workers: tuple[int, int], plans, duration: float, think: float) -> dict[str, Any]:
    """One run: a fresh gunicorn, the mix, then the do-nothing floor; the CPU of the server, of the
    load client (this process) and of PostgreSQL's processes over the mix."""
    # The server's log goes to a file: a pipe nobody reads fills up with tracebacks and then
    # blocks every worker that writes to it, turning a few errors into timeouts.
    with tempfile.TemporaryFile() as server_log:
        server = _start_gunicorn(db, settings.SECRET_KEY, port, workers, server_log)
        try:
            _wait_until_up(port, server, server_log)
            cpu_before, client_before, database_before = (
                _cpu_seconds(server.pid),
                time.process_time(),
                _cpu_seconds(name="postgres"),
            )
            measured = _drive(port, plans, duration, think)
            measured["client_cpu"] = time.process_time() - client_before
            database_after, server_after = _cpu_seconds(name="postgres"), _cpu_seconds(server.pid)
            measured["database_cpu"] = (
                database_after - database_before if database_before is not None and database_after is not None else None
            )
            measured["server_cpu"] = (
                server_after - cpu_before if cpu_before is not None and server_after is not None else None
            )
            measured["floor_cpu"] = _floor_cpu(port, server.pid, plans[0]["session"])
        finally:
            _stop(server)
        measured["server_log"] = _tail(server_log) if measured["errors"] else []
    return measured


def render(result: dict[str, Any]) -> str:
    if "runs" in result:
        return "\n\n".join(
            f"Run {number} of {len(result['runs'])}\n{render(run)}" for number, run in enumerate(result["runs"], 1)
        )
    db = result["database"]
    lines = [
        (
            f"Database: {db['vendor']} {db['version']}; {result['children']} children, {result['households']} households "
            f"(loaded in {result['load_seconds']} s)"
        ),
        (
            f"{result['server']}: {result['workers']} workers on {result['cores']} cores; {result['users']} staff, "
            f"{result.get('public', 0)} public and {result.get('adopters', 0)} adopters for "
            f"{result['duration_seconds']} s, think time {result['think_seconds']} s"
        ),
        f"Target: p95 <= {result['target_p95_ms']} ms and no errors",
        "",
    ]
    header = ("Flow", "Requests", "Errors", "p50 ms", "p95 ms", "p99 ms", "Max ms")
    rows = [
        (
            name,
            str(f["requests"]),
            str(f["errors"]),
            f"{f['p50_ms']:.0f}",
            f"{f['p95_ms']:.0f}",
            f"{f['p99_ms']:.0f}",
            f"{f['max_ms']:.0f}",
        )
        for name, f in {
            **result["flows"],
            **{f"{group} (all)": stats for group, stats in result.get("groups", {}).items()},
            "overall": result["overall"],
        }.items()
    ]
    lines += table(header, rows)
    overall = result["overall"]
    lines += [
        "",
        f"{result['requests_per_second']} requests/s; {overall['errors']} errors; p95 {overall['p95_ms']:.0f} ms: "
        + ("within target" if result["within_target"] else "TARGET MISSED"),
    ]
    if result["server_cpu_ms_per_request"] is not None:
        lines.append(f"gunicorn CPU per request: {result['server_cpu_ms_per_request']} ms (PostgreSQL not included)")
    if result.get("database_cpu_ms_per_request") is not None:
        lines.append(
            f"Beside it: PostgreSQL {result['database_cpu_ms_per_request']} ms, the load client "
            f"{result['client_cpu_ms_per_request']} ms per request"
        )
    if result.get("ratio_to_floor") is not None:
        lines.append(
            f"Do-nothing request (signed in, same middleware): {result['floor_cpu_ms_per_request']} ms CPU; "
            f"the mix costs {result['ratio_to_floor']}x it (target <= 10x)"
        )
    for sample in result["error_samples"]:
        lines.append(f"  error: {sample}")
    if result["server_log_tail"]:
        lines += ["", "End of the server's log:", *(f"  {line}" for line in result["server_log_tail"])]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------


def _plans(loaded, users: int) -> list[dict[str, Any]]:
    """For each simulated user: a session cookie written into the database, and children of its own
    (that its member of staff may change) to search for, open, edit and shortlist."""
    staff = [
        u for u in loaded.staff if (u.has_role(Role.TEAM_MANAGER) or u.has_role(Role.FAMILY_FINDER)) and u.is_active
    ]
    if not staff:
        raise RuntimeError("The demo agency has no team manager or family finder")
    devices = {}
    for user in staff:
        devices[user.pk] = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    visible = {
        user.pk: list(children_for(user, "change").order_by("pk").values_list("pk", flat=True)) for user in staff
    }
    # Up to 40 children each; members of staff whose council has fewer share them out among the
    # simulated users they sign in (150 users share the demo agency's staff).
    sharers = {user.pk: len(range(index, users, len(staff))) for index, user in enumerate(staff)}
    taken: set[int] = set()
    plans = []
    for number in range(users):
        user = staff[number % len(staff)]
        share = max(1, min(40, len(visible[user.pk]) // max(1, sharers[user.pk]) // 2))
        own = [pk for pk in visible[user.pk] if pk not in taken][:share]
        if not own:
            raise RuntimeError(f"No child left for simulated user {number} ({user})")
        taken.update(own)
        session = SessionStore()  # the configured engine: the server reads its sessions there
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "openraa.people.backends.StaffBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = devices[user.pk].persistent_id
        session.create()
        plans.append({"kind": "staff", "user": str(user), "session": session.session_key, "children": own})
    return plans


def _adopter_plans(count: int) -> list[dict[str, Any]]:
    """Sessions of the agency's adopters with a password (the approved ones first), as the adopters'
    sign-in leaves them after both factors; more simulated adopters than accounts share them."""
    if not count:
        return []
    accounts = list(
        AdopterAccount.objects.exclude(password="").order_by(F("household__approved_on").desc(nulls_last=True), "pk")[
            :count
        ]
    )
    if not accounts:
        raise RuntimeError("The demo agency has no adopter account with a password")
    # The profiles each family may open (none before approval): the profile page is one of them.
    codes = {a.pk: [v.profile.code for v in published_for(a, timezone.localdate())] for a in accounts}
    plans = []
    for number in range(count):
        account = accounts[number % len(accounts)]
        session = SessionStore()
        session[adopter_sign_in.SESSION_ACCOUNT] = account.pk
        session.create()
        plans.append({"kind": "adopter", "session": session.session_key, "profiles": codes[account.pk]})
    return plans


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(db: dict) -> str:
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _start_gunicorn(db: dict, secret_key: str, port: int, workers: tuple[int, int], log_file) -> subprocess.Popen:
    processes, threads = workers
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENRAA_")}
    env.update(
        DATABASE_URL=_database_url(db),
        OPENRAA_SECRET_KEY=secret_key,
        OPENRAA_DEBUG="0",
        OPENRAA_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="openraa.settings",
    )
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    command = [
        gunicorn if os.path.exists(gunicorn) else "gunicorn",
        "openraa.benchmarks.wsgi:application",  # the service, with the do-nothing floor routed
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(processes),
        "--worker-class",
        "sync" if threads == 1 else "gthread",
        "--threads",
        str(threads),
        "--keep-alive",
        "5",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log_file, start_new_session=True)


def _wait_until_up(port: int, server: subprocess.Popen, log_file, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped: " + "\n".join(_tail(log_file)))
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login/", headers={"Host": "127.0.0.1"})
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within a minute")


def _cpu_seconds(process_group: int | None = None, name: str | None = None) -> float | None:
    """CPU time used so far by gunicorn's processes (a process group), or by every process of a name
    (PostgreSQL's), from Linux /proc: what the pages cost whatever else runs on the machine, when a
    shared machine makes the latencies noisy."""
    if not os.path.isdir("/proc"):
        return None
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                command, after = stat.read().rsplit(")", 1)
            fields = after.split()
        except (OSError, ValueError):
            continue  # not a process, or one that has just ended
        if (process_group is not None and int(fields[2]) == process_group) or (
            name is not None and command.split("(", 1)[-1] == name
        ):  # after the name: state, parent, process group, ...
            total += int(fields[11]) + int(fields[12])  # user and system time
    return total / ticks


FLOOR_REQUESTS = 300


def _floor_cpu(port: int, server_pid: int, session: str) -> float | None:
    """Seconds of server CPU per do-nothing request (openraa/benchmarks/floor.py), signed in, through
    the same middleware, one after another once the mix has ended."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": f"127.0.0.1:{port}", "Cookie": f"sessionid={session}"}
    before = _cpu_seconds(server_pid)
    for _ in range(FLOOR_REQUESTS):
        conn.request("GET", floor.FLOOR_PATH, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            return None  # not measured: a refusal is not the do-nothing request
    after = _cpu_seconds(server_pid)
    conn.close()
    return (after - before) / FLOOR_REQUESTS if before is not None and after is not None else None


def _tail(log_file, lines: int = 30) -> list[str]:
    log_file.seek(0)
    return log_file.read().decode(errors="replace").splitlines()[-lines:]


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


class _FormFields(HTMLParser):
    """The fields a browser would post from the page's form holding a `version` field."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = []
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "image", "file"):
                return
            self._form.append((a["name"], a.get("value") or ("on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and a.get("name"):
            self._select, self._select_first, self._select_chosen = a["name"], None, False
            self._multiple = "multiple" in a
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._form.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], ""

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select" and self._select:
            if not self._select_chosen and not self._multiple and self._select_first is not None:
                self._form.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._form.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def _edit_fields(html: str) -> list[tuple[str, str]]:
    parser = _FormFields()
    parser.feed(html)
    for form in parser.forms:
        if any(name == "version" for name, _ in form):
            return form
    raise ValueError("no form with a version field on the edit page")


class _User(threading.Thread):
    def __init__(self, number: int, port: int, plan: dict, stop_at: float, think: float, record):
        super().__init__(daemon=True)
        self.port, self.plan, self.stop_at, self.think, self.record = port, plan, stop_at, think, record
        self.rng = random.Random(number)
        self.cookies = {"sessionid": plan["session"]} if "session" in plan else {}
        self.conn: http.client.HTTPConnection | None = None

    def run(self):
        time.sleep(self.rng.uniform(0, max(self.think, 0.5)))  # users do not all start on the same tick
        while time.monotonic() < self.stop_at:
            try:
                self.visit()
            except _Stop:
                return

    def pause(self):
        if self.think:
            time.sleep(self.rng.uniform(0.5 * self.think, 1.5 * self.think))
        if time.monotonic() >= self.stop_at:
            raise _Stop

    def visit(self):
        if self.plan["kind"] == "public":
            for flow, (path, status) in PUBLIC_FLOWS.items():
                self.request(flow, "GET", path, expect_status=status)
            return
        if self.plan["kind"] == "adopter":
            code = self.rng.choice(self.plan["profiles"]) if self.plan["profiles"] else None
            self.request("adopter_home", "GET", "/adopt/account/")
            self.request("adopter_profiles", "GET", "/adopt/account/profiles/")
            if code:
                self.request("adopter_profile", "GET", f"/adopt/account/profiles/{code}/", expect=code)
            self.request("adopter_interests", "GET", "/adopt/account/interests/")
            self.request("adopter_messages", "GET", "/adopt/account/messages/")
            return
        pk = self.rng.choice(self.plan["children"])
        self.request("children_list", "GET", "/children/")
        self.request("search", "GET", f"/children/?{urlencode({'q': f'C-{pk:06d}'})}", expect=f"C-{pk:06d}")
        self.request("child_detail", "GET", f"/children/{pk}/")
        page = self.request("edit_form", "GET", f"/children/{pk}/edit/")
        if page is None:
            return
        try:
            fields = _edit_fields(page)
        except ValueError as error:
            self.record("edit_form", 0, False, str(error))
            return
        values = [(n, v) for n, v in fields if n != "birth_father_name"]
        values.append(("birth_father_name", f"Bench {self.rng.randint(1, 10**6)}"))
        self.request("edit_save", "POST", f"/children/{pk}/edit/", body=urlencode(values), expect_status=302)
        self.request("shortlist", "GET", f"/children/{pk}/matching/")

    def request(
        self,
        flow: str,
        method: str,
        path: str,
        body: str | None = None,
        expect: str | None = None,
        expect_status: int = 200,
    ) -> str | None:
        self.pause()
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "User-Agent": "openraa-bench-load",
        }
        if body is not None:
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1:{self.port}{path}",
                    "Origin": f"http://127.0.0.1:{self.port}",
                }
            )
        started = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.record(flow, (time.perf_counter() - started) * 1000, False, f"{method} {path}: {error!r}")
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return None
        ms = (time.perf_counter() - started) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        text = content.decode("utf-8", errors="replace")
        ok = response.status == expect_status and (expect is None or expect in text)
        problem = "" if ok else f"{method} {path}: {response.status} {response.getheader('Location') or ''}".strip()
        if ok and flow == "edit_save" and "/edit/" in (response.getheader("Location") or ""):
            ok, problem = False, f"{method} {path}: save redirected back to the form"
        self.record(flow, ms, ok, problem)
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return text if ok else None


class _Stop(Exception):
    pass


def _drive(port: int, plans: list[dict], duration: float, think: float) -> dict[str, Any]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    samples: list[str] = []
    lock = threading.Lock()

    def record(flow: str, ms: float, ok: bool, problem: str) -> None:
        with lock:
            timings[flow].append(ms)
            if not ok:
                errors[flow] += 1
                if len(samples) < 10:
                    samples.append(problem)

    started = time.monotonic()
    stop_at = started + duration
    threads = [_User(n, port, plan, stop_at, think, record) for n, plan in enumerate(plans)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, stop_at - time.monotonic()) + 90)
    return {"timings": dict(timings), "errors": dict(errors), "samples": samples, "elapsed": time.monotonic() - started}


def _stats(values: list[float], errors: int) -> dict[str, Any]:
    if not values:
        return {"requests": 0, "errors": errors, "p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
    return {
        "requests": len(values),
        "errors": errors,
        "p50_ms": round(_percentile(values, 50), 1),
        "p95_ms": round(_percentile(values, 95), 1),
        "p99_ms": round(_percentile(values, 99), 1),
        "max_ms": round(max(values), 1),
    }


def _percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def _per_request(seconds: float | None, requests: list) -> float | None:
    return round(1000 * seconds / len(requests), 1) if seconds is not None and requests else None


def _summary(
    measured,
    duration,
    users,
    think,
    workers,
    cores,
    load_seconds,
    database,
    loaded,
    threads: int = 1,
    public: int = 0,
    adopters: int = 0,
) -> dict[str, Any]:
    timings, errors = measured["timings"], measured["errors"]
    flows = {name: _stats(timings.get(name, []), errors.get(name, 0)) for name in FLOWS}
    everything = [ms for values in timings.values() for ms in values]
    overall = _stats(everything, sum(errors.values()))
    groups = {
        name: _stats(
            [ms for flow in members for ms in timings.get(flow, [])], sum(errors.get(flow, 0) for flow in members)
        )
        for name, members in GROUPS.items()
    }
    return {
        "area": "load",
        "database": database,
        "children": loaded.counts.children,
        "households": loaded.counts.households,
        "load_seconds": round(load_seconds, 1),
        "server": "gunicorn (sync)" if threads == 1 else f"gunicorn (gthread, {threads} threads a worker)",
        "workers": workers,
        "cores": cores,
        "users": users,
        "public": public,
        "adopters": adopters,
        "duration_seconds": duration,
        "think_seconds": think,
        "target_p95_ms": target_p95_ms(users),
        "flows": flows,
        "groups": groups,
        "overall": overall,
        "requests_per_second": round(len(everything) / measured["elapsed"], 1) if measured["elapsed"] else 0.0,
        "server_cpu_ms_per_request": (
            round(1000 * measured["server_cpu"] / len(everything), 1)
            if measured["server_cpu"] is not None and everything
            else None
        ),
        "database_cpu_ms_per_request": _per_request(measured.get("database_cpu"), everything),
        "client_cpu_ms_per_request": _per_request(measured.get("client_cpu"), everything),
        "floor_cpu_ms_per_request": (
            round(1000 * measured["floor_cpu"], 2) if measured.get("floor_cpu") is not None else None
        ),
        "ratio_to_floor": floor.ratio(
            1000 * measured["server_cpu"] / len(everything)
            if measured["server_cpu"] is not None and everything
            else None,
            1000 * measured["floor_cpu"] if measured.get("floor_cpu") is not None else None,
        ),
        "error_samples": measured["samples"],
        "server_log_tail": measured["server_log"],
        "within_target": overall["p95_ms"] <= target_p95_ms(users) and overall["errors"] == 0,
    }
