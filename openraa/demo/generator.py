"""Synthetic regional adoption agencies for the demo and the benchmarks.

Everything is drawn from one `random.Random` and one seeded Faker, so the same seed and the same
`as_of` day give the same records. Names come from Faker; places are postcode districts (the
outward half of a postcode) plausible for each council, never a full postcode. No real people.

The volumes are bulk-inserted for speed, but every child and household is `full_clean`ed first
and its `stage` is derived by the domain rules, exactly as `save_child` / `save_household` would.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker

from openraa.children import domain as child_domain
from openraa.children.domain import ChildStage
from openraa.children.models import Child, ChildNeed, SiblingGroup
from openraa.common.ages import age_in_years
from openraa.common.history import bulk_create_with_history
from openraa.households import checks
from openraa.households import domain as household_domain
from openraa.households.domain import HouseholdStage
from openraa.households.models import Applicant, Capability, Household, StageOneCheck
from openraa.journeys.models import ChildStep, HouseholdStep, PanelMember
from openraa.journeys.panels import MemberRole
from openraa.journeys.services import seed_child_history, seed_household_history
from openraa.partnership import services as partnership_services
from openraa.partnership.models import Agency, Base, Council, CouncilRole, Membership, Team
from openraa.people import staffing
from openraa.people.models import Secondment, User
from openraa.people.roles import Role
from openraa.reference import DISABILITY_NEEDS, ETHNICITIES, LANGUAGES, NEEDS, Level

# --------------------------------------------------------------------------------------------
# The partnerships
# --------------------------------------------------------------------------------------------


def _districts(area: str, *numbers: int | Iterable[int]) -> tuple[str, ...]:
    out: list[str] = []
    for number in numbers:
        out.extend(f"{area}{n}" for n in ([number] if isinstance(number, int) else number))
    return tuple(out)


@dataclass(frozen=True)
class CouncilSpec:
    name: str
    ons_code: str
    region: str
    population: int  # thousands; weights where children and households come from
    districts: tuple[str, ...]

    @property
    def slug(self) -> str:
        return slugify(self.name).replace("-", "_")


@dataclass(frozen=True)
class BaseSpec:
    name: str
    kind: str  # Base.Kind
    council: str | None = None
    desks: int | None = None
    address: str = ""


# (name, kind) of the teams each demo agency runs unless its spec says otherwise.
TEAMS = (
    ("Recruitment and assessment", "recruitment_assessment"),
    ("Family finding", "family_finding"),
    ("Adoption support", "adoption_support"),
    ("Panel", "panel"),
)


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    governance: str
    councils: tuple[CouncilSpec, ...]
    joined_on: date
    host: str | None = None  # council name
    host_note: str = ""
    commissioning: str | None = None
    finder_from: str | None = None  # council employing a second family finder
    secondment: str = ""  # that finder's secondment terms, where the papers record secondments
    seconded_on: date | None = None
    decisions_by_council_adm: bool = False  # each council's own ADM decides (hub and spoke)
    staff_arrangement: str = ""  # the agreement's staffing model (partnership/secondments.py)
    bases: tuple[BaseSpec, ...] = ()
    teams: tuple[tuple[str, str], ...] = TEAMS
    children: int = 80
    households: int = 60

    @property
    def employer(self) -> CouncilSpec:
        """The council employing the agency's own staff: the host, or the first council."""
        return next((c for c in self.councils if c.name == self.host), self.councils[0])


_NW, _SE, _LON, _WM, _EM = "North West", "South East", "London", "West Midlands", "East Midlands"

COUNCILS: dict[str, CouncilSpec] = {
    spec.name: spec
    for spec in (
        CouncilSpec("Knowsley", "E08000011", _NW, 155, _districts("L", 14, 28, 32, 33, 34, 35, 36)),
        CouncilSpec("Liverpool", "E08000012", _NW, 487, _districts("L", range(1, 20), 24, 25, 27)),
        CouncilSpec(
            "Sefton",
            "E08000014",
            _NW,
            280,
            _districts("L", range(20, 24), range(29, 32), 37, 38) + _districts("PR", 8, 9),
        ),
        CouncilSpec("Wirral", "E08000015", _NW, 322, _districts("CH", range(41, 50), range(60, 64))),
        CouncilSpec("Bexley", "E09000004", _LON, 246, (*_districts("DA", range(5, 9), range(14, 19)), "SE2")),
        CouncilSpec(
            "Kent",
            "E10000016",
            _SE,
            1590,
            _districts("CT", range(1, 22))
            + _districts("TN", range(1, 5), range(23, 31))
            + _districts("DA", range(1, 5), range(10, 14))
            + _districts("ME", range(9, 18), 19, 20),
        ),
        CouncilSpec("Medway", "E06000035", _SE, 280, _districts("ME", range(1, 6), 7, 8)),
        CouncilSpec(
            "Staffordshire",
            "E10000028",
            _WM,
            885,
            _districts("ST", 5, 7, 8, range(10, 22))
            + _districts("WS", 7, range(11, 16))
            + _districts("DE", 13, 14, 15)
            + _districts("B", 77, 78, 79),
        ),
        CouncilSpec("Stoke-on-Trent", "E06000021", _WM, 258, _districts("ST", 1, 2, 3, 4, 6)),
        CouncilSpec(
            "Shropshire",
            "E06000051",
            _WM,
            325,
            _districts("SY", range(1, 10), 11, 12, 13) + _districts("TF", 9, 11, 12, 13) + _districts("WV", 15, 16),
        ),
        CouncilSpec("Telford and Wrekin", "E06000020", _WM, 186, _districts("TF", range(1, 9), 10)),
        CouncilSpec("Derby", "E06000015", _EM, 263, _districts("DE", 1, 3, 21, 22, 23, 24)),
        CouncilSpec(
            "Derbyshire",
            "E10000007",
            _EM,
            795,
            _districts("DE", range(4, 8), 11, 12, 45, 55, 56, 65, 75)
            + _districts("S", 18, range(40, 46))
            + _districts("SK", 13, 17, 22, 23)
            + ("NG10",),
        ),
        CouncilSpec("Nottingham", "E06000018", _EM, 324, _districts("NG", 1, 2, 3, 5, 6, 7, 8, 11)),
        CouncilSpec(
            "Nottinghamshire",
            "E10000024",
            _EM,
            830,
            _districts("NG", 4, 9, range(12, 26)) + _districts("S", 80, 81) + ("DN22",),
        ),
    )
}
_BY_ONS = {spec.ons_code: spec for spec in COUNCILS.values()}

AGENCIES: dict[str, AgencySpec] = {
    spec.code: spec
    for spec in (
        AgencySpec(
            "aim",
            "Adoption in Merseyside",
            Agency.Governance.HOSTED,
            tuple(COUNCILS[n] for n in ("Knowsley", "Liverpool", "Sefton", "Wirral")),
            date(2017, 3, 1),
            # The 2021 extension put the host arrangements from 1 April 2022 to review; the papers
            # record no other host, so Knowsley's term runs on.
            host="Knowsley",
            host_note="Host from the start; the host arrangements from 1 April 2022 were put to review in 2021",
            commissioning="Sefton",
            # Every employee was seconded from their council into Knowsley when AIM went live.
            finder_from="Liverpool",
            secondment="Seconded into Knowsley, the host, on Liverpool's terms and conditions, as agreed for all AIM staff",
            seconded_on=date(2018, 4, 1),
            bases=(BaseSpec("New Hutte Centre", Base.Kind.HOT_DESKS, "Knowsley", 30, "Halewood"),),
            children=250,
            households=200,
        ),
        AgencySpec(
            "bkm",
            "Bexley, Kent and Medway",
            Agency.Governance.PARTNERSHIP,
            tuple(COUNCILS[n] for n in ("Kent", "Bexley", "Medway")),
            date(2020, 4, 1),
            # A partnership, not hosted: staff stay with their own councils (no TUPE or secondment)
            # and keep a base in each council area; the Head of Service is employed by Kent.
            finder_from="Medway",
            staff_arrangement="none",
            bases=tuple(BaseSpec(f"{name} office", Base.Kind.OFFICE, name) for name in ("Bexley", "Kent", "Medway")),
            teams=(
                ("Recruitment and assessment", "recruitment_assessment"),
                ("Family finding", "family_finding"),
                ("Adoption support", "adoption_support"),
            ),
        ),
        AgencySpec(
            "nmapp",
            "North Midlands Adoption and Permanency Partnership",
            Agency.Governance.HUB_AND_SPOKE,
            tuple(COUNCILS[n] for n in ("Staffordshire", "Stoke-on-Trent", "Shropshire", "Telford and Wrekin")),
            date(2019, 10, 1),
            finder_from="Stoke-on-Trent",
            decisions_by_council_adm=True,
            # "Staff will continue to be employed and based within each Local Authority ... we will
            # however, where appropriate, seek to explore opportunities for secondments".
            staff_arrangement="where_agreed",
        ),
        AgencySpec(
            "d2n2",
            "D2N2",
            Agency.Governance.PARTNERSHIP,
            tuple(COUNCILS[n] for n in ("Derby", "Derbyshire", "Nottingham", "Nottinghamshire")),
            date(2019, 4, 1),
            finder_from="Nottingham",
        ),
    )
}

# Below these the generator cannot show every stage (11 child journeys, 14 household journeys).
MIN_CHILDREN = 20
MIN_HOUSEHOLDS = 14


def agency_rng(seed: int, code: str) -> random.Random:
    """One stream per agency, so an agency's records do not depend on which others are loaded."""
    return random.Random(f"openraa-demo:{seed}:{code}")


# --------------------------------------------------------------------------------------------
# Agency, councils and staff
# --------------------------------------------------------------------------------------------


def create_agency(spec: AgencySpec) -> Agency:
    councils = {}
    for council_spec in spec.councils:
        council, _ = Council.objects.get_or_create(
            ons_code=council_spec.ons_code, defaults={"name": council_spec.name, "region": council_spec.region}
        )
        councils[council_spec.name] = council
    agency = Agency(
        code=spec.code,
        name=spec.name,
        governance_model=spec.governance,
        decisions_by_council_adm=spec.decisions_by_council_adm,
        staff_arrangement=spec.staff_arrangement,
    )
    agency.full_clean()
    agency.save()
    for council in councils.values():
        Membership.objects.create(agency=agency, council=council, joined_on=spec.joined_on)
    for kind, name, note in (
        (CouncilRole.Kind.HOST, spec.host, spec.host_note),
        (CouncilRole.Kind.COMMISSIONING, spec.commissioning, ""),
    ):
        if name:
            partnership_services.change_council_role(agency, kind, councils[name], spec.joined_on, note)
    bases = {
        base.name: partnership_services.save_base(
            Base(
                agency=agency,
                name=base.name,
                kind=base.kind,
                council=councils.get(base.council) if base.council else None,
                desks=base.desks,
                address=base.address,
            )
        )
        for base in spec.bases
    }
    only_base = next(iter(bases.values())) if len(bases) == 1 else None
    for team_name, team_kind in spec.teams:
        partnership_services.save_team(Team(agency=agency, name=team_name, kind=team_kind, base=only_base))
    return agency


# The team each demo role works in, where the agency runs one of that kind.
TEAM_OF_ROLE = {
    Role.FAMILY_FINDER: Team.Kind.FAMILY_FINDING,
    Role.RECRUITMENT_ASSESSMENT: Team.Kind.RECRUITMENT_ASSESSMENT,
    Role.SUPPORT_WORKER: Team.Kind.ADOPTION_SUPPORT,
    Role.PANEL_ADVISER: Team.Kind.PANEL,
}


def create_staffing(agency: Agency, spec: AgencySpec, staff: list[User]) -> None:
    """Each member of staff's team and base (their team's, else the base in their employer's area),
    the Head of Service (the team manager's sign-in) and the secondment the papers record."""
    teams = {team.kind: team for team in agency.teams.select_related("base")}
    bases = list(agency.bases.all())
    for user in staff:
        team = next((teams.get(TEAM_OF_ROLE[r]) for r in user.roles if r in TEAM_OF_ROLE), None)
        local = next((b for b in bases if b.council_id == user.employing_council_id), None)
        user.team = team
        user.base = (team.base if team else None) or local or (bases[0] if len(bases) == 1 else None)
        user.save(update_fields=["team", "base"])
    by_name = {user.username: user for user in staff}
    staffing.appoint_head_of_service(agency, by_name[f"{spec.code}.{Role.TEAM_MANAGER.value}"], spec.joined_on)
    if spec.finder_from and spec.secondment:
        finder = by_name[f"{spec.code}.{Role.FAMILY_FINDER.value}.{COUNCILS[spec.finder_from].slug}"]
        staffing.record_secondment(
            Secondment(
                user=finder,
                from_council=finder.employing_council,
                starts_on=spec.seconded_on or spec.joined_on,
                terms=spec.secondment,
            )
        )


@dataclass(frozen=True)
class StaffAccount:
    username: str
    role: str
    council: str


def staff_accounts(spec: AgencySpec) -> list[StaffAccount]:
    """`<code>.<role>` for every role, employed by the host (or first) council; a children's social
    worker per member council; and a family finder employed by another council (seconded only where
    the spec records a secondment: create_staffing)."""
    employer = spec.employer.name
    accounts = [StaffAccount(f"{spec.code}.{role.value}", role.value, employer) for role in Role]
    accounts += [
        StaffAccount(f"{spec.code}.{Role.SOCIAL_WORKER.value}.{c.slug}", Role.SOCIAL_WORKER.value, c.name)
        for c in spec.councils
    ]
    if spec.finder_from:
        other = COUNCILS[spec.finder_from]
        accounts.append(
            StaffAccount(f"{spec.code}.{Role.FAMILY_FINDER.value}.{other.slug}", Role.FAMILY_FINDER.value, other.name)
        )
    return accounts


def create_staff(agency: Agency, spec: AgencySpec, password: str, rng: random.Random) -> list[User]:
    fake = _faker(rng)
    councils = {c.name: c for c in agency.councils.all()}
    # One hash for every demo account: hashing is deliberately slow and the password is shared anyway.
    hashed = make_password(password)
    users = []
    for account in staff_accounts(spec):
        female = rng.random() < 0.75
        user = User(
            username=account.username,
            email=f"{account.username}@example.invalid",  # synthetic: the digest has somewhere to go
            password=hashed,
            first_name=fake.first_name_female() if female else fake.first_name_male(),
            last_name=fake.last_name(),
            agency=agency,
            employing_council=councils[account.council],
            roles=[account.role],
        )
        user.full_clean()
        user.save()
        users.append(user)
    return users


# --------------------------------------------------------------------------------------------
# Weighted tables
# --------------------------------------------------------------------------------------------

# SSDA903 codes; looked-after children with an adoption plan in England are mostly White British.
CHILD_ETHNICITY = {
    "WBRI": 72,
    "WIRI": 1,
    "WOTH": 4,
    "WIRT": 0.5,
    "WROM": 0.5,
    "MWBC": 5,
    "MWBA": 2,
    "MWAS": 2,
    "MOTH": 3,
    "AIND": 0.5,
    "APKN": 1,
    "ABAN": 0.5,
    "AOTH": 0.5,
    "BCRB": 1,
    "BAFR": 2,
    "BOTH": 1,
    "CHNE": 0.3,
    "OOTH": 1.5,
    "NOBT": 1,
}
ADULT_ETHNICITY = {
    "WBRI": 80,
    "WIRI": 2,
    "WOTH": 4,
    "MWBC": 2,
    "MWBA": 1,
    "MWAS": 1,
    "MOTH": 1,
    "AIND": 2,
    "APKN": 1.5,
    "ABAN": 0.5,
    "AOTH": 0.5,
    "BCRB": 1.5,
    "BAFR": 2,
    "BOTH": 0.5,
    "CHNE": 0.5,
    "OOTH": 1,
    "REFU": 0.5,
}
assert set(CHILD_ETHNICITY) <= set(ETHNICITIES)
assert set(ADULT_ETHNICITY) <= set(ETHNICITIES)

# Age in whole years on entering care: mostly babies and toddlers.
AGE_AT_ENTRY = {0: 42, 1: 15, 2: 11, 3: 9, 4: 7, 5: 5, 6: 4, 7: 3, 8: 2, 9: 1, 10: 0.6, 11: 0.4}
SIBLING_GROUP_SIZE = {2: 65, 3: 25, 4: 10}
RELIGION_WEIGHTS = {
    "none": 45,
    "christian": 40,
    "muslim": 7,
    "hindu": 3,
    "sikh": 2,
    "jewish": 1,
    "buddhist": 1,
    "other": 1,
}

# The child's milestones in the order they happen. The domain is growing (referral for family
# finding, matching panel), so the generator uses those the model and the domain both have.
_CHILD_ORDER = (
    "entered_care_on",
    "should_be_placed_on",
    "family_finding_referral_on",
    "placement_order_on",
    "linked_on",
    "matching_panel_on",
    "matched_on",
    "placed_on",
    "adoption_order_on",
)
# The latest milestone of a child at each stage (early permanence and an ended plan are extra).
_STAGE_LAST = {
    "considered": "entered_care_on",
    "should_be_placed": "should_be_placed_on",
    "family_finding": "placement_order_on",
    "linked": "linked_on",
    "matching_panel": "matching_panel_on",
    "matched": "matched_on",
    "placed": "placed_on",
    "adopted": "adoption_order_on",
}
# Stages at which a child is with (or on the way to) a household, furthest last.
_WITH_HOUSEHOLD = ("linked", "matching_panel", "matched", "placed", "adopted")

# A child's journey, as (stage, plan-ended reason); weights per unit (a child or a sibling group).
CHILD_JOURNEYS: dict[tuple[str, str], float] = {
    ("considered", ""): 7,
    ("should_be_placed", ""): 9,
    ("family_finding", ""): 19,
    ("early_permanence", ""): 4,
    ("linked", ""): 4,
    ("matching_panel", ""): 2,
    ("matched", ""): 3,
    ("placed", ""): 12,
    ("adopted", ""): 27,
    ("plan_ended", "plan_changed"): 5,
    ("plan_ended", "order_revoked"): 3,
    ("plan_ended", "disruption"): 3,
}

# Days from the previous milestone in the chain.
CHILD_STEP_DAYS = {
    "should_be_placed_on": (45, 300),
    "family_finding_referral_on": (0, 60),
    "placement_order_on": (30, 240),
    "linked_on": (21, 420),
    "matching_panel_on": (14, 70),
    "matched_on": (21, 100),  # from the link; from the matching panel it is (3, 14)
    "placed_on": (7, 42),
    "adoption_order_on": (100, 420),
    "plan_ended_on": (30, 500),
}
# How long the child has been at the stage today (days since the latest milestone).
CHILD_WAIT_DAYS = {
    "considered": (0, 200),
    "should_be_placed": (0, 220),
    "family_finding": (0, 600),
    "early_permanence": (0, 200),
    "linked": (0, 60),
    "matching_panel": (0, 14),
    "matched": (0, 40),
    "placed": (0, 380),
    "adopted": (0, 2400),
    "plan_ended": (0, 1500),
}

# Households not (yet) caring for a child, by where their journey is; weights.
HOUSEHOLD_JOURNEYS: dict[tuple[HouseholdStage, str], float] = {
    (HouseholdStage.ENQUIRY, ""): 12,
    (HouseholdStage.REGISTERED, ""): 9,
    (HouseholdStage.STAGE_1, ""): 11,
    (HouseholdStage.BETWEEN_STAGES, ""): 5,
    (HouseholdStage.STAGE_2, ""): 13,
    (HouseholdStage.AWAITING_PANEL, ""): 5,
    (HouseholdStage.AWAITING_DECISION, ""): 3,
    (HouseholdStage.APPROVED_WAITING, ""): 18,
    (HouseholdStage.CLOSED, "withdrawn"): 16,
    (HouseholdStage.CLOSED, "not_approved"): 5,
}
# The fields each household stage has reached, in order (fast-track households skip Stage 1).
_HOUSEHOLD_FIELDS = (
    "enquiry_on",
    "registration_of_interest_on",
    "stage1_started_on",
    "stage1_ended_on",
    "stage2_started_on",
    "stage2_ended_on",
    "panel_on",
    "approved_on",
)
_HOUSEHOLD_REACHED = {
    HouseholdStage.ENQUIRY: 1,
    HouseholdStage.REGISTERED: 2,
    HouseholdStage.STAGE_1: 3,
    HouseholdStage.BETWEEN_STAGES: 4,
    HouseholdStage.STAGE_2: 5,
    HouseholdStage.AWAITING_PANEL: 6,
    HouseholdStage.AWAITING_DECISION: 7,
    HouseholdStage.APPROVED_WAITING: 8,
}
HOUSEHOLD_STEP_DAYS = {
    "registration_of_interest_on": (5, 60),
    "stage1_started_on": (0, 30),
    "stage1_ended_on": (40, 90),
    "stage2_started_on": (0, 120),
    "stage2_ended_on": (90, 160),
    "panel_on": (14, 60),
    "approved_on": (3, 14),
}
HOUSEHOLD_WAIT_DAYS = {
    HouseholdStage.ENQUIRY: (0, 50),
    HouseholdStage.REGISTERED: (0, 25),
    HouseholdStage.STAGE_1: (0, 60),
    HouseholdStage.BETWEEN_STAGES: (0, 110),
    HouseholdStage.STAGE_2: (0, 140),
    HouseholdStage.AWAITING_PANEL: (0, 50),
    HouseholdStage.AWAITING_DECISION: (0, 12),
    HouseholdStage.APPROVED_WAITING: (0, 500),
    HouseholdStage.CLOSED: (0, 1500),
}

_DISABILITY = sorted(DISABILITY_NEEDS)
_OTHER_NEEDS = sorted(set(NEEDS) - DISABILITY_NEEDS)
_LEVELS = [level.value for level in Level]


def _pick(rng: random.Random, weights: dict) -> object:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _faker(rng: random.Random) -> Faker:
    fake = Faker("en_GB")
    fake.seed_instance(rng.getrandbits(32))
    return fake


def _weighted_council(rng: random.Random, councils: Sequence[Council]) -> Council:
    return rng.choices(councils, weights=[_BY_ONS[c.ons_code].population for c in councils])[0]


def _district(rng: random.Random, council: Council) -> str:
    try:
        return rng.choice(_BY_ONS[council.ons_code].districts)
    except KeyError:
        raise ValueError(f"No postcode districts known for {council} ({council.ons_code})") from None


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass
class _Placement:
    """Children linked with, matched with or placed with one household together."""

    stage: str
    ended: bool  # a placement that disrupted: it no longer counts for the household's stage
    children: list[Child]
    household: Household | None = None

    @property
    def rank(self) -> int:
        """How far the placement counts for the household: a disrupted placement and a foster-to-adopt
        placement not yet linked do not count at all."""
        return 0 if self.ended or self.stage not in _WITH_HOUSEHOLD else _WITH_HOUSEHOLD.index(self.stage) + 1

    @property
    def anchor(self) -> date:
        """The household was approved before this: the link, or an early permanence placement."""
        child = self.children[0]
        return min(d for d in (child.early_permanence_on, child.linked_on) if d)


def _household_placement(children: Iterable[Child]) -> HouseholdStage | None:
    """What Household.placement_stage() will find once these children are saved."""
    live = [c for c in children if not c.plan_ended_on]
    for name, stage in (
        ("adoption_order_on", HouseholdStage.ADOPTION_ORDER),
        ("placed_on", HouseholdStage.PLACED),
        ("matched_on", HouseholdStage.MATCHED),
        ("linked_on", HouseholdStage.LINKED),
    ):
        if any(getattr(c, name) for c in live):
            return stage
    return None


@dataclass
class GeneratedCounts:
    children: int = 0
    sibling_groups: int = 0
    children_in_sibling_groups: int = 0
    households: int = 0
    applicants: int = 0
    needs: int = 0
    capabilities: int = 0
    journey_steps: int = 0
    child_stages: Counter = field(default_factory=Counter)
    household_stages: Counter = field(default_factory=Counter)


class _Generator:
    def __init__(self, agency: Agency, rng: random.Random, as_of: date):
        self.agency = agency
        self.rng = rng
        self.fake = _faker(rng)
        self.as_of = as_of
        self.councils = list(agency.member_councils(on=as_of).order_by("pk"))
        if not self.councils:
            raise ValueError(f"{agency} has no member councils")
        staff = list(agency.staff.filter(is_active=True).order_by("username"))
        self.social_workers: dict[int, list[User]] = defaultdict(list)
        for user in staff:
            if user.has_role(Role.SOCIAL_WORKER):
                self.social_workers[user.employing_council_id].append(user)
        self.family_finders = [u for u in staff if u.has_role(Role.FAMILY_FINDER)]
        self.assessors = [u for u in staff if u.has_role(Role.RECRUITMENT_ASSESSMENT)]
        self.milestones = list(child_domain.MILESTONE_FIELDS)
        stages = {s.value for s in ChildStage}
        self.child_journeys = {
            journey: weight
            for journey, weight in CHILD_JOURNEYS.items()
            if journey[0] in stages and _STAGE_LAST.get(journey[0], "entered_care_on") in self.milestones
        }

    def days(self, bounds: tuple[int, int]) -> timedelta:
        return timedelta(days=self.rng.randint(*bounds))

    # Children ---------------------------------------------------------------------------------

    def plan_units(self, total: int) -> list[int]:
        """Sizes of the children's units: about a third of the children are in sibling groups of 2-4."""
        rng = self.rng
        in_groups = round(total / 3)
        sizes = []
        while in_groups >= 2:
            size = min(int(_pick(rng, SIBLING_GROUP_SIZE)), in_groups)
            if in_groups - size == 1:
                size = size - 1 if size > 2 else size + 1
            sizes.append(size)
            in_groups -= size
        sizes += [1] * (total - sum(sizes))
        rng.shuffle(sizes)
        return sizes

    def journeys(self, count: int, weights: dict) -> list:
        """Every journey at least once (when there is room), the rest drawn by weight."""
        chosen = list(weights)[:count]
        chosen += [_pick(self.rng, weights) for _ in range(count - len(chosen))]
        self.rng.shuffle(chosen)
        return chosen

    def child_dates(self, stage: str, reason: str) -> dict[str, date | None]:
        """Milestones ending at the given stage today, built backwards from the latest one."""
        rng = self.rng
        if stage == "plan_ended":
            ended_at = {
                "plan_changed": "should_be_placed" if rng.random() < 0.6 else "family_finding",
                "order_revoked": "family_finding",
                "disruption": "placed",
            }[reason]
            chain = (*self.chain(ended_at), "plan_ended_on")
        elif stage == "early_permanence":
            chain = self.chain(rng.choice(("considered", "should_be_placed", "should_be_placed", "family_finding")))
        elif stage == "linked" and rng.random() < 0.15:
            chain = tuple(f for f in self.chain("linked") if f != "placement_order_on")  # ahead of the order
        else:
            chain = self.chain(stage)
        dates: dict[str, date | None] = dict.fromkeys(self.milestones)
        current = self.as_of - self.days(CHILD_WAIT_DAYS[stage])
        for index in range(len(chain) - 1, -1, -1):
            name = chain[index]
            dates[name] = current
            if index:
                after_panel = name == "matched_on" and chain[index - 1] == "matching_panel_on"
                current -= self.days((3, 14) if after_panel else CHILD_STEP_DAYS[name])
        # Early permanence: a foster-to-adopt placement soon after entering care.
        early = stage == "early_permanence" or (
            stage in _WITH_HOUSEHOLD and dates.get("placement_order_on") and rng.random() < 0.12
        )
        if early:
            care = dates["entered_care_on"]
            following = [d for f, d in dates.items() if d and f != "entered_care_on"]
            latest = min([*following, self.as_of, care + timedelta(days=45)])
            dates["early_permanence_on"] = care + timedelta(days=rng.randint(0, (latest - care).days))
        return dates

    def chain(self, stage: str) -> tuple[str, ...]:
        """The milestones a child at the stage has, in order; the family-finding referral is usual
        but not always recorded."""
        last = _CHILD_ORDER.index(_STAGE_LAST[stage])
        chain = tuple(f for f in _CHILD_ORDER[: last + 1] if f in self.milestones)
        if "family_finding_referral_on" in chain and self.rng.random() < 0.15:
            chain = tuple(f for f in chain if f != "family_finding_referral_on")
        return chain

    def birth_date(self, entered_care_on: date, years: int) -> date:
        if years == 0 and self.rng.random() < 0.5:
            return entered_care_on - timedelta(days=self.rng.randint(0, 30))  # removed at or soon after birth
        return entered_care_on - timedelta(days=365 * years + self.rng.randint(0, 364))

    def needs(self, age: int) -> dict[str, str]:
        """About a quarter with a disability or a need graded high; most of the rest with some needs."""
        rng = self.rng
        roll = rng.random()
        needs: dict[str, str] = {}
        if roll < 0.25:
            if rng.random() < 0.6:
                needs[rng.choice(_DISABILITY)] = rng.choice(("low", "medium", "medium", "high"))
            else:
                needs[rng.choice(_OTHER_NEEDS)] = "high"
            for code in rng.sample(_OTHER_NEEDS, rng.randint(0, 2)):
                needs.setdefault(code, rng.choice(("low", "medium", "high")))
        elif roll < 0.75:
            pool = _OTHER_NEEDS if age >= 3 else [n for n in _OTHER_NEEDS if n != "emotional_behavioural"]
            for code in rng.sample(pool, rng.randint(1, 3)):
                needs[code] = rng.choice(("low", "low", "medium"))
        return needs

    def make_children(
        self, total: int
    ) -> tuple[list[Child], list[SiblingGroup], list[_Placement], dict[int, dict[str, str]], dict[int, list[User]]]:
        rng, fake = self.rng, self.fake
        sizes = self.plan_units(total)
        children: list[Child] = []
        groups: list[SiblingGroup] = []
        placements: list[_Placement] = []
        needs: dict[int, dict[str, str]] = {}  # by id() of the child
        workers: dict[int, list[User]] = {}
        for size, (stage, reason) in zip(sizes, self.journeys(len(sizes), self.child_journeys)):
            council = _weighted_council(rng, self.councils)
            if rng.random() < 0.85 or len(self.councils) == 1:
                family_council = council
            else:
                family_council = rng.choice([c for c in self.councils if c != council])
            district = _district(rng, family_council) if rng.random() < 0.95 else ""
            dates = self.child_dates(stage, reason)
            ethnicity = str(_pick(rng, CHILD_ETHNICITY))
            family_name = fake.last_name()
            mother = f"{fake.first_name_female()} {family_name if rng.random() < 0.8 else fake.last_name()}"
            father = f"{fake.first_name_male()} {fake.last_name()}" if rng.random() < 0.6 else ""
            group = None
            if size > 1:
                together = rng.random() < 0.85
                group = SiblingGroup(
                    agency=self.agency,
                    place_together=together,
                    decided_on=dates["should_be_placed_on"],
                    decision_reason=""
                    if together
                    else rng.choice(
                        (
                            "The children's assessed needs are best met in separate families",
                            "Separate placements recommended by the together-or-apart assessment",
                            "The eldest child's plan is long-term fostering with contact",
                        )
                    ),
                )
                groups.append(group)
            # The youngest first; older brothers and sisters are 1-3 years apart.
            years = int(_pick(rng, AGE_AT_ENTRY))
            unit: list[Child] = []
            for _ in range(size):
                sex = rng.choice("12")
                child = Child(
                    agency=self.agency,
                    responsible_council=council,
                    first_name=fake.first_name_male() if sex == "1" else fake.first_name_female(),
                    last_name=family_name if rng.random() < 0.75 else fake.last_name(),
                    date_of_birth=self.birth_date(dates["entered_care_on"], years),
                    sex=sex,
                    ethnicity=ethnicity if rng.random() < 0.9 else str(_pick(rng, CHILD_ETHNICITY)),
                    birth_mother_name=mother,
                    birth_father_name=father,
                    birth_family_council=family_council,
                    birth_family_postcode_district=district,
                    sibling_group=group,
                    plan_ended_reason=reason,
                    **dates,
                )
                self.optional_details(child, reason)
                needs[id(child)] = self.needs(years)
                workers[id(child)] = self.workers(child, stage)
                unit.append(child)
                years = min(years + rng.randint(1, 3), 15)
            children.extend(unit)
            if stage in _WITH_HOUSEHOLD or stage == "early_permanence" or reason == "disruption":
                if group is None or group.place_together:
                    placements.append(_Placement(stage, bool(reason), unit))
                else:
                    for child in unit:  # placed apart: each with their own family, a few days apart
                        shift = timedelta(days=rng.randint(0, min(7, (self.as_of - _latest(child)).days)))
                        for name in self.milestones[self.milestones.index("linked_on") :]:
                            if name != "early_permanence_on" and getattr(child, name):
                                setattr(child, name, getattr(child, name) + shift)
                        placements.append(_Placement(stage, bool(reason), [child]))
        return children, groups, placements, needs, workers

    def optional_details(self, child: Child, reason: str) -> None:
        """Disruption codes, early permanence kinds and what family finding reads from the plan."""
        rng = self.rng
        if reason == "disruption":
            child.plan_ended_code = rng.choice(sorted(child_domain.DISRUPTION_CODES))
        if child.early_permanence_on:
            child.early_permanence_kind = "foster_to_adopt" if rng.random() < 0.8 else "concurrent_planning"
        child.current_postcode_district = _district(rng, child.responsible_council)
        child.identification_risk = rng.random() < 0.2
        if child.ethnicity not in ("WBRI", "REFU", "NOBT") and rng.random() < 0.5:
            child.preferred_ethnicities = [child.ethnicity]
        if rng.random() < 0.1:
            child.preferred_religion = str(_pick(rng, RELIGION_WEIGHTS))
        if rng.random() < 0.05:
            child.preferred_languages = [rng.choice(sorted(set(LANGUAGES) - {"en"}))]

    def workers(self, child: Child, stage: str) -> list[User]:
        rng = self.rng
        allocated = []
        social_workers = self.social_workers.get(child.responsible_council.pk, [])
        active = stage not in ("adopted", "plan_ended")
        if social_workers and (active or rng.random() < 0.5):
            allocated.append(rng.choice(social_workers))
        if self.family_finders and active and stage != "considered" and rng.random() < 0.9:
            allocated.append(rng.choice(self.family_finders))
        return allocated

    # Households -------------------------------------------------------------------------------

    def household_dates(self, reached: int, last: date, fast_track: bool) -> dict[str, date | None]:
        """The first `reached` journey dates, the latest on `last`, built backwards."""
        fields = [f for f in _HOUSEHOLD_FIELDS[:reached] if not (fast_track and f.startswith("stage1_"))]
        dates: dict[str, date | None] = dict.fromkeys(_HOUSEHOLD_FIELDS)
        current = last
        for name in reversed(fields):
            dates[name] = current
            if name != "enquiry_on":
                bounds = (0, 30) if fast_track and name == "stage2_started_on" else HOUSEHOLD_STEP_DAYS[name]
                current -= self.days(bounds)
        return dates

    def approval_range(self, sizes: Sequence[int] = (), ages: Sequence[int] = ()) -> dict[str, int]:
        rng = self.rng
        number = max(int(_pick(rng, {1: 55, 2: 35, 3: 8, 4: 2})), *sizes, 1)
        if ages:
            age_min = max(0, min(ages) - rng.randint(0, 2))
            age_max = min(household_domain.MAX_AGE, max(ages) + rng.randint(0, 4))
        elif rng.random() < 0.15:  # approved for older children (school age)
            age_min = rng.randint(3, 6)
            age_max = min(household_domain.MAX_AGE, age_min + rng.randint(4, 7))
        else:
            age_min = int(_pick(rng, {0: 70, 1: 15, 2: 10, 3: 5}))
            # An approval for brothers and sisters spans the ages a group has, older than one child's.
            age_max = min(household_domain.MAX_AGE, age_min + (rng.randint(4, 9) if number > 1 else rng.randint(2, 8)))
        return {"approved_children": min(number, household_domain.MAX_CHILDREN), "age_min": age_min, "age_max": age_max}

    def household(self, council: Council, dates: dict, fast_track: bool, **values) -> Household:
        return Household(
            agency=self.agency,
            home_council=council,
            postcode_district=_district(self.rng, council),
            fast_track=fast_track,
            sibling_group_open=values.pop("sibling_group_open", self.rng.random() < 0.25),
            early_permanence=values.pop("early_permanence", self.rng.random() < 0.12),
            religion=str(_pick(self.rng, RELIGION_WEIGHTS)) if self.rng.random() < 0.6 else "",
            languages=["en"] + ([self.rng.choice(sorted(set(LANGUAGES) - {"en"}))] if self.rng.random() < 0.1 else []),
            **dates,
            **values,
        )

    def review_approval(self, household: Household) -> None:
        """Approval is reviewed about once a year while the household waits or has a child placed."""
        reviewable = (
            HouseholdStage.APPROVED_WAITING,
            HouseholdStage.LINKED,
            HouseholdStage.MATCHED,
            HouseholdStage.PLACED,
        )
        if household.stage not in reviewable:
            return
        years = (self.as_of - household.approved_on).days // 365
        if years and self.rng.random() < 0.8:
            reviewed = household.approved_on + timedelta(days=365 * years - self.rng.randint(0, 30))
            household.approval_reviewed_on = min(reviewed, self.as_of)

    def household_workers(self, household: Household) -> list[User]:
        """An assessing social worker for an open household's journey."""
        if household.closed_on or not self.assessors or self.rng.random() < 0.1:
            return []
        return [self.rng.choice(self.assessors)]

    def placement_households(self, placements: list[_Placement], budget: int) -> list[Household]:
        """A household for each placement; when the budget is short, later placements join a
        household already as far on (an adoptive family adopting again), so no stage is lost."""
        rng = self.rng
        order = sorted(placements, key=lambda p: -p.rank)  # one of each stage first
        seen, first, rest = set(), [], []
        for placement in order:
            (rest if placement.rank in seen else first).append(placement)
            seen.add(placement.rank)
        rng.shuffle(rest)
        members: list[list[_Placement]] = []
        for placement in first + rest:
            if len(members) < budget:
                members.append([placement])
            else:
                candidates = [m for m in members if max(p.rank for p in m) >= placement.rank]
                rng.choice(candidates).append(placement)
        households = []
        for group in members:
            children = [c for p in group for c in p.children]
            avoid = {c.birth_family_council_id for c in children}
            councils = [c for c in self.councils if c.pk not in avoid] or self.councils
            approved_on = min(p.anchor for p in group) - self.days((14, 400))
            fast_track = rng.random() < 0.1
            dates = self.household_dates(8, approved_on, fast_track)
            ages = [age_in_years(c.date_of_birth, c.linked_on or c.early_permanence_on) for c in children]
            household = self.household(
                _weighted_council(rng, councils),
                dates,
                fast_track,
                sibling_group_open=any(len(p.children) > 1 for p in group) or rng.random() < 0.2,
                early_permanence=any(c.early_permanence_on for c in children) or rng.random() < 0.08,
                **self.approval_range([len(p.children) for p in group], ages),
            )
            for placement in group:
                placement.household = household
            household.stage = household_domain.derive_stage(household.milestones, _household_placement(children))
            self.review_approval(household)
            households.append(household)
        return households

    def waiting_households(self, count: int) -> list[Household]:
        rng = self.rng
        households = []
        for stage, reason in self.journeys(count, HOUSEHOLD_JOURNEYS):
            fast_track = rng.random() < 0.1
            last = self.as_of - self.days(HOUSEHOLD_WAIT_DAYS[stage])
            closed = {}
            if stage == HouseholdStage.CLOSED:
                if reason == "withdrawn":
                    reached = int(_pick(rng, {1: 25, 2: 20, 3: 15, 4: 10, 5: 15, 6: 3, 8: 12}))
                else:  # not approved: after Stage 1, or on the panel's recommendation and the ADM's decision
                    reached = 4 if rng.random() < 0.4 else 7
                closed = {"closed_on": last, "closed_reason": reason}
                last -= self.days((0, 90))
            else:
                reached = _HOUSEHOLD_REACHED[stage]
            if fast_track and reached in (3, 4):
                fast_track = False  # a fast-track household has no Stage 1 to be in
            dates = self.household_dates(reached, last, fast_track)
            approval = self.approval_range() if dates["approved_on"] else {}
            if approval:
                # Approval for more than one child is approval for brothers and sisters.
                approval["sibling_group_open"] = approval["approved_children"] > 1
            household = self.household(
                _weighted_council(rng, self.councils), {**dates, **closed}, fast_track, **approval
            )
            household.stage = household_domain.derive_stage(household.milestones)
            self.review_approval(household)
            households.append(household)
        return households

    def applicants(self, household: Household) -> list[Applicant]:
        rng, fake = self.rng, self.fake
        # Adults aged 25-55 today, and at least 21 when they enquired.
        youngest = max(25, 21 + (self.as_of - household.enquiry_on).days // 365 + 1)
        roll = rng.random()
        if rng.random() < 0.28:
            sexes = [rng.choice("12")]  # a single adopter
        else:
            sexes = ["2", "1"] if roll < 0.88 else (["1", "1"] if roll < 0.94 else ["2", "2"])
        family_name = fake.last_name()
        first_ethnicity = str(_pick(rng, ADULT_ETHNICITY))
        result = []
        for index, sex in enumerate(sexes):
            age = rng.randint(min(youngest, 55), 55)
            result.append(
                Applicant(
                    household=household,
                    first_name=fake.first_name_male() if sex == "1" else fake.first_name_female(),
                    last_name=family_name if index == 0 or rng.random() < 0.65 else fake.last_name(),
                    date_of_birth=self.as_of - timedelta(days=365 * age + rng.randint(0, 364)),
                    sex=sex,
                    ethnicity=first_ethnicity if index == 0 or rng.random() < 0.8 else str(_pick(rng, ADULT_ETHNICITY)),
                )
            )
        return result

    def capabilities(
        self, household: Household, children: Iterable[Child], needs: dict[int, dict[str, str]]
    ) -> list[Capability]:
        """A grade for every need once the household is in Stage 2; never below a placed child's need."""
        if not household.stage2_started_on:
            return []
        rng = self.rng
        openness = rng.uniform(-1, 1)
        floor: dict[str, int] = {}
        for child in children:
            for code, severity in needs[id(child)].items():
                floor[code] = max(floor.get(code, 0), Level(severity).rank)
        rows = []
        for code in NEEDS:
            base = (40, 30, 20, 10) if code in DISABILITY_NEEDS else (15, 35, 35, 15)
            weights = [max(1.0, w * (1 + openness * (i - 1.5) / 3)) for i, w in enumerate(base)]
            rank = max(_LEVELS.index(rng.choices(_LEVELS, weights=weights)[0]), floor.get(code, 0))
            rows.append(Capability(household=household, need=code, level=_LEVELS[rank]))
        return rows


def _latest(child: Child) -> date:
    return max(d for d in (getattr(child, f) for f in child_domain.MILESTONE_FIELDS) if d)


@transaction.atomic
def generate_records(
    agency: Agency,
    *,
    children: int,
    households: int,
    rng: random.Random,
    as_of: date | None = None,
    check_foreign_keys: bool = True,
) -> GeneratedCounts:
    """Add `children` children and `households` households (at least MIN_CHILDREN and MIN_HOUSEHOLDS)
    to the agency, spread over every stage of both journeys, as of the given day (today by default).

    Each record is full_clean()ed before the bulk insert. With check_foreign_keys=False the foreign
    keys are left out of it: they point at rows this transaction has just written, the database's
    own constraints check them at commit, and Django's check costs one SELECT per key (about half
    the load time at benchmark volumes). The domain rules in clean() still run for every record."""
    as_of = as_of or timezone.localdate()
    if as_of > timezone.localdate():
        raise ValueError("as_of cannot be in the future: every milestone must already have happened")
    children, households = max(children, MIN_CHILDREN), max(households, MIN_HOUSEHOLDS)
    gen = _Generator(agency, rng, as_of)

    child_rows, groups, placements, needs, workers = gen.make_children(children)
    placed = len(placements)
    reserve = min(len(HOUSEHOLD_JOURNEYS), households)  # room for every other household journey
    household_rows = gen.placement_households(placements, max(households - reserve, min(placed, 4)))
    household_rows += gen.waiting_households(households - len(household_rows))
    children_of: dict[int, list[Child]] = defaultdict(list)
    for placement in placements:
        for child in placement.children:
            child.household = placement.household
            if child.early_permanence_on:  # in the demo the early permanence carers go on to adopt
                child.early_permanence_household = placement.household
            children_of[id(placement.household)].append(child)

    skip = (
        {}
        if check_foreign_keys
        else {
            model: [f.name for f in model._meta.fields if f.is_relation] for model in (SiblingGroup, Household, Child)
        }
    )
    when = timezone.now()
    for group in groups:
        group.full_clean(exclude=skip.get(SiblingGroup))
    bulk_create_with_history(SiblingGroup, groups, when)
    for household in household_rows:
        household.full_clean(exclude=skip.get(Household))
    household_m2m = {"allocated_workers": {id(h): gen.household_workers(h) for h in household_rows}}
    bulk_create_with_history(Household, household_rows, when, m2m=household_m2m)
    numbers: Counter = Counter()
    for child in child_rows:
        numbers[child.responsible_council.ons_code] += 1  # each council numbers its own children
        child.council_child_id = (
            f"{child.responsible_council.ons_code[-3:]}{numbers[child.responsible_council.ons_code]:05d}"
        )
        child.stage = child_domain.derive_stage(child.milestones)
        # Re-point at the saved rows (Django keeps the *_id None otherwise when assigned unsaved).
        child.sibling_group = child.sibling_group
        child.household = child.household
        child.early_permanence_household = child.early_permanence_household
        child.full_clean(exclude=skip.get(Child))
    bulk_create_with_history(Child, child_rows, when, m2m={"allocated_workers": workers})

    steps = _journey_history(child_rows, household_rows)

    need_rows = [
        ChildNeed(child=c, need=code, severity=severity) for c in child_rows for code, severity in needs[id(c)].items()
    ]
    applicant_rows, capability_rows = [], []
    for household in household_rows:
        applicant_rows += gen.applicants(household)
        capability_rows += gen.capabilities(household, children_of[id(household)], needs)
    # The parent key is validated by the database; uniqueness holds by construction (one row per code).
    for row in (*need_rows, *applicant_rows, *capability_rows):
        row.full_clean(exclude=["child", "household"], validate_constraints=False)
    bulk_create_with_history(ChildNeed, need_rows, when)
    bulk_create_with_history(Applicant, applicant_rows, when)
    bulk_create_with_history(Capability, capability_rows, when)
    bulk_create_with_history(StageOneCheck, _stage_one_checks(household_rows, applicant_rows, as_of), when)

    return GeneratedCounts(
        children=len(child_rows),
        sibling_groups=len(groups),
        children_in_sibling_groups=sum(1 for c in child_rows if c.sibling_group_id),
        households=len(household_rows),
        applicants=len(applicant_rows),
        needs=len(need_rows),
        capabilities=len(capability_rows),
        journey_steps=steps,
        child_stages=Counter(c.stage for c in child_rows),
        household_stages=Counter(h.stage for h in household_rows),
    )


def _stage_one_checks(households: list[Household], applicants: list[Applicant], as_of: date) -> list[StageOneCheck]:
    """Each applicant's Stage 1 checks (households/checks.py), with no draw of chance so the rest of
    the region stays as it was: requested a week into the assessment, completed clear four weeks
    later once the household is past Stage 1 (or, on the fast track, in Stage 2)."""
    by_household: dict[int, list[Applicant]] = defaultdict(list)
    for applicant in applicants:
        by_household[applicant.household_id].append(applicant)
    rows = []
    for household in households:
        started = household.stage1_started_on or household.stage2_started_on
        if started is None:
            continue
        requested = min(started + timedelta(days=7), as_of)
        done = household.stage2_started_on is not None
        completed = min(requested + timedelta(days=28), as_of) if done else None
        for applicant in by_household[household.pk]:
            rows += [
                StageOneCheck(
                    household=household,
                    applicant=applicant,
                    kind=kind,
                    requested_on=requested,
                    completed_on=completed,
                    outcome=checks.Outcome.CLEAR if done else "",
                )
                for kind in checks.REQUIRED[checks.AdultKind.APPLICANT]
            ]
    return rows


def _journey_history(children: list[Child], households: list[Household]) -> int:
    """The dated journey entries behind the milestones (one per milestone, recorded by the system as
    an import would be), each journey replayed through its state machine. Returns how many."""
    child_steps = [step for child in children for step in seed_child_history(child)]
    household_steps = []
    for household in households:
        # The household's children are saved, but its stage already says how far they have gone;
        # this spares seed_household_history four queries per household.
        placement = household.stage if household.stage in household_domain.PLACEMENT_STAGES else None
        household_steps += seed_household_history(household, placement=HouseholdStage(placement) if placement else None)
    ChildStep.objects.bulk_create(child_steps, batch_size=2000)
    HouseholdStep.objects.bulk_create(household_steps, batch_size=2000)
    return len(child_steps) + len(household_steps)


# --------------------------------------------------------------------------------------------
# One agency, end to end
# --------------------------------------------------------------------------------------------


@dataclass
class LoadedAgency:
    agency: Agency
    staff: list[User]
    counts: GeneratedCounts


PANEL_ROLES = (
    MemberRole.CHAIR,
    MemberRole.VICE_CHAIR,
    MemberRole.SOCIAL_WORKER,
    MemberRole.SOCIAL_WORKER,
    MemberRole.INDEPENDENT,
    MemberRole.INDEPENDENT,
    MemberRole.INDEPENDENT,
    MemberRole.MEDICAL_ADVISER,
)


def create_panel_members(agency: Agency, rng: random.Random) -> list[PanelMember]:
    """The agency's central list of panel members (generated names)."""
    fake = _faker(rng)
    return PanelMember.objects.bulk_create(
        PanelMember(agency=agency, name=f"{fake.first_name()} {fake.last_name()}", role=role) for role in PANEL_ROLES
    )


@transaction.atomic
def load_agency(
    spec: AgencySpec,
    *,
    children: int,
    households: int,
    rng: random.Random,
    password: str,
    as_of: date | None = None,
    check_foreign_keys: bool = True,
) -> LoadedAgency:
    """The agency, its councils and memberships, its staff, then its records; all or nothing."""
    agency = create_agency(spec)
    staff = create_staff(agency, spec, password, rng)
    create_staffing(agency, spec, staff)
    create_panel_members(agency, rng)
    counts = generate_records(
        agency, children=children, households=households, rng=rng, as_of=as_of, check_foreign_keys=check_foreign_keys
    )
    return LoadedAgency(agency, staff, counts)
