"""Writes to the partnership: setting up a real agency from the register (openraa setup_agency)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from openraa.partnership.models import Agency, Council, Membership
from openraa.partnership.setup import AgencyPlan


class Refused(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class SetUp:
    agency: Agency
    councils: list[Council]
    added: list[Council] = field(default_factory=list)  # councils new to the Council table


def refusals(plan: AgencyPlan) -> list[str]:
    """What the database refuses: a code or name in use, a council already in another agency on the
    joining day, a council table entry that disagrees with the register."""
    found = []
    if Agency.objects.filter(code=plan.code).exists():
        found.append(
            f"An agency with the code {plan.code!r} already exists: nothing was changed "
            "(change its members on the partnership pages)"
        )
    if Agency.objects.filter(name__iexact=plan.name).exists():
        found.append(f"An agency named {plan.name!r} already exists")
    day = plan.joined_on
    for registered in plan.councils:
        council = Council.objects.filter(ons_code=registered.ons_code).first()
        if council is None and Council.objects.filter(name__iexact=registered.name).exists():
            other = Council.objects.get(name__iexact=registered.name)
            found.append(f"{registered}: the council {other.name} is already recorded with the code {other.ons_code}")
        if council is None:
            continue
        elsewhere = (
            Membership.objects.filter(council=council, joined_on__lte=day)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
            .select_related("agency")
            .first()
        )
        if elsewhere:
            found.append(
                f"{council.name} is a member of {elsewhere.agency.name} on {day:%d/%m/%Y} "
                f"(since {elsewhere.joined_on:%d/%m/%Y}): record when it leaves that agency first"
            )
    return found


@transaction.atomic
def set_up_agency(plan: AgencyPlan) -> SetUp:
    """The agency, its councils (added from the register when missing), host and commissioning
    council and memberships from the joining day; all or nothing."""
    reasons = refusals(plan)
    if reasons:
        raise Refused(reasons)
    councils, added = [], []
    for registered in plan.councils:
        council = Council.objects.filter(ons_code=registered.ons_code).first()
        if council is None:
            council = Council(name=registered.name, ons_code=registered.ons_code, region=registered.region)
            council.full_clean()
            council.save()
            added.append(council)
        councils.append(council)
    by_code = {c.ons_code: c for c in councils}
    agency = Agency(
        code=plan.code,
        name=plan.name,
        governance_model=plan.model,
        host_council=by_code[plan.host.ons_code] if plan.host else None,
        commissioning_council=by_code[plan.commissioning.ons_code] if plan.commissioning else None,
        decisions_by_council_adm=plan.council_adm,
    )
    agency.full_clean()
    agency.save()
    for council in councils:
        membership = Membership(agency=agency, council=council, joined_on=plan.joined_on)
        membership.full_clean()
        membership.save()
    return SetUp(agency, councils, added)
