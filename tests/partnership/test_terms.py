"""Dated terms (partnership/terms.py): who holds a post on a day, and what a change from a day does."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from openraa.partnership.terms import Term, change_from, holder_on

KNOWSLEY, WIRRAL = "Knowsley", "Wirral"


def test_a_change_ends_the_running_term_the_day_before_and_past_days_keep_the_old_holder():
    held = [Term(KNOWSLEY, date(2017, 3, 1))]
    change, refusals = change_from(held, WIRRAL, date(2022, 4, 1), "host council")
    assert refusals == []
    assert change.ended == held[0] and change.ends_on == date(2022, 3, 31)
    assert change.starts == Term(WIRRAL, date(2022, 4, 1))
    after = [Term(KNOWSLEY, date(2017, 3, 1), change.ends_on), change.starts]
    assert holder_on(after, date(2022, 3, 31)) == KNOWSLEY
    assert holder_on(after, date(2022, 4, 1)) == WIRRAL
    assert holder_on(after, date(2017, 2, 28)) is None


def test_changes_are_refused_out_of_date_order_or_when_nothing_changes():
    held = [Term(KNOWSLEY, date(2017, 3, 1), date(2022, 3, 31)), Term(WIRRAL, date(2022, 4, 1))]
    change, refusals = change_from(held, KNOWSLEY, date(2020, 1, 1), "host council")
    assert change is None and "already recorded from 01/04/2022" in refusals[0]
    assert change_from(held, WIRRAL, date(2023, 1, 1), "host council")[1] == [
        "That is already the host council on 01/01/2023"
    ]
    assert change_from(held, WIRRAL, date(2022, 4, 1), "host council")[0] is None


def test_the_post_can_be_left_empty_but_not_emptied_twice():
    change, _ = change_from([Term(KNOWSLEY, date(2017, 3, 1))], None, date(2020, 4, 1), "host council")
    assert change.starts is None and change.ends_on == date(2020, 3, 31)
    closed = [Term(KNOWSLEY, date(2017, 3, 1), date(2020, 3, 31))]
    assert change_from(closed, None, date(2021, 1, 1), "host council")[1] == [
        "There is no host council on 01/01/2021 to end"
    ]
    assert change_from([], None, date(2021, 1, 1), "host council")[0] is None
    assert change_from(closed, WIRRAL, date(2021, 1, 1), "host council")[0].ended is None


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(st.lists(st.tuples(days, st.sampled_from([KNOWSLEY, WIRRAL, None])), max_size=8))
def test_recorded_changes_never_overlap_and_each_day_keeps_its_holder(changes):
    held: list[Term] = []
    for day, holder in changes:
        change, _ = change_from(held, holder, day, "host")
        if change is None:
            continue
        before = {d: holder_on(held, d) for d in (day.replace(day=1), date(2000, 1, 1))}
        if change.ended is not None:
            held = [Term(t.holder, t.starts_on, change.ends_on) if t == change.ended else t for t in held]
        if change.starts is not None:
            held.append(change.starts)
        assert holder_on(held, day) == holder
        for d, was in before.items():
            if d < day:
                assert holder_on(held, d) == was
    for one in held:
        for other in held:
            if one is not other:
                assert not (one.covers(other.starts_on) or other.covers(one.starts_on))
