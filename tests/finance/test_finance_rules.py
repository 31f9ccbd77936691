"""Monitoring, fees, go-live compensation, the support fund's limit and the recharge file's checks,
without a database."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openraa.common.years import FinancialYear
from openraa.finance import fees, monitoring, recharges, support_fund
from openraa.finance.monitoring import LineActuals, forecast_outturn

D = Decimal


# --------------------------------------------------------------------------------------------
# Monitoring
# --------------------------------------------------------------------------------------------


def test_forecast_is_run_rate_plus_commitments_with_staffing_a_quarter_behind():
    # Month 4: direct costs of 40,000 over 4 months; Q1 staffing 90,000 over 3 months; 5,000 committed.
    line = LineActuals(
        budget=D("480000.00"),
        direct=D("40000.00"),
        recharged=D("90000.00"),
        quarters_recharged=1,
        commitments=D("5000.00"),
    )
    result = forecast_outturn(line, 4)
    # 130,000 + 10,000 x 8 + 30,000 x 9 + 5,000
    assert result.actual == D("130000.00") and result.forecast == D("485000.00")
    assert result.variance == D("5000.00")  # overspend


def test_before_evidence_the_forecast_is_the_budget():
    line = LineActuals(budget=D("120000.00"), direct=D("1000.00"))
    assert forecast_outturn(line, 0).forecast == D("120000.00")
    assert forecast_outturn(line, 2).forecast == D("120000.00")  # first quarter's recharges not due yet
    assert forecast_outturn(LineActuals(budget=D("120000.00")), 6).forecast == D("120000.00")
    costly = LineActuals(budget=D("12000.00"), direct=D("8000.00"))
    assert forecast_outturn(costly, 2).forecast == D("48000.00")  # costs already point higher
    no_staff = forecast_outturn(LineActuals(budget=D("1200.00"), direct=D("300.00")), 3)
    assert no_staff.forecast == D("1200.00") and "No staffing" in no_staff.note


def test_the_forecast_is_rounded_once_to_the_penny():
    line = LineActuals(budget=D("100.00"), direct=D("10.00"), recharged=D("0.00"), quarters_recharged=1)
    assert forecast_outturn(line, 7).forecast == D("17.14")  # 10 + 10/7 x 5 = 17.142857...


def test_an_underspend_is_shared_by_the_rule_and_adds_up():
    shares = monitoring.share(D("-1000.00"), {"Bexley": D("399900"), "Kent": D("1951100"), "Medway": D("552000")})
    assert sum(shares.values()) == D("-1000.00")
    assert shares == {"Bexley": D("-137.75"), "Kent": D("-672.10"), "Medway": D("-190.15")}
    assert monitoring.share(D("0.00"), {"A": 1}) == {"A": D("0.00")}


# --------------------------------------------------------------------------------------------
# Fees
# --------------------------------------------------------------------------------------------

RATES = [
    fees.Rate(fees.COUNCIL_OR_AGENCY, 1, D("27000.00"), date(2011, 4, 1), None, D("0.10")),
    fees.Rate(fees.VOLUNTARY, 1, D("31620.00"), date(2019, 4, 1), date(2020, 3, 31)),
    fees.Rate(fees.VOLUNTARY, 1, D("39245.00"), date(2025, 4, 1), date(2026, 3, 31)),
    fees.Rate(fees.VOLUNTARY, 2, D("60000.00"), date(2025, 4, 1), date(2026, 3, 31)),
]


def test_fees_come_from_the_dated_table_for_the_day_the_child_moved_in():
    vaa = fees.fee_for(fees.Placement(fees.VOLUNTARY, date(2025, 6, 1)), RATES)
    assert vaa.amount == D("39245.00") and vaa.due_on == date(2025, 6, 1)
    assert fees.fee_for(fees.Placement(fees.VOLUNTARY, date(2019, 6, 1)), RATES).amount == D("31620.00")
    council = fees.fee_for(fees.Placement(fees.COUNCIL_OR_AGENCY, date(2025, 6, 1)), RATES)
    assert council.amount == D("27000.00")
    london = fees.fee_for(fees.Placement(fees.COUNCIL_OR_AGENCY, date(2025, 6, 1), provider_in_london=True), RATES)
    assert london.amount == D("29700.00") and "London" in london.explanation
    siblings = fees.fee_for(fees.Placement(fees.VOLUNTARY, date(2025, 6, 1), children=2), RATES)
    assert siblings.amount == D("60000.00")


def test_no_fee_between_partners_and_a_missing_rate_is_said_plainly():
    assert fees.fee_for(fees.Placement(fees.AGENCY, date(2025, 6, 1)), RATES).amount == 0
    assert fees.fee_for(fees.Placement(fees.PARTNER_BEFORE_GO_LIVE, date(2025, 6, 1)), RATES).amount == 0
    with pytest.raises(fees.NoRate, match="3 brothers and sisters placed together"):
        fees.fee_for(fees.Placement(fees.VOLUNTARY, date(2025, 6, 1), children=3), RATES)
    with pytest.raises(fees.NoRate, match="in force on 01/06/2022"):
        fees.fee_for(fees.Placement(fees.VOLUNTARY, date(2022, 6, 1)), RATES)


def test_an_agencys_own_rate_overrides_the_national_one_from_the_same_date():
    own = fees.Rate(fees.COUNCIL_OR_AGENCY, 1, D("25000.00"), date(2011, 4, 1), agency_specific=True)
    assert fees.fee_for(fees.Placement(fees.COUNCIL_OR_AGENCY, date(2025, 6, 1)), [*RATES, own]).amount == D("25000.00")


def test_go_live_compensation_pays_for_households_beyond_a_councils_share_and_adds_up_to_nothing():
    result = fees.go_live_compensation(D("27000.00"), {"Bexley": (2, 3), "Kent": (10, 6), "Medway": (0, 3)})
    # 12 households for 12 children: Kent brought 4 more than its children's share, Medway 3 fewer.
    assert result.amounts == {"Bexley": D("-27000.00"), "Kent": D("108000.00"), "Medway": D("-81000.00")}
    assert fees.go_live_compensation(D("27000.00"), {"A": (3, 0), "B": (1, 0)}).amounts == {"A": 0, "B": 0}


@given(
    rate=st.integers(0, 5_000_000).map(lambda p: D(p) / 100),
    brought=st.dictionaries(
        st.text(min_size=1, max_size=3), st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=8
    ),
)
def test_go_live_compensation_always_nets_to_nothing(rate, brought):
    result = fees.go_live_compensation(rate, brought)
    assert sum(result.amounts.values()) == 0
    assert set(result.amounts) == set(brought)


# --------------------------------------------------------------------------------------------
# Support fund
# --------------------------------------------------------------------------------------------

LIMITS = [
    support_fund.Limit(date(2017, 4, 1), assessment=D("2500.00"), therapy=D("5000.00")),
    support_fund.Limit(date(2025, 4, 1), assessment=D("2500.00"), total=D("3000.00")),
]


def apply(kind, amount, on, earlier=()):
    return support_fund.check(support_fund.Application(kind, D(amount), on), earlier, LIMITS, child="C-000001")


def test_from_april_2025_the_limit_is_3000_with_assessments_within_it():
    first = support_fund.Application(support_fund.ASSESSMENT, D("2500.00"), date(2025, 5, 1))
    assert apply(support_fund.ASSESSMENT, "2500.00", date(2025, 5, 1)).accepted
    refused = apply(support_fund.THERAPY, "600.00", date(2025, 9, 1), [first])
    assert not refused.accepted
    assert refused.errors == (
        "Refused: £600.00 would bring C-000001's applications in 2025-26 to £3,100.00, over the fair-access limit of "
        "£3,000.00 per child per year (specialist assessments count within it; there is no match funding). £500.00 is "
        "left for this child this year.",
    )
    assert apply(support_fund.THERAPY, "500.00", date(2025, 9, 1), [first]).left_total == D("0.00")
    assert not apply(support_fund.ASSESSMENT, "2600.00", date(2025, 5, 1)).accepted
    # A new financial year starts afresh.
    assert apply(support_fund.THERAPY, "3000.00", date(2026, 4, 1), [first]).accepted


def test_before_april_2025_therapy_and_assessment_had_their_own_limits():
    assessment = support_fund.Application(support_fund.ASSESSMENT, D("2500.00"), date(2024, 5, 1))
    assert apply(support_fund.THERAPY, "5000.00", date(2024, 6, 1), [assessment]).accepted
    refused = apply(support_fund.THERAPY, "5000.01", date(2024, 6, 1), [assessment])
    assert not refused.accepted and "over the fair-access limit of £5,000.00" in refused.errors[0]
    assert not apply(support_fund.ASSESSMENT, "1.00", date(2024, 6, 1), [assessment]).accepted


def test_nothing_and_no_limit_are_refused_with_reasons():
    assert apply(support_fund.THERAPY, "0.00", date(2025, 5, 1)).errors == ("Enter an amount more than £0.00",)
    assert "No fair-access limit" in apply(support_fund.THERAPY, "10.00", date(2016, 5, 1)).errors[0]


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([support_fund.THERAPY, support_fund.ASSESSMENT]),
            st.integers(1, 400_000),
            st.dates(date(2023, 4, 1), date(2027, 3, 31)),
        ),
        max_size=25,
    )
)
def test_accepted_applications_never_exceed_the_limit_in_any_year(requests):
    accepted: list[support_fund.Application] = []
    for kind, pennies, on in requests:
        application = support_fund.Application(kind, D(pennies) / 100, on)
        if support_fund.check(application, accepted, LIMITS).accepted:
            accepted.append(application)
    for year in {a.applied_on.year if a.applied_on.month >= 4 else a.applied_on.year - 1 for a in accepted}:
        same = [
            a for a in accepted if (a.applied_on.year if a.applied_on.month >= 4 else a.applied_on.year - 1) == year
        ]
        assessments = sum((a.amount for a in same if a.kind == support_fund.ASSESSMENT), D(0))
        therapy = sum((a.amount for a in same if a.kind == support_fund.THERAPY), D(0))
        assert assessments <= D("2500.00")
        if year >= 2025:
            assert assessments + therapy <= D("3000.00")
        else:
            assert therapy <= D("5000.00")


# --------------------------------------------------------------------------------------------
# The recharge file
# --------------------------------------------------------------------------------------------

MEMBERS = {"E09000004": "Bexley", "E10000016": "Kent", "E06000035": "Medway"}
LINES = ["Recruitment, adoption panels and management", "Adoption support"]


def check(text, already=()):
    return recharges.check(recharges.read(text), FinancialYear(2019), MEMBERS, LINES, already)


def test_good_rows_pass_in_each_quarter_form():
    result = check(
        "council,quarter,amount,line\n"
        'E09000004,1,"98,250.00",\n'
        "e10000016,Q2,512000,\n"
        "E06000035,2019-20 Q3,£120500.50,Adoption support\n"
        "E06000035,2019-12-31,1.00,\n"
    )
    assert result.refused == []
    assert [(r.council, r.quarter, r.amount, r.line) for r in result.accepted] == [
        ("E09000004", 1, D("98250.00"), LINES[0]),
        ("E10000016", 2, D("512000.00"), LINES[0]),
        ("E06000035", 3, D("120500.50"), LINES[1]),
        ("E06000035", 3, D("1.00"), LINES[0]),
    ]


def test_bad_rows_are_refused_row_by_row_with_reasons():
    result = check(
        "council,quarter,amount\n"
        "E09000999,1,100.00\n"  # row 2: unknown council
        "E09000004,5,100.00\n"  # row 3: quarter outside the year
        "E09000004,2020-21 Q1,100.00\n"  # row 4: another year's quarter
        "E10000016,1,-5.00\n"  # row 5: negative
        "E10000016,2,12.345\n"  # row 6: fractions of a penny
        "E06000035,2,lots\n"  # row 7: not money
        "E06000035,1,100.00\n"  # row 8: fine
        "E06000035,1,100.00\n"  # row 9: the same again
        "E06000035,2020-06-30,1.00\n"  # row 10: a date outside the year
        ",,\n"  # blank row: skipped
        "E09000999,0,-1\n",  # row 12: three reasons
        already={("E09000004", 4, LINES[0])},
    )
    assert [r.row for r in result.accepted] == [8]
    reasons = {r.row: r.reasons for r in result.refused}
    assert reasons[2] == ("Unknown council E09000999: not a member of the agency",)
    assert reasons[3] == ("Quarter 5 is outside the financial year 2019-20: give 1 to 4 (Q1 is April to June)",)
    assert reasons[4] == ("Quarter 2020-21 Q1 is outside the financial year 2019-20",)
    assert reasons[5] == ("Negative amount -5.00: a recharge is a cost the council has paid",)
    assert "more than two decimal places" in reasons[6][0]
    assert "not an amount of money" in reasons[7][0]
    assert "already recorded" in reasons[9][0]
    assert reasons[10] == ("30/06/2020 is outside the financial year 2019-20",)
    assert len(reasons[12]) == 3
    assert 11 not in reasons


def test_a_file_without_the_columns_is_refused_whole():
    result = check("ons,amount\nE09000004,100\n")
    assert result.accepted == [] and "missing: quarter" in result.refused[0].reasons[0]
    assert check("").refused[0].reasons[0].startswith("The file is empty")
