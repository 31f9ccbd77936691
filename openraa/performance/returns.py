"""The national quarterly return (Adoption and Special Guardianship Leadership Board): the
child-level and the adopter-level extract of one financial quarter, laid out in the sections of the
quarterly data collection, and the data-quality warnings listed before anyone downloads them.

Layout (ASGLB / ALB quarterly data collection guidance): one row per child on the "Adoptions" tab,
children in a sibling group one row each: Section A child characteristics, Section B key dates and
outcomes of the adoption process, Section C reversals, disruptions and the family-finding status.
One row per adopter household on the "Adopters" tab: Section A adopter characteristics (with early
permanence and the placement provider), Section B key dates, Section C disruptions, Section D
enquiries. Dates are ISO dates; codes are SSDA903 codes; a cell with nothing to say is left empty
(the guidance asks for no "n/a"). Column headers name the item in words: the collection's own item
numbers change from year to year.

Who is in it: children with a should-be-placed decision, an early permanence placement or a
placement order by the quarter's end whose journey had not ended (adoption order, plan ended)
before the quarter began; households that had enquired by the quarter's end and had not closed
before it began, leaving out those whose every child was adopted before it began.

Since Q1 2021-22 the collection measures A10 in place of A1 (domain.md): each adopted child's row
carries the day the foster placement with the adopters began (`Child.fostered_by_adopters_from`, or
the early permanence placement when those carers adopt), where A10's clock stops, and A10's days;
A1 is no longer given. The counts of the quarter (adoptions with A10's average, adopters' enquiries
and approvals, reversals and disruptions, special guardianship, adoption support, complaints) are
the "Counts" tab (`counts_extract`, laid out by performance/quarter_counts.py).

Child-level data is never sent by e-mail; the files are handed only to roles holding the `returns`
grant, and every download is audited (performance.models.ExtractDownload, and a record view of
each child or household in the file).

Sealed adoption records (children with an adoption order) are counted in every figure and warning,
but a row that identifies one is in the child-level file only for a role the information-sharing
agreement lets open sealed records, with a stated purpose (children/sealing.py); each sealed child
in the file then gets its own audit entry with that purpose as the reason. Otherwise they are left
out of the file, and the page says how many.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q

from openraa.children.domain import DISRUPTION_CODES, EARLY_PERMANENCE_KINDS, ChildStage
from openraa.children.models import Child, ChildNeed
from openraa.common.disclosure import HOUSEHOLDS, NOBODY
from openraa.common.machine import in_force
from openraa.governance import schedule
from openraa.governance.models import Complaint
from openraa.households.models import Household
from openraa.people import policy
from openraa.performance import quarter_counts
from openraa.performance import scorecard as sc
from openraa.performance.quarter_counts import Figure, Item
from openraa.performance.scorecard import NOT_KNOWN_ETHNICITY, Period, quarter_of, quarters_ending
from openraa.permanence.definitions import CarerKind, PlanKind
from openraa.permanence.models import Carer, PermanencePlan
from openraa.reference import DISABILITY_NEEDS
from openraa.support import counts as support_counts
from openraa.support.models import SupportCase, support_targets_for
from openraa.support.selectors import support_return

PLACEMENT_PROVIDER_RAA = "RAA"  # placed with (or approved by) the regional adoption agency itself


@dataclass(frozen=True)
class Column:
    section: str
    header: str
    value: Callable[[Any], object]  # a Child or a Household, by the sheet


@dataclass
class Warning:
    code: str
    text: str
    references: list[str] = field(default_factory=list)
    sealed: int = 0  # sealed records with the problem, counted but not named

    @property
    def count(self) -> int:
        return len(self.references) + self.sealed


@dataclass
class Extract:
    kind: str  # "children" or "adopters"
    title: str
    sheet: str
    quarter: Period
    columns: list[Column]
    rows: list[list[object]]
    record_ids: list[int]
    warnings: list[Warning]
    sealed_ids: list[int] = field(default_factory=list)  # sealed children in the file (with a stated purpose)
    sealed_left_out: int = 0  # sealed children in the return, left out of the file
    counts: list[tuple[str, int, int]] = field(default_factory=list)  # council, records, of which sealed

    @property
    def warning_count(self) -> int:
        return sum(w.count for w in self.warnings)

    @property
    def total(self) -> int:
        """Every record in the return, sealed ones included: what aggregate counts use."""
        return len(self.rows) + self.sealed_left_out


def quarters(as_of: date, count: int = 8) -> tuple[Period, ...]:
    """The quarters offered, newest first: the running quarter and those before it."""
    return tuple(reversed(quarters_ending(as_of, count)))


def default_quarter(as_of: date) -> Period:
    """The latest quarter that has ended: the one a return is due for."""
    current = quarter_of(as_of)
    return quarter_of(date.fromordinal(current.start.toordinal() - 1))


def _yn(value: bool) -> str:
    return "Y" if value else "N"


def _first(*days: date | None) -> date | None:
    present = [d for d in days if d]
    return min(present) if present else None


def a10_stops_on(child: Child) -> date | None:
    """Where A10's clock stops for a child adopted by their foster carers: the foster placement with
    them began (recorded, or the early permanence placement when those carers adopt); else None."""
    if child.fostered_by_adopters_from:
        return child.fostered_by_adopters_from
    if (
        child.early_permanence_on
        and child.early_permanence_household_id
        and child.early_permanence_household_id == child.household_id
    ):
        return child.early_permanence_on
    return None


def a10_days(child: Child) -> int | None:
    """A10's days for an adopted child (scorecard.a10_days); None when the child does not count."""
    return sc.a10_days(
        sc.ChildRecord(
            council="",
            date_of_birth=child.date_of_birth,
            entered_care_on=child.entered_care_on,
            placed_on=child.placed_on,
            adoption_order_on=child.adoption_order_on,
            fostered_by_adopters_from=a10_stops_on(child),
        )
    )


def family_finding_status(child: Child) -> str:
    """Where family finding stands for the child (the return's family-finding flag, in words)."""
    stage = ChildStage(child.stage)
    if stage == ChildStage.PLAN_ENDED:
        return "Plan ended"
    if stage == ChildStage.ADOPTED:
        return "Adopted"
    if stage == ChildStage.PLACED:
        return "Placed for adoption"
    if stage in (ChildStage.MATCHED, ChildStage.MATCHING_PANEL):
        return "Matched" if stage == ChildStage.MATCHED else "Matching panel recommended"
    if stage == ChildStage.LINKED:
        return "Linked with a family"
    if child.family_finding_referral_on or child.placement_order_on or stage == ChildStage.EARLY_PERMANENCE:
        return "Family finding"
    return "Family finding not started"


CHILD_COLUMNS = [
    Column("A: Child characteristics", "Responsible council (ONS code)", lambda c: c.responsible_council.ons_code),
    Column("A: Child characteristics", "Council child ID (SSDA903 CHILD)", lambda c: c.council_child_id),
    Column("A: Child characteristics", "OpenRAA reference", lambda c: c.reference),
    Column("A: Child characteristics", "Sex (SSDA903)", lambda c: c.sex),
    Column("A: Child characteristics", "Date of birth", lambda c: c.date_of_birth),
    Column("A: Child characteristics", "Ethnicity (SSDA903)", lambda c: c.ethnicity),
    Column("A: Child characteristics", "Disability", lambda c: _yn(c.disabled)),
    Column(
        "A: Child characteristics", "Sibling group", lambda c: c.sibling_group.reference if c.sibling_group_id else ""
    ),
    Column(
        "A: Child characteristics", "Children in the sibling group", lambda c: c.group_size if c.sibling_group_id else 1
    ),
    Column(
        "A: Child characteristics",
        "Placement provider",
        lambda c: PLACEMENT_PROVIDER_RAA if c.placed_on and c.household_id else "",
    ),
    Column("B: Key dates", "Entered care", lambda c: c.entered_care_on),
    Column("B: Key dates", "Should be placed for adoption (ADM decision)", lambda c: c.should_be_placed_on),
    Column("B: Key dates", "Referred for family finding", lambda c: c.family_finding_referral_on),
    Column("B: Key dates", "Placement order", lambda c: c.placement_order_on),
    Column("B: Key dates", "Early permanence placement", lambda c: c.early_permanence_on),
    Column(
        "B: Key dates",
        "Early permanence type",
        lambda c: EARLY_PERMANENCE_KINDS.get(c.early_permanence_kind, "") if c.early_permanence_on else "",
    ),
    Column("B: Key dates", "Linked with a family", lambda c: c.linked_on),
    Column("B: Key dates", "Matching panel recommendation", lambda c: c.matching_panel_on),
    Column("B: Key dates", "Matched (ADM decision)", lambda c: c.matched_on),
    Column("B: Key dates", "Placed for adoption", lambda c: c.placed_on),
    Column("B: Key dates", "Adoption order", lambda c: c.adoption_order_on),
    Column("B: Key dates", "Adopter household", lambda c: c.household.reference if c.household_id else ""),
    Column(
        "B: Key dates",
        "Adopted by the early permanence (foster) carers",
        lambda c: (
            _yn(bool(c.early_permanence_household_id and c.early_permanence_household_id == c.household_id))
            if c.early_permanence_on
            else ""
        ),
    ),
    Column("B: Key dates", "Fostered by the adopters from (A10 stops here)", a10_stops_on),
    Column("B: Key dates", "A10: days from entering care to moving in with the adoptive family", a10_days),
    Column("C: Reversals, disruptions and family finding", "Plan ended", lambda c: c.plan_ended_on),
    Column(
        "C: Reversals, disruptions and family finding",
        "Reversal: decision changed away from adoption",
        lambda c: _yn(c.plan_ended_reason == "plan_changed") if c.plan_ended_on else "",
    ),
    Column(
        "C: Reversals, disruptions and family finding",
        "Reversal: placement order revoked",
        lambda c: _yn(c.plan_ended_reason == "order_revoked") if c.plan_ended_on else "",
    ),
    Column(
        "C: Reversals, disruptions and family finding",
        "Disruption",
        lambda c: _yn(c.plan_ended_reason == "disruption") if c.plan_ended_on else "",
    ),
    Column(
        "C: Reversals, disruptions and family finding",
        "Disruption reason (SSDA903 REASON_PLACED_CEASED)",
        lambda c: c.plan_ended_code,
    ),
    Column("C: Reversals, disruptions and family finding", "Family-finding status", family_finding_status),
]


def _applicant(index: int, attribute: str) -> Callable[[Household], object]:
    def value(h: Household):
        applicants = h.applicants.all()
        if len(applicants) <= index:
            return ""
        a = applicants[index]
        if attribute == "age":
            return (
                h.enquiry_on.year
                - a.date_of_birth.year
                - ((h.enquiry_on.month, h.enquiry_on.day) < (a.date_of_birth.month, a.date_of_birth.day))
            )
        return getattr(a, attribute)

    return value


ADOPTER_COLUMNS = [
    Column("A: Adopter characteristics", "Home council (ONS code)", lambda h: h.home_council.ons_code),
    Column("A: Adopter characteristics", "OpenRAA reference", lambda h: h.reference),
    Column("A: Adopter characteristics", "Applicants", lambda h: len(h.applicants.all())),
    Column("A: Adopter characteristics", "Applicant 1 sex (SSDA903)", _applicant(0, "sex")),
    Column("A: Adopter characteristics", "Applicant 1 ethnicity (SSDA903)", _applicant(0, "ethnicity")),
    Column("A: Adopter characteristics", "Applicant 1 age at enquiry", _applicant(0, "age")),
    Column("A: Adopter characteristics", "Applicant 2 sex (SSDA903)", _applicant(1, "sex")),
    Column("A: Adopter characteristics", "Applicant 2 ethnicity (SSDA903)", _applicant(1, "ethnicity")),
    Column("A: Adopter characteristics", "Applicant 2 age at enquiry", _applicant(1, "age")),
    Column("A: Adopter characteristics", "Fast track", lambda h: _yn(h.fast_track)),
    Column("A: Adopter characteristics", "Early permanence (dual approval)", lambda h: _yn(h.early_permanence)),
    Column("A: Adopter characteristics", "Placement provider", lambda h: PLACEMENT_PROVIDER_RAA),
    Column("A: Adopter characteristics", "Approved for (children)", lambda h: h.approved_children),
    Column("B: Key dates", "Registration of interest", lambda h: h.registration_of_interest_on),
    Column("B: Key dates", "Stage 1 start", lambda h: h.stage1_started_on),
    Column("B: Key dates", "Stage 1 end", lambda h: h.stage1_ended_on),
    Column("B: Key dates", "Stage 2 start", lambda h: h.stage2_started_on),
    Column("B: Key dates", "Stage 2 end", lambda h: h.stage2_ended_on),
    Column("B: Key dates", "Panel recommendation", lambda h: h.panel_on),
    Column("B: Key dates", "Approved (ADM decision)", lambda h: h.approved_on),
    Column("B: Key dates", "First linked with a child", lambda h: h.first_linked),
    Column("B: Key dates", "First matched", lambda h: h.first_matched),
    Column("B: Key dates", "First child placed", lambda h: h.first_placed),
    Column("B: Key dates", "Early permanence placement", lambda h: h.first_early_permanence),
    Column("B: Key dates", "Closed", lambda h: h.closed_on),
    Column("B: Key dates", "Reason closed", lambda h: h.get_closed_reason_display() if h.closed_on else ""),
    Column("C: Disruptions", "Placements disrupted", lambda h: h.disruptions),
    Column("D: Enquiries", "Enquiry", lambda h: h.enquiry_on),
]


def _child_warnings(children: list[Child], named=lambda c: True) -> list[Warning]:
    checks: list[tuple[str, str, Callable[[Child], bool]]] = [
        (
            "ethnicity_missing",
            "Ethnicity not known (NOBT) or refused (REFU)",
            lambda c: c.ethnicity in NOT_KNOWN_ETHNICITY,
        ),
        (
            "child_id_missing",
            "No council child ID (SSDA903 CHILD): the council cannot match the row to its return",
            lambda c: not c.council_child_id,
        ),
        ("no_entered_care", "No date of entering care", lambda c: not c.entered_care_on),
        (
            "order_without_decision",
            "Placement order without a should-be-placed decision",
            lambda c: bool(c.placement_order_on and not c.should_be_placed_on),
        ),
        (
            "matched_without_order",
            "Matched without a placement order date (left out of A2)",
            lambda c: bool(c.matched_on and not c.placement_order_on),
        ),
        (
            "placed_without_match",
            "Placed for adoption without a match decision date",
            lambda c: bool(c.placed_on and not c.matched_on),
        ),
        (
            "adopted_without_placement",
            "Adoption order without a date placed for adoption (left out of A1, A2, A10)",
            lambda c: bool(c.adoption_order_on and not c.placed_on),
        ),
        (
            "early_permanence_without_carers",
            "Early permanence placement without its carers recorded",
            lambda c: bool(c.early_permanence_on and not c.early_permanence_household_id),
        ),
        (
            "disruption_without_code",
            "Disruption without its SSDA903 reason code (RD1 to RD4)",
            lambda c: c.plan_ended_reason == "disruption" and c.plan_ended_code not in DISRUPTION_CODES,
        ),
    ]
    return _warnings(children, checks, named)


def _household_warnings(households: list[Household]) -> list[Warning]:
    checks: list[tuple[str, str, Callable[[Household], bool]]] = [
        (
            "approval_missing",
            "Linked, matched or caring for a child without an approval date",
            lambda h: bool(
                not h.approved_on and (h.first_linked or h.first_matched or h.first_placed or h.first_early_permanence)
            ),
        ),
        (
            "approved_without_panel",
            "Approved without a panel recommendation date",
            lambda h: bool(h.approved_on and not h.panel_on),
        ),
        (
            "approved_without_range",
            "Approved without the number of children approved for",
            lambda h: bool(h.approved_on and h.approved_children is None),
        ),
        ("no_applicants", "No applicant recorded", lambda h: not h.applicants.all()),
        (
            "applicant_ethnicity_missing",
            "An applicant's ethnicity not known (NOBT) or refused (REFU)",
            lambda h: any(a.ethnicity in NOT_KNOWN_ETHNICITY for a in h.applicants.all()),
        ),
        (
            "fast_track_without_stage2",
            "Fast track approved without a Stage 2 start date",
            lambda h: bool(h.fast_track and h.approved_on and not h.stage2_started_on),
        ),
        (
            "registration_missing",
            "Assessment started without a registration of interest date",
            lambda h: bool((h.stage1_started_on or h.stage2_started_on) and not h.registration_of_interest_on),
        ),
    ]
    return _warnings(households, checks)


def _warnings(records, checks, named=lambda record: True) -> list[Warning]:
    found = [Warning(code, text) for code, text, _ in checks]
    for record in records:
        for warning, (_, _, test) in zip(found, checks):
            if test(record):
                if named(record):
                    warning.references.append(record.reference)
                else:
                    warning.sealed += 1
    return [w for w in found if w.count]


def may_export_sealed(user) -> bool:
    """The role may open sealed records (the agency's information-sharing agreement names it)."""
    return policy.can(user, "child", "view") and policy.sharing_rules(user).opens_sealed(user.role_set)


def children_extract(user, quarter: Period, *, include_sealed: bool = False) -> Extract:
    """The child-level extract: only the children the user's `returns` grant reaches. Sealed children
    are rows only with `include_sealed` (the caller has the stated purpose) and the sealed grant."""
    include_sealed = include_sealed and may_export_sealed(user)
    children = policy.restrict(Child.objects.all(), user, "returns", "view")
    children = (
        children.filter(
            Q(should_be_placed_on__lte=quarter.end)
            | Q(early_permanence_on__lte=quarter.end)
            | Q(placement_order_on__lte=quarter.end),
        )
        .exclude(adoption_order_on__lt=quarter.start)
        .exclude(plan_ended_on__lt=quarter.start)
    )
    children = list(
        children.select_related("responsible_council", "sibling_group", "household")
        .annotate(disabled=Exists(ChildNeed.objects.filter(child=OuterRef("pk"), need__in=DISABILITY_NEEDS)))
        .order_by("responsible_council__ons_code", "pk")
    )
    groups = {c.sibling_group_id for c in children if c.sibling_group_id}
    sizes = dict(
        Child.objects.filter(sibling_group__in=groups)
        .values("sibling_group")
        .annotate(n=Count("id"))
        .values_list("sibling_group", "n")
    )
    for c in children:
        c.group_size = sizes.get(c.sibling_group_id, 1)
    shown = [c for c in children if include_sealed or not c.sealed]
    counts: dict[str, list] = {}
    for c in children:
        line = counts.setdefault(c.responsible_council.name, [0, 0])
        line[0] += 1
        line[1] += c.sealed
    return Extract(
        "children",
        f"Children, {quarter.label}",
        "Adoptions",
        quarter,
        CHILD_COLUMNS,
        [[col.value(c) for col in CHILD_COLUMNS] for c in shown],
        [c.pk for c in shown],
        _child_warnings(children, lambda c: include_sealed or not c.sealed),
        sealed_ids=[c.pk for c in shown if c.sealed],
        sealed_left_out=len(children) - len(shown),
        counts=[(name, n, sealed) for name, (n, sealed) in sorted(counts.items())],
    )


def adopters_extract(user, quarter: Period) -> Extract:
    """The adopter-level extract: only the households the user's `returns` grant reaches."""
    households = policy.restrict(Household.objects.all(), user, "returns", "view")
    households = households.filter(enquiry_on__lte=quarter.end).exclude(closed_on__lt=quarter.start)
    households = list(
        households.select_related("home_council")
        .prefetch_related("applicants")
        .order_by("home_council__ons_code", "pk")
    )
    ids = [h.pk for h in households]
    firsts = {
        row["household"]: row
        for row in Child.objects.filter(household__in=ids)
        .values("household")
        .annotate(
            linked=Min("linked_on"),
            matched=Min("matched_on"),
            placed=Min("placed_on"),
            adopted=Max("adoption_order_on"),
            disruptions=Count("id", filter=Q(plan_ended_reason="disruption")),
            open=Count("id", filter=Q(adoption_order_on__isnull=True, plan_ended_on__isnull=True)),
        )
    }
    early = dict(
        Child.objects.filter(early_permanence_household__in=ids)
        .values("early_permanence_household")
        .annotate(first=Min("early_permanence_on"))
        .values_list("early_permanence_household", "first")
    )
    kept = []
    for h in households:
        row = firsts.get(h.pk, {})
        h.first_linked, h.first_matched, h.first_placed = row.get("linked"), row.get("matched"), row.get("placed")
        h.first_early_permanence = early.get(h.pk)
        h.disruptions = row.get("disruptions", 0)
        finished = row and not row["open"] and row["adopted"] and row["adopted"] < quarter.start
        if not finished:
            kept.append(h)
    return Extract(
        "adopters",
        f"Adopters, {quarter.label}",
        "Adopters",
        quarter,
        ADOPTER_COLUMNS,
        [[col.value(h) for col in ADOPTER_COLUMNS] for h in kept],
        [h.pk for h in kept],
        _household_warnings(kept),
    )


def _support_column(name: str, label: str) -> Column:
    return Column("Adoption support", label, lambda row: getattr(row[1], name))


SUPPORT_COLUMNS = [
    Column("Council", "LA code", lambda row: row[0].ons_code),
    Column("Council", "LA name", lambda row: row[0].name),
    *(_support_column(name, label) for name, label in support_counts.LABELS.items()),
]


def support_extract(user, quarter: Period) -> Extract:
    """Adoption support counts per council for the quarter (support/counts.py): aggregates, no record."""
    councils, result = support_return(user, quarter.start, quarter.end)
    lines = [(council, result.by_council.get(council.pk, support_counts.Counts())) for council in councils]
    return Extract(
        "support",
        f"Adoption support, {quarter.label}",
        "Adoption support",
        quarter,
        SUPPORT_COLUMNS,
        [[col.value(line) for col in SUPPORT_COLUMNS] for line in lines],
        [],
        [],
    )


def _within(day: date | None, quarter: Period) -> bool:
    return day is not None and quarter.start <= day <= quarter.end


def _tally(records, council_of, test) -> dict[str, int]:
    found: dict[str, int] = {}
    for record in records:
        if test(record):
            found[council_of(record)] = found.get(council_of(record), 0) + 1
    return found


def _adoption_figures(user, q: Period) -> list[Figure]:
    children = list(
        policy.restrict(Child.objects.all(), user, "returns", "view")
        .select_related("responsible_council")
        .only(
            "responsible_council__ons_code",
            "date_of_birth",
            "entered_care_on",
            "should_be_placed_on",
            "placement_order_on",
            "matched_on",
            "placed_on",
            "adoption_order_on",
            "plan_ended_on",
            "plan_ended_reason",
            "early_permanence_on",
            "early_permanence_household",
            "household",
            "fostered_by_adopters_from",
        )
    )

    def council(c):
        return c.responsible_council.ons_code

    adopted = [c for c in children if _within(c.adoption_order_on, q) and a10_days(c) is not None]
    a10_counts, a10_sum = _tally(adopted, council, lambda c: True), {}
    for c in adopted:
        a10_sum[council(c)] = a10_sum.get(council(c), 0) + a10_days(c)
    section = "Adoptions"

    def by_end(day: date | None) -> bool:
        return day is not None and day <= q.end

    def waiting(c):
        decided = by_end(c.should_be_placed_on) or by_end(c.placement_order_on)
        return decided and not any(by_end(d) for d in (c.placed_on, c.adoption_order_on, c.plan_ended_on))

    return [
        Figure(
            Item(section, "Should be placed for adoption decisions (ADM)"),
            _tally(children, council, lambda c: _within(c.should_be_placed_on, q)),
        ),
        Figure(
            Item(section, "Placement orders"), _tally(children, council, lambda c: _within(c.placement_order_on, q))
        ),
        Figure(Item(section, "Matched (ADM decision)"), _tally(children, council, lambda c: _within(c.matched_on, q))),
        Figure(Item(section, "Placed for adoption"), _tally(children, council, lambda c: _within(c.placed_on, q))),
        Figure(Item(section, "Adoption orders"), _tally(children, council, lambda c: _within(c.adoption_order_on, q))),
        Figure(
            Item(
                section,
                "A10: average days from entering care to moving in, children adopted in the quarter",
                average=True,
            ),
            a10_counts,
            a10_sum,
        ),
        Figure(
            Item(section, "Reversals: decisions changed away from adoption or placement orders revoked"),
            _tally(
                children,
                council,
                lambda c: _within(c.plan_ended_on, q) and c.plan_ended_reason in ("plan_changed", "order_revoked"),
            ),
        ),
        Figure(
            Item(section, "Disruptions before the adoption order"),
            _tally(children, council, lambda c: _within(c.plan_ended_on, q) and c.plan_ended_reason == "disruption"),
        ),
        Figure(
            Item(section, "Children waiting to be placed at the end of the quarter"), _tally(children, council, waiting)
        ),
    ]


def _adopter_figures(user, q: Period) -> list[Figure]:
    households = list(
        policy.restrict(Household.objects.all(), user, "returns", "view")
        .select_related("home_council")
        .only("home_council__ons_code", "enquiry_on", "stage1_started_on", "approved_on", "closed_on")
    )

    def council(h):
        return h.home_council.ons_code

    section = "Adopters"
    return [
        Figure(Item(section, label, HOUSEHOLDS), _tally(households, council, test))
        for label, test in (
            ("Enquiries", lambda h: _within(h.enquiry_on, q)),
            ("Stage 1 started", lambda h: _within(h.stage1_started_on, q)),
            ("Approved (ADM decision)", lambda h: _within(h.approved_on, q)),
            ("Left the process (withdrew or not approved)", lambda h: _within(h.closed_on, q)),
        )
    ]


def _records(user, resource: str, queryset):
    """The section's records: through the user's grant when they hold it (their counts are then as
    exact as their other counts), else the agency's, suppressed as the board sees them."""
    if policy.can(user, resource, "view"):
        return policy.restrict(queryset, user, resource, "view"), policy.disclosure_viewer(user)
    return queryset.filter(agency=user.agency), NOBODY


def _special_guardianship_figures(user, q: Period) -> tuple[list[Figure], object]:
    plans, viewer = _records(user, "permanence", PermanencePlan.objects.filter(kind=PlanKind.SPECIAL_GUARDIANSHIP))
    carers, _ = _records(user, "permanence", Carer.objects.filter(kind=CarerKind.SPECIAL_GUARDIAN))
    dated = []
    for plan in plans.select_related("responsible_council").prefetch_related("steps"):
        days = {e.kind: e.occurred_on for e in in_force([s.as_entry() for s in plan.steps.all()])}
        dated.append((plan.responsible_council.ons_code, days))
    supported = [
        (c.home_council.ons_code, {e.kind: e.occurred_on for e in in_force([s.as_entry() for s in c.steps.all()])})
        for c in carers.select_related("home_council").prefetch_related("steps")
    ]

    def step_in_quarter(kind):
        return lambda row: _within(row[1].get(kind), q)

    def open_at_end(row):
        days = row[1]
        return bool(days.get("agreed") and days["agreed"] <= q.end) and not any(
            days.get(k) and days[k] <= q.end for k in ("order", "closed")
        )

    section = "Special guardianship"
    council = lambda row: row[0]  # noqa: E731
    return [
        Figure(Item(section, "Special guardianship plans agreed"), _tally(dated, council, step_in_quarter("agreed"))),
        Figure(
            Item(section, "Special guardians' assessments started"),
            _tally(dated, council, step_in_quarter("assessment")),
        ),
        Figure(Item(section, "Special guardianship orders made"), _tally(dated, council, step_in_quarter("order"))),
        Figure(
            Item(section, "Special guardianship support plans agreed"),
            _tally(supported, council, step_in_quarter("support_plan")),
        ),
        Figure(Item(section, "Plans ended without an order"), _tally(dated, council, step_in_quarter("closed"))),
        Figure(
            Item(section, "Plans open at the end of the quarter, no order yet"), _tally(dated, council, open_at_end)
        ),
    ], viewer


def _support_figures(user, q: Period) -> tuple[list[Figure], object]:
    cases, viewer = _records(user, "support", SupportCase.objects.all())
    facts = [
        support_counts.CaseFacts(*row)
        for row in cases.filter(received_on__lte=q.end).values_list(
            "responsible_council__ons_code", "received_on", "assessment_completed_on", "plan_agreed_on", "closed_on"
        )
    ]
    result = support_counts.counts(facts, q.start, q.end, support_targets_for(user.agency))
    return [
        Figure(Item("Adoption support", label), {code: getattr(c, name) for code, c in result.by_council.items()})
        for name, label in support_counts.LABELS.items()
    ], viewer


def _complaint_figures(user, q: Period) -> tuple[list[Figure], object]:
    complaints, viewer = _records(user, "complaints", Complaint.objects.all())
    rows = [
        (c.council.ons_code, c, list(c.stages.all()))
        for c in complaints.select_related("council").prefetch_related("stages")
    ]
    section = "Complaints"
    council = lambda row: row[0]  # noqa: E731

    def responded(late: bool):
        def test(row):
            return any(
                _within(s.responded_on, q)
                and (
                    not late
                    or schedule.answered_late(
                        schedule.ComplaintStage(s.stage), s.started_on, s.extended, s.responded_on
                    )
                )
                for s in row[2]
            )

        return test

    def open_at_end(row):
        return row[1].received_on <= q.end and any(
            s.started_on <= q.end and (s.responded_on is None or s.responded_on > q.end) for s in row[2]
        )

    return [
        Figure(Item(section, "Complaints received"), _tally(rows, council, lambda row: _within(row[1].received_on, q))),
        Figure(
            Item(section, "Escalated to a later stage"),
            _tally(rows, council, lambda row: any(_within(s.started_on, q) for s in row[2][1:])),
        ),
        Figure(Item(section, "Responded to"), _tally(rows, council, responded(False))),
        Figure(Item(section, "Responded to late"), _tally(rows, council, responded(True))),
        Figure(Item(section, "Open at the end of the quarter"), _tally(rows, council, open_at_end)),
    ], viewer


def counts_extract(user, quarter: Period) -> Extract:
    """The quarter's counts per council and in total: aggregates, no record. Adoptions and adopters
    come through the returns grant (exact to its holders); special guardianship, adoption support
    and complaints through their own grants, suppressed as the board sees them for a reader without."""
    councils = list(policy.councils_for(user, "returns", "view").order_by("name"))
    codes = [c.ons_code for c in councils]
    viewer = policy.disclosure_viewer(user)
    figures = [*_adoption_figures(user, quarter), *_adopter_figures(user, quarter)]
    viewers = {"Adoptions": viewer, "Adopters": viewer}
    for build in (_special_guardianship_figures, _support_figures, _complaint_figures):
        section_figures, section_viewer = build(user, quarter)
        figures += section_figures
        viewers[section_figures[0].item.section] = section_viewer
    rows = quarter_counts.table(figures, codes, viewers)
    columns = [
        Column("Item", "Section", lambda row: row[0]),
        Column("Item", "Count", lambda row: row[1]),
        *(Column("Council", f"{c.name} ({c.ons_code})", lambda row, i=i: row[2 + i]) for i, c in enumerate(councils)),
        Column("Agency", "Total", lambda row: row[-1]),
    ]
    return Extract(
        "counts",
        f"Counts, {quarter.label}",
        "Counts",
        quarter,
        columns,
        [[col.value(row) for col in columns] for row in rows],
        [],
        [],
    )


EXTRACTS = {
    "children": children_extract,
    "adopters": adopters_extract,
    "support": support_extract,
    "counts": counts_extract,
}
