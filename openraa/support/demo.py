"""Synthetic adoption support for a demo agency: each member council's support budget for this
year and last, and requests at every stage, with services commissioned under the agreed plans.
Every record goes through the services, so each history is one the state machine accepts and each
Support Fund application is checked against the fair-access limit."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from openraa.children.models import Child
from openraa.common.workdays import add_months
from openraa.common.years import FinancialYear
from openraa.households.models import Household
from openraa.support import allowance_services, domain, services
from openraa.support.models import (
    Allowance,
    AllowancePayment,
    AllowancePolicy,
    AllowanceReview,
    CommissionedService,
    SupportCase,
)

FIRST_NAMES = ("Robin", "Sam", "Alex", "Jo", "Kit", "Lee", "Morgan", "Ash", "Ray", "Drew")
LAST_NAMES = ("Testwood", "Demoford", "Samplebury", "Fakeley", "Mockton")
PROVIDERS = ("Attach Family Therapy CIC", "Demo Play Therapy Ltd", "Sample Schools Support", "Peer Families Network")
REQUESTS = {
    "therapeutic": "Therapeutic parenting support and help with the child's early trauma",
    "financial": "Help with the costs of a larger home for a sibling group",
    "contact": "Support with letterbox contact with the birth family",
    "education": "Advice to the school on the child's needs in class",
    "peer_support": "Meeting other adoptive families nearby",
    "other": "Access to birth records and counselling",
}
CASES_PER_COUNCIL = 6


def load_support_cases(agency, rng: random.Random) -> None:
    today = timezone.localdate()
    this_year = FinancialYear.containing(today)
    councils = list(agency.member_councils().order_by("name"))
    for council in councils:
        for year in (this_year - 1, this_year):
            services.set_budget(agency, council, year, Decimal(rng.randrange(40, 160) * 1000), by=None)
    # Cases name children placed for adoption and not yet adopted: an adopted child's record is sealed
    # and takes no new record (children.apps); after the order a case names the adoptive household.
    adopted = list(Child.objects.unsealed().filter(agency=agency, placed_on__isnull=False).order_by("id")[:200])
    households = list(Household.objects.filter(agency=agency, approved_on__isnull=False).order_by("id")[:200])
    for council in councils:
        for _ in range(CASES_PER_COUNCIL):
            _case(agency, council, rng, today, adopted, households)


def _case(agency, council, rng: random.Random, today: date, adopted: list, households: list) -> None:
    requester = rng.choices(list(domain.REQUESTERS), weights=(6, 2, 1, 2))[0]
    allowed = sorted(domain.ALLOWED_CATEGORIES[requester])
    categories = rng.sample(allowed, rng.randint(1, 2))
    child = rng.choice(adopted) if adopted and requester == "adoptive_family" else None
    household = rng.choice(households) if households and requester == "adoptive_family" and rng.random() < 0.5 else None
    received = today - timedelta(days=rng.randint(5, 720))
    case = services.open_case(
        SupportCase(
            agency=agency,
            responsible_council=council,
            requester=requester,
            child=child,
            household=household,
            requester_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            categories=categories,
            request=REQUESTS[categories[0]],
        ),
        received,
        by=None,
    )
    day = received
    for kind, gap, details in (
        ("assessment_started", (2, 16), {}),
        ("assessment_completed", (20, 110), {"assessment_outcome": "needed" if rng.random() < 0.85 else "not_needed"}),
        ("plan_agreed", (5, 40), {}),
        ("services_commissioned", (3, 20), {}),
    ):
        day += timedelta(days=rng.randint(*gap))
        case.refresh_from_db()
        if day > today or kind not in {s.kind for s in domain.JOURNEY.allowed_from(case.stage)}:
            break
        if kind == "services_commissioned":
            _commission(case, day, rng, categories)
        services.record_step(case, kind, day, by=None, details=details)
    case.refresh_from_db()
    # Plans are reviewed every year, most on time: the few late ones are what the list should show.
    review = day + timedelta(days=rng.randint(330, 400))
    while case.stage == domain.Stage.SUPPORTED and review <= today:
        services.record_step(case, "reviewed", review, by=None)
        review += timedelta(days=rng.randint(330, 400))
    if case.stage == domain.Stage.NOT_NEEDED:
        services.record_step(
            case, "closed", min(day + timedelta(days=7), today), by=None, details={"closed_reason": "not_needed"}
        )


def _commission(case: SupportCase, day: date, rng: random.Random, categories: list[str]) -> None:
    """Therapy for a linked child is applied for from the Support Fund first; a refusal (the child's
    limit for the year reached) falls back to the council's budget, as a worker would."""
    kind = rng.choice(categories)
    values = {
        "provider": rng.choice(PROVIDERS),
        "kind": kind,
        "starts_on": day,
        "ends_on": day + timedelta(weeks=rng.randint(8, 40)),
        "cost": Decimal(rng.randrange(30000, 600000)) / 100,
    }
    if case.child_id and kind == "therapeutic":
        values["cost"] = min(values["cost"], Decimal("2500.00"))
        try:
            accepted, _ = services.apply_to_fund(
                case, CommissionedService(**values), fund_kind="therapy", applied_on=day, by=None
            )
        except ValidationError:
            accepted = None
        if accepted is not None:
            return
    services.add_service(case, CommissionedService(**values, funded_by="council_budget"), by=None)


def load_allowances(agency, rng: random.Random) -> None:
    """Adoption allowances for Adoption in Merseyside, shaped by Sefton's 2018 paper: each council
    keeps its own policy and budget, and Sefton's allowances overspent "by approximately £40,000
    p.a." (last year here). Families, amounts and payments are synthetic; paid monthly."""
    today = timezone.localdate()
    this_year = FinancialYear.containing(today)
    last_year = this_year - 1
    for council in agency.member_councils().order_by("name"):
        allowance_services.save_policy(
            AllowancePolicy(
                agency=agency,
                council=council,
                title=f"{council.name} adoption allowance policy",
                in_force_from=date(2018, 4, 1),
                means_tested=True,
                review_every_months=12,
                summary="Kept by the council, not pooled in the agency (each authority separately, 2018)",
            ),
            by=None,
        )
        families = Household.objects.filter(agency=agency, home_council=council, approved_on__isnull=False)
        paid_last_year = Decimal("0.00")
        for household in families.order_by("id")[:10]:
            yearly = Decimal(rng.randrange(50, 120) * 100)
            starts_on = last_year.starts_on - timedelta(days=rng.randint(30, 700))
            allowance = allowance_services.start_allowance(
                Allowance(
                    agency=agency, council=council, household=household, starts_on=starts_on, yearly_amount=yearly
                ),
                by=None,
            )
            # Reviewed on the last anniversary of its start (annual review): the register is current.
            reviewed = date(today.year, starts_on.month, min(starts_on.day, 28))
            if reviewed > today:
                reviewed = date(today.year - 1, starts_on.month, min(starts_on.day, 28))
            if reviewed > starts_on:
                allowance_services.review_allowance(
                    AllowanceReview(allowance=allowance, reviewed_on=reviewed, yearly_amount=yearly, note="Continued"),
                    by=None,
                )
            day = last_year.starts_on
            while day <= today:
                payment = allowance_services.record_payment(
                    AllowancePayment(allowance=allowance, paid_on=day, amount=(yearly / 12).quantize(Decimal("0.01"))),
                    by=None,
                )
                if day <= last_year.ends_on:
                    paid_last_year += payment.amount
                day = add_months(day, 1)
        # Sefton's allowances overspent by about £40,000 a year; the others kept to their budgets.
        over = Decimal("40000.00") if council.name == "Sefton" else -Decimal(rng.randrange(2, 8) * 1000)
        allowance_services.set_budget(agency, council, last_year, max(paid_last_year - over, Decimal("0")), by=None)
        allowance_services.set_budget(
            agency, council, this_year, (paid_last_year * Decimal("1.02")).quantize(Decimal("1")), by=None
        )
