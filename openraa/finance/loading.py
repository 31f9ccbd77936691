"""Loading the finance fixtures: the national fee tables and fair-access limits (dated rows), and a
council paper's budget table (the Bexley, Kent and Medway 2019-20 budget).

The fixtures are plain JSON documents in fixtures/ (not Django's loaddata format: councils are
named by ONS code and agencies by code, so the files do not depend on database keys)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from openraa.common.years import FinancialYear as Period
from openraa.finance import services
from openraa.finance.models import (
    BudgetLine,
    Contribution,
    Cost,
    FinancialYear,
    FundingFormula,
    Grant,
    Recharge,
    SetUpCost,
    SetUpShare,
    SharingRule,
    StatedTotal,
    SupportFundIncome,
)
from openraa.finance.money import money, thousands
from openraa.partnership.models import Agency, Council

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE_TABLES = FIXTURES / "fee_rates.json"
BKM_BUDGET = FIXTURES / "bkm_budget_2019-20.json"
BKM_YEAR_ONE = FIXTURES / "bkm_year1_2020-21.json"
SET_UP_AND_GRANTS = FIXTURES / "set_up_costs_and_grants.json"


class LoadError(Exception):
    pass


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _amount(text: str | None) -> Decimal | None:
    return None if text is None else money(text)


def load_reference_tables(fee_rate_model, limit_model, path: Path = REFERENCE_TABLES) -> tuple[int, int]:
    """Add the national fee rates and fair-access limits the file holds and the database lacks, and
    correct those whose figures changed. Takes the model classes so that a migration can pass its
    historical models. Returns (rows added, rows corrected)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    added = corrected = 0
    for row in document["fee_rates"]:
        values = {
            "amount": money(row["amount"]),
            "effective_to": _date(row.get("effective_to")),
            "london_weighting_percent": Decimal(row.get("london_weighting_percent") or "0"),
            "payable": row.get("payable") or "In full at the point of placement",
            "source": row.get("source", ""),
        }
        existing = fee_rate_model.objects.filter(
            agency__isnull=True, kind=row["kind"], children=row["children"], effective_from=_date(row["effective_from"])
        ).first()
        if existing is None:
            fee_rate_model.objects.create(
                kind=row["kind"], children=row["children"], effective_from=_date(row["effective_from"]), **values
            )
            added += 1
        elif any(getattr(existing, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(existing, k, v)
            existing.save()
            corrected += 1
    for row in document["fair_access_limits"]:
        values = {
            "total": _amount(row.get("total")),
            "therapy": _amount(row.get("therapy")),
            "assessment": money(row["assessment"]),
            "source": row.get("source", ""),
        }
        existing = limit_model.objects.filter(effective_from=_date(row["effective_from"])).first()
        if existing is None:
            limit_model.objects.create(effective_from=_date(row["effective_from"]), **values)
            added += 1
        elif any(getattr(existing, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(existing, k, v)
            existing.save()
            corrected += 1
    return added, corrected


@dataclass(frozen=True)
class Loaded:
    year: object | None
    message: str
    created: bool


def read_budget_paper(path: Path = BKM_BUDGET) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@transaction.atomic
def load_budget_paper(path: Path = BKM_BUDGET, agency_code: str | None = None) -> Loaded:
    """Create the agency's financial year from a council paper's table: its lines and each council's
    contribution exactly as printed, the totals it printed, its sharing rule and the formulas it
    proposes. A year already loaded is left alone."""
    document = read_budget_paper(path)
    code = agency_code or document["agency"]
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise LoadError(f"No agency with the code {code!r}: load it first (openraa demo_region --all)")
    start_year = int(document["year"])
    if FinancialYear.objects.filter(agency=agency, start_year=start_year).exists():
        return Loaded(None, f"{agency.name} {Period(start_year).label} is already loaded: skipped.", False)
    councils = {c.ons_code: c for c in Council.objects.filter(ons_code__in=document["councils"])}
    missing = sorted(set(document["councils"]) - set(councils))
    if missing:
        raise LoadError(f"Unknown council: {', '.join(missing)}")
    not_members = [c.name for c in councils.values() if not c.memberships.filter(agency=agency).exists()]
    if not_members:
        raise LoadError(f"Not a member of {agency.name}: {', '.join(not_members)}")

    def value(text: str) -> Decimal:
        return thousands(Decimal(text)) if document.get("unit") == "thousands" else money(text)

    rounded_to = _amount(document.get("rounded_to"))
    source = document.get("source", "")
    year = FinancialYear(
        agency=agency,
        start_year=start_year,
        note="\n\n".join(part for part in (source, document.get("note", "")) if part),
    )
    year.full_clean()
    year.save()
    for position, spec in enumerate(document["lines"], start=1):
        line = BudgetLine(year=year, name=spec["name"], part=spec["part"], position=position)
        line.full_clean()
        line.save()
        for ons, amount in spec["contributions"].items():
            contribution = Contribution(line=line, council=councils[ons], amount=value(amount))
            contribution.full_clean()
            contribution.save()
        if spec.get("stated_total") is not None:
            StatedTotal.objects.create(
                year=year, line=line, amount=value(spec["stated_total"]), rounded_to=rounded_to, source=source
            )
    for ons, amount in (document.get("council_totals") or {}).items():
        StatedTotal.objects.create(
            year=year, council=councils[ons], amount=value(amount), rounded_to=rounded_to, source=source
        )
    if document.get("total") is not None:
        StatedTotal.objects.create(year=year, amount=value(document["total"]), rounded_to=rounded_to, source=source)
    if document.get("sharing_rule"):
        rule = SharingRule(
            year=year,
            rule=document["sharing_rule"]["rule"],
            measure=document["sharing_rule"].get("measure", ""),
            agreement=document["sharing_rule"].get("agreement", ""),
        )
        rule.full_clean()
        rule.save()
    for spec in document.get("formulas", []):
        if FundingFormula.objects.filter(agency=agency, name=spec["name"]).exists():
            continue
        formula = FundingFormula(
            agency=agency,
            name=spec["name"],
            years_averaged=spec.get("years_averaged", 3),
            cap_percent=None if spec.get("cap_percent") is None else Decimal(spec["cap_percent"]),
            transition_first_year=spec.get("transition_first_year"),
            transition_years=spec.get("transition_years", 1),
            **{f"weight_{m}": Decimal(w) for m, w in spec["weights"].items()},
        )
        formula.full_clean()
        formula.save()
    return Loaded(
        year,
        f"Loaded {agency.name} {year.label}: {len(document['lines'])} budget lines, "
        f"{sum(len(s['contributions']) for s in document['lines'])} contributions.",
        True,
    )


@transaction.atomic
def load_year_one(path: Path = BKM_YEAR_ONE, agency_code: str | None = None) -> Loaded:
    """Roll the base year forward into the next (services.roll_forward), record each council's pay
    award and add the lines the base year did not have (the interagency budget). A year already
    loaded is left alone."""
    document = json.loads(path.read_text(encoding="utf-8"))
    code = agency_code or document["agency"]
    base = FinancialYear.objects.filter(agency__code=code, start_year=int(document["base_year"])).first()
    if base is None:
        raise LoadError(
            f"{code} has no {Period(int(document['base_year'])).label} budget to roll forward: load it first"
        )
    if FinancialYear.objects.filter(agency=base.agency, start_year=int(document["year"])).exists():
        return Loaded(
            None, f"{base.agency.name} {Period(int(document['year'])).label} is already loaded: skipped.", False
        )
    year, _ = services.roll_forward(base, note=document.get("note", ""))
    councils = {c.ons_code: c for c in Council.objects.filter(memberships__agency=base.agency)}
    for ons, award in document.get("pay_awards", {}).items():
        services.set_pay_award(
            year,
            councils[ons],
            percent=None if award.get("percent") is None else Decimal(award["percent"]),
            amount=_amount(award.get("amount")),
            source=award.get("source", ""),
        )
    position = year.lines.count()
    for spec in document.get("lines", []):
        position += 1
        line = services.add_line(
            BudgetLine(
                year=year, name=spec["name"], part=spec["part"], position=position, purpose=spec.get("purpose", "")
            )
        )
        for ons, amount in spec["contributions"].items():
            services.set_contribution(line, councils[ons], money(amount))
    if not SharingRule.objects.filter(year=year).exists():
        rule = SharingRule.objects.filter(year=base).first()
        if rule:
            services.save(SharingRule(year=year, rule=rule.rule, measure=rule.measure, agreement=rule.agreement))
    return Loaded(
        year, f"Loaded {base.agency.name} {year.label}: {base.label} rolled forward with the pay award.", True
    )


@transaction.atomic
def load_set_up_and_grants(agency: Agency, path: Path = SET_UP_AND_GRANTS) -> str:
    """The agency's set-up costs and grants from the papers' fixture; an agency that has any already
    is left alone."""
    document = json.loads(path.read_text(encoding="utf-8"))
    if SetUpCost.objects.filter(agency=agency).exists() or Grant.objects.filter(agency=agency).exists():
        return f"{agency.name} already has set-up costs or grants: skipped."
    made = 0
    for spec in (s for s in document["set_up_costs"] if s["agency"] == agency.code):
        cost = services.save(
            SetUpCost(
                agency=agency,
                description=spec["description"],
                first_year=spec["first_year"],
                years=spec.get("years", 2),
                total_a_year=money(spec["total_a_year"]),
                source=spec.get("source", "")[:300],
            )
        )
        for ons, amount in spec.get("shares", {}).items():
            services.save(SetUpShare(cost=cost, council=Council.objects.get(ons_code=ons), amount=money(amount)))
        made += 1
    for spec in (g for g in document["grants"] if g["agency"] == agency.code):
        services.save(
            Grant(
                agency=agency,
                kind=spec["kind"],
                amount=money(spec["amount"]),
                spent=money(spec.get("spent", "0")),
                awarded_on=date.fromisoformat(spec["awarded_on"]),
                available_until=_date(spec.get("available_until")),
                conditions=spec.get("conditions", ""),
                clawback=spec.get("clawback", ""),
                source=spec.get("source", "")[:300],
            )
        )
        made += 1
    return f"{made} set-up costs and grants for {agency.name}."


@transaction.atomic
def load_demo_actuals(year, seed: int = 2016, months: int = 12) -> str:
    """Synthetic actuals for the demo: each council's quarterly staffing recharges (about 70% of its
    pooled contribution), monthly non-staff costs, each council's adoption support costs, a
    commitment and some Adoption Support Fund costs with their income. Marked as synthetic."""
    if year.before_the_agency:
        # Kent 2020: the 2019-20 table is each council's budget to be transferred in year 1; the
        # agency did not exist to spend it.
        return f"{year} ended before the agency began: its budgets are transferred, no actuals."
    if Recharge.objects.filter(year=year).exists() or Cost.objects.filter(year=year).exists():
        return f"{year} already has actuals: skipped."
    rng = random.Random(f"openraa-finance-demo:{seed}:{year.agency.code}:{year.start_year}")

    def around(amount: Decimal, spread: int = 6) -> Decimal:
        pennies = int(amount * 100) * rng.randint(100 - spread, 100 + spread) // 100
        return Decimal(pennies) / 100

    # The interagency line is spent by the fee ledger (services.record_external_placement), never
    # by synthetic staffing or running costs.
    lines = list(year.lines.exclude(purpose=BudgetLine.Purpose.INTERAGENCY))
    pooled = next((line for line in lines if line.pooled), None)
    contributions = list(
        Contribution.objects.filter(line__year=year)
        .exclude(line__purpose=BudgetLine.Purpose.INTERAGENCY)
        .select_related("line", "council")
    )
    made = 0
    for quarter in range(1, months // 3 + 1):
        for c in contributions:
            if c.line.pooled:
                Recharge.objects.create(
                    year=year,
                    council=c.council,
                    quarter=quarter,
                    line=c.line,
                    amount=around(c.amount * Decimal("0.70") / 4),
                    source="synthetic demo",
                )
                made += 1
    for month in range(1, months + 1):
        day = year.period.month_end(month)
        if pooled is not None:
            budget = sum((c.amount for c in contributions if c.line_id == pooled.pk), Decimal(0))
            Cost.objects.create(
                year=year,
                line=pooled,
                incurred_on=day,
                amount=around(budget * Decimal("0.30") / 12, 15),
                description="Adopter recruitment, panels and running costs (synthetic demo)",
            )
            made += 1
        for c in contributions:
            if not c.line.pooled:
                Cost.objects.create(
                    year=year,
                    line=c.line,
                    council=c.council,
                    incurred_on=day,
                    amount=around(c.amount / 12, 20),
                    description="Commissioned adoption support (synthetic demo)",
                )
                asf = Decimal(rng.randint(150_000, 900_000)) / 100
                Cost.objects.create(
                    year=year,
                    line=c.line,
                    council=c.council,
                    incurred_on=day,
                    amount=asf,
                    asf_funded=True,
                    description="Therapy funded by the support fund (synthetic demo)",
                )
                if month < months or months == 12:
                    SupportFundIncome.objects.create(
                        year=year,
                        council=c.council,
                        received_on=day,
                        amount=asf,
                        description="Support fund claim (synthetic demo)",
                    )
                made += 3
    if pooled is not None and months < 12:
        Cost.objects.create(
            year=year,
            line=pooled,
            incurred_on=year.period.month_end(months),
            amount=Decimal("45000.00"),
            status=Cost.Status.COMMITTED,
            description="Adopter recruitment campaign, contract signed (synthetic demo)",
        )
        made += 1
    return f"{made} synthetic recharges, costs and income rows for {year}."
