from django import forms
from django.contrib.auth.forms import SetPasswordForm

from openraa.people.roles import ROLE_CHOICES
from openraa.web.forms import GovukForm, style_widget


def _council_field(agency) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label="Employing council", queryset=agency.member_councils().order_by("name"), empty_label=""
    )
    style_widget(field)
    return field


class InviteForm(GovukForm):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(
        label="Work e-mail address", help_text="The invitation goes here; it is also their sign-in"
    )
    role = forms.ChoiceField(label="Role", choices=[("", ""), *ROLE_CHOICES])
    starts_on = forms.DateField(label="Starts on", required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employing_council"] = _council_field(agency)
        self.order_fields(["first_name", "last_name", "email", "role", "employing_council", "starts_on"])


class ChangeForm(GovukForm):
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES)
    ends_on = forms.DateField(label="Leaves on", required=False, help_text="Their last working day, when known")

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employing_council"] = _council_field(agency)
        self.order_fields(["role", "employing_council", "ends_on"])


class RosterForm(GovukForm):
    file = forms.FileField(
        label="Staff list (CSV)",
        help_text="Columns: first_name, last_name, email, role, employing_council, starts_on",
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
