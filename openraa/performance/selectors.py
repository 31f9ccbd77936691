"""Reads for the performance pages: the agency's children and households as the scorecard's plain
records (two queries, whatever the number of records), the thresholds, and who sees what.

Aggregates are agency-wide: anyone holding the `aggregates` grant sees the agency's figures, and
nothing here hands a record to a page. Each council's counts are exact only for those who see that
council's records in full (policy.disclosure_viewer); everyone else sees them with small numbers
suppressed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from openraa.children.models import Child, ChildNeed
from openraa.common.disclosure import NOBODY, Disclosure
from openraa.common.years import FinancialYear
from openraa.finance.models import InteragencyFee
from openraa.households.models import Household
from openraa.journeys.models import targets_for
from openraa.partnership.models import Agency, Council, Membership
from openraa.people import policy
from openraa.performance import in_house
from openraa.performance import scorecard as sc
from openraa.performance.models import ScorecardThresholds
from openraa.performance.present import Table, publish
from openraa.reference import DISABILITY_NEEDS

_CHILD_FIELDS = (
    "responsible_council__ons_code",
    "date_of_birth",
    "ethnicity",
    "disabled",
    "sibling_group_id",
    "entered_care_on",
    "should_be_placed_on",
    "placement_order_on",
    "early_permanence_on",
    "linked_on",
    "matched_on",
    "placed_on",
    "adoption_order_on",
    "plan_ended_on",
    "plan_ended_reason",
    "household_id",
    "early_permanence_household_id",
    "fostered_by_adopters_from",
    "sex",
)


@dataclass(frozen=True)
class Records:
    children: list[sc.ChildRecord]
    households: list[sc.HouseholdRecord]
    councils: dict[str, str]  # ONS code -> name, in the order to show them


YEARS_OFFERED = 8  # the financial years the performance pages let one choose


def offered_years(today: date) -> list[FinancialYear]:
    """The years the pages, the API and the board's suppression cover: the current one first."""
    current = FinancialYear.containing(today)
    return [current - back for back in range(YEARS_OFFERED)]


def council_names(agency: Agency) -> dict[str, str]:
    """Every council that has been a member of the agency, by name."""
    councils = Council.objects.filter(memberships__in=Membership.objects.filter(agency=agency)).distinct()
    return {c.ons_code: c.name for c in councils.order_by("name")}


def records(agency: Agency) -> Records:
    """The agency's children and households as plain records: one query for the children (with
    their disability flag), one for sibling group sizes, one for the households."""
    children = (
        Child.objects.filter(agency=agency)
        .annotate(disabled=Exists(ChildNeed.objects.filter(child=OuterRef("pk"), need__in=DISABILITY_NEEDS)))
        .values_list(*_CHILD_FIELDS)
    )
    sizes = dict(
        Child.objects.filter(agency=agency, sibling_group__isnull=False)
        .values("sibling_group")
        .annotate(n=Count("id"))
        .values_list("sibling_group", "n")
    )
    child_records: list[sc.ChildRecord] = []
    placements: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    matches: dict[int, set[date]] = defaultdict(set)
    for (
        council,
        born,
        ethnicity,
        disabled,
        group,
        care,
        decision,
        order,
        early,
        _linked,
        matched,
        placed,
        adopted,
        ended,
        reason,
        household,
        early_household,
        fostered_from,
        sex,
    ) in children.iterator(chunk_size=5000):
        child_records.append(
            sc.ChildRecord(
                council=council,
                date_of_birth=born,
                ethnicity=ethnicity,
                disability=disabled,
                sibling_group_size=sizes.get(group, 1) if group else 1,
                entered_care_on=care,
                should_be_placed_on=decision,
                placement_order_on=order,
                early_permanence_on=early,
                matched_on=matched,
                placed_on=placed,
                adoption_order_on=adopted,
                plan_ended_on=ended,
                plan_ended_reason=reason,
                fostered_by_adopters_from=fostered_from
                or (early if early_household and early_household == household else None),
                sex=sex,
            )
        )
        # The household stops waiting to be matched (A11) from the match, or from the early
        # permanence placement, until the plan ends; a link alone may still fall through.
        start = min((d for d in (matched, placed) if d), default=None)
        if household and matched:
            matches[household].add(matched)
        if household and early and early_household == household:
            start = min(early, start) if start else early
        if household and start:
            placements[household].append((start, ended))
        if early_household and early and early_household != household:
            placements[early_household].append((early, ended or start))
    household_records = [
        sc.HouseholdRecord(
            council=council,
            enquiry_on=enquiry,
            approved_on=approved,
            closed_on=closed,
            placements=tuple(placements.get(pk, ())),
            registered_on=registered,
            matches=tuple(sorted(matches.get(pk, ()))),
        )
        for pk, council, enquiry, registered, approved, closed in Household.objects.filter(agency=agency)
        .values_list(
            "pk", "home_council__ons_code", "enquiry_on", "registration_of_interest_on", "approved_on", "closed_on"
        )
        .iterator(chunk_size=5000)
    ]
    return Records(child_records, household_records, council_names(agency))


def thresholds_for(agency: Agency) -> sc.Thresholds:
    """A1 and A10 from the agency's scorecard thresholds; A2 and the waiting limits from its
    timescale targets (the drift pages use the same)."""
    targets = targets_for(agency)
    own = ScorecardThresholds.objects.filter(agency=agency).first()
    defaults = sc.Thresholds()
    return sc.Thresholds(
        a1_days=own.a1_days if own else defaults.a1_days,
        a2_days=targets.order_to_match_days,
        a10_days=own.a10_days if own else defaults.a10_days,
        waiting_days=targets.waiting_days,
        long_wait_months=targets.long_wait_months,
        household_wait_months=targets.approved_waiting_months,
    )


def _agency_of(user) -> Agency:
    if not policy.can(user, "aggregates", "view"):
        raise PermissionDenied
    return user.agency


def scorecard_of(
    agency: Agency,
    *,
    year: FinancialYear | None = None,
    as_of: date | None = None,
    thresholds: sc.Thresholds | None = None,
    loaded: Records | None = None,
) -> sc.Scorecard:
    """The scorecard of `year`, by default the year running on as_of."""
    as_of = as_of or timezone.localdate()
    loaded = loaded or records(agency)
    year = year or FinancialYear.containing(as_of)
    return sc.compute_scorecard(
        loaded.children,
        loaded.households,
        year=year,
        as_of=as_of,
        thresholds=thresholds or thresholds_for(agency),
        councils=loaded.councils,
    )


@dataclass(frozen=True)
class Published:
    """What one viewer is shown: the scorecard of the year asked for, the board's figures, and the
    suppression that covers every year and page they could ask for (performance/present.publish)."""

    card: sc.Scorecard
    board: sc.BoardFigures
    disclosure: Disclosure


def published_for(
    user, *, year: FinancialYear | None = None, as_of: date | None = None, board_pack: bool = False
) -> Published:
    """The scorecard and the board's figures from one read of the records, suppressed for the viewer
    (policy.disclosure_viewer). Whoever sees some council's counts only suppressed gets them protected
    across every year offered and the board pack together, so that no two pages can be subtracted.
    The board pack is the board's: someone who sees every count gets it as the board sees it."""
    agency = _agency_of(user)
    as_of = as_of or timezone.localdate()
    year = year or FinancialYear.containing(as_of)
    viewer = policy.disclosure_viewer(user)
    if board_pack and viewer.everything:
        viewer = NOBODY
    loaded = records(agency)
    thresholds = thresholds_for(agency)
    card = scorecard_of(agency, year=year, as_of=as_of, thresholds=thresholds, loaded=loaded)
    board = sc.compute_board(loaded.children, loaded.households, as_of=as_of, councils=loaded.councils)
    if viewer.everything:
        return Published(card, board, publish([card], board, viewer))
    years = sorted(set(offered_years(as_of)) | {year})
    cards = [
        card if y == year else scorecard_of(agency, year=y, as_of=as_of, thresholds=thresholds, loaded=loaded)
        for y in years
    ]
    return Published(card, board, publish(cards, board, viewer))


def with_thresholds(thresholds: sc.Thresholds, **overrides) -> sc.Thresholds:
    return replace(thresholds, **{k: v for k, v in overrides.items() if v is not None})


def in_house_placements(agency: Agency) -> list[in_house.Placement]:
    """Every placement for adoption of the agency's children, with its route (performance/in_house.py):
    each outside placement in the fee ledger (whether or not the child's record carries its date),
    and each placement on a child's record not in the ledger: with a household of the agency, or not
    recorded."""
    outside = {
        (child, placed_on): council
        for child, placed_on, council in InteragencyFee.objects.filter(agency=agency).values_list(
            "child_id", "placed_on", "child__responsible_council__ons_code"
        )
    }
    placements = [
        in_house.Placement(council, placed_on, in_house.Route.INTERAGENCY)
        for (_, placed_on), council in outside.items()
    ]
    rows = Child.objects.filter(agency=agency, placed_on__isnull=False).values_list(
        "pk", "responsible_council__ons_code", "placed_on", "household__agency_id"
    )
    placements += [
        in_house.Placement(council, placed_on, in_house.route_of(household_agency == agency.pk, False))
        for pk, council, placed_on, household_agency in rows
        if placed_on is not None and (pk, placed_on) not in outside
    ]
    return placements


def in_house_table(user, year: FinancialYear) -> Table:
    """The in-house placement rate of the year, by council, suppressed as the board pack is."""
    agency = _agency_of(user)
    viewer = policy.disclosure_viewer(user)
    if viewer.everything:
        viewer = NOBODY  # the board pack is the board's
    names = council_names(agency)
    counts = in_house.count(in_house_placements(agency), year.starts_on, year.ends_on, names)
    return in_house.table(counts, names, viewer, year.label)
