"""Writes to the agency's staffing records: secondments and the Head of Service. Each is one
transaction with its history row under the user (`by`); a refusal is a ValidationError whose
messages say what to do."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from openraa.partnership import secondments, terms
from openraa.partnership.models import Agency
from openraa.people.models import HeadOfService, Secondment, User


def _saved(record, by):
    record.full_clean()
    record._history_user = by
    record.save()
    return record


@transaction.atomic
def record_secondment(secondment: Secondment, *, by=None) -> Secondment:
    """A secondment of one of the agency's staff from the council that employs them, where the
    agreement's staffing model has secondments (partnership/secondments.py). Two of the same person
    may not run on the same day."""
    user = User.objects.select_for_update().get(pk=secondment.user_id)
    if secondment.from_council_id != user.employing_council_id:
        raise ValidationError(
            {
                "from_council": f"{user} is employed by {user.employing_council or 'no recorded council'}: "
                "a secondment is from the employing council (correct the employer first if it has changed)"
            }
        )
    agency = user.agency
    if agency is None:
        raise ValidationError({"user": f"{user} works for no agency"})
    host = agency.host_on(secondment.starts_on)
    refused = secondments.refusal(
        agency.staffing,
        employer_id=user.employing_council_id,
        host_id=host.pk if host else None,
        host_name=host.name if host else "",
        starts_on=secondment.starts_on,
    )
    if refused:
        raise ValidationError({"from_council": refused})
    if secondment.ends_on is not None and secondment.ends_on < secondment.starts_on:
        raise ValidationError({"ends_on": "The last day must be on or after the first"})
    last = secondment.ends_on or date.max
    overlapping = (
        Secondment.objects.filter(user=user, starts_on__lte=last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=secondment.starts_on))
        .exclude(pk=secondment.pk)
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "starts_on": f"{user} is already seconded from {overlapping.starts_on:%d/%m/%Y}: end that secondment first"
            }
        )
    return _saved(secondment, by)


@transaction.atomic
def end_secondment(secondment: Secondment, ends_on: date, *, by=None) -> Secondment:
    secondment = Secondment.objects.select_for_update().get(pk=secondment.pk)
    if secondment.ends_on is not None:
        raise ValidationError(f"This secondment already ended on {secondment.ends_on:%d/%m/%Y}")
    if ends_on < secondment.starts_on:
        raise ValidationError({"ends_on": f"The secondment began on {secondment.starts_on:%d/%m/%Y}: give a later day"})
    secondment.ends_on = ends_on
    return _saved(secondment, by)


@transaction.atomic
def appoint_head_of_service(agency: Agency, user: User, starts_on: date, *, by=None) -> HeadOfService:
    """The Head of Service from the day: the previous term ends the day before."""
    Agency.objects.select_for_update().get(pk=agency.pk)
    if user.agency_id != agency.pk or not user.is_active:
        raise ValidationError({"user": "Choose an active member of the agency's staff"})
    held = list(HeadOfService.objects.filter(agency=agency).order_by("starts_on"))
    change, refusals = terms.change_from(
        [terms.Term(term.user_id, term.starts_on, term.ends_on) for term in held], user.pk, starts_on, "Head of Service"
    )
    if change is None:
        raise ValidationError({"starts_on": refusals})
    if change.ended is not None:
        ended = next(term for term in held if term.starts_on == change.ended.starts_on)
        ended.ends_on = change.ends_on
        _saved(ended, by)
    return _saved(HeadOfService(agency=agency, user=user, starts_on=starts_on), by)
