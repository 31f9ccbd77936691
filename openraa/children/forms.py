from django import forms
from django.db import transaction
from django.utils import timezone

from openraa.children.models import Child, SiblingGroup
from openraa.children.services import save_child
from openraa.common import parsing
from openraa.partnership.models import Council
from openraa.people import policy
from openraa.people.models import User
from openraa.reference import ETHNICITY_CHOICES, LANGUAGE_CHOICES, NEEDS, SEVERITY_CHOICES
from openraa.children.domain import STAGE_CHOICES
from openraa.web.forms import GovukForm, GovukModelForm, VersionedForm, choice_list, style_widget

_NOT_PRESENT = [("", "Not a need")]


class SiblingGroupReference(forms.ModelChoiceField):
    """A sibling group typed as its reference (G-00042), checked against the agency's groups. An
    agency has thousands of groups: a select box of them all was most of the cost of the edit page
    and is no help to someone who knows the reference from the brother's or sister's record."""

    widget = forms.TextInput

    def __init__(self, queryset):
        super().__init__(
            queryset, required=False, label="Sibling group",
            help_text="The group's reference, for example G-00042. Leave blank if the child is not in a sibling group.",
            error_messages={"invalid_choice": "Enter the reference of one of your agency's sibling groups, "
                                              "for example G-00042"},
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
            "responsible_council", "first_name", "last_name", "date_of_birth", "sex", "ethnicity",
            "birth_mother_name", "birth_father_name", "birth_family_council", "birth_family_postcode_district",
            "current_postcode_district", "identification_risk", "excluded_councils", "preferred_ethnicities", "preferred_religion",
            "preferred_languages", "sibling_group", "allocated_workers",
        ]
        widgets = {"allocated_workers": forms.CheckboxSelectMultiple, "excluded_councils": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, councils, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.instance.agency = user.agency
        may_identify = policy.can(user, "child", "view_restricted")
        hidden = () if may_identify else Child.IDENTITY_FIELDS
        if not may_identify or user.role not in policy.sharing_rules(user).birth_family_roles:
            hidden += Child.BIRTH_FAMILY_FIELDS  # left as they are on save: a form only changes what it shows
        for name in hidden:
            self.fields.pop(name, None)
        self.fields["responsible_council"].queryset = councils
        for name in ("birth_family_council", "excluded_councils"):
            if name in self.fields:
                self.fields[name].queryset = Council.objects.all()
        self.fields["preferred_ethnicities"] = choice_list("Ethnicity the plan prefers in a family", ETHNICITY_CHOICES)
        self.fields["preferred_languages"] = choice_list("Languages the plan asks a family to speak", LANGUAGE_CHOICES)
        self.fields["sibling_group"] = SiblingGroupReference(SiblingGroup.objects.filter(agency=user.agency))
        self.fields["allocated_workers"].queryset = User.objects.filter(agency=user.agency, is_active=True).exclude(
            role__in=["board_member", "finance_officer"]
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
            unable = [str(w) for w in cleaned.get("allocated_workers", []) if not policy.can_on(w, probe, "child", "view")]
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
        child = save_child(self.instance, needs, expected_version=self.opened_version())
        self._save_m2m()  # allocated workers
        return child


class ChildFilterForm(GovukForm):
    q = forms.CharField(label="Search by reference or name", required=False)
    council = forms.ModelChoiceField(queryset=Council.objects.none(), required=False, empty_label="All councils")
    stage = forms.ChoiceField(required=False)
    disability = forms.BooleanField(label="Disability or complex needs only", required=False)
    siblings = forms.BooleanField(label="In a sibling group only", required=False)

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


class SealedRecordReasonForm(GovukForm):
    reason = forms.CharField(
        label="Why do you need to open this sealed adoption record?", min_length=10, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: an adopted adult's request for access to their birth records. "
                  "Your reason is kept with the record of this reading.",
        error_messages={"required": "Enter why you need to open this sealed record",
                        "min_length": "Say why in a sentence, at least 10 characters"},
    )
