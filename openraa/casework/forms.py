from django import forms

from openraa.casework import domain
from openraa.common import filetypes
from openraa.people.models import User
from openraa.web.forms import GovukForm, style_widget


class NoteForm(GovukForm):
    kind = forms.ChoiceField(label="What kind of note", choices=list(domain.NOTE_KIND_LABELS.items()))
    occurred_on = forms.DateField(label="Date of the visit, call or meeting", help_text="For example, 27 3 2026")
    text = forms.CharField(label="Note", widget=forms.Textarea, max_length=20000)
    restricted = forms.BooleanField(
        label="Restricted: only those who may see this record's names and birth family read it", required=False
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if self.today and value > self.today:
            raise forms.ValidationError("The date cannot be in the future")
        return value


class CorrectionForm(NoteForm):
    reason = forms.CharField(label="Why the note is corrected", max_length=300)


_FILE_HELP = f"A {filetypes.ACCEPTED_LABELS}"


class UploadForm(GovukForm):
    kind = forms.ChoiceField(label="Document")
    title = forms.CharField(label="Title", max_length=200, help_text="For example, Child Permanence Report (final)")
    file = forms.FileField(label="File", help_text=_FILE_HELP)
    restricted = forms.BooleanField(
        label="Restricted: only those who may see this record's names and birth family read it",
        required=False,
        help_text="Letters, Child Permanence Reports, life-story books, later-life letters and court reports are always restricted",
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose a document")] + [(kind.value, kind.label) for kind in kinds]


class VersionForm(GovukForm):
    file = forms.FileField(label="File", help_text=_FILE_HELP)
    note = forms.CharField(label="What changed", max_length=300, required=False)


class TaskForm(GovukForm):
    title = forms.CharField(label="What needs doing", max_length=200)
    owner = forms.ModelChoiceField(label="Who", queryset=User.objects.none(), empty_label="Choose a colleague")
    due_on = forms.DateField(label="Due", help_text="For example, 27 3 2026")
    reference = forms.CharField(
        label="About a child or household (optional)",
        required=False,
        max_length=10,
        help_text="Its reference, like C-000123 or H-000045",
    )

    def __init__(self, *args, colleagues, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = colleagues
        self.fields["owner"].label_from_instance = lambda user: f"{user.get_full_name() or user.username}"
        self.records = records  # reference -> the records the person setting it may see

    def clean_reference(self):
        text = self.cleaned_data["reference"].strip().upper()
        if not text:
            return None
        prefix, _, number = text.partition("-")
        if prefix not in self.records or not number.isdigit():
            raise forms.ValidationError("Enter a reference like C-000123 or H-000045")
        record = self.records[prefix].filter(pk=int(number)).first()
        if record is None:
            raise forms.ValidationError("No child or household you may see has that reference")
        return record


class TimingsForm(GovukForm):
    """From when the agency expects the guidance's documents, and its own timing for each."""

    tracked_from = forms.DateField(
        label="Expect documents for milestones from",
        required=False,
        help_text="Records that moved in from a council system keep their earlier papers there. Leave "
        "empty to expect none yet",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for rule in domain.DUE_RULES:
            for unit, maximum in (("months", 24), ("days", 365)):
                self.fields[f"{rule.kind.value}_{unit}"] = forms.IntegerField(
                    label=f"{rule.kind.label}: {unit} after {rule.milestone_label}",
                    min_value=0,
                    max_value=maximum,
                    initial=getattr(rule, unit),
                )
        for field in self.fields.values():
            style_widget(field)
