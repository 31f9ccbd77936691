"""What adopters did in their own accounts, and what the front door received, as entries of the
administrators' audit log (its "A family's own account" channel): who (the family's account, never a
member of staff), when, and what, with the household and any child profile it concerned."""

from openraa.audit.log import FAMILY, Entry, Filters, Source, bounds
from openraa.families.models import AdopterEvent


def family_source(agency, filters: Filters) -> Source | None:
    if filters.person is not None:
        return None  # a member of staff's own entries: a family is never one
    events = AdopterEvent.objects.filter(household__agency=agency).filter(bounds(filters, "at"))
    if filters.record_type == "households.household":
        events = events.filter(household_id=filters.record_id) if filters.record_id is not None else events
    elif filters.record_type == "children.child":
        events = (
            events.filter(child_id=filters.record_id) if filters.record_id is not None else events.exclude(child=None)
        )
    elif filters.record_type:
        return None
    events = events.select_related("account", "household", "child")
    return Source(events, ("-at", "-id"), _entries)


def _entries(rows) -> list[Entry]:
    return [
        Entry(
            event.at,
            f"The family of {event.household.reference}"
            if event.household is not None
            else "A visitor to the front door",
            FAMILY,
            _sentence(event),
        )
        for event in rows
    ]


def _sentence(event: AdopterEvent) -> str:
    action = event.action[0].upper() + event.action[1:]
    about = f" (child {event.child.reference})" if event.child is not None else ""
    return f"{action}{about}"
