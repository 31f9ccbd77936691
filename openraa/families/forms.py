"""The front door's question pages (one thing per page) and the adopters' own forms."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from openraa.common.models import email_validator, phone_validator, postcode_validator
from openraa.families import front_door
from openraa.web.forms import DateInput, GovukForm, style_widget

__all__ = ["GovukForm"]

HONEYPOT = "website"


class HoneypotForm(GovukForm):
    """A field people never see (hidden by CSS, skipped by screen readers and the tab order); a
    robot that fills every box gives itself away, and is answered as if it had succeeded."""

    website = forms.CharField(
        required=False,
        label="Leave this box empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())


class NamesForm(HoneypotForm):
    title = "What is your name?"
    first_name = forms.CharField(label="First name", max_length=80)
    last_name = forms.CharField(label="Last name", max_length=80)


class PartnerForm(GovukForm):
    title = "Are you adopting with a partner?"
    household_makeup = forms.ChoiceField(
        label="Are you adopting with a partner?",
        choices=[("single", "No, on my own"), ("couple", "Yes, with a partner")],
        widget=forms.RadioSelect,
    )
    partner_first_name = forms.CharField(label="Your partner's first name", max_length=80, required=False)
    partner_last_name = forms.CharField(label="Your partner's last name", max_length=80, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("household_makeup") == "couple" and not (
            cleaned.get("partner_first_name", "").strip() and cleaned.get("partner_last_name", "").strip()
        ):
            self.add_error("partner_first_name", "Enter your partner's first and last name")
        if cleaned.get("household_makeup") == "single":
            cleaned["partner_first_name"] = cleaned["partner_last_name"] = ""
        return cleaned


class ChildrenForm(GovukForm):
    title = "How many children live with you now?"
    children_at_home = forms.IntegerField(
        label="How many children live with you now?", min_value=0, max_value=20, help_text="Enter 0 if none"
    )


class ContactForm(GovukForm):
    title = "How can we contact you?"
    email = forms.CharField(
        label="E-mail address",
        max_length=254,
        validators=[email_validator],
        help_text="We send your confirmation and sign-in codes here",
    )
    phone = forms.CharField(label="Telephone (optional)", max_length=30, required=False, validators=[phone_validator])


class PostcodeForm(GovukForm):
    title = "What is your postcode?"
    postcode = forms.CharField(
        label="What is your postcode?",
        max_length=8,
        validators=[postcode_validator],
        help_text="For example, L36 5WZ. We use it to suggest the agencies near you",
    )

    def clean_postcode(self) -> str:
        value = " ".join(self.cleaned_data["postcode"].upper().split())
        if len(value.replace(" ", "")) < 5:
            raise ValidationError("Enter your full postcode, like L36 5WZ")
        return value


class AgencyForm(GovukForm):
    title = "Which agency would you like to adopt with?"

    def __init__(self, *args, agencies, suggested, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(a.code, a.name + (" (recruits where you live)" if a.pk in suggested else "")) for a in agencies]
        field = forms.ChoiceField(
            label="Which agency would you like to adopt with?",
            choices=choices,
            widget=forms.RadioSelect,
            help_text="The agencies that recruit where you live come first; you may choose any",
        )
        self.fields["agency"] = field
        style_widget(field)


class CouncilForm(GovukForm):
    title = "Which council area do you live in?"

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"] = forms.ChoiceField(
            label="Which council area do you live in?",
            choices=[("", "Choose a council")] + [(str(c.pk), c.name) for c in councils],
        )
        style_widget(self.fields["council"])


class SourceForm(GovukForm):
    title = "What made you think about adopting with us?"
    source = forms.ChoiceField(
        label="What made you think about adopting with us?", choices=front_door.SOURCE_CHOICES, widget=forms.RadioSelect
    )


def monitoring_form(key: str) -> type[GovukForm]:
    question, choices = front_door.MONITORING[key]
    field = forms.ChoiceField(
        label=question,
        choices=[*choices, (front_door.PREFER_NOT, "Prefer not to say")],
        widget=forms.RadioSelect,
        required=False,
    )
    return type(f"Monitoring_{key}", (GovukForm,), {"title": question, "answer": field})


class SignInForm(GovukForm):
    email = forms.CharField(label="E-mail address", max_length=254)
    password = forms.CharField(label="Password", widget=forms.PasswordInput(render_value=False), max_length=200)


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code",
        max_length=10,
        help_text="The 6 digits from your e-mail or authenticator app",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ChoosePasswordForm(GovukForm):
    password = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput,
        max_length=200,
        help_text="At least 12 characters; three random words work well",
    )
    again = forms.CharField(label="Type it again", widget=forms.PasswordInput, max_length=200)

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("again")
        if password and again and password != again:
            self.add_error("again", "The passwords do not match")
        elif password:
            if len(password) < 12:
                self.add_error("password", "Your password must be at least 12 characters")
            else:
                try:
                    validate_password(password)
                except ValidationError as error:
                    self.add_error("password", error)
        return cleaned


class RegistrationForm(GovukForm):
    information_session_on = forms.DateField(label="When did you come to an information session?", widget=DateInput)
    why_adopt = forms.CharField(
        label="Why do you want to adopt?", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class MessageForm(GovukForm):
    text = forms.CharField(label="Your message", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class UploadForm(GovukForm):
    file = forms.FileField(label="Upload a file", help_text="A PDF, a photo (JPEG or PNG) or a Word document")


class InterestForm(GovukForm):
    note = forms.CharField(
        label="Anything you would like the child's worker to know (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class WithdrawForm(GovukForm):
    reason = forms.CharField(
        label="Why are you withdrawing your interest?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="The child's and your own worker read this",
    )
