"""Reading adoption allowances for the pages: each council's policy in force, families receiving,
reviews due, and spend against its allowance budget for a year (support/allowances.py decides)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max

from openraa.common.years import FinancialYear
from openraa.support import allowances
from openraa.support.models import Allowance, AllowanceBudget, AllowancePayment, AllowancePolicy


@dataclass(frozen=True)
class CouncilAllowances:
    council: object
    policy: AllowancePolicy | None
    receiving: int
    reviews_overdue: int
    spend: allowances.Spend


def policy_in_force(policies: list[AllowancePolicy], council_id: int, day: date) -> AllowancePolicy | None:
    return max(
        (p for p in policies if p.council_id == council_id and p.in_force_from <= day),
        key=lambda p: p.in_force_from,
        default=None,
    )


def with_review_dates(queryset):
    return queryset.annotate(last_reviewed_on=Max("reviews__reviewed_on"))


def review_months(policies: list[AllowancePolicy], allowance: Allowance, day: date) -> int:
    policy = policy_in_force(policies, allowance.council_id, day)
    return policy.review_every_months if policy else 12


def by_council(agency, councils, year: FinancialYear, today: date, allowance_rows=None) -> list[CouncilAllowances]:
    """One row per council: its policy in force today, families receiving today, reviews overdue and
    the year's spend against its budget. `allowance_rows`: the allowances the reader may see (all
    of the agency's by default)."""
    policies = list(AllowancePolicy.objects.filter(agency=agency))
    rows = list(
        with_review_dates(allowance_rows if allowance_rows is not None else Allowance.objects.filter(agency=agency))
    )
    budgets = {b.council_id: b.amount for b in AllowanceBudget.objects.filter(agency=agency, start_year=year.start)}
    payments: dict[int, list[tuple[date, Decimal]]] = {}
    for council_id, paid_on, amount in AllowancePayment.objects.filter(
        allowance__agency=agency, paid_on__range=(year.starts_on, year.ends_on)
    ).values_list("allowance__council_id", "paid_on", "amount"):
        payments.setdefault(council_id, []).append((paid_on, amount))
    result = []
    for council in councils:
        mine = [a for a in rows if a.council_id == council.pk]
        result.append(
            CouncilAllowances(
                council=council,
                policy=policy_in_force(policies, council.pk, today),
                receiving=sum(allowances.receiving_on(a.starts_on, a.ends_on, today) for a in mine),
                reviews_overdue=sum(
                    allowances.review_overdue(
                        a.starts_on, a.last_reviewed_on, review_months(policies, a, today), today, a.ends_on
                    )
                    for a in mine
                ),
                spend=allowances.spend(
                    budgets.get(council.pk), payments.get(council.pk, []), year.starts_on, year.ends_on
                ),
            )
        )
    return result
