"""The in-house placement rate: of the children placed for adoption in a period, how many were
placed with the agency's own approved adopters rather than through an interagency placement with
an agency outside the partnership. Pure, typed Python: no Django, no database.

Kent's 2020 paper sets the regional agency's objective as "A sufficient range and number of
adopters able to parent children with a wide range of profiles and needs, enabling more children to
be placed 'in house'": this is the measure of it.

    in-house rate = placed with the agency's own adopters / (own adopters + interagency)

A placement counts in the period of the day the child moved in (`placed_on`). Its route is
interagency when the fee ledger records an outside placement for the child on that day (the ledger
is the record of the money, so it wins over a household link), in-house when the child is placed
with one of the agency's own households, and not recorded otherwise: such placements are counted
and shown, but left out of the rate rather than guessed. The counts are small numbers and are
suppressed like every other count (common/disclosure.py); the rate is shown only when both counts
behind it are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from openraa.common.disclosure import CHILDREN, WITHHELD, Disclosure, Viewer
from openraa.performance.present import NO_CHILDREN, Cell, Row, Table, explain

ALL = "all"


class Route(StrEnum):
    IN_HOUSE = "in_house"
    INTERAGENCY = "interagency"
    NOT_RECORDED = "not_recorded"


def route_of(with_own_household: bool, interagency_fee: bool) -> Route:
    if interagency_fee:
        return Route.INTERAGENCY
    return Route.IN_HOUSE if with_own_household else Route.NOT_RECORDED


@dataclass(frozen=True)
class Placement:
    council: str  # the child's responsible council (ONS code)
    placed_on: date
    route: Route


@dataclass(frozen=True)
class Counts:
    in_house: int = 0
    interagency: int = 0
    not_recorded: int = 0

    @property
    def placed(self) -> int:
        return self.in_house + self.interagency + self.not_recorded

    @property
    def rate(self) -> Fraction | None:
        """In-house over in-house and interagency; None when neither happened."""
        known = self.in_house + self.interagency
        return Fraction(self.in_house, known) if known else None

    @property
    def percent(self) -> int | None:
        """The rate as a whole percentage, halves rounded up (as the scorecard's shares are)."""
        rate = self.rate
        return None if rate is None else int(rate * 100 + Fraction(1, 2))

    def add(self, route: Route) -> Counts:
        return Counts(
            self.in_house + (route == Route.IN_HOUSE),
            self.interagency + (route == Route.INTERAGENCY),
            self.not_recorded + (route == Route.NOT_RECORDED),
        )


def count(placements: Iterable[Placement], start: date, end: date, councils: Iterable[str]) -> dict[str, Counts]:
    """Counts per council (every council given, even with none) and for all of them (`ALL`), for
    the placements from `start` to `end` inclusive."""
    result = {code: Counts() for code in councils}
    for placement in placements:
        if start <= placement.placed_on <= end:
            result[placement.council] = result.get(placement.council, Counts()).add(placement.route)
    total = Counts()
    for counts in result.values():
        total = Counts(
            total.in_house + counts.in_house,
            total.interagency + counts.interagency,
            total.not_recorded + counts.not_recorded,
        )
    return {**result, ALL: total}


COLUMNS = ["Council", "With the agency's own adopters", "Interagency", "Route not recorded", "In-house rate"]


def table(counts: Mapping[str, Counts], names: Mapping[str, str], viewer: Viewer | bool, period: str) -> Table:
    """The board's table, suppressed for the viewer: each route's count per council and in all,
    the lines they add up along declared so no small count can be worked out."""
    d = Disclosure(viewer)
    routes = ("in_house", "interagency", "not_recorded")
    codes = [code for code in counts if code != ALL]
    for code in [*codes, ALL]:
        council = None if code == ALL else code
        for route in routes:
            d.cell(("ih", route, code), getattr(counts[code], route), council=council, kind=CHILDREN)
        # Children placed is shown elsewhere in the pack (activity): treated as known, so a route's
        # count cannot be had as placed less the others.
        d.cell(("ih", "placed", code), counts[code].placed, council=council, kind=CHILDREN)
        d.line([("ih", route, code) for route in routes], ("ih", "placed", code))
    for route in (*routes, "placed"):
        d.line([("ih", route, code) for code in codes], ("ih", route, ALL))
    d.resolve()

    def rate(code: str) -> Cell:
        if d.withheld(("ih", "in_house", code)) or d.withheld(("ih", "interagency", code)):
            return Cell(WITHHELD)  # a rate would give the withheld count away
        percent = counts[code].percent
        return Cell(NO_CHILDREN) if percent is None else Cell(f"{percent}%", percent)

    rows = [
        Row(
            names.get(code, code) if code != ALL else "All councils",
            [Cell(d.text(("ih", route, code)), d.value(("ih", route, code))) for route in routes] + [rate(code)],
            total=code == ALL,
        )
        for code in [*codes, ALL]
    ]
    result = Table(
        "in-house",
        f"Children placed with the agency's own adopters, {period}",
        COLUMNS,
        rows,
        notes=[
            "In-house rate: children placed with the agency's own approved adopters, of those placed with "
            "its own adopters or through an interagency placement; placements whose route is not recorded "
            "are left out of the rate.",
        ],
        period_label=period,
    )
    return explain(result)
