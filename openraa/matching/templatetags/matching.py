from django import template

from openraa.matching.forms import FACTOR_LABELS

register = template.Library()


@register.filter
def factor_label(name: str) -> str:
    """A factor's name in words ("Time the child has waited"), never its code."""
    return FACTOR_LABELS[name]
