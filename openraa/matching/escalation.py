"""Family finding beyond the region: a child or sibling group with no viable household among the
agency's (and its mutually searched neighbours') households, once it has waited the agency's
`escalate_after_days`, is offered as its anonymised profile to every other agency on this system
that takes offers; their households are scored by the same engine. Beyond them, the profile pack
(`profile_pack`) carries the same profiles to national family finding, in the documented format.

What leaves the agency is `anonymised_profile`: ages in years, the number of children, needs with
levels, the characteristics that make children wait, the ethnic group(s), days waiting and whether
early permanence is sought. Never a name, a date of birth, a council, a postcode or anything of the
birth family.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openraa.children.models import Child
from openraa.common.history import save_by
from openraa.households.models import Household
from openraa.matching import adapters, engine
from openraa.matching.engine.core import ethnic_group
from openraa.matching.models import Escalation, Interest, settings_for
from openraa.matching.selectors import context_for, matchable_children, searched_agencies, unit_members
from openraa.matching.services import record_interest
from openraa.partnership.models import Agency
from openraa.reference import NEEDS

PROFILE_PACK_FORMAT = "openraa-profile-pack"
PROFILE_PACK_VERSION = 1


def anonymised_profile(unit: engine.Unit) -> dict:
    return {
        "profile": profile_code(unit.id),
        "children": unit.size,
        "ages": sorted(unit.ages),
        "to_be_placed_together": unit.size > 1,
        "needs": [
            {"code": code, "need": NEEDS[code][0] if code in NEEDS else code, "level": level}
            for code, level in sorted(unit.needs.items())
            if level != "none"
        ],
        "waits_longer_because": list(unit.hard_to_place_reasons()),
        "ethnic_groups": sorted({ethnic_group(code) for code in unit.ethnicities}),
        "days_waiting": unit.days_waiting,
        "early_permanence_sought": unit.early_permanence,
    }


def receivers(agency: Agency) -> list[Agency]:
    """Agencies that take offers, other than this one and those whose households it already searches."""
    searched = set(searched_agencies(agency))
    return list(
        Agency.objects.filter(matching_settings__receive_escalations=True).exclude(pk__in=searched).order_by("name")
    )


def blocked_units(agency: Agency, today: date, children=None) -> list[tuple[engine.Unit, list[Child]]]:
    """Every waiting unit of the agency (of `children`, when given: those a reader may see) with no
    viable household among those the agency searches."""
    children = Child.objects.unsealed() if children is None else children
    units, members = adapters.units(adapters.seeking_children(children.filter(agency=agency)), today)
    ctx = context_for(agency, today)
    return [
        (unit, members[unit.id])
        for unit, found in zip(units, engine.reach(units, ctx.pool, ctx.settings))
        if found.blocked
    ]


@transaction.atomic
def escalate_due(agency: Agency, today: date) -> list[Escalation]:
    """Offer each blocked unit that has waited long enough to each receiving agency not yet offered it."""
    after = settings_for(agency).escalate_after_days
    targets = receivers(agency)
    made: list[Escalation] = []
    if not targets:
        return made
    due = [(unit, members) for unit, members in blocked_units(agency, today) if unit.days_waiting >= after]
    offered = set(
        Escalation.objects.filter(unit_reference__in=[unit.id for unit, _ in due]).values_list(
            "unit_reference", "to_agency_id"
        )
    )
    for unit, members in due:
        for other in targets:
            if (unit.id, other.pk) in offered:
                continue
            offer = Escalation(
                child=members[0],
                unit_reference=unit.id,
                to_agency=other,
                offered_on=today,
                profile=anonymised_profile(unit),
            )
            offer.save()
            made.append(offer)
    return made


def escalate_everywhere(today: date) -> list[Escalation]:
    made: list[Escalation] = []
    for agency in Agency.objects.order_by("pk"):
        made += escalate_due(agency, today)
    return made


def offered_unit(offer: Escalation, today: date) -> engine.Unit:
    """The unit as the engine scores it for the receiving agency (read server-side; the receiving
    agency sees only the profile and its own households' scores)."""
    members = list(adapters.with_matching_data(unit_members(offer.child)))
    return adapters.unit_of(offer.unit_reference, members, today)


def offer_scorer(agency: Agency, today: date):
    """Scores offered units against the receiving agency's own households, by the same engine: the
    households are read and encoded once for all the offers on a page."""
    ctx = context_for(agency, today)
    own = engine.HouseholdPool(
        adapters.households(Household.objects.filter(agency=agency, closed_on__isnull=True), today)
    )

    def shortlist(offer: Escalation) -> engine.Shortlist:
        return engine.shortlist(offered_unit(offer, today), own, ctx.weights, ctx.settings)

    return shortlist


def profile_code(unit_id: str) -> str:
    """A stable code for a unit's profile outside the agency: the same in every pack, and nothing
    of the child's reference can be read from it."""
    digest = hmac.new(settings.SECRET_KEY.encode(), unit_id.encode(), hashlib.sha256).hexdigest()
    return f"P-{digest[:10].upper()}"


def profile_pack(agency: Agency, today: date, *, viewer) -> tuple[dict, list[Child]]:
    """The agency's blocked units that have waited past its escalation time, of the children the
    viewer may see, as anonymised profiles for national family finding (format: README, *Profile
    pack*), with the children they came from (for the audit)."""
    after = settings_for(agency).escalate_after_days
    due = sorted(
        (pair for pair in blocked_units(agency, today, matchable_children(viewer)) if pair[0].days_waiting >= after),
        key=lambda pair: (-pair[0].days_waiting, pair[0].id),
    )
    pack = {
        "format": PROFILE_PACK_FORMAT,
        "version": PROFILE_PACK_VERSION,
        "agency": agency.name,
        "generated_on": today.isoformat(),
        "profiles": [anonymised_profile(unit) for unit, _ in due],
    }
    return pack, [child for _, members in due for child in members]


@transaction.atomic
def put_forward(offer: Escalation, household: Household, note: str, *, by) -> None:
    """The receiving agency's household, put forward for the offered unit: an interest the child's
    agency reads on the child's family finding, within the household's cap."""
    offer = Escalation.objects.select_for_update().get(pk=offer.pk)
    if household.agency_id != offer.to_agency_id:
        raise ValidationError({"household": ["Only the receiving agency's own households can be put forward"]})
    members = list(unit_members(offer.child))
    record_interest(
        members,
        household,
        Interest.Direction.FROM_HOUSEHOLD,
        timezone.localdate(),
        by=by,
        note=f"Put forward by {offer.to_agency.name} for profile {offer.profile.get('profile', '')}. {note}".strip(),
    )
    offer.status = Escalation.Status.PUT_FORWARD
    save_by(offer, by)
