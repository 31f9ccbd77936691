import functools

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from openraa.people import policy
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


# A record's page and the grant that opens it, by model label: references are links wherever shown.
RECORD_PAGES = {
    "children.child": ("children:detail", "child"),
    "households.household": ("households:detail", "household"),
    "support.supportcase": ("support:detail", "support"),
    "support.letterboxagreement": ("support:letterbox-detail", "support"),
    "permanence.carer": ("permanence:carer", "permanence"),
    "permanence.permanenceplan": ("permanence:plan", "permanence"),
}


@register.simple_tag(takes_context=True)
def record_link(context, record) -> SafeString:
    """The record's reference, as a link to its page for a reader whose role opens that kind of
    record (the page itself still decides on the one record); plain text otherwise."""
    if record is None:
        return mark_safe("")
    reference = conditional_escape(record.reference)
    page = RECORD_PAGES.get(record._meta.label_lower)
    request = context.get("request")
    if page is None or request is None or not _may_open(request, page[1]):
        return mark_safe(reference)
    # Another agency's record never opens to this reader: its reference stays text, not a dead link.
    agency_id = getattr(record, "agency_id", None)
    if agency_id is not None and agency_id != getattr(request.user, "agency_id", None):
        return mark_safe(reference)
    return format_html('<a class="govuk-link" href="{}">{}</a>', _record_url(page[0], record.pk), reference)


def _may_open(request, resource: str) -> bool:
    """policy.can(user, resource, "view"), asked once per request and resource: a list page shows
    thousands of references (0.4 s of a 2,347-row page went on asking again)."""
    answers = request.__dict__.setdefault("_openraa_may_open", {})
    if resource not in answers:
        answers[resource] = policy.can(request.user, resource, "view")
    return answers[resource]


_MARK = 987654321  # a key no record has: where the pk goes in a record page's path


@functools.cache
def _url_around_pk(name: str) -> tuple[str, str]:
    before, _, after = reverse(name, args=[_MARK]).partition(str(_MARK))
    return before, after


def _record_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]), resolved once per page kind: a list page links thousands of
    records, and reversing each took a fifth of a 2,347-row page."""
    before, after = _url_around_pk(name)
    return f"{before}{int(pk)}{after}"
