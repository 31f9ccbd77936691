"""Writing adoption support records: one transaction each. Steps are checked by the case's state
machine against the whole dated history; the case's dates are then rewritten from the projection.
Applications to the Support Fund go through the finance service and its fair-access limits."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from openraa.common.history import save_by
from openraa.common.machine import WITHDRAWN, StepRefused, replay
from openraa.common.years import FinancialYear
from openraa.finance import services as finance
from openraa.finance import support_fund
from openraa.finance.selectors import support_budgets_held
from openraa.journeys.models import IMPORTED
from openraa.journeys.services import clean_details, replay_with
from openraa.permanence import phases
from openraa.permanence.models import switches_for
from openraa.support import budget, domain, letterbox
from openraa.support.models import (
    AgencySupportTargets,
    CommissionedService,
    LetterboxAgreement,
    LetterboxExchange,
    SupportBudget,
    SupportCase,
    SupportStep,
)


def _save(instance, by):
    instance._history_user = by
    instance.full_clean()
    instance.save()
    return instance


def _link_errors(record: SupportCase | LetterboxAgreement) -> dict[str, str]:
    """A support case's or letterbox agreement's council, child and household must be the agency's."""
    errors = {}
    if not record.agency.member_councils().filter(pk=record.responsible_council_id).exists():
        errors["responsible_council"] = "Choose a member council of the agency"
    if record.child_id and record.child.agency_id != record.agency_id:
        errors["child"] = "Choose a child of this agency"
    if record.household_id and record.household.agency_id != record.agency_id:
        errors["household"] = "Choose a household of this agency"
    return errors


def _check_links(case: SupportCase) -> None:
    errors = _link_errors(case)
    errors.update(domain.request_errors(case.requester, case.categories))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def open_case(case: SupportCase, received_on: date, *, by, today: date | None = None) -> SupportCase:
    """Record a new request: the case and its first step, "request received". Refused before
    adoption support is in the agency's scope (permanence/phases.py)."""
    reason = phases.adoption_support_refusal(switches_for(case.agency), received_on)
    if reason:
        raise ValidationError({"__all__": [reason]})
    _check_links(case)
    case.stage = domain.Stage.NEW
    _save(case, by)
    record_step(case, "request_received", received_on, by=by, today=today)
    case.refresh_from_db()
    return case


@transaction.atomic
def create_imported_case(
    case: SupportCase, steps: list[tuple[str, date, dict]], *, by, today: date | None = None
) -> SupportCase:
    """A case another system held (moving in), with one step per dated milestone it arrived with,
    each marked imported; the case's dates and stage are the replay's projection, as after record_step."""
    _check_links(case)
    if not steps or steps[0][0] != "request_received":
        raise ValidationError({"received_on": ["An imported case starts with the request received"]})
    entries = domain.entries_of([(kind, on, clean_details(details)) for kind, on, details in steps])
    try:
        projection = replay(domain.JOURNEY, entries, today or timezone.localdate())
    except StepRefused as error:
        raise ValidationError({error.field: [str(error)]}) from error
    for name, value in projection.items():  # the replay's, as record_step writes them
        setattr(case, name, value)
    case.stage = domain.stage_of(projection).value
    _save(case, by)
    SupportStep.objects.bulk_create(
        SupportStep(
            case=case,
            kind=e.kind,
            occurred_on=e.occurred_on,
            details={**e.details, "source": IMPORTED},
            recorded_by=by,
        )
        for e in entries
    )
    return case


@transaction.atomic
def create_letterbox_agreement(agreement: LetterboxAgreement, *, by, today: date | None = None) -> LetterboxAgreement:
    """Record a letterbox agreement: the one write path for the pages and the moving-in import."""
    errors = _link_errors(agreement) | letterbox.errors(agreement.terms(), today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    agreement.months = sorted(agreement.months)
    return _save(agreement, by)


@transaction.atomic
def record_step(
    case: SupportCase,
    kind: str,
    occurred_on: date,
    *,
    by,
    details: dict | None = None,
    note: str = "",
    supersedes: SupportStep | None = None,
    today: date | None = None,
) -> SupportStep:
    """Append a step (with `supersedes`, a correction; kind WITHDRAWN withdraws) to the case."""
    case = SupportCase.objects.select_for_update().get(pk=case.pk)  # one writer per case at a time
    details = clean_details(details)
    projection = replay_with(domain.JOURNEY, list(case.steps.all()), kind, occurred_on, details, supersedes, today)
    step = SupportStep.objects.create(
        case=case, kind=kind, occurred_on=occurred_on, details=details, note=note, supersedes=supersedes, recorded_by=by
    )
    for name, value in projection.items():
        setattr(case, name, value)
    case.stage = domain.stage_of(projection).value
    _save(case, by)
    return step


def withdraw_step(step: SupportStep, *, by, note: str) -> SupportStep:
    if not note:
        raise ValidationError({"note": ["Say why the entry is withdrawn"]})
    if step.kind == "request_received":
        # A case without its request would be no case: a withdrawn request is closed with that reason.
        raise ValidationError(
            {"action": ["The request itself cannot be withdrawn: close the case, saying the request was withdrawn"]}
        )
    return record_step(step.case, WITHDRAWN, step.occurred_on, by=by, note=note, supersedes=step)


_PLAN_STAGES = {domain.Stage.PLAN_AGREED, domain.Stage.SUPPORTED}


def _check_service(case: SupportCase, service: CommissionedService) -> None:
    if case.stage not in _PLAN_STAGES:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    f"Services are commissioned under an agreed support plan: {case.reference} is at "
                    f"'{case.stage_label}'"
                ]
            }
        )
    if service.starts_on and case.plan_agreed_on and service.starts_on < case.plan_agreed_on:
        raise ValidationError({"starts_on": ["A service cannot start before the support plan was agreed"]})
    if service.ends_on and service.starts_on and service.ends_on < service.starts_on:
        raise ValidationError({"ends_on": ["The end date must be on or after the start date"]})


@transaction.atomic
def add_service(case: SupportCase, service: CommissionedService, *, by) -> CommissionedService:
    """A service funded by the council's budget or otherwise; Support Fund money goes through
    apply_to_fund, so the fair-access limit is always checked."""
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    if service.funded_by == budget.SUPPORT_FUND:
        raise ValidationError({"funded_by": ["Apply to the Support Fund for a service it pays for"]})
    service.case = case
    _check_service(case, service)
    return _save(service, by)


@transaction.atomic
def apply_to_fund(
    case: SupportCase, service: CommissionedService, *, fund_kind: str, applied_on: date, by
) -> tuple[CommissionedService | None, support_fund.Decision | None]:
    """Apply to the Adoption and Special Guardianship Support Fund for the service's cost, through
    the finance service; the service is recorded only when the application is accepted."""
    case = SupportCase.objects.select_for_update().get(pk=case.pk)
    if case.child_id is None:
        raise ValidationError(
            {NON_FIELD_ERRORS: ["The Support Fund pays for support to a child: link the case to a child first"]}
        )
    service.case, service.funded_by = case, budget.SUPPORT_FUND
    _check_service(case, service)
    application, decision = finance.apply_to_support_fund(
        case.agency, case.child, applied_on, fund_kind, service.cost, provider=service.provider
    )
    if application is None:
        return None, decision
    service.fund_application = application
    return _save(service, by), decision


@transaction.atomic
def set_budget(agency, council, year: FinancialYear, amount: Decimal, *, by) -> SupportBudget:
    if not agency.member_councils().filter(pk=council.pk).exists():
        raise ValidationError({"council": ["Choose a member council of the agency"]})
    held = support_budgets_held(agency, year.start)
    if held is not None:
        # One source of truth: the finance budget's line held per council is the support budget.
        names = ", ".join(line.name for line in held[0])
        raise ValidationError(
            {
                "year": [
                    f"Finance holds {year.label}'s adoption support budgets ({names}): change the contribution there"
                ]
            }
        )
    record = (
        SupportBudget.objects.select_for_update().filter(agency=agency, council=council, start_year=year.start).first()
    )
    record = record or SupportBudget(agency=agency, council=council, start_year=year.start)
    record.amount = amount
    return _save(record, by)


@transaction.atomic
def save_targets(targets: AgencySupportTargets, *, by) -> AgencySupportTargets:
    """The agency's own adoption support timescale targets, in place of the defaults."""
    return save_by(targets, by)


@transaction.atomic
def save_exchange(exchange: LetterboxExchange, *, by, today: date | None = None) -> LetterboxExchange:
    """Log a letter under its agreement, or record what happened to it since: received, read and
    checked (by whom), passed on, or returned or withheld with the reason (letterbox.exchange_errors:
    nothing is passed on before the agency has read and checked it). The one write path."""
    today = today or timezone.localdate()
    agreement = exchange.agreement
    errors = letterbox.exchange_errors(exchange.facts(), agreement.direction, today)
    if exchange.due_on is not None and "due_on" not in errors:
        wrong = letterbox.due_date_error(agreement.months, agreement.starts_on, agreement.ends_on, exchange.due_on)
        if wrong:
            errors["due_on"] = wrong
    twin = LetterboxExchange.objects.filter(
        agreement=agreement, direction=exchange.direction, due_on=exchange.due_on
    ).exclude(pk=exchange.pk)
    if not errors and twin.exists():
        errors["due_on"] = "A letter going this way is already logged for that date"
    if errors:
        raise ValidationError(errors)
    return _save(exchange, by)


def allocate_case(case: SupportCase, worker, *, by) -> SupportCase:
    """Give the case to a worker (or to no one): they hold it on their My work page."""
    if worker is not None and (worker.agency_id != case.agency_id or not worker.is_active):
        raise ValidationError({"worker": ["Choose an active member of the agency's staff"]})
    case.worker = worker
    return _save(case, by)
