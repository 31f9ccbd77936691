"""What an adopter may read: only their own household's records, and the anonymised profiles their
agency publishes that the family could be considered for (a profile whose child lives, or whose
birth family lives, where the family's own location rules out is not shown, and not explained:
saying why would tell the family where the child or the birth family is)."""

from dataclasses import dataclass, field
from datetime import date

from openraa.children.models import Child
from openraa.families.models import AdopterAccount, PublishedProfile
from openraa.households.models import Household
from openraa.matching import adapters, engine
from openraa.matching.escalation import anonymised_profile
from openraa.matching.models import Interest
from openraa.matching.selectors import engine_settings, unit_members
from openraa.matching.services import settings_for

# Rules about the family's own approval, which the family may read about themselves.
STATUS_RULES = frozenset({"not_approved", "active_link"})


@dataclass
class ProfileView:
    profile: PublishedProfile
    facts: dict
    members: list[Child]
    rules: list[str] = field(default_factory=list)  # empty: within the family's approval
    interest: Interest | None = None

    @property
    def within_approval(self) -> bool:
        return not self.rules


def family_may_browse(household: Household) -> bool:
    return household.approved_on is not None and household.closed_on is None


def published_for(account: AdopterAccount, today: date) -> list[ProfileView]:
    """The profiles the family may see, each with the rules of their approval it breaks (if any)."""
    household = account.household
    if not family_may_browse(household):
        return []
    one = adapters.households(Household.objects.filter(pk=household.pk), today)
    if not one:
        return []
    pool = engine.HouseholdPool(one)
    settings = engine_settings(settings_for(household.agency))
    seeking = adapters.seeking_children(Child.objects.unsealed())
    profiles = (
        PublishedProfile.objects.filter(
            withdrawn_on__isnull=True, child__agency_id=household.agency_id, child__in=seeking
        )
        .select_related("child", "child__sibling_group")
        .order_by("-published_on", "-id")
    )
    interests = {i.child_id: i for i in Interest.objects.filter(household=household).order_by("expressed_on", "id")}
    views = []
    for profile in profiles:
        members = list(adapters.with_matching_data(unit_members(profile.child)))
        if not members:
            continue
        unit = adapters.unit_of(profile.unit_reference, members, today)
        broken = engine.broken_rules(unit, pool, settings).get(household.reference, set())
        if broken & engine.LOCATION_RULES:
            continue
        rules = engine.exclusion_reasons(unit, pool, settings=settings).get(household.reference, []) if broken else []
        interest = next((interests[m.pk] for m in members if m.pk in interests), None)
        views.append(ProfileView(profile, _facts(unit, profile), members, rules, interest))
    return views


def _facts(unit: engine.Unit, profile: PublishedProfile) -> dict:
    facts = anonymised_profile(unit)
    facts["profile"] = profile.code  # the same code whatever page or pack shows it
    return facts


def profile_for(account: AdopterAccount, code: str, today: date) -> ProfileView | None:
    return next((view for view in published_for(account, today) if view.profile.code == code), None)


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
