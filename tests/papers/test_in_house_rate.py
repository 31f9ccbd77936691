"""The in-house placement rate: the measure the Kent paper says the regional agency exists to raise
(issue 19)."""

from datetime import date

import pytest

from openraa.finance import services as finance
from openraa.performance import in_house, selectors
from openraa.performance.in_house import ALL, Counts, Placement, Route
from tests import builders

KNOWSLEY, LIVERPOOL = "E08000011", "E08000012"
NAMES = {KNOWSLEY: "Knowsley", LIVERPOOL: "Liverpool"}


def _placements():
    day = date(2024, 6, 1)
    return (
        [Placement(KNOWSLEY, day, Route.IN_HOUSE)] * 6
        + [Placement(KNOWSLEY, day, Route.INTERAGENCY)] * 2
        + [Placement(KNOWSLEY, day, Route.NOT_RECORDED)]
        + [Placement(LIVERPOOL, day, Route.IN_HOUSE)] * 5
        + [Placement(LIVERPOOL, day, Route.INTERAGENCY)] * 5
        + [Placement(LIVERPOOL, date(2024, 3, 31), Route.INTERAGENCY)]  # the year before
    )


def test_the_rate_is_own_adopters_over_own_and_interagency():
    """Kent 2020, 1.3: "A sufficient range and number of adopters able to parent children with a
    wide range of profiles and needs, enabling more children to be placed "in house"".

    Placements whose route is not recorded are counted, but not guessed into the rate."""
    counts = in_house.count(_placements(), date(2024, 4, 1), date(2025, 3, 31), NAMES)
    assert counts[KNOWSLEY] == Counts(6, 2, 1) and counts[KNOWSLEY].percent == 75
    assert counts[LIVERPOOL] == Counts(5, 5, 0) and counts[LIVERPOOL].percent == 50
    assert counts[ALL] == Counts(11, 7, 1) and counts[ALL].placed == 19 and counts[ALL].percent == 61
    assert Counts().rate is None
    assert in_house.route_of(with_own_household=True, interagency_fee=True) == Route.INTERAGENCY
    assert in_house.route_of(with_own_household=True, interagency_fee=False) == Route.IN_HOUSE
    assert in_house.route_of(with_own_household=False, interagency_fee=False) == Route.NOT_RECORDED

    exact = in_house.table(counts, NAMES, False, "2024-25")
    assert [c.text for c in exact.rows[-1].cells] == ["11", "7", "1", "61%"]
    suppressed = in_house.table(counts, NAMES, True, "2024-25")
    knowsley = [c.text for c in suppressed.rows[0].cells]
    assert knowsley[1] == "<5" and knowsley[3] == "[c]"  # 2 interagency, so no rate either
    assert suppressed.suppression


@pytest.mark.django_db
def test_the_board_pack_shows_the_in_house_rate(aim, client_for):
    builders.council("Liverpool")
    for _ in range(2):
        builders.child(
            aim,
            "Knowsley",
            household=builders.household(aim, "Knowsley"),
            linked_on=date(2024, 5, 1),
            matching_panel_on=date(2024, 5, 10),
            matched_on=date(2024, 5, 15),
            placed_on=date(2024, 6, 3),
        )
    outside = builders.child(aim, "Liverpool")
    finance.record_external_placement(aim, outside, "council_or_agency", "A council outside", date(2024, 7, 1))
    placements = {p.route for p in selectors.in_house_placements(aim)}
    assert placements == {Route.IN_HOUSE, Route.INTERAGENCY}

    board_member = builders.user("board_member", aim, "Knowsley")
    page = client_for(board_member).get("/performance/board/?year=2024-25").content.decode()
    assert "Children placed with the agency&#x27;s own adopters, 2024-25" in page
    assert "In-house rate" in page
