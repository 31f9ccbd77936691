"""Importing a council's SSDA903 return into the record, and exporting the adoption tables from it.

Import, child by child:
- a child is found by (responsible council, CHILD = Child.council_child_id); OpenRAA's own
  reference ("OR" and eight digits, what the export writes for a child with no council ID) finds
  the child too;
- a child is rejected, with its reasons and nothing of it written, only for what cannot be stored:
  rows that cannot be read (dates, unknown codes), a child twice in a table, dates no child can have
  (before birth, an adoption order before the placement: children/domain.validate), or a change to a
  sealed record; the other children are imported. Date orders that are unusual but real (a match
  before the placement order, a placement with parental consent and no order, a placement on the day
  of the match, an adoption order soon after the placement) are imported and listed as warnings;
- a child with no adoption plan in the return is skipped (the agency's record is for adoption);
- a new child gets its milestones as imported journey entries (checked for order, not for the
  stage before each), a placeholder name (SSDA903 carries none: first name "(SSDA903)", last name
  the CHILD id) and the agency the council is a member of in the return's year;
- a child already held is compared first: when nothing differs nothing is written (importing the
  same return twice changes nothing); a date that differs is corrected by an imported entry that
  supersedes the one in force, a milestone the record lacks is added, and date of birth, sex,
  ethnicity and the day the foster placement with the adopters began follow the council's return. A
  milestone the return does not show is left as it is: a return covers one year, and its silence
  about an earlier year says nothing;
- each imported entry keeps the collection year it came from and whether the return showed the date
  or only a bound ("estimate"): an earlier year's return never overwrites a date a later year showed,
  and a bound replaces a held bound only when it is earlier (tighter), so years can be imported in any
  order and again (`import_history` imports several in collection-year order, handing each year the
  children's earlier episodes).

New children are validated one by one, then written in batches in one transaction each; if a batch
fails at the database, its children are written one transaction each, so only the failing one is
rejected. The journeys' service writes them and the corrections of held children
(journeys/services.py create_imported_children, record_imported_steps): this module decides what a
return changes, never how a journey is written.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone

from openraa.children import domain as child_domain
from openraa.children.models import Child
from openraa.common import downloads, parsing
from openraa.common.machine import Entry, StepRefused, in_force
from openraa.common.years import FinancialYear
from openraa.interchange.models import ImportRun
from openraa.interchange.ssda903 import codes, mapping, reading, writing
from openraa.journeys import definitions
from openraa.journeys.models import IMPORTED, ChildStep
from openraa.journeys.services import create_imported_children, record_imported_steps, seed_child_history
from openraa.partnership.models import Agency, Council, Membership

PLACEHOLDER_FIRST_NAME = "(SSDA903)"
BATCH = 2000
KIND_OF, FIELD_OF = definitions.CHILD_KIND_OF, definitions.CHILD_FIELD_OF
OWN_REFERENCE = "OR"  # the export's CHILD for a child with no council ID: OR and the record's number


@dataclass(frozen=True)
class ReportLine:
    outcome: str  # refused, rejected, skipped, warning (imported, unusual), note
    child: str
    table: str
    row: int | None
    field: str
    reason: str
    file: str = ""


REPORT_COLUMNS = ("outcome", "child", "table", "row", "field", "reason", "file")


@dataclass
class ImportResult:
    run: ImportRun
    lines: list[ReportLine] = field(default_factory=list)
    # Each child's episodes as far as this return and the earlier ones read with it show them: what
    # the next year's import is handed (import_history).
    episodes: dict[str, list[reading.EpisodeRow]] = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return self.run.outcome == ImportRun.Outcome.REFUSED

    def report_csv(self) -> str:
        """The reason report as a file to open (`openraa import_ssda903 --report`)."""
        return downloads.csv_text(REPORT_COLUMNS, _report_rows(self.lines))


def _report_rows(lines: Iterable[ReportLine]) -> list[list]:
    return [
        [line.outcome, line.child, line.table, "" if line.row is None else line.row, line.field, line.reason, line.file]
        for line in lines
    ]


def stored_report(lines: Iterable[ReportLine]) -> str:
    """The reason report as the run keeps it: CSV with what the file said exactly as it came. It is
    read back by the run's page and written out for download by `report_file` only."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REPORT_COLUMNS)
    writer.writerows(_report_rows(lines))
    return out.getvalue()


def report_file(run: ImportRun) -> tuple[list[str], list[list[str]]]:
    """The kept report as a header and rows, for the download (common/downloads.py)."""
    header, *rows = list(csv.reader(io.StringIO(run.report))) or [list(REPORT_COLUMNS)]
    return header, rows


def find_council(code: str) -> Council:
    council = Council.objects.filter(Q(ons_code__iexact=code) | Q(name__iexact=code)).first()
    if council is None:
        raise ValueError(f"No council with the ONS code or name {code!r}")
    return council


def agency_for(council: Council, year: int) -> Agency:
    """The agency the council is a member of at the end of the return's year (or today, when the
    year has not ended or the council joined later)."""
    _, end = codes.collection_year(year)
    for on in (min(end, timezone.localdate()), timezone.localdate()):
        membership = (
            Membership.objects.filter(council=council, joined_on__lte=on)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
            .select_related("agency")
            .first()
        )
        if membership:
            return membership.agency
    raise ValueError(f"{council} is not a member of an agency")


# ----------------------------------------------------------------------------------------------
# Import
# ----------------------------------------------------------------------------------------------


def import_history(
    returns: list[tuple[int, list[tuple[str, bytes]]]],
    council: Council,
    *,
    by=None,
    source: str = ImportRun.Source.COMMAND,
    today: date | None = None,
    on_year: Callable[[int], tuple[Callable | None, Callable | None]] | None = None,
) -> list[ImportResult]:
    """A council's returns of several years (year, files), imported in collection-year order, each
    with the children's episodes from the earlier ones, so a period of care that began years before
    is complete. `on_year(year)` may give the (progress, total) callbacks of that year's import."""
    results, episodes = [], {}
    for year, files in sorted(returns, key=lambda item: item[0]):
        progress, total = on_year(year) if on_year else (None, None)
        result = import_return(
            files, council, year, by=by, source=source, progress=progress, total=total, today=today, earlier=episodes
        )
        episodes = {**episodes, **result.episodes}
        results.append(result)
    return results


def import_return(
    files: list[tuple[str, bytes]],
    council: Council,
    year: int,
    *,
    by=None,
    source: str = ImportRun.Source.COMMAND,
    progress: Callable[[int], None] | None = None,
    total: Callable[[int], None] | None = None,
    today: date | None = None,
    earlier: dict[str, list[reading.EpisodeRow]] | None = None,
) -> ImportResult:
    """Import one council's return (see the module's docstring). `total(n)` is told how many
    children there are, `progress(k)` each time k more are done; `earlier`: each child's episodes in
    the council's earlier returns, read in the same run."""
    started = timezone.now()
    today = today or timezone.localdate()
    agency = agency_for(council, year)
    data = reading.read_return(files, year)
    names = [name for name, _ in files]
    if data.file_problems:
        lines = [ReportLine("refused", p.child, p.table, p.row, p.field, p.reason, p.file) for p in data.file_problems]
        run = _record(
            agency, council, year, by, source, started, names, ImportRun.Outcome.REFUSED, data.rows, {}, lines
        )
        return ImportResult(run, lines)

    importer = _Importer(agency, council, year, by, today, earlier or {})
    children, problems = mapping.group_by_child(data)
    for problem in data.problems:
        if problem.table == "PrevPerm":  # read for completeness; OpenRAA keeps nothing from it
            importer.lines.append(
                ReportLine(
                    "note",
                    problem.child,
                    problem.table,
                    problem.row,
                    problem.field,
                    f"{problem.reason} (previous permanence is not kept: row ignored)",
                    problem.file,
                )
            )
        elif problem.child:
            problems.append(problem)
        else:
            importer.lines.append(
                ReportLine("rejected", "", problem.table, problem.row, problem.field, problem.reason, problem.file)
            )
    # A code of another year's layout: its meaning is plain, so it is kept and said (see reading.py).
    importer.lines += [ReportLine("warning", w.child, w.table, w.row, w.field, w.reason, w.file) for w in data.warnings]
    for child_id in {p.child for p in problems} - set(children):
        children[child_id] = mapping.ChildRows(child_id)  # every row of it was unreadable
    if total:
        total(len(children))
    importer.run(children, mapping.by_child(problems), progress)
    if data.ignored:
        importer.lines.append(
            ReportLine("note", "", "", None, "", f"Tables OpenRAA does not use, not read: {', '.join(data.ignored)}")
        )
    run = _record(
        agency,
        council,
        year,
        by,
        source,
        started,
        names,
        ImportRun.Outcome.IMPORTED,
        data.rows,
        importer.counts | _in_return(children, year),
        importer.lines,
    )
    episodes = {
        child_id: mapping.with_earlier(rows.episodes, (earlier or {}).get(child_id, []))
        for child_id, rows in children.items()
        if rows.episodes
    }
    return ImportResult(run, importer.lines, episodes)


def _in_return(children: dict[str, mapping.ChildRows], year: int) -> dict[str, int]:
    """What the return holds, kept with the run for the reconciliation: its children, and of those
    with an adoption plan their episodes and the adoptions in the year."""
    start, end = codes.collection_year(year)
    planned = [rows for rows in children.values() if mapping.has_adoption_plan(rows)]
    return {
        "children": len(children),
        "plan_children": len(planned),
        "episodes": sum(len(rows.episodes) for rows in planned),
        "adoptions": sum(
            any(e.rec in codes.ADOPTED and e.dec and start <= e.dec <= end for e in rows.episodes) for rows in planned
        ),
    }


def _record(agency, council, year, by, source, started, names, outcome, rows, counts, lines) -> ImportRun:
    run = ImportRun(
        agency=agency,
        council=council,
        year=year,
        by=by,
        source=source,
        started_at=started,
        files=names,
        outcome=outcome,
        rows=rows,
        report=stored_report(lines),
        **counts,
    )
    run.save()
    return run


def _show(value) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value) if value not in (None, "") else "(none)"


def _held_codes(child: Child, force: dict) -> dict[str, dict[str, str]]:
    """The SSDA903 codes an export of the child writes today for each coded journey entry: those an
    import kept with the entry, else the ones the record implies."""
    household_sexes = sorted(a.sex for a in child.household.applicants.all()) if child.household_id else []
    implied = {
        "placed": {
            "ssda903_place": "A5"
            if child.fostered_by_adopters_from
            or (child.early_permanence_household_id and child.early_permanence_household_id == child.household_id)
            else "A6"
        },
        "adoption_order": {"ssda903_rec": "E11"},
        "plan_ended": {"ssda903_reason_placed_ceased": child.plan_ended_code or "RD4"},
    }
    if len(household_sexes) == 1:
        implied["adoption_order"].update(
            ssda903_nb_adoptr="1",
            ssda903_ls_adoptr="L0",
            ssda903_sex_adoptr=("M1" if household_sexes[0] == "1" else "F1"),
        )
    elif len(household_sexes) == 2:
        pair = "".join(sorted("M" if s == "1" else "F" for s in household_sexes))
        implied["adoption_order"].update(ssda903_nb_adoptr="2", ssda903_sex_adoptr={"FM": "MF"}.get(pair, pair))
    if "placed" in force:
        implied["adoption_order"]["ssda903_foster_care"] = "1" if implied["placed"]["ssda903_place"] == "A5" else "0"
    held = {}
    for kind, codes_ in implied.items():
        kept = {k: v for k, v in force[kind].details.items() if k.startswith("ssda903_")} if kind in force else {}
        held[kind] = {**codes_, **kept}
    return held


def _forget_keys(item) -> None:
    """After a rolled-back bulk insert, the objects still carry the keys the database gave them."""
    child, steps, _ = item
    child.pk = None
    for step in steps:
        step.pk = None


def _own_reference(child_id: str) -> int | None:
    rest = child_id[len(OWN_REFERENCE) :]
    return parsing.record_id(rest) if child_id.startswith(OWN_REFERENCE) and len(rest) == 8 else None


class _Rejected(Exception):
    def __init__(self, reasons: list[tuple[str, str]]):  # (field, reason)
        super().__init__(reasons[0][1])
        self.reasons = reasons


def _refusal(error: Exception) -> _Rejected:
    if isinstance(error, StepRefused):
        return _Rejected([(error.field, str(error))])
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return _Rejected([(name, message) for name, messages in error.message_dict.items() for message in messages])
    return _Rejected([("", str(error))])


YEAR_KEY, ESTIMATE_KEY = "imported_year", "estimate"  # an imported entry's provenance (not an SSDA903 code)


def _later_fact(entry: Entry | None, year: int) -> bool:
    """The entry holds a date that a later year's return showed (not a bound): an earlier year keeps off it."""
    return entry is not None and int(entry.details.get(YEAR_KEY) or 0) > year and not entry.details.get(ESTIMATE_KEY)


def _replaces(found: mapping.Found, current: date | None, entry: Entry | None, year: int) -> bool:
    """Whether the return's date replaces the record's (see the module's docstring)."""
    if found.exact:
        return current != found.value and not _later_fact(entry, year)
    return current is None or (entry is not None and bool(entry.details.get(ESTIMATE_KEY)) and found.value < current)


def _estimated(dates: dict[str, mapping.Found]) -> frozenset[str]:
    return frozenset(name for name, found in dates.items() if not found.exact)


def _held_estimates(force: dict[str, Entry]) -> frozenset[str]:
    return frozenset(
        FIELD_OF[kind] for kind, entry in force.items() if entry.details.get(ESTIMATE_KEY) and kind in FIELD_OF
    )


def _fostering_replaces(found: mapping.Found | None, current: date | None) -> bool:
    """A shown start follows the return; a bound only fills the field or tightens it (an earlier
    year's episodes may have put it earlier already)."""
    if found is None:
        return False
    return current != found.value if found.exact else current is None or found.value < current


class _Importer:
    def __init__(
        self, agency: Agency, council: Council, year: int, by, today: date, earlier: dict[str, list[reading.EpisodeRow]]
    ):
        self.agency, self.council, self.year, self.by, self.today = agency, council, year, by, today
        self.earlier = earlier
        self.lines: list[ReportLine] = []
        self.counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0, "rejected": 0, "warned": 0}
        self.note = f"Imported from {council}'s SSDA903 return {year - 1}-{year % 100:02d}"

    # -- the run ---------------------------------------------------------------------------------

    def run(self, children: dict[str, mapping.ChildRows], problems: dict[str, list], progress) -> None:
        existing = self._existing(list(children))
        pending: list[tuple[Child, list[ChildStep], mapping.Mapped]] = []
        for done, child_id in enumerate(sorted(children), start=1):
            rows = children[child_id]
            if problems.get(child_id):
                self._reject(
                    child_id,
                    [
                        ReportLine("rejected", child_id, p.table, p.row, p.field, p.reason, p.file)
                        for p in problems[child_id]
                    ],
                )
            else:
                mapped = mapping.milestones_from_return(rows, self.earlier.get(child_id, []))
                first = rows.header[0] if rows.header else rows.rows[0]
                if mapped.problems:
                    self._reject(
                        child_id,
                        [
                            ReportLine("rejected", child_id, p.table, p.row, p.field, p.reason, p.file)
                            for p in mapped.problems
                        ],
                    )
                elif not mapped.adoption_plan:
                    self.counts["skipped"] += 1
                    self.lines.append(
                        ReportLine(
                            "skipped",
                            child_id,
                            first.table,
                            first.row,
                            "",
                            "No adoption plan in the return (no AD1 or PlacedAdoption row, no legal status E1, no placement "
                            "A3-A6): the agency's record is for children with an adoption plan",
                            first.file,
                        )
                    )
                elif child_id in existing:
                    self._update(existing[child_id], mapped, first)
                else:
                    try:
                        pending.append(self._build(mapped))
                    except _Rejected as rejected:
                        self._reject(
                            child_id,
                            [
                                ReportLine("rejected", child_id, first.table, first.row, f, r, first.file)
                                for f, r in rejected.reasons
                            ],
                        )
            if len(pending) >= BATCH:
                self._write(pending)
                pending = []
            if progress and (done % 100 == 0 or done == len(children)):
                progress(100 if done % 100 == 0 else done % 100)
        self._write(pending)

    def _reject(self, child_id: str, lines: list[ReportLine]) -> None:
        self.counts["rejected"] += 1
        self.lines += lines

    def _warn(self, child_id: str, milestones: child_domain.Milestones, estimated: frozenset[str]) -> None:
        """Unusual but real dates of the imported child: kept, and said in the report."""
        found = child_domain.warnings(milestones, estimated)
        if found:
            self.counts["warned"] += 1
            self.lines += [ReportLine("warning", child_id, "", None, name, message) for name, message in found.items()]

    def _held(self):
        return (
            Child.objects.filter(responsible_council=self.council)
            .select_related("household")
            .prefetch_related("household__applicants", "steps")
        )

    def _existing(self, child_ids: list[str]) -> dict[str, Child]:
        own = {pk: cid for cid in child_ids if (pk := _own_reference(cid)) is not None}
        found: dict[str, Child] = {}
        for start in range(0, len(child_ids), 900):
            chunk = child_ids[start : start + 900]
            for child in self._held().filter(council_child_id__in=chunk):
                found[child.council_child_id] = child
        if own:
            for child in self._held().filter(council_child_id="", pk__in=list(own)):
                found.setdefault(own[child.pk], child)
        return found

    # -- new children ----------------------------------------------------------------------------

    def _build(self, mapped: mapping.Mapped) -> tuple[Child, list[ChildStep], mapping.Mapped]:
        values = {name: found.value for name, found in mapped.dates.items()}
        child = Child(
            agency=self.agency,
            responsible_council=self.council,
            first_name=PLACEHOLDER_FIRST_NAME,
            last_name=mapped.child,
            council_child_id=mapped.child,
            date_of_birth=mapped.date_of_birth,
            sex=mapped.sex,
            ethnicity=mapped.ethnicity,
            plan_ended_reason=mapped.plan_ended_reason,
            plan_ended_code=mapped.plan_ended_code,
            **values,
            fostered_by_adopters_from=mapped.fostered_by_adopters_from.value
            if mapped.fostered_by_adopters_from
            else None,
        )
        try:
            child.clean_fields(
                exclude=[
                    "agency",
                    "responsible_council",
                    "birth_family_council",
                    "sibling_group",
                    "household",
                    "early_permanence_household",
                ]
            )
            steps = seed_child_history(child, by=self.by, imported=True)
        except (ValidationError, StepRefused) as error:
            raise _refusal(error) from error
        for step in steps:
            step.details.update(self._codes(mapped, step.kind))
            step.details.update(self._provenance(mapped.dates.get(FIELD_OF.get(step.kind))))
            step.note = self.note
        child.stage = child_domain.derive_stage(child.milestones)
        return child, steps, mapped

    def _provenance(self, found: mapping.Found | None) -> dict:
        if found is None:
            return {}
        return {YEAR_KEY: self.year, **({ESTIMATE_KEY: True} if not found.exact else {})}

    def _codes(self, mapped: mapping.Mapped, kind: str) -> dict:
        extra = dict(mapped.step_codes.get(kind, {}))
        if kind == "adoption_order":
            extra.update({f"ssda903_{name.lower()}": value for name, value in mapped.adopters.items()})
        return extra

    def _write(self, pending: list) -> None:
        if not pending:
            return
        try:
            self._insert(pending)
            written = pending
        except DatabaseError:
            written = []
            for item in pending:  # find the child the database refused; write the others
                _forget_keys(item)
                try:
                    self._insert([item])
                    written.append(item)
                except DatabaseError as error:
                    child_id = item[2].child
                    self._reject(
                        child_id,
                        [ReportLine("rejected", child_id, "", None, "", f"The database refused the child: {error}")],
                    )
        for child, _, mapped in written:
            self.counts["created"] += 1
            self._estimates(mapped, self._with_fostering(mapped, mapped.dates))
            self._warn(mapped.child, child.milestones, _estimated(mapped.dates))

    def _insert(self, pending: list) -> None:
        create_imported_children([(child, steps) for child, steps, _ in pending], by=self.by)

    @staticmethod
    def _with_fostering(mapped: mapping.Mapped, used: dict) -> dict:
        found = mapped.fostered_by_adopters_from
        return {**used, mapping.FOSTERED_FROM: found} if found else used

    def _estimates(self, mapped: mapping.Mapped, used: dict) -> None:
        for name, found in used.items():
            if not found.exact:
                self.lines.append(
                    ReportLine("note", mapped.child, "", None, name, mapping.describe_estimate(name, found))
                )
        for note in mapped.notes:
            self.lines.append(ReportLine("note", mapped.child, "", None, "", note))

    # -- children already held -------------------------------------------------------------------

    def _update(self, child: Child, mapped: mapping.Mapped, first) -> None:
        header = {
            name: value
            for name, value in (
                ("date_of_birth", mapped.date_of_birth),
                ("sex", mapped.sex),
                ("ethnicity", mapped.ethnicity),
            )
            if getattr(child, name) != value
        }
        used = {}
        fostered = mapped.fostered_by_adopters_from
        if _fostering_replaces(fostered, child.fostered_by_adopters_from):
            header[mapping.FOSTERED_FROM], used[mapping.FOSTERED_FROM] = fostered.value, fostered
        steps = list(child.steps.all())
        force = {e.kind: e for e in in_force([s.as_entry() for s in steps])}
        changes = {}
        for name, found in mapped.dates.items():
            if _replaces(found, getattr(child, name), force.get(KIND_OF[name]), self.year):
                changes[name], used[name] = found.value, found
        held = _held_codes(child, force)
        codes_changed = []
        for kind in mapped.step_codes:
            wanted = self._codes(mapped, kind)
            if kind in force and any(held.get(kind, {}).get(k, "") != v for k, v in wanted.items()):
                codes_changed.append(kind)
        if (
            "plan_ended_on" in mapped.dates
            and child.plan_ended_on == mapped.dates["plan_ended_on"].value
            and child.plan_ended_reason
        ):
            # SSDA903 cannot tell a changed plan from a revoked order: the record's own reason stands.
            mapped.plan_ended_reason, mapped.plan_ended_code = child.plan_ended_reason, child.plan_ended_code
        elif (
            "plan_ended_on" in mapped.dates
            and (child.plan_ended_reason, child.plan_ended_code) != (mapped.plan_ended_reason, mapped.plan_ended_code)
            and "plan_ended" not in codes_changed
        ):
            codes_changed.append("plan_ended")
        if not (header or changes or codes_changed):
            self.counts["unchanged"] += 1
            self._warn(mapped.child, child.milestones, _estimated(mapped.dates))
            return
        try:
            saved = record_imported_steps(
                child,
                self._corrections(mapped, changes, codes_changed, force),
                header=header,
                by=self.by,
                note=self.note,
                today=self.today,
                steps=steps,
            )
        except (_Rejected, ValidationError, StepRefused) as error:
            rejected = error if isinstance(error, _Rejected) else _refusal(error)
            self._reject(
                mapped.child,
                [
                    ReportLine("rejected", mapped.child, first.table, first.row, f, r, first.file)
                    for f, r in rejected.reasons
                ],
            )
            return
        self.counts["updated"] += 1
        said = [
            f"{name.removesuffix('_on').replace('_', ' ')} {_show(getattr(child, name))} -> {_show(value)}"
            for name, value in {**header, **changes}.items()
        ]
        said += [
            f"SSDA903 codes of the {kind.replace('_', ' ')} entry"
            for kind in codes_changed
            if kind not in {KIND_OF[n] for n in changes}
        ]
        self.lines.append(ReportLine("note", mapped.child, "", None, "", "Brought up to date: " + "; ".join(said)))
        self._estimates(mapped, used)
        self._warn(
            mapped.child,
            saved.milestones,
            _held_estimates({e.kind: e for e in in_force([s.as_entry() for s in saved.steps.all()])}),
        )

    def _corrections(
        self, mapped: mapping.Mapped, changes: dict, codes_changed: list, force: dict[str, Entry]
    ) -> dict[str, tuple[date, dict]]:
        """The imported entries that bring a held child up to date: (date, details) by kind, for
        the dates that change and the entries whose SSDA903 codes change."""
        kinds = {KIND_OF[name]: value for name, value in changes.items()}
        for kind in codes_changed:
            if kind not in kinds and kind in force:
                kinds[kind] = force[kind].occurred_on
        dated = {}
        for kind, occurred_on in kinds.items():
            details = {"source": IMPORTED, **self._codes(mapped, kind)}
            if FIELD_OF[kind] in changes:
                details.update(self._provenance(mapped.dates[FIELD_OF[kind]]))
            elif kind in force:  # new codes for a date that stands: the date keeps where it came from
                details.update({k: v for k, v in force[kind].details.items() if k in (YEAR_KEY, ESTIMATE_KEY)})
            if kind == "plan_ended":
                details.update(plan_ended_reason=mapped.plan_ended_reason)
                if mapped.plan_ended_code:
                    details["plan_ended_code"] = mapped.plan_ended_code
            dated[kind] = (occurred_on, details)
        return dated


# ----------------------------------------------------------------------------------------------
# Reconciliation: what each year's return held against what OpenRAA holds for that year
# ----------------------------------------------------------------------------------------------


def held_for_year(council: Council, year: int, today: date, children: list | None = None) -> dict[str, int]:
    """What OpenRAA holds for the council's year, counted as its own return would count it: the
    children with an adoption plan looked after in the year, their episodes, the adoptions in it."""
    tables = writing.tables_for_year(export_children(council) if children is None else children, year, today)
    return {"children": len(tables.header), "episodes": len(tables.episodes), "adoptions": len(tables.ad1)}


def run_summary(run: ImportRun, today: date, held: dict[str, int] | None = None) -> dict:
    """One import run and its year's reconciliation, as `import_ssda903 --json` prints it and the page shows it."""
    in_return = {"children": run.plan_children, "episodes": run.episodes, "adoptions": run.adoptions}
    held = held if held is not None else held_for_year(run.council, run.year, today)
    return {
        "council": run.council.name,
        "local_authority": run.council.ons_code,
        "year": run.year_label,
        "run": run.pk,
        "outcome": run.outcome,
        "finished_at": run.finished_at.isoformat(timespec="seconds"),
        "imported": {
            name: getattr(run, name)
            for name in ("children", "created", "updated", "unchanged", "skipped", "rejected", "warned")
        },
        "return": in_return,
        "openraa": held,
        "difference": {name: held[name] - in_return[name] for name in in_return},
    }


def reconciliation(runs, today: date) -> list[dict]:
    """The latest import of each council's year among `runs` (newest first), with its reconciliation;
    by council, then year. Nothing is read from files: the run kept what its return held."""
    latest: dict[tuple[int, int], ImportRun] = {}
    for run in (
        runs.filter(outcome=ImportRun.Outcome.IMPORTED).select_related("council").order_by("-finished_at", "-id")
    ):
        latest.setdefault((run.council_id, run.year), run)
    children: dict[int, list] = {}
    rows = []
    for (council_id, year), run in sorted(latest.items(), key=lambda item: (item[1].council.name, item[0][1])):
        if council_id not in children:
            children[council_id] = export_children(run.council)
        rows.append(run_summary(run, today, held_for_year(run.council, year, today, children[council_id])))
    return rows


# ----------------------------------------------------------------------------------------------
# Export
# ----------------------------------------------------------------------------------------------


@dataclass
class ExportResult:
    tables: writing.Tables
    files: list[Path]
    report: Path


def export_children(council: Council) -> list[writing.ExportChild]:
    """The council's children with an adoption decision, as the pure writer reads them."""
    children = (
        Child.objects.filter(responsible_council=council, should_be_placed_on__isnull=False)
        .select_related("household")
        .prefetch_related("household__applicants", "steps")
    )
    result = []
    for child in children:
        step_codes: dict[str, dict] = {}
        for entry in in_force([s.as_entry() for s in child.steps.all()]):
            kept = {k: v for k, v in entry.details.items() if k.startswith("ssda903_")}
            if kept:
                step_codes[entry.kind] = kept
        adopters = {
            k.removeprefix("ssda903_").upper(): v
            for k, v in step_codes.get("adoption_order", {}).items()
            if k != "ssda903_rec"
        }
        household = child.household
        result.append(
            writing.ExportChild(
                child=child.council_child_id or f"{OWN_REFERENCE}{child.pk:08d}",
                sex=child.sex,
                date_of_birth=child.date_of_birth,
                ethnicity=child.ethnicity,
                entered_care_on=child.entered_care_on,
                should_be_placed_on=child.should_be_placed_on,
                placement_order_on=child.placement_order_on,
                early_permanence_on=child.early_permanence_on,
                matched_on=child.matched_on,
                placed_on=child.placed_on,
                adoption_order_on=child.adoption_order_on,
                plan_ended_on=child.plan_ended_on,
                plan_ended_reason=child.plan_ended_reason,
                plan_ended_code=child.plan_ended_code,
                # As the scorecard reads it: the day recorded, else the early permanence placement with the adopters.
                fostered_by_adopters_from=child.fostered_by_adopters_from
                or (
                    child.early_permanence_on
                    if child.early_permanence_household_id and child.early_permanence_household_id == child.household_id
                    else None
                ),
                adopter_sexes=tuple(a.sex for a in household.applicants.all()) if household else (),
                step_codes=step_codes,
                adopters=adopters,
            )
        )
    return result


REPORT_NAME = "openraa-export.json"  # beside the tables: what the export left out and could not fill


def export_return(council: Council, year: FinancialYear | int, folder: Path, today: date | None = None) -> ExportResult:
    """The council's tables for the collection year (an int: the year it ends in) in `folder`, with
    openraa-export.json: the year, the validator's rule set, what was left out and not held."""
    today = today or timezone.localdate()
    year = codes.financial_year(year)
    tables = writing.tables_for_year(export_children(council), year, today)
    files = writing.write_tables(tables, folder)
    report = folder / REPORT_NAME
    report.write_text(
        json.dumps(
            {
                "council": council.name,
                "local_authority": council.ons_code,
                "year": year.label,
                "collection_year": [d.isoformat() for d in codes.collection_year(year)],
                "ruleset": codes.ruleset(year),
                "exported_on": today.isoformat(),
                "generated_at": datetime.now().isoformat(timespec="seconds"),
                "rows": {table: len(tables.rows_of(table)) for table in tables.written},
                "left_out": [{"child": c, "reason": r} for c, r in tables.left_out],
                "gaps": [
                    {"child": g.child, "table": g.table, "field": g.field, "reason": g.reason} for g in tables.gaps
                ],
            },
            indent=1,
        )
    )
    return ExportResult(tables, files, report)
