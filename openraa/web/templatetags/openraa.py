from django import template
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from openraa.web import widget_html
from openraa.web.forms import first_error_anchor

register = template.Library()


@register.filter
def error_anchor(bound_field) -> str:
    return first_error_anchor(bound_field)


@register.simple_tag(takes_context=True)
def page_url(context, page_number: int) -> str:
    """The current list URL with its filters kept and the page changed."""
    query = context["request"].GET.copy()
    query["page"] = page_number
    return "?" + urlencode(sorted(query.items()))


@register.simple_tag
def govuk_choice_items(bound_field, kind: str) -> SafeString:
    """Every item of a checkbox ("checkboxes") or radio ("radios") group: web/widget_html.py."""
    return mark_safe(widget_html.choice_items(bound_field, kind))
