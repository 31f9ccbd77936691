"""The HTML of the widgets that render once per choice (a checkbox or radio per option, a select's
options), written in Python: a form such as a child's, with a checkbox for each of England's councils,
spent most of its time starting a template for each option (issue 18). Each function renders exactly
what its template in openraa/templates/django/forms/widgets/ renders for the same context, stripped
as Django's form renderer strips it; tests/web/test_widget_html.py holds them byte-identical to the
templates for any context, so a change to either that the other lacks fails there."""

import html
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

OPTION_TEMPLATES = (
    "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/radio_option.html",
    "django/forms/widgets/input_option.html",
)
SELECT_TEMPLATE = "django/forms/widgets/select.html"
SELECT_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """`{{ value }}`: localised, then escaped unless already safe."""
    if type(value) is str:  # the common case, without Django's lazy-aware wrappers
        return html.escape(value)
    value = localize(value)
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: no localisation; the filter keeps a safe string safe."""
    if isinstance(value, SafeData):
        return str(value)
    return str(escape(str(value)))  # stringformat:"s" is str() for anything but a tuple


def _attrs(attrs: Mapping[str, Any]) -> str:
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def option(widget: Mapping[str, Any]) -> str:
    """A checkbox or radio of a choice widget (the *_option.html templates)."""
    if not widget.get("wrap_label"):
        return _input(widget)
    element_id = widget["attrs"].get("id")
    label_for = f' for="{_text(element_id)}"' if element_id else ""
    return f"<label{label_for}>{_input(widget)}\n {_text(widget['label'])}</label>"


def select(widget: Mapping[str, Any]) -> str | None:
    """A select and its options (select.html); None when an option has a template of its own."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for choice in group_choices:
            if choice.get("template_name") != SELECT_OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_formatted(choice["value"])}"{_attrs(choice["attrs"])}>'
                f"{_text(choice['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def choice_items(bound_field, kind: str) -> str:
    """The GOV.UK items of a checkbox or radio group (govuk/field.html): each option's input and its
    label, for a group of any size without a template per option."""
    return "".join(
        f'<div class="govuk-{kind}__item">{option.tag()}<label class="govuk-label govuk-{kind}__label" '
        f'for="{_text(option.id_for_label)}">{_text(option.choice_label)}</label></div>'
        for option in bound_field
    )


RENDERERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **dict.fromkeys(OPTION_TEMPLATES, option),
    SELECT_TEMPLATE: select,
}


def render(template_name: str, context: Mapping[str, Any]) -> str | None:
    """The widget's HTML, or None when the template has no Python twin (render it as a template)."""
    renderer = RENDERERS.get(template_name)
    if renderer is None or set(context) != {"widget"}:
        return None
    return renderer(context["widget"])
