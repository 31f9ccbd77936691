"""Family-finding writes, one transaction each: interests, visits and links (a link is the journey
step "linked" for every child of the unit, with the same household and date)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openraa.children.models import Child
from openraa.common.history import save_by
from openraa.households.models import Household
from openraa.journeys.services import record_child_step
from openraa.matching.models import Interest, MatchingSettings, Visit


def _check_date(when: date, field: str) -> None:
    if when > timezone.localdate():
        raise ValidationError({field: ["The date cannot be in the future"]})


def _check_same_agency(child: Child, household: Household) -> None:
    if household.agency_id != child.agency_id:
        # Another agency's household: the link is made by both agencies, outside this record.
        raise ValidationError({"household": [f"{household.reference} belongs to another agency: contact it to link"]})


@transaction.atomic
def record_interest(
    child: Child, household: Household, direction: str, expressed_on: date, *, by, note: str = ""
) -> Interest:
    _check_date(expressed_on, "expressed_on")
    if direction not in Interest.Direction.values:
        raise ValidationError({"direction": ["Choose who expressed the interest"]})
    interest = Interest(
        child=child, household=household, direction=direction, expressed_on=expressed_on, note=note, recorded_by=by
    )
    interest._history_user = by
    interest.save()
    return interest


@transaction.atomic
def record_visit(child: Child, household: Household, visited_on: date, note: str, *, by) -> Visit:
    _check_date(visited_on, "visited_on")
    if not note.strip():
        raise ValidationError({"note": ["Say what the visit was"]})
    visit = Visit(child=child, household=household, visited_on=visited_on, note=note, recorded_by=by)
    visit._history_user = by
    visit.save()
    return visit


@transaction.atomic
def link(children: list[Child], household: Household, linked_on: date, *, by, note: str = "") -> None:
    """Link every child of the unit (brothers and sisters to be placed together) with the household.
    Any child that cannot be linked refuses the whole link."""
    for child in children:
        _check_same_agency(child, household)
        record_child_step(child, "linked", linked_on, by=by, details={"household": household.pk}, note=note)
    for interest in Interest.objects.filter(child__in=children, household=household, status=Interest.Status.OPEN):
        interest.status = Interest.Status.LINKED
        interest._history_user = by
        interest.save()


@transaction.atomic
def save_settings(settings: MatchingSettings, *, by, share_with=None) -> MatchingSettings:
    """The agency's matching weights and, when given, the agencies it shares its households with;
    the history keeps every earlier setting."""
    save_by(settings, by)
    if share_with is not None:
        settings.share_with.set(share_with)
    return settings
