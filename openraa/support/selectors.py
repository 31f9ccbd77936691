"""Reading adoption support records, always through the policy."""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from openraa.common.years import FinancialYear
from openraa.finance.money import ZERO
from openraa.finance.selectors import support_budgets_held
from openraa.people import policy
from openraa.support import budget, counts
from openraa.support.models import (
    CommissionedService,
    LetterboxAgreement,
    LetterboxExchange,
    SupportBudget,
    SupportCase,
    support_targets_for,
)


def cases_for(user, action: str = "view") -> QuerySet:
    return policy.restrict(SupportCase.objects.all(), user, "support", action).select_related(
        "responsible_council", "child", "household"
    )


def letterbox_for(user, action: str = "view") -> QuerySet:
    return policy.restrict(LetterboxAgreement.objects.all(), user, "support", action).select_related(
        "responsible_council", "child", "household"
    )


def budget_positions(user, year: FinancialYear) -> list[tuple[object, budget.Position]]:
    """(council, position) for each council the user may see, in name order."""
    councils = list(policy.councils_for(user, "support", "view").order_by("name"))
    ids = [c.pk for c in councils]
    held = support_budgets_held(user.agency, year.start)
    if held is not None:  # finance holds the year's adoption support budgets: the one figure
        amounts = {k: v for k, v in held[1].items() if k in ids}
    else:
        amounts = {
            b.council_id: b.amount
            for b in SupportBudget.objects.filter(agency=user.agency, start_year=year.start, council_id__in=ids)
        }
    services = CommissionedService.objects.filter(
        case__agency=user.agency,
        case__responsible_council_id__in=ids,
        funded_by=budget.COUNCIL_BUDGET,
        starts_on__gte=year.starts_on,
        starts_on__lte=year.ends_on,
    ).values_list("case__responsible_council_id", "funded_by", "cost", "starts_on")
    by_id = {p.council: p for p in budget.positions(year, amounts, [budget.ServiceCost(*row) for row in services])}
    return [(c, by_id.get(c.pk, budget.Position(c.pk, amounts.get(c.pk, ZERO), ZERO))) for c in councils]


def support_return(user, start: date, end: date) -> tuple[list, counts.Return]:
    councils = list(policy.councils_for(user, "support", "view").order_by("name"))
    facts = [
        counts.CaseFacts(*row)
        for row in cases_for(user)
        .filter(received_on__lte=end)
        .values_list("responsible_council_id", "received_on", "assessment_completed_on", "plan_agreed_on", "closed_on")
    ]
    return councils, counts.counts(
        facts, start, end, support_targets_for(user.agency), councils=[c.pk for c in councils]
    )


def exchanges_for(user, action: str = "view") -> QuerySet:
    return policy.restrict(LetterboxExchange.objects.all(), user, "support", action).select_related(
        "agreement", "agreement__responsible_council", "checked_by"
    )


def overdue_exchanges(user, today: date | None = None) -> QuerySet:
    """The letters the user may see (the support grant, through the policy) that were not received
    by their due date, under agreements still active: the reminders a caseload page lists, oldest first."""
    today = today or timezone.localdate()
    return (
        exchanges_for(user)
        .filter(received_on__isnull=True, due_on__lt=today, agreement__status="active")
        .order_by("due_on", "id")
    )
