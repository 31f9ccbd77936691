"""The engine's inputs and outputs: plain, typed dataclasses with no Django in them.

Locations are Ordnance Survey National Grid easting and northing in metres (what postcode
datasets publish), so distances are straight-line kilometres without any map projection.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from openraa.reference import DISABILITY_NEEDS, OLDER_CHILD_AGE

Point = tuple[float, float]  # (easting, northing) in metres

# A child's need severity and a household's capability share one scale; "none" ranks 0.
LEVEL_RANK: dict[str, int] = {"none": 0, "low": 1, "medium": 2, "high": 3}

# White British and "not known" codes do not make a child part of the minority ethnic group
# counted as harder to place.
_NOT_MINORITY = frozenset({"WBRI", "REFU", "NOBT"})


@dataclass(frozen=True)
class Unit:
    """What is placed: one child, or a sibling group to be placed together (one unit, one household).

    needs: need code -> severity ("low", "medium", "high"); for a group, the highest severity any
    child has (see combine_needs). The preferences are those recorded in the child's plan; empty
    means none recorded. excluded_councils: the birth family's council where a risk of identification is recorded, and any the worker adds.
    """

    id: str
    ages: Sequence[int]
    child_ids: Sequence[str] = ()
    needs: Mapping[str, str] = field(default_factory=dict)
    ethnicities: Collection[str] = ()
    preferred_ethnicities: Collection[str] = ()
    preferred_religion: str = ""
    preferred_languages: Collection[str] = ()
    excluded_councils: Collection[str] = ()
    birth_family_location: Point | None = None
    identification_risk: bool = False
    location: Point | None = None  # where the child lives now: the distance factor is measured from here
    council: str = ""  # the responsible council
    days_waiting: int = 0  # since the placement order
    early_permanence: bool = False  # the plan seeks an early permanence placement
    hard_to_place: bool | None = None  # None: derived from the characteristics below
    # Days to the oldest child's next birthday, when known: the dynamic policy sees a unit about to
    # age out of some approvals (engine.dynamic). None: not known.
    next_birthday_days: int | None = None

    @property
    def size(self) -> int:
        return len(self.ages)

    def hard_to_place_reasons(self) -> tuple[str, ...]:
        """The characteristics that make children wait longer, as counted in the board breakdowns."""
        reasons = []
        if any(age >= OLDER_CHILD_AGE for age in self.ages):
            reasons.append(f"aged {OLDER_CHILD_AGE} or over")
        if self.size > 1:
            reasons.append(f"sibling group of {self.size}")
        if any(code not in _NOT_MINORITY for code in self.ethnicities):
            reasons.append("minority ethnic background")
        if any(need in DISABILITY_NEEDS for need in self.needs):
            reasons.append("disability")
        return tuple(reasons)

    def hard_to_place_count(self) -> int:
        """How many hard-to-place characteristics (0 to 4); an explicit flag counts as at least one."""
        count = len(self.hard_to_place_reasons())
        if self.hard_to_place is None:
            return count
        return max(count, 1) if self.hard_to_place else 0


@dataclass(frozen=True)
class Household:
    """An adopter household. approved=False means in assessment: the approval fields are then the
    expected approval, used only by the sufficiency count."""

    id: str
    council: str = ""
    location: Point | None = None
    approved_children: int = 1
    age_min: int = 0
    age_max: int = 17
    capabilities: Mapping[str, str] = field(default_factory=dict)  # need code -> "none".."high"
    sibling_group_open: bool = False
    early_permanence: bool = False  # approved for early permanence (foster to adopt, concurrency)
    days_waiting: int = 0  # since approval
    in_active_link: bool = False
    approved: bool = True
    ethnicities: Collection[str] = ()  # the applicants'
    religion: str = ""
    languages: Collection[str] = ()


@dataclass(frozen=True)
class Weights:
    """How much each factor counts, in points when fully met (the defaults add up to 100), and how
    the region-wide suggestion values a placement.

    A pair's value in the suggestion is priority x (placement + score): every placed unit earns the
    placement points, so placing more children comes first, and the priority (1 plus up to
    priority_waiting for time waiting and up to priority_hard_to_place for hard-to-place
    characteristics) gives contested households to the longest-waiting, hardest-to-place units.
    """

    needs: float = 25.0
    ethnicity: float = 15.0
    religion: float = 10.0
    language: float = 10.0
    distance: float = 15.0
    child_waiting: float = 5.0
    household_waiting: float = 10.0
    early_permanence: float = 10.0
    placement: float = 100.0
    priority_waiting: float = 1.0
    priority_hard_to_place: float = 1.0

    def factor(self, name: str) -> float:
        return float(getattr(self, name))


@dataclass(frozen=True)
class Settings:
    """Agency settings that decide what is allowed, and how distances and waits are scaled."""

    identification_radius_km: float = 40.0  # when a risk of identification is recorded
    max_distance_km: float | None = None  # a hard limit from the child's location, if the agency sets one
    distance_scale_km: float = 100.0  # the distance factor falls from full points at 0 km to none here
    waiting_cap_days: int = 730  # waits count up to this many days
    council_names: Mapping[str, str] = field(default_factory=dict)  # for the reasons' wording

    def council_name(self, code: str) -> str:
        return self.council_names.get(code, code)


FACTORS: tuple[str, ...] = (
    "needs",
    "ethnicity",
    "religion",
    "language",
    "distance",
    "child_waiting",
    "household_waiting",
    "early_permanence",
)


@dataclass(frozen=True)
class Factor:
    name: str
    points: float
    text: str


@dataclass(frozen=True)
class Candidate:
    household_id: str
    points: float
    factors: tuple[Factor, ...]
    summary: str  # "meets 4 of 4 needs; 38 km; household waiting 210 days"


@dataclass(frozen=True)
class Shortlist:
    unit_id: str
    candidates: tuple[Candidate, ...]
    feasible: int  # households that pass every hard constraint (the shortlist is the best of them)
    excluded: int  # households that fail at least one; exclusion_reasons() says why


@dataclass(frozen=True)
class Pair:
    unit_id: str
    household_id: str
    points: float  # the pair's score (0 to the sum of the factor weights)
    value: float  # priority x (placement + points): what the suggestion maximises


@dataclass(frozen=True)
class Assignment:
    pairs: tuple[Pair, ...]
    method: str

    @property
    def value(self) -> float:
        return float(sum(p.value for p in self.pairs))

    @property
    def points(self) -> float:
        return float(sum(p.points for p in self.pairs))

    @cached_property
    def placed(self) -> frozenset[str]:
        # Cached (the pairs never change): callers ask "is this unit placed?" once per unit, and
        # a new set each time made a 2,347-unit page take 5 s longer.
        return frozenset(p.unit_id for p in self.pairs)


@dataclass(frozen=True)
class Suggestion:
    """The optimal region-wide assignment beside first come, first served."""

    optimal: Assignment
    greedy: Assignment
    more_placed: int  # units the optimum places beyond greedy (negative if fewer)
    extra_units: tuple[str, ...]  # placed by the optimum and not by greedy
    missed_units: tuple[str, ...]  # placed by greedy and not by the optimum
    no_viable_household: tuple[str, ...]  # units no household can take at all


def combine_needs(*needs: Mapping[str, str]) -> dict[str, str]:
    """A sibling group's needs: every need any child has, at the highest severity among them."""
    combined: dict[str, str] = {}
    for child_needs in needs:
        for code, severity in child_needs.items():
            if LEVEL_RANK[severity] > LEVEL_RANK.get(combined.get(code, "none"), 0):
                combined[code] = severity
    return combined
