"""`bench load`'s public and adopters' mix: reported per group beside the staff's."""

from openraa.benchmarks import load


def test_the_load_bench_reports_p95_and_errors_per_group_of_users():
    measured = {
        "timings": {"children_list": [10.0, 20.0], "front_door": [5.0, 400.0], "adopter_home": [30.0]},
        "errors": {"front_door": 1},
        "samples": ["GET /adopt/: 500"],
        "elapsed": 1.0,
        "server_cpu": None,
        "floor_cpu": None,
        "server_log": [],
    }
    loaded = type("Loaded", (), {"counts": type("Counts", (), {"children": 1, "households": 1})()})()
    database = {"vendor": "postgresql", "version": "15"}
    result = load._summary(measured, 1.0, 2, 0.0, 3, 2, 0.0, database, loaded, public=1, adopters=1)

    assert result["groups"]["staff"]["requests"] == 2 and result["groups"]["staff"]["errors"] == 0
    assert result["groups"]["public"] == {**result["groups"]["public"], "requests": 2, "errors": 1, "p95_ms": 400.0}
    assert result["groups"]["adopters"]["p95_ms"] == 30.0
    assert not result["within_target"]  # one error anywhere misses the target
    text = load.render(result)
    assert "public (all)" in text and "2 staff, 1 public and 1 adopters" in text
