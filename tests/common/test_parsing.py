"""The shared reading of typed input (common/parsing.py): no text makes it raise, only ASCII digits
are read, and every value is bounded. No database."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openraa.common import parsing, years

OTHER_DIGITS = ["²", "٣", "߅", "०", "๓", "１", "①", "Ⅻ"]
anything = st.one_of(
    st.text(),
    st.none(),
    st.integers(),
    st.booleans(),
    st.floats(),
    st.lists(st.text()),
    st.dictionaries(st.text(), st.text()),
    st.decimals(),
)


@given(anything)
def test_no_input_makes_a_parser_raise(value):
    parsing.whole_number(value)
    parsing.record_id(value)
    for prefix in parsing.REFERENCE_PREFIXES:
        parsing.reference(value, prefix)
    parsing.iso_date(value)
    parsing.date_from_parts(value, value, value)
    parsing.year(value)
    years.parse(value)


@pytest.mark.parametrize("digit", OTHER_DIGITS)
def test_digits_of_other_scripts_are_not_numbers(digit):
    assert digit.isdigit() or digit.isnumeric()  # what fooled the pages before
    for text in (digit, f"1{digit}", f"{digit}1"):
        assert parsing.whole_number(text) is None
        assert parsing.record_id(text) is None
        assert parsing.year(text) is None
        assert years.parse(text) is None
        assert parsing.date_from_parts(text, "1", "2020") is None
        for prefix in parsing.REFERENCE_PREFIXES:
            assert parsing.reference(f"{prefix}-{text}", prefix) is None


@pytest.mark.parametrize(
    "text, prefix, key",
    [
        ("C-000123", "C", 123),
        ("c-123", "C", 123),
        ("C123", "C", 123),
        (" 123 ", "C", 123),
        ("H-000001", "H", 1),
        ("G-00042", "G", 42),
        ("S-000007", "S", 7),
        ("CR-000009", "CR", 9),
        ("P-000010", "P", 10),
        ("CP-00003", "CP", 3),
        ("H-000123", "C", None),
        ("C-", "C", None),
        ("C-0", "C", None),
        ("C--1", "C", None),
        ("C-1.5", "C", None),
        ("C-" + "9" * 19, "C", None),
        ("C-" + "1" * 50, "C", None),
        ("Alex", "C", None),
        ("", "C", None),
    ],
)
def test_a_reference_names_a_key_of_its_own_kind(text, prefix, key):
    assert parsing.reference(text, prefix) == key


def test_a_bare_number_is_a_reference_only_where_allowed_and_an_unknown_prefix_is_a_mistake():
    assert parsing.reference("123", "C", bare=False) is None
    assert parsing.reference("C-123", "C", bare=False) == 123
    with pytest.raises(ValueError):
        parsing.reference("X-1", "X")


@given(st.integers(min_value=1, max_value=parsing.MAX_ID), st.sampled_from(sorted(parsing.REFERENCE_PREFIXES)))
def test_every_reference_a_record_shows_reads_back_as_its_key(key, prefix):
    assert parsing.reference(f"{prefix}-{key:06d}", prefix) == key


@pytest.mark.parametrize(
    "text, value",
    [
        ("2024-03-31", date(2024, 3, 31)),
        ("2024-3-1", date(2024, 3, 1)),
        ("2023-02-29", None),
        ("1899-12-31", None),
        ("2101-01-01", None),
        ("10000-01-01", None),
        ("2024-²-01", None),
        ("31/03/2024", None),
    ],
)
def test_iso_dates_are_real_and_in_range(text, value):
    assert parsing.iso_date(text) == value


def test_date_boxes_need_a_four_digit_year_and_a_real_day():
    assert parsing.date_from_parts("1", "2", "2020") == date(2020, 2, 1)
    assert parsing.date_from_parts("01", "02", "0999") == date(999, 2, 1)  # refused later, with its reason
    for day, month, year in (
        ("31", "2", "2023"),
        ("1", "1", "23"),
        ("1", "1", "99999"),
        ("", "1", "2020"),
        ("001", "1", "2020"),
        ("1", "13", "2020"),
    ):
        assert parsing.date_from_parts(day, month, year) is None


@pytest.mark.parametrize(
    "text, start",
    [
        ("2020", 2019),
        ("2019-20", 2019),
        ("2019/20", 2019),
        ("2019 - 2020", 2019),
        ("2099-00", 2099),
        ("2019-21", None),
        ("2019-2021", None),
        ("9999-00", None),
        ("9999", None),
        ("1990", None),
        ("20", None),
        ("٢٠١٩", None),
        ("2019-²⁰", None),
    ],
)
def test_financial_years_are_named_by_their_label_or_the_year_they_end_and_bounded(text, start):
    assert years.parse(text) == (None if start is None else years.FinancialYear(start))


def test_whole_numbers_keep_to_their_range():
    assert parsing.whole_number("12", 1, 12) == 12
    assert parsing.whole_number("13", 1, 12) is None
    assert parsing.whole_number("-0") == 0
    assert parsing.whole_number(True) is None
    assert parsing.year("2025") == 2025 and parsing.year("3000") is None and parsing.year("25") is None
