"""`openraa bench pages`, small: the command runs, and list pages make as many queries for a
tenth of the rows, or one row, as for a full page (no N+1)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_bench_pages_reports_timings_and_query_counts():
    out = StringIO()
    # --in-place: the test database is already a throwaway one, rolled back after the test.
    call_command(
        "bench", "pages", "--json", "--children", "200", "--households", "200", "--runs", "2", "--in-place", stdout=out
    )
    result = json.loads(out.getvalue())

    assert result["database"]["vendor"] in {"sqlite", "postgresql"}
    assert result["sizes"]["children"] == 200 and result["sizes"]["households"] == 200
    assert result["sizes"]["tenth_children"] < 200
    assert set(result["pages"]) == {"children_list", "child_detail", "households_list", "household_detail"}
    for page in result["pages"].values():
        assert page["median_ms"] > 0 and page["p95_ms"] >= page["median_ms"]
        assert isinstance(page["queries"], int) and page["queries"] > 0
        assert isinstance(page["within_target"], bool)
    assert result["target_ms"] == 100
    regional = result["regional"]
    assert regional["units"] > 0 and regional["households"] > 0
    assert regional["first_ms"] > 0 and regional["p95_ms"] >= regional["median_ms"] > 0
    assert regional["within_target"] == (max(regional["first_ms"], regional["p95_ms"]) <= regional["target_ms"])
    for name in ("children_list", "households_list"):
        counts = result["query_counts"][name]
        assert all(isinstance(counts[k], int) for k in ("full", "tenth", "single_row"))
    assert result["query_counts"]["equal"] is True, result["query_counts"]


def test_bench_lists_its_areas():
    from openraa.benchmarks.management.commands.bench import AREAS

    assert "pages" in AREAS


@pytest.mark.django_db
def test_bench_reporting_imports_a_councils_six_years_in_order_and_times_each():
    out = StringIO()
    call_command(
        "bench", "reporting", "--json", "--episodes", "200", "--history-children", "24", "--in-place", stdout=out
    )
    history = json.loads(out.getvalue())["history"]

    assert [y["year"] for y in history["years"]] == ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
    assert history["episodes"] == sum(y["episodes"] for y in history["years"]) > history["children"] > 24
    assert sum(y["created"] for y in history["years"]) > 0
    assert all(y["seconds"] >= 0 for y in history["years"]) and history["episodes_per_second"] > 0
    # A child seen again in a later year is brought up to date or found unchanged, never added twice.
    assert sum(y["created"] for y in history["years"]) <= history["children"]


def test_the_load_bench_reports_the_mix_as_a_multiple_of_the_do_nothing_request():
    from openraa.benchmarks import floor, load

    assert floor.ratio(66.0, 6.6) == 10.0
    assert floor.ratio(64.69, 6.72) == 9.6
    assert floor.ratio(None, 6.6) is None and floor.ratio(66.0, None) is None and floor.ratio(66.0, 0) is None
    measured = {
        "timings": {"children_list": [10.0, 20.0], "edit_save": [30.0, 40.0]},
        "errors": {},
        "samples": [],
        "elapsed": 2.0,
        "server_cpu": 0.2,  # 200 ms over 4 requests: 50 ms each
        "floor_cpu": 0.005,  # 5 ms per do-nothing request
        "server_log": [],
    }
    loaded = type("Loaded", (), {"counts": type("Counts", (), {"children": 1, "households": 1})()})()
    result = load._summary(measured, 2.0, 1, 0.0, 1, 2, 0.0, {"vendor": "postgresql", "version": "15"}, loaded)

    assert result["server_cpu_ms_per_request"] == 50.0
    assert result["floor_cpu_ms_per_request"] == 5.0
    assert result["ratio_to_floor"] == 10.0
    assert "the mix costs 10.0x it" in load.render(result)


def test_the_load_bench_holds_each_load_to_its_own_target_and_reports_every_repeated_run():
    from openraa.benchmarks import load

    assert [load.target_p95_ms(users) for users in (1, 50, 51, 150, 400)] == [300, 300, 1_000, 1_000, 1_000]
    measured = {
        "timings": {"search": [100.0, 900.0]},
        "errors": {},
        "samples": [],
        "elapsed": 1.0,
        "server_cpu": 0.02,
        "database_cpu": 0.004,
        "client_cpu": 0.002,
        "floor_cpu": 0.002,
        "server_log": [],
    }
    loaded = type("Loaded", (), {"counts": type("Counts", (), {"children": 1, "households": 1})()})()
    database = {"vendor": "postgresql", "version": "15"}
    busy = load._summary(measured, 1.0, 150, 2.0, 5, 2, 0.0, database, loaded)
    quiet = load._summary(measured, 1.0, 50, 2.0, 5, 2, 0.0, database, loaded)
    assert busy["within_target"] and not quiet["within_target"]  # p95 900 ms: within 1 s, not 300 ms
    assert busy["database_cpu_ms_per_request"] == 2.0 and busy["client_cpu_ms_per_request"] == 1.0
    text = load.render({"area": "load", "runs": [busy, quiet], "within_target": False})
    assert "Run 1 of 2" in text and "Run 2 of 2" in text and "PostgreSQL 2.0 ms" in text
