"""Writes to the partnership: setting up a real agency from the register (openraa setup_agency), and
its administration: councils joining and leaving, the host and commissioning council changing from a
date, bases and teams. Each write is one transaction with its history row under the user (`by`); a
refusal is a ValidationError whose messages say what to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from openraa.partnership import register, terms
from openraa.partnership.models import Agency, Base, Council, CouncilRole, Membership, Team
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
        code=plan.code, name=plan.name, governance_model=plan.model, decisions_by_council_adm=plan.council_adm
    )
    agency.full_clean()
    agency.save()
    for council in councils:
        membership = Membership(agency=agency, council=council, joined_on=plan.joined_on)
        membership.full_clean()
        membership.save()
    for kind, role_council in (
        (CouncilRole.Kind.HOST, plan.host),
        (CouncilRole.Kind.COMMISSIONING, plan.commissioning),
    ):
        if role_council is not None:
            _saved(
                CouncilRole(agency=agency, council=by_code[role_council.ons_code], kind=kind, starts_on=plan.joined_on)
            )
    return SetUp(agency, councils, added)


def _saved(record, by=None):
    record.full_clean()
    record._history_user = by
    record.save()
    return record


def _member_on(council: Council, day: date):
    return (
        Membership.objects.filter(council=council, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .select_related("agency")
        .first()
    )


@transaction.atomic
def join(agency: Agency, ons_code: str, joined_on: date, *, by=None) -> Membership:
    """The council (added from the register when new to the table) is a member from the day. Refused
    when it is, that day or later, a member of any agency: it leaves that one first."""
    registered = register.find(ons_code)
    if registered is None:
        raise ValidationError(
            {"ons_code": f"{ons_code.strip()} is not the ONS code of an English council with children's services"}
        )
    if not registered.exists_on(joined_on):
        raise ValidationError({"joined_on": f"{registered} does not exist on {joined_on:%d/%m/%Y}"})
    council = Council.objects.filter(ons_code=registered.ons_code).first()
    if council is None:
        council = _saved(Council(name=registered.name, ons_code=registered.ons_code, region=registered.region), by)
    overlapping = (
        Membership.objects.select_for_update()
        .filter(council=council)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=joined_on))
        .select_related("agency")
        .first()
    )
    if overlapping is not None:
        until = f"until {overlapping.left_on:%d/%m/%Y}" if overlapping.left_on else "with no leaving date"
        raise ValidationError(
            {
                "joined_on": f"{council.name} is a member of {overlapping.agency.name} from "
                f"{overlapping.joined_on:%d/%m/%Y} {until}: record when it leaves that agency first"
            }
        )
    return _saved(Membership(agency=agency, council=council, joined_on=joined_on), by)


@transaction.atomic
def leave(membership: Membership, left_on: date, *, by=None) -> Membership:
    """The council is no longer a member from `left_on`. Refused when it is the agency's host or
    commissioning council then or later (change that first), or when the agency would be left with
    no member council."""
    membership = Membership.objects.select_for_update().select_related("agency", "council").get(pk=membership.pk)
    agency, council = membership.agency, membership.council
    if membership.left_on is not None:
        raise ValidationError(f"{council.name} already left on {membership.left_on:%d/%m/%Y}")
    if left_on <= membership.joined_on:
        raise ValidationError(
            {"left_on": f"{council.name} joined on {membership.joined_on:%d/%m/%Y}: give a later day"}
        )
    role = (
        CouncilRole.objects.filter(agency=agency, council=council)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=left_on))
        .first()
    )
    if role is not None:
        raise ValidationError(
            f"{council.name} is the {role.get_kind_display().lower()} on {left_on:%d/%m/%Y}: "
            "record the change of council on the host and commissioning page first"
        )
    others = (
        Membership.objects.filter(agency=agency)
        .exclude(pk=membership.pk)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=left_on))
    )
    if not others.exists():
        raise ValidationError(f"{council.name} is the last member council: the agency cannot be left without one")
    membership.left_on = left_on
    return _saved(membership, by)


def role_terms(agency: Agency, kind: str) -> list[CouncilRole]:
    return list(CouncilRole.objects.filter(agency=agency, kind=kind).select_related("council").order_by("starts_on"))


@transaction.atomic
def change_council_role(
    agency: Agency, kind: str, council: Council | None, starts_on: date, note: str = "", *, by=None
) -> CouncilRole | None:
    """The host (or commissioning) council from `starts_on`: the running term ends the day before,
    so earlier days still show the council that held it then. `council` None: none from the day."""
    Agency.objects.select_for_update().get(pk=agency.pk)  # one change of the agency's terms at a time
    label = CouncilRole.Kind(kind).label.lower()
    held = role_terms(agency, kind)
    if (
        council is not None
        and not Membership.objects.filter(agency=agency, council=council, joined_on__lte=starts_on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=starts_on))
        .exists()
    ):
        raise ValidationError({"council": f"{council.name} is not a member on {starts_on:%d/%m/%Y}"})
    change, refusals = terms.change_from(
        [terms.Term(term.council_id, term.starts_on, term.ends_on) for term in held],
        council.pk if council is not None else None,
        starts_on,
        label,
    )
    if change is None:
        raise ValidationError(refusals)
    if change.ended is not None:
        ended = next(term for term in held if term.starts_on == change.ended.starts_on)
        ended.ends_on = change.ends_on
        _saved(ended, by)
    if council is None:
        return None
    return _saved(CouncilRole(agency=agency, council=council, kind=kind, starts_on=starts_on, note=note), by)


@transaction.atomic
def save_base(base: Base, *, by=None) -> Base:
    if base.council_id and not base.agency.memberships.filter(council_id=base.council_id).exists():
        raise ValidationError({"council": "Choose one of the agency's councils"})
    if base.kind == Base.Kind.OFFICE and base.desks is not None:
        raise ValidationError({"desks": "Give hot desks only for a base of hot desks"})
    return _saved(base, by)


@transaction.atomic
def save_team(team: Team, *, by=None) -> Team:
    if team.base_id and not Base.objects.filter(pk=team.base_id, agency_id=team.agency_id).exists():
        raise ValidationError({"base": "Choose one of the agency's bases"})
    return _saved(team, by)


@transaction.atomic
def set_staff_arrangement(agency: Agency, arrangement: str, *, by=None) -> Agency:
    """The agreement's staffing model (partnership/secondments.py). Seconding into the host needs a
    hosted agency: a partnership is not hosted, whatever host was once stored."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if arrangement == "into_host" and agency.governance_model != Agency.Governance.HOSTED:
        raise ValidationError(
            {"staff_arrangement": f"{agency.name} is not hosted: its staff cannot be seconded into a host"}
        )
    agency.staff_arrangement = arrangement
    return _saved(agency, by)
