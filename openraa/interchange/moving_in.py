"""Moving in: a council's households and their applicants, support cases and letterbox agreements
from its system's CSV or XLSX export (households/moving_in.py and support/moving_in.py read and
check the rows). Households are written through the journeys' import of a household, so an approved
household arrives with its journey's entries marked imported; support cases through the support
service, their steps marked imported the same way. A row already held (found by the council's
reference) is reported and left alone, so importing a file twice doubles nothing."""

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from openraa.children.models import Child
from openraa.common.machine import StepRefused
from openraa.households import moving_in
from openraa.households.models import Applicant, Household
from openraa.journeys.services import create_imported_household, seed_household_history
from openraa.partnership.models import Agency, Council
from openraa.support import moving_in as support_moving_in
from openraa.support import services as support_services
from openraa.support.models import LetterboxAgreement, SupportCase

Table = list[list[str]]


def table_of(name: str, data: bytes) -> tuple[Table, list[moving_in.Problem]]:
    """The file's rows: an XLSX workbook's first sheet when the name ends .xlsx, else CSV (UTF-8)."""
    if name.lower().endswith(".xlsx"):
        return moving_in.xlsx_table(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [moving_in.Problem(1, f"The file is not UTF-8 text: {error}")]
    return moving_in.csv_table(text)


def agency_and_table(file: Path, agency: str) -> tuple[Agency, Table, list[moving_in.Problem]]:
    """The agency named by its code and the file's rows (or the problem of a file that cannot be read)."""
    found = Agency.objects.filter(code=agency).first()
    if found is None:
        raise CommandError(f"No agency with the code {agency!r}")
    try:
        data = file.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {file}: {error}") from None
    table, problems = table_of(file.name, data)
    return found, table, problems


def reconciliation(
    noun: str, new: list[int], present: list[moving_in.Present], problems: list[moving_in.Problem], dry_run: bool
) -> list[str]:
    """The lines every moving-in import prints: rows read, to create, already here, refused (by line)."""
    refused = sorted({p.row for p in problems if p.row > 1})
    lines = [
        f"Rows read: {len(new) + len(present) + len(refused)}",
        f"{noun} {'to create' if dry_run or problems else 'created'}: {len(new)}",
        f"Already here (not imported again): {len(present)}",
        f"Refused: {len(refused)}",
    ]
    lines += [f"Line {p.row}: {p.reference} is already here as {p.held_as} (found {p.how})" for p in present]
    return lines


def councils_by_key(agency: Agency) -> dict[str, Council]:
    councils = list(agency.member_councils())
    return {c.ons_code.upper(): c for c in councils} | {c.name.lower(): c for c in councils}


def read_households(
    agency: Agency, table: Table, today: date | None = None
) -> tuple[list[moving_in.NewHousehold[Council]], list[moving_in.Problem], list[moving_in.Present]]:
    """The file's new households, every problem (the journey's own rules included) and the
    households already held (found by the council's reference, else by their applicants)."""
    today = today or timezone.localdate()
    councils = councils_by_key(agency)
    by_id = {c.pk: c for c in councils.values()}
    held = {
        moving_in.person_key(by_id[council_id], first, last, born): (Household(pk=pk).reference, reference)
        for council_id, first, last, born, pk, reference in Applicant.objects.filter(
            household__agency=agency, household__home_council_id__in=by_id
        ).values_list(
            "household__home_council_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "household_id",
            "household__council_reference",
        )
    }
    references = {
        (by_id[council_id], reference): Household(pk=pk).reference
        for council_id, reference, pk in Household.objects.filter(agency=agency, home_council_id__in=by_id)
        .exclude(council_reference="")
        .values_list("home_council_id", "council_reference", "pk")
    }
    households, problems, present = moving_in.read_table(table, councils, held, today, references)
    for new in households:
        try:
            seed_household_history(_household(agency, new), imported=True)
        except StepRefused as error:
            problems.append(moving_in.Problem(new.row, f"The journey refuses these dates: {error}"))
    refused = {p.row for p in problems}
    return [h for h in households if h.row not in refused], sorted(problems, key=lambda p: p.row), present


def _household(agency: Agency, new: moving_in.NewHousehold[Council]) -> Household:
    m = new.milestones
    return Household(
        agency=agency,
        home_council=new.home_council,
        council_reference=new.reference,
        postcode_district=new.postcode_district,
        **{name: getattr(m, name) for name in moving_in.DATES},
        closed_reason=m.closed_reason,
        fast_track=m.fast_track,
        approved_children=m.approved_children,
        age_min=m.age_min,
        age_max=m.age_max,
    )


@transaction.atomic
def import_households(agency: Agency, table: Table, *, by) -> list[tuple[str, Household]]:
    """Every new household of the file created with its applicants and imported journey entries, as
    (the council's reference, the household), or nothing when any row has a problem; the households
    already held are left as they are."""
    households, problems, _present = read_households(agency, table)
    if problems:
        raise ValidationError([f"Line {p.row}: {p.reason}" for p in problems])
    return [
        (
            new.reference,
            create_imported_household(_household(agency, new), [vars(a) for a in new.applicants], by=by),
        )
        for new in households
    ]


# Support cases and letterbox agreements ---------------------------------------------------------
# support/moving_in.py reads and checks the rows; each is written through the support service.


def _links(agency: Agency) -> support_moving_in.Links[Council, int]:
    """The councils, households and children a row may name: the agency's own (by id)."""
    references: dict[str, list[int]] = defaultdict(list)
    households = {}
    for pk, reference in Household.objects.filter(agency=agency).values_list("pk", "council_reference"):
        households[pk] = pk
        if reference:
            references[reference].append(pk)
    children = {pk: pk for pk in Child.objects.filter(agency=agency).values_list("pk", flat=True)}
    return support_moving_in.Links(councils_by_key(agency), households, references, children)


def _held(model, agency: Agency, councils: Mapping[str, Council]) -> dict[tuple[Council, str], str]:
    by_id = {c.pk: c for c in councils.values()}
    return {
        (by_id[council_id], reference): model(pk=pk).reference
        for council_id, reference, pk in model.objects.filter(agency=agency, responsible_council_id__in=by_id)
        .exclude(council_reference="")
        .values_list("responsible_council_id", "council_reference", "pk")
    }


def read_support_cases(
    agency: Agency, table: Table, today: date | None = None
) -> tuple[list[support_moving_in.NewSupportCase[Council, int]], list[moving_in.Problem], list[moving_in.Present]]:
    """The file's new cases, every problem (the support journey's rules included) and the cases held."""
    links = _links(agency)
    held = _held(SupportCase, agency, links.councils)
    return support_moving_in.read_support_cases(table, links, held, today or timezone.localdate())


@transaction.atomic
def import_support_cases(agency: Agency, table: Table, *, by) -> list[tuple[str, SupportCase]]:
    """Every new case of the file created through the support service with its steps marked imported,
    as (the council's reference, the case), or nothing when any row has a problem."""
    cases, problems, _present = read_support_cases(agency, table)
    if problems:
        raise ValidationError([f"Line {p.row}: {p.reason}" for p in problems])
    return [
        (
            new.reference,
            support_services.create_imported_case(
                SupportCase(
                    agency=agency,
                    responsible_council=new.council,
                    council_reference=new.reference,
                    requester=new.requester,
                    requester_name=new.requester_name,
                    household_id=new.household,
                    child_id=new.child,
                    categories=list(new.categories),
                    request=new.request,
                ),
                list(new.steps),
                by=by,
            ),
        )
        for new in cases
    ]


def read_letterbox(
    agency: Agency, table: Table, today: date | None = None
) -> tuple[list[support_moving_in.NewAgreement[Council, int]], list[moving_in.Problem], list[moving_in.Present]]:
    links = _links(agency)
    held = _held(LetterboxAgreement, agency, links.councils)
    return support_moving_in.read_letterbox(table, links, held, today or timezone.localdate())


@transaction.atomic
def import_letterbox(agency: Agency, table: Table, *, by) -> list[tuple[str, LetterboxAgreement]]:
    """Every new agreement of the file created through the support service, or nothing when any row
    has a problem."""
    agreements, problems, _present = read_letterbox(agency, table)
    if problems:
        raise ValidationError([f"Line {p.row}: {p.reason}" for p in problems])
    return [
        (
            new.reference,
            support_services.create_letterbox_agreement(
                LetterboxAgreement(
                    agency=agency,
                    responsible_council=new.council,
                    council_reference=new.reference,
                    child_id=new.child,
                    household_id=new.household,
                    birth_relative_name=new.birth_relative_name,
                    birth_relative_relationship=new.birth_relative_relationship,
                    direction=new.direction,
                    exchanges_per_year=new.exchanges_per_year,
                    months=list(new.months),
                    starts_on=new.starts_on,
                    ends_on=new.ends_on,
                    status=new.status,
                ),
                by=by,
            ),
        )
        for new in agreements
    ]
