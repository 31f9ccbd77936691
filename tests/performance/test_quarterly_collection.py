"""The quarterly data collection (ASGLB, then Coram-i): A10 in place of A1 on the child-level file,
and the counts tab (adoptions, adopters' enquiries and approvals, disruptions, special guardianship,
adoption support, complaints) with small numbers suppressed for a reader who may not see a
section's records in full."""

import csv
import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openraa.common.disclosure import EVERYONE, LOW, NOBODY, WITHHELD
from openraa.common.years import FinancialYear
from openraa.governance.models import Complaint, ComplaintStageEntry
from openraa.people.roles import Role
from openraa.performance import quarter_counts, returns
from openraa.performance import scorecard as sc
from openraa.performance.models import ExtractDownload
from openraa.performance.quarter_counts import Figure, Item
from openraa.permanence import services as permanence
from tests import builders
from tests.permanence.matrix_permanence import run_functions
from tests.support.matrix_support import agreed_case

Q1 = sc.financial_quarter(FinancialYear(2025), 1)  # April to June 2025
CODES = ("E08000011", "E08000012")


@given(
    st.lists(st.integers(min_value=0, max_value=30), min_size=2, max_size=2),
    st.lists(st.integers(min_value=0, max_value=30), min_size=2, max_size=2),
)
def test_a_section_the_reader_may_not_see_in_full_gives_no_small_number_away(first, second):
    figures = [
        Figure(Item("S", "first"), dict(zip(CODES, first))),
        Figure(Item("S", "second"), dict(zip(CODES, second))),
    ]
    exact = quarter_counts.table(figures, CODES, {"S": EVERYONE})
    assert [row[2:] for row in exact] == [[*first, sum(first)], [*second, sum(second)]]
    shown = quarter_counts.table(figures, CODES, {"S": NOBODY})
    for row, counts in zip(shown, (first, second)):
        cells = row[2:]
        for cell, n in zip(cells, (*counts, sum(counts))):
            assert cell in (n, LOW, WITHHELD)
            if 0 < n < 5:
                assert cell == LOW
        # No suppressed council can be worked out from the total less the other council.
        if LOW in cells[:2] or WITHHELD in cells[:2]:
            assert sum(1 for c in cells if c in (LOW, WITHHELD)) >= 2


def test_an_average_is_shown_only_when_the_children_behind_it_are():
    item = Item("Adoptions", "A10", average=True)
    rows = quarter_counts.table(
        [Figure(item, {"E08000011": 2, "E08000012": 6}, {"E08000011": 600, "E08000012": 2400})],
        CODES,
        {"Adoptions": NOBODY},
    )
    # 2 children in one council: withheld, and the other council with it; the total's average shows.
    assert rows[0][2:] == [WITHHELD, WITHHELD, round(3000 / 8)]
    exact = quarter_counts.table([Figure(item, {"E08000011": 2}, {"E08000011": 601})], CODES, {"Adoptions": EVERYONE})
    assert exact[0][2:] == [300, "", 300]  # 601 / 2 rounded; nobody adopted in the other council


@pytest.fixture
def quarter_region(aim):
    carers = builders.household(aim, "Knowsley", early_permanence=True)
    fostered = builders.child(
        aim,
        "Knowsley",
        entered_care_on=date(2023, 1, 10),
        household=carers,
        linked_on=date(2024, 11, 4),
        matching_panel_on=date(2024, 12, 2),
        matched_on=date(2024, 12, 9),
        placed_on=date(2025, 1, 6),
        adoption_order_on=date(2025, 5, 12),
        fostered_by_adopters_from=date(2023, 7, 3),
    )
    disrupted = builders.child(
        aim, "Liverpool", plan_ended_on=date(2025, 5, 2), plan_ended_reason="disruption", plan_ended_code="RD4"
    )
    enquirer = builders.household(
        aim,
        "Liverpool",
        approved=False,
        enquiry_on=date(2025, 4, 7),
        registration_of_interest_on=None,
        stage1_started_on=None,
        stage1_ended_on=None,
        stage2_started_on=None,
    )
    run_functions(aim)
    guardian_child = builders.child(aim, "Liverpool", should_be_placed_on=None, placement_order_on=None)
    plan = permanence.add_plan(guardian_child, "special_guardianship", date(2025, 4, 14), by=None)
    case = agreed_case(aim, builders.council("Knowsley"), received_on=date(2025, 5, 1))
    complaint = Complaint.objects.create(
        agency=aim, council=builders.council("Liverpool"), received_on=date(2025, 6, 2), about="Delay in the assessment"
    )
    ComplaintStageEntry.objects.create(complaint=complaint, stage="stage_1", started_on=date(2025, 6, 2))
    return {"fostered": fostered, "disrupted": disrupted, "enquirer": enquirer, "plan": plan, "case": case}


def _counts(extract) -> dict[tuple[str, str], list]:
    return {(row[0], row[1]): row[2:] for row in extract.rows}


@pytest.mark.django_db
def test_the_child_level_file_carries_a10_where_the_foster_placement_with_the_adopters_began(quarter_region, aim):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    extract = returns.children_extract(manager, Q1, include_sealed=True)
    headers = [c.header for c in extract.columns]
    assert not any(h.startswith("A1:") for h in headers)
    row = dict(zip(headers, extract.rows[extract.record_ids.index(quarter_region["fostered"].pk)]))
    assert row["Fostered by the adopters from (A10 stops here)"] == date(2023, 7, 3)
    # A1 would count to the placement (2025-01-06); A10 stops at the foster placement with the adopters.
    assert (
        row["A10: days from entering care to moving in with the adoptive family"]
        == (date(2023, 7, 3) - date(2023, 1, 10)).days
    )
    waiting = dict(zip(headers, extract.rows[extract.record_ids.index(quarter_region["disrupted"].pk)]))
    assert waiting["A10: days from entering care to moving in with the adoptive family"] is None


@pytest.mark.django_db
def test_the_counts_tab_holds_every_section_of_the_quarter(quarter_region, aim):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    counts = _counts(returns.counts_extract(manager, Q1))
    knowsley, liverpool, total = 0, 1, 2  # councils in name order, then the total
    assert counts[("Adoptions", "Adoption orders")][knowsley] == 1
    a10 = next(v for k, v in counts.items() if k[1].startswith("A10"))
    assert a10[knowsley] == (date(2023, 7, 3) - date(2023, 1, 10)).days and a10[liverpool] == ""
    assert counts[("Adoptions", "Disruptions before the adoption order")][liverpool] == 1
    assert counts[("Adopters", "Enquiries")][liverpool] == 1
    assert counts[("Adopters", "Approved (ADM decision)")][total] == 0
    assert counts[("Special guardianship", "Special guardianship plans agreed")][liverpool] == 1
    assert counts[("Special guardianship", "Plans open at the end of the quarter, no order yet")][total] == 1
    assert counts[("Adoption support", "Requests received")][knowsley] == 1
    assert counts[("Complaints", "Complaints received")][liverpool] == 1
    assert counts[("Complaints", "Open at the end of the quarter")][total] == 1
    # The next quarter: the plan still open, nothing received.
    later = _counts(returns.counts_extract(manager, sc.financial_quarter(FinancialYear(2025), 2)))
    assert later[("Complaints", "Complaints received")][total] == 0
    assert later[("Special guardianship", "Plans open at the end of the quarter, no order yet")][total] == 1


@pytest.mark.django_db
def test_a_section_outside_the_readers_grants_is_suppressed_as_the_board_sees_it(quarter_region, aim, monkeypatch):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    from openraa.people import policy

    real = policy.can
    monkeypatch.setattr(
        policy, "can", lambda user, resource, action: resource != "complaints" and real(user, resource, action)
    )
    counts = _counts(returns.counts_extract(manager, Q1))
    assert counts[("Complaints", "Complaints received")][1] == LOW  # the agency's one complaint, not shown
    assert counts[("Adoptions", "Adoption orders")][0] == 1  # the returns grant still sees its own exactly


@pytest.mark.django_db
def test_the_counts_download_is_audited_and_names_no_record(quarter_region, aim, client_for):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    client = client_for(manager)
    page = client.get("/performance/returns/?quarter=2025-04-01").content.decode()
    assert "Special guardianship plans agreed" in page and 'value="counts-xlsx"' in page
    response = client.post(
        "/performance/returns/", {"quarter": "2025-04-01", "understood": "on", "download": "counts-csv"}
    )
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][-1] == "Agency: Total" and any(r[1] == "Complaints received" for r in rows)
    for record in quarter_region.values():
        assert record.reference not in body
    download = ExtractDownload.objects.get()
    assert (download.extract, download.user, download.period) == ("counts", manager, Q1.label)
