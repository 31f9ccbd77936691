"""The adoption scorecard, the agency's activity counts and the board's figures, computed from the
dated milestones of children and adopter households. Pure, typed Python: no Django, no database.
The pages, the exports, the API and `openraa scorecard` all call `compute_scorecard` and
`compute_board` with plain records (`ChildRecord`, `HouseholdRecord`); openraa.performance.selectors
reads those records from the database.

Definitions (the Department for Education's adoption scorecard, "Adoption scorecards: methodology
and guidance", and the LG Inform help text of metric 912; thresholds set for 2013-16 in "Adoption
scorecards and thresholds published", DfE, 14 January 2014):

A1   Average days between a child entering care and moving in with their adoptive family, for
     children adopted in the period (adoption order date in the period). Entering care is the start
     of the child's latest period of care (`entered_care_on`); moving in is the date the child was
     placed for adoption (`placed_on`). Children adopted without having been placed for adoption
     first, or without a date of entering care, are left out and counted in the notes.
     Threshold 426 days (14 months) by default.
A10  As A1, adjusted for adoptions by the child's foster carers: when the adopters are the carers
     who fostered the child first (here: the early permanence carers, `early_permanence_household`
     is the adopting `household`), the clock stops on the day that foster placement began
     (`early_permanence_on`) instead of the day of the adoptive placement. A10 replaced A1 in the
     national quarterly data from 2021-22 (Coram-i, ASGLB data Q3 2020-21). Threshold: the A1
     threshold unless set apart.
A2   Average days between the local authority receiving court authority to place the child (the
     placement order) and the decision to match the child with an adoptive family (the ADM match
     decision), for children adopted in the period. Children without a placement order are left
     out; children matched before the order count 0 days; children not placed for adoption before
     the adoption order are left out. Threshold 121 days (4 months) by default.

Averages are child-weighted means over every child in the period: the 3-year figure is the sum of
the three years' days over the three years' children, never a mean of yearly means. Figures are
kept exact here; the pages round them to the nearest day, as the DfE does.

Periods are financial years (1 April to 31 March); the 3-year window ends with the chosen year and
is labelled as the DfE labels it ("2022-25" is April 2022 to March 2025).

Also counted (the scorecard's related information and the national quarterly return):
- flows in each period: adoption orders; ADM should-be-placed decisions (A15); placement orders
  (A16); matches; placements for adoption; early permanence placements; plan reversals (the
  permanence decision changed away from adoption, or the placement order revoked: A5);
  disruptions (a placement for adoption that ended before the adoption order); adopter enquiries;
  households approved.
- stocks at the end of each period (or today, for a period not yet over): children waiting (a
  placement order granted, not yet placed for adoption, plan not ended: A14) and of those, waiting
  longer than the agency's `waiting_days` (90) and `long_wait_months` (18) since the order;
  approved households waiting (approved, not closed, no child linked with them or placed with them
  in early permanence whose plan is still going: the record's "Approved and waiting" stage, A11) and of those, waiting longer
  than `household_wait_months` (3) since approval.
- timeliness (A1, A2, A10 over the 3-year window) by age band (age at the should-be-placed decision,
  or on entering care when there is none), ethnic group (the census group of the SSDA903 code),
  disability and sibling group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from openraa.children import domain as child_domain
from openraa.children.domain import age_in_years
from openraa.journeys.workdays import add_months
from openraa.reference import ETHNICITIES, OLDER_CHILD_AGE

AGENCY = ""  # the code of the agency-wide group
REVERSAL_REASONS = frozenset({"plan_changed", "order_revoked"})
DISRUPTION = "disruption"
NOT_KNOWN_ETHNICITY = frozenset({"REFU", "NOBT", ""})


# ----------------------------------------------------------------------------------------------
# Input
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChildRecord:
    """What the scorecard needs of one child: no name, no reference."""

    council: str  # the responsible council's code (ONS)
    date_of_birth: date
    ethnicity: str = "NOBT"  # SSDA903 code
    disability: bool = False
    sibling_group_size: int = 1  # 1 when not in a sibling group
    entered_care_on: date | None = None
    should_be_placed_on: date | None = None
    placement_order_on: date | None = None
    early_permanence_on: date | None = None
    matched_on: date | None = None
    placed_on: date | None = None
    adoption_order_on: date | None = None
    plan_ended_on: date | None = None
    plan_ended_reason: str = ""
    # Adopted by their own foster carers: the day the foster placement with them began (SSDA903 AD1
    # FOSTER_CARE 1, or early permanence carers who adopt). A10's clock stops there.
    fostered_by_adopters_from: date | None = None

    @property
    def foster_carer_adoption(self) -> bool:
        return self.fostered_by_adopters_from is not None


@dataclass(frozen=True, slots=True)
class HouseholdRecord:
    council: str  # the home council's code (ONS)
    enquiry_on: date | None = None
    approved_on: date | None = None
    closed_on: date | None = None
    # Each child with them: (linked with them or placed with them in early permanence, the day that
    # child's plan ended or None). A disrupted placement leaves the household waiting again.
    placements: tuple[tuple[date, date | None], ...] = ()


@dataclass(frozen=True)
class Thresholds:
    a1_days: int = 426  # 14 months (DfE threshold 2013-16)
    a2_days: int = 121  # 4 months
    a10_days: int = 426
    waiting_days: int = 90
    long_wait_months: int = 18
    household_wait_months: int = 3

    def for_indicator(self, name: str) -> int:
        return getattr(self, f"{name}_days")


# ----------------------------------------------------------------------------------------------
# Periods
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def measured_on(self, as_of: date) -> date:
        """The day stocks are counted: the period's last day, or as_of while the period runs."""
        return min(self.end, as_of)

    def complete(self, as_of: date) -> bool:
        return self.end <= as_of


def year_of(day: date) -> int:
    """The financial year (by the calendar year it starts in) that contains the day."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year(start_year: int) -> Period:
    return Period(date(start_year, 4, 1), date(start_year + 1, 3, 31), f"{start_year}-{(start_year + 1) % 100:02d}")


def three_years(last_start_year: int, years: int = 3) -> Period:
    first = last_start_year - years + 1
    return Period(date(first, 4, 1), date(last_start_year + 1, 3, 31), f"{first}-{(last_start_year + 1) % 100:02d}")


def financial_quarter(start_year: int, number: int) -> Period:
    """Q1 April-June, Q2 July-September, Q3 October-December, Q4 January-March."""
    month = 4 + 3 * (number - 1)
    year = start_year + (month > 12)
    month = (month - 1) % 12 + 1
    start = date(year, month, 1)
    end = add_months(start, 3).replace(day=1)
    end = date.fromordinal(end.toordinal() - 1)
    return Period(start, end, f"{start_year}-{(start_year + 1) % 100:02d} Q{number}")


def quarter_of(day: date) -> Period:
    year = year_of(day)
    return financial_quarter(year, ((day.month - 4) % 12) // 3 + 1)


def quarters_ending(as_of: date, count: int) -> tuple[Period, ...]:
    """The `count` financial quarters ending with the one that contains as_of, oldest first."""
    quarters = [quarter_of(as_of)]
    while len(quarters) < count:
        quarters.append(quarter_of(date.fromordinal(quarters[-1].start.toordinal() - 1)))
    return tuple(reversed(quarters))


# ----------------------------------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------------------------------

INDICATORS = ("a1", "a2", "a10")
INDICATOR_LABELS = {
    "a1": "A1: entering care to moving in with the adoptive family",
    "a2": "A2: placement order to match decision",
    "a10": "A10: entering care to moving in, adjusted for foster carer adoptions",
}


@dataclass(frozen=True)
class Indicator:
    children: int = 0
    total_days: int = 0

    @property
    def average(self) -> float | None:
        return self.total_days / self.children if self.children else None

    @property
    def rounded(self) -> int | None:
        average = self.average
        return None if average is None else int(average + 0.5)

    def meets(self, threshold: int) -> bool | None:
        """Whether the (rounded) average is within the threshold; None without children."""
        rounded = self.rounded
        return None if rounded is None else rounded <= threshold


@dataclass(frozen=True)
class Timeliness:
    a1: Indicator
    a2: Indicator
    a10: Indicator

    def indicator(self, name: str) -> Indicator:
        return getattr(self, name)


# Flows counted over a period, then stocks counted at its end; the order is the display order.
FLOWS = ("adoptions", "adm_decisions", "placement_orders", "matches", "placements", "early_permanence",
         "reversals", "disruptions", "enquiries", "approvals")
STOCKS = ("children_waiting", "waiting_over_days", "waiting_over_months", "households_waiting",
          "households_waiting_long")
# Stocks that are part of another: (part, whole). Disclosure control needs them.
NESTED_STOCKS = (("waiting_over_days", "children_waiting"), ("waiting_over_months", "waiting_over_days"),
                 ("households_waiting_long", "households_waiting"))


def activity_labels(t: Thresholds) -> dict[str, str]:
    return {
        "adoptions": "Adoption orders",
        "adm_decisions": "Should-be-placed decisions (ADM)",
        "placement_orders": "Placement orders",
        "matches": "Matches (ADM)",
        "placements": "Placed for adoption",
        "early_permanence": "Early permanence placements",
        "reversals": "Plan reversals",
        "disruptions": "Disruptions",
        "enquiries": "Adopter enquiries",
        "approvals": "Households approved",
        "children_waiting": "Children waiting (placement order, not placed)",
        "waiting_over_days": f"of whom waiting over {t.waiting_days} days",
        "waiting_over_months": f"of whom waiting over {t.long_wait_months} months",
        "households_waiting": "Approved households waiting",
        "households_waiting_long": f"of whom waiting over {t.household_wait_months} months",
    }


@dataclass(frozen=True)
class Activity:
    adoptions: int = 0
    adm_decisions: int = 0
    placement_orders: int = 0
    matches: int = 0
    placements: int = 0
    early_permanence: int = 0
    reversals: int = 0
    disruptions: int = 0
    enquiries: int = 0
    approvals: int = 0
    children_waiting: int = 0
    waiting_over_days: int = 0
    waiting_over_months: int = 0
    households_waiting: int = 0
    households_waiting_long: int = 0

    def count(self, name: str) -> int:
        return getattr(self, name)


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    counted_on: date  # the day the stocks were counted
    timeliness: Timeliness
    activity: Activity


@dataclass(frozen=True)
class BreakdownRow:
    dimension: str
    category: str
    timeliness: Timeliness


BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "Age band": child_domain.AGE_BANDS,
    "Ethnic group": ("White", "Mixed", "Asian or Asian British", "Black or Black British", "Other ethnic group",
                     "Not known"),
    "Disability": ("Disabled", "Not disabled"),
    "Sibling group": ("Single child", "Sibling group of 2", "Sibling group of 3 or more"),
}


@dataclass(frozen=True)
class GroupFigures:
    code: str  # council code, or AGENCY
    name: str
    years: tuple[PeriodFigures, ...]  # the window's years, oldest first
    window: PeriodFigures
    breakdowns: tuple[BreakdownRow, ...]  # over the window

    @property
    def is_agency(self) -> bool:
        return self.code == AGENCY


@dataclass(frozen=True)
class Note:
    code: str
    text: str
    children: int


@dataclass(frozen=True)
class Scorecard:
    as_of: date
    year: Period
    window: Period
    thresholds: Thresholds
    groups: tuple[GroupFigures, ...]  # each council, then the agency
    notes: tuple[Note, ...]

    @property
    def councils(self) -> tuple[GroupFigures, ...]:
        return self.groups[:-1]

    @property
    def agency(self) -> GroupFigures:
        return self.groups[-1]

    def group(self, code: str) -> GroupFigures:
        return next(g for g in self.groups if g.code == code)


# ----------------------------------------------------------------------------------------------
# Rules for one child
# ----------------------------------------------------------------------------------------------


def a1_days(c: ChildRecord) -> int | None:
    """Days from entering care to moving in with the adoptive family; None when it does not count."""
    if c.adoption_order_on is None or c.placed_on is None or c.entered_care_on is None:
        return None
    return max(0, (c.placed_on - c.entered_care_on).days)


def a10_days(c: ChildRecord) -> int | None:
    """A1, but a foster carer adoption stops the clock when the foster placement with them began."""
    if a1_days(c) is None:
        return None
    moved_in = c.fostered_by_adopters_from if c.fostered_by_adopters_from is not None else c.placed_on
    return max(0, (min(moved_in, c.placed_on) - c.entered_care_on).days)


def a2_days(c: ChildRecord) -> int | None:
    """Days from placement order to match decision; a match before the order counts 0."""
    if c.adoption_order_on is None or c.placed_on is None or c.placement_order_on is None or c.matched_on is None:
        return None
    return max(0, (c.matched_on - c.placement_order_on).days)


def is_waiting(c: ChildRecord, on: date) -> bool:
    """A placement order on or before the day, not yet placed for adoption, plan not ended."""
    order = c.placement_order_on
    if order is None or order > on:
        return False
    for ended in (c.placed_on, c.adoption_order_on, c.plan_ended_on):
        if ended is not None and ended <= on:
            return False
    return True


def household_waiting(h: HouseholdRecord, on: date) -> bool:
    if h.approved_on is None or h.approved_on > on:
        return False
    if h.closed_on is not None and h.closed_on <= on:
        return False
    return not any(start <= on and (end is None or end > on) for start, end in h.placements)


def age_band(c: ChildRecord) -> str:
    on = c.should_be_placed_on or c.entered_care_on or c.date_of_birth
    return child_domain.age_band(age_in_years(c.date_of_birth, on))


def ethnic_group(code: str) -> str:
    return ETHNICITIES[code][1] if code in ETHNICITIES else "Not known"


def minority_ethnic(code: str) -> bool:
    """Black, Asian, mixed or another ethnic group: not White, and known."""
    return ethnic_group(code) not in ("White", "Not known")


def sibling_category(size: int) -> str:
    return "Single child" if size < 2 else "Sibling group of 2" if size == 2 else "Sibling group of 3 or more"


def _categories(c: ChildRecord) -> tuple[tuple[str, str], ...]:
    return (("Age band", age_band(c)), ("Ethnic group", ethnic_group(c.ethnicity)),
            ("Disability", "Disabled" if c.disability else "Not disabled"),
            ("Sibling group", sibling_category(c.sibling_group_size)))


# ----------------------------------------------------------------------------------------------
# The scorecard
# ----------------------------------------------------------------------------------------------

_F = {name: i for i, name in enumerate(FLOWS)}
_S = {name: i for i, name in enumerate(STOCKS)}
_T = 6  # a1 n, a1 days, a2 n, a2 days, a10 n, a10 days


def _add_timeliness(slot: list[int], a1: int | None, a2: int | None, a10: int | None) -> None:
    if a1 is not None:
        slot[0] += 1
        slot[1] += a1
        slot[4] += 1
        slot[5] += a10  # type: ignore[operator]  (a10 is counted for exactly A1's children)
    if a2 is not None:
        slot[2] += 1
        slot[3] += a2


def _timeliness(slot: Sequence[int]) -> Timeliness:
    return Timeliness(Indicator(slot[0], slot[1]), Indicator(slot[2], slot[3]), Indicator(slot[4], slot[5]))


def compute_scorecard(children: Iterable[ChildRecord], households: Iterable[HouseholdRecord], *, year: int,
                      as_of: date, thresholds: Thresholds = Thresholds(),
                      councils: Mapping[str, str] | None = None, years: int = 3) -> Scorecard:
    """The scorecard for the financial year starting in April of `year`, with the `years`-year
    window ending with it, per council and for the agency. `councils` maps codes to names in the
    order to show them; a council met only in the records is added after them."""
    names = dict(councils or {})
    first = year - years + 1
    year_periods = tuple(financial_year(y) for y in range(first, year + 1))
    window = three_years(year, years)
    n = years  # index of the window among the periods
    counted_on = [p.measured_on(as_of) for p in year_periods]
    wait_limit = thresholds.waiting_days
    long_months = thresholds.long_wait_months

    flows: dict[str, list[list[int]]] = {}
    stocks: dict[str, list[list[int]]] = {}
    timeliness: dict[str, list[list[int]]] = {}
    breakdowns: dict[str, dict[tuple[str, str], list[int]]] = {}

    def group(code: str) -> None:
        names.setdefault(code, code)
        flows[code] = [[0] * len(FLOWS) for _ in range(n + 1)]
        stocks[code] = [[0] * len(STOCKS) for _ in range(n + 1)]
        timeliness[code] = [[0] * _T for _ in range(n + 1)]
        breakdowns[code] = {(d, c): [0] * _T for d, cats in BREAKDOWNS.items() for c in cats}

    for code in list(names):
        group(code)
    group(AGENCY)

    def index(day: date | None) -> int | None:
        if day is None or day < window.start or day > window.end:
            return None
        return year_of(day) - first

    excluded_a1 = excluded_a2 = 0
    for c in children:
        if c.council not in flows:
            group(c.council)
        targets = (c.council, AGENCY)
        i = index(c.adoption_order_on)
        if i is not None:
            a1, a2 = a1_days(c), a2_days(c)
            a10 = a10_days(c) if a1 is not None else None
            excluded_a1 += a1 is None
            excluded_a2 += a2 is None and c.placement_order_on is not None
            categories = _categories(c)
            for code in targets:
                _add_timeliness(timeliness[code][i], a1, a2, a10)
                _add_timeliness(timeliness[code][n], a1, a2, a10)
                for key in categories:
                    _add_timeliness(breakdowns[code][key], a1, a2, a10)
        for name, day in (("adoptions", c.adoption_order_on), ("adm_decisions", c.should_be_placed_on),
                          ("placement_orders", c.placement_order_on), ("matches", c.matched_on),
                          ("placements", c.placed_on), ("early_permanence", c.early_permanence_on)):
            i = index(day)
            if i is not None:
                for code in targets:
                    flows[code][i][_F[name]] += 1
                    flows[code][n][_F[name]] += 1
        if c.plan_ended_on is not None:
            i = index(c.plan_ended_on)
            name = ("reversals" if c.plan_ended_reason in REVERSAL_REASONS
                    else "disruptions" if c.plan_ended_reason == DISRUPTION else None)
            if i is not None and name:
                for code in targets:
                    flows[code][i][_F[name]] += 1
                    flows[code][n][_F[name]] += 1
        if c.placement_order_on is not None and c.placement_order_on <= counted_on[-1]:
            for i, on in enumerate(counted_on):
                if is_waiting(c, on):
                    days = (on - c.placement_order_on).days
                    over_days = days > wait_limit
                    over_months = on > add_months(c.placement_order_on, long_months)
                    for code in targets:
                        row = stocks[code][i]
                        row[0] += 1
                        row[1] += over_days
                        row[2] += over_months

    household_months = thresholds.household_wait_months
    for h in households:
        if h.council not in flows:
            group(h.council)
        targets = (h.council, AGENCY)
        for name, day in (("enquiries", h.enquiry_on), ("approvals", h.approved_on)):
            i = index(day)
            if i is not None:
                for code in targets:
                    flows[code][i][_F[name]] += 1
                    flows[code][n][_F[name]] += 1
        if h.approved_on is not None and h.approved_on <= counted_on[-1]:
            for i, on in enumerate(counted_on):
                if household_waiting(h, on):
                    long = on > add_months(h.approved_on, household_months)
                    for code in targets:
                        stocks[code][i][3] += 1
                        stocks[code][i][4] += long

    groups = []
    for code in [*(c for c in names if c != AGENCY), AGENCY]:
        stocks[code][n] = list(stocks[code][n - 1])  # the window's stocks are its last year's
        periods = [
            PeriodFigures(period, counted_on[min(i, n - 1)], _timeliness(timeliness[code][i]),
                          Activity(*flows[code][i], *stocks[code][i]))
            for i, period in enumerate((*year_periods, window))
        ]
        rows = tuple(BreakdownRow(d, cat, _timeliness(breakdowns[code][(d, cat)]))
                     for d, cats in BREAKDOWNS.items() for cat in cats)
        groups.append(GroupFigures(code, "All councils" if code == AGENCY else names[code], tuple(periods[:n]),
                                   periods[n], rows))

    notes = []
    if excluded_a1:
        notes.append(Note("a1_excluded", "Adopted in the window without a date of entering care or of being placed "
                                         "for adoption: left out of A1 and A10", excluded_a1))
    if excluded_a2:
        notes.append(Note("a2_excluded", "Adopted in the window with a placement order but no match decision date or "
                                         "no placement date: left out of A2", excluded_a2))
    return Scorecard(as_of, year_periods[-1], window, thresholds, tuple(groups), tuple(notes))


def default_year(as_of: date) -> int:
    """The financial year the scorecard shows unless told otherwise: the one running on as_of."""
    return year_of(as_of)


# ----------------------------------------------------------------------------------------------
# The board's figures: quarterly trends, the distribution of waits, the hard-to-place breakdown
# ----------------------------------------------------------------------------------------------

WAIT_BANDS = ("Under 3 months", "3 to 6 months", "6 to 12 months", "12 to 18 months", "Over 18 months")
HARD_TO_PLACE = (f"Aged {OLDER_CHILD_AGE} or over", "Black, Asian, mixed or other ethnic group", "Disabled",
                 "In a sibling group")
HARD_TO_PLACE_ANY = "Any of these"
QUARTER_MEASURES = ("adoptions", "placement_orders", "approvals", "children_waiting")


def wait_band(order_on: date, on: date) -> str:
    for months, band in ((3, WAIT_BANDS[0]), (6, WAIT_BANDS[1]), (12, WAIT_BANDS[2]), (18, WAIT_BANDS[3])):
        if on <= add_months(order_on, months):
            return band
    return WAIT_BANDS[4]


def hard_to_place(c: ChildRecord, on: date) -> tuple[bool, ...]:
    return (age_in_years(c.date_of_birth, on) >= OLDER_CHILD_AGE, minority_ethnic(c.ethnicity), c.disability,
            c.sibling_group_size >= 2)


@dataclass(frozen=True)
class QuarterFigures:
    period: Period
    counted_on: date
    adoptions: int
    placement_orders: int
    approvals: int
    children_waiting: int
    a10: Indicator

    def count(self, name: str) -> int:
        return getattr(self, name)


@dataclass(frozen=True)
class WaitingGroup:
    children: int
    total_days: int


@dataclass(frozen=True)
class BoardGroup:
    code: str
    name: str
    quarters: tuple[QuarterFigures, ...]
    wait_bands: tuple[int, ...]  # children waiting today in each of WAIT_BANDS
    hard_to_place: tuple[WaitingGroup, ...]  # each of HARD_TO_PLACE, then "any of these"
    waiting: WaitingGroup  # every child waiting today


@dataclass(frozen=True)
class BoardFigures:
    as_of: date
    quarters: tuple[Period, ...]
    groups: tuple[BoardGroup, ...]  # each council, then the agency

    @property
    def councils(self) -> tuple[BoardGroup, ...]:
        return self.groups[:-1]

    @property
    def agency(self) -> BoardGroup:
        return self.groups[-1]


def compute_board(children: Iterable[ChildRecord], households: Iterable[HouseholdRecord], *, as_of: date,
                  quarters: int = 8, councils: Mapping[str, str] | None = None) -> BoardFigures:
    """Per council and for the agency: each of the last `quarters` financial quarters (adoption
    orders, placement orders, approvals, children waiting at the quarter's end and A10 for the
    children adopted in it); and the children waiting today by length of wait and by the
    characteristics that make a family harder to find (older, minority ethnic, disabled, siblings)."""
    names = dict(councils or {})
    periods = quarters_ending(as_of, quarters)
    ends = [p.measured_on(as_of) for p in periods]
    first_start = periods[0].start
    data: dict[str, dict] = {}

    def group(code: str) -> None:
        names.setdefault(code, code)
        data[code] = {"q": [[0] * 6 for _ in periods], "bands": [0] * len(WAIT_BANDS),
                      "hard": [[0, 0] for _ in range(len(HARD_TO_PLACE) + 1)], "waiting": [0, 0]}

    for code in list(names):
        group(code)
    group(AGENCY)

    def quarter(day: date | None) -> int | None:
        if day is None or day < first_start or day > as_of:
            return None
        for i, p in enumerate(periods):
            if day <= p.end:
                return i
        return None

    for c in children:
        if c.council not in data:
            group(c.council)
        targets = (data[c.council], data[AGENCY])
        i = quarter(c.adoption_order_on)
        if i is not None:
            a10 = a10_days(c)
            for g in targets:
                g["q"][i][0] += 1
                if a10 is not None:
                    g["q"][i][4] += 1
                    g["q"][i][5] += a10
        i = quarter(c.placement_order_on)
        if i is not None:
            for g in targets:
                g["q"][i][1] += 1
        if c.placement_order_on is not None and c.placement_order_on <= as_of:
            for i, on in enumerate(ends):
                if is_waiting(c, on):
                    for g in targets:
                        g["q"][i][3] += 1
            if is_waiting(c, as_of):
                days = (as_of - c.placement_order_on).days
                band = WAIT_BANDS.index(wait_band(c.placement_order_on, as_of))
                flags = hard_to_place(c, as_of)
                for g in targets:
                    g["bands"][band] += 1
                    g["waiting"][0] += 1
                    g["waiting"][1] += days
                    for k, flag in enumerate((*flags, any(flags))):
                        if flag:
                            g["hard"][k][0] += 1
                            g["hard"][k][1] += days
    for h in households:
        if h.council not in data:
            group(h.council)
        i = quarter(h.approved_on)
        if i is not None:
            data[h.council]["q"][i][2] += 1
            data[AGENCY]["q"][i][2] += 1

    groups = []
    for code in [*(c for c in names if c != AGENCY), AGENCY]:
        g = data[code]
        qs = tuple(QuarterFigures(p, on, *g["q"][i][:4], Indicator(g["q"][i][4], g["q"][i][5]))
                   for i, (p, on) in enumerate(zip(periods, ends)))
        groups.append(BoardGroup(code, "All councils" if code == AGENCY else names[code], qs, tuple(g["bands"]),
                                 tuple(WaitingGroup(*pair) for pair in g["hard"]), WaitingGroup(*g["waiting"])))
    return BoardFigures(as_of, periods, tuple(groups))


# ----------------------------------------------------------------------------------------------
# Plain data (the API and --json)
# ----------------------------------------------------------------------------------------------


def _indicator_dict(ind: Indicator, threshold: int) -> dict:
    return {"children": ind.children, "total_days": ind.total_days,
            "average_days": None if ind.average is None else round(ind.average, 1),
            "threshold_days": threshold, "within_threshold": ind.meets(threshold)}


def _period_dict(p: PeriodFigures, t: Thresholds) -> dict:
    return {
        "period": p.period.label, "start": p.period.start.isoformat(), "end": p.period.end.isoformat(),
        "stocks_counted_on": p.counted_on.isoformat(),
        **{name: _indicator_dict(p.timeliness.indicator(name), t.for_indicator(name)) for name in INDICATORS},
        "activity": {name: p.activity.count(name) for name in (*FLOWS, *STOCKS)},
    }


def as_dict(card: Scorecard) -> dict:
    t = card.thresholds
    return {
        "as_of": card.as_of.isoformat(),
        "year": card.year.label,
        "window": card.window.label,
        "thresholds": {"a1_days": t.a1_days, "a2_days": t.a2_days, "a10_days": t.a10_days,
                       "waiting_days": t.waiting_days, "long_wait_months": t.long_wait_months,
                       "household_wait_months": t.household_wait_months},
        "groups": [
            {
                "council": g.code or None, "name": g.name,
                "years": [_period_dict(p, t) for p in g.years],
                "window": _period_dict(g.window, t),
                "breakdowns": [
                    {"dimension": row.dimension, "category": row.category,
                     **{name: _indicator_dict(row.timeliness.indicator(name), t.for_indicator(name))
                        for name in INDICATORS}}
                    for row in g.breakdowns
                ],
            }
            for g in card.groups
        ],
        "notes": [{"code": note.code, "text": note.text, "children": note.children} for note in card.notes],
    }
