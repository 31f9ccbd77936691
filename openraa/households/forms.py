from django import forms
from django.db import transaction
from django.utils import timezone

from openraa.common import contact as contact_rules
from openraa.households import checks
from openraa.households.domain import STAGE_CHOICES
from openraa.households.models import Applicant, Household, OtherAdult
from openraa.households.services import save_household
from openraa.people import policy
from openraa.people.models import User
from openraa.people.roles import Role
from openraa.reference import ETHNICITY_CHOICES, LANGUAGE_CHOICES, LEVEL_CHOICES, NEEDS, SEX_CHOICES
from openraa.web.forms import GovukForm, GovukModelForm, VersionedForm, choice_list, style_widget

APPLICANT_FIELDS = ("first_name", "last_name", "date_of_birth", "sex", "ethnicity")
# Optional: the contact details the agency holds (restricted with the names).
APPLICANT_CONTACT_FIELDS = ("phone", "email", "address", "postcode")


class HouseholdForm(VersionedForm, GovukModelForm):
    """Create and edit a household: its journey dates, approval range, what needs it can meet and
    its one or two applicants (the second optional)."""

    class Meta:
        model = Household
        # Journey dates are not typed in: they come from the recorded steps (the enquiry starts it).
        fields = [
            "home_council",
            "postcode_district",
            "enquiry_on",
            "fast_track",
            "approved_children",
            "age_min",
            "age_max",
            "sibling_group_open",
            "early_permanence",
            "religion",
            "languages",
            "allocated_workers",
        ]
        widgets = {"allocated_workers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agency = user.agency
        self.show_applicants = policy.can(user, "household", "view_restricted")
        self.fields["home_council"].queryset = councils
        self.fields["version"].initial = self.instance.version
        self.fields["languages"] = choice_list("Languages spoken at home", LANGUAGE_CHOICES)
        if self.instance.pk:
            del self.fields["enquiry_on"]  # recorded as the journey's first step; corrected there
        self.fields["allocated_workers"].queryset = User.objects.holding(
            Role.RECRUITMENT_ASSESSMENT, Role.TEAM_MANAGER, Role.FAMILY_FINDER
        ).filter(agency=user.agency, is_active=True)
        self.user = user
        self.fields["postcode_district"].widget.attrs["class"] = "govuk-input govuk-input--width-4"
        for name in ("approved_children", "age_min", "age_max"):
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-2"
        current = {c.need: c.level for c in self.instance.capabilities.all()} if self.instance.pk else {}
        for code, (label, _) in NEEDS.items():
            field = forms.ChoiceField(
                label=label, choices=LEVEL_CHOICES, required=False, initial=current.get(code, "none")
            )
            style_widget(field)
            self.fields[f"can_{code}"] = field
        if self.show_applicants:
            applicants = list(self.instance.applicants.all()) if self.instance.pk else []
            for number in (1, 2):
                applicant = applicants[number - 1] if len(applicants) >= number else None
                for name in (*APPLICANT_FIELDS, *APPLICANT_CONTACT_FIELDS):
                    model_field = Applicant._meta.get_field(name)
                    field = model_field.formfield(required=number == 1 and name in APPLICANT_FIELDS)
                    if name in APPLICANT_CONTACT_FIELDS:  # checked on the form, beside the box
                        field.validators.extend(model_field.validators)
                    if name == "sex":
                        field = forms.ChoiceField(choices=[("", ""), *SEX_CHOICES], required=number == 1)
                    elif name == "ethnicity":
                        field = forms.ChoiceField(choices=[("", ""), *ETHNICITY_CHOICES], required=number == 1)
                    field.label = f"Applicant {number}: {model_field.verbose_name}".replace("_", " ")
                    field.initial = getattr(applicant, name) if applicant else None
                    style_widget(field)
                    self.fields[f"applicant{number}_{name}"] = field

    def applicant_fields(self, number: int):
        return [
            self[f"applicant{number}_{name}"]
            for name in (*APPLICANT_FIELDS, *APPLICANT_CONTACT_FIELDS)
            if f"applicant{number}_{name}" in self.fields
        ]

    def capability_fields(self):
        return [self[name] for name in self.fields if name.startswith("can_")]

    def record_fields(self):
        return [self[name] for name in self._meta.fields if name in self.fields]

    def clean(self):
        cleaned = super().clean()
        if self.show_applicants:
            second = [cleaned.get(f"applicant2_{name}") for name in APPLICANT_FIELDS]
            contact = [cleaned.get(f"applicant2_{name}") for name in APPLICANT_CONTACT_FIELDS]
            if (any(second) or any(contact)) and not all(second):
                self.add_error("applicant2_first_name", "Give every detail of the second applicant, or none")
            for number in (1, 2):
                postcode = cleaned.get(f"applicant{number}_postcode")
                if postcode:
                    cleaned[f"applicant{number}_postcode"] = contact_rules.normal_postcode(postcode)
        return cleaned

    def _applicants(self):
        if not self.show_applicants:
            return None
        applicants = []
        for number in (1, 2):
            values = {name: self.cleaned_data.get(f"applicant{number}_{name}") for name in APPLICANT_FIELDS}
            if all(values.values()):
                for name in APPLICANT_CONTACT_FIELDS:
                    values[name] = self.cleaned_data.get(f"applicant{number}_{name}") or ""
                applicants.append(values)
        return applicants

    @transaction.atomic
    def save(self, commit=True):
        capabilities = {code: self.cleaned_data.get(f"can_{code}") or "none" for code in NEEDS}
        capabilities = {code: level for code, level in capabilities.items() if level != "none"}
        household = save_household(
            self.instance, capabilities, self._applicants(), by=self.user, expected_version=self.opened_version()
        )
        self._save_m2m()
        return household


class HouseholdFilterForm(GovukForm):
    q = forms.CharField(label="Search by reference or applicant name", required=False)
    council = forms.ModelChoiceField(queryset=None, required=False, empty_label="All councils")
    stage = forms.ChoiceField(required=False)
    early_permanence = forms.BooleanField(label="Early permanence (dual approval) only", required=False)
    sibling_group_open = forms.BooleanField(label="Open to a sibling group only", required=False)
    sort = forms.ChoiceField(
        label="Order", required=False, choices=[("", "Newest record first"), ("approved", "Approved longest first")]
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.fields["stage"].choices = [("", "All stages"), *STAGE_CHOICES]


class OtherAdultForm(GovukModelForm):
    """Another adult living in the household: they need an enhanced DBS check and the local
    authority checks."""

    class Meta:
        model = OtherAdult
        fields = ["first_name", "last_name", "date_of_birth", "relationship", "moved_out_on"]


class StageOneCheckForm(GovukForm):
    """Record a Stage 1 check of one adult: requested, then completed with its outcome. `adults`
    are households/checks.Adult values, labelled as the reader may see them."""

    adult = forms.ChoiceField(label="For whom", error_messages={"required": "Select who the check is for"})
    kind = forms.ChoiceField(
        label="Check",
        choices=list(checks.KIND_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the check"},
    )
    requested_on = forms.DateField(label="Date requested", error_messages={"required": "Enter the date requested"})
    completed_on = forms.DateField(label="Date completed", required=False)
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Not yet completed"), *checks.OUTCOME_LABELS.items()],
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note", widget=forms.Textarea, required=False)

    def __init__(self, *args, adults: list[checks.Adult], **kwargs):
        super().__init__(*args, **kwargs)
        self.adults = {adult.key: adult for adult in adults}
        adult_field = self.fields["adult"]
        assert isinstance(adult_field, forms.ChoiceField)
        adult_field.choices = [("", "Choose an adult"), *((a.key, a.label) for a in adults)]

    def clean(self):
        cleaned = super().clean()
        adult = self.adults.get(cleaned.get("adult", ""))
        if adult is not None and cleaned.get("kind") and not checks.needs(adult.kind, cleaned["kind"]):
            self.add_error(
                "kind", f"{checks.KIND_LABELS[cleaned['kind']]} is not one of the checks {adult.label} needs"
            )
        if cleaned.get("requested_on") or cleaned.get("completed_on"):
            facts = checks.Check(
                cleaned.get("adult", ""),
                cleaned.get("kind", ""),
                cleaned.get("requested_on"),
                cleaned.get("completed_on"),
                cleaned.get("outcome", ""),
            )
            for field, message in checks.check_errors(facts, timezone.localdate()).items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
        return cleaned
