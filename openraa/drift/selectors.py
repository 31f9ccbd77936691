"""Drift: every timescale of an open record that is overdue or due soon, most urgent first, with the
workers allocated to the record; and each worker's caseload.

Records are read through the policy (children_for / households_for), so a page shows only what its
reader may see. The figures come from journeys.timescales, computed from the milestone dates each
time: nothing is stored. A fixed handful of queries whatever the number of records: the milestone
columns only (values()), the allocations in one query per record type, the agency's targets once.
"""

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date, timedelta

from django.db.models import Min, Q, QuerySet
from django.urls import reverse

from openraa.casework.domain import documents_due
from openraa.casework.models import due_rules_for
from openraa.casework.selectors import held_documents
from openraa.children.domain import ChildStage, Milestones
from openraa.children.models import Child
from openraa.children.selectors import children_for
from openraa.common.timescales import Status
from openraa.families import front_door
from openraa.families.models import RegistrationOfInterest
from openraa.households.domain import HouseholdMilestones, HouseholdStage
from openraa.households.models import Household
from openraa.households.selectors import households_for
from openraa.journeys import timescales
from openraa.journeys.models import targets_for
from openraa.journeys.selectors import PLACED_STAGES
from openraa.partnership.models import Council
from openraa.people import policy
from openraa.people.models import User
from openraa.people.roles import Role

CHILD, HOUSEHOLD = "child", "household"
CHILD_CLOSED = (ChildStage.ADOPTED, ChildStage.PLAN_ENDED)
# Roles that hold cases: listed in the caseload table even with nothing allocated.
CASE_HOLDING_ROLES = (Role.FAMILY_FINDER, Role.RECRUITMENT_ASSESSMENT, Role.SOCIAL_WORKER)
_SHOWN = (Status.OVERDUE, Status.DUE_SOON)
_MILESTONES = tuple(f.name for f in fields(Milestones))
_HOUSEHOLD_MILESTONES = tuple(f.name for f in fields(HouseholdMilestones))


@dataclass(frozen=True)
class Worker:
    pk: int
    name: str
    sort_key: tuple[str, str, str]

    def __str__(self) -> str:
        return self.name


@dataclass(slots=True)
class DriftItem:
    """One timescale of one record that is overdue or due soon. References only, never names."""

    record_type: str  # "child" or "household"
    pk: int
    reference: str
    url: str
    council_id: int
    council: str
    council_code: str
    stage: str
    stage_label: str
    timescale: str  # the timescale's code, e.g. "order_to_match"
    timescale_label: str
    due_on: date
    status: Status
    days_overdue: int  # days past the due date; 0 when not yet due
    days_left: int  # days until the due date; 0 when overdue
    days_waiting: int  # child: since the placement order, else the should-be-placed decision;
    # household: since approval, else since the enquiry
    workers: tuple[Worker, ...]

    @property
    def overdue(self) -> bool:
        return self.status == Status.OVERDUE

    @property
    def worker_names(self) -> str:
        return ", ".join(w.name for w in self.workers)


@dataclass
class Caseload:
    """A worker's open records among those shown, and how many of their timescales are slipping."""

    worker: Worker
    children: int = 0
    households: int = 0
    overdue: int = 0
    due_soon: int = 0

    @property
    def records(self) -> int:
        return self.children + self.households


@dataclass(frozen=True)
class CouncilDrift:
    pk: int
    name: str
    ons_code: str
    overdue: int
    due_soon: int


@dataclass(frozen=True)
class Drift:
    today: date
    due_soon_days: int
    items: list[DriftItem]  # most overdue first, then soonest due
    caseloads: list[Caseload]
    councils: list[CouncilDrift]

    @property
    def overdue(self) -> list[DriftItem]:
        return [item for item in self.items if item.overdue]

    @property
    def due_soon(self) -> list[DriftItem]:
        return [item for item in self.items if not item.overdue]


def drift_items(user, today: date, council=None, worker=None) -> list[DriftItem]:
    """Overdue and due-soon timescales of the open records the user may see, most urgent first;
    only a council's (a Council or its pk) or only those allocated to a worker (a User or pk)."""
    return drift_overview(user, today, council, worker).items


def drift_overview(user, today: date, council=None, worker=None) -> Drift:
    """drift_items, with caseloads per worker and counts per council, from the same reads."""
    councils = visible_councils(user)
    if council is not None:
        councils = councils.filter(pk=getattr(council, "pk", council))
    return _drift(
        user.agency, today, children_for(user), households_for(user), {c.pk: c for c in councils}, council, worker
    )


def visible_councils(user) -> QuerySet:
    """The member councils whose children or households the user may see."""
    return Council.objects.filter(
        Q(pk__in=policy.councils_for(user, "child", "view").values("pk"))
        | Q(pk__in=policy.councils_for(user, "household", "view").values("pk"))
    )


def agency_drift(agency, today: date, council=None) -> Drift:
    """Every open record of an agency, with no signed-in user: for the `openraa drift` command, which
    the operator of the service runs on the server and which prints references, never names."""
    children = Child.objects.filter(agency=agency)
    households = Household.objects.filter(agency=agency)
    members = agency.member_councils(today)
    if council is not None:
        members = members.filter(pk=getattr(council, "pk", council))
    return _drift(agency, today, children, households, {c.pk: c for c in members}, council, None)


def _drift(agency, today, children: QuerySet, households: QuerySet, councils: dict, council, worker) -> Drift:
    children = children.exclude(stage__in=CHILD_CLOSED)
    households = households.exclude(stage=HouseholdStage.CLOSED)
    if council is not None:
        children = children.filter(responsible_council=council)
        households = households.filter(home_council=council)
    if worker is not None:
        children = children.filter(allocated_workers=worker)
        households = households.filter(allocated_workers=worker)

    targets = targets_for(agency)
    workers: dict[int, Worker] = {}
    child_workers = _allocations(Child, "child", children, workers)
    household_workers = _allocations(Household, "household", households, workers)

    # Tuples in the dataclasses' own field order: Milestones(*row[3:]), HouseholdMilestones(*row[5:]).
    child_rows = list(children.order_by().values_list("pk", "stage", "responsible_council_id", *_MILESTONES))
    household_rows = list(
        households.order_by()
        .annotate(first_linked_on=Min("children__linked_on"))
        .values_list(
            "pk", "stage", "home_council_id", "approval_reviewed_on", "first_linked_on", *_HOUSEHOLD_MILESTONES
        )
    )
    missing = ({row[2] for row in child_rows} | {row[2] for row in household_rows}) - set(councils)
    if missing:  # a household living outside the agency's councils
        councils.update({c.pk: c for c in Council.objects.filter(pk__in=missing)})

    items: list[DriftItem] = []
    child_base, household_base = reverse("children:list"), reverse("households:list")
    child_stages = {stage.value: stage.label for stage in ChildStage}
    household_stages = {stage.value: stage.label for stage in HouseholdStage}
    for pk, stage, council_pk, *dates in child_rows:
        milestones = Milestones(*dates)
        found = timescales.child_timescales(milestones, targets)
        if found:
            started = milestones.placement_order_on or milestones.should_be_placed_on
            items += _items(
                found,
                targets,
                today,
                CHILD,
                pk,
                f"C-{pk:06d}",
                f"{child_base}{pk}/",
                councils[council_pk],
                stage,
                child_stages[stage],
                (today - started).days if started else 0,
                child_workers.get(pk, ()),
            )
    for pk, stage, council_pk, reviewed_on, first_linked_on, *values in household_rows:
        household = HouseholdMilestones(*values)
        found = timescales.household_timescales(
            household, targets, reviewed_on, first_linked_on, placed=stage in PLACED_STAGES
        )
        if found:
            started = household.approved_on or household.enquiry_on
            items += _items(
                found,
                targets,
                today,
                HOUSEHOLD,
                pk,
                f"H-{pk:06d}",
                f"{household_base}{pk}/",
                councils[council_pk],
                stage,
                household_stages[stage],
                (today - started).days if started else 0,
                household_workers.get(pk, ()),
            )
    items += _document_items(
        agency, today, targets.due_soon_days, child_rows, household_rows, councils, child_workers, household_workers
    )
    items += _registration_items(today, targets.due_soon_days, household_rows, councils, household_workers)
    # Overdue items fall due before today and due-soon ones from today on, so the due date alone
    # puts the most overdue first and then the soonest due.
    items.sort(key=lambda item: (item.due_on, item.record_type, item.pk, item.timescale))

    caseloads = _caseloads(
        agency, child_rows, household_rows, child_workers, household_workers, items, workers, council, worker
    )
    counts = defaultdict(lambda: [0, 0])
    for item in items:
        counts[item.council_id][0 if item.overdue else 1] += 1
    council_rows = sorted(
        (CouncilDrift(c.pk, c.name, c.ons_code, *counts[c.pk]) for c in councils.values()), key=lambda c: c.name
    )
    return Drift(today, targets.due_soon_days, items, caseloads, council_rows)


def _document_items(agency, today, soon_days, child_rows, household_rows, councils, child_workers, household_workers):
    """The documents the statutory guidance expects of the records shown (casework/domain.py) that are
    overdue or due soon: two queries, whatever the number of records."""
    rules = due_rules_for(agency.pk)
    if not rules.rules:
        return []
    stages = {stage.value: stage.label for stage in ChildStage} | {stage.value: stage.label for stage in HouseholdStage}
    found = []
    for slug, record_type, rows, names, workers, prefix, page in (
        ("children", CHILD, child_rows, _MILESTONES, child_workers, "C", reverse("children:list")),
        (
            "households",
            HOUSEHOLD,
            household_rows,
            _HOUSEHOLD_MILESTONES,
            household_workers,
            "H",
            reverse("households:list"),
        ),
    ):
        offset = 3 if record_type == CHILD else 5
        held = held_documents("child" if record_type == CHILD else "household", [row[0] for row in rows])
        for row in rows:
            pk, stage, council_pk = row[:3]
            milestones = dict(zip(names, row[offset:], strict=True))
            for due in documents_due(slug, milestones, held.get(pk, set()), rules):
                if due.due_on > today + timedelta(days=soon_days):
                    continue
                over = (today - due.due_on).days
                council = councils[council_pk]
                found.append(
                    DriftItem(
                        record_type,
                        pk,
                        f"{prefix}-{pk:06d}",
                        f"{page}{pk}/",
                        council.pk,
                        council.name,
                        council.ons_code,
                        stage,
                        stages.get(stage, stage),
                        f"document_{due.kind.value}",
                        f"{due.label} (document)",
                        due.due_on,
                        Status.OVERDUE if over > 0 else Status.DUE_SOON,
                        max(over, 0),
                        max(-over, 0),
                        0,
                        workers.get(pk, ()),
                    )
                )
    return found


def _registration_items(today, soon_days, household_rows, councils, household_workers) -> list[DriftItem]:
    """Registrations of interest the families sent that wait for the agency's decision (five working
    days): one query, whatever the number of households."""
    rows = {row[0]: row for row in household_rows}
    waiting = RegistrationOfInterest.objects.filter(household_id__in=rows, decision="").values_list(
        "household_id", "submitted_on"
    )
    stages = {stage.value: stage.label for stage in HouseholdStage}
    page = reverse("households:list")
    found = []
    for pk, submitted_on in waiting:
        due_on = front_door.registration_due(submitted_on)
        if due_on > today + timedelta(days=soon_days):
            continue
        stage, council = rows[pk][1], councils[rows[pk][2]]
        over = (today - due_on).days
        found.append(
            DriftItem(
                HOUSEHOLD,
                pk,
                f"H-{pk:06d}",
                f"{page}{pk}/",
                council.pk,
                council.name,
                council.ons_code,
                stage,
                stages.get(stage, stage),
                "registration_decision",
                f"Decision on the registration of interest within {front_door.REGISTRATION_DECISION_WORKING_DAYS} working days",
                due_on,
                Status.OVERDUE if over > 0 else Status.DUE_SOON,
                max(over, 0),
                max(-over, 0),
                0,
                household_workers.get(pk, ()),
            )
        )
    return found


def _items(found, targets, today, record_type, pk, reference, url, council, stage, stage_label, waiting, workers):
    for item in found:
        status = item.status(today, targets.due_soon_days)
        if status in _SHOWN:
            over = item.days_over(today)
            yield DriftItem(
                record_type,
                pk,
                reference,
                url,
                council.pk,
                council.name,
                council.ons_code,
                stage,
                stage_label,
                item.code,
                item.label,
                item.due_on,
                status,
                max(over, 0),
                max(-over, 0),
                waiting,
                workers,
            )


def _allocations(model, name: str, records: QuerySet, workers: dict[int, Worker]) -> dict[int, tuple[Worker, ...]]:
    """The workers allocated to each record, in one query for all of them."""
    through = model.allocated_workers.through
    rows = (
        through.objects.filter(**{f"{name}__in": records.order_by().values("pk")})
        .order_by("user__last_name", "user__first_name", "user_id")
        .values_list(f"{name}_id", "user_id", "user__first_name", "user__last_name", "user__username")
    )
    allocated: dict[int, list[Worker]] = defaultdict(list)
    for record_pk, user_pk, first, last, username in rows:
        if user_pk not in workers:
            workers[user_pk] = Worker(user_pk, f"{first} {last}".strip() or username, (last, first, username))
        allocated[record_pk].append(workers[user_pk])
    return {pk: tuple(found) for pk, found in allocated.items()}


def _caseloads(agency, child_rows, household_rows, child_workers, household_workers, items, workers, council, worker):
    if worker is None:  # case holders with nothing allocated count too: they have room
        idle = User.objects.holding(*CASE_HOLDING_ROLES).filter(agency=agency, is_active=True)
        if council is not None:
            idle = idle.filter(employing_council=council)
        for pk, first, last, username in idle.values_list("pk", "first_name", "last_name", "username"):
            workers.setdefault(pk, Worker(pk, f"{first} {last}".strip() or username, (last, first, username)))
    loads = {pk: Caseload(w) for pk, w in workers.items()}
    for row in child_rows:
        for w in child_workers.get(row[0], ()):
            loads[w.pk].children += 1
    for row in household_rows:
        for w in household_workers.get(row[0], ()):
            loads[w.pk].households += 1
    for item in items:
        for w in item.workers:
            if item.overdue:
                loads[w.pk].overdue += 1
            else:
                loads[w.pk].due_soon += 1
    if worker is not None:  # the others' figures would count only the records they share
        loads = {pk: load for pk, load in loads.items() if pk == getattr(worker, "pk", worker)}
    return sorted(loads.values(), key=lambda load: load.worker.sort_key)


@dataclass(frozen=True)
class MyRecord:
    pk: int
    reference: str
    url: str
    stage_label: str
    council: str
    since: date | None  # the placement order (or should-be-placed decision); a household's approval
    days: int | None


def my_children(user, today: date) -> list[MyRecord]:
    """The open children allocated to the user, the longest waiting first."""
    rows = children_for(user).filter(allocated_workers=user).exclude(stage__in=CHILD_CLOSED)
    found = []
    for child in rows.select_related("responsible_council"):
        since = child.placement_order_on or child.should_be_placed_on
        found.append(
            MyRecord(
                child.pk,
                child.reference,
                reverse("children:detail", args=[child.pk]),
                child.stage_label,
                child.responsible_council.name,
                since,
                (today - since).days if since else None,
            )
        )
    return sorted(found, key=lambda r: (r.days is None, -(r.days or 0), r.pk))


def my_households(user, today: date) -> list[MyRecord]:
    """The open households allocated to the user, approved longest first."""
    rows = households_for(user).filter(allocated_workers=user).exclude(stage=HouseholdStage.CLOSED)
    found = [
        MyRecord(
            h.pk,
            h.reference,
            reverse("households:detail", args=[h.pk]),
            h.stage_label,
            h.home_council.name,
            h.approved_on,
            (today - h.approved_on).days if h.approved_on else None,
        )
        for h in rows.select_related("home_council")
    ]
    return sorted(found, key=lambda r: (r.days is None, -(r.days or 0), r.pk))
