from django import forms

from openraa.casework import domain
from openraa.common import filetypes
from openraa.web.forms import GovukForm


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
        help_text="Child Permanence Reports, life-story books, later-life letters and court reports are always restricted",
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose a document")] + [(kind.value, kind.label) for kind in kinds]


class VersionForm(GovukForm):
    file = forms.FileField(label="File", help_text=_FILE_HELP)
    note = forms.CharField(label="What changed", max_length=300, required=False)
