"""Reads of households, always through the policy."""

from django.db.models import F, Q, QuerySet

from openraa.common import parsing
from openraa.households.models import Household
from openraa.people import policy


def households_for(user, action: str = "view") -> QuerySet:
    return policy.restrict(Household.objects.all(), user, "household", action)


APPROVED_LONGEST = "approved"


def household_list(
    user,
    *,
    q: str = "",
    council=None,
    stage: str = "",
    early_permanence: bool = False,
    sibling_group_open: bool = False,
    sort: str = "",
) -> QuerySet:
    households = households_for(user).select_related("home_council")
    if q:
        q = q.strip()
        key = parsing.reference(q, "H")
        match = Q(pk=key) if key is not None else Q(pk__in=[])
        if policy.can(user, "household", "view_restricted"):
            for word in q.split():
                match |= Q(applicants__first_name__icontains=word) | Q(applicants__last_name__icontains=word)
        households = households.filter(match).distinct()
    if council:
        households = households.filter(home_council=council)
    if stage:
        households = households.filter(stage=stage)
    if early_permanence:
        households = households.filter(early_permanence=True)
    if sibling_group_open:
        households = households.filter(sibling_group_open=True)
    if sort == APPROVED_LONGEST:
        return households.order_by(F("approved_on").asc(nulls_last=True), "-id")
    return households.order_by("-id")
