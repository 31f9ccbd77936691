"""Forms of the staff side of the families' pages. The services (families/services.py) hold the rules;
these only read what was typed."""

from django import forms

from openraa.common import parsing
from openraa.families import front_door
from openraa.families.models import FrontDoorSettings, PreparationGroup
from openraa.web.forms import GovukForm, GovukModelForm

_DATE_HELP = "For example, 27 3 2026"


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Do you accept the registration of interest?",
        choices=[("accepted", "Accept it"), ("declined", "Do not accept it")],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label="Date of the decision", help_text=_DATE_HELP)
    reason = forms.CharField(
        label="Reason",
        help_text="Needed when it is not accepted: the family reads it",
        widget=forms.Textarea,
        max_length=3000,
        required=False,
    )

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["decision"] == "accepted"


class DocumentAskForm(GovukForm):
    title = forms.CharField(label="Document", max_length=200, help_text="For example, Your last three pay slips")
    explanation = forms.CharField(
        label="What the family should know", widget=forms.Textarea, max_length=3000, required=False
    )
    due_on = forms.DateField(label="Needed by (optional)", help_text=_DATE_HELP, required=False)


class MessageForm(GovukForm):
    text = forms.CharField(label="Message to the family", widget=forms.Textarea, max_length=5000)


class GroupForm(GovukModelForm):
    class Meta:
        model = PreparationGroup
        fields = ["title", "starts_on", "ends_on", "place", "capacity"]
        help_texts = {"starts_on": _DATE_HELP, "ends_on": _DATE_HELP}


class BookForm(GovukForm):
    household = forms.CharField(label="Household reference", max_length=20, help_text="For example, H-000123")

    def clean_household(self) -> int:
        key = parsing.reference(self.cleaned_data["household"], "H")
        if key is None:
            raise forms.ValidationError("Enter a household reference, like H-000123")
        return key


class AttendanceForm(GovukForm):
    attended = forms.ChoiceField(
        label="Did they attend?", choices=[("yes", "Attended"), ("no", "Did not attend")], widget=forms.RadioSelect
    )


class PublishForm(GovukForm):
    summary = forms.CharField(
        label="What the family should know",
        help_text="Do not write the child's name, any place, or anything about the birth family",
        widget=forms.Textarea,
        max_length=3000,
    )


class FrontDoorForm(GovukModelForm):
    class Meta:
        model = FrontDoorSettings
        fields = ["recruits_in", "about", "information_sessions", "contact_email", "contact_phone"]
        widgets = {
            "about": forms.Textarea(attrs={"rows": 5}),
            "information_sessions": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_recruits_in(self) -> str:
        typed = self.cleaned_data["recruits_in"]
        prefixes = front_door.parse_prefixes(typed)
        if typed.strip() and not prefixes:
            raise forms.ValidationError("Enter postcode areas or districts separated by commas, like L, CH41, WA")
        return ", ".join(prefixes)
