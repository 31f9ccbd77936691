"""One child's SSDA903 rows as OpenRAA's adoption milestones. Pure Python.

The mapping (DfE SSDA903 guide; the statutory milestones in shared/domain.md):

- entered care: DECOM of the first episode of the latest period of care (the latest RNE S episode);
- should be placed (ADM decision): AD1 DATE_INT, else PlacedAdoption DATE_PLACED;
- placement order: DECOM of the first episode with legal status E1;
- placed for adoption: DECOM of the first episode with placement A3-A6 (A3/A4 with parental consent
  and no placement order, A5/A6 under a placement order);
- matched (ADM decision): AD1 DATE_MATCH;
- adoption order: DEC of the episode that ceased with REC E11 (unopposed) or E12 (consent dispensed with);
- fostered by the adopters from (A10's clock stops there): when AD1 FOSTER_CARE is 1, the DECOM of the
  first episode of the run with the same carers that ends in the adoptive placement (walking back
  through episodes whose reason for new episode is L, T or U: same carers);
- plan ended: PlacedAdoption DATE_PLACED_CEASED. REASON_PLACED_CEASED (RD1-RD4) says why the
  decision was reversed; the kind of ending follows from how far the journey had gone: a child
  already placed for adoption -> "disruption" (with the RD code as plan_ended_code); a child with a
  placement order -> "order_revoked"; otherwise "plan_changed". The RD code itself is kept with the
  journey entry (details "ssda903_reason_placed_ceased") so an export gives it back.

Real returns hold orders the journey's rules call unusual, and the DfE counts them: a match before
the placement order (A2 counts 0 days), a placement on the day of the match, an adoption order soon
after the placement, a match or placement with parental consent and no order. They are mapped as they
are; the import keeps them and lists them as warnings (children/domain.warnings).

A return holds only the episodes open during its year. When the episode that marks a milestone is
older (its reason for new episode shows no change there), the return shows only that the milestone
happened on or before that episode's start: the date is then marked `exact=False`. Importing a
council's history (several years' returns in collection-year order) gives each year the child's
episodes from the earlier returns (`earlier`), so a period of care that began years before is complete.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from openraa.children.domain import MILESTONE_LABELS
from openraa.interchange.ssda903 import codes
from openraa.interchange.ssda903.reading import (
    Ad1Row,
    EpisodeRow,
    HeaderRow,
    PlacedAdoptionRow,
    PrevPermRow,
    Problem,
    Return,
    Row,
)

# Reasons for a new episode that mean the legal status (or the placement) changed at its start.
_STATUS_CHANGED = frozenset({"S", "L", "U", "B"})
_PLACEMENT_CHANGED = frozenset({"S", "P", "T", "U", "B"})
_SAME_CARERS = frozenset({"L", "T", "U"})  # the carers did not change at the episode's start
FOSTERED_FROM = "fostered_by_adopters_from"


@dataclass
class ChildRows:
    child: str
    header: list[HeaderRow] = field(default_factory=list)
    episodes: list[EpisodeRow] = field(default_factory=list)
    ad1: list[Ad1Row] = field(default_factory=list)
    placed_adoption: list[PlacedAdoptionRow] = field(default_factory=list)
    prev_perm: list[PrevPermRow] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [*self.header, *self.episodes, *self.ad1, *self.placed_adoption, *self.prev_perm]


@dataclass(frozen=True)
class Found:
    value: date
    exact: bool = True  # False: the return shows only that it happened on or before this date
    source: str = ""  # where it came from, for the report


@dataclass
class Mapped:
    child: str
    adoption_plan: bool = False
    sex: str = ""
    date_of_birth: date | None = None
    ethnicity: str = ""
    dates: dict[str, Found] = field(default_factory=dict)  # milestone field -> date found
    fostered_by_adopters_from: Found | None = None  # AD1 FOSTER_CARE 1: the foster placement with them began
    plan_ended_reason: str = ""
    plan_ended_code: str = ""
    step_codes: dict[str, dict[str, str]] = field(default_factory=dict)  # journey step kind -> SSDA903 codes
    adopters: dict[str, str] = field(default_factory=dict)  # AD1 FOSTER_CARE, NB_ADOPTR, SEX_ADOPTR, LS_ADOPTR
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def group_by_child(data: Return) -> tuple[dict[str, ChildRows], list[Problem]]:
    """Each child's rows, and the problems that reject a child as a whole: a child twice in Header
    or AD1, rows for a child missing from Header, two episodes starting on the same day."""
    children: dict[str, ChildRows] = {}
    for table, attribute in (
        ("Header", "header"),
        ("Episodes", "episodes"),
        ("AD1", "ad1"),
        ("PlacedAdoption", "placed_adoption"),
        ("PrevPerm", "prev_perm"),
    ):
        for row in data.rows_of(table):
            getattr(children.setdefault(row.child, ChildRows(row.child)), attribute).append(row)
    problems = []
    unreadable_header = {p.child for p in data.problems if p.table == "Header"}
    for child, rows in children.items():
        for table, listed in (("Header", rows.header), ("AD1", rows.ad1), ("PrevPerm", rows.prev_perm)):
            if len(listed) > 1:
                lines = ", ".join(str(r.row) for r in listed)
                problems += [
                    Problem(
                        table,
                        r.row,
                        child,
                        "CHILD",
                        f"The child appears {len(listed)} times in {table} (rows {lines})",
                        r.file,
                    )
                    for r in listed
                ]
        if not rows.header and child not in unreadable_header:
            first = rows.rows[0]
            problems.append(
                Problem(first.table, first.row, child, "CHILD", "The child is not in the Header table", first.file)
            )
        starts: dict[date, EpisodeRow] = {}
        for episode in rows.episodes:
            if episode.decom in starts:
                problems.append(
                    Problem(
                        "Episodes",
                        episode.row,
                        child,
                        "DECOM",
                        f"Two episodes start on {episode.decom:%d/%m/%Y} (rows {starts[episode.decom].row} "
                        f"and {episode.row})",
                        episode.file,
                    )
                )
            starts[episode.decom] = episode
        if len(rows.header) == 1:
            dob = rows.header[0].dob
            dated: list[Ad1Row | PlacedAdoptionRow] = [*rows.ad1, *rows.placed_adoption]
            for row in dated:
                if row.dob and row.dob != dob:
                    problems.append(
                        Problem(
                            row.table,
                            row.row,
                            child,
                            "DOB",
                            f"DOB {row.dob:%d/%m/%Y} differs from the Header's {dob:%d/%m/%Y}",
                            row.file,
                        )
                    )
    return children, problems


def _where(row: Row, name: str) -> str:
    return f"{row.table} row {row.row} {name}"


def has_adoption_plan(rows: ChildRows) -> bool:
    """An AD1 or PlacedAdoption row, legal status E1 or a placement A3-A6: the agency's record is for these."""
    return bool(
        rows.ad1
        or rows.placed_adoption
        or any(e.ls == codes.PLACEMENT_ORDER or e.place in codes.PLACED_FOR_ADOPTION for e in rows.episodes)
    )


def with_earlier(episodes: list[EpisodeRow], earlier: Sequence[EpisodeRow]) -> list[EpisodeRow]:
    """The child's episodes with those of earlier returns that began before this return's first one
    (an episode open across years is in both returns: this return's row, the later, is kept)."""
    if not earlier or not episodes:
        return sorted(episodes, key=lambda e: e.decom)
    first = min(e.decom for e in episodes)
    return sorted([*(e for e in earlier if e.decom < first), *episodes], key=lambda e: e.decom)


def milestones_from_return(rows: ChildRows, earlier: Sequence[EpisodeRow] = ()) -> Mapped:
    """The child's adoption milestones as the return shows them (see the module's docstring);
    `earlier`: the child's episodes in the council's earlier returns, when those were read too."""
    mapped = Mapped(rows.child)
    if rows.header:
        header = rows.header[0]
        mapped.sex, mapped.date_of_birth, mapped.ethnicity = header.sex, header.dob, header.ethnic
    episodes = with_earlier(rows.episodes, list(earlier))
    placed_rows = sorted(rows.placed_adoption, key=lambda r: r.date_placed)
    ad1 = rows.ad1[0] if rows.ad1 else None
    mapped.adoption_plan = has_adoption_plan(rows)
    if not mapped.adoption_plan:
        return mapped
    dates = mapped.dates

    starts = [i for i, e in enumerate(episodes) if e.rne == "S"]
    period = episodes[starts[-1] :] if starts else episodes
    if starts:
        dates["entered_care_on"] = Found(period[0].decom, True, _where(period[0], "DECOM"))

    order = next((e for e in period if e.ls == codes.PLACEMENT_ORDER), None)
    if order:
        dates["placement_order_on"] = Found(order.decom, order.rne in _STATUS_CHANGED, _where(order, "DECOM"))

    placed = next((e for e in period if e.place in codes.PLACED_FOR_ADOPTION), None)
    if placed:
        dates["placed_on"] = Found(placed.decom, placed.rne in _PLACEMENT_CHANGED, _where(placed, "DECOM"))
        mapped.step_codes["placed"] = {"ssda903_place": placed.place}

    adopted = next((e for e in reversed(period) if e.rec in codes.ADOPTED), None)
    if adopted and adopted.dec:  # always given with REC (reading refuses one without the other)
        dates["adoption_order_on"] = Found(adopted.dec, True, _where(adopted, "DEC"))
        mapped.step_codes["adoption_order"] = {"ssda903_rec": adopted.rec}

    if ad1 and ad1.date_int:
        dates["should_be_placed_on"] = Found(ad1.date_int, True, _where(ad1, "DATE_INT"))
    elif placed_rows:
        dates["should_be_placed_on"] = Found(placed_rows[-1].date_placed, True, _where(placed_rows[-1], "DATE_PLACED"))
    if ad1 and ad1.date_match:
        dates["matched_on"] = Found(ad1.date_match, True, _where(ad1, "DATE_MATCH"))
    if ad1 and ad1.foster_care == "1":
        mapped.fostered_by_adopters_from = _fostering_began(episodes, placed or adopted)
    if ad1:
        mapped.adopters = {
            name: value
            for name, value in (
                ("FOSTER_CARE", ad1.foster_care),
                ("NB_ADOPTR", ad1.nb_adoptr),
                ("SEX_ADOPTR", ad1.sex_adoptr),
                ("LS_ADOPTR", ad1.ls_adoptr),
            )
            if value
        }
    if len(placed_rows) > 1:
        mapped.notes.append(
            f"{len(placed_rows)} decisions that the child should be placed for adoption: the latest "
            f"({placed_rows[-1].date_placed:%d/%m/%Y}) is the plan OpenRAA records"
        )

    latest = placed_rows[-1] if placed_rows else None
    if latest and latest.date_placed_ceased:
        if adopted:
            mapped.problems.append(
                Problem(
                    "PlacedAdoption",
                    latest.row,
                    rows.child,
                    "DATE_PLACED_CEASED",
                    "The decision is shown as reversed, but the child was adopted",
                    latest.file,
                )
            )
        ended = latest.date_placed_ceased
        dates["plan_ended_on"] = Found(ended, True, _where(latest, "DATE_PLACED_CEASED"))
        code = latest.reason_placed_ceased
        if placed and placed.decom <= ended:
            mapped.plan_ended_reason, mapped.plan_ended_code = "disruption", code
        elif order and order.decom <= ended:
            mapped.plan_ended_reason = "order_revoked"
        else:
            mapped.plan_ended_reason = "plan_changed"
        mapped.step_codes["plan_ended"] = {"ssda903_reason_placed_ceased": code}
    _estimate(mapped, episodes)
    return mapped


def _fostering_began(episodes: list[EpisodeRow], last: EpisodeRow | None) -> Found | None:
    """The start of the run of episodes with the same carers that ends at `last` (the adoptive
    placement: A3/A5 are placements with the current foster carers). Not exact when the run reaches
    the first episode the returns hold: the carers may have had the child before."""
    if last is None:
        return None
    at = episodes.index(last)
    while at > 0 and episodes[at].rne in _SAME_CARERS:
        at -= 1
    first = episodes[at]
    return Found(first.decom, first.rne not in _SAME_CARERS, _where(first, "DECOM"))


def _estimate(mapped: Mapped, episodes: list[EpisodeRow]) -> None:
    """Bounds for milestones the return shows only as 'on or before': a placement order no later
    than a placement under it (A5/A6; a match may come before the order), a match no later than the
    placement (SSDA903 gives the match date only in AD1, the year of the adoption), entering care
    no later than anything else."""
    dates = mapped.dates
    order = dates.get("placement_order_on")
    if order and not order.exact:
        placed = dates.get("placed_on")
        under_order = mapped.step_codes.get("placed", {}).get("ssda903_place") not in codes.WITH_CONSENT
        bound = min(order.value, placed.value) if placed and under_order else order.value
        dates["placement_order_on"] = Found(bound, False, order.source)
    placed = dates.get("placed_on")
    if placed and "matched_on" not in dates:  # AD1 (and its DATE_MATCH) comes only with the adoption
        dates["matched_on"] = Found(placed.value, False, f"the placement for adoption, {placed.source}")
    if "entered_care_on" not in dates:
        known = [f.value for f in dates.values()] + [e.decom for e in episodes[:1]]
        if known:
            dates["entered_care_on"] = Found(min(known), False, "the earliest date in the return")


def describe_estimate(name: str, found: Found) -> str:
    label = MILESTONE_LABELS.get(name, "fostered by the adopters from" if name == FOSTERED_FROM else name).lower()
    later = (
        "AD1 gives it in the year of the adoption"
        if name == "matched_on"
        else "importing the council's earlier returns with this one corrects it"
    )
    return (
        f"The return does not show the date of '{label}': recorded as {found.value:%d/%m/%Y}, on or before "
        f"which it happened ({found.source}); {later}."
    )


def by_child(problems: list[Problem]) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        grouped[problem.child].append(problem)
    return grouped
