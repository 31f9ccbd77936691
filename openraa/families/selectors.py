"""What an adopter may read: only their own household's records, and the anonymised profiles their
agency publishes that the family could be considered for (a profile whose child lives, or whose
birth family lives, where the family's own location rules out is not shown, and not explained:
saying why would tell the family where the child or the birth family is)."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, partial

import numpy as np
from django.db.models import Max, Q

from openraa.children.models import Child, SiblingGroup
from openraa.families.models import AdopterAccount, PublishedProfile
from openraa.households.models import Household
from openraa.matching import adapters, engine
from openraa.matching.engine import core
from openraa.matching.engine.shortlist import DEFAULT_WEIGHTS
from openraa.matching.escalation import anonymised_profile
from openraa.matching.models import Interest
from openraa.matching.selectors import engine_settings
from openraa.matching.services import settings_for


@dataclass
class ProfileView:
    profile: PublishedProfile
    facts: dict
    members: list[Child]
    broken: set[str] = field(default_factory=set)  # the engine's names of the approval's rules broken
    interest: Interest | None = None
    # The rules broken in words, worked out only when read: a thousand profiles' words cost most of
    # the profiles list, which shows those within the approval (no words) unless asked for all.
    reasons: Callable[[], list[str]] = field(default=list, repr=False, compare=False)

    @cached_property
    def rules(self) -> list[str]:  # empty: within the family's approval
        return self.reasons() if self.broken else []

    @property
    def within_approval(self) -> bool:
        # Every broken rule has words but `unknown_need`, which has none for a need the engine names.
        return not self.broken or (self.broken == {"unknown_need"} and not self.rules)


def family_may_browse(household: Household) -> bool:
    return household.approved_on is not None and household.closed_on is None


def published_for(account: AdopterAccount, today: date) -> list[ProfileView]:
    """The profiles the family may see, each with the rules of their approval it breaks (if any)."""
    return _views(account, today)


def profile_for(account: AdopterAccount, code: str, today: date) -> ProfileView | None:
    return next(iter(_views(account, today, code=code)), None)


@dataclass(frozen=True)
class _Published:
    profile: PublishedProfile
    members: list[Child]
    unit: engine.Unit
    facts: dict


# Each published unit, built once and rebuilt only when one of its children is saved again (every
# full save of a child raises its version: needs, steps and plan go through one) or when sibling
# groups change: a family browsing pages of profiles costs two queries and one pass of the rules,
# while staff edit other children all day. Kept per process, like the matching pool.
_PUBLISHED: dict[tuple, dict[int, tuple[tuple, "_Published | None"]]] = {}


def _published(agency_id: int, today: date) -> list[_Published]:
    groups_changed = SiblingGroup.history.model.objects.aggregate(top=Max("history_id"))["top"]
    cache = _PUBLISHED.setdefault((agency_id, today, groups_changed), {})
    if len(_PUBLISHED) > 1:  # a new day or a sibling group changed: start again
        for key in [k for k in _PUBLISHED if k != (agency_id, today, groups_changed)]:
            del _PUBLISHED[key]
    profiles = list(
        PublishedProfile.objects.filter(
            withdrawn_on__isnull=True,
            child__agency_id=agency_id,
            child__stage__in=adapters.SEEKING,
            child__adoption_order_on__isnull=True,
        )
        .order_by("-published_on", "-id")
        .values_list(
            "pk", "child_id", "child__sibling_group_id", "child__sibling_group__place_together", "child__stage"
        )
    )
    groups = {group for _, _, group, together, _ in profiles if group is not None and together}
    alone = [child for _, child, group, together, _ in profiles if not (group is not None and together)]
    versions: dict[int, int] = {}
    by_group: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, version, group, stage in Child.objects.filter(Q(pk__in=alone) | Q(sibling_group_id__in=groups)).values_list(
        "pk", "version", "sibling_group_id", "stage"
    ):
        versions[pk] = version
        if group is not None:
            by_group[group].append((pk, stage))
    stamps = {}
    for pk, child, group, together, stage in profiles:
        member_ids = sorted(c for c, s in by_group[group] if s == stage) if group is not None and together else [child]
        stamps[pk] = tuple((c, versions.get(c)) for c in member_ids)
    stale = [pk for pk in stamps if pk not in cache or cache[pk][0] != stamps[pk]]
    if stale:
        rebuilt = list(PublishedProfile.objects.filter(pk__in=stale).select_related("child", "child__sibling_group"))
        members_of = _members(rebuilt)
        for profile in rebuilt:
            members = members_of[profile.pk]
            unit = adapters.unit_of(profile.unit_reference, members, today) if members else None
            cache[profile.pk] = (
                stamps[profile.pk],
                _Published(profile, members, unit, _facts(unit, profile)) if unit is not None else None,
            )
    for pk in [pk for pk in cache if pk not in stamps]:
        del cache[pk]  # withdrawn, placed or sealed since
    return [found for pk, *_ in profiles if (found := cache[pk][1]) is not None]


def _views(account: AdopterAccount, today: date, code: str | None = None) -> list[ProfileView]:
    household = account.household
    if not family_may_browse(household):
        return []
    one = adapters.households(Household.objects.filter(pk=household.pk), today)
    if not one:
        return []
    pool = engine.HouseholdPool(one)
    settings = engine_settings(settings_for(household.agency))
    published = _published(household.agency_id, today)
    if code is not None:
        published = [p for p in published if p.profile.code == code]
    interests = {i.child_id: i for i in Interest.objects.filter(household=household).order_by("expressed_on", "id")}
    views = []
    for item, broken in zip(published, _broken_rules([p.unit for p in published], pool, settings)):
        if broken & engine.LOCATION_RULES:
            continue
        interest = next((interests[m.pk] for m in item.members if m.pk in interests), None)
        reasons = partial(_reasons, item.unit, pool, settings, household.reference)
        views.append(ProfileView(item.profile, item.facts, item.members, broken, interest, reasons))
    return views


def _reasons(unit: engine.Unit, pool: engine.HouseholdPool, settings, reference: str) -> list[str]:
    return engine.exclusion_reasons(unit, pool, settings=settings).get(reference, [])


def _broken_rules(units: list[engine.Unit], pool: engine.HouseholdPool, settings) -> list[set[str]]:
    """engine.broken_rules for the pool's one household, every unit at once: the engine's arrays
    for a single unit cost more to build than to check, and a family may see a thousand profiles."""
    if not units:
        return []
    u = core.UnitArrays(units, pool, DEFAULT_WEIGHTS, settings).rows(slice(None))
    h = pool.columns(np.arange(len(pool)))
    broken: list[set[str]] = [set() for _ in units]
    for name, rows, mask in core.violations(u, h, settings):
        where = np.arange(len(units)) if rows is None else rows
        hit = np.broadcast_to(mask, (len(where), len(pool)))[:, 0]
        for row in where[hit].tolist():
            broken[row].add(name)
    return broken


def _members(profiles: list[PublishedProfile]) -> dict[int, list[Child]]:
    """Each profile's unit as matching.selectors.unit_members reads it (the child, or its sibling
    group's children at the child's stage when they are to be placed together, by id), with their
    matching data: one query for every profile's children and two for their needs and excluded
    councils, not three per profile."""
    together: dict[int, int] = {
        p.pk: p.child.sibling_group_id for p in profiles if _placed_together(p.child) and p.child.sibling_group_id
    }
    alone = [p.child_id for p in profiles if p.pk not in together]
    children = list(
        adapters.with_matching_data(
            Child.objects.filter(Q(pk__in=alone) | Q(sibling_group_id__in=set(together.values())))
        ).order_by("id")
    )
    by_pk = {c.pk: c for c in children}
    by_group: dict[int, list[Child]] = defaultdict(list)
    for child in children:
        if child.sibling_group_id is not None:
            by_group[child.sibling_group_id].append(child)
    return {
        p.pk: (
            [c for c in by_group[together[p.pk]] if c.stage == p.child.stage]
            if p.pk in together
            else [by_pk[p.child_id]]
        )
        for p in profiles
    }


def _placed_together(child: Child) -> bool:
    group = child.sibling_group
    return group is not None and group.place_together


def _facts(unit: engine.Unit, profile: PublishedProfile) -> dict:
    facts = anonymised_profile(unit)
    facts["profile"] = profile.code  # the same code whatever page or pack shows it
    return facts


def interests_of(account: AdopterAccount) -> list[tuple[Interest, str]]:
    """The family's interests, newest first, each named by its published profile's code (never the
    child's reference): a child the family's worker raised without a profile is 'a child your
    worker told you about'."""
    interests = list(Interest.objects.filter(household_id=account.household_id).order_by("-expressed_on", "-id"))
    codes = dict(
        PublishedProfile.objects.filter(child_id__in=[i.child_id for i in interests]).values_list("child_id", "code")
    )
    return [
        (i, f"Profile {codes[i.child_id]}" if i.child_id in codes else "A child your worker told you about")
        for i in interests
    ]
