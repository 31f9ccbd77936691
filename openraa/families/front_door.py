"""The front door's plain rules: which agencies recruit where a family lives, the questions' choices,
the five working days for deciding on a registration of interest, and the next step of an adopter's
journey with its date. Pure Python: no request, no database."""

import re
from dataclasses import dataclass
from datetime import date

from openraa.common.workdays import add_months, add_working_days

MAKEUP_CHOICES = [
    ("single", "On my own"),
    ("couple", "With a partner"),
]
SOURCE_CHOICES = [
    ("campaign", "An advert or campaign"),
    ("event", "An event or information session"),
    ("adoption_week", "National Adoption Week"),
    ("word_of_mouth", "Someone I know"),
    ("search", "Searching online"),
    ("fostering", "I foster or have adopted before"),
    ("other", "Something else"),
]
PREFER_NOT = "prefer_not"
# Every protected characteristic of the Equality Act 2010 the family may tell us, each with
# "Prefer not to say". Kept only for counts.
MONITORING: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "age": (
        "Your age",
        [("18_29", "18 to 29"), ("30_39", "30 to 39"), ("40_49", "40 to 49"), ("50_plus", "50 or over")],
    ),
    "sex": ("Your sex", [("female", "Female"), ("male", "Male")]),
    "gender_reassignment": (
        "Is the gender you identify with the same as your sex registered at birth?",
        [("yes", "Yes"), ("no", "No")],
    ),
    "sexual_orientation": (
        "Your sexual orientation",
        [
            ("heterosexual", "Heterosexual or straight"),
            ("gay_lesbian", "Gay or lesbian"),
            ("bisexual", "Bisexual"),
            ("other", "Another orientation"),
        ],
    ),
    "relationship": (
        "Your relationship status",
        [
            ("single", "Single"),
            ("married", "Married or in a civil partnership"),
            ("cohabiting", "Living together"),
            ("other", "Other"),
        ],
    ),
    "ethnic_group": (
        "Your ethnic group",
        [
            ("white", "White"),
            ("mixed", "Mixed or multiple ethnic groups"),
            ("asian", "Asian or Asian British"),
            ("black", "Black, Black British, Caribbean or African"),
            ("other", "Another ethnic group"),
        ],
    ),
    "religion": (
        "Your religion or belief",
        [
            ("none", "No religion"),
            ("christian", "Christian"),
            ("muslim", "Muslim"),
            ("hindu", "Hindu"),
            ("sikh", "Sikh"),
            ("jewish", "Jewish"),
            ("buddhist", "Buddhist"),
            ("other", "Another religion or belief"),
        ],
    ),
    "disability": ("Do you consider yourself to have a disability?", [("yes", "Yes"), ("no", "No")]),
    "pregnancy": ("Are you pregnant or on maternity or paternity leave?", [("yes", "Yes"), ("no", "No")]),
}
MONITORING_LABELS = {
    key: dict([*choices, (PREFER_NOT, "Prefer not to say")]) for key, (_, choices) in MONITORING.items()
}

REGISTRATION_DECISION_WORKING_DAYS = 5
_PREFIX = re.compile(r"^[A-Z]{1,2}[0-9]{0,2}[A-Z]?$")


def parse_prefixes(text: str) -> list[str]:
    """ "L, ch41 ,WA" -> ["L", "CH41", "WA"]; anything not like a postcode area or district is dropped."""
    found = []
    for part in text.replace(";", ",").split(","):
        prefix = part.strip().upper().replace(" ", "")
        if prefix and _PREFIX.match(prefix) and prefix not in found:
            found.append(prefix)
    return found


def _area(district: str) -> str:
    return re.match(r"[A-Z]+", district).group(0) if district and district[0].isalpha() else ""  # type: ignore[union-attr]


def covers(prefixes: list[str], district: str) -> int:
    """How well an agency's prefixes cover a postcode district: 2 for the district itself, 1 for
    its area (letters only, so "L" covers L36 but not LA1), 0 for neither."""
    district = district.upper()
    if district in prefixes:
        return 2
    return 1 if _area(district) in prefixes else 0


def suggest(agencies: list[tuple[int, list[str]]], district: str) -> list[int]:
    """The agencies (id, prefixes) that recruit in the district, the closest cover first."""
    scored = [(covers(prefixes, district), order, agency) for order, (agency, prefixes) in enumerate(agencies)]
    return [agency for score, _, agency in sorted(scored, key=lambda row: (-row[0], row[1])) if score]


def registration_due(submitted_on: date) -> date:
    return add_working_days(submitted_on, REGISTRATION_DECISION_WORKING_DAYS)


@dataclass(frozen=True)
class NextStep:
    text: str
    by: date | None = None


def next_step(
    stage: str,
    *,
    enquiry_on: date,
    registration_on: date | None,
    stage1_started_on: date | None,
    stage2_started_on: date | None,
    stage1_months: int = 2,
    stage2_months: int = 4,
) -> NextStep:
    """What happens next for the family, in words, and by when (Stage 1 two months, Stage 2 four)."""
    if stage == "enquiry":
        return NextStep("Come to an information session, then send us your registration of interest from this account")
    if stage == "registered":
        return NextStep("We start Stage 1 once we accept your registration of interest")
    if stage == "stage_1" and stage1_started_on:
        return NextStep(
            "Stage 1: checks, references and preparation groups", add_months(stage1_started_on, stage1_months)
        )
    if stage == "stage_2" and stage2_started_on:
        return NextStep(
            "Stage 2: your assessment, ready for the adoption panel", add_months(stage2_started_on, stage2_months)
        )
    if stage in ("awaiting_panel", "awaiting_decision"):
        return NextStep("The adoption panel, then the agency decision maker's decision")
    if stage == "between_stages":
        return NextStep("Tell your worker when you are ready to start Stage 2 (you may pause up to six months)")
    if stage == "approved_waiting":
        return NextStep(
            "You are approved: look at the children's profiles we publish and tell us if you are interested"
        )
    if stage in ("linked", "matched"):
        return NextStep("Your worker will talk with you about the next steps with the child")
    if stage == "closed":
        return NextStep("Your enquiry or assessment has closed; your worker wrote to you with the reasons")
    if stage in ("placed", "adoption_order"):
        return NextStep("Your worker and adoption support are here for you")
    return NextStep("Your worker will be in touch")
