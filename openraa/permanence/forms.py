from django import forms

from openraa.common import parsing
from openraa.common.machine import Step
from openraa.permanence import definitions, phases
from openraa.permanence.models import Carer, PermanenceTargets
from openraa.reference import ETHNICITY_CHOICES, LANGUAGE_CHOICES, LEVEL_CHOICES, NEEDS
from openraa.web.forms import ContactFormMixin, GovukForm, GovukModelForm, choice_list, style_widget


class FunctionsForm(GovukForm):
    """The date the agency runs each function from: empty means it does not run it."""

    def __init__(self, *args, table: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for row in table:
            code = row["function"].value
            self.fields[f"{code}_from"] = forms.DateField(
                label=f"{row['label']}: runs it from",
                required=False,
                initial=row["active_from"],
                help_text="Leave empty if the agency does not run it",
            )
            self.fields[f"{code}_note"] = forms.CharField(
                label=f"{row['label']}: phase (optional)", required=False, max_length=200, initial=row["note"]
            )
        for field in self.fields.values():
            style_widget(field)

    def values(self) -> dict:
        return {
            f.value: (self.cleaned_data[f"{f.value}_from"], self.cleaned_data[f"{f.value}_note"])
            for f in phases.Function
        }


class TargetsForm(GovukModelForm):
    class Meta:
        model = PermanenceTargets
        exclude = ["agency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "govuk-input govuk-input--width-4"


class CarerForm(ContactFormMixin, GovukModelForm):
    class Meta:
        model = Carer
        fields = [
            "kind",
            "names",
            *Carer.CONTACT_FIELDS,
            "home_council",
            "postcode_district",
            "approved_children",
            "age_min",
            "age_max",
            "sibling_group_open",
            "religion",
        ]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(definitions.CARER_KIND_LABELS.items())
        self.fields["home_council"].queryset = councils
        self.fields["home_council"].label = "Home council"
        self.fields["postcode_district"].label = "Postcode district"
        self.fields["postcode_district"].widget.attrs["class"] = "govuk-input govuk-input--width-4"
        for name in ("approved_children", "age_min", "age_max"):
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-2"
        self.fields["approved_children"].help_text = "The approval range, once the carer is approved"
        self.fields["ethnicities"] = choice_list("Ethnicity of the carers", ETHNICITY_CHOICES)
        self.fields["languages"] = choice_list("Languages spoken at home", LANGUAGE_CHOICES)
        self.initial.setdefault("ethnicities", self.instance.ethnicities)
        self.initial.setdefault("languages", self.instance.languages)
        if self.instance.pk:
            del self.fields["kind"]  # a different kind of carer is a different assessment: a new record
        for code, (label, _) in NEEDS.items():
            field = forms.ChoiceField(
                label=label, choices=LEVEL_CHOICES, required=False, initial=self.instance.capabilities.get(code, "none")
            )
            style_widget(field)
            self.fields[f"can_{code}"] = field
        for field in self.fields.values():
            style_widget(field)

    def record_fields(self):
        return [self[name] for name in (*self._meta.fields, "ethnicities", "languages") if name in self.fields]

    def capability_fields(self):
        return [self[name] for name in self.fields if name.startswith("can_")]

    def clean(self):
        cleaned = super().clean()
        self.instance.capabilities = {
            code: cleaned[f"can_{code}"] for code in NEEDS if cleaned.get(f"can_{code}") not in (None, "", "none")
        }
        self.instance.ethnicities = cleaned.get("ethnicities") or []
        self.instance.languages = cleaned.get("languages") or []
        return cleaned


def _detail_fields(carers) -> dict:
    return {
        "carer": lambda: forms.ModelChoiceField(
            label="Carer", queryset=carers, required=False, empty_label="Choose a carer"
        ),
        "extension_weeks": lambda: forms.IntegerField(
            label="Extended by, in weeks",
            required=False,
            min_value=1,
            max_value=definitions.EXTENSION_MAX_WEEKS,
            help_text=f"Up to {definitions.EXTENSION_MAX_WEEKS} weeks, once (regulation 25)",
        ),
        "report_due_on": lambda: forms.DateField(
            label="Report due by (the date the court set)",
            required=False,
            help_text="Leave empty if the court set none: 12 weeks then apply",
        ),
        "closed_reason": lambda: forms.ChoiceField(label="Why it ended", required=False, choices=[("", "")]),
    }


class StepForm(GovukForm):
    """The next step of a carer's or a plan's journey: only the steps its stage allows are offered."""

    kind = forms.ChoiceField(label="Step", widget=forms.RadioSelect)
    occurred_on = forms.DateField(label="Date it happened")
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)

    def __init__(
        self,
        *args,
        steps: list[Step],
        closed_reasons: dict[str, str],
        carers=None,
        refused: dict[str, str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.refused = refused or {}  # steps the stage allows that this user may not record: why not
        self.fields["kind"].choices = [(step.kind, step.label) for step in steps]
        makers = _detail_fields(carers if carers is not None else Carer.objects.none())
        names = tuple(dict.fromkeys(name for step in steps for name in (*step.details, *step.optional)))
        for name in names:
            field = makers[name]()
            if name == "closed_reason":
                field.choices = [("", ""), *closed_reasons.items()]
            style_widget(field)
            self.fields[name] = field
        self.order_fields(["kind", "occurred_on", *names, "note"])

    def clean(self):
        cleaned = super().clean()
        posted = self.data.get(self.add_prefix("kind"))
        if posted in self.refused:  # say why, rather than the generic "not one of the choices"
            self.errors.pop("kind", None)
            self.add_error("kind", self.refused[posted])
        return cleaned

    def details(self, step: Step) -> dict:
        return {name: self.cleaned_data.get(name) for name in (*step.details, *step.optional) if name in self.fields}


class PlanForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of plan", widget=forms.RadioSelect, choices=list(definitions.PLAN_KIND_LABELS.items())
    )
    agreed_on = forms.DateField(label="Date the council agreed the plan")
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)


class CorrectionForm(GovukForm):
    """Correct an entry's date (a new entry that supersedes it) or withdraw it; the reason is kept."""

    action = forms.ChoiceField(
        label="What do you want to do?",
        widget=forms.RadioSelect,
        choices=[("correct", "Correct the date"), ("withdraw", "Withdraw the entry: it was recorded by mistake")],
    )
    occurred_on = forms.DateField(label="Correct date", required=False)
    note = forms.CharField(label="Reason for the correction", widget=forms.Textarea)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "correct" and not cleaned.get("occurred_on"):
            self.add_error("occurred_on", "Enter the correct date")
        return cleaned


class ChildLookupForm(GovukForm):
    child = forms.CharField(label="Child's reference", max_length=12, help_text="For example, C-000123")

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = children
        self.fields["child"].widget.attrs["class"] = "govuk-input govuk-input--width-10"

    def clean_child(self):
        key = parsing.reference(self.cleaned_data["child"], "C")
        child = self.children.filter(pk=key).first() if key is not None else None
        if child is None:
            raise forms.ValidationError("Enter the reference of a child whose plans you may add, like C-000123")
        return child
