"""Writing adoption allowance records: one transaction each, the history row under the user (`by`);
a refusal is a ValidationError whose messages say what to do. Nothing else writes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openraa.common.years import FinancialYear
from openraa.support import allowances
from openraa.support.models import Allowance, AllowanceBudget, AllowancePayment, AllowancePolicy, AllowanceReview


def _saved(record, by):
    record.full_clean()
    record._history_user = by
    record.save()
    return record


def _member(agency, council) -> None:
    if not agency.memberships.filter(council=council).exists():
        raise ValidationError({"council": "Choose one of the agency's councils"})


@transaction.atomic
def save_policy(policy: AllowancePolicy, *, by) -> AllowancePolicy:
    """A council's allowance policy from its date; the one before stays on record."""
    _member(policy.agency, policy.council)
    return _saved(policy, by)


@transaction.atomic
def set_budget(agency, council, year: FinancialYear, amount: Decimal, *, by) -> AllowanceBudget:
    _member(agency, council)
    record = (
        AllowanceBudget.objects.select_for_update()
        .filter(agency=agency, council=council, start_year=year.start)
        .first()
    )
    record = record or AllowanceBudget(agency=agency, council=council, start_year=year.start)
    record.amount = amount
    return _saved(record, by)


@transaction.atomic
def start_allowance(allowance: Allowance, *, by) -> Allowance:
    _member(allowance.agency, allowance.council)
    return _saved(allowance, by)


@transaction.atomic
def review_allowance(review: AllowanceReview, *, by) -> AllowanceReview:
    """A review after the last (or the start): the allowance's amount from then on is the review's."""
    allowance = Allowance.objects.select_for_update().get(pk=review.allowance_id)
    last = allowance.reviews.order_by("-reviewed_on").first()
    earliest = last.reviewed_on if last else allowance.starts_on
    if review.reviewed_on < earliest:
        raise ValidationError({"reviewed_on": f"Give {earliest:%d/%m/%Y} or later: reviews follow one another"})
    if allowance.ends_on is not None and review.reviewed_on > allowance.ends_on:
        raise ValidationError({"reviewed_on": f"The allowance ended on {allowance.ends_on:%d/%m/%Y}"})
    _saved(review, by)
    allowance.yearly_amount = review.yearly_amount
    _saved(allowance, by)
    return review


@transaction.atomic
def end_allowance(allowance: Allowance, ends_on: date, *, by) -> Allowance:
    allowance = Allowance.objects.select_for_update().get(pk=allowance.pk)
    if allowance.ends_on is not None:
        raise ValidationError({"ends_on": f"It already ended on {allowance.ends_on:%d/%m/%Y}"})
    if ends_on < allowance.starts_on:
        raise ValidationError({"ends_on": f"The allowance began on {allowance.starts_on:%d/%m/%Y}: give a later day"})
    paid_later = allowance.payments.filter(paid_on__gt=ends_on).order_by("-paid_on").first()
    if paid_later is not None:
        raise ValidationError(
            {"ends_on": f"A payment was made on {paid_later.paid_on:%d/%m/%Y}: give that day or later"}
        )
    allowance.ends_on = ends_on
    return _saved(allowance, by)


@transaction.atomic
def record_payment(payment: AllowancePayment, *, by, today: date | None = None) -> AllowancePayment:
    allowance = Allowance.objects.select_for_update().get(pk=payment.allowance_id)
    problems = allowances.payment_problems(
        allowance.starts_on, allowance.ends_on, payment.paid_on, payment.amount, today or timezone.localdate()
    )
    if problems:
        raise ValidationError(problems)
    return _saved(payment, by)
