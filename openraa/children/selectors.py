"""Reads of children, always through the policy."""

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from openraa.children.models import Child, ChildNeed
from openraa.common import parsing
from openraa.people import policy
from openraa.people.sharing import ChildAccess
from openraa.reference import DISABILITY_NEEDS


def children_for(user, action: str = "view") -> QuerySet:
    return policy.restrict(Child.objects.all(), user, "child", action)


def children_to_attach_to(user, resource: str = "child", action: str = "view") -> QuerySet:
    """Children a new record may be about (a plan, a panel agenda item, a link, a support case), through
    the grant of the record being made: never a sealed one (the model refuses it too)."""
    return policy.restrict(Child.objects.unsealed(), user, resource, action)


# A disability need, or any need graded high.
_COMPLEX_NEED = Q(need__in=DISABILITY_NEEDS) | Q(severity="high")


def with_disability_or_complex_needs() -> Exists:
    """A disability need, or any need graded high."""
    return Exists(ChildNeed.objects.filter(_COMPLEX_NEED, child=OuterRef("pk")))


def mark_complex_needs(children: list[Child]) -> list[Child]:
    """Sets each child's `complex_needs`, for one page of rows in one query. As an annotation of the
    whole list it made PostgreSQL read every need of the agency for the 50 rows shown (issue 18)."""
    complex_needs = set(
        ChildNeed.objects.filter(_COMPLEX_NEED, child__in=[child.pk for child in children]).values_list(
            "child_id", flat=True
        )
    )
    for child in children:
        child.complex_needs = child.pk in complex_needs
    return children


WAITING_LONGEST = "waiting"


def child_list(
    user,
    *,
    q: str = "",
    council=None,
    stage: str = "",
    disability: bool = False,
    siblings: bool = False,
    sort: str = "",
) -> QuerySet:
    children = policy.with_child_access(children_for(user), user).select_related("responsible_council")
    if q:
        q = q.strip()
        key = parsing.reference(q, "C")
        # A reference is looked up by its key alone (no name holds digits): an index lookup, not a scan.
        if key is not None:
            match = Q(pk=key)
        elif policy.can(user, "child", "view_restricted"):
            names = Q()  # only among the children shown in full: a name search must not find a profile
            for word in q.split():
                names |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
            match = names & Q(shown_in_full=True, adoption_order_on__isnull=True)
        else:
            match = Q(pk__in=[])
        children = children.filter(match)
    if council:
        # Only rows that show their council: a filter must not tell what a row hides
        # (a profile's council, unless the agency shares it; a sealed record's).
        shows_council = (
            Q() if "responsible_council" in policy.sharing_rules(user).profile_fields else Q(shown_in_full=True)
        )
        children = children.filter(shows_council, responsible_council=council, adoption_order_on__isnull=True)
    if stage:
        children = children.filter(stage=stage)
    if disability:
        children = children.filter(with_disability_or_complex_needs())
    if siblings:
        children = children.filter(sibling_group__isnull=False)
    if sort == WAITING_LONGEST:
        # Only the waits the reader may see are sorted: a profile's dates stay hidden, its rows come last.
        waiting_since = Case(
            When(
                shown_in_full=True,
                adoption_order_on__isnull=True,
                then=Coalesce("placement_order_on", "should_be_placed_on"),
            )
        )
        return children.annotate(waiting_since=waiting_since).order_by(F("waiting_since").asc(nulls_last=True), "-id")
    return children.order_by("-id")


def sealed_child(user, pk: int) -> Child:
    """A sealed record the user may open, or 404: the pages that act on sealed records only."""
    child = get_object_or_404(children_for(user).filter(adoption_order_on__isnull=False), pk=pk)
    if policy.child_access(user, child) < ChildAccess.RECORD:
        raise Http404
    return child
