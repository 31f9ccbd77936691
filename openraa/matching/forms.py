from django import forms
from django.utils import timezone

from openraa.matching.models import Interest, MatchingSettings
from openraa.partnership.models import Agency
from openraa.web.forms import GovukForm, GovukModelForm, style_widget


class InterestForm(GovukForm):
    direction = forms.ChoiceField(
        label="Who is interested?", choices=Interest.Direction.choices, widget=forms.RadioSelect
    )
    expressed_on = forms.DateField(label="Date")
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)


class LinkForm(GovukForm):
    linked_on = forms.DateField(label="Date of the link")
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)

    def clean_linked_on(self):
        # Checked before the confirmation page, so nobody confirms a link the service then refuses.
        linked_on = self.cleaned_data["linked_on"]
        if linked_on > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future")
        return linked_on


class VisitForm(GovukForm):
    visited_on = forms.DateField(label="Date of the visit")
    note = forms.CharField(label="What happened", widget=forms.Textarea)


FACTOR_LABELS = {
    "needs": "Meeting the child's needs",
    "ethnicity": "Ethnicity",
    "religion": "Religion",
    "language": "Language",
    "distance": "Distance from the child",
    "child_waiting": "Time the child has waited",
    "household_waiting": "Time the household has waited",
    "early_permanence": "Early permanence",
}


def _bounded(label: str, low: float, high: float, unit: str, help_text: str = "", required: bool = True):
    messages = {
        "required": f"Enter {label[0].lower() + label[1:]}",
        "invalid": f"{label} must be a number, like 15",
        "min_value": f"{label} must be {low:g} {unit} or more",
        "max_value": f"{label} must be {high:g} {unit} or less",
    }
    return forms.FloatField(
        label=label,
        min_value=low,
        max_value=high,
        required=required,
        help_text=help_text,
        error_messages=messages,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )


class MatchingSettingsForm(GovukModelForm):
    """The agency's weights (0 to 100 points each), its distance rules and the neighbouring agencies
    it searches (only where they name it back)."""

    class Meta:
        model = MatchingSettings
        fields = (
            *FACTOR_LABELS,
            "identification_radius_km",
            "max_distance_km",
            "max_open_interests",
            "escalate_after_days",
            "receive_escalations",
            "share_with",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in FACTOR_LABELS.items():
            self.fields[name] = _bounded(
                label,
                0,
                100,
                "points",
                f"Points when fully met, 0 to 100 (default {getattr(MatchingSettings, name).field.default:g})",
            )
        self.fields["identification_radius_km"] = _bounded(
            "Identification radius",
            0,
            200,
            "km",
            "Where a risk of identification is recorded, no household within this many kilometres of the birth family is considered. 0 to 200",
        )
        self.fields["max_distance_km"] = _bounded(
            "Maximum distance",
            0,
            1000,
            "km",
            "Optional. No household further than this many kilometres from the child is considered. Leave blank for no limit",
            required=False,
        )
        self.fields["max_open_interests"] = forms.IntegerField(
            label="Open interests a household may hold",
            min_value=1,
            max_value=20,
            help_text="A household of this agency may hold at most this many open expressions of interest. 1 to 20",
            error_messages={
                "required": "Enter how many open interests a household may hold",
                "invalid": "Open interests must be a whole number, like 3",
                "min_value": "A household must be able to hold at least 1 open interest",
                "max_value": "Open interests must be 20 or fewer",
            },
            widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        )
        self.fields["escalate_after_days"] = forms.IntegerField(
            label="Offer to neighbouring agencies after",
            min_value=0,
            max_value=730,
            help_text="Days after the placement order: a child or sibling group with no viable household in the "
            "region by then is offered, anonymised, to agencies that take offers. 0 to 730",
            error_messages={
                "required": "Enter after how many days children are offered to neighbouring agencies",
                "invalid": "Days must be a whole number, like 91",
                "min_value": "Days must be 0 or more",
                "max_value": "Days must be 730 or fewer",
            },
            widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        )
        self.fields["receive_escalations"] = forms.BooleanField(
            label="Take offers from other agencies",
            required=False,
            help_text="Read anonymised profiles of children other agencies cannot place, with this agency's "
            "households scored for them",
        )
        self.fields["share_with"] = forms.ModelMultipleChoiceField(
            label="Neighbouring agencies whose households are searched",
            required=False,
            queryset=Agency.objects.exclude(pk=self.instance.agency_id).order_by("name"),
            widget=forms.CheckboxSelectMultiple,
            help_text="Households of a neighbouring agency are searched only when both agencies name each other here",
        )
        if not self.fields["share_with"].queryset.exists():
            del self.fields["share_with"]  # no other agency on this system to name
        for field in self.fields.values():
            style_widget(field)
        for name in [
            *FACTOR_LABELS,
            "identification_radius_km",
            "max_distance_km",
            "max_open_interests",
            "escalate_after_days",
        ]:
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-5"


class CloseInterestForm(GovukForm):
    status = forms.ChoiceField(
        label="Who is closing it?",
        choices=[(s.value, s.label) for s in Interest.CLOSING],
        widget=forms.RadioSelect,
    )
    closed_on = forms.DateField(label="Date")
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        help_text=(
            "Both the child's and the household's workers read this, and so does the family in their own "
            "account: never write the child's name, where they live or anything about their birth family"
        ),
        error_messages={"required": "Say why, so both workers know"},
    )


class PutForwardForm(GovukForm):
    note = forms.CharField(
        label="Why this household (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="The child's agency reads this with the interest. Do not name the household's members",
    )
