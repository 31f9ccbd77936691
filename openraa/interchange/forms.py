"""The SSDA903 upload form: the council, the collection year and the files (CSVs or a zip of them,
or the XML form)."""

import zipfile
import zlib
from datetime import date
from io import BytesIO

from django import forms

from openraa.interchange.ssda903 import codes
from openraa.web.forms import GovukForm

MAX_UPLOAD = 200 * 1024 * 1024  # bytes, after unzipping
FIRST_YEAR = 1990  # no SSDA903 return is older


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "govuk-file-upload", "accept": ".csv,.xml,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else single(data, initial)


class UploadForm(GovukForm):
    council = forms.ModelChoiceField(queryset=None, empty_label=None, help_text="The council whose return this is")
    year = forms.CharField(
        label="Collection year", max_length=9, help_text="The year ending on 31 March: for example 2025 or 2024-25"
    )
    files = MultipleFileField(
        label="Files",
        help_text="The return's CSV tables (Header, Episodes, AD1, "
        "PlacedAdoption, PrevPerm), a zip of them, or the XML form",
    )

    def __init__(self, *args, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.fields["year"].widget.attrs["class"] = "govuk-input govuk-input--width-10"

    def clean_year(self) -> int:
        try:
            year = codes.parse_year(self.cleaned_data["year"]).end
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        latest = date.today().year + 1
        if not FIRST_YEAR <= year <= latest:
            raise forms.ValidationError(f"Give a collection year from {FIRST_YEAR} to {latest}")
        return year

    def clean_files(self) -> list[tuple[str, bytes]]:
        contents, total = [], 0
        for upload in self.cleaned_data["files"]:
            # Refuse an over-sized file by its size, before reading it into memory.
            unzipped_later = upload.name.lower().endswith(".zip")  # a zip is counted by its members below
            if upload.size > MAX_UPLOAD or (not unzipped_later and total + upload.size > MAX_UPLOAD):
                raise forms.ValidationError("The files are too large (200 MB at most)")
            data = upload.read()
            if upload.name.lower().endswith(".zip"):
                try:
                    archive = zipfile.ZipFile(BytesIO(data))
                except zipfile.BadZipFile as error:
                    raise forms.ValidationError(f"{upload.name} is not a zip file") from error
                for info in archive.infolist():
                    if info.is_dir() or not info.filename.lower().endswith((".csv", ".xml")):
                        continue
                    total += info.file_size
                    if total > MAX_UPLOAD:
                        raise forms.ValidationError("The files are too large (200 MB at most, unzipped)")
                    try:
                        member = archive.read(info)
                    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
                        raise forms.ValidationError(
                            f"{upload.name} is damaged: {info.filename} cannot be unzipped"
                        ) from error
                    contents.append((info.filename.rsplit("/", 1)[-1], member))
            else:
                total += len(data)
                if total > MAX_UPLOAD:
                    raise forms.ValidationError("The files are too large (200 MB at most)")
                contents.append((upload.name, data))
        if not contents:
            raise forms.ValidationError("Choose the return's CSV files, a zip of them or the XML file")
        return contents
