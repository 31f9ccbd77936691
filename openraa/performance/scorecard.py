"""The adoption scorecard, the agency's activity counts and the board's figures, computed from the
dated milestones of children and adopter households. Pure, typed Python: no Django, no database.
The pages, the board pack, the API and `openraa scorecard` all call `compute_scorecard` and
`compute_board` with plain records (`ChildRecord`, `HouseholdRecord`); openraa.performance.selectors
reads those records from the database, and openraa.performance.present turns the result into the
tables and the one plain-data structure (`present.as_dict`) that every output shows.

Definitions: the Department for Education's "Adoption scorecards: methodology and guidance" (year
ending March 2018) and the LG Inform help text of metric 912; thresholds set for 2013-16 in
"Adoption scorecards and thresholds published", DfE, 14 January 2014. For each financial
(collection) year of the window, for the 3-year window, per council and for all councils together:

A1   Average days between a child entering care and moving in with their adoptive family, for
     children adopted in the period (adoption order date in the period). Entering care is the start
     of the child's latest period of care (`entered_care_on`); moving in is the date the child was
     placed for adoption (`placed_on`). Children adopted without having been placed for adoption
     first, or without a date of entering care, are left out and counted in the notes.
     Threshold 426 days (14 months) by default.
A10  As A1, adjusted for adoptions by the child's foster carers: the clock stops on the day the
     foster placement with the carers who adopted the child began (`fostered_by_adopters_from`:
     SSDA903 AD1 FOSTER_CARE 1, or early permanence carers who adopt). A10 replaced A1 in the
     national quarterly data from 2021-22. Threshold: its own (426 by default).
A2   Average days between the placement order and the decision to match (the ADM match decision),
     for children adopted in the period. Children without a placement order are left out; a match
     before the order counts 0 days; children not placed for adoption before the adoption order are
     left out. Threshold 121 days (4 months) by default.
A3   Of A1's children, how many (and what %) waited less than the A1 threshold (426 days, 14
     months) from entering care to moving in. It follows the A1 threshold when that is changed.
A4   Adoption orders in the period, and the % of children "leaving care" who were adopted. The
     record holds only children with an adoption plan, not every child who left care, so the
     honest denominator here is the children whose adoption plan ended in the period (adopted, or
     the plan changed, the order revoked or the placement disrupted): "% of ended adoption plans
     that ended in adoption". It is labelled so everywhere.
A5   Decisions changed away from adoption in the period (plan reversals: the plan changed, or the
     placement order revoked).
A9   Children waiting to be placed at the end of the period: an ADM should-be-placed decision or a
     placement order on or before that day, not yet placed for adoption, not adopted, plan not
     ended.
A11  Approved adopter families waiting to be matched at the end of the period: approved, not
     closed, and no child matched with them (or placed with them in early permanence) whose plan is
     still going. A disrupted placement leaves the family waiting again.
A12  Of the families matched in the period, how many (and what %) had waited 3 months or more
     (the agency's `household_wait_months`) from approval to the match. A family matched with a
     sibling group on one day is one match.
A13  Adopter applications not yet assessed at the end of the period: registered an interest (or,
     without a registration, enquired) on or before that day, not approved, not closed.
A14  Children waiting at the end of the period with a placement order and no match: a placement
     order on or before that day, no match decision, not placed, not adopted, plan not ended.
A15  ADM decisions that the child should be placed for adoption, made in the period.
A16  Placement orders granted in the period.

Averages and percentages over the window are child-weighted: the 3-year figure is the sum of the
three years' days (or children) over the three years' children, never a mean of yearly figures.
Counts at the end of a period ("stocks") are counted on its last day, or on the day asked for
while it runs; the window's stocks are its last year's. Figures are kept exact here; the pages
round averages to the nearest day and percentages to the nearest whole percent, as the DfE does.

Periods are financial years (openraa.common.years: 1 April to 31 March, "2024-25", which SSDA903
calls 2025); the 3-year window ends with the chosen year and is labelled as the DfE labels it
("2022-25" is April 2022 to March 2025).

Also counted (the national quarterly return and the board): matches, placements for adoption,
early permanence placements, disruptions (a placement for adoption that ended before the adoption
order), adopter enquiries and approvals; children waiting with a placement order, not placed (the
national "children waiting"), and of those waiting longer than the agency's `waiting_days` (90) and
`long_wait_months` (18) since the order; families waiting longer than `household_wait_months` (3).
Timeliness (A1, A2, A10, A3) over the window is broken down by age band (age at the should-be-placed
decision, or on entering care when there is none), sex, ethnic group (the census group of the
SSDA903 code), disability and sibling group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from openraa.common import ages
from openraa.common.ages import AGE_BANDS, age_in_years
from openraa.common.workdays import add_months
from openraa.common.years import FinancialYear, span_label
from openraa.reference import ETHNICITIES, OLDER_CHILD_AGE

AGENCY = ""  # the code of the group of all the agency's councils together
AGENCY_NAME = "All councils"  # its name wherever it is shown: the total of every council
REVERSAL_REASONS = frozenset({"plan_changed", "order_revoked"})
DISRUPTION = "disruption"
NOT_KNOWN_ETHNICITY = frozenset({"REFU", "NOBT", ""})
SEXES = {"1": "Male", "M": "Male", "2": "Female", "F": "Female"}  # SSDA903: 1/2, M/F from 2024-25


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
    sex: str = ""  # SSDA903 code: 1/M male, 2/F female; anything else is "Not known"


@dataclass(frozen=True, slots=True)
class HouseholdRecord:
    council: str  # the home council's code (ONS)
    enquiry_on: date | None = None
    approved_on: date | None = None
    closed_on: date | None = None
    # Each child with them: (matched with them or placed with them in early permanence, the day that
    # child's plan ended or None). A disrupted placement leaves the household waiting again.
    placements: tuple[tuple[date, date | None], ...] = ()
    registered_on: date | None = None  # registration of interest: the application (A13)
    matches: tuple[date, ...] = ()  # the days a child was matched with them, each day once (A12)


@dataclass(frozen=True)
class Thresholds:
    a1_days: int = 426  # 14 months (DfE threshold 2013-16); A3 counts the children under it
    a2_days: int = 121  # 4 months
    a10_days: int = 426
    waiting_days: int = 90
    long_wait_months: int = 18
    household_wait_months: int = 3  # A12, and families waiting long

    def for_indicator(self, name: str) -> int:
        return self.a1_days if name == "a3" else getattr(self, f"{name}_days")


# ----------------------------------------------------------------------------------------------
# Periods: financial years (common/years.py) and their quarters, as dated spans with a label
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

    @classmethod
    def of(cls, year: FinancialYear) -> Period:
        return cls(year.starts_on, year.ends_on, year.label)

    @classmethod
    def spanning(cls, first: FinancialYear, last: FinancialYear) -> Period:
        """Whole financial years, labelled as the DfE labels a window ("2022-25")."""
        return cls(first.starts_on, last.ends_on, span_label(first, last))


def financial_quarter(year: FinancialYear, number: int) -> Period:
    """Q1 April-June, Q2 July-September, Q3 October-December, Q4 January-March."""
    month = 4 + 3 * (number - 1)
    calendar_year = year.start + (month > 12)
    month = (month - 1) % 12 + 1
    start = date(calendar_year, month, 1)
    end = date.fromordinal(add_months(start, 3).replace(day=1).toordinal() - 1)
    return Period(start, end, f"{year.label} Q{number}")


def quarter_of(day: date) -> Period:
    return financial_quarter(FinancialYear.containing(day), ((day.month - 4) % 12) // 3 + 1)


def quarters_ending(as_of: date, count: int) -> tuple[Period, ...]:
    """The `count` financial quarters ending with the one that contains as_of, oldest first."""
    quarters = [quarter_of(as_of)]
    while len(quarters) < count:
        quarters.append(quarter_of(date.fromordinal(quarters[-1].start.toordinal() - 1)))
    return tuple(reversed(quarters))


# ----------------------------------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------------------------------

INDICATORS = ("a1", "a2", "a10")  # the averages of days
INDICATOR_LABELS = {
    "a1": "A1: entering care to moving in with the adoptive family",
    "a2": "A2: placement order to match decision",
    "a10": "A10: entering care to moving in, adjusted for foster carer adoptions",
    "a3": "A3: adopted children who waited less than the A1 threshold from entering care to moving in",
    "a4": "A4: adoptions, and ended adoption plans that ended in adoption",
    "a12": "A12: families matched who had waited 3 months or more since approval",
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
class Share:
    """`count` of `of` (A3, A4's percentage, A12)."""

    count: int = 0
    of: int = 0

    @property
    def percent(self) -> float | None:
        return 100 * self.count / self.of if self.of else None

    @property
    def rounded(self) -> int | None:
        percent = self.percent
        return None if percent is None else int(percent + 0.5)


@dataclass(frozen=True)
class Timeliness:
    a1: Indicator
    a2: Indicator
    a10: Indicator
    a3: Share  # of A1's children, those under the A1 threshold

    def indicator(self, name: str) -> Indicator:
        value: Indicator = getattr(self, name)
        return value


# Flows counted over a period, then stocks counted at its end; the order is the display order.
FLOWS = (
    "adoptions",
    "plans_ended",
    "adm_decisions",
    "placement_orders",
    "matches",
    "placements",
    "early_permanence",
    "reversals",
    "disruptions",
    "enquiries",
    "approvals",
    "families_matched",
    "families_matched_late",
)
STOCKS = (
    "waiting_to_be_placed",
    "children_waiting",
    "waiting_for_match",
    "waiting_over_days",
    "waiting_over_months",
    "households_waiting",
    "households_waiting_long",
    "applications_open",
)
# Counts that are part of another: (part, whole). Disclosure control needs them.
NESTED_FLOWS = (
    ("adoptions", "plans_ended"),
    ("reversals", "plans_ended"),
    ("families_matched_late", "families_matched"),
)
NESTED_STOCKS = (
    ("children_waiting", "waiting_to_be_placed"),
    ("waiting_for_match", "children_waiting"),
    ("waiting_over_days", "children_waiting"),
    ("waiting_over_months", "waiting_over_days"),
    ("households_waiting_long", "households_waiting"),
)


def activity_labels(t: Thresholds) -> dict[str, str]:
    return {
        "adoptions": "A4: adoption orders",
        "plans_ended": "Adoption plans ended (adopted, changed, revoked or disrupted)",
        "adm_decisions": "A15: should-be-placed decisions (ADM)",
        "placement_orders": "A16: placement orders",
        "matches": "Children matched (ADM)",
        "placements": "Placed for adoption",
        "early_permanence": "Early permanence placements",
        "reversals": "A5: decisions changed away from adoption",
        "disruptions": "Disruptions",
        "enquiries": "Adopter enquiries",
        "approvals": "Households approved",
        "families_matched": "Families matched",
        "families_matched_late": f"of which waited {t.household_wait_months} months or more since approval",
        "waiting_to_be_placed": "A9: children waiting to be placed (decision or placement order, not placed)",
        "children_waiting": "Children waiting with a placement order, not placed",
        "waiting_for_match": "A14: of whom not matched",
        "waiting_over_days": f"of whom waiting over {t.waiting_days} days since the order",
        "waiting_over_months": f"of whom waiting over {t.long_wait_months} months since the order",
        "households_waiting": "A11: approved families waiting to be matched",
        "households_waiting_long": f"of whom waiting over {t.household_wait_months} months",
        "applications_open": "A13: adopter applications not yet assessed",
    }


@dataclass(frozen=True)
class Activity:
    adoptions: int = 0
    plans_ended: int = 0
    adm_decisions: int = 0
    placement_orders: int = 0
    matches: int = 0
    placements: int = 0
    early_permanence: int = 0
    reversals: int = 0
    disruptions: int = 0
    enquiries: int = 0
    approvals: int = 0
    families_matched: int = 0
    families_matched_late: int = 0
    waiting_to_be_placed: int = 0
    children_waiting: int = 0
    waiting_for_match: int = 0
    waiting_over_days: int = 0
    waiting_over_months: int = 0
    households_waiting: int = 0
    households_waiting_long: int = 0
    applications_open: int = 0

    def count(self, name: str) -> int:
        value: int = getattr(self, name)
        return value

    @property
    def a4(self) -> Share:
        """Adoptions of the adoption plans that ended (see A4 in the module's docstring)."""
        return Share(self.adoptions, self.plans_ended)

    @property
    def a12(self) -> Share:
        return Share(self.families_matched_late, self.families_matched)


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
    "Age band": AGE_BANDS,
    "Sex": ("Female", "Male", "Not known"),
    "Ethnic group": (
        "White",
        "Mixed",
        "Asian or Asian British",
        "Black or Black British",
        "Other ethnic group",
        "Not known",
    ),
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
    financial_year: FinancialYear
    year: Period  # the financial year's span
    window: Period
    thresholds: Thresholds
    groups: tuple[GroupFigures, ...]  # each council, then all councils together (AGENCY)
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
# Rules for one child or family
# ----------------------------------------------------------------------------------------------


def a1_days(c: ChildRecord) -> int | None:
    """Days from entering care to moving in with the adoptive family; None when it does not count."""
    if c.adoption_order_on is None or c.placed_on is None or c.entered_care_on is None:
        return None
    return max(0, (c.placed_on - c.entered_care_on).days)


def a10_days(c: ChildRecord) -> int | None:
    """A1, but a foster carer adoption stops the clock when the foster placement with them began."""
    if a1_days(c) is None or c.placed_on is None or c.entered_care_on is None:  # the last two: as for A1
        return None
    moved_in = c.fostered_by_adopters_from if c.fostered_by_adopters_from is not None else c.placed_on
    return max(0, (min(moved_in, c.placed_on) - c.entered_care_on).days)


def a2_days(c: ChildRecord) -> int | None:
    """Days from placement order to match decision; a match before the order counts 0."""
    if c.adoption_order_on is None or c.placed_on is None or c.placement_order_on is None or c.matched_on is None:
        return None
    return max(0, (c.matched_on - c.placement_order_on).days)


def _done_on(c: ChildRecord) -> date | None:
    """The day the child stopped waiting: placed for adoption, adopted or the plan ended."""
    days = [day for day in (c.placed_on, c.adoption_order_on, c.plan_ended_on) if day is not None]
    return min(days) if days else None


def _done_by(c: ChildRecord, on: date) -> bool:
    done = _done_on(c)
    return done is not None and done <= on


def is_waiting(c: ChildRecord, on: date) -> bool:
    """A placement order on or before the day, not yet placed for adoption, plan not ended."""
    order = c.placement_order_on
    if order is None or order > on:
        return False
    # inline: the board calls it per quarter
    return all(ended is None or ended > on for ended in (c.placed_on, c.adoption_order_on, c.plan_ended_on))


def waiting_to_be_placed(c: ChildRecord, on: date) -> bool:
    """A9: a should-be-placed decision or a placement order on or before the day, not placed."""
    started = [day for day in (c.should_be_placed_on, c.placement_order_on) if day is not None]
    return bool(started) and min(started) <= on and not _done_by(c, on)


def waiting_for_match(c: ChildRecord, on: date) -> bool:
    """A14: waiting with a placement order and no match decision on the day."""
    return is_waiting(c, on) and (c.matched_on is None or c.matched_on > on)


def household_waiting(h: HouseholdRecord, on: date) -> bool:
    """A11: approved, not closed, no child matched (or placed in early permanence) with them."""
    if h.approved_on is None or h.approved_on > on:
        return False
    if h.closed_on is not None and h.closed_on <= on:
        return False
    return not any(start <= on and (end is None or end > on) for start, end in h.placements)


def application_open(h: HouseholdRecord, on: date) -> bool:
    """A13: an application (registration of interest, else the enquiry) not yet approved or closed."""
    applied = h.registered_on or h.enquiry_on
    if applied is None or applied > on:
        return False
    return not any(day is not None and day <= on for day in (h.approved_on, h.closed_on))


def matched_after_wait(h: HouseholdRecord, matched_on: date, months: int) -> bool:
    """A12: matched `months` calendar months or more after approval."""
    return h.approved_on is not None and matched_on >= add_months(h.approved_on, months)


def age_band(c: ChildRecord) -> str:
    on = c.should_be_placed_on or c.entered_care_on or c.date_of_birth
    return ages.age_band(age_in_years(c.date_of_birth, on))


def sex_of(code: str) -> str:
    return SEXES.get(code, "Not known")


def ethnic_group(code: str) -> str:
    return ETHNICITIES[code][1] if code in ETHNICITIES else "Not known"


def minority_ethnic(code: str) -> bool:
    """Black, Asian, mixed or another ethnic group: not White, and known."""
    return ethnic_group(code) not in ("White", "Not known")


def sibling_category(size: int) -> str:
    return "Single child" if size < 2 else "Sibling group of 2" if size == 2 else "Sibling group of 3 or more"


def _categories(c: ChildRecord) -> tuple[tuple[str, str], ...]:
    return (
        ("Age band", age_band(c)),
        ("Sex", sex_of(c.sex)),
        ("Ethnic group", ethnic_group(c.ethnicity)),
        ("Disability", "Disabled" if c.disability else "Not disabled"),
        ("Sibling group", sibling_category(c.sibling_group_size)),
    )


# ----------------------------------------------------------------------------------------------
# The scorecard
# ----------------------------------------------------------------------------------------------

_F = {name: i for i, name in enumerate(FLOWS)}
_S = {name: i for i, name in enumerate(STOCKS)}
A9, WAITING, A14, OVER_DAYS, OVER_MONTHS, A11, A11_LONG, A13 = (
    _S[name]
    for name in (
        "waiting_to_be_placed",
        "children_waiting",
        "waiting_for_match",
        "waiting_over_days",
        "waiting_over_months",
        "households_waiting",
        "households_waiting_long",
        "applications_open",
    )
)
_T = 7  # a1 n, a1 days, a2 n, a2 days, a10 n, a10 days, a3 n


def _add_timeliness(slot: list[int], a1: int | None, a2: int | None, a10: int | None, a3: bool) -> None:
    if a1 is not None:
        slot[0] += 1
        slot[1] += a1
        if a10 is not None:  # always: a10 is counted for exactly A1's children
            slot[4] += 1
            slot[5] += a10
        slot[6] += a3
    if a2 is not None:
        slot[2] += 1
        slot[3] += a2


def _timeliness(slot: Sequence[int]) -> Timeliness:
    return Timeliness(
        Indicator(slot[0], slot[1]), Indicator(slot[2], slot[3]), Indicator(slot[4], slot[5]), Share(slot[6], slot[0])
    )


def compute_scorecard(
    children: Iterable[ChildRecord],
    households: Iterable[HouseholdRecord],
    *,
    year: FinancialYear,
    as_of: date,
    thresholds: Thresholds = Thresholds(),
    councils: Mapping[str, str] | None = None,
    years: int = 3,
) -> Scorecard:
    """The scorecard for the financial year `year`, with the `years`-year window ending with it,
    per council and for all councils together. `councils` maps codes to names in the order to show
    them; a council met only in the records is added after them."""
    if not isinstance(year, FinancialYear):
        raise TypeError(f"year must be a FinancialYear (common/years.py), not {year!r}")
    names = dict(councils or {})
    fys = year.window(years)
    first = fys[0].start
    year_periods = tuple(Period.of(y) for y in fys)
    window = Period.spanning(fys[0], fys[-1])
    n = years  # index of the window among the periods
    counted_on = [p.measured_on(as_of) for p in year_periods]
    last_count = counted_on[-1]
    wait_limit = thresholds.waiting_days
    long_months = thresholds.long_wait_months
    a3_limit = thresholds.a1_days

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
        return (day.year if day.month >= 4 else day.year - 1) - first

    start, end = window.start, window.end

    def add_flow(targets: Iterable[str], name: str, day: date) -> None:
        if start <= day <= end:
            i = (day.year if day.month >= 4 else day.year - 1) - first
            column = _F[name]
            for code in targets:
                flows[code][i][column] += 1
                flows[code][n][column] += 1

    child_flows = tuple(
        (_F[name], name)
        for name in ("adoptions", "adm_decisions", "placement_orders", "matches", "placements", "early_permanence")
    )
    excluded_a1 = excluded_a2 = 0
    for c in children:
        if c.council not in flows:
            group(c.council)
        own, every = flows[c.council], flows[AGENCY]
        targets = (c.council, AGENCY)
        i = index(c.adoption_order_on)
        if i is not None:
            a1, a2 = a1_days(c), a2_days(c)
            a10 = a10_days(c) if a1 is not None else None
            a3 = a1 is not None and a1 < a3_limit
            excluded_a1 += a1 is None
            excluded_a2 += a2 is None and c.placement_order_on is not None
            categories = _categories(c)
            for code in targets:
                _add_timeliness(timeliness[code][i], a1, a2, a10, a3)
                _add_timeliness(timeliness[code][n], a1, a2, a10, a3)
                for key in categories:
                    _add_timeliness(breakdowns[code][key], a1, a2, a10, a3)
        for (column, _), day in zip(
            child_flows,
            (
                c.adoption_order_on,
                c.should_be_placed_on,
                c.placement_order_on,
                c.matched_on,
                c.placed_on,
                c.early_permanence_on,
            ),
        ):
            if day is not None and start <= day <= end:
                i = (day.year if day.month >= 4 else day.year - 1) - first
                own[i][column] += 1
                own[n][column] += 1
                every[i][column] += 1
                every[n][column] += 1
        ended = c.adoption_order_on or c.plan_ended_on
        if ended is not None:
            add_flow(targets, "plans_ended", ended)
            if c.adoption_order_on is None:
                name = (
                    "reversals"
                    if c.plan_ended_reason in REVERSAL_REASONS
                    else "disruptions"
                    if c.plan_ended_reason == DISRUPTION
                    else None
                )
                if name:
                    add_flow(targets, name, ended)
        # Waiting (A9, A14 and the national count): from the decision or the order, whichever came
        # first, until placed, adopted or the plan ended (waiting_to_be_placed, is_waiting, waiting_for_match).
        order = c.placement_order_on
        began = c.should_be_placed_on
        if order is not None and (began is None or order < began):
            began = order
        if began is None or began > last_count:
            continue
        done = _done_on(c)
        long_from = None
        for i, on in enumerate(counted_on):
            if began > on or (done is not None and done <= on):
                continue
            own_row, every_row = stocks[c.council][i], stocks[AGENCY][i]
            own_row[A9] += 1
            every_row[A9] += 1
            if order is None or order > on:
                continue
            if long_from is None:
                long_from = add_months(order, long_months)
            over_days = (on - order).days > wait_limit
            over_months = on > long_from
            unmatched = c.matched_on is None or c.matched_on > on
            for row in (own_row, every_row):
                row[WAITING] += 1
                row[A14] += unmatched
                row[OVER_DAYS] += over_days
                row[OVER_MONTHS] += over_months

    household_months = thresholds.household_wait_months
    for h in households:
        if h.council not in flows:
            group(h.council)
        targets = (h.council, AGENCY)
        for name, day in (("enquiries", h.enquiry_on), ("approvals", h.approved_on)):
            if day is not None:
                add_flow(targets, name, day)
        for day in h.matches:
            add_flow(targets, "families_matched", day)
            if matched_after_wait(h, day, household_months):
                add_flow(targets, "families_matched_late", day)
        known = [day for day in (h.enquiry_on, h.registered_on, h.approved_on) if day is not None]
        if known and min(known) <= last_count:
            for i, on in enumerate(counted_on):
                if application_open(h, on):
                    for code in targets:
                        stocks[code][i][A13] += 1
                elif household_waiting(h, on):
                    long = on > add_months(h.approved_on, household_months)  # type: ignore[arg-type]
                    for code in targets:
                        stocks[code][i][A11] += 1
                        stocks[code][i][A11_LONG] += long

    groups = []
    for code in [*(c for c in names if c != AGENCY), AGENCY]:
        stocks[code][n] = list(stocks[code][n - 1])  # the window's stocks are its last year's
        periods = [
            PeriodFigures(
                period,
                counted_on[min(i, n - 1)],
                _timeliness(timeliness[code][i]),
                Activity(*flows[code][i], *stocks[code][i]),
            )
            for i, period in enumerate((*year_periods, window))
        ]
        rows = tuple(
            BreakdownRow(d, cat, _timeliness(breakdowns[code][(d, cat)]))
            for d, cats in BREAKDOWNS.items()
            for cat in cats
        )
        groups.append(
            GroupFigures(code, AGENCY_NAME if code == AGENCY else names[code], tuple(periods[:n]), periods[n], rows)
        )

    notes = []
    if excluded_a1:
        notes.append(
            Note(
                "a1_excluded",
                "Adopted in the window without a date of entering care or of being placed "
                "for adoption: left out of A1, A3 and A10",
                excluded_a1,
            )
        )
    if excluded_a2:
        notes.append(
            Note(
                "a2_excluded",
                "Adopted in the window with a placement order but no match decision date or "
                "no placement date: left out of A2",
                excluded_a2,
            )
        )
    return Scorecard(as_of, year, year_periods[-1], window, thresholds, tuple(groups), tuple(notes))


# ----------------------------------------------------------------------------------------------
# The board's figures: quarterly trends, the distribution of waits, the hard-to-place breakdown
# ----------------------------------------------------------------------------------------------

WAIT_BANDS = ("Under 3 months", "3 to 6 months", "6 to 12 months", "12 to 18 months", "Over 18 months")
HARD_TO_PLACE = (
    f"Aged {OLDER_CHILD_AGE} or over",
    "Black, Asian, mixed or other ethnic group",
    "Disabled",
    "In a sibling group",
)
HARD_TO_PLACE_ANY = "Any of these"


def wait_band(order_on: date, on: date) -> str:
    for months, band in ((3, WAIT_BANDS[0]), (6, WAIT_BANDS[1]), (12, WAIT_BANDS[2]), (18, WAIT_BANDS[3])):
        if on <= add_months(order_on, months):
            return band
    return WAIT_BANDS[4]


def hard_to_place(c: ChildRecord, on: date) -> tuple[bool, ...]:
    return (
        age_in_years(c.date_of_birth, on) >= OLDER_CHILD_AGE,
        minority_ethnic(c.ethnicity),
        c.disability,
        c.sibling_group_size >= 2,
    )


class _Tally(TypedDict):
    """One group's running counts for the board figures."""

    q: list[list[int]]  # per quarter: adoptions, placement orders, approvals, children waiting, a10 n, a10 days
    bands: list[int]  # children waiting, by WAIT_BANDS
    hard: list[list[int]]  # per HARD_TO_PLACE flag, then any: children waiting, their days
    waiting: list[int]  # children waiting, their days


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
        value: int = getattr(self, name)
        return value


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


def compute_board(
    children: Iterable[ChildRecord],
    households: Iterable[HouseholdRecord],
    *,
    as_of: date,
    quarters: int = 8,
    councils: Mapping[str, str] | None = None,
) -> BoardFigures:
    """Per council and for the agency: each of the last `quarters` financial quarters (adoption
    orders, placement orders, approvals, children waiting at the quarter's end and A10 for the
    children adopted in it); and the children waiting today by length of wait and by the
    characteristics that make a family harder to find (older, minority ethnic, disabled, siblings)."""
    names = dict(councils or {})
    periods = quarters_ending(as_of, quarters)
    ends = [p.measured_on(as_of) for p in periods]
    first_start = periods[0].start
    data: dict[str, _Tally] = {}

    def group(code: str) -> None:
        names.setdefault(code, code)
        data[code] = {
            "q": [[0] * 6 for _ in periods],
            "bands": [0] * len(WAIT_BANDS),
            "hard": [[0, 0] for _ in range(len(HARD_TO_PLACE) + 1)],
            "waiting": [0, 0],
        }

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
        qs = tuple(
            QuarterFigures(p, on, q[0], q[1], q[2], q[3], Indicator(q[4], q[5]))
            for q, p, on in zip(g["q"], periods, ends)
        )
        groups.append(
            BoardGroup(
                code,
                AGENCY_NAME if code == AGENCY else names[code],
                qs,
                tuple(g["bands"]),
                tuple(WaitingGroup(*pair) for pair in g["hard"]),
                WaitingGroup(*g["waiting"]),
            )
        )
    return BoardFigures(as_of, periods, tuple(groups))
