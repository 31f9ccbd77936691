"""Ofsted's Annex A adoption lists (List 10 and List 11, laid out by performance/annex_a.py) from the
record, for one council's inspection, and as an XLSX workbook.

Who may have them: roles with the `returns` grant, for the councils it reaches. What is in them:
of a child, only what `policy.hidden_fields(..., purpose=STATUTORY_RETURN)` lets the reader see (no
name, no birth family); of an adopter, their sex and ethnicity, never a name, to a reader who may see
the household's applicants. Sealed adoption records (children adopted in the 12 months) are handled as the national
quarterly return handles them (performance/returns.py): counted on the page, but a row only for a
role that may open sealed records and has stated a purpose, each such child then audited with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from openraa.children.models import Child, ChildNeed
from openraa.common.downloads import xlsx_bytes, xlsx_value
from openraa.households.models import Household
from openraa.people import policy
from openraa.performance import annex_a
from openraa.performance.returns import may_export_sealed
from openraa.reference import DISABILITY_NEEDS


@dataclass
class Lists:
    council: object
    window: annex_a.Window
    children: list[list] = field(default_factory=list)  # List 10 rows
    child_ids: list[int] = field(default_factory=list)
    sealed_ids: list[int] = field(default_factory=list)  # sealed children in the file (a purpose was stated)
    sealed_left_out: int = 0
    adopters: list[list] = field(default_factory=list)  # List 11 rows
    household_ids: list[int] = field(default_factory=list)

    @property
    def children_total(self) -> int:
        """Every child on List 10, sealed ones included: what the page counts."""
        return len(self.child_ids) + self.sealed_left_out


def councils(user):
    """The councils whose lists the user may have: those the returns grant reaches."""
    return policy.councils_for(user, "returns", "view").order_by("name")


def _shown(record, hidden: frozenset[str], name: str):
    return None if name in hidden else getattr(record, name)


def _child_facts(child: Child, hidden: frozenset[str]) -> annex_a.ChildFacts:
    def shown(name):
        return _shown(child, hidden, name)

    return annex_a.ChildFacts(
        child_id=(shown("council_child_id") or child.reference),
        date_of_birth=shown("date_of_birth"),
        sex=shown("sex"),
        ethnicity=shown("ethnicity"),
        disabled=None if "needs" in hidden else child.disabled,
        family=child.household.reference if child.household_id and "household" not in hidden else "",
        entered_care_on=shown("entered_care_on"),
        should_be_placed_on=shown("should_be_placed_on"),
        placement_order_on=shown("placement_order_on"),
        matched_on=shown("matched_on"),
        placed_on=shown("placed_on"),
        adoption_order_on=shown("adoption_order_on"),
        plan_ended_on=shown("plan_ended_on"),
        plan_ended_code=shown("plan_ended_code") or "",
        early_permanence_on=shown("early_permanence_on"),
    )


def _children(user, council, window: annex_a.Window, include_sealed: bool, lists: Lists) -> None:
    children = (
        policy.restrict(Child.objects.all(), user, "returns", "view")
        .filter(
            responsible_council=council,
            should_be_placed_on__lte=window.ends_on,
        )
        .exclude(adoption_order_on__lt=window.starts_on)
        .exclude(plan_ended_on__lt=window.starts_on)
    )
    children = (
        children.select_related("household")
        .annotate(disabled=Exists(ChildNeed.objects.filter(child=OuterRef("pk"), need__in=DISABILITY_NEEDS)))
        .order_by("council_child_id", "pk")
    )
    for child in children:
        hidden = policy.hidden_fields(user, child, opened=include_sealed, purpose=policy.STATUTORY_RETURN)
        facts = _child_facts(child, frozenset())  # membership is decided on the whole record
        if not annex_a.on_list_10(facts, window):
            continue
        if child.sealed and not include_sealed:
            lists.sealed_left_out += 1
            continue
        lists.children.append(annex_a.list_10_row(_child_facts(child, hidden), window))
        lists.child_ids.append(child.pk)
        if child.sealed:
            lists.sealed_ids.append(child.pk)


def _adopters(user, council, window: annex_a.Window, lists: Lists) -> None:
    households = (
        policy.restrict(Household.objects.all(), user, "returns", "view")
        .filter(home_council=council, enquiry_on__lte=window.ends_on)
        .exclude(closed_on__lt=window.starts_on)
    )
    households = list(households.prefetch_related("applicants").order_by("pk"))
    ids = [h.pk for h in households]
    end = window.ends_on
    placed = Q(placed_on__lte=end)
    firsts = {
        row["household"]: row
        for row in Child.objects.filter(household__in=ids)
        .values("household")
        .annotate(
            matched=Min("matched_on", filter=Q(matched_on__lte=end)),
            placed=Min("placed_on", filter=placed),
            children_placed=Count("id", filter=placed),
            adopted=Max("adoption_order_on", filter=Q(adoption_order_on__lte=end)),
            finished=Max("adoption_order_on"),
            open=Count("id", filter=Q(adoption_order_on__isnull=True, plan_ended_on__isnull=True)),
        )
    }
    early = set(
        Child.objects.filter(early_permanence_household__in=ids, early_permanence_on__lte=end).values_list(
            "early_permanence_household", flat=True
        )
    )
    for h in households:
        row = firsts.get(h.pk, {})
        # Never a name: only each applicant's sex and ethnicity, as the quarterly return's adopter file
        # gives them, and only to a reader who may see the household's applicants.
        applicants_hidden = "applicants" in policy.hidden_fields(user, h)
        facts = annex_a.AdopterFacts(
            family=h.reference,
            applicants=tuple(
                annex_a.ApplicantFacts(None if applicants_hidden else a.sex, None if applicants_hidden else a.ethnicity)
                for a in h.applicants.all()
            ),
            fostering_for_adoption=h.early_permanence or h.pk in early,
            enquiry_on=h.enquiry_on,
            stage1_started_on=h.stage1_started_on,
            stage1_ended_on=h.stage1_ended_on,
            stage2_started_on=h.stage2_started_on,
            stage2_ended_on=h.stage2_ended_on,
            approved_on=h.approved_on,
            matched_on=row.get("matched"),
            placed_on=row.get("placed"),
            children_placed=row.get("children_placed", 0),
            adoption_order_on=row.get("adopted"),
            closed_on=h.closed_on,
            closed_reason=h.closed_reason,
            finished_on=row["finished"] if row and not row["open"] else None,
        )
        if annex_a.on_list_11(facts, window):
            lists.adopters.extend(annex_a.list_11_rows(facts, window))
            lists.household_ids.append(h.pk)


def lists_for(user, council, window: annex_a.Window, *, include_sealed: bool = False) -> Lists:
    """Both lists of one council reached by the user's returns grant. Sealed children are rows only
    with `include_sealed` (the caller has the stated purpose) and the sealed-records grant."""
    lists = Lists(council, window)
    _children(user, council, window, include_sealed and may_export_sealed(user), lists)
    _adopters(user, council, window, lists)
    return lists


_BOLD = Font(bold=True)


def workbook(lists: Lists) -> bytes:
    """One sheet per list, named and headed as Annex A's template; dates as day/month/year."""
    book = Workbook()
    book.remove(book.active)
    for title, columns, rows in (
        (annex_a.LIST_10, annex_a.LIST_10_COLUMNS, lists.children),
        (annex_a.LIST_11, annex_a.LIST_11_COLUMNS, lists.adopters),
    ):
        sheet = book.create_sheet(title)
        for i, heading in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=i, value=heading)
            cell.font, cell.alignment = _BOLD, Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions[get_column_letter(i)].width = max(14, min(30, len(heading) // 2 + 4))
        for r, row in enumerate(rows, start=2):
            for i, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=i, value=xlsx_value(value))
                if hasattr(value, "isoformat"):
                    cell.number_format = "dd/mm/yyyy"
        sheet.freeze_panes = "A2"
    return xlsx_bytes(book)
