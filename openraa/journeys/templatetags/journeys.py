"""The journey of a child or a household as its record's page shows it: the steps so far, the
timescales and the warnings about dates. The record pages (children, households) sit below the
journeys, so their templates ask here rather than their views."""

from django import template
from django.db.models import Min
from django.utils import timezone

from openraa.children.models import Child
from openraa.journeys import definitions
from openraa.journeys.selectors import child_timescales, household_timescales, journey_history
from openraa.journeys.services import child_warnings

register = template.Library()


@register.simple_tag
def child_journey(child) -> dict:
    return {
        "history": journey_history(child, definitions.child_journey(child.date_of_birth)),
        "date_warnings": child_warnings(child),
        "timescales": child_timescales(child, timezone.localdate()),
    }


@register.simple_tag
def household_journey(household) -> dict:
    first_linked_on = Child.objects.filter(household=household).aggregate(first=Min("linked_on"))["first"]
    journey = definitions.household_journey(
        household.fast_track, (household.approved_children, household.age_min, household.age_max)
    )
    return {
        "history": journey_history(household, journey),
        "timescales": household_timescales(household, timezone.localdate(), first_linked_on=first_linked_on),
    }
