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
    call_command("bench", "pages", "--json", "--children", "200", "--households", "200", "--runs", "2",
                 "--in-place", stdout=out)
    result = json.loads(out.getvalue())

    assert result["database"]["vendor"] in {"sqlite", "postgresql"}
    assert result["sizes"]["children"] == 200 and result["sizes"]["households"] == 200
    assert result["sizes"]["tenth_children"] < 200
    assert set(result["pages"]) == {"children_list", "child_detail", "households_list", "household_detail"}
    for page in result["pages"].values():
        assert page["median_ms"] > 0 and page["p95_ms"] >= page["median_ms"]
        assert isinstance(page["queries"], int) and page["queries"] > 0
        assert isinstance(page["within_target"], bool)
    assert result["target_ms"] == 300
    for name in ("children_list", "households_list"):
        counts = result["query_counts"][name]
        assert all(isinstance(counts[k], int) for k in ("full", "tenth", "single_row"))
    assert result["query_counts"]["equal"] is True, result["query_counts"]


def test_bench_lists_its_areas():
    from openraa.benchmarks.management.commands.bench import AREAS

    assert "pages" in AREAS
