"""What every child-level extract's download form asks: sealed adoption records are in the file
only with a stated purpose (children/sealing.py), and only for a role that may open them."""

from django import forms

from openraa.children import sealing
from openraa.performance.returns import may_export_sealed
from openraa.web.forms import GovukForm


class SealedExtractForm(GovukForm):
    sealed_label = "Include sealed adoption records (adopted children) in the file?"

    sealed_purpose = forms.ChoiceField(
        required=False,
        widget=forms.RadioSelect,
        choices=[("", "No, leave them out (they are still counted)"), *sealing.PURPOSE_CHOICES],
        help_text="Only for a purpose that needs them. Each sealed record in the file is kept in the audit log "
        "with your name and purpose.",
    )
    sealed_reason = forms.CharField(
        label="Why the file needs the sealed records, in your own words",
        required=False,
        max_length=sealing.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("sealed_purpose", "sealed_reason"):  # asked last, after what the extract asks
            self.fields[name] = self.fields.pop(name)
        if may_export_sealed(user):
            self.fields["sealed_purpose"].label = self.sealed_label
        else:
            del self.fields["sealed_purpose"], self.fields["sealed_reason"]

    def clean(self):
        cleaned = super().clean()
        purpose = cleaned.get("sealed_purpose")
        if purpose:
            for name, problem in sealing.purpose_problems(purpose, cleaned.get("sealed_reason", "")).items():
                field = "sealed_reason" if name == "reason" else "sealed_purpose"
                if field not in self.errors:
                    self.add_error(field, problem)
        return cleaned

    def stated_purpose(self) -> str:
        """The purpose for including sealed records, or "" when they are left out."""
        purpose = self.cleaned_data.get("sealed_purpose")
        return sealing.stated(purpose, self.cleaned_data["sealed_reason"]) if purpose else ""
