"""Reach: for each waiting unit, how many households free to link could take it, and when none can,
which hard rules block it and what kind of household would unblock it.

A household "one rule away" breaks exactly one hard rule: relaxing that rule for it (an approval
for one more child, a wider age range, openness to siblings, a need it could learn to meet) is what
would unblock the unit. These near misses, counted per rule, are what recruitment and approval
reviews can act on; the rule keeping the most households away is the unit's main blocker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from openraa.reference import NEEDS

from . import core
from .assign import BLOCK_PAIRS
from .model import Settings, Unit, Weights

DEFAULT_SETTINGS = Settings()
# Where the child may not live near: naming the area or the distance would tell where the birth
# family lives, so both rules share words that say neither.
_BIRTH_FAMILY_RULES = frozenset({"excluded_area", "near_birth_family"})


@dataclass(frozen=True)
class Blocker:
    rule: str  # a hard rule's name, as core.violations gives it
    excludes: int  # households free to link that break it
    alone: int  # of those, households that break no other rule: relaxing this one would unblock them


@dataclass(frozen=True)
class Reach:
    unit_id: str
    free: int  # households approved and not in a link
    viable: int  # of those, households that break no hard rule
    blockers: tuple[Blocker, ...]  # rules that exclude any free household, the most near misses first

    @property
    def blocked(self) -> bool:
        return self.viable == 0


def reach(units: Sequence[Unit], pool: core.HouseholdPool, settings: Settings = DEFAULT_SETTINGS) -> list[Reach]:
    """Each unit's reach among the households free to link, in the order given."""
    encoded = core.UnitArrays(units, pool, Weights(), settings)
    free = np.flatnonzero(pool.approved & ~pool.in_link)
    h = pool.columns(free)
    out: list[Reach] = []
    step = max(1, BLOCK_PAIRS // max(len(free), 1))
    for start in range(0, len(units), step):
        rows = slice(start, min(len(units), start + step))
        u = encoded.rows(rows)
        broken: dict[str, np.ndarray] = {}
        for name, at, mask in core.violations(u, h, settings, include_status=False):
            full = np.zeros((u.count, len(free)), dtype=bool)
            if at is None:
                full[...] = mask
            else:
                full[at] = mask
            broken[_rule_group(name)] = broken.get(_rule_group(name), full) | full
        # Rules broken per pair, the birth family's two counted as one.
        count = np.zeros((u.count, len(free)), dtype=np.int16)
        for mask in broken.values():
            count += mask
        for i, unit in enumerate(units[rows]):
            blockers = [
                Blocker(name, int(mask[i].sum()), int((mask[i] & (count[i] == 1)).sum()))
                for name, mask in broken.items()
                if mask[i].any()
            ]
            blockers.sort(key=lambda b: (-b.alone, -b.excludes, b.rule))
            out.append(Reach(unit.id, len(free), int((count[i] == 0).sum()), tuple(blockers)))
    return out


def _rule_group(name: str) -> str:
    return "birth_family" if name in _BIRTH_FAMILY_RULES else name


def who(unit: Unit) -> str:
    """ "a child aged 7", "3 brothers and sisters aged 4 to 9"."""
    low, high = min(unit.ages), max(unit.ages)
    ages = f"aged {low}" if low == high else f"aged {low} to {high}"
    return f"a child {ages}" if unit.size == 1 else f"{unit.size} brothers and sisters {ages}"


def blocked_words(unit: Unit, settings: Settings = DEFAULT_SETTINGS) -> str:
    """What no free household accepts: "no approved household accepts 3 brothers and sisters aged 4
    to 9 with a learning disability at high level within 60 km"."""
    words = f"no approved household free to link accepts {who(unit)}"
    needs = [f"{_need(code)} at {level} level" for code, level in sorted(unit.needs.items()) if level != "none"]
    if needs:
        words += " with " + _and(needs)
    if settings.max_distance_km is not None:
        words += f" within {settings.max_distance_km:g} km"
    return words


def unblock_words(unit: Unit, blocker: Blocker, settings: Settings = DEFAULT_SETTINGS) -> str:
    """What would unblock the unit, in words: the kind of household the near misses lack."""
    homes = f"{blocker.alone} household{'s' if blocker.alone != 1 else ''}"
    rule = blocker.rule
    if rule == "too_many_children":
        need = f"approved for {unit.size} children"
    elif rule == "siblings":
        need = f"open to a sibling group of {unit.size}"
    elif rule == "ages":
        low, high = min(unit.ages), max(unit.ages)
        need = f"approved for children aged {low}" + (f" to {high}" if high != low else "")
    elif rule == "birth_family":
        need = "living away from the birth family's area"
    elif rule == "too_far":
        need = f"within {settings.max_distance_km:g} km of the child"
    elif rule == "unknown_need":
        need = "able to meet a need no approved household has been assessed for"
    else:
        code = rule.removeprefix("need:")
        need = f"able to meet {_need(code)} at {unit.needs.get(code, 'high')} level"
    if blocker.alone:
        return f"{homes} would be viable if {need}"
    return f"households {need} (no household is only this rule away)"


def _need(code: str) -> str:
    label = NEEDS[code][0] if code in NEEDS else code.replace("_", " ")
    return label[0].lower() + label[1:]


def _and(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class Target:
    """A kind of household the blocked units lack, by their main blocker: where recruitment (or an
    offer to neighbouring agencies) would unblock the most children."""

    label: str
    units: int
    children: int


def recruitment_targets(units: Sequence[Unit], reaches: Sequence[Reach]) -> list[Target]:
    """Blocked units grouped by the kind of household their main blocker asks for, most children first."""
    counts: dict[str, list[int]] = {}
    for unit, found in zip(units, reaches):
        if not found.blocked:
            continue
        label = _target_label(unit, found.blockers[0].rule) if found.blockers else "no household free to link"
        tally = counts.setdefault(label, [0, 0])
        tally[0] += 1
        tally[1] += unit.size
    targets = [Target(label, n, children) for label, (n, children) in counts.items()]
    return sorted(targets, key=lambda t: (-t.children, -t.units, t.label))


def _target_label(unit: Unit, rule: str) -> str:
    oldest = max(unit.ages)
    if rule in ("too_many_children", "siblings"):
        return f"households open to a sibling group of {unit.size}"
    if rule == "ages":
        band = "aged 10 or over" if oldest >= 10 else "aged 5 to 9" if oldest >= 5 else "aged under 5"
        return f"households approved for children {band}"
    if rule == "birth_family":
        return "households away from the birth family's area: offer to neighbouring agencies"
    if rule == "too_far":
        return "households within the agency's maximum distance"
    if rule == "unknown_need":
        return "households assessed for needs none has been assessed for"
    return f"households able to meet {_need(rule.removeprefix('need:'))}"
