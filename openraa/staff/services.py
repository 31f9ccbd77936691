"""Writes to staff accounts, one path for the pages, the CSV import and `openraa import_staff`:
invite a starter, change a role or employer, deactivate a leaver, reset a lost second factor.
Every write is in one transaction and kept in the account's history under the administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user

from openraa.common import mail
from openraa.partnership.models import Agency, Base, Council, Team
from openraa.people.models import User
from openraa.people.roles import Role, role_problems
from openraa.security.models import ApiToken
from openraa.staff import invitations, roster
from openraa.staff.models import StaffSession


@dataclass(frozen=True)
class NewStarter:
    first_name: str
    last_name: str
    email: str
    roles: tuple[str, ...]
    employing_council: Council
    starts_on: date | None = None
    team: Team | None = None
    base: Base | None = None


def email_in_use(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email.strip()).exists()
        or User.objects.filter(username__iexact=email.strip()).exists()
    )


def _agency_of(user: User) -> Agency:
    if user.agency is None:
        raise ValidationError(f"{user} belongs to no agency")
    return user.agency


def _refuse_unless_administrator(by: User | None, agency: Agency) -> None:
    """`by` None is the command line (`openraa invite_staff`, `import_staff`): whoever runs it
    administers the server itself; every page passes the signed-in user."""
    if by is None:
        return
    if not by.has_role(Role.ADMINISTRATOR) or by.agency_id != agency.pk or not by.is_active:
        raise ValidationError("Only an administrator of the agency may change its staff")


def _save(user: User, by: User | None, reason: str = "") -> None:
    user._history_user = by  # type: ignore[attr-defined]
    if reason:
        user._change_reason = reason  # type: ignore[attr-defined]
    user.save()


@transaction.atomic
def invite(agency: Agency, starter: NewStarter, *, by: User | None) -> User:
    """A new account that cannot sign in until its holder sets a password from the invitation."""
    _refuse_unless_administrator(by, agency)
    email = starter.email.strip().lower()
    if email_in_use(email):
        raise ValidationError({"email": f"{email} already has an account"})
    _refuse_outside(agency, starter.employing_council, starter.team, starter.base, starter.roles)
    user = User(
        username=email,
        email=email,
        first_name=starter.first_name.strip(),
        last_name=starter.last_name.strip(),
        agency=agency,
        roles=sorted(starter.roles),
        employing_council=starter.employing_council,
        starts_on=starter.starts_on,
        team=starter.team,
        base=starter.base,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    _save(user, by, "Invited")
    return user


def send_invitation(user: User) -> None:
    """The invitation e-mail: the one-time link, valid for OPENRAA_INVITATION_DAYS days."""
    days = settings.PASSWORD_RESET_TIMEOUT // 86400
    body = (
        f"You have been given an account on OpenRAA for {user.agency}.\n\n"
        f"Set your password here (the link works once, for {days} days):\n"
        f"{settings.OPENRAA_SITE_URL}{invitations.link_path(user)}\n\n"
        "You will then set up an authenticator app for two-factor sign-in.\n"
    )
    mail.send([mail.Mail("Your OpenRAA account", body, [user.email])])


@transaction.atomic
def set_password(user: User, password: str) -> None:
    """The invited person's own password: the invitation link stops working with it."""
    user.set_password(password)
    _save(user, user, "Set their password from the invitation")


def _refuse_outside(
    agency: Agency, council: Council, team: Team | None, base: Base | None, roles: tuple[str, ...]
) -> None:
    """Roles that may be held together, and an employer, team and base of this agency."""
    errors: dict[str, list[str]] = {}
    problems = role_problems(roles)
    if problems:
        errors["roles"] = problems
    if not agency.member_councils().filter(pk=council.pk).exists():
        errors["employing_council"] = ["The employing council must be a member of the agency"]
    if team is not None and team.agency_id != agency.pk:
        errors["team"] = ["The team must be one of the agency's"]
    if base is not None and base.agency_id != agency.pk:
        errors["base"] = ["The base must be one of the agency's"]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def change(
    user: User,
    *,
    roles: tuple[str, ...],
    employing_council: Council,
    ends_on: date | None,
    by: User,
    team: Team | None = None,
    base: Base | None = None,
    starts_on: date | None = None,
) -> User:
    """A new set of roles, employer, team, base or leaving date; the account's history keeps the old."""
    agency = _agency_of(user)
    _refuse_unless_administrator(by, agency)
    if user.pk == by.pk and Role.ADMINISTRATOR not in roles:
        raise ValidationError({"roles": "You cannot take away your own administrator role"})
    _refuse_outside(agency, employing_council, team, base, roles)
    starts_on = starts_on or user.starts_on
    if ends_on and starts_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "The leaving date must be after the starting date"})
    user.starts_on = starts_on
    user.roles, user.employing_council, user.ends_on = sorted(roles), employing_council, ends_on
    user.team, user.base = team, base
    user.full_clean(exclude=["password"])
    _save(user, by)
    return user


@transaction.atomic
def deactivate(user: User, *, by: User) -> None:
    """A leaver: they cannot sign in, their open sessions and API token end now."""
    _refuse_unless_administrator(by, _agency_of(user))
    if user.pk == by.pk:
        raise ValidationError("You cannot deactivate yourself: ask another administrator")
    if not user.is_active:
        raise ValidationError(f"{user} is already deactivated")
    user.is_active = False
    user.ends_on = user.ends_on or timezone.localdate()
    _save(user, by, "Deactivated")
    end_sessions(user)
    ApiToken.objects.filter(user=user).delete()


def end_sessions(user: User) -> int:
    """Delete the user's open sessions: they are signed out on their next request."""
    ended, _ = StaffSession.objects.filter(user_id=user.pk).delete()
    return ended


@transaction.atomic
def reset_two_factor(user: User, *, by: User) -> bool:
    """Remove a lost authenticator: the person sets up a new one at their next sign-in. Whether they
    were told by e-mail (an account imported without an address cannot be)."""
    _refuse_unless_administrator(by, _agency_of(user))
    devices = list(devices_for_user(user, confirmed=None))
    if not devices:
        raise ValidationError(f"{user} has no two-factor device to reset")
    for device in devices:
        device.delete()
    end_sessions(user)
    _save(user, by, f"Two-factor sign-in reset by {by}")
    if not user.email:
        return False
    body = (
        f"{by} reset your two-factor sign-in on OpenRAA. At your next sign-in you will set up your "
        "authenticator app again.\n\nIf you did not ask for this, tell your agency's administrator at once.\n"
    )
    mail.send([mail.Mail("Your OpenRAA two-factor sign-in was reset", body, [user.email])])
    return True


def councils_by_key(agency: Agency) -> dict[str, Council]:
    councils = list(agency.member_councils())
    return {c.ons_code.upper(): c for c in councils} | {c.name.lower(): c for c in councils}


def read_roster(agency: Agency, text: str) -> tuple[list[roster.Starter[Council, Team, Base]], list[roster.Problem]]:
    in_use = {e.lower() for e in User.objects.exclude(email="").values_list("email", flat=True)}
    in_use |= {u.lower() for u in User.objects.values_list("username", flat=True)}
    teams = {t.name.lower(): t for t in agency.teams.all()}
    bases = {b.name.lower(): b for b in agency.bases.all()}
    return roster.read(text, councils_by_key(agency), in_use, teams, bases)


@transaction.atomic
def import_roster(agency: Agency, text: str, *, by: User | None) -> list[User]:
    """Every starter of the file invited, or nothing when any row has a problem."""
    starters, problems = read_roster(agency, text)
    if problems:
        raise ValidationError([f"Line {p.row}: {p.reason}" for p in problems])
    return [
        invite(
            agency,
            NewStarter(
                s.first_name,
                s.last_name,
                s.email,
                s.roles,
                s.employing_council,
                s.starts_on,
                s.team,
                s.base,
            ),
            by=by,
        )
        for s in starters
    ]
