"""Governance forms, GOV.UK style. Each form validates the whole record (the model's clean) before
anything is saved."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from openraa.governance import risks
from openraa.governance.models import (
    Action,
    Agreement,
    AgreementExtension,
    Board,
    BoardMember,
    ComplaintStageEntry,
    Document,
    InterCountryCase,
    Meeting,
    Risk,
    RiskReview,
    Workstream,
)
from openraa.web.forms import GovukForm, GovukModelForm, style_widget


def _member_councils(form: forms.BaseForm, field: str, agency) -> None:
    form.fields[field].queryset = agency.member_councils()
    form.fields[field].empty_label = None
    style_widget(form.fields[field])


class AgreementForm(GovukModelForm):
    class Meta:
        model = Agreement
        fields = ["title", "kind", "starts_on", "term_years", "reminder_days", "ended_on"]
        widgets = {"kind": forms.RadioSelect}
        help_texts = {"term_years": "The expiry date is worked out from the start date and the term"}


class ExtensionForm(GovukModelForm):
    class Meta:
        model = AgreementExtension
        fields = ["new_expiry", "decided_on", "reason"]
        labels = {"decided_on": "Date the extension was decided", "reason": "Why it was extended"}


class DocumentForm(GovukModelForm):
    class Meta:
        model = Document
        fields = ["kind", "title", "owner", "version", "approved_on", "review_due_on", "reminder_days"]
        labels = {"kind": "Document"}


class BoardForm(GovukModelForm):
    class Meta:
        model = Board
        fields = ["name", "kind", "frequency", "established_on"]
        widgets = {"kind": forms.RadioSelect, "frequency": forms.RadioSelect}
        labels = {"kind": "Kind of board or group"}


class MemberForm(GovukModelForm):
    class Meta:
        model = BoardMember
        fields = ["name", "council", "role_on_board"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _member_councils(self, "council", self.instance.board.agency)


class MeetingForm(GovukModelForm):
    decisions = forms.CharField(
        label="Decisions made", required=False, widget=forms.Textarea, help_text="One decision a line"
    )

    class Meta:
        model = Meeting
        fields = ["held_on", "quorate"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widget(self.fields["decisions"])

    def decision_texts(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["decisions"].splitlines() if line.strip()]


class ActionForm(GovukModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "due_on", "done_on"]
        labels = {"description": "What is to be done", "owner": "Who owns it"}


class WorkstreamForm(GovukModelForm):
    class Meta:
        model = Workstream
        fields = ["name", "lead_council", "status", "note"]
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _member_councils(self, "lead_council", self.instance.agency)


class ComplaintForm(GovukForm):
    council = forms.ModelChoiceField(label="Council", queryset=None)
    received_on = forms.DateField(label="Received on")
    about = forms.CharField(
        label="What it is about", widget=forms.Textarea, help_text="Describe the complaint without naming anyone"
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        _member_councils(self, "council", agency)


class ResponseForm(GovukModelForm):
    """The answer at the current stage."""

    class Meta:
        model = ComplaintStageEntry
        fields = ["extended", "responded_on", "outcome"]
        widgets = {"outcome": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = ComplaintStageEntry.Outcome.choices
        style_widget(self.fields["outcome"])

    def clean(self):
        data = super().clean()
        responded_on, outcome = data.get("responded_on"), data.get("outcome")
        if responded_on and not outcome:
            self.add_error("outcome", "Select the outcome of the response")
        if outcome and not responded_on and "responded_on" not in self.errors:
            self.add_error("responded_on", "Enter the date of the response")
        if responded_on and responded_on < self.instance.started_on:
            self.add_error(
                "responded_on", f"The response cannot be before the stage started, {self.instance.started_on:%d/%m/%Y}"
            )
        return data


class EscalationForm(GovukForm):
    started_on = forms.DateField(label="Date escalation was requested")

    def __init__(self, *args, current: ComplaintStageEntry, **kwargs):
        self.current = current
        super().__init__(*args, **kwargs)

    def clean_started_on(self):
        started_on = self.cleaned_data["started_on"]
        if started_on < self.current.started_on:
            raise ValidationError(
                f"The request cannot be before the current stage started, {self.current.started_on:%d/%m/%Y}"
            )
        return started_on


class InterCountryForm(GovukModelForm):
    class Meta:
        model = InterCountryCase
        fields = [
            "household_reference",
            "country",
            "provider",
            "status",
            "enquiry_on",
            "approved_on",
            "matched_on",
            "placed_on",
        ]
        widgets = {"status": forms.RadioSelect}


RISK_FIELDS = ["title", "description", "owner", "controls", "source"]


class RiskForm(GovukModelForm):
    """A new risk with its first rating."""

    likelihood = forms.TypedChoiceField(
        label="How likely is it", choices=risks.LIKELIHOOD_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    impact = forms.TypedChoiceField(
        label="How great would its impact be", choices=risks.IMPACT_CHOICES, coerce=int, widget=forms.RadioSelect
    )

    class Meta:
        model = Risk
        fields = [*RISK_FIELDS, "raised_on"]


class RiskChangeForm(GovukModelForm):
    class Meta:
        model = Risk
        fields = [*RISK_FIELDS, "closed_on"]


class RiskReviewForm(GovukModelForm):
    class Meta:
        model = RiskReview
        fields = ["reviewed_on", "likelihood", "impact", "note"]
        widgets = {"likelihood": forms.RadioSelect, "impact": forms.RadioSelect}
        labels = {"likelihood": "How likely is it now", "impact": "How great would its impact be now"}
