"""The families' side on staff pages: the household's panel (registration of interest, preparation
groups, documents asked, messages) and the child's published profile."""

from django import template

register = template.Library()


@register.inclusion_tag("families/staff/household_panel.html", takes_context=True)
def family_panel(context, household):
    return {"household": household, "request": context.get("request")}


@register.inclusion_tag("families/staff/child_profile_panel.html", takes_context=True)
def child_profile_panel(context, child):
    return {"child": child, "request": context.get("request")}
