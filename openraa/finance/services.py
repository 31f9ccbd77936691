"""Writes to the money records. Each is one transaction (an import: one per row, so a refused row
leaves nothing half-written and the rows that pass are kept); django-simple-history writes the
history row of every change with who and when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from openraa.children.models import Child
from openraa.common import years
from openraa.finance import fees, payaward, recharges, support_fund
from openraa.finance.models import (
    BudgetLine,
    CompensationLine,
    Contribution,
    Cost,
    FairAccessLimit,
    FinancialYear,
    GoLiveCompensation,
    InteragencyFee,
    PayAward,
    Recharge,
    SupportFundApplication,
)
from openraa.finance.money import pounds
from openraa.finance.selectors import brought_at_go_live, councils_of, fee_rates


@transaction.atomic
def save(instance):
    """Validate and save any money record."""
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def add_line(line: BudgetLine) -> BudgetLine:
    """A new budget line. The year's interagency line takes on the fees already recorded in the year
    (they were waiting for it: see record_external_placement)."""
    save(line)
    if line.purpose == BudgetLine.Purpose.INTERAGENCY:
        charge_waiting_fees(line.year)
    return line


@transaction.atomic
def set_contribution(line: BudgetLine, council, amount: Decimal) -> Contribution:
    contribution = Contribution.objects.filter(line=line, council=council).first() or Contribution(
        line=line, council=council
    )
    # An amount entered as it is: no longer last year's plus the pay award (history keeps both).
    contribution.amount, contribution.base, contribution.pay_award = amount, None, None
    return save(contribution)


# --------------------------------------------------------------------------------------------
# Recharges
# --------------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    year: FinancialYear
    recorded: list[tuple[int, Recharge]] = field(default_factory=list)  # (row, recharge)
    refused: list[recharges.Refused] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            (
                row,
                f"Row {row}: recorded {r.council.name} Q{r.quarter} {self.year.label}, {r.line.name}: "
                f"{pounds(r.amount)}",
            )
            for row, r in self.recorded
        ]
        out += [(r.row, f"Row {r.row}: refused: {'; '.join(r.reasons)}") for r in self.refused]
        return [text for _, text in sorted(out, key=lambda item: item[0])]


def import_recharges(year: FinancialYear, text: str, source: str = "upload") -> ImportReport:
    """Check every row (recharges.check), then record each one that passes in its own transaction."""
    councils = {c.ons_code: c for c in councils_of(year.agency)}
    lines = sorted(year.lines.all(), key=lambda line: (not line.pooled, line.position, line.pk))  # pooled first
    by_name = {line.name: line for line in lines}
    already = {
        (r.council.ons_code, r.quarter, r.line.name)
        for r in Recharge.objects.filter(year=year).select_related("council", "line")
    }
    checked = recharges.check(
        recharges.read(text),
        year.period,
        {k: c.name for k, c in councils.items()},
        [line.name for line in lines],
        already,
    )
    report = ImportReport(year, refused=list(checked.refused))
    for row in checked.accepted:
        recharge = Recharge(
            year=year,
            council=councils[row.council],
            quarter=row.quarter,
            line=by_name[row.line],
            amount=row.amount,
            source=f"{source}, row {row.row}"[:200],
        )
        try:
            save(recharge)
        except (ValidationError, IntegrityError) as error:
            reasons = error.messages if isinstance(error, ValidationError) else ["Already recorded"]
            report.refused.append(recharges.Refused(row.row, (), tuple(reasons)))
        else:
            report.recorded.append((row.row, recharge))
    report.refused.sort(key=lambda r: r.row)
    return report


# --------------------------------------------------------------------------------------------
# Interagency fees and go-live compensation
# --------------------------------------------------------------------------------------------


@transaction.atomic
def record_external_placement(
    agency,
    child,
    provider_kind: str,
    provider_name: str,
    placed_on: date,
    children_placed: int = 1,
    provider_in_london: bool = False,
) -> InteragencyFee:
    """A placement with a provider outside the partnership: the fee from the table in force on the
    day the child moved in, charged in full then to the agency's interagency budget line for the
    year (Kent 2020: the councils' interagency budgets are transferred to the RAA in year 1), not
    to the child's council on top of its contribution. A year without the line yet: the fee is
    recorded and charged when finance adds the line (charge_waiting_fees)."""
    if child.agency_id != agency.pk:
        raise ValidationError({"child": "The child belongs to another agency"})
    if placed_on > timezone.localdate():
        raise ValidationError({"placed_on": "The placement date cannot be in the future"})
    if provider_kind not in fees.CHARGEABLE:
        raise ValidationError({"provider_kind": "No interagency fee is charged within the partnership"})
    try:
        fee = fees.fee_for(
            fees.Placement(provider_kind, placed_on, children_placed, provider_in_london), fee_rates(agency)
        )
    except fees.NoRate as error:
        raise ValidationError({"placed_on": str(error)}) from None
    entry = InteragencyFee(
        agency=agency,
        child=child,
        provider_kind=provider_kind,
        provider_name=provider_name,
        provider_in_london=provider_in_london,
        placed_on=placed_on,
        children_placed=children_placed,
        amount=fee.amount,
        rate_id=fee.rate.key,
        explanation=fee.explanation[:300],
        payer=child.responsible_council,
        due_on=fee.due_on,
    )
    save(entry)
    _charge_to_interagency_line(entry)
    return entry


def interagency_line(agency, day: date) -> BudgetLine | None:
    return BudgetLine.objects.filter(
        year__agency=agency,
        year__start_year=years.FinancialYear.containing(day).start,
        purpose=BudgetLine.Purpose.INTERAGENCY,
    ).first()


def _charge_to_interagency_line(entry: InteragencyFee) -> None:
    line = interagency_line(entry.agency, entry.placed_on)
    if line is None or entry.cost_id:
        return
    entry.cost = save(
        Cost(
            year=line.year,
            line=line,
            incurred_on=entry.placed_on,
            amount=entry.amount,
            description=f"Interagency fee: {entry.child.reference} placed with {entry.provider_name}"[:200],
            supplier=entry.provider_name[:120],
            status=Cost.Status.PAID if entry.paid_on else Cost.Status.COMMITTED,
        )
    )
    save(entry)


@transaction.atomic
def charge_waiting_fees(year: FinancialYear) -> int:
    """Charge the year's fees recorded before it had an interagency line. Returns how many."""
    waiting = InteragencyFee.objects.filter(
        agency=year.agency, cost__isnull=True, placed_on__range=(year.starts_on, year.ends_on)
    ).select_related("child", "agency")
    charged = 0
    for entry in waiting:
        _charge_to_interagency_line(entry)
        charged += entry.cost_id is not None
    return charged


@transaction.atomic
def mark_fee_paid(entry: InteragencyFee, paid_on: date) -> InteragencyFee:
    if paid_on < entry.placed_on:
        raise ValidationError({"paid_on": "The fee cannot be paid before the placement"})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "The payment date cannot be in the future"})
    entry.paid_on = paid_on
    cost = entry.cost if entry.cost_id else None
    if cost is not None and cost.status != Cost.Status.PAID:
        cost.status = Cost.Status.PAID
        save(cost)
    return save(entry)


# --------------------------------------------------------------------------------------------
# Rolling a year forward with the pay award
# --------------------------------------------------------------------------------------------


@transaction.atomic
def set_pay_award(
    year: FinancialYear, council, *, percent: Decimal | None = None, amount: Decimal | None = None, source: str = ""
) -> PayAward:
    """Record a council's pay award for the year and add it to the contributions rolled forward into
    the year (the only write path for both, so they cannot disagree)."""
    award = PayAward.objects.filter(year=year, council=council).first() or PayAward(year=year, council=council)
    award.percent, award.amount, award.source = percent, amount, source
    save(award)
    _apply_award(year, council.pk, award.as_award())
    return award


def _apply_award(year: FinancialYear, council_id: int, award: payaward.Award | None) -> None:
    rows = list(
        Contribution.objects.filter(line__year=year, council_id=council_id, base__isnull=False).order_by(
            "line__position", "line_id"
        )
    )
    if not rows:
        return
    result = payaward.roll_forward(
        [payaward.Line(str(row.pk), "", {council_id: row.base}) for row in rows],
        {council_id: award} if award else {},
    )
    for row, rolled in zip(rows, result.lines, strict=True):
        row.pay_award = rolled.award[council_id]
        row.amount = rolled.amounts[council_id]
        save(row)


@transaction.atomic
def roll_forward(base_year: FinancialYear, note: str = "") -> tuple[FinancialYear, payaward.RollForward]:
    """The next financial year: each of the base year's lines and contributions, plus each
    council's pay award recorded for the new year (see payaward). Creates the new year when it
    does not exist; refuses to overwrite contributions already entered for a line."""
    target = FinancialYear.objects.filter(agency=base_year.agency, start_year=base_year.start_year + 1).first()
    if target is None:
        target = save(FinancialYear(agency=base_year.agency, start_year=base_year.start_year + 1, note=note))
    base_lines = list(base_year.lines.prefetch_related("contributions__council"))
    awards = {a.council_id: a.as_award() for a in PayAward.objects.filter(year=target)}
    names = {c.pk: c.name for c in councils_of(base_year.agency)}
    result = payaward.roll_forward(
        [
            payaward.Line(line.name, line.part, {c.council_id: c.amount for c in line.contributions.all()})
            for line in base_lines
        ],
        awards,
        names,
    )
    for position, (line, rolled) in enumerate(zip(base_lines, result.lines, strict=True), start=1):
        new = BudgetLine.objects.filter(year=target, name=line.name).first() or save(
            BudgetLine(year=target, name=line.name, part=line.part, position=position, purpose=line.purpose)
        )
        if new.contributions.exists():
            raise ValidationError(f"{target.label} already has contributions to {new.name}: change those instead")
        for council_id, base in rolled.base.items():
            save(
                Contribution(
                    line=new,
                    council_id=council_id,
                    base=base,
                    pay_award=rolled.award[council_id],
                    amount=rolled.amounts[council_id],
                )
            )
    return target, result


@transaction.atomic
def record_go_live_compensation(
    agency, go_live_on: date, rate: Decimal, decided_on: date | None = None, decision_reference: str = ""
) -> GoLiveCompensation:
    """Count what each council brought in at go-live, compute the compensation and keep both."""
    brought = brought_at_go_live(agency, go_live_on)
    result = fees.go_live_compensation(rate, brought)
    compensation = save(
        GoLiveCompensation(
            agency=agency,
            go_live_on=go_live_on,
            rate_per_household=rate,
            decided_on=decided_on,
            decision_reference=decision_reference,
        )
    )
    for council_id, (households, children) in brought.items():
        save(
            CompensationLine(
                compensation=compensation,
                council_id=council_id,
                households_brought=households,
                children_brought=children,
                amount=result.amounts[council_id],
            )
        )
    return compensation


# --------------------------------------------------------------------------------------------
# Support fund
# --------------------------------------------------------------------------------------------


@transaction.atomic
def apply_to_support_fund(
    agency, child, applied_on: date, kind: str, amount: Decimal, provider: str = ""
) -> tuple[SupportFundApplication | None, support_fund.Decision]:
    """Record the application when it is within the fair-access limit; otherwise record nothing and
    return the reasons it is refused."""
    if child.agency_id != agency.pk:
        raise ValidationError({"child": "The child belongs to another agency"})
    # Lock the child so that two applications made at once cannot both fit under the limit.
    Child.objects.select_for_update().filter(pk=child.pk).first()
    year = years.FinancialYear.containing(applied_on).start
    earlier = [
        support_fund.Application(a.kind, a.amount, a.applied_on)
        for a in SupportFundApplication.objects.filter(child=child, financial_year=year)
    ]
    limits = [limit.as_limit() for limit in FairAccessLimit.objects.all()]
    decision = support_fund.check(
        support_fund.Application(kind, amount, applied_on), earlier, limits, child=child.reference
    )
    if not decision.accepted:
        return None, decision
    application = save(
        SupportFundApplication(
            agency=agency, child=child, applied_on=applied_on, kind=kind, amount=amount, provider=provider
        )
    )
    return application, decision
