"""Money rules without a database: Decimal only, one rounding, shares that add up to the penny, the
financial year, and the budget table that keeps a paper's lines and shows where its totals differ."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openraa.finance import budget
from openraa.finance.money import MoneyError, apportion, money, pounds, thousands, to_penny

D = Decimal


def test_money_is_decimal_and_never_a_float():
    assert money("1,234.50") == D("1234.50") and isinstance(money("£12"), Decimal)
    assert money(7) == D("7.00")
    assert money("(100.00)") == D("-100.00")
    with pytest.raises(MoneyError, match="never a float"):
        money(0.1)
    with pytest.raises(MoneyError, match="more than two decimal places"):
        money("10.005")
    with pytest.raises(MoneyError, match="not an amount of money"):
        money("ten pounds")
    with pytest.raises(MoneyError):
        to_penny(0.5)


def test_rounding_is_half_up_to_the_penny_once():
    assert to_penny(D("0.005")) == D("0.01")
    assert to_penny(D("2.675")) == D("2.68")  # a float would give 2.67
    assert to_penny(D("-0.005")) == D("-0.01")
    assert to_penny(Fraction(1, 3)) == D("0.33") and to_penny(Fraction(2, 3)) == D("0.67")
    assert to_penny(Fraction(1, 200)) == D("0.01")


def test_a_papers_thousands_become_pounds_exactly():
    assert thousands(D("399.9")) == D("399900.00")
    assert thousands(D("1951.1")) == D("1951100.00")
    assert pounds(D("-100")) == "-£100.00" and pounds(D("4186400")) == "£4,186,400.00"
    assert pounds(D("100"), sign=True) == "+£100.00"


def test_apportion_splits_by_largest_remainder_and_adds_up():
    assert apportion(D("100.00"), {"a": 1, "b": 1, "c": 1}) == {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}
    assert apportion(D("-100.00"), {"a": 1, "b": 1, "c": 1}) == {"a": D("-33.34"), "b": D("-33.33"), "c": D("-33.33")}
    assert apportion(D("10.00"), {"a": 0, "b": 3}) == {"a": D("0.00"), "b": D("10.00")}
    with pytest.raises(MoneyError):
        apportion(D("10.00"), {"a": 0, "b": 0})
    with pytest.raises(MoneyError):
        apportion(D("10.001"), {"a": 1})
    with pytest.raises(MoneyError):
        apportion(D("10.00"), {"a": -1, "b": 2})


pennies = st.integers(min_value=-(10**11), max_value=10**11)
weights = st.dictionaries(
    st.text(min_size=1, max_size=3), st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12
).filter(lambda w: sum(w.values()) > 0)


@given(total=pennies, weights=weights)
def test_apportioned_shares_always_add_up_to_the_penny_and_are_within_a_penny(total, weights):
    amount = D(total) / 100
    shares = apportion(amount, weights)
    assert sum(shares.values()) == amount
    whole = sum(weights.values())
    for key, share in shares.items():
        exact = Fraction(total, 100) * weights[key] / whole
        assert abs(Fraction(share) - exact) < Fraction(1, 100)
        assert share == share.quantize(D("0.01"))
        if weights[key] == 0:
            assert share == 0


BKM = ["Bexley", "Kent", "Medway"]


def bkm_table() -> budget.Table:
    k = thousands
    lines = [
        budget.Line(
            "Recruitment, adoption panels and management",
            budget.POOLED,
            {"Bexley": k(D("399.9")), "Kent": k(D("1951.1")), "Medway": k(D("552.0"))},
        ),
        budget.Line(
            "Adoption support",
            budget.PER_COUNCIL,
            {"Bexley": k(D("164.8")), "Kent": k(D("1004.8")), "Medway": k(D("113.8"))},
        ),
    ]
    hundred = D("100")
    stated = [
        budget.Stated("Recruitment, adoption panels and management", None, k(D("2903.0")), hundred),
        budget.Stated("Adoption support", None, k(D("1283.4")), hundred),
        budget.Stated(None, "Bexley", k(D("564.8")), hundred),
        budget.Stated(None, "Kent", k(D("2955.9")), hundred),
        budget.Stated(None, "Medway", k(D("665.8")), hundred),
        budget.Stated(None, None, k(D("4186.5")), hundred),
    ]
    return budget.tabulate(BKM, lines, stated)


def test_the_bkm_table_keeps_the_lines_computes_its_own_totals_and_shows_the_differences():
    table = bkm_table()
    assert [t.computed for t in table.council_totals] == [D("564700.00"), D("2955900.00"), D("665800.00")]
    assert table.grand_total.computed == D("4186400.00")
    assert table.grand_total.stated == D("4186500.00") and table.grand_total.difference == D("-100.00")
    bexley = table.council_totals[0]
    assert bexley.stated == D("564800.00") and bexley.difference == D("-100.00") and bexley.within_rounding
    assert [row.total.difference for row in table.rows] == [D("0.00"), D("0.00")]
    assert table.part_totals == {budget.POOLED: D("2903000.00"), budget.PER_COUNCIL: D("1283400.00")}
    assert [d.label for d in table.differences] == ["Bexley (all lines)", "Total budget"]
    document = table.as_dict()
    assert document["total"] == {
        "computed": "4186400.00",
        "stated": "4186500.00",
        "difference": "-100.00",
        "within_rounding": True,
    }


def test_a_difference_larger_than_rounding_could_explain_is_not_called_rounding():
    table = budget.tabulate(
        ["A", "B"],
        [budget.Line("Line", budget.POOLED, {"A": D("1000"), "B": D("2000")})],
        [budget.Stated(None, None, D("3500"), D("100"))],
    )
    assert table.grand_total.difference == D("-500") and not table.grand_total.within_rounding
