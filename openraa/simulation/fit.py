"""Fit the simulation's Parameters from an agency's records (the demo region, or children and
households imported from SSDA903): arrival rates per council per year and the empirical lists
of what arrives. Only aggregates leave this module's callers: profiles carry no identity."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from openraa.children.models import Child
from openraa.common.ages import age_in_years
from openraa.common.dates import long_date
from openraa.households.models import Household
from openraa.matching import engine
from openraa.matching.adapters import child_unit_id
from openraa.partnership.models import Agency
from openraa.simulation.model import (
    Assumptions,
    ChildProfile,
    Council,
    HouseholdProfile,
    Parameters,
)

WINDOW_YEARS = 5  # rates are counted over at most the last five years of records


def fit(
    agency: Agency,
    as_of: date,
    *,
    years: float = 5.0,
    replications: int = 50,
    seed: int = 2016,
    assumptions: Assumptions | None = None,
) -> Parameters:
    councils = list(agency.member_councils().order_by("name"))
    start = as_of - timedelta(days=round(365 * WINDOW_YEARS))
    children = (
        Child.objects.filter(agency=agency, placement_order_on__isnull=False, placement_order_on__lte=as_of)
        .select_related("responsible_council", "sibling_group")
        .prefetch_related("needs")
        .order_by("id")
    )
    grouped: dict[str, list[Child]] = defaultdict(list)
    for child in children:
        grouped[child_unit_id(child)].append(child)
    profiles: list[ChildProfile] = []
    unit_counts: Counter[str] = Counter()
    first_order = as_of
    for members in grouped.values():
        order = min(c.placement_order_on for c in members)
        first_order = min(first_order, order)
        profiles.append(
            ChildProfile(
                ages=tuple(sorted(age_in_years(c.date_of_birth, order) for c in members)),
                needs=engine.combine_needs(*({n.need: n.severity for n in c.needs.all()} for c in members)),
                ethnicities=tuple(sorted({c.ethnicity for c in members})),
            )
        )
        if order >= start:
            unit_counts[members[0].responsible_council.ons_code] += 1
    approved = (
        Household.objects.filter(
            agency=agency,
            approved_on__isnull=False,
            approved_on__lte=as_of,
            approved_children__isnull=False,
            age_min__isnull=False,
            age_max__isnull=False,
        )
        .select_related("home_council")
        .prefetch_related("applicants", "capabilities")
        .order_by("id")
    )
    homes: list[HouseholdProfile] = []
    home_counts: Counter[str] = Counter()
    first_approval = as_of
    for h in approved:
        first_approval = min(first_approval, h.approved_on)
        homes.append(
            HouseholdProfile(
                approved_children=h.approved_children,
                age_min=h.age_min,
                age_max=h.age_max,
                capabilities={c.need: c.level for c in h.capabilities.all()},
                sibling_group_open=h.sibling_group_open,
                ethnicities=tuple(sorted({a.ethnicity for a in h.applicants.all()})),
            )
        )
        if h.approved_on >= start:
            home_counts[h.home_council.ons_code] += 1
    # Years the counts cover: from the first record in the window (at least a year) to as_of.
    child_years = max(1.0, (as_of - max(start, first_order)).days / 365)
    home_years = max(1.0, (as_of - max(start, first_approval)).days / 365)
    return Parameters(
        councils=tuple(
            Council(
                c.ons_code,
                c.name,
                round(unit_counts[c.ons_code] / child_years, 2),
                round(home_counts[c.ons_code] / home_years, 2),
            )
            for c in councils
        ),
        child_profiles=tuple(profiles),
        household_profiles=tuple(homes),
        assumptions=assumptions or Assumptions(),
        years=years,
        replications=replications,
        seed=seed,
        source=f"fitted from {agency.name}'s records to {long_date(as_of)}: {len(profiles)} children or sibling "
        f"groups with placement orders, {len(homes)} approved households",
    )
