"""Ofsted's Annex A adoption lists: what a local authority (here, its regional adoption agency) hands
the inspectors at the start of an inspection of local authority children's services (ILACS).
Pure Python: the lists' headings in their published order, who is on each list, and one row built
from a plain record.

The layout is Annex A's (ILACS, Ofsted) as the open-source cleaners of the returned spreadsheets
read it (data-to-insight / Social Finance `liia-tools`, annex_a_pipeline/spec/Annex_A_schema.yml;
the same headings in the 2020 schema): one sheet per list named "List 10" and "List 11", the
headings in row 1, one row per child or per adopter. The adoption lists have been List 10 and 11
since the 2020 Annex A (List 9 is care leavers); earlier versions numbered them differently.

- **List 10, Adoption**: every child who in the 12 months before the inspection has been adopted,
  has had the decision that they should be placed for adoption and has not yet been adopted, or
  whose adoption decision was reversed in those 12 months.
- **List 11, Adopters**: every individual who in the 12 months before the inspection has been in
  contact with the adoption agency: one row per applicant, the household's reference as the
  "Family identifier" that List 10 also gives for the family a child is matched or placed with.

Values are Annex A's own: "a) Male", "a) WBRI", "a) Yes", "RD1 - ...", dates as dates. OpenRAA
keeps no adopter's disability, so List 11 leaves that column empty (the agency fills it in);
"Date application submitted" is the start of Stage 2 (the application to be assessed), and "Process
put on hold" is never given (OpenRAA records no pause as a reason for leaving).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LIST_10 = "List 10"
LIST_11 = "List 11"

LIST_10_COLUMNS = (
    "Child Unique ID",
    "Family identifier",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "Date the Child Entered Care",
    "Date of Decision that Child Should be Placed for Adoption",
    "Date of Placement Order",
    "Date of Matching Child and Prospective Adopters",
    "Date Placed for Adoption",
    "Date of Adoption Order",
    "Date of Decision that Child Should No Longer be Placed for Adoption",
    "Reason Why Child No Longer Placed for Adoption",
    "Date the child was placed for fostering in FFA or concurrent planning placement",
)

LIST_11_COLUMNS = (
    "Individual adopter identifier",
    "Family identifier",
    "Gender",
    "Ethnicity",
    "Disability",
    "Is the (prospective) adopter fostering for adoption?",
    "Date enquiry received",
    "Date Stage 1 started",
    "Date Stage 1 ended",
    "Date Stage 2 started",
    "Date Stage 2 ended",
    "Date application submitted",
    "Date application approved",
    "Date adopter matched with child(ren)",
    "Date child/children placed with adopter(s)",
    "No. of children placed",
    "Date of Adoption Order",
    "Date of leaving adoption process",
    "Reason for leaving adoption process",
)

# SSDA903 SEX (1/2 before 2024-25, M/F after) to Annex A's gender.
GENDER = {"1": "a) Male", "M": "a) Male", "2": "b) Female", "F": "b) Female"}
GENDER_NOT_RECORDED = "c) Not stated/recorded"
_ETHNIC_ORDER = (
    "WBRI",
    "WIRI",
    "WIRT",
    "WOTH",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "AOTH",
    "BCRB",
    "BAFR",
    "BOTH",
    "CHNE",
    "OOTH",
    "REFU",
    "NOBT",
)
ETHNICITY = {code: f"{letter}) {code}" for letter, code in zip("abcdefghijklmnopqrst", _ETHNIC_ORDER)}
YES, NO = "a) Yes", "b) No"
NO_LONGER_PLACED = {
    "RD1": "RD1 - The child’s needs changed subsequent to the decision",
    "RD2": "RD2 - The Court did not make a placement order",
    "RD3": "RD3 - Prospective adopters could not be found",
    "RD4": "RD4 - Any other reason",
}
LEFT_PROCESS = {"withdrawn": "1 - Adopter withdrew from process", "not_approved": "3 - Application refused"}


@dataclass(frozen=True)
class Window:
    """The 12 months before the inspection, both days included."""

    ends_on: date

    @property
    def starts_on(self) -> date:
        end = self.ends_on
        try:
            year_before = end.replace(year=end.year - 1)
        except ValueError:  # 29 February: the 12 months start on 1 March
            year_before = date(end.year - 1, 3, 1) - date.resolution
        return year_before + date.resolution

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.starts_on <= day <= self.ends_on

    @property
    def label(self) -> str:
        return f"{self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"


@dataclass(frozen=True)
class ChildFacts:
    """What List 10 needs of one child; no name."""

    child_id: str  # the council's own ID (SSDA903 CHILD), else OpenRAA's reference
    date_of_birth: date | None  # None (like every value below) when the reader may not see it
    sex: str | None
    ethnicity: str | None
    disabled: bool | None
    family: str = ""  # the household matched or placed with (its reference)
    entered_care_on: date | None = None
    should_be_placed_on: date | None = None
    placement_order_on: date | None = None
    matched_on: date | None = None
    placed_on: date | None = None
    adoption_order_on: date | None = None
    plan_ended_on: date | None = None
    plan_ended_code: str = ""
    early_permanence_on: date | None = None


@dataclass(frozen=True)
class ApplicantFacts:
    sex: str | None  # None when the reader may not see the applicants
    ethnicity: str | None


@dataclass(frozen=True)
class AdopterFacts:
    """What List 11 needs of one household; its applicants without their names."""

    family: str  # the household's reference
    applicants: tuple[ApplicantFacts, ...]
    fostering_for_adoption: bool
    enquiry_on: date
    stage1_started_on: date | None = None
    stage1_ended_on: date | None = None
    stage2_started_on: date | None = None
    stage2_ended_on: date | None = None
    approved_on: date | None = None
    matched_on: date | None = None  # the first child matched with them
    placed_on: date | None = None  # the first child placed with them
    children_placed: int = 0
    adoption_order_on: date | None = None  # the latest adoption order of a child placed with them
    closed_on: date | None = None
    closed_reason: str = ""
    finished_on: date | None = None  # every child with them adopted: the last order's date


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def on_list_10(c: ChildFacts, window: Window) -> bool:
    """Adopted in the 12 months, decided and not yet adopted (nor reversed) at the end of them, or
    the decision reversed in them. A child with no should-be-placed decision is not an adoption case."""
    decided = c.should_be_placed_on is not None and c.should_be_placed_on <= window.ends_on
    if not decided:
        return False
    if c.adoption_order_on is not None and c.adoption_order_on <= window.ends_on:
        return c.adoption_order_on in window
    if c.plan_ended_on is not None and c.plan_ended_on <= window.ends_on:
        return c.plan_ended_on in window
    return True


def on_list_11(h: AdopterFacts, window: Window) -> bool:
    """In contact with the agency in the 12 months: enquired by their end, not closed before they
    began, and not done with adoption (every child with them adopted) before they began."""
    if h.enquiry_on > window.ends_on:
        return False
    if h.closed_on is not None and h.closed_on < window.starts_on:
        return False
    return not (h.finished_on is not None and h.finished_on < window.starts_on)


def _on_or_before(day: date | None, end: date) -> date | None:
    """A date as it stood at the end of the 12 months: a later one had not happened yet."""
    return day if day is not None and day <= end else None


def list_10_row(c: ChildFacts, window: Window) -> list:
    end = window.ends_on
    ended = _on_or_before(c.plan_ended_on, end)
    return [
        c.child_id,
        c.family,
        GENDER.get(c.sex, GENDER_NOT_RECORDED) if c.sex is not None else "",
        ETHNICITY.get(c.ethnicity, ""),
        c.date_of_birth,
        age_on(c.date_of_birth, end) if c.date_of_birth else None,
        "" if c.disabled is None else YES if c.disabled else NO,
        c.entered_care_on,
        c.should_be_placed_on,
        _on_or_before(c.placement_order_on, end),
        _on_or_before(c.matched_on, end),
        _on_or_before(c.placed_on, end),
        _on_or_before(c.adoption_order_on, end),
        ended,
        NO_LONGER_PLACED.get(c.plan_ended_code, "") if ended else "",
        _on_or_before(c.early_permanence_on, end),
    ]


def list_11_rows(h: AdopterFacts, window: Window) -> list[list]:
    """One row per applicant; a household with no applicant recorded yet still has its row."""
    end = window.ends_on
    closed = _on_or_before(h.closed_on, end)
    shared = [
        "Yes" if h.fostering_for_adoption else "No",
        h.enquiry_on,
        _on_or_before(h.stage1_started_on, end),
        _on_or_before(h.stage1_ended_on, end),
        _on_or_before(h.stage2_started_on, end),
        _on_or_before(h.stage2_ended_on, end),
        _on_or_before(h.stage2_started_on, end),  # the application to be assessed (Stage 2)
        _on_or_before(h.approved_on, end),
        _on_or_before(h.matched_on, end),
        _on_or_before(h.placed_on, end),
        h.children_placed or None,
        _on_or_before(h.adoption_order_on, end),
        closed,
        LEFT_PROCESS.get(h.closed_reason, "") if closed else "",
    ]
    applicants = h.applicants or (None,)
    return [
        [
            f"{h.family}-{i}",
            h.family,
            GENDER.get(a.sex, GENDER_NOT_RECORDED) if a and a.sex is not None else "",
            ETHNICITY.get(a.ethnicity, "") if a and a.ethnicity is not None else "",
            "",  # disability: not recorded for adopters
            *shared,
        ]
        for i, a in enumerate(applicants, start=1)
    ]
