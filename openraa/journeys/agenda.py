"""Finding the records a panel's agenda may take: by reference or by name, only among the records
at the stage the kind of item is for (panels.HOUSEHOLD_STAGES_FOR, CHILD_STAGES_FOR) and not already
waiting on an agenda as that kind of item. A name is searched, and shown, only where the one rule of
what a person may see (policy.hidden_fields) shows it to the searcher: a child whose names are hidden
from them is never found by its name."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from openraa.children.domain import ChildStage
from openraa.children.models import Child
from openraa.children.selectors import children_to_attach_to
from openraa.common import parsing
from openraa.households.models import Household
from openraa.households.selectors import households_for
from openraa.journeys import panels
from openraa.journeys.models import AgendaItem
from openraa.people import policy

LIMIT = 20
_CHILD_NAMES = frozenset({"first_name", "last_name"})


@dataclass(frozen=True)
class Candidate:
    reference: str
    names: str  # empty when the searcher may not see them
    stage: str
    post: dict  # what the "add" button sends (the agenda item form's fields)
    children: list[str] = field(default_factory=list)  # a match's linked children, as the searcher sees them


def child_names(user, child: Child) -> str:
    if _CHILD_NAMES & policy.hidden_fields(user, child):
        return ""
    return f"{child.first_name} {child.last_name}"


def household_names(user, household: Household) -> str:
    if "applicants" in policy.hidden_fields(user, household):
        return ""
    return " and ".join(str(a) for a in household.applicants.all())


def _words(q: str) -> list[str]:
    return [word for word in q.split() if not any(ch.isdigit() for ch in word)][:4]


def _name_q(prefix: str, words: list[str]) -> Q:
    match = Q()
    for word in words:
        match |= Q(**{f"{prefix}first_name__icontains": word}) | Q(**{f"{prefix}last_name__icontains": word})
    return match


def _waiting(kind: str, **outer) -> Exists:
    return Exists(AgendaItem.objects.filter(kind=kind, recommendation="", **outer))


def _linked_children(user) -> QuerySet:
    return policy.with_child_access(children_to_attach_to(user), user).filter(
        stage__in=panels.CHILD_STAGES_FOR[panels.ItemKind.MATCH]
    )


def _households(user, kind: str, q: str) -> list[Candidate]:
    households = households_for(user).exclude(_waiting(kind, household=OuterRef("pk"))).prefetch_related("applicants")
    linked = _linked_children(user)
    if kind == panels.ItemKind.MATCH:
        households = households.filter(pk__in=linked.values("household"))
    else:
        households = households.filter(stage__in=panels.HOUSEHOLD_STAGES_FOR[kind])
    found: list[Household] = []
    key = parsing.reference(q, "H")
    if key is not None:
        found += households.filter(pk=key)
    child_key = parsing.reference(q, "C", bare=False)
    if kind == panels.ItemKind.MATCH and child_key is not None:
        found += households.filter(pk__in=linked.filter(pk=child_key).values("household"))
    words = _words(q)
    if words and key is None and child_key is None:
        named = households.filter(pk__in=Household.objects.filter(_name_q("applicants__", words)).values("pk"))
        found += [h for h in named.order_by("-pk")[: LIMIT * 2] if household_names(user, h)]
        if kind == panels.ItemKind.MATCH:
            children = linked.filter(_name_q("", words)).order_by("-pk")[: LIMIT * 2]
            ids = {c.household_id for c in children if child_names(user, c)}
            found += households.filter(pk__in=ids)
    unique = list({h.pk: h for h in found}.values())[:LIMIT]
    by_household: dict[int, list[str]] = {}
    if kind == panels.ItemKind.MATCH:
        for child in linked.filter(household__in=[h.pk for h in unique]).order_by("pk"):
            names = child_names(user, child)
            by_household.setdefault(child.household_id, []).append(f"{child.reference}{f' ({names})' if names else ''}")
    return [
        Candidate(
            reference=h.reference,
            names=household_names(user, h),
            stage=h.get_stage_display(),
            post={"kind": kind, "household": h.pk},
            children=by_household.get(h.pk, []),
        )
        for h in unique
    ]


def _children(user, kind: str, q: str) -> list[Candidate]:
    children = (
        policy.with_child_access(children_to_attach_to(user), user)
        .filter(stage__in=panels.CHILD_STAGES_FOR[kind])
        .exclude(_waiting(kind, children=OuterRef("pk")))
    )
    found: list[Child] = []
    key = parsing.reference(q, "C")
    if key is not None:
        found += children.filter(pk=key)
    words = _words(q)
    if words and key is None:
        found += [c for c in children.filter(_name_q("", words)).order_by("-pk")[: LIMIT * 2] if child_names(user, c)]
    return [
        Candidate(
            reference=c.reference,
            names=child_names(user, c),
            stage=ChildStage(c.stage).label,
            post={"kind": kind, "child_reference": c.reference},
        )
        for c in list({c.pk: c for c in found}.values())[:LIMIT]
    ]


def candidates(user, kind: str, q: str) -> list[Candidate]:
    """The records a search for `q` finds for this kind of item (nothing for an empty search)."""
    q = (q or "").strip()[:100]
    if not q or kind not in panels.ITEM_KIND_LABELS:
        return []
    if kind in panels.HOUSEHOLD_STAGES_FOR or kind == panels.ItemKind.MATCH:
        return _households(user, kind, q)
    return _children(user, kind, q)
