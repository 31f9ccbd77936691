from django import forms
from django.contrib.auth.forms import SetPasswordForm

from openraa.people.roles import ROLE_CHOICES, role_problems
from openraa.web.forms import GovukForm, style_widget


class RolesField(forms.MultipleChoiceField):
    """Roles that one person may hold together (people/roles.py says which may not, and why)."""

    def validate(self, value):
        super().validate(value)
        problems = role_problems(value)
        if problems:
            raise forms.ValidationError(problems)


def _roles_field() -> forms.MultipleChoiceField:
    field = RolesField(
        label="Roles",
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply: they may see and do what any of their roles allows",
        error_messages={"required": "Select at least one role"},
    )
    style_widget(field)
    return field


def _placement_fields(form: forms.Form, agency) -> None:
    """Employing council, team and base: only this agency's own."""
    fields = {
        "employing_council": forms.ModelChoiceField(
            label="Employing council", queryset=agency.member_councils().order_by("name"), empty_label=""
        ),
        "team": forms.ModelChoiceField(
            label="Team", queryset=agency.teams.order_by("name"), required=False, empty_label="No team"
        ),
        "base": forms.ModelChoiceField(
            label="Base",
            queryset=agency.bases.order_by("name"),
            required=False,
            empty_label="No base",
            help_text="Where they usually work from",
        ),
    }
    for name, field in fields.items():
        style_widget(field)
        form.fields[name] = field


class InviteForm(GovukForm):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(
        label="Work e-mail address", help_text="The invitation goes here; it is also their sign-in"
    )
    starts_on = forms.DateField(label="Starts on", required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"] = _roles_field()
        _placement_fields(self, agency)
        self.order_fields(
            ["first_name", "last_name", "email", "roles", "employing_council", "team", "base", "starts_on"]
        )


class ChangeForm(GovukForm):
    starts_on = forms.DateField(label="Starts on", required=False)
    ends_on = forms.DateField(label="Leaves on", required=False, help_text="Their last working day, when known")

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"] = _roles_field()
        _placement_fields(self, agency)
        self.order_fields(["roles", "employing_council", "team", "base", "starts_on", "ends_on"])


class RosterForm(GovukForm):
    file = forms.FileField(
        label="Staff list (CSV)",
        help_text="Columns: first_name, last_name, email, roles, employing_council, team, base, starts_on",
    )
    MAX_BYTES = 1_000_000

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB: split it")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file must be CSV saved as UTF-8") from None


class WelcomeForm(GovukForm, SetPasswordForm):
    """Django's password form (the validators in AUTH_PASSWORD_VALIDATORS), GOV.UK styled."""
