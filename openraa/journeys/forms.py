from django import forms

from openraa.children.domain import DISRUPTION_CODES, EARLY_PERMANENCE_KINDS, PLAN_ENDED_REASONS
from openraa.common.machine import Step
from openraa.households.domain import CLOSED_REASONS
from openraa.households.models import Household
from openraa.journeys.models import AgencyTargets
from openraa.journeys.routes import NOT_APPROVED
from openraa.web.forms import GovukForm, GovukModelForm, style_widget

_DETAIL_FIELDS = {
    "household": lambda agency: forms.ModelChoiceField(
        label="Household",
        required=False,
        empty_label="Choose a household",
        queryset=Household.objects.filter(agency=agency, approved_on__isnull=False, closed_on__isnull=True).order_by(
            "-id"
        ),
        help_text="For a link or an early permanence placement: an approved household",
    ),
    "early_permanence_household": lambda agency: forms.ModelChoiceField(
        label="Early permanence carers",
        required=False,
        empty_label="Choose a household",
        queryset=Household.objects.filter(
            agency=agency, approved_on__isnull=False, closed_on__isnull=True, early_permanence=True
        ).order_by("-id"),
        help_text="A household approved to foster and to adopt (dual approval)",
    ),
    "early_permanence_kind": lambda agency: forms.ChoiceField(
        label="Kind of early permanence", required=False, choices=[("", ""), *list(EARLY_PERMANENCE_KINDS.items())]
    ),
    "plan_ended_reason": lambda agency: forms.ChoiceField(
        label="Why the plan ended", required=False, choices=[("", ""), *list(PLAN_ENDED_REASONS.items())]
    ),
    "plan_ended_code": lambda agency: forms.ChoiceField(
        label="Why the decision ceased (SSDA903 RD1-RD4)",
        required=False,
        choices=[("", ""), *list(DISRUPTION_CODES.items())],
        help_text="The return's reason code for an ended adoption plan",
    ),
    # "Not approved" is the ADM's final decision (journeys/routes.py), never a step typed in here.
    "closed_reason": lambda agency: forms.ChoiceField(
        label="Why the journey closed",
        required=False,
        choices=[("", "")] + [(code, label) for code, label in CLOSED_REASONS.items() if code != NOT_APPROVED],
    ),
}


class StepForm(GovukForm):
    """Record the next step of a journey. Only the steps the journey allows from the record's
    current stage are offered; the service checks the date against the whole history."""

    kind = forms.ChoiceField(label="Step", widget=forms.RadioSelect)
    occurred_on = forms.DateField(label="Date it happened")
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)

    def __init__(self, *args, steps: list[Step], detail_names: tuple[str, ...], agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(step.kind, step.label) for step in steps]
        for name in detail_names:
            field = _DETAIL_FIELDS[name](agency)
            style_widget(field)
            self.fields[name] = field
        self.order_fields(["kind", "occurred_on", *detail_names, "note"])

    def details(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields if name in _DETAIL_FIELDS}


class CorrectionForm(GovukForm):
    """Correct an entry (a new dated entry that supersedes it) or withdraw it. The reason is kept."""

    action = forms.ChoiceField(
        label="What do you want to do?",
        widget=forms.RadioSelect,
        choices=[
            ("correct", "Correct the date or details"),
            ("withdraw", "Withdraw the entry: it was recorded by mistake"),
        ],
    )
    occurred_on = forms.DateField(label="Correct date", required=False)
    note = forms.CharField(label="Reason for the correction", widget=forms.Textarea)

    def __init__(self, *args, detail_names: tuple[str, ...], agency, **kwargs):
        super().__init__(*args, **kwargs)
        for name in detail_names:
            field = _DETAIL_FIELDS[name](agency)
            style_widget(field)
            self.fields[name] = field
        self.order_fields(["action", "occurred_on", *detail_names, "note"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "correct" and not cleaned.get("occurred_on"):
            self.add_error("occurred_on", "Enter the correct date")
        return cleaned

    def details(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.fields if name in _DETAIL_FIELDS}


class TargetsForm(GovukModelForm):
    class Meta:
        model = AgencyTargets
        exclude = ["agency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "govuk-input govuk-input--width-4"
