"""Money as the councils' papers describe it (issue 19): each test quotes the sentence of the paper
it holds OpenRAA to, and failed before the change it proves."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from openraa.finance import payaward, selectors, services
from openraa.finance.loading import load_demo_actuals, load_year_one
from openraa.finance.models import BudgetLine, Contribution, Cost, FinancialYear, Recharge
from tests import builders
from tests.finance.test_finance import bkm, council, year  # noqa: F401  (the paper's 2019-20 budget)

D = Decimal


@pytest.fixture
def year_one(year):
    return load_year_one().year


def test_an_outside_placement_is_paid_from_the_agencys_interagency_budget(year_one, client_for):
    """Kent, 10 January 2020: "Existing budgets for interagency placements will be transferred to the
    RAA in Year 1", and "interagency fees will be abolished between the three partner authorities for
    new adopters assessed and approved by the RAA from Year 1"."""
    line = year_one.lines.get(purpose=BudgetLine.Purpose.INTERAGENCY)
    assert line.pooled and sum(c.amount for c in line.contributions.all()) == D("432000.00")
    child = builders.child(year_one.agency, "Kent")
    entry = services.record_external_placement(year_one.agency, child, "council_or_agency", "Essex", date(2020, 11, 2))
    # Charged to the agency's interagency line, as a cost the monitoring counts against it...
    assert entry.cost.line == line and entry.cost.amount == entry.amount == D("27000.00")
    assert entry.cost.status == Cost.Status.COMMITTED
    services.mark_fee_paid(entry, date(2020, 11, 30))
    entry.cost.refresh_from_db()
    assert entry.cost.status == Cost.Status.PAID
    monitored = selectors.monitoring_for(year_one, 12)
    assert next(r for r in monitored.lines if r.line == line).direct == D("27000.00")
    # ...and never billed to Kent on top of its contribution.
    report = selectors.council_report(year_one, council("Kent"), 12, with_fees=True)
    assert report.fee_total == D("27000.00")
    assert report.net == report.contribution_total + report.variance_total - report.compensation
    # Within the partnership there is no fee to record at all.
    with pytest.raises(ValidationError, match="within the partnership"):
        services.record_external_placement(year_one.agency, child, "agency", "Own adopters", date(2020, 12, 1))


def test_year_one_is_the_2019_20_budget_plus_the_pay_award(year_one):
    """Kent, 10 January 2020: "each LA will contribute it's 2019-20 adoption budget plus additional
    budget for the 2020-21 pay award"."""
    assert year_one.label == "2020-21"
    kent = Contribution.objects.get(line__year=year_one, line__name="Adoption support", council=council("Kent"))
    assert kent.base == D("1004800.00") and kent.amount == kent.base + kent.pay_award
    out = io.StringIO()
    call_command("budget", agency="bkm", year="2020-21", json=True, stdout=out)
    document = json.loads(out.getvalue())
    assert document["base_year"] == "2019-20"
    # Kent's whole 2019-20 budget, £2,955.9k, plus a synthetic 2.75% pay award.
    assert document["rolled_forward_totals"]["Kent"] == {
        "base": "2955900.00",
        "pay_award": "81287.25",
        "contribution": "3037187.25",
    }
    assert document["pay_awards"]["Kent"]["percent"] == "2.750"
    assert document["interagency_line"]["total"] == "432000.00"
    # The 2019-20 table itself is untouched: still the paper's, to the pound.
    out = io.StringIO()
    call_command("budget", agency="bkm", year="2019-20", json=True, stdout=out)
    paper = json.loads(out.getvalue())
    assert paper["total"]["computed"] == "4186400.00" and paper["before_the_agency"] is True


def test_changing_a_pay_award_changes_the_contributions_it_was_added_to(year_one):
    """Kent, 10 January 2020: the year-1 budget "is based on 2019-20 budgets only and will be updated
    to include 2020-21 pay award"."""
    medway = council("Medway")
    services.set_pay_award(year_one, medway, amount=D("10000.00"), source="Medway's 2020-21 pay award")
    rows = Contribution.objects.filter(line__year=year_one, council=medway, base__isnull=False)
    assert sum(r.pay_award for r in rows) == D("10000.00")
    assert sum(r.amount for r in rows) == D("665800.00") + D("10000.00")
    assert all(r.history.count() >= 2 for r in rows)  # the change keeps its history


def test_nothing_is_spent_in_2019_20_before_the_agency_existed(year):
    """Kent, 10 January 2020: "The RAA plans to 'Go Live' from October 2020, with a phased
    implementation from 1st April 2020." 2019-20 is each council's budget to be transferred."""
    assert year.before_the_agency
    assert "before the agency began" in load_demo_actuals(year)
    assert not Recharge.objects.exists() and not Cost.objects.exists()
    pooled = year.lines.get(part="pooled")
    with pytest.raises(ValidationError, match="The agency began on 01/04/2020"):
        services.save(Cost(year=year, line=pooled, incurred_on=date(2019, 7, 1), amount=D("1.00"), description="x"))
    with pytest.raises(ValidationError, match="The agency began"):
        services.save(Recharge(year=year, council=council("Kent"), quarter=1, line=pooled, amount=D("1.00")))


def test_the_demo_books_its_actuals_in_year_one_only(bkm):
    """Kent, 10 January 2020: "The RAA plans to 'Go Live' from October 2020, with a phased
    implementation from 1st April 2020"."""
    call_command("load_bkm_budget", "--demo-actuals", stdout=io.StringIO())
    assert not Cost.objects.filter(year__start_year=2019).exists()
    assert not Recharge.objects.filter(year__start_year=2019).exists()
    first = FinancialYear.objects.get(agency=bkm, start_year=2020)
    assert Recharge.objects.filter(year=first).exists() and Cost.objects.filter(year=first).exists()
    assert not Cost.objects.filter(line__purpose=BudgetLine.Purpose.INTERAGENCY).exists()
    assert "SYNTHETIC" in first.note


# --------------------------------------------------------------------------------------------
# The roll forward without a database
# --------------------------------------------------------------------------------------------


def test_a_percentage_award_is_rounded_once_and_split_by_each_lines_base():
    lines = [
        payaward.Line("Pooled", "pooled", {"A": D("399900.00"), "B": D("0.01")}),
        payaward.Line("Support", "per_council", {"A": D("164800.00")}),
    ]
    result = payaward.roll_forward(lines, {"A": payaward.Award(percent=D("2.75"))})
    assert result.awards["A"] == D("15529.25")  # 2.75% of 564,700.00, once
    assert sum(line.award["A"] for line in result.lines) == D("15529.25")
    assert result.total("A") == D("580229.25")
    assert result.lines[0].amounts["B"] == D("0.01") and result.notes == ("No pay award recorded for B: none added",)
    with pytest.raises(ValueError):
        payaward.Award(percent=D("1"), amount=D("1.00"))
    with pytest.raises(ValueError):
        payaward.Award()


def test_the_support_budget_page_shows_the_budgets_finance_holds(year, client_for):  # 2019-20
    """Kent, 10 January 2020: "The Adoption Support budget will also be transferred to the RAA from
    Year 1 but each Local Authorities budget will remain separately managed under the RAA". One
    figure: the finance table's line held per council is what /support/budget/ shows."""
    from openraa.people.roles import Role

    client = client_for(builders.user(Role.FINANCE_OFFICER, year.agency, employer="Kent"))
    page = client.get("/support/budget/?year=2019-20")
    assert page.status_code == 200
    rows = {c.name: p.budget for c, p in page.context["rows"]}
    assert rows == {"Bexley": D("164800.00"), "Kent": D("1004800.00"), "Medway": D("113800.00")}
    assert page.context["total"].budget == D("1283400.00")
    assert "the one figure" in page.content.decode()
    # Setting it on the support pages would make a second figure: refused with where to change it.
    from openraa.common.years import FinancialYear as Period
    from openraa.support import services as support

    with pytest.raises(ValidationError, match="Finance holds 2019-20's adoption support budgets"):
        support.set_budget(year.agency, council("Kent"), Period(2019), D("1.00"), by=None)


# --------------------------------------------------------------------------------------------
# Set-up costs and grants
# --------------------------------------------------------------------------------------------


def test_aims_set_up_costs_are_shared_for_two_years_and_only_sefton_is_named():
    """Liverpool, Knowsley, Sefton and Wirral (AIM), 5.2: "the cost of this is £0.155m in total for
    all four Local Authorities ... Sefton's contribution is £0.031m ... these additional costs will
    be need to be met for the first two years of operation"."""
    from openraa.finance.grants import SetUpCost

    cost = SetUpCost(D("155000.00"), 2018, 2, {"Sefton": D("31000.00")})
    assert cost.year_labels == ("2018-19", "2019-20")
    assert cost.for_year(2019) == {"Sefton": D("31000.00")} and cost.for_year(2020) == {"Sefton": D("0.00")}
    assert cost.unallocated == D("124000.00")  # the other three councils' shares: not in the paper
    with pytest.raises(ValueError, match="more than the cost"):
        SetUpCost(D("155000.00"), 2018, 2, {"Sefton": D("31000.00"), "Knowsley": D("130000.00")})


def test_a_grant_broken_or_unspent_is_at_risk_of_clawback():
    """D2N2 (Derby): "the risk of Government sanctions in relation to financial claw back of the
    project funding already received by the region"; North Midlands: the transformation grant "will
    be available until 2020"."""
    from openraa.finance.grants import CONDITIONS_BROKEN, IN_USE, UNSPENT_AT_END, grant_position

    until = date(2020, 3, 31)
    assert grant_position(D("500000.00"), D("200000.00"), date(2019, 6, 1), until).status == IN_USE
    late = grant_position(D("500000.00"), D("450000.00"), date(2020, 6, 1), until)
    assert (late.status, late.at_risk) == (UNSPENT_AT_END, D("50000.00"))
    broken = grant_position(D("500000.00"), D("500000.00"), date(2019, 6, 1), until, conditions_met=False)
    assert (broken.status, broken.at_risk) == (CONDITIONS_BROKEN, D("500000.00"))
    with pytest.raises(ValueError):
        grant_position(D("1.00"), D("2.00"), date(2019, 6, 1))


def test_the_grants_page_shows_set_up_costs_and_grants_to_the_board(bkm, client_for):
    from openraa.finance.models import Grant, SetUpCost, SetUpShare
    from openraa.people.roles import Role

    cost = services.save(
        SetUpCost(agency=bkm, description="IT, premises, head of service", first_year=2020, total_a_year=D("100000.00"))
    )
    services.save(SetUpShare(cost=cost, council=council("Kent"), amount=D("60000.00")))
    with pytest.raises(ValidationError, match="more than the cost"):
        services.save(SetUpShare(cost=cost, council=council("Medway"), amount=D("50000.00")))
    services.save(
        Grant(
            agency=bkm,
            kind="start_up",
            amount=D("300000.00"),
            spent=D("100000.00"),
            awarded_on=date(2019, 4, 1),
            available_until=date(2021, 3, 31),
        )
    )
    html = client_for(builders.user(Role.BOARD_MEMBER, bkm, employer="Kent")).get("/finance/grants/").content.decode()
    assert "£40,000.00" in html and "2020-21 and 2021-22" in html  # unallocated; the two years
    assert "£200,000.00 unspent may be clawed back" in html
    officer = client_for(builders.user(Role.FINANCE_OFFICER, bkm, employer="Kent"))
    data = {
        "kind": "transformation",
        "grantor": "Department for Education",
        "amount": "1000.00",
        "spent": "2000.00",
        "awarded_on_0": "1",
        "awarded_on_1": "4",
        "awarded_on_2": "2019",
    }
    assert "More cannot be spent than the grant" in officer.post("/finance/grants/new/", data).content.decode()
    assert Grant.objects.count() == 1


def test_the_demo_loads_aims_set_up_costs_as_the_paper_gives_them(db):
    """Sefton, 1 February 2018, 5.2: "the cost of this is £0.155m in total for all four Local
    Authorities ... Sefton's contribution is £0.031m"."""
    from openraa.finance.loading import load_set_up_and_grants
    from openraa.finance.models import SetUpCost

    aim = builders.agency("aim", councils=("Knowsley", "Liverpool", "Sefton", "Wirral"))
    assert "1 set-up costs and grants" in load_set_up_and_grants(aim)
    cost = SetUpCost.objects.get(agency=aim).as_cost()
    assert (cost.total_a_year, cost.year_labels, cost.unallocated) == (
        D("155000.00"),
        ("2018-19", "2019-20"),
        D("124000.00"),
    )
    assert "already" in load_set_up_and_grants(aim)


# --------------------------------------------------------------------------------------------
# A permanence partnership's formula
# --------------------------------------------------------------------------------------------


def test_a_permanence_partnership_shares_by_its_own_plans_and_no_council_pays_for_anothers_children(aim):
    """Shropshire, 20 March 2019, 6.1.2: "permanence functions will form part of the arrangement at
    different stages" (North Midlands: adoption, then long-term fostering, connected persons and
    special guardianship). The formula weighs those plans, each for the child's own council."""
    from openraa.finance.formula import Formula, contributions
    from openraa.permanence.models import Carer, PermanencePlan, PlanStep

    knowsley, liverpool = council("Knowsley"), council("Liverpool")
    for kind in ("special_guardianship", "connected_persons", "long_term_fostering"):
        child = builders.child(aim, "Knowsley")
        plan = PermanencePlan.objects.create(agency=aim, responsible_council=knowsley, child=child, kind=kind)
        PlanStep.objects.create(plan=plan, kind="agreed", occurred_on=date(2024, 6, 1))
    wrong = PlanStep.objects.create(plan=plan, kind="agreed", occurred_on=date(2024, 5, 1))
    PlanStep.objects.create(plan=plan, kind="agreed", occurred_on=date(2024, 6, 1), supersedes=wrong)
    Carer.objects.create(
        agency=aim,
        kind="special_guardian",
        home_council=liverpool,
        postcode_district="L1",
        names="Synthetic",
        approved_on=date(2024, 7, 1),
    )
    measures = ["fostering_plans", "connected_persons_plans", "special_guardianship_plans", "carers_approved"]
    counts = selectors.activity(aim, [2024], measures)
    assert counts[2024][knowsley.pk] == dict.fromkeys(measures[:3], 1)  # the correction counts once
    assert counts[2024][liverpool.pk] == {"carers_approved": 1}
    plans_only = Formula("Plans", {"special_guardianship_plans": 1, "fostering_plans": 1}, years_averaged=1)
    result = contributions(plans_only, D("1000.00"), [knowsley.pk, liverpool.pk], counts, 2025)
    assert result.amounts() == {knowsley.pk: D("1000.00"), liverpool.pk: D("0.00")}


def test_the_budget_page_shows_year_one_and_finance_sets_a_pay_award(year_one, client_for):
    """Kent, 10 January 2020: "each LA will contribute it's 2019-20 adoption budget plus additional
    budget for the 2020-21 pay award"."""
    from openraa.people.roles import Role

    board = client_for(builders.user(Role.BOARD_MEMBER, year_one.agency, employer="Kent"))
    html = board.get("/finance/?year=2020-21").content.decode()
    assert "Rolled forward from 2019-20, plus the pay award" in html and "£3,037,187.25" in html
    assert "Interagency placements: £432,000.00" in html
    assert "Before the agency began" in board.get("/finance/?year=2019-20").content.decode()
    officer = client_for(builders.user(Role.FINANCE_OFFICER, year_one.agency, employer="Kent"))
    bexley = council("Bexley")
    both = officer.post("/finance/2020-21/pay-award/", {"council": bexley.pk, "percent": "2", "amount": "5.00"})
    assert "not both" in both.content.decode()
    assert officer.post("/finance/2020-21/pay-award/", {"council": bexley.pk, "percent": "2"}).status_code == 302
    rows = Contribution.objects.filter(line__year=year_one, council=bexley, base__isnull=False)
    assert sum(r.pay_award for r in rows) == D("11294.00")  # 2% of £564,700.00


def test_fees_recorded_before_the_year_had_its_interagency_line_are_charged_when_it_is_added(year, client_for):
    """Kent, 10 January 2020: "Existing budgets for interagency placements will be transferred to the
    RAA in Year 1"."""
    from openraa.people.roles import Role

    first = services.roll_forward(year)[0]
    child = builders.child(first.agency, "Medway")
    entry = services.record_external_placement(first.agency, child, "council_or_agency", "Essex", date(2020, 9, 1))
    assert entry.cost is None  # no interagency line yet: recorded, waiting
    officer = client_for(builders.user(Role.FINANCE_OFFICER, first.agency, employer="Kent"))
    data = {"name": "Interagency placements", "part": "pooled", "purpose": "interagency"}
    assert officer.post("/finance/2020-21/lines/new/", data).status_code == 302
    entry.refresh_from_db()
    assert entry.cost.line.purpose == "interagency" and entry.cost.amount == entry.amount
    again = officer.post("/finance/2020-21/lines/new/", {**data, "name": "A second one"})
    assert again.status_code == 200 and BudgetLine.objects.filter(year=first, purpose="interagency").count() == 1
