from django import forms
from django.db import transaction
from django.utils import timezone

from openraa.children import sealing
from openraa.children.domain import STAGE_CHOICES
from openraa.children.models import Child, RecordsRequest, SiblingGroup
from openraa.children.services import save_child
from openraa.common import parsing
from openraa.partnership.models import Council
from openraa.people import policy
from openraa.people.models import User
from openraa.people.roles import roles_granted
from openraa.reference import ETHNICITY_CHOICES, LANGUAGE_CHOICES, NEEDS, SEVERITY_CHOICES
from openraa.web.forms import GovukForm, GovukModelForm, VersionedForm, choice_list, style_widget

_NOT_PRESENT = [("", "Not a need")]


class SiblingGroupReference(forms.ModelChoiceField):
    """A sibling group typed as its reference (G-00042), checked against the agency's groups. An
    agency has thousands of groups: a select box of them all was most of the cost of the edit page
    and is no help to someone who knows the reference from the brother's or sister's record."""

    widget = forms.TextInput

    def __init__(self, queryset):
        super().__init__(
            queryset,
            required=False,
            label="Sibling group",
            help_text="The group's reference, for example G-00042. Leave blank if the child is not in a sibling group.",
            error_messages={
                "invalid_choice": "Enter the reference of one of your agency's sibling groups, for example G-00042"
            },
        )
        self.widget.attrs.update({"class": "govuk-input govuk-input--width-10", "spellcheck": "false"})
        style_widget(self)

    def prepare_value(self, value):
        if isinstance(value, int):  # the record's own group, as its id
            return SiblingGroup(pk=value).reference
        return value  # what was typed, shown back with its error

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        key = parsing.reference(value, "G")
        if key is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(key)


class ChildForm(VersionedForm, GovukModelForm):
    """Create and edit a child. Needs are one select per catalogued need: absent, low, medium, high."""

    class Meta:
        model = Child
        # Milestone dates are not typed in: they come from the journey's recorded steps.
        fields = [
            "responsible_council",
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "birth_mother_name",
            "birth_father_name",
            "birth_family_council",
            "birth_family_postcode_district",
            "current_postcode_district",
            "identification_risk",
            "excluded_councils",
            "preferred_ethnicities",
            "preferred_religion",
            "preferred_languages",
            "sibling_group",
            "allocated_workers",
        ]
        widgets = {"allocated_workers": forms.CheckboxSelectMultiple, "excluded_councils": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, councils, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.instance.agency = user.agency
        # A form shows (and so changes) only what the user may see; the rest is left as it is on save.
        # A new child is judged as a child of the user's own council.
        probe = (
            self.instance
            if self.instance.pk
            else Child(agency=user.agency, responsible_council_id=user.employing_council_id)
        )
        for name in policy.hidden_fields(user, probe) & set(self.fields):
            self.fields.pop(name)
        self.fields["responsible_council"].queryset = councils
        for name in ("birth_family_council", "excluded_councils"):
            if name in self.fields:
                self.fields[name].queryset = Council.objects.all()
        self.fields["preferred_ethnicities"] = choice_list("Ethnicity the plan prefers in a family", ETHNICITY_CHOICES)
        self.fields["preferred_languages"] = choice_list("Languages the plan asks a family to speak", LANGUAGE_CHOICES)
        self.fields["sibling_group"] = SiblingGroupReference(SiblingGroup.objects.filter(agency=user.agency))
        self.fields["allocated_workers"].queryset = User.objects.holding(*roles_granted("child", "view")).filter(
            agency=user.agency, is_active=True
        )
        for name in ("birth_family_postcode_district", "current_postcode_district"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-4"
        current = {n.need: n.severity for n in self.instance.needs.all()} if self.instance.pk else {}
        for code, (label, _) in NEEDS.items():
            field = forms.ChoiceField(label=label, choices=_NOT_PRESENT + SEVERITY_CHOICES, required=False)
            field.initial = current.get(code, "")
            style_widget(field)
            self.fields[f"need_{code}"] = field

    def clean(self):
        cleaned = super().clean()
        council = cleaned.get("responsible_council")
        if council is not None:
            probe = Child(agency=self.user.agency, responsible_council=council)
            unable = [
                str(w) for w in cleaned.get("allocated_workers", []) if not policy.can_on(w, probe, "child", "view")
            ]
            if unable:
                self.add_error("allocated_workers", f"{', '.join(unable)} may not see {council}'s children")
        return cleaned

    def need_fields(self):
        return [self[name] for name in self.fields if name.startswith("need_")]

    def record_fields(self):
        return [self[name] for name in self.fields if not name.startswith("need_") and not self[name].is_hidden]

    @transaction.atomic
    def save(self, commit=True):
        needs = {code: self.cleaned_data[f"need_{code}"] for code in NEEDS if self.cleaned_data.get(f"need_{code}")}
        child = save_child(self.instance, needs, expected_version=self.opened_version(), by=self.user)
        self._save_m2m()  # allocated workers
        return child


class ChildFilterForm(GovukForm):
    q = forms.CharField(label="Search by reference or name", required=False)
    council = forms.ModelChoiceField(queryset=Council.objects.none(), required=False, empty_label="All councils")
    stage = forms.ChoiceField(required=False)
    disability = forms.BooleanField(label="Disability or complex needs only", required=False)
    siblings = forms.BooleanField(label="In a sibling group only", required=False)
    sort = forms.ChoiceField(
        label="Order", required=False, choices=[("", "Newest record first"), ("waiting", "Longest waiting first")]
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.fields["stage"].choices = [("", "All stages"), *STAGE_CHOICES]


class SiblingGroupForm(GovukModelForm):
    """A sibling group and the plan's decision whether to place the children together."""

    class Meta:
        model = SiblingGroup
        fields = ["place_together", "decided_on", "decision_reason"]
        labels = {"decision_reason": "Reason for the decision"}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decided_on") and cleaned["decided_on"] > timezone.localdate():
            self.add_error("decided_on", "The decision date cannot be in the future")
        if not cleaned.get("place_together") and not cleaned.get("decision_reason"):
            self.add_error("decision_reason", "Give the reason the plan places these children apart")
        return cleaned


class StatedPurposeForm(GovukForm):
    """A purpose from the list and the reader's own words (children/sealing.py): what opening or
    exporting a sealed adoption record needs. The audit keeps both as one line (`stated`)."""

    purpose = forms.ChoiceField(
        label="Purpose",
        choices=sealing.PURPOSE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the purpose"},
    )
    reason = forms.CharField(
        label="Why, in your own words",
        max_length=sealing.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who asked and for what, for example: the adopted adult asked for her birth records. "
        "Your reason is kept with the record of this reading.",
        error_messages={"required": "Say why, in your own words"},
    )

    def clean(self):
        cleaned = super().clean()
        for name, problem in sealing.purpose_problems(cleaned.get("purpose"), cleaned.get("reason", "")).items():
            if name not in self.errors:
                self.add_error(name, problem)
        return cleaned

    def stated(self) -> str:
        return sealing.stated(self.cleaned_data["purpose"], self.cleaned_data["reason"])


class SealedRecordReasonForm(StatedPurposeForm):
    """Why a sealed adoption record is being opened."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].label = "Why do you need to open this sealed adoption record?"
        self.fields["reason"].label = "Say why, in your own words"


class AdoptionOrderCorrectionForm(GovukForm):
    """A team manager puts right a mistaken adoption order: its date, or the order withdrawn."""

    correction = forms.ChoiceField(
        label="What was wrong",
        widget=forms.RadioSelect,
        choices=[
            ("date", "The order was made, on another date"),
            ("withdraw", "No adoption order was made for this child (recorded in error)"),
        ],
        error_messages={"required": "Choose what was wrong"},
    )
    corrected_on = forms.DateField(
        label="Date the adoption order was made",
        required=False,
        help_text="Only when the order was made on another date",
    )
    reason = forms.CharField(
        label="Why the order is corrected",
        max_length=sealing.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the court's sealed order shows 3 March, not 3 May",
        error_messages={"required": "Say why the order is corrected"},
    )

    def clean(self):
        cleaned = super().clean()
        problem = sealing.reason_problem(cleaned.get("reason", ""))
        if problem and "reason" not in self.errors:
            self.add_error("reason", problem)
        if (
            cleaned.get("correction") == "date"
            and not cleaned.get("corrected_on")
            and "corrected_on" not in self.errors
        ):
            self.add_error("corrected_on", "Enter the date the adoption order was made")
        return cleaned


class RecordsRequestForm(GovukModelForm):
    """An adopted adult's request for their adoption records, as it was handled."""

    class Meta:
        model = RecordsRequest
        fields = ["requester_name", "requested_on", "identity_checked", "identity_evidence", "disclosed"]
        widgets = {"disclosed": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "identity_evidence": "For example: passport and birth certificate seen in person",
            "disclosed": "What the adopted adult was given or told, and what was withheld and why",
        }

    def clean_requested_on(self):
        day = self.cleaned_data["requested_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of the request cannot be in the future")
        return day

    def clean_identity_checked(self):
        if not self.cleaned_data.get("identity_checked"):
            raise forms.ValidationError("Check the adopted adult's identity before anything is disclosed")
        return True

    def clean_disclosed(self):
        problem = sealing.reason_problem(self.cleaned_data["disclosed"])
        if problem:
            raise forms.ValidationError(problem.replace("Say why", "Say what was disclosed"))
        return self.cleaned_data["disclosed"]
