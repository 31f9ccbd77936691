"""The families' side of a demo agency: what it says at the front door and where it recruits, two
years of front-door enquiries (with their sources and equality monitoring, so the recruitment funnel
has a real shape), adopters' own accounts, preparation groups, a few messages and documents asked,
and anonymised profiles of waiting children published to approved adopters.

Synthetic only, drawn from the agency's random stream. Rows are bulk-inserted, each `full_clean`ed
with its history row, rather than sent through the services: those e-mail the family, and the demo's
outbox would fill with a file per enquiry. Dates follow the demo's `as_of` day, not the clock.

Adoption in Merseyside also gets the one well-known adopter, DEMO_ADOPTER_EMAIL: an approved
household with waiting children it could be considered for, whose profiles are published."""

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from openraa.children.models import Child
from openraa.common.ages import age_in_years
from openraa.common.history import bulk_create_with_history
from openraa.demo import generator
from openraa.families import front_door
from openraa.families.models import (
    AdopterAccount,
    DocumentRequest,
    Enquiry,
    FrontDoorSettings,
    Message,
    PreparationGroup,
    PreparationPlace,
    PublishedProfile,
)
from openraa.households import domain as household_domain
from openraa.households.domain import HouseholdStage
from openraa.households.models import Applicant, Household
from openraa.journeys.models import HouseholdStep
from openraa.journeys.services import seed_household_history
from openraa.matching import adapters, engine, escalation
from openraa.matching.selectors import context_for
from openraa.partnership.models import Agency
from openraa.people.models import User
from openraa.people.roles import Role

DEMO_ADOPTER_EMAIL = "adopter@example.org"
DEMO_ADOPTER_PASSWORD = "demo-adopter-2016"
DEMO_ADOPTER_AGENCY = "aim"
YEARS = 2
# An area (letters only) when the agency's councils hold at least this many of its districts; else
# the districts themselves, so that Bexley's SE2 does not make the agency recruit across London.
WHOLE_AREA = 5
# Equality monitoring as families answer it (weights), before "prefer not to say" and skipped questions.
MONITORING_WEIGHTS: dict[str, dict[str, int]] = {
    "age": {"18_29": 7, "30_39": 41, "40_49": 37, "50_plus": 15},
    "sex": {"female": 62, "male": 38},
    "gender_reassignment": {"yes": 98, "no": 2},
    "sexual_orientation": {"heterosexual": 80, "gay_lesbian": 14, "bisexual": 4, "other": 2},
    "relationship": {"single": 22, "married": 58, "cohabiting": 18, "other": 2},
    "ethnic_group": {"white": 82, "mixed": 5, "asian": 7, "black": 5, "other": 1},
    "religion": {
        "none": 46,
        "christian": 41,
        "muslim": 6,
        "hindu": 2,
        "sikh": 1,
        "jewish": 1,
        "buddhist": 1,
        "other": 2,
    },
    "disability": {"yes": 8, "no": 92},
    "pregnancy": {"yes": 2, "no": 98},
}
SOURCE_WEIGHTS = {
    "campaign": 22,
    "event": 10,
    "adoption_week": 12,
    "word_of_mouth": 20,
    "search": 24,
    "fostering": 7,
    "other": 5,
}
SKIPPED, PREFER_NOT = 0.12, 0.06  # of each question; and 5% leave the whole page
# Fictional numbers Ofcom keeps for drama, by the agency's area.
PHONES = {"aim": "0151 496 0123", "bkm": "020 7946 0123", "nmapp": "0121 496 0123", "d2n2": "0115 496 0123"}
GROUP_PLACES = ("{base}, training room", "Online (video call)")
DOCUMENTS = (
    ("Pay slips for the last three months", "For the financial assessment in Stage 1"),
    ("Adoption medical form (AH)", "Your GP fills it in; upload the copy they give you"),
    ("Proof of address", "A council tax bill or a utility bill from the last three months"),
)
MESSAGES = (
    ("staff", "Thank you for coming to the preparation group. Could you upload your pay slips when you can?"),
    ("family", "Thank you. We have uploaded two of them and will send the third at the end of the month."),
    ("staff", "That is fine. I will ring you next week to book the next home visit."),
)


@dataclass
class FamiliesCounts:
    enquiries: int = 0
    new_households: int = 0
    accounts: int = 0
    groups: int = 0
    places: int = 0
    profiles: int = 0
    messages: int = 0
    document_requests: int = 0


def recruits_in(agency: Agency) -> str:
    """The postcode areas (or single districts) of the agency's member councils."""
    by_area: dict[str, list[str]] = defaultdict(list)
    for council in agency.councils.order_by("pk"):
        for district in generator.COUNCILS[council.name].districts:
            by_area[re.match(r"[A-Z]+", district).group(0)].append(district)  # type: ignore[union-attr]
    prefixes = []
    for area, districts in by_area.items():
        prefixes += [area] if len(districts) >= WHOLE_AREA else districts
    return ", ".join(prefixes)


@transaction.atomic
def load_families(agency: Agency, rng: random.Random, *, as_of: date, new_households: bool = True) -> FamiliesCounts:
    """Everything above for one agency already loaded by the generator. `new_households=False` leaves
    the agency's households as the generator made them (the benchmarks measure those sizes)."""
    counts = FamiliesCounts()
    when = timezone.now()
    staff = list(agency.staff.filter(is_active=True).order_by("username"))
    assessors = [u for u in staff if u.has_role(Role.RECRUITMENT_ASSESSMENT)] or staff
    settings = FrontDoorSettings(
        agency=agency,
        recruits_in=recruits_in(agency),
        about=(
            f"{agency.name} finds families for children from its councils who cannot live with their birth "
            "families. You can adopt whether you rent or own your home, are single or in a couple, have "
            "children already or not. We support you before, during and after adoption."
        ),
        information_sessions=(
            "Online information sessions on the first Tuesday of every month at 7pm, and in person on the "
            "third Saturday at 10am. Ask for a place when you enquire."
        ),
        contact_email=f"adopt@{agency.code}.example.org",
        contact_phone=PHONES.get(agency.code, ""),
    )
    settings.full_clean()
    bulk_create_with_history(FrontDoorSettings, [settings], when)

    since = as_of - timedelta(days=365 * YEARS)
    if new_households:
        counts.new_households = _enquiry_only_households(agency, rng, since, as_of, when)
    households = list(
        Household.objects.filter(agency=agency, enquiry_on__gt=since, enquiry_on__lte=as_of)
        .prefetch_related("applicants")
        .order_by("pk")
    )
    enquiries = [_enquiry(household, rng) for household in households if rng.random() < 0.85]
    counts.enquiries = _insert_enquiries(enquiries, rng, when)

    # The front door makes an account with each enquiry; a family chooses its password from the
    # e-mailed link (the most recent enquiries have not yet). One hash: hashing is slow on purpose.
    hashed = make_password(DEMO_ADOPTER_PASSWORD)
    accounts = [
        AdopterAccount(
            household=e.household,
            email=e.email,
            password="" if e.household.stage == HouseholdStage.ENQUIRY and rng.random() < 0.3 else hashed,
        )
        for e in enquiries
        if e.household.stage != HouseholdStage.CLOSED
    ]
    demo_household, demo_units = _demo_household(agency, as_of) if agency.code == DEMO_ADOPTER_AGENCY else (None, [])
    if demo_household is not None:
        accounts = [a for a in accounts if a.household_id != demo_household.pk]
        accounts.append(AdopterAccount(household=demo_household, email=DEMO_ADOPTER_EMAIL, password=hashed))
        Enquiry.objects.filter(household=demo_household).update(email=DEMO_ADOPTER_EMAIL)
    for account in accounts:
        account.full_clean(exclude=["household"], validate_unique=False)
    accounts = bulk_create_with_history(AdopterAccount, accounts, when)
    counts.accounts = len(accounts)

    counts.groups, counts.places = _preparation_groups(agency, rng, as_of, when, assessors)
    counts.profiles = _profiles(agency, rng, as_of, set(demo_units))
    with_account = [a for a in accounts if a.household.stage in (HouseholdStage.STAGE_1, HouseholdStage.STAGE_2)]
    talking = with_account[:4] + [a for a in accounts if a.email == DEMO_ADOPTER_EMAIL]
    counts.messages, counts.document_requests = _messages_and_documents(talking, rng, as_of, when, assessors)
    return counts


def _enquiry_only_households(agency: Agency, rng: random.Random, since: date, as_of: date, when) -> int:
    """Families who enquired and went no further (most withdrew within weeks; the last month's are
    still open): the wider top of the recruitment funnel. A fifth as many as the generator's
    households of the period, so the agency keeps the size the demo promises."""
    count = Household.objects.filter(agency=agency, enquiry_on__gt=since, enquiry_on__lte=as_of).count() // 5
    # The generator's own ways of making a household and its applicants, so these look like the rest.
    gen = generator._Generator(agency, rng, as_of)
    rows, applicants = [], []
    for _ in range(count):
        enquired = since + timedelta(days=rng.randint(1, (as_of - since).days))
        dates: dict[str, object] = {"enquiry_on": enquired}
        if (as_of - enquired).days > 30 or rng.random() < 0.3:
            dates |= {
                "closed_on": min(as_of, enquired + timedelta(days=rng.randint(3, 60))),
                "closed_reason": "withdrawn",
            }
        household = gen.household(generator._weighted_council(rng, gen.councils), dates, fast_track=False)
        household.stage = household_domain.derive_stage(household.milestones)  # save() would; bulk inserts do not
        household.full_clean()
        rows.append(household)
    rows = bulk_create_with_history(Household, rows, when)
    for household in rows:
        for applicant in gen.applicants(household):
            applicant.full_clean(exclude=["household"])
            applicants.append(applicant)
    bulk_create_with_history(Applicant, applicants, when)
    HouseholdStep.objects.bulk_create([step for h in rows for step in seed_household_history(h, placement=None)])
    return len(rows)


def _enquiry(household: Household, rng: random.Random) -> Enquiry:
    people = list(household.applicants.all())
    first = people[0] if people else None
    partner = people[1] if len(people) > 1 else None
    name = (first.first_name, first.last_name) if first else ("Alex", "Demo")
    return Enquiry(
        household=household,
        first_name=name[0],
        last_name=name[1],
        partner_first_name=partner.first_name if partner else "",
        partner_last_name=partner.last_name if partner else "",
        email=f"{slugify(name[0])}.{slugify(name[1])}.{household.pk}@example.org",
        # The demo keeps to postcode districts (the household's), never a full postcode.
        postcode="",
        household_makeup="couple" if partner else "single",
        children_at_home=int(generator._pick(rng, {0: 70, 1: 20, 2: 10})),  # type: ignore[call-overload]
        source=str(generator._pick(rng, SOURCE_WEIGHTS)),
        monitoring=_monitoring(rng, first.sex if first else ""),
    )


def _monitoring(rng: random.Random, sex: str) -> dict[str, str]:
    if rng.random() < 0.05:
        return {}
    answers = {}
    for key, weights in MONITORING_WEIGHTS.items():
        roll = rng.random()
        if roll < SKIPPED:
            continue
        if roll < SKIPPED + PREFER_NOT:
            answers[key] = front_door.PREFER_NOT
        elif key == "sex" and sex in ("1", "2"):
            answers[key] = "male" if sex == "1" else "female"
        else:
            answers[key] = str(generator._pick(rng, weights))
    return answers


def _insert_enquiries(enquiries: list[Enquiry], rng: random.Random, when) -> int:
    for enquiry in enquiries:
        enquiry.full_clean(exclude=["household"], validate_unique=False)
    Enquiry.objects.bulk_create(enquiries, batch_size=1000)
    # received_at is set on insert (auto_now_add): the day each family enquired goes in afterwards.
    for enquiry in enquiries:
        enquiry.received_at = _at(enquiry.household.enquiry_on, rng)
    Enquiry.objects.bulk_update(enquiries, ["received_at"], batch_size=1000)
    return len(enquiries)


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 21), rng.randint(0, 59))))


def _preparation_groups(agency: Agency, rng: random.Random, as_of: date, when, assessors: list[User]):
    """A group over two Saturdays about every two months for two years, and some to come. Households
    that were in Stage 1 then attended (a few missed it); today's Stage 1 households have booked
    some places on the next groups, leaving the rest free."""
    base = agency.bases.order_by("pk").first()
    groups = []
    start = as_of - timedelta(days=365 * YEARS)
    while start < as_of + timedelta(days=150):
        starts = start + timedelta(days=(5 - start.weekday()) % 7)  # a Saturday
        place = rng.choice(GROUP_PLACES).format(base=base.name if base else agency.name)
        groups.append(
            PreparationGroup(
                agency=agency,
                starts_on=starts,
                ends_on=starts + timedelta(days=7),
                place=place,
                capacity=rng.choice((8, 10, 12)),
            )
        )
        start += timedelta(days=rng.randint(50, 70))
    for group in groups:
        group.full_clean(exclude=["agency"])
    groups = bulk_create_with_history(PreparationGroup, groups, when, by=assessors[0] if assessors else None)
    in_stage_one = list(
        Household.objects.filter(agency=agency, stage1_started_on__isnull=False)
        .exclude(stage1_started_on__gt=as_of)
        .values_list("pk", "stage1_started_on", "stage1_ended_on")
        .order_by("pk")
    )
    places, booked = [], set()
    for group in groups:
        past = group.starts_on <= as_of
        until = group.starts_on if past else as_of
        chosen = [
            pk
            for pk, began, ended in in_stage_one
            if pk not in booked and began is not None and began <= group.starts_on and (ended or as_of) >= until
        ][: group.capacity if past else group.capacity // 2]
        for pk in chosen:
            booked.add(pk)
            places.append(
                PreparationPlace(group=group, household_id=pk, attended=(rng.random() < 0.92) if past else None)
            )
    places = bulk_create_with_history(PreparationPlace, places, when)
    return len(groups), len(places)


def _demo_household(agency: Agency, as_of: date) -> tuple[Household | None, list[str]]:
    """The approved, waiting household with the most waiting units it is a candidate for, and those."""
    found = _candidates(agency, as_of)
    best = max(found.items(), key=lambda item: (len(item[1]), -item[0]), default=None)
    return (Household.objects.get(pk=best[0]), best[1]) if best else (None, [])


def _candidates(agency: Agency, as_of: date) -> dict[int, list[str]]:
    """For each approved household of the agency, the waiting units it is a candidate for."""
    ctx = context_for(agency, as_of)
    children = adapters.seeking_children(Child.objects.unsealed().filter(agency=agency))
    units, _ = adapters.units(children, as_of)
    found: dict[int, list[str]] = defaultdict(list)
    for unit in units:
        for candidate in engine.shortlist(unit, ctx.pool, ctx.weights, ctx.settings, limit=50).candidates:
            pk = int(candidate.household_id.removeprefix("H-"))
            found[pk].append(unit.id)
    own = set(
        Household.objects.filter(agency=agency, stage=HouseholdStage.APPROVED_WAITING, pk__in=found).values_list(
            "pk", flat=True
        )
    )
    return {pk: units for pk, units in found.items() if pk in own}


def _profiles(agency: Agency, rng: random.Random, as_of: date, wanted: set[str]) -> int:
    """Profiles of some waiting units (all those the demo adopter is a candidate for), each agreed by a
    social worker of the child's responsible council; a unit with no such worker is not published."""
    children = list(
        adapters.seeking_children(Child.objects.unsealed().filter(agency=agency)).select_related("sibling_group")
    )
    agreeing: dict[int | None, User] = {}
    for user in User.objects.holding(Role.SOCIAL_WORKER).filter(agency=agency, is_active=True).order_by("username"):
        agreeing.setdefault(user.employing_council_id, user)
    by_unit: dict[str, list[Child]] = defaultdict(list)
    for child in children:
        by_unit[adapters.child_unit_id(child)].append(child)
    chosen = [unit for unit in by_unit if unit in wanted or rng.random() < 0.3]
    made = 0
    for unit in chosen:
        members = by_unit[unit]
        child = members[0]
        if child.responsible_council_id not in agreeing:
            continue
        # Within the last four months, and not before the child could be placed.
        ready = child.placement_order_on or child.should_be_placed_on or as_of - timedelta(days=120)
        published = max(ready, as_of - timedelta(days=rng.randint(1, 120)))
        profile = PublishedProfile(
            child=child,
            unit_reference=unit,
            code=escalation.profile_code(unit),
            summary=_summary(members, as_of, rng),
            agreed_by=agreeing[child.responsible_council_id],
            agreed_for_id=child.responsible_council_id,
            published_on=min(published, as_of),
        )
        profile.full_clean(exclude=["child", "agreed_by", "agreed_for"])
        bulk_create_with_history(PublishedProfile, [profile], _at(profile.published_on, rng), by=profile.agreed_by)
        made += 1
    return made


TRAITS = (
    "loves being outdoors and splashing in puddles",
    "is curious and chatty, and likes stories at bedtime",
    "enjoys music and dancing",
    "is gentle and a little shy with new people at first",
    "likes building things and taking them apart",
)


def _summary(members: list[Child], as_of: date, rng: random.Random) -> str:
    """No name, place or birth family detail: ages, and what the family should know."""
    ages = sorted(age_in_years(c.date_of_birth, as_of) for c in members)
    if len(members) == 1:
        child = members[0]
        who = {"1": "boy", "2": "girl"}.get(child.sex, "child")
        first = f"A {who} of {ages[0]}" if ages[0] else f"A baby {who}"
        return f"{first} who {rng.choice(TRAITS)}. Needs a family who can keep up contact by letter once a year."
    listed = ", ".join(str(a) for a in ages[:-1]) + f" and {ages[-1]}"
    return (
        f"{len(members)} brothers and sisters aged {listed}, who need to stay together. The eldest "
        f"{rng.choice(TRAITS)}. They need a family with time and patience for each of them."
    )


def _messages_and_documents(accounts: list[AdopterAccount], rng: random.Random, as_of: date, when, assessors):
    if not assessors:
        return 0, 0
    messages, requests = [], []
    for account in accounts:
        household = account.household
        worker = household.allocated_workers.order_by("pk").first() or assessors[0]
        start = as_of - timedelta(days=rng.randint(10, 40))
        for number, (side, text) in enumerate(MESSAGES):
            message = Message(
                household=household,
                from_family=account if side == "family" else None,
                from_staff=worker if side == "staff" else None,
                text=text,
            )
            message.full_clean(exclude=["household", "from_family", "from_staff"])
            message.sent_on = _at(start + timedelta(days=3 * number), rng)  # type: ignore[attr-defined]
            messages.append(message)
        title, explanation = rng.choice(DOCUMENTS)
        request = DocumentRequest(
            household=household,
            title=title,
            explanation=explanation,
            due_on=as_of + timedelta(days=14),
            requested_by=worker,
        )
        request.full_clean(exclude=["household", "requested_by"])
        requests.append(request)
    Message.objects.bulk_create(messages)
    for message in messages:  # sent_at is set on insert (auto_now_add)
        message.sent_at = message.sent_on  # type: ignore[attr-defined]
    Message.objects.bulk_update(messages, ["sent_at"])
    bulk_create_with_history(DocumentRequest, requests, when)
    return len(messages), len(requests)
