"""Sufficiency: for the waiting children's profiles, how many households could take them, and where
the gaps are largest."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from openraa.reference import DISABILITY_NEEDS

from . import core
from .assign import BLOCK_PAIRS
from .model import Settings, Unit, Weights

DEFAULT_SETTINGS = Settings()
AGE_BANDS = ((0, 1, "aged 0-1"), (2, 4, "aged 2-4"), (5, 9, "aged 5-9"), (10, 99, "aged 10+"))


@dataclass(frozen=True)
class Profile:
    age_band: str  # of the oldest child: the one an approval's age range must reach
    size: int
    complex_needs: bool  # a disability need, or any need at high level
    ethnic_group: str

    @property
    def label(self) -> str:
        who = "child" if self.size == 1 else f"sibling group of {self.size}"
        needs = "disability or complex needs" if self.complex_needs else "no complex needs"
        return f"{who} {self.age_band}, {needs}, {self.ethnic_group}"


@dataclass(frozen=True)
class Gap:
    profile: Profile
    units: int
    children: int
    approved: int  # approved households, not in an active link, that could take a typical unit of this profile
    in_assessment: int  # households in assessment whose expected approval could
    children_per_household: float  # children waiting per approved household that could take them (inf: none)
    unit_ids: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.profile.label


def profile_of(unit: Unit) -> Profile:
    oldest = max(unit.ages)
    band = next(label for low, high, label in AGE_BANDS if low <= oldest <= high)
    complex_needs = any(
        code in DISABILITY_NEEDS or severity == "high" for code, severity in unit.needs.items() if severity != "none"
    )
    groups = {core.ethnic_group(code) for code in unit.ethnicities}
    group = groups.pop() if len(groups) == 1 else ("Not known" if not groups else "Mixed")
    return Profile(band, unit.size, complex_needs, group)


def sufficiency(units: Sequence[Unit], pool: core.HouseholdPool, settings: Settings = DEFAULT_SETTINGS) -> list[Gap]:
    """Profiles ranked by children waiting per household that could take them, largest gap first.

    Each unit is checked against every household's approval (or expected approval) with the same
    hard constraints as matching, leaving out whether the household is free today; a profile's
    count is the median over its units, i.e. what a representative child of the profile has.
    """
    encoded = core.UnitArrays(units, pool, Weights(), settings)
    everyone = pool.columns()
    available = pool.approved & ~pool.in_link
    approved = np.zeros(len(units), dtype=np.int64)
    assessing = np.zeros(len(units), dtype=np.int64)
    step = max(1, BLOCK_PAIRS // max(len(pool), 1))
    for start in range(0, len(units), step):
        chunk = slice(start, min(len(units), start + step))
        ok = core.feasible(encoded.rows(chunk), everyone, settings, include_status=False)
        approved[chunk] = (ok & available).sum(axis=1)
        assessing[chunk] = (ok & ~pool.approved).sum(axis=1)

    members: dict[Profile, list[int]] = defaultdict(list)
    for row, unit in enumerate(units):
        members[profile_of(unit)].append(row)
    gaps = []
    for profile, rows in members.items():
        children = sum(units[r].size for r in rows)
        typical = int(np.median(approved[rows]))
        gaps.append(
            Gap(
                profile,
                len(rows),
                children,
                typical,
                int(np.median(assessing[rows])),
                children / typical if typical else float("inf"),
                tuple(units[r].id for r in rows),
            )
        )
    return sorted(gaps, key=lambda g: (-g.children_per_household, -g.children, g.label))
