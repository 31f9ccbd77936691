"""The families' side on staff pages: the household's panel (its front-door enquiry, registration of
interest, preparation groups, documents asked, messages) and the child's published profile."""

from django import template
from django.utils import timezone

from openraa.families import front_door
from openraa.families.models import Enquiry, PublishedProfile
from openraa.families.staff_forms import MessageForm
from openraa.families.staff_views import may_publish, names_shown
from openraa.matching.adapters import child_unit_id
from openraa.people import policy

register = template.Library()


@register.inclusion_tag("families/staff/household_panel.html", takes_context=True)
def family_panel(context, household):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not policy.can_on(user, household, "household", "view"):
        return {"shown": False}
    today = timezone.localdate()
    words = names_shown(user, household)
    enquiry = Enquiry.objects.filter(household=household).first()
    registrations = []
    for registration in household.registrations.select_related("decided_by"):
        due = front_door.registration_due(registration.submitted_on)
        registrations.append({"record": registration, "due": due, "overdue": not registration.decision and today > due})
    return {
        "shown": True,
        "household": household,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "enquiry": enquiry,
        # Names and contact details only as the household's applicants are shown; never the
        # equality monitoring, which is kept for counts alone.
        "enquiry_names": enquiry is not None and "first_name" not in policy.hidden_fields(user, enquiry),
        "words": words,
        "registrations": registrations,
        "places": list(household.preparation_places.select_related("group")),
        "requests": list(household.document_requests.prefetch_related("uploads")),
        "messages": list(household.family_messages.select_related("from_staff", "from_family")) if words else [],
        "can_change": policy.can_on(user, household, "household", "change"),
        "message_form": MessageForm(),
        "accounts": household.adopter_accounts.filter(is_active=True).count(),
    }


@register.inclusion_tag("families/staff/child_profile_panel.html", takes_context=True)
def child_profile_panel(context, child):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"shown": False}
    # A sibling group placed together is published once, for all its children.
    profiles = PublishedProfile.objects.filter(unit_reference=child_unit_id(child))
    return {
        "shown": True,
        "child": child,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "profiles": list(profiles.select_related("agreed_for")),
        "current": profiles.filter(withdrawn_on__isnull=True).first(),
        "may_publish": may_publish(user, child),
    }
