"""Finance with the database: the Bexley, Kent and Medway 2019-20 budget from the fixture on the page
and in `openraa budget`, recharge imports refused row by row, who may see and change what, the
support fund's refusal, fees, go-live compensation, activity from the record, monitoring, reports."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from openraa.finance import selectors, services
from openraa.finance.loading import load_budget_paper
from openraa.finance.models import (
    BudgetLine,
    Contribution,
    Cost,
    FeeRate,
    FinancialYear,
    FundingFormula,
    InteragencyFee,
    Recharge,
    SharingRule,
    StatedTotal,
    SupportFundApplication,
)
from openraa.partnership.models import Agency, Council, Membership
from openraa.people.roles import Role, scope_of
from tests import builders

D = Decimal
BKM_COUNCILS = (
    ("Bexley", "E09000004", "London"),
    ("Kent", "E10000016", "South East"),
    ("Medway", "E06000035", "South East"),
)


def council(name: str) -> Council:
    return Council.objects.get(name=name)


@pytest.fixture
def bkm(db, monkeypatch):
    # The shared builders know the Merseyside councils by name; teach them these three.
    for name, ons, _ in BKM_COUNCILS:
        monkeypatch.setitem(builders.COUNCILS, name, ons)
    councils = [Council.objects.create(name=name, ons_code=ons, region=region) for name, ons, region in BKM_COUNCILS]
    agency = Agency.objects.create(
        code="bkm",
        name="Bexley, Kent and Medway",
        governance_model=Agency.Governance.PARTNERSHIP,
    )
    for member in councils:
        Membership.objects.create(agency=agency, council=member, joined_on=date(2020, 4, 1))
    load_budget_paper()
    return agency


@pytest.fixture
def year(bkm):
    return FinancialYear.objects.get(agency=bkm, start_year=2019)


@pytest.fixture
def live(year):
    """2020-21, year 1, rolled forward from the 2019-20 budgets to be transferred: the first year the
    agency spends (costs and recharges are refused before it began, 1 April 2020)."""
    return services.roll_forward(year)[0]


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_the_fee_tables_and_limits_are_dated_rows_loaded_with_the_database(db):
    vaa = FeeRate.objects.get(agency__isnull=True, kind="voluntary", effective_from=date(2025, 4, 1))
    assert vaa.amount == D("39245.00") and vaa.children == 1
    council = FeeRate.objects.get(agency__isnull=True, kind="council_or_agency")
    assert council.amount == D("27000.00") and council.london_weighting_percent == D("10.00")
    assert "added" in run("load_finance_tables") and FeeRate.objects.filter(agency__isnull=True).count() == 4


# --------------------------------------------------------------------------------------------
# The BKM budget
# --------------------------------------------------------------------------------------------


def test_the_bkm_budget_loads_as_printed(bkm, year):
    assert [
        (c.line.name, c.council.name, c.amount)
        for c in Contribution.objects.filter(line__year=year).order_by("line__position", "council__name")
    ] == [
        ("Recruitment, adoption panels and management", "Bexley", D("399900.00")),
        ("Recruitment, adoption panels and management", "Kent", D("1951100.00")),
        ("Recruitment, adoption panels and management", "Medway", D("552000.00")),
        ("Adoption support", "Bexley", D("164800.00")),
        ("Adoption support", "Kent", D("1004800.00")),
        ("Adoption support", "Medway", D("113800.00")),
    ]
    assert [line.part for line in year.lines.all()] == [BudgetLine.Part.POOLED, BudgetLine.Part.PER_COUNCIL]
    assert StatedTotal.objects.filter(year=year).count() == 6
    assert SharingRule.objects.get(year=year).rule == SharingRule.Rule.BOARD
    assert set(FundingFormula.objects.filter(agency=bkm).values_list("name", flat=True)) == {
        "Placement orders",
        "Adoptions",
    }
    assert not load_budget_paper().created  # loading again changes nothing
    assert Contribution.objects.filter(line__year=year).count() == 6


def test_openraa_budget_prints_computed_totals_and_the_stated_ones_that_differ(bkm):
    text = run("budget", agency="bkm", year="2020")  # the year ending in 2020
    assert "Bexley, Kent and Medway (bkm): budget 2019-20" in text
    assert "564,700.00" in text and "564,800.00" in text and "4,186,400.00" in text and "4,186,500.00" in text
    assert (
        "- Bexley (all lines): the lines add up to £564,700.00; stated £564,800.00 (-£100.00, within the paper's "
        "rounding to £100.00)"
    ) in text
    assert "- Total budget: the lines add up to £4,186,400.00; stated £4,186,500.00" in text
    assert "Kent (all lines)" not in text  # Kent's figures add up


def test_openraa_budget_json(bkm):
    document = json.loads(run("budget", agency="bkm", year="2019-20", json=True))
    assert document["year"] == "2019-20" and document["currency"] == "GBP"
    assert document["ons_codes"] == {"Bexley": "E09000004", "Kent": "E10000016", "Medway": "E06000035"}
    assert document["lines"][0]["contributions"] == {"Bexley": "399900.00", "Kent": "1951100.00", "Medway": "552000.00"}
    assert document["council_totals"]["Bexley"] == {
        "computed": "564700.00",
        "stated": "564800.00",
        "difference": "-100.00",
        "within_rounding": True,
    }
    assert document["total"]["computed"] == "4186400.00" and document["total"]["stated"] == "4186500.00"
    assert [d["what"] for d in document["differences"]] == ["Bexley (all lines)", "Total budget"]


def test_openraa_budget_refuses_an_unknown_agency_or_year(bkm):
    with pytest.raises(CommandError, match="No agency"):
        run("budget", agency="nope", year="2020")
    with pytest.raises(CommandError, match="no budget for 2020-21"):
        run("budget", agency="bkm", year="2020-21")
    with pytest.raises(CommandError, match="no budget for 2018-19"):  # a bare year is the year ending in it
        run("budget", agency="bkm", year="2019")
    with pytest.raises(CommandError, match="not a financial year"):
        run("budget", agency="bkm", year="last year")


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.BOARD_MEMBER])
def test_the_budget_page_shows_the_table_and_where_stated_totals_differ(bkm, client_for, role):
    page = client_for(builders.user(role, bkm, employer="Kent")).get("/finance/?year=2019-20")
    assert page.status_code == 200
    html = page.content.decode()
    for figure in (
        "£399,900.00",
        "£1,004,800.00",
        "£564,700.00",
        "£564,800.00",
        "£4,186,400.00",
        "£4,186,500.00",
        "-£100.00",
        "Some stated totals differ",
        "within the paper's rounding to £100.00",
    ):
        assert figure in html, figure
    assert ("Add a budget line" in html) == (role == Role.FINANCE_OFFICER)


def test_a_year_is_named_by_its_label_or_the_year_it_ends_on_every_finance_page(year, client_for):
    client = client_for(builders.user(Role.FINANCE_OFFICER, year.agency, employer="Kent"))
    assert client.get("/finance/?year=2020").context["year"] == year  # the year ending in 2020: 2019-20
    assert client.get("/finance/?year=2019").status_code == 404  # 2018-19: no budget
    assert client.get("/finance/2019-20/lines/new/").status_code == 200
    assert client.get("/finance/2019-21/lines/new/").status_code == 404
    html = client.get("/finance/?year=2019-20").content.decode()
    assert "/finance/2019-20/lines/new/" in html and 'value="2019-20"' in html
    # Adding a year: "2027" is 2026-27, so "2026-27" is then refused as a year already budgeted.
    assert client.post("/finance/years/new/", {"year": "2027", "note": ""}).status_code == 302
    assert FinancialYear.objects.filter(agency=year.agency, start_year=2026).exists()
    refused = client.post("/finance/years/new/", {"year": "2026-27", "note": ""})
    assert refused.context["form"].errors["year"] == ["2026-27 already has a budget"]
    refused = client.post("/finance/years/new/", {"year": "2026-28", "note": ""})
    assert "not a financial year" in refused.context["form"].errors["year"][0]
    assert FinancialYear.objects.filter(agency=year.agency).count() == 2


def test_a_formula_moves_from_historic_budgets_from_a_year_given_by_its_label(bkm, client_for):
    client = client_for(builders.user(Role.FINANCE_OFFICER, bkm, employer="Kent"))
    data = {
        "name": "Moving",
        "weight_placement_orders": "1",
        "weight_adoption_orders": "0",
        "weight_children_referred": "0",
        "weight_households_approved": "0",
        "years_averaged": "1",
        "transition_first_year": "2021",
        "transition_years": "2",
    }
    assert client.post("/finance/formula/new/", data).status_code == 302
    formula = FundingFormula.objects.get(name="Moving")
    assert formula.transition_first_year == 2020  # the year ending in 2021 starts in 2020
    assert formula.formula().describe().endswith("over 2 years from 2020-21")
    wrong = client.post("/finance/formula/new/", {**data, "name": "Wrong", "transition_first_year": "20-21"})
    assert "not a financial year" in wrong.context["form"].errors["transition_first_year"][0]


# --------------------------------------------------------------------------------------------
# Recharges
# --------------------------------------------------------------------------------------------

GOOD_AND_BAD = (
    "council,quarter,amount\n"
    "E09000004,1,70000.00\n"
    'E10000016,1,"340,000.00"\n'
    "E09000999,1,100.00\n"
    "E06000035,7,100.00\n"
    "E06000035,1,-20.00\n"
    "E06000035,2021-22 Q1,20.00\n"
    "E06000035,1,96000.00\n"
)


def test_import_recharges_records_good_rows_and_refuses_bad_ones_row_by_row(live, tmp_path):
    path = tmp_path / "recharges.csv"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="4 rows refused"):
        call_command("import_recharges", str(path), agency="bkm", year="2020-21", stdout=out)
    text = out.getvalue()
    assert "Row 2: recorded Bexley Q1 2020-21, Recruitment, adoption panels and management: £70,000.00" in text
    assert "Row 4: refused: Unknown council E09000999: not a member of the agency" in text
    assert "Row 5: refused: Quarter 7 is outside the financial year 2020-21" in text
    assert "Row 6: refused: Negative amount -20.00" in text
    assert "Row 7: refused: Quarter 2021-22 Q1 is outside the financial year 2020-21" in text
    assert "3 recorded, 4 refused." in text
    assert sorted(Recharge.objects.values_list("council__name", "amount")) == [
        ("Bexley", D("70000.00")),
        ("Kent", D("340000.00")),
        ("Medway", D("96000.00")),
    ]
    recharge = Recharge.objects.get(council__name="Kent")
    assert recharge.source == "recharges.csv, row 3" and recharge.history.count() == 1
    # The same file again records nothing twice.
    with pytest.raises(CommandError):
        call_command("import_recharges", str(path), agency="bkm", year="2021", stdout=io.StringIO())  # 2020-21
    assert Recharge.objects.count() == 3


def test_a_clean_file_imports_without_error_and_an_unknown_year_is_refused(live, tmp_path):
    path = tmp_path / "q2.csv"
    path.write_text("council,quarter,amount,line\nE09000004,2,1.00,Adoption support\n", encoding="utf-8")
    assert "1 recorded, 0 refused." in run("import_recharges", str(path), agency="bkm", year="2020-21")
    assert Recharge.objects.get().line.name == "Adoption support"
    with pytest.raises(CommandError, match="no budget for 2024-25"):
        run("import_recharges", str(path), agency="bkm", year="2025")  # the year ending in 2025
    with pytest.raises(CommandError, match="not a financial year"):
        run("import_recharges", str(path), agency="bkm", year="2019-21")


def test_the_recharge_upload_page_reports_each_row(live, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(builders.user(Role.FINANCE_OFFICER, live.agency, employer="Kent"))
    upload = SimpleUploadedFile("q1.csv", GOOD_AND_BAD.encode("utf-8"), content_type="text/csv")
    page = client.post("/finance/2020-21/recharges/", {"file": upload})
    assert page.status_code == 200
    html = page.content.decode()
    assert "4 rows refused" in html and "Row 4: Unknown council E09000999" in html and "3 rows recorded" in html
    assert Recharge.objects.count() == 3
    latin = SimpleUploadedFile("bad.csv", "council,quarter,amount\nE09000004,1,£5\n".encode("latin-1"))
    page = client.post("/finance/2020-21/recharges/", {"file": latin})
    assert "The file must be a CSV saved as UTF-8 text" in page.content.decode()


# --------------------------------------------------------------------------------------------
# Who may see and change what
# --------------------------------------------------------------------------------------------

AGGREGATE_PAGES = [
    "/finance/",
    "/finance/?year=2019-20",
    "/finance/monitoring/?year=2019-20",
    "/finance/formula/",
    "/finance/councils/?year=2019-20",
    "/finance/councils/E09000004/?year=2019-20",
    "/finance/grants/",
]
FINANCE_PAGES = [
    ("/finance/fees/", "view"),
    ("/finance/support-fund/", "view"),
    ("/finance/councils/E09000004/report.xlsx?year=2019-20", "view"),
    ("/finance/councils/E09000004/report.pdf?year=2019-20", "view"),
    ("/finance/years/new/", "add"),
    ("/finance/2019-20/lines/new/", "add"),
    ("/finance/2019-20/contributions/", "change"),
    ("/finance/2019-20/pay-award/", "change"),
    ("/finance/2019-20/stated-totals/new/", "add"),
    ("/finance/2019-20/costs/new/", "add"),
    ("/finance/2019-20/support-fund-income/new/", "add"),
    ("/finance/2019-20/sharing/", "change"),
    ("/finance/2019-20/recharges/", "add"),
    ("/finance/formula/new/", "add"),
    ("/finance/fees/placements/new/", "add"),
    ("/finance/fees/rates/new/", "add"),
    ("/finance/fees/compensation/new/", "add"),
    ("/finance/support-fund/new/", "add"),
    ("/finance/grants/new/", "add"),
]


@pytest.mark.parametrize("role", list(Role))
def test_finance_pages_obey_the_policy(bkm, client_for, role):
    client = client_for(builders.user(role, bkm, employer="Kent"))
    for url in AGGREGATE_PAGES:
        assert client.get(url).status_code == 200, (role, url)
    for url, action in FINANCE_PAGES:
        expected = 200 if scope_of(role, "finance", action) else 403
        assert client.get(url).status_code == expected, (role, url)


def test_the_finance_grants_are_as_declared():
    assert scope_of(Role.FINANCE_OFFICER, "finance", "change") and scope_of(Role.ADMINISTRATOR, "finance", "add")
    assert scope_of(Role.TEAM_MANAGER, "finance", "view") and not scope_of(Role.TEAM_MANAGER, "finance", "add")
    for role in (Role.BOARD_MEMBER, Role.SOCIAL_WORKER, Role.FAMILY_FINDER, Role.ADM):
        assert scope_of(role, "finance", "view") is None
    assert scope_of(Role.BOARD_MEMBER, "aggregates", "view")


def test_another_agencys_year_and_councils_are_not_found(bkm, aim, client_for):
    client = client_for(builders.user(Role.FINANCE_OFFICER, aim))
    assert client.get("/finance/2019-20/costs/new/").status_code == 404
    assert client.get("/finance/?year=2019-20").status_code == 404
    assert client.get("/finance/councils/E09000004/").status_code == 404
    page = client.get("/finance/")
    assert page.status_code == 200 and "No budget is recorded" in page.content.decode()


def test_board_members_see_totals_but_never_a_child(bkm, client_for):
    later = FinancialYear.objects.create(agency=bkm, start_year=2025)
    line = BudgetLine.objects.create(year=later, name="Pooled", part="pooled")
    Contribution.objects.create(line=line, council=council("Kent"), amount=D("1000000.00"))
    child = builders.child(bkm, "Kent")
    services.record_external_placement(bkm, child, "voluntary", "Coram", date(2025, 6, 2))
    board = client_for(builders.user(Role.BOARD_MEMBER, bkm, employer="Kent"))
    summary = board.get("/finance/councils/?year=2025-26").content.decode()
    # The total and the count of placements, nothing more; a count under 5 of a council's children is
    # not shown to the board (common/disclosure.py).
    assert "£39,245.00 (&lt;5)" in summary
    kent = board.get("/finance/councils/E10000016/?year=2025-26")
    assert kent.status_code == 200 and "Interagency fees" in kent.content.decode()
    for html in (summary, kent.content.decode()):
        assert child.reference not in html and child.first_name not in html
    assert board.get("/finance/councils/E10000016/report.xlsx?year=2025-26").status_code == 403
    officer = client_for(builders.user(Role.FINANCE_OFFICER, bkm, employer="Kent"))
    assert child.reference in officer.get("/finance/councils/E10000016/?year=2025-26").content.decode()
    fees_page = officer.get("/finance/fees/?year=2025-26").content.decode()
    assert child.reference in fees_page and child.first_name not in fees_page


# --------------------------------------------------------------------------------------------
# Budget changes keep history; forms refuse bad input
# --------------------------------------------------------------------------------------------


def date_fields(name: str, value: date) -> dict[str, str]:
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def test_setting_a_contribution_keeps_its_history(year, client_for):
    client = client_for(builders.user(Role.FINANCE_OFFICER, year.agency, employer="Kent"))
    line = year.lines.get(name="Adoption support")
    bexley = council("Bexley")
    response = client.post(
        "/finance/2019-20/contributions/", {"line": line.pk, "council": bexley.pk, "amount": "164900.00"}
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get(line=line, council=bexley)
    assert contribution.amount == D("164900.00")
    latest = contribution.history.first()
    assert latest.changes == {"amount": ["164800.00", "164900.00"]} and latest.history_user.roles == [
        Role.FINANCE_OFFICER
    ]
    refused = client.post(
        "/finance/2019-20/contributions/", {"line": line.pk, "council": bexley.pk, "amount": "10.001"}
    )
    assert refused.status_code == 200 and "no more than two decimal places" in refused.content.decode()


def test_a_cost_outside_the_year_or_without_its_councils_part_is_refused(live, client_for):
    client = client_for(builders.user(Role.FINANCE_OFFICER, live.agency, employer="Kent"))
    support = live.lines.get(name="Adoption support")
    data = {
        "line": support.pk,
        "amount": "250.00",
        "description": "Training",
        "status": "paid",
        **date_fields("incurred_on", date(2021, 4, 1)),
    }
    html = client.post("/finance/2020-21/costs/new/", data).content.decode()
    assert "The date must be within 2020-21" in html and "Choose whose part of the line" in html
    assert Cost.objects.count() == 0
    data.update(council=council("Medway").pk, **date_fields("incurred_on", date(2020, 7, 1)))
    assert client.post("/finance/2020-21/costs/new/", data).status_code == 302
    assert Cost.objects.get().council.name == "Medway"


def test_a_board_decision_needs_shares_that_add_up_to_100(year, client_for):
    client = client_for(builders.user(Role.FINANCE_OFFICER, year.agency, employer="Kent"))
    data = {
        "rule": "board",
        "decision_reference": "Board minute 12/2020",
        **date_fields("decided_on", date(2020, 5, 1)),
        "share_E09000004": "20",
        "share_E10000016": "60",
        "share_E06000035": "10",
    }
    html = client.post("/finance/2019-20/sharing/", data).content.decode()
    assert "the shares add up to 100" in html
    data["share_E06000035"] = "20"
    assert client.post("/finance/2019-20/sharing/", data).status_code == 302
    rule = SharingRule.objects.get(year=year)
    assert rule.board_shares == {"E09000004": "20", "E10000016": "60", "E06000035": "20"}
    assert rule.history.count() == 2


# --------------------------------------------------------------------------------------------
# Monitoring and what each council pays
# --------------------------------------------------------------------------------------------


def test_monitoring_forecasts_each_line_and_shares_the_pooled_variance(year):
    pooled = year.lines.get(part="pooled")
    support = year.lines.get(part="per_council")
    kent, bexley, medway = (council(n) for n in ("Kent", "Bexley", "Medway"))
    for member, amount in ((kent, "350000.00"), (bexley, "70000.00"), (medway, "100000.00")):
        Recharge.objects.create(year=year, council=member, quarter=1, line=pooled, amount=D(amount))
    Cost.objects.create(
        year=year, line=pooled, incurred_on=date(2019, 5, 10), amount=D("80000.00"), description="Panels"
    )
    Cost.objects.create(year=year, line=pooled, incurred_on=date(2019, 7, 2), amount=D("9000.00"), description="Later")
    Cost.objects.create(
        year=year,
        line=pooled,
        incurred_on=date(2019, 8, 1),
        amount=D("12000.00"),
        status=Cost.Status.COMMITTED,
        description="Campaign",
    )
    Cost.objects.create(
        year=year,
        line=support,
        council=bexley,
        incurred_on=date(2019, 6, 30),
        amount=D("45000.00"),
        description="Therapy",
    )
    Cost.objects.create(
        year=year,
        line=support,
        council=bexley,
        incurred_on=date(2019, 6, 30),
        amount=D("3000.00"),
        description="ASF therapy",
        asf_funded=True,
    )
    found = selectors.monitoring_for(year, 3)
    pooled_row = next(r for r in found.lines if r.council is None)
    # 520,000 recharged for Q1 + 80,000 direct (the July cost is after month 3); then x4 + commitments.
    assert pooled_row.forecast.actual == D("600000.00")
    assert pooled_row.forecast.forecast == D("2412000.00")
    assert pooled_row.forecast.variance == D("-491000.00")
    bexley_row = next(r for r in found.lines if r.council == bexley)
    assert bexley_row.forecast.forecast == D("180000.00") and bexley_row.forecast.variance == D("15200.00")
    assert sum(s.pooled_share for s in found.shares) == D("-491000.00")
    assert "not yet decided" in found.notes[0]
    bexley_share = next(s for s in found.shares if s.council == bexley)
    assert bexley_share.own_lines == D("15200.00")
    assert [(r.council.name, r.costs, r.income) for r in found.support_fund] == [("Bexley", D("3000.00"), D("0"))]

    SharingRule.objects.filter(year=year).update(
        decided_on=date(2020, 5, 1),
        decision_reference="Minute 4",
        board_shares={"E09000004": "50", "E10000016": "25", "E06000035": "25"},
    )
    decided = selectors.monitoring_for(year, 3)
    assert next(s for s in decided.shares if s.council == bexley).pooled_share == D("-245500.00")
    assert "Minute 4" in decided.rule_text


def test_what_a_council_pays_and_why_on_the_page_and_in_xlsx_and_pdf(year, client_for):
    from openpyxl import load_workbook

    pooled = year.lines.get(part="pooled")
    bexley = council("Bexley")
    Recharge.objects.create(year=year, council=bexley, quarter=1, line=pooled, amount=D("70000.00"))
    client = client_for(builders.user(Role.FINANCE_OFFICER, year.agency, employer="Kent"))
    html = client.get("/finance/councils/E09000004/?year=2019-20").content.decode()
    assert "What Bexley pays and why, 2019-20" in html and "£399,900.00" in html and "-£70,000.00" in html
    xlsx = client.get("/finance/councils/E09000004/report.xlsx?year=2019-20")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["What you pay"].iter_rows(values_only=True))
    assert rows[0][0] == "What Bexley pays and why: Bexley, Kent and Medway, 2019-20"
    assert ("Contribution: Recruitment, adoption panels and management", 399900, "Pooled budget line") in rows
    assert book["What you pay"]["B5"].number_format == '"£"#,##0.00;-"£"#,##0.00'
    assert set(book.sheetnames) == {
        "What you pay",
        "Contributions",
        "Recharges",
        "Interagency fees",
        "Over- and underspend",
    }
    pdf = client.get("/finance/councils/E09000004/report.pdf?year=2019-20")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    summary = client.get("/finance/councils/?year=2019-20").content.decode()
    assert "£564,700.00" in summary and "£494,700.00" in summary  # contributions, less recharges repaid
    transfer_rows = list(book["What you pay"].iter_rows(values_only=True))
    assert ("Net transfer", 494700, "Contributions less the recharges repaid to the council") in transfer_rows


# --------------------------------------------------------------------------------------------
# Fees, compensation and the support fund
# --------------------------------------------------------------------------------------------


def test_a_placement_outside_the_partnership_costs_the_fee_in_force_and_the_responsible_council_pays(bkm, client_for):
    child = builders.child(bkm, "Medway")
    client = client_for(builders.user(Role.FINANCE_OFFICER, bkm, employer="Kent"))
    data = {
        "child": child.reference,
        "provider_kind": "voluntary",
        "provider_name": "A voluntary agency",
        "children_placed": "1",
        **date_fields("placed_on", date(2025, 6, 2)),
    }
    assert client.post("/finance/fees/placements/new/", data).status_code == 302
    entry = InteragencyFee.objects.get()
    assert (entry.amount, entry.payer.name, entry.due_on) == (D("39245.00"), "Medway", date(2025, 6, 2))
    london = builders.child(bkm, "Bexley")
    services.record_external_placement(
        bkm, london, "council_or_agency", "A London borough", date(2024, 1, 5), provider_in_london=True
    )
    assert InteragencyFee.objects.get(child=london).amount == D("29700.00")
    gap = {**data, "child": builders.child(bkm, "Kent").reference, **date_fields("placed_on", date(2022, 6, 2))}
    html = client.post("/finance/fees/placements/new/", gap).content.decode()
    assert "No voluntary adoption agency fee for one child is in force on 02/06/2022" in html
    stranger = builders.child(builders.agency("aim", councils=("Knowsley",)), "Knowsley")
    html = client.post("/finance/fees/placements/new/", {**data, "child": stranger.reference}).content.decode()
    assert f"No child with the reference {stranger.reference} in this agency" in html
    assert InteragencyFee.objects.count() == 2


def test_go_live_compensation_counts_what_each_council_brought_and_nets_to_nothing(bkm):
    builders.household(bkm, "Kent")  # approved 15 Sep 2022, waiting
    builders.household(bkm, "Kent")
    builders.household(bkm, "Bexley")
    builders.household(bkm, "Medway", approved=False)  # not approved: not counted
    builders.child(bkm, "Medway")  # should be placed 1 Jun 2023: waiting at go-live
    builders.child(bkm, "Kent")
    builders.child(bkm, "Medway", should_be_placed_on=date(2023, 8, 1), placement_order_on=None)  # after go-live
    compensation = services.record_go_live_compensation(
        bkm, date(2023, 7, 1), D("27000.00"), date(2023, 7, 10), "Min 3"
    )
    lines = {
        line.council.name: (line.households_brought, line.children_brought, line.amount)
        for line in compensation.lines.all()
    }
    # 3 households for 2 children: each child's council "uses" 1.5 households.
    assert lines == {"Kent": (2, 1, D("13500.00")), "Bexley": (1, 0, D("27000.00")), "Medway": (0, 1, D("-40500.00"))}
    assert sum(amount for _, _, amount in lines.values()) == 0


def test_support_fund_applications_over_the_limit_are_refused_with_a_message(bkm, client_for):
    child = builders.child(bkm, "Kent")
    client = client_for(builders.user(Role.FINANCE_OFFICER, bkm, employer="Kent"))
    data = {
        "child": child.reference,
        "kind": "assessment",
        "amount": "2500.00",
        "provider": "Clinic",
        **date_fields("applied_on", date(2025, 5, 1)),
    }
    assert client.post("/finance/support-fund/new/", data).status_code == 302
    over = client.post("/finance/support-fund/new/", {**data, "kind": "therapy", "amount": "750.00"})
    assert over.status_code == 200
    html = over.content.decode()
    assert "There is a problem" in html
    assert (
        f"Refused: £750.00 would bring {child.reference}&#x27;s applications in 2025-26 to £3,250.00, over the "
        "fair-access limit of £3,000.00 per child per year"
    ) in html
    assert "£500.00 is left for this child this year" in html
    assert SupportFundApplication.objects.count() == 1
    assert client.post("/finance/support-fund/new/", {**data, "kind": "therapy", "amount": "500.00"}).status_code == 302
    application = SupportFundApplication.objects.latest("id")
    assert application.financial_year == 2025 and application.history.count() == 1
    assert child.first_name not in client.get("/finance/support-fund/").content.decode()


# --------------------------------------------------------------------------------------------
# Activity from the record and the formula scenario
# --------------------------------------------------------------------------------------------


def test_activity_counts_children_by_responsible_council_and_households_by_home_council(bkm):
    builders.child(bkm, "Kent", family_finding_referral_on=date(2023, 9, 10))
    builders.child(bkm, "Kent")
    builders.child(bkm, "Medway", placement_order_on=date(2024, 2, 1))
    builders.household(bkm, "Bexley", approved_on=date(2023, 5, 1))
    kent, medway, bexley = (council(n).pk for n in ("Kent", "Medway", "Bexley"))
    counts = selectors.activity(bkm, [2022, 2023])
    assert counts[2023][kent] == {"placement_orders": 2, "children_referred": 1}
    assert counts[2023][medway] == {"placement_orders": 1}
    assert counts[2023][bexley] == {"households_approved": 1}
    assert bexley not in counts[2022]


def test_the_scenario_compares_two_formulas_and_charges_no_council_for_others_children(bkm, year, client_for):
    for _ in range(3):
        builders.child(bkm, "Kent", adoption_order_on=None)
    builders.child(bkm, "Medway")
    placement_orders = FundingFormula.objects.get(agency=bkm, name="Placement orders")
    adoptions = FundingFormula.objects.get(agency=bkm, name="Adoptions")
    found = selectors.scenario(bkm, 2024, D("2903000.00"), placement_orders, adoptions)
    by_name = {row.council.name: row for row in found.rows}
    assert by_name["Bexley"].first == D("0.00")  # no children of its own: pays nothing under the formula
    assert by_name["Kent"].first == D("2177250.00") and by_name["Medway"].first == D("725750.00")
    assert found.first.total == D("2903000.00") and found.second.total == D("2903000.00")
    # No adoption orders in the record: formula B falls back to historic shares, and says so.
    assert by_name["Bexley"].second == D("399900.00") and found.second.notes
    html = (
        client_for(builders.user(Role.BOARD_MEMBER, bkm, employer="Kent"))
        .get(f"/finance/formula/?first={placement_orders.pk}&second={adoptions.pk}&year=2024-25&budget=2903000.00")
        .content.decode()
    )
    assert "A: Placement orders" in html and "B: Adoptions" in html and "£2,177,250.00" in html


def test_a_formula_added_on_the_page_keeps_history_and_the_board_agreement_has_a_date(bkm, client_for):
    client = client_for(builders.user(Role.FINANCE_OFFICER, bkm, employer="Kent"))
    data = {
        "name": "Blend",
        "weight_placement_orders": "2",
        "weight_adoption_orders": "1",
        "weight_children_referred": "0",
        "weight_households_approved": "0",
        "years_averaged": "3",
        "cap_percent": "10",
        "transition_years": "1",
    }
    assert client.post("/finance/formula/new/", data).status_code == 302
    formula = FundingFormula.objects.get(name="Blend")
    assert formula.formula().describe().startswith("Placement orders 67%, Adoption orders 33%")
    none = client.post(
        "/finance/formula/new/",
        {**data, "name": "Nothing", "weight_placement_orders": "0", "weight_adoption_orders": "0"},
    )
    assert "Weight at least one measure" in none.content.decode()
    response = client.post(
        f"/finance/formula/{formula.pk}/agree/",
        {**date_fields("agreed_on", date(2024, 3, 1)), "agreed_reference": "Executive Board minute 7"},
    )
    assert response.status_code == 302
    formula.refresh_from_db()
    assert formula.agreed_on == date(2024, 3, 1) and formula.history.count() == 2


def test_load_bkm_budget_needs_the_agency(db):
    with pytest.raises(CommandError, match="No agency with the code 'bkm'"):
        run("load_bkm_budget")


def test_load_bkm_budget_can_add_synthetic_actuals_for_the_demo(year):
    text = run("load_bkm_budget", demo_actuals=True)
    assert "already loaded: skipped" in text and "synthetic" in text
    assert not Recharge.objects.filter(year=year).exists()  # 2019-20: budgets to be transferred
    first = FinancialYear.objects.get(agency=year.agency, start_year=2020)
    assert Recharge.objects.filter(year=first).count() == 12  # three councils, four quarters
    assert "already has actuals" in run("load_bkm_budget", demo_actuals=True)
    year_end = selectors.monitoring_for(first, 12)
    for row in year_end.lines:
        assert row.forecast.forecast == row.forecast.actual  # nothing left to forecast at the year end
    assert sum(s.total for s in year_end.shares) == sum(row.forecast.variance for row in year_end.lines)
