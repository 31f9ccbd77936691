from decimal import Decimal

from django import template

from openraa.finance import money
from openraa.finance.formula import MEASURES

register = template.Library()


@register.filter
def pounds(value):
    """£1,234.50 (a minus sign when negative); empty when there is no amount. An amount given as text
    (the JSON-shaped tables, like selectors.pay_award_table) is read exactly."""
    if isinstance(value, str):
        value = Decimal(value)
    return "" if value is None else money.pounds(value)


@register.filter
def signed_pounds(value):
    """+£100.00 / -£100.00 for differences and variances."""
    return "" if value is None else money.pounds(value, sign=True)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def total(monitoring, attribute):
    return monitoring.total(attribute)


@register.filter
def measure_label(measure):
    return MEASURES.get(measure, measure)


@register.filter
def fraction_percent(value):
    return money.percent(value, 0)
