"""The partnership's risk register: a risk's rating (likelihood x impact on five-point scales), its
band, when its next review is due and which way it has moved. Pure Python.

Each council paper lists the partnership's risks (financial risk shared under the agreement, set-up
costs, clawback of grant funding, the adoption allowances overspend, staff and IT); the board reads
them rated the way council risk registers are: likelihood and impact each from 1 to 5, their product
the score, the score's band deciding how often the owner reviews it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from openraa.common.workdays import add_months

LIKELIHOOD = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}
LIKELIHOOD_CHOICES = [(n, f"{n}: {label}") for n, label in LIKELIHOOD.items()]
IMPACT_CHOICES = [(n, f"{n}: {label}") for n, label in IMPACT.items()]


class Band(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"

    @property
    def label(self) -> str:
        return {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Very high"}[self.value]


# How many months may pass between reviews, by band: the worse the risk, the closer it is watched.
REVIEW_MONTHS = {Band.VERY_HIGH: 1, Band.HIGH: 1, Band.MEDIUM: 3, Band.LOW: 6}


@dataclass(frozen=True)
class Rating:
    likelihood: int
    impact: int

    def __post_init__(self) -> None:
        for name in ("likelihood", "impact"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= 5:
                raise ValueError(f"{name} must be a whole number from 1 to 5, not {value!r}")

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> Band:
        return band(self.score)


def band(score: int) -> Band:
    """1-4 low, 5-9 medium, 10-16 high, 20-25 very high (the products a 5x5 grid can give)."""
    if score <= 4:
        return Band.LOW
    if score <= 9:
        return Band.MEDIUM
    if score <= 16:
        return Band.HIGH
    return Band.VERY_HIGH


def review_due(last_reviewed_on: date, rating: Rating) -> date:
    return add_months(last_reviewed_on, REVIEW_MONTHS[rating.band])


def review_overdue(last_reviewed_on: date, rating: Rating, today: date, closed: bool = False) -> bool:
    return not closed and review_due(last_reviewed_on, rating) < today


class Trend(StrEnum):
    NEW = "new"
    UP = "up"
    DOWN = "down"
    SAME = "same"

    @property
    def label(self) -> str:
        return {"new": "New", "up": "Worse", "down": "Better", "same": "No change"}[self.value]


def trend(previous: Rating | None, current: Rating) -> Trend:
    if previous is None:
        return Trend.NEW
    if current.score > previous.score:
        return Trend.UP
    if current.score < previous.score:
        return Trend.DOWN
    return Trend.SAME


def review_problems(
    raised_on: date, last_reviewed_on: date | None, closed_on: date | None, reviewed_on: date
) -> dict[str, str]:
    """What is wrong with a new review's date, by field: reviews follow one another from the day the
    risk was raised, and a closed risk is not reviewed."""
    if closed_on is not None:
        return {"reviewed_on": f"The risk was closed on {closed_on:%d/%m/%Y}: a closed risk is not reviewed"}
    if reviewed_on < raised_on:
        return {"reviewed_on": f"The risk was raised on {raised_on:%d/%m/%Y}: give that day or later"}
    if last_reviewed_on is not None and reviewed_on < last_reviewed_on:
        return {"reviewed_on": f"It was last reviewed on {last_reviewed_on:%d/%m/%Y}: give that day or later"}
    return {}


def grid(ratings: list[Rating]) -> list[tuple[int, list[tuple[int, int, Band]]]]:
    """The 5x5 grid the board reads: rows of likelihood from 5 down to 1, each cell (impact, how many
    risks, band)."""
    counts: dict[tuple[int, int], int] = {}
    for rating in ratings:
        key = (rating.likelihood, rating.impact)
        counts[key] = counts.get(key, 0) + 1
    return [
        (
            likelihood,
            [(impact, counts.get((likelihood, impact), 0), band(likelihood * impact)) for impact in range(1, 6)],
        )
        for likelihood in range(5, 0, -1)
    ]
