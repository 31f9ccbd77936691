"""Finance forms, GOV.UK style. Amounts are pounds and pence, never rounded silently; a child is
named by reference only (finance pages never show a child's name)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from openraa.children.models import Child
from openraa.common import parsing, years
from openraa.finance import fees, support_fund
from openraa.finance.models import (
    BudgetLine,
    Cost,
    FeeRate,
    FinancialYear,
    FundingFormula,
    Grant,
    SharingRule,
    StatedTotal,
    SupportFundIncome,
)
from openraa.finance.selectors import councils_of
from openraa.partnership.models import Council
from openraa.web.forms import GovukForm, GovukModelForm, style_widget

MAX_UPLOAD_BYTES = 1_000_000


def amount_field(
    label: str = "Amount (£)",
    required: bool = True,
    allow_zero: bool = True,
    help_text: str = "Pounds and pence, like 1250.00",
) -> forms.DecimalField:
    field = forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
        min_value=Decimal("0") if allow_zero else Decimal("0.01"),
    )
    field.error_messages.update(
        {
            "invalid": f"{label.replace(' (£)', '')} must be an amount of money, like 1250.00",
            "max_decimal_places": "Give pounds and pence: no more than two decimal places",
            "min_value": "Enter an amount of £0.00 or more" if allow_zero else "Enter an amount more than £0.00",
            "max_digits": "The amount is too large",
            "max_whole_digits": "The amount is too large",
        }
    )
    field.widget.attrs.update({"inputmode": "decimal", "class": "govuk-input govuk-input--width-10"})
    return field


def _money_inputs(form: forms.BaseForm) -> None:
    for _name, field in form.fields.items():
        if isinstance(field, forms.DecimalField):
            field.error_messages.update(
                {
                    "invalid": f"{str(field.label).replace(' (£)', '')} must be an amount of money, like 1250.00",
                    "max_decimal_places": "Give pounds and pence: no more than two decimal places",
                }
            )
            field.widget = forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input govuk-input--width-10"})
            field.widget.govuk_kind = "input"


def child_by_reference(agency, text: str):
    """A child of the agency by reference (C-000123 or 123); the same answer for "no such child" and
    "another agency's child"."""
    key = parsing.reference(text, "C")
    child = (
        Child.objects.filter(agency=agency, pk=key).select_related("responsible_council").first()
        if key is not None
        else None
    )
    if child is None:
        raise ValidationError(f"No child with the reference {text.strip()} in this agency")
    return child


def financial_year_field(label: str) -> forms.CharField:
    field = forms.CharField(label=label, max_length=12, help_text="Like 2026-27 (1 April 2026 to 31 March 2027)")
    field.widget.attrs["class"] = "govuk-input govuk-input--width-5"
    return field


def clean_financial_year(text: str) -> years.FinancialYear:
    year = years.parse(text)
    if year is None or year.start < 2000:  # the budget model keeps years from 2000-01
        raise ValidationError(years.refusal(text.strip()))
    return year


class YearForm(GovukForm):
    year = financial_year_field("Financial year")
    copy_lines = forms.BooleanField(
        label="Roll the year before forward: its lines and contributions, plus each council's pay award",
        help_text="Record the pay awards on the new year's budget page; they are added to each contribution",
        required=False,
    )
    note = forms.CharField(label="Where the figures come from", required=False, widget=forms.Textarea)

    def __init__(self, *args, agency=None, **kwargs):
        self.agency = agency
        super().__init__(*args, **kwargs)

    def clean_year(self):
        year = clean_financial_year(self.cleaned_data["year"])
        if FinancialYear.objects.filter(agency=self.agency, start_year=year.start).exists():
            raise ValidationError(f"{year.label} already has a budget")
        return year


class PayAwardForm(GovukForm):
    council: forms.ModelChoiceField = forms.ModelChoiceField(label="Council", queryset=None, empty_label=None)
    percent = forms.DecimalField(
        label="Pay award as a percentage of last year's contribution",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=3,
        help_text="Like 2.75; or give an amount instead",
    )
    amount = amount_field("Or as an amount (£)", required=False)
    source = forms.CharField(label="Where the figure comes from", required=False, max_length=300)

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = _councils(year.agency)
        style_widget(self.fields["council"])
        _money_inputs(self)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("percent") is None) == (cleaned.get("amount") is None) and not self.errors:
            raise ValidationError("Give the pay award as a percentage or as an amount, not both")
        return cleaned


class LineForm(GovukModelForm):
    class Meta:
        model = BudgetLine
        fields = ["name", "part", "purpose"]
        widgets = {"part": forms.RadioSelect, "purpose": forms.RadioSelect}
        labels = {"name": "Name of the line"}


class ContributionForm(GovukForm):
    line = forms.ModelChoiceField(label="Budget line", queryset=BudgetLine.objects.none(), empty_label=None)
    council: forms.ModelChoiceField = forms.ModelChoiceField(label="Council", queryset=None, empty_label=None)
    amount = amount_field()

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = year.lines.all()
        self.fields["council"].queryset = _councils(year.agency)
        for name in ("line", "council"):
            style_widget(self.fields[name])


class StatedTotalForm(GovukModelForm):
    class Meta:
        model = StatedTotal
        fields = ["line", "council", "amount", "rounded_to", "source"]
        labels = {
            "line": "Line (leave empty for a council's total or the grand total)",
            "council": "Council (leave empty for a line's total or the grand total)",
            "amount": "Total the paper states (£)",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = self.instance.year
        self.fields["line"].queryset = year.lines.all()
        self.fields["council"].queryset = _councils(year.agency)
        _money_inputs(self)


class CostForm(GovukModelForm):
    class Meta:
        model = Cost
        fields = ["line", "council", "incurred_on", "amount", "description", "supplier", "status", "asf_funded"]
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = self.instance.year
        self.fields["line"].queryset = year.lines.all()
        self.fields["line"].empty_label = None
        self.fields["council"].queryset = _councils(year.agency)
        _money_inputs(self)


class IncomeForm(GovukModelForm):
    class Meta:
        model = SupportFundIncome
        fields = ["council", "received_on", "amount", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = _councils(self.instance.year.agency)
        self.fields["council"].empty_label = None
        _money_inputs(self)


class SharingRuleForm(GovukModelForm):
    class Meta:
        model = SharingRule
        fields = ["rule", "measure", "agreement", "decided_on", "decision_reference"]
        widgets = {"rule": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.councils = councils_of(self.instance.year.agency)
        shares = self.instance.board_shares or {}
        for council in self.councils:
            field = forms.DecimalField(
                label=f"{council.name}'s share (%)",
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
                initial=shares.get(council.ons_code),
                help_text="Only for a board decision",
            )
            field.error_messages["invalid"] = "Enter a percentage, like 33.5"
            style_widget(field)
            field.widget.attrs["class"] = "govuk-input govuk-input--width-5"
            self.fields[f"share_{council.ons_code}"] = field

    def _update_errors(self, errors):
        # The shares are entered per council; a problem with them as a whole is the form's.
        if hasattr(errors, "error_dict") and "board_shares" in errors.error_dict:
            errors.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(errors.error_dict.pop("board_shares"))
        super()._update_errors(errors)

    def _post_clean(self):
        if self.cleaned_data.get("rule") == SharingRule.Rule.BOARD and self.cleaned_data.get("decided_on"):
            self.instance.board_shares = {
                c.ons_code: str(self.cleaned_data[f"share_{c.ons_code}"])
                for c in self.councils
                if self.cleaned_data.get(f"share_{c.ons_code}") is not None
            }
        else:
            self.instance.board_shares = {}
        super()._post_clean()


class RechargeUploadForm(GovukForm):
    file = forms.FileField(
        label="CSV file",
        help_text="A header row, then one row per council and quarter: "
        "council (ONS code), quarter (1 to 4), amount, and optionally line",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The file must be smaller than 1 MB")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("The file must be a CSV saved as UTF-8 text") from None


class FormulaForm(GovukModelForm):
    class Meta:
        model = FundingFormula
        fields = [
            "name",
            "weight_placement_orders",
            "weight_adoption_orders",
            "weight_children_referred",
            "weight_households_approved",
            "weight_fostering_plans",
            "weight_connected_persons_plans",
            "weight_special_guardianship_plans",
            "weight_carers_approved",
            "years_averaged",
            "cap_percent",
            "transition_first_year",
            "transition_years",
        ]

    transition_first_year = forms.CharField(
        label="First year of the move from historic budgets",
        required=False,
        max_length=12,
        help_text="Like 2026-27; leave empty to apply the formula in full at once",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.transition_first_year is not None:
            self.initial["transition_first_year"] = years.FinancialYear(self.instance.transition_first_year).label
        self.fields["transition_first_year"].widget.attrs["class"] = "govuk-input govuk-input--width-5"
        for name, field in self.fields.items():
            if name.startswith("weight_"):
                field.required = False  # empty is 0: most agencies weigh only the adoption measures
                field.help_text = "0 or empty to leave it out; weights are relative (1 and 1 weigh equally)"
                field.widget.attrs["class"] = "govuk-input govuk-input--width-5"
        self.fields["cap_percent"].widget.attrs["class"] = "govuk-input govuk-input--width-5"

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            if name.startswith("weight_") and cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = Decimal("0")
        return cleaned

    def clean_transition_first_year(self):
        text = self.cleaned_data["transition_first_year"].strip()
        return clean_financial_year(text).start if text else None


class AgreeFormulaForm(GovukModelForm):
    class Meta:
        model = FundingFormula
        fields = ["agreed_on", "agreed_reference"]

    def clean(self):
        data = super().clean()
        if not data.get("agreed_on"):
            self.add_error("agreed_on", "Enter the date the board agreed the formula")
        if not data.get("agreed_reference"):
            self.add_error("agreed_reference", "Enter the minute reference")
        if data.get("agreed_on") and data["agreed_on"] > timezone.localdate():
            self.add_error("agreed_on", "The date cannot be in the future")
        return data


class ScenarioForm(GovukForm):
    first = forms.ModelChoiceField(label="Formula A", queryset=FundingFormula.objects.none(), empty_label=None)
    second = forms.ModelChoiceField(
        label="Formula B", queryset=FundingFormula.objects.none(), required=False, empty_label="None"
    )
    year = financial_year_field("For the budget of")
    budget = amount_field("Budget to share (£)", help_text="Default: the pooled part of the latest year's budget")

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        formulas = FundingFormula.objects.filter(agency=agency)
        self.fields["first"].queryset = formulas
        self.fields["second"].queryset = formulas
        for name in ("first", "second"):
            style_widget(self.fields[name])

    def clean_year(self):
        return clean_financial_year(self.cleaned_data["year"])


class PlacementForm(GovukForm):
    child = forms.CharField(
        label="Child's reference",
        help_text="Like C-000123",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    provider_kind = forms.ChoiceField(
        label="Who approved the adopters",
        choices=[(k, fees.PROVIDER_KINDS[k]) for k in fees.CHARGEABLE],
        widget=forms.RadioSelect,
    )
    provider_name = forms.CharField(label="Provider's name", max_length=120)
    provider_in_london = forms.BooleanField(label="The provider is in London", required=False)
    placed_on = forms.DateField(label="Placed (the day the child moved in)")
    children_placed = forms.IntegerField(label="Children placed together", min_value=1, max_value=10, initial=1)

    def __init__(self, *args, agency=None, **kwargs):
        self.agency = agency
        super().__init__(*args, **kwargs)
        self.fields["children_placed"].widget.attrs["class"] = "govuk-input govuk-input--width-2"

    def clean_child(self):
        return child_by_reference(self.agency, self.cleaned_data["child"])


class FeeRateForm(GovukModelForm):
    class Meta:
        model = FeeRate
        fields = [
            "kind",
            "children",
            "amount",
            "effective_from",
            "effective_to",
            "london_weighting_percent",
            "payable",
            "source",
        ]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _money_inputs(self)
        self.fields["london_weighting_percent"].widget.attrs["class"] = "govuk-input govuk-input--width-5"


class GrantForm(GovukModelForm):
    class Meta:
        model = Grant
        fields = [
            "kind",
            "grantor",
            "amount",
            "awarded_on",
            "available_until",
            "spent",
            "conditions",
            "clawback",
            "conditions_met",
            "source",
        ]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _money_inputs(self)


class PaidForm(GovukForm):
    paid_on = forms.DateField(label="Paid on")


class CompensationForm(GovukForm):
    go_live_on = forms.DateField(
        label="Go-live", help_text="Households and children waiting the day before are counted"
    )
    rate_per_household = amount_field(
        "Value of an approved household brought in (£)",
        help_text="For example the interagency fee between councils, 27000.00",
    )
    decided_on = forms.DateField(label="Agreed by the board on", required=False)
    decision_reference = forms.CharField(label="Minute reference", required=False, max_length=200)


class SupportFundForm(GovukForm):
    child = forms.CharField(
        label="Child's reference",
        help_text="Like C-000123",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    kind = forms.ChoiceField(
        label="What the application is for", choices=list(support_fund.KINDS.items()), widget=forms.RadioSelect
    )
    amount = amount_field(allow_zero=False)
    applied_on = forms.DateField(label="Date of the application")
    provider = forms.CharField(label="Provider of the support", required=False, max_length=120)

    def __init__(self, *args, agency=None, **kwargs):
        self.agency = agency
        super().__init__(*args, **kwargs)

    def clean_child(self):
        return child_by_reference(self.agency, self.cleaned_data["child"])

    def clean_applied_on(self):
        day = self.cleaned_data["applied_on"]
        if day > timezone.localdate():
            raise ValidationError("The date of the application cannot be in the future")
        return day


def _councils(agency):
    return Council.objects.filter(memberships__agency=agency).distinct().order_by("name")
