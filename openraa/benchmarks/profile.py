"""`openraa bench profile`: where the server's CPU goes in each flow of the load mix (`bench load`),
measured in-process so a busy machine does not matter much: CPU time (not wall time) per request,
the queries each request makes, and pyinstrument's profile split into the layers of a request.

It builds a throwaway database as `bench pages` does (default 2,000 children and households: the
pages show 50 rows whatever the total), signs in a family finder past the two-factor step and drives
the six flows of the mix through Django's test client with DEBUG off and CSRF checked, as in
production, after warm-up requests. Beside them, the do-nothing floor (openraa/benchmarks/floor.py)
through the same middleware, and the mix's CPU per request as a multiple of it.
"""

from __future__ import annotations

import statistics
import time
import warnings
from argparse import ArgumentParser
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from openraa.benchmarks import floor, load, pages
from openraa.children.selectors import children_for
from openraa.common.text import table
from openraa.demo import generator
from openraa.people.roles import Role

WARM_UP_RUNS = 3
SEED = 2016

# The layers of a request, by where a frame's code lives. A sample is counted to the innermost
# frame that names a layer (the ORM and the driver count to the layer that asked for the query),
# except that templates rendered by a form's widgets count to the form.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("audit", ("openraa/audit/",)),
    ("policy", ("openraa/people/policy", "openraa/people/sharing", "openraa/people/models")),
    (
        "session/auth",
        ("django/contrib/sessions/", "openraa/staff/sessions", "django/contrib/auth/", "django_otp/", "axes/"),
    ),
    ("forms/widgets", ("django/forms/", "openraa/web/forms", "/forms.py")),
    ("templates", ("django/template/", "django/templatetags/", "openraa/web/templatetags", "templatetags/")),
    (
        "middleware",
        ("django/middleware/", "openraa/security/middleware", "csp/", "whitenoise/", "simple_history/middleware"),
    ),
    ("navigation", ("openraa/home/context",)),
    ("view", ("openraa/",)),
)


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--children", type=int, default=2_000, help="Children in the agency (default %(default)s)")
    parser.add_argument("--households", type=int, default=2_000, help="Households (default %(default)s)")
    parser.add_argument("--runs", type=int, default=50, help="Profiled requests per flow (default %(default)s)")
    parser.add_argument("--top", type=int, default=8, help="Heaviest frames listed per flow (default %(default)s)")
    parser.add_argument(
        "--in-place", action="store_true", help="Load into the current (test) database; never on real data"
    )


def run(options: dict[str, Any], log=lambda message: None) -> dict[str, Any]:
    from pyinstrument import Profiler  # noqa: PLC0415  (a dev extra: the other bench areas run without it)

    runs = max(1, options["runs"])
    warnings.filterwarnings("ignore", message="No directory at")
    database = pages._current_database() if options["in_place"] else pages._throwaway_database()
    with database as db, override_settings(DEBUG=False, ROOT_URLCONF="openraa.benchmarks.floor_urls"):
        log(f"Loading {options['children']} children and {options['households']} households...")
        loaded = generator.load_agency(
            generator.AGENCIES["aim"],
            children=options["children"],
            households=options["households"],
            rng=generator.agency_rng(SEED, "aim"),
            password="bench-only-password",
            check_foreign_keys=False,
        )
        if db.vendor == "postgresql":
            with db.cursor() as cursor:
                cursor.execute("ANALYZE")
        user = _family_finder(loaded)
        client = pages._client_for(user)
        client = _csrf_checked(client)
        pk = children_for(user, "change").order_by("pk").values_list("pk", flat=True)[0]
        flows = _flows(client, pk)
        log(f"Profiling {runs} requests per flow as {user}...")
        results = {}
        for name, request in flows.items():
            for _ in range(WARM_UP_RUNS):
                request()
            queries = _Counter()
            with connection.execute_wrapper(queries):
                request()
            cpu = []  # timed without the profiler, whose sampling costs CPU of its own
            for _ in range(runs):
                started = time.process_time()
                request()
                cpu.append((time.process_time() - started) * 1000)
            profiler = Profiler(interval=0.001)
            profiler.start()
            for _ in range(runs):
                request()
            profiler.stop()
            results[name] = {
                "cpu_ms": round(statistics.median(cpu), 2),
                "queries": queries.count,
                **_split(profiler.last_session, options["top"]),
            }
        database_info = {"vendor": db.vendor, "version": pages._version(db)}
    mix = [results[name]["cpu_ms"] for name in load.STAFF_FLOWS]  # the staff pages it profiles
    mix_cpu = round(statistics.mean(mix), 2)
    return {
        "area": "profile",
        "database": database_info,
        "children": loaded.counts.children,
        "households": loaded.counts.households,
        "runs": runs,
        "flows": results,
        "mix_cpu_ms": mix_cpu,
        "floor_cpu_ms": results["floor"]["cpu_ms"],
        "ratio_to_floor": floor.ratio(mix_cpu, results["floor"]["cpu_ms"]),
    }


def render(result: dict[str, Any]) -> str:
    db = result["database"]
    names = [name for name, _ in LAYERS] + ["other"]
    lines = [
        f"Database: {db['vendor']} {db['version']}; {result['children']} children, {result['households']} households; "
        f"{result['runs']} profiled requests per flow (median CPU ms of this process)",
        "",
    ]
    header = ("Flow", "CPU ms", "Queries", *names)
    rows = [
        (name, f"{f['cpu_ms']:.1f}", str(f["queries"]), *(f"{f['layers'].get(n, 0):.0f}%" for n in names))
        for name, f in result["flows"].items()
    ]
    lines += table(header, rows)
    lines += [
        "",
        f"Mix: {result['mix_cpu_ms']} ms CPU per request; floor {result['floor_cpu_ms']} ms; "
        f"ratio {result['ratio_to_floor']}x",
    ]
    for name, f in result["flows"].items():
        lines += ["", f"{name}: heaviest frames (cumulative share of the flow's samples)"]
        lines += [f"  {t['percent']:5.1f}%  {t['frame']}" for t in f["top"]]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------


class _Counter:
    """Counts the statements one request sends (an execute wrapper: works with DEBUG off)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _family_finder(loaded):
    finders = [u for u in loaded.staff if u.has_role(Role.FAMILY_FINDER) and u.is_active]
    for user in finders:
        if children_for(user, "change").exists():
            return user
    raise RuntimeError("No family finder who may change a child was generated")


def _csrf_checked(signed_in: Client) -> Client:
    """The signed-in client's cookies on a client that checks CSRF tokens, as a browser's posts are."""
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    client.cookies = signed_in.cookies
    return client


def _flows(client: Client, pk: int) -> dict[str, Any]:
    def get(path: str, status: int = 200):
        def request():
            response = client.get(path)
            if response.status_code != status:
                raise RuntimeError(f"GET {path} answered {response.status_code}")
            return response

        return request

    edit = f"/children/{pk}/edit/"
    # The form's fields are read once; each save then posts the next version, as the page would give.
    fields = [(n, v) for n, v in load._edit_fields(get(edit)().content.decode()) if n != "birth_father_name"]
    saves = iter(range(10**9))

    def save():
        n = next(saves)
        data: dict[str, list[str]] = {"birth_father_name": [f"Profile {n}"]}
        for name, value in fields:
            data.setdefault(name, []).append(str(int(value) + n) if name == "version" else value)
        response = client.post(edit, data)
        if response.status_code != 302 or "/edit/" in response.get("Location", ""):
            raise RuntimeError(f"POST {edit} answered {response.status_code}")

    return {
        "children_list": get("/children/"),
        "search": get(f"/children/?q=C-{pk:06d}"),
        "child_detail": get(f"/children/{pk}/"),
        "edit_form": get(edit),
        "edit_save": save,
        "shortlist": get(f"/children/{pk}/matching/"),
        "floor": get(floor.FLOOR_PATH),
    }


# Frames every request passes through (the middleware chain, class-based views' plumbing): their
# cumulative time is the whole request, so they name nothing.
_WRAPPERS = frozenset({"__call__", "inner", "view", "dispatch", "get", "post", "_view_wrapper", "render_to_response"})


def _layer(path: str) -> str | None:
    path = path.replace("\\", "/")
    for name, needles in LAYERS:
        if any(n in path for n in needles):
            return name
    return None


def _split(session, top: int) -> dict[str, Any]:
    """The share of the samples in each layer, and the heaviest frames of the service's own code."""
    root = session.root_frame()
    if root is None:
        return {"layers": {}, "top": []}
    shares: dict[str, float] = {}
    heaviest: dict[str, float] = {}

    def walk(frame, layer: str | None, in_form: bool):
        if frame.is_synthetic:
            return  # its time is in its parent's total_self_time already
        path = frame.file_path or ""
        here = _layer(path)
        if here == "forms/widgets":
            in_form = True
        if here is not None:
            layer = "forms/widgets" if (here == "templates" and in_form) else here
        key = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        counted = "openraa/" in path and "benchmarks/" not in path and frame.function not in _WRAPPERS
        if counted and key not in stack:  # a recursive call is in its caller's time already
            heaviest[key] = heaviest.get(key, 0.0) + frame.time
        own = frame.total_self_time
        if own:
            shares[layer or "other"] = shares.get(layer or "other", 0.0) + own
        stack.append(key)
        for child in frame.children:
            walk(child, layer, in_form)
        stack.pop()

    stack: list[str] = []
    walk(root, None, False)
    total = root.time or 1.0
    ranked = sorted(heaviest.items(), key=lambda kv: -kv[1])
    return {
        "layers": {k: round(100 * v / total, 1) for k, v in shares.items()},
        "top": [{"frame": k, "percent": round(100 * v / total, 1)} for k, v in ranked[:top]],
    }
