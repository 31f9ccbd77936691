"""The administrator's form for a member council's single sign-on provider."""

from django import forms
from django.contrib.auth import get_user_model

from openraa.security import sign_in_rules
from openraa.security.models import SignInProvider
from openraa.web.forms import GovukModelForm


class ProviderForm(GovukModelForm):
    domains = forms.CharField(
        label="E-mail domains it signs in for",
        help_text="One a line, like knowsley.gov.uk. Only addresses at these domains are let in through it.",
        widget=forms.Textarea,
    )

    class Meta:
        model = SignInProvider
        fields = ["council", "issuer", "client_id", "client_secret_variable", "trusts_mfa", "offered", "also_allowed"]
        labels = {"also_allowed": "Staff of other councils who may sign in through it"}
        help_texts = {
            "also_allowed": "Only for someone whose council account is with this council though OpenRAA records "
            "another employer. Everyone employed by this council may sign in through it."
        }
        widgets = {"also_allowed": forms.CheckboxSelectMultiple}

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        self.order_fields(["council", "issuer", "client_id", "client_secret_variable", "domains"])
        self.fields["council"].queryset = agency.member_councils().order_by("name")
        self.fields["also_allowed"].queryset = get_user_model().objects.filter(agency=agency, is_active=True)
        self.fields["also_allowed"].required = False
        if self.instance.pk:
            self.initial.setdefault("domains", "\n".join(self.instance.email_domains))

    def clean_domains(self):
        domains, bad = sign_in_rules.parse_domains(self.cleaned_data["domains"])
        if bad:
            raise forms.ValidationError(f"{bad[0]} is not an e-mail domain. Enter domains like knowsley.gov.uk")
        if not domains:
            raise forms.ValidationError("Enter the council's e-mail domains, like knowsley.gov.uk")
        return list(domains)

    def _post_clean(self):
        super()._post_clean()
        if "domains" in self.cleaned_data:
            self.instance.email_domains = self.cleaned_data["domains"]

    def validate_unique(self):
        pass  # the service says it in words (one provider per council)
