"""Family-finding writes, one transaction each: interests, visits and links (a link is the journey
step "linked" for every child of the unit, with the same household and date)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from openraa.children.models import Child
from openraa.common.dates import long_date
from openraa.common.history import save_by
from openraa.households.models import Household
from openraa.journeys.services import record_child_step
from openraa.matching.models import Interest, MatchingSettings, Visit, settings_for


def _check_date(when: date, field: str) -> None:
    if when > timezone.localdate():
        raise ValidationError({field: ["The date cannot be in the future"]})


def _check_same_agency(child: Child, household: Household) -> None:
    if household.agency_id != child.agency_id:
        # Another agency's household: the link is made by both agencies, outside this record.
        raise ValidationError({"household": [f"{household.reference} belongs to another agency: contact it to link"]})


def _check_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": ["Say why, so both workers know"]})


@transaction.atomic
def record_interest(
    children: list[Child], household: Household, direction: str, expressed_on: date, *, by, note: str = ""
) -> Interest:
    """An interest between a unit (every child placed together: one record, shown on each child) and
    a household, within the cap the household's agency sets on open interests."""
    _check_date(expressed_on, "expressed_on")
    if direction not in Interest.Direction.values:
        raise ValidationError({"direction": ["Choose who expressed the interest"]})
    # The household row is locked so that two workers at once cannot both take its last place.
    household = Household.objects.select_for_update().get(pk=household.pk)
    open_ones = Interest.objects.filter(household=household, status=Interest.Status.OPEN)
    if open_ones.filter(child__in=children).exists():
        raise ValidationError({"household": [f"An interest between {household.reference} and this child is open"]})
    cap = settings_for(household.agency).max_open_interests
    if open_ones.count() >= cap:
        raise ValidationError(
            {"household": [f"{household.reference} already holds {cap} open interests, the most its agency allows"]}
        )
    interest = Interest(
        child=children[0],
        household=household,
        direction=direction,
        expressed_on=expressed_on,
        note=note,
        recorded_by=by,
    )
    save_by(interest, by)
    return interest


@transaction.atomic
def close_interest(
    interest: Interest, status: str, closed_on: date, reason: str, *, by, by_family: bool = False
) -> Interest:
    """Decline (the child's side) or withdraw (the household's side) an open interest, with the reason."""
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    if not interest.is_open:
        raise ValidationError({"status": ["This interest is already closed"]})
    if status not in Interest.CLOSING:
        raise ValidationError({"status": ["Choose who closed the interest"]})
    _check_date(closed_on, "closed_on")
    if closed_on < interest.expressed_on:
        raise ValidationError({"closed_on": ["The date cannot be before the interest was expressed"]})
    _check_reason(reason)
    interest.status, interest.closed_on, interest.closed_reason = status, closed_on, reason.strip()
    interest._by_family = by_family  # type: ignore[attr-defined]  # read by casework.notify
    save_by(interest, by)
    return interest


@transaction.atomic
def record_visit(children: list[Child], household: Household, visited_on: date, note: str, *, by) -> Visit:
    _check_date(visited_on, "visited_on")
    if not note.strip():
        raise ValidationError({"note": ["Say what the visit was"]})
    visit = Visit(child=children[0], household=household, visited_on=visited_on, note=note, recorded_by=by)
    save_by(visit, by)
    return visit


@transaction.atomic
def link(children: list[Child], household: Household, linked_on: date, *, by, note: str = "") -> None:
    """Link every child of the unit (brothers and sisters to be placed together) with the household.
    Any child that cannot be linked refuses the whole link. The unit's interests with this household
    lead to the link; every other open interest of the unit or of the household is closed, with the
    reason, so no one is left waiting on it."""
    for child in children:
        _check_same_agency(child, household)
        record_child_step(child, "linked", linked_on, by=by, details={"household": household.pk}, note=note)
    ours = Interest.objects.filter(child__in=children, household=household, status=Interest.Status.OPEN)
    for interest in ours:
        interest.status = Interest.Status.LINKED
        save_by(interest, by)
    when = long_date(linked_on)
    others = Interest.objects.filter(status=Interest.Status.OPEN).filter(Q(child__in=children) | Q(household=household))
    for interest in others.select_related("household"):
        interest.status, interest.closed_on = Interest.Status.CLOSED, linked_on
        interest.closed_reason = (
            f"The children were linked with another household on {when}"
            if interest.household_id != household.pk
            else f"The household was linked with other children on {when}"
        )
        save_by(interest, by)


@transaction.atomic
def save_settings(settings: MatchingSettings, *, by, share_with=None) -> MatchingSettings:
    """The agency's matching weights and, when given, the agencies it shares its households with;
    the history keeps every earlier setting."""
    save_by(settings, by)
    if share_with is not None:
        settings.share_with.set(share_with)
    return settings
