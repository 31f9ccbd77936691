import re
from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from openraa.common import parsing, years
from openraa.common.machine import Step
from openraa.finance import support_fund
from openraa.finance.forms import amount_field, child_by_reference
from openraa.households.models import Household
from openraa.people.models import User
from openraa.people.roles import roles_granted
from openraa.support import budget, domain, letterbox
from openraa.support.models import (
    AgencySupportTargets,
    Allowance,
    AllowancePayment,
    AllowancePolicy,
    AllowanceReview,
    CommissionedService,
    SupportCase,
)
from openraa.support.timescales import TARGET_LIMITS
from openraa.web.forms import ContactFormMixin, GovukForm, GovukModelForm, choice_list, style_widget


def _household_by_reference(agency, text: str) -> Household:
    key = parsing.reference(text, "H")
    household = Household.objects.filter(agency=agency, pk=key).first() if key is not None else None
    if household is None:
        raise ValidationError(f"No household with the reference {text.strip()} in this agency")
    return household


class CaseForm(ContactFormMixin, GovukModelForm):
    received_on = forms.DateField(label="Date the request was received")
    categories = choice_list(
        "Support asked for",
        list(domain.CATEGORIES.items()),
        help_text="Birth relatives may ask for contact, peer support, counselling, advice and information",
    )
    child_reference = forms.CharField(
        label="Child's reference (optional)",
        required=False,
        help_text="The adopted child's record in this agency, like C-000123",
    )
    household_reference = forms.CharField(
        label="Adoptive household's reference (optional)",
        required=False,
        help_text="The adoptive household's record in this agency, like H-000123",
    )

    class Meta:
        model = SupportCase
        fields = [
            "responsible_council",
            "requester",
            "requester_name",
            *SupportCase.CONTACT_FIELDS,
            "request",
            "worker",
        ]
        widgets = {"requester": forms.RadioSelect}

    def __init__(self, *args, agency, councils, **kwargs):
        self.agency = agency
        super().__init__(*args, **kwargs)
        self.fields["responsible_council"].queryset = councils
        self.fields["responsible_council"].empty_label = "Choose a council"
        self.fields["worker"].queryset = case_holders(agency)
        self.fields["worker"].empty_label = "Not allocated yet"
        self.fields["requester"].choices = list(domain.REQUESTERS.items())
        self.fields["categories"].required = True
        self.fields["categories"].error_messages["required"] = "Select at least one kind of support asked for"
        for field in self.fields.values():
            style_widget(field)
        self.order_fields(
            [
                "responsible_council",
                "requester",
                "requester_name",
                *SupportCase.CONTACT_FIELDS,
                "child_reference",
                "household_reference",
                "received_on",
                "categories",
                "request",
                "worker",
            ]
        )

    def clean_child_reference(self):
        text = self.cleaned_data["child_reference"]
        child = child_by_reference(self.agency, text) if text.strip() else None
        if child is not None and child.sealed:  # the same answer as for no such child: sealed records stay unseen
            raise ValidationError(f"No child with the reference {text.strip()} in this agency")
        return child

    def clean_household_reference(self):
        text = self.cleaned_data["household_reference"]
        return _household_by_reference(self.agency, text) if text.strip() else None

    def clean(self):
        cleaned = super().clean()
        problems = domain.request_errors(cleaned.get("requester", ""), cleaned.get("categories") or [])
        if "categories" in problems and "categories" not in self.errors:
            self.add_error("categories", problems["categories"])
        return cleaned

    def build(self, agency) -> SupportCase:
        case = self.save(commit=False)
        case.agency = agency
        case.categories = self.cleaned_data["categories"]
        case.child = self.cleaned_data["child_reference"]
        case.household = self.cleaned_data["household_reference"]
        return case


def _outcome_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Outcome of the assessment",
        required=False,
        widget=forms.RadioSelect,
        choices=list(domain.OUTCOMES.items()),
        help_text="For a completed assessment of need",
    )


def _closed_reason_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Why the case closed",
        required=False,
        help_text="For closing the case",
        choices=[("", ""), *list(domain.CLOSED_REASONS.items())],
    )


class StepForm(GovukForm):
    """The next step of the case: only the steps its stage allows are offered; the date is checked
    against the whole history by the state machine."""

    kind = forms.ChoiceField(label="Step", widget=forms.RadioSelect)
    occurred_on = forms.DateField(label="Date it happened")
    assessment_outcome = _outcome_field()
    closed_reason = _closed_reason_field()
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)

    def __init__(self, *args, steps: list[Step], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(step.kind, step.label) for step in steps]
        offered = {name for step in steps for name in step.details}
        for name in domain.DETAILS:
            if name not in offered:
                del self.fields[name]

    def details(self, step: Step) -> dict:
        return {name: self.cleaned_data.get(name) for name in step.details}


class CorrectionForm(GovukForm):
    """Correct an entry (a new dated entry that supersedes it) or withdraw it; the reason is kept."""

    action = forms.ChoiceField(
        label="What do you want to do?",
        widget=forms.RadioSelect,
        choices=[
            ("correct", "Correct the date or details"),
            ("withdraw", "Withdraw the entry: it was recorded by mistake"),
        ],
    )
    occurred_on = forms.DateField(label="Correct date", required=False)
    assessment_outcome = _outcome_field()
    closed_reason = _closed_reason_field()
    note = forms.CharField(label="Reason for the correction", widget=forms.Textarea)

    def __init__(self, *args, step: Step, **kwargs):
        super().__init__(*args, **kwargs)
        for name in domain.DETAILS:
            if name not in step.details:
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "correct" and not cleaned.get("occurred_on"):
            self.add_error("occurred_on", "Enter the correct date")
        return cleaned


class ServiceForm(GovukModelForm):
    cost = amount_field("Cost (£)", allow_zero=False)

    class Meta:
        model = CommissionedService
        fields = ["provider", "kind", "starts_on", "ends_on", "cost", "funded_by"]
        widgets = {"funded_by": forms.RadioSelect, "kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(domain.CATEGORIES.items())
        self.fields["funded_by"].choices = [(k, v) for k, v in budget.FUNDERS.items() if k != budget.SUPPORT_FUND]
        self.fields["funded_by"].help_text = "Support Fund money is applied for separately, against its limits"
        for field in self.fields.values():
            style_widget(field)


class FundForm(GovukModelForm):
    fund_kind = forms.ChoiceField(
        label="The application is for", widget=forms.RadioSelect, choices=list(support_fund.KINDS.items())
    )
    applied_on = forms.DateField(label="Date of the application")
    cost = amount_field("Amount applied for (£)", allow_zero=False)

    class Meta:
        model = CommissionedService
        fields = ["provider", "kind", "starts_on", "ends_on", "cost"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(domain.CATEGORIES.items())
        for field in self.fields.values():
            style_widget(field)
        self.order_fields(["fund_kind", "applied_on", "provider", "kind", "starts_on", "ends_on", "cost"])


class BudgetForm(GovukForm):
    council = forms.ModelChoiceField(label="Council", queryset=None, empty_label="Choose a council")
    year = forms.CharField(label="Financial year", help_text="Like 2025-26 (April to March)")
    amount = amount_field("Budget (£)")

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        style_widget(self.fields["council"])
        self.fields["year"].widget.attrs["class"] = "govuk-input govuk-input--width-5"

    def clean_year(self):
        year = years.parse(self.cleaned_data["year"])
        if year is None or year.start < 2000:
            raise ValidationError(years.refusal(self.cleaned_data["year"].strip()))
        return year


class TargetsForm(GovukModelForm):
    class Meta:
        model = AgencySupportTargets
        fields = list(TARGET_LIMITS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            out_of_range = TARGET_LIMITS[name].out_of_range()
            field.error_messages.update(
                invalid=out_of_range, min_value=out_of_range, max_value=out_of_range, required=out_of_range
            )
            field.widget.attrs["class"] = "govuk-input govuk-input--width-4"


# Adoption allowances (support/allowances.py): each council's own.


class AllowanceBudgetForm(BudgetForm):
    """A council's adoption allowance budget for a year: the same fields as the support budget's."""


class AllowancePolicyForm(GovukModelForm):
    class Meta:
        model = AllowancePolicy
        fields = ["council", "title", "in_force_from", "means_tested", "review_every_months", "summary"]

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.fields["council"].empty_label = "Choose a council"
        style_widget(self.fields["council"])


class AllowanceForm(GovukModelForm):
    household_reference = forms.CharField(label="The family's reference", help_text="Like H-000123")

    class Meta:
        model = Allowance
        fields = ["council", "starts_on", "yearly_amount"]

    def __init__(self, *args, councils, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["council"].queryset = councils
        self.fields["council"].empty_label = "Choose a council"
        style_widget(self.fields["council"])
        self.order_fields(["household_reference", "council", "starts_on", "yearly_amount"])

    def clean_household_reference(self):
        text = self.cleaned_data["household_reference"].strip().upper()
        digits = text.removeprefix("H-")
        # ASCII digits only: str.isdigit accepts "²" and other scripts' digits, which int() refuses.
        household = (
            Household.objects.filter(agency=self.agency, pk=int(digits)).first()
            if re.fullmatch(r"[0-9]{1,9}", digits)
            else None
        )
        if household is None:
            raise ValidationError(f"No family with the reference {text or 'given'} in this agency")
        self.instance.household = household
        return text


class AllowanceReviewForm(GovukModelForm):
    class Meta:
        model = AllowanceReview
        fields = ["reviewed_on", "yearly_amount", "note"]


class AllowancePaymentForm(GovukModelForm):
    class Meta:
        model = AllowancePayment
        fields = ["paid_on", "amount"]


class EndAllowanceForm(GovukForm):
    ends_on = forms.DateField(label="Last day it is paid for")


def _exchange_errors_on(form, facts: letterbox.Exchange, agreement_direction: str) -> None:
    """The pure rules' refusals beside the fields they are about (the service asks them again)."""
    for field, message in letterbox.exchange_errors(facts, agreement_direction, timezone.localdate()).items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, message)


class ExchangeLogForm(GovukForm):
    """Log a letter under an agreement: which way it goes and the date it is due (one of the
    agreement's due dates), received already or not yet."""

    direction = forms.ChoiceField(
        label="Which way the letter goes", widget=forms.RadioSelect, error_messages={"required": "Select which way"}
    )
    due_on = forms.TypedChoiceField(
        label="Due",
        coerce=date.fromisoformat,
        error_messages={"required": "Select the date the letter is due"},
    )
    received_on = forms.DateField(label="Received by the agency (if it has arrived)", required=False)
    note = forms.CharField(label="Note", widget=forms.Textarea, required=False)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        self.fields["direction"].choices = [
            (code, label)
            for code, label in letterbox.EXCHANGE_DIRECTIONS.items()
            if letterbox.direction_allowed(agreement.direction, code)
        ]
        until = timezone.localdate() + timedelta(days=366)
        if agreement.ends_on is not None:
            until = min(until, agreement.ends_on)
        dates = letterbox.due_dates(agreement.months, agreement.starts_on, until)
        self.fields["due_on"].choices = [("", "Choose a date"), *((d.isoformat(), f"{d:%-d %B %Y}") for d in dates)]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("direction") and cleaned.get("due_on"):
            facts = letterbox.Exchange(cleaned["direction"], cleaned["due_on"], cleaned.get("received_on"))
            _exchange_errors_on(self, facts, self.agreement.direction)
        return cleaned


class ExchangeForm(GovukForm):
    """What happened to a letter since it was logged: received, read and checked (by the worker
    recording it), then passed on, or returned to the writer or withheld with the reason."""

    received_on = forms.DateField(label="Received by the agency", required=False)
    checked_on = forms.DateField(
        label="Read and checked",
        required=False,
        help_text="The agency reads and checks every letter before it is passed on",
    )
    passed_on_on = forms.DateField(label="Passed on", required=False)
    held_back = forms.ChoiceField(
        label="Returned or withheld",
        choices=[("", "Neither"), *letterbox.HELD_BACK.items()],
        required=False,
        widget=forms.RadioSelect,
    )
    held_back_on = forms.DateField(label="Date returned or withheld", required=False)
    held_back_reason = forms.CharField(label="Why it was returned or withheld", widget=forms.Textarea, required=False)
    note = forms.CharField(label="Note", widget=forms.Textarea, required=False)

    def __init__(self, *args, exchange, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.exchange, self.user = exchange, user

    def checked_by(self, checked_on):
        """Who read and checked it: the worker recording the check, or whoever recorded it before."""
        if checked_on is None:
            return None
        if self.exchange.checked_on is not None and self.exchange.checked_by_id:
            return self.exchange.checked_by_id
        return self.user.pk

    def clean(self):
        cleaned = super().clean()
        e = self.exchange
        facts = letterbox.Exchange(
            direction=e.direction,
            due_on=e.due_on,
            received_on=cleaned.get("received_on"),
            checked_on=cleaned.get("checked_on"),
            checked_by=self.checked_by(cleaned.get("checked_on")),
            passed_on_on=cleaned.get("passed_on_on"),
            held_back=cleaned.get("held_back") or "",
            held_back_on=cleaned.get("held_back_on"),
            held_back_reason=cleaned.get("held_back_reason") or "",
        )
        _exchange_errors_on(self, facts, e.agreement.direction)
        return cleaned


def case_holders(agency):
    """Who may hold a support case: the agency's active staff who change support cases."""
    return (
        User.objects.holding(*roles_granted("support", "change"))
        .filter(agency=agency, is_active=True)
        .order_by("last_name", "first_name")
    )


class AllocateForm(GovukForm):
    worker = forms.ModelChoiceField(
        label="Allocated worker", queryset=User.objects.none(), required=False, empty_label="Not allocated"
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = case_holders(agency)
