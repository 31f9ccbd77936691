"""Writes to the agency's information-sharing agreement, one transaction each, the history row under
the administrator who wrote. Who may open sealed adoption records changes only when a second
administrator confirms a proposed change (SealedRolesChange)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openraa.common.history import save_by
from openraa.people.models import InformationSharing, SealedRolesChange
from openraa.people.roles import Role


def _stored_sharing(agency) -> InformationSharing:
    return InformationSharing.objects.select_for_update().filter(agency=agency).first() or InformationSharing(
        agency=agency
    )


def _refuse_unless_administrator(user, agency) -> None:
    if not user.has_role(Role.ADMINISTRATOR) or user.agency_id != agency.pk or not user.is_active:
        raise ValidationError("Only an administrator of the agency may change who opens sealed records")


@transaction.atomic
def propose_sealed_roles(agency, roles, *, by) -> SealedRolesChange | None:
    """A pending change to the sealed-record roles, or None when the roles are as they are now."""
    _refuse_unless_administrator(by, agency)
    current = sorted(_stored_sharing(agency).sealed_record_roles)
    wanted = sorted(set(roles))
    if wanted == current:
        return None
    if SealedRolesChange.objects.filter(agency=agency, confirmed_at__isnull=True, withdrawn_at__isnull=True).exists():
        raise ValidationError(
            "A change to who may open sealed records is already waiting: confirm or withdraw it first"
        )
    change = SealedRolesChange(agency=agency, previous_roles=current, roles=wanted, proposed_by=by)
    save_by(change, by)
    return change


@transaction.atomic
def confirm_sealed_roles(change: SealedRolesChange, *, by) -> None:
    """The second administrator confirms: the roles change now, recorded in both histories."""
    change = SealedRolesChange.objects.select_for_update().get(pk=change.pk)
    _refuse_unless_administrator(by, change.agency)
    if not change.pending:
        raise ValidationError("This change is no longer waiting")
    if by.pk == change.proposed_by_id:
        raise ValidationError("Another administrator must confirm the change you proposed")
    sharing_row = _stored_sharing(change.agency)
    if sorted(sharing_row.sealed_record_roles) != sorted(change.previous_roles):
        raise ValidationError("The roles have changed since this was proposed: withdraw it and propose it again")
    sharing_row.sealed_record_roles = change.roles
    save_by(sharing_row, by)
    change.confirmed_by, change.confirmed_at = by, timezone.now()
    save_by(change, by)


@transaction.atomic
def withdraw_sealed_roles(change: SealedRolesChange, *, by) -> None:
    change = SealedRolesChange.objects.select_for_update().get(pk=change.pk)
    _refuse_unless_administrator(by, change.agency)
    if not change.pending:
        raise ValidationError("This change is no longer waiting")
    change.withdrawn_by, change.withdrawn_at = by, timezone.now()
    save_by(change, by)


@transaction.atomic
def save_information_sharing(agreement: InformationSharing, sealed_record_roles, *, by) -> SealedRolesChange | None:
    """Save the agreement's rules but for who may open sealed records: a change to those is proposed
    (returned), for another administrator to confirm, and the stored roles are kept until then."""
    change = propose_sealed_roles(agreement.agency, sealed_record_roles, by=by)
    agreement.sealed_record_roles = list(_stored_sharing(agreement.agency).sealed_record_roles)
    save_by(agreement, by)
    return change
