from django import template
from django.utils.http import urlencode

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
