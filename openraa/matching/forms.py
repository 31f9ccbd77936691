from django import forms

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
        fields = (*FACTOR_LABELS, "identification_radius_km", "max_distance_km", "share_with")

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
        for name in [*FACTOR_LABELS, "identification_radius_km", "max_distance_km"]:
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-5"
