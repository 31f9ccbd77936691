"""GOV.UK Design System rendering for Django forms: labels, hints, error messages, the date input
and the error summary, through Django's own form-template machinery."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import TemplatesSetting

from openraa.common import contact, parsing
from openraa.common.models import VERSION_REQUIRED
from openraa.web import widget_html


class GovukRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"

    def render(self, template_name, context, request=None):
        # The widgets drawn once per choice are written in Python (web/widget_html.py, issue 18).
        html = widget_html.render(template_name, context) if request is None else None
        return html if html is not None else super().render(template_name, context, request)


NOT_A_DATE = "not a date: "


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes, joined into one ISO date for DateField."""

    template_name = "govuk/date_input.html"
    govuk_kind = "date"

    def __init__(self, attrs=None):
        box = {"inputmode": "numeric"}
        super().__init__([forms.TextInput(box), forms.TextInput(box), forms.TextInput(box)], attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str):
            value = value.removeprefix(NOT_A_DATE)
            if value.count("-") == 2:
                year, month, day = value.split("-")
                return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (str(data.get(f"{name}_{i}", "")).strip() for i in range(3))
        if not (day or month or year):
            return None
        typed = parsing.date_from_parts(day, month, year)
        if typed is not None:
            return typed.isoformat()
        # Not a date (DateField says so), kept as typed to be shown again: the mark makes sure
        # DateField cannot read it, as it would digits of another script.
        return f"{NOT_A_DATE}{year}-{month}-{day}"


class GovukForm(forms.Form):
    default_renderer = GovukRenderer

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field)


class VersionedForm(forms.Form):
    """Carries the version of the record the form was opened at (see common.models.Versioned). An
    edit posted without it, or with one that is not a whole number, is refused as a whole (not on
    the hidden field, which nobody can see or correct) and changes nothing."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_version(self) -> int | None:
        return parsing.whole_number(self.cleaned_data.get("version"), 0)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("version") is None:
            self.add_error(None, VERSION_REQUIRED)
        return cleaned

    def opened_version(self) -> int | None:
        return self.cleaned_data.get("version") if self.instance.pk else None


class GovukModelForm(forms.ModelForm):
    default_renderer = GovukRenderer

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field)

    def _update_errors(self, errors):
        # A model rule may name a field this form does not show (a journey date): Django would raise
        # for it, a server error; its message goes on the form as a whole instead.
        if hasattr(errors, "error_dict") and any(
            f not in self.fields and f != NON_FIELD_ERRORS for f in errors.error_dict
        ):
            moved: dict[str, list] = {}
            for field, messages in errors.error_dict.items():
                moved.setdefault(field if field in self.fields else NON_FIELD_ERRORS, []).extend(messages)
            errors = ValidationError(moved)
        super()._update_errors(errors)


def choice_list(label: str, choices, help_text: str = "") -> forms.MultipleChoiceField:
    """Checkboxes for a list of codes kept in a JSON field (preferences, languages)."""
    field = forms.MultipleChoiceField(
        label=label, choices=choices, required=False, help_text=help_text, widget=forms.CheckboxSelectMultiple
    )
    style_widget(field)
    return field


def _required_message(field: forms.Field) -> str:
    """GOV.UK asks for a message that says what to do: "Enter ..." or "Select ..."."""
    label = str(field.label or "this").rstrip("?")
    label = label[0].lower() + label[1:] if label[:2] != label[:2].upper() else label
    if isinstance(field.widget, (forms.RadioSelect, forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.Select)):
        return f"Select {label}"
    return f"Enter {label}"


def not_before_1900(value: date) -> None:
    """A year such as 0999 parses as a date but is a typing mistake in every date the app keeps."""
    if value is not None and value.year < 1900:
        raise ValidationError("Enter a real date after 1900")


def _ascii_number(field: forms.Field):
    """The field's own reading, after refusing text that is not ASCII: Django reads '٣' as 3 in a
    whole-number or amount box, and only ASCII digits are numbers here (see common/parsing.py)."""
    to_python = field.to_python

    def read(value):
        if isinstance(value, str) and not value.isascii():
            raise ValidationError(field.error_messages["invalid"], code="invalid")
        return to_python(value)

    read.ascii_only = True
    return read


def style_widget(field: forms.Field) -> None:
    if isinstance(field, (forms.IntegerField, forms.DecimalField)) and not getattr(
        field.to_python, "ascii_only", False
    ):
        field.to_python = _ascii_number(field)
    if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
        field.error_messages["required"] = _required_message(field)
    if isinstance(field, forms.DateField) and not isinstance(field.widget, DateInput):
        field.widget = DateInput()
        field.error_messages["invalid"] = "Enter a real date"
    if isinstance(field, forms.DateField) and not_before_1900 not in field.validators:
        field.validators.append(not_before_1900)
    widget = field.widget
    if isinstance(widget, DateInput):
        return
    if isinstance(widget, forms.CheckboxSelectMultiple):
        widget.govuk_kind = "checkboxes"
        widget.attrs["class"] = "govuk-checkboxes__input"
    elif isinstance(widget, forms.CheckboxInput):
        widget.govuk_kind = "checkbox"
        widget.attrs["class"] = "govuk-checkboxes__input"
    elif isinstance(widget, forms.RadioSelect):
        widget.govuk_kind = "radios"
        widget.attrs["class"] = "govuk-radios__input"
    elif isinstance(widget, forms.Select):
        widget.govuk_kind = "select"
        widget.attrs["class"] = "govuk-select"
    elif isinstance(widget, forms.Textarea):
        widget.govuk_kind = "textarea"
        widget.attrs["class"] = "govuk-textarea"
        widget.attrs["rows"] = 4
    else:
        widget.govuk_kind = "input"
        widget.attrs.setdefault("class", "govuk-file-upload" if isinstance(widget, forms.FileInput) else "govuk-input")


def first_error_anchor(bound_field) -> str:
    """Where the error summary link jumps to: the first box of a date, else the field."""
    if isinstance(bound_field.field.widget, DateInput):
        return f"{bound_field.auto_id}_0"
    if isinstance(bound_field.field.widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


def add_errors(form, error, *, kind_to: str | None = None) -> None:
    """Put a service's refusal (a ValidationError) on the form: each message on its field, or on the
    form as a whole. Journey forms offer only the steps the stage allows, so the journey refusing a
    step's kind is about where its date puts it: `kind_to` names the date field to link instead."""
    problems = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, messages in problems:
        target = kind_to if field == "kind" and kind_to else field
        form.add_error(target if target in form.fields else None, messages)


class ContactFormMixin:
    """A form with the contact fields (common/contact.py): the postcode kept in capitals with its space."""

    cleaned_data: dict[str, Any]

    def clean_postcode(self) -> str:
        return contact.normal_postcode(self.cleaned_data.get("postcode") or "")
