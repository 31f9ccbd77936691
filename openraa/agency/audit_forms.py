from django import forms
from django.contrib.auth import get_user_model

from openraa.audit.log import CHANNELS, RECORD_LABELS, Filters, parse_reference
from openraa.web.forms import GovukForm


class LogFilterForm(GovukForm):
    """What an administrator searches the audit log by: all optional, all checked."""

    person = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="Member of staff", empty_label="Anyone"
    )
    record_type = forms.ChoiceField(
        label="Kind of record",
        required=False,
        choices=[("", "Any")] + [(k, v.capitalize()) for k, v in RECORD_LABELS.items()],
    )
    reference = forms.CharField(
        label="Record reference", required=False, max_length=20, help_text="For example C-000233 or H-000012"
    )
    channel = forms.ChoiceField(label="Through", required=False, choices=[("", "Anything"), *CHANNELS])
    since = forms.DateField(label="From", required=False)
    until = forms.DateField(label="To", required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model().objects.filter(agency=agency).order_by("last_name", "first_name")
        )

    def clean(self):
        data = super().clean()
        text = data.get("reference") or ""
        data["record_id"] = None
        if text:
            parsed = parse_reference(text)
            if parsed is None:
                self.add_error("reference", "Enter a reference like C-000233 or H-000012")
            elif data.get("record_type") and data["record_type"] != parsed[0]:
                self.add_error("reference", f"{text} is not a reference of that kind of record")
            else:
                data["record_type"], data["record_id"] = parsed
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The end date must be the same as or after the start date")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            person=data.get("person"),
            record_type=data.get("record_type") or "",
            record_id=data.get("record_id"),
            channel=data.get("channel") or "",
            since=data.get("since"),
            until=data.get("until"),
        )
