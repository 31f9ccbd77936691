"""Records shared by the tests of panels as they run (calendar, agenda, attendance, pack)."""

from datetime import date

from openraa.journeys.models import PanelMeeting, PanelMember
from openraa.journeys.panels import MemberRole
from tests import builders

QUORATE = [
    MemberRole.CHAIR,
    MemberRole.SOCIAL_WORKER,
    MemberRole.INDEPENDENT,
    MemberRole.MEDICAL_ADVISER,
    MemberRole.OTHER,
]


def members_of(agency, roles=QUORATE) -> list[PanelMember]:
    return [
        PanelMember.objects.create(agency=agency, name=f"Member {agency.code} {i}", role=role)
        for i, role in enumerate(roles)
    ]


def meeting_of(agency, held_on: date, members=()) -> PanelMeeting:
    meeting = PanelMeeting.objects.create(agency=agency, held_on=held_on)
    meeting.attended_by.set(members)
    return meeting


def awaiting_panel(agency, council="Knowsley", **overrides):
    return builders.household(agency, council, panel_on=None, approved_on=None, **overrides)


def linked_child(agency, household, council="Knowsley", **overrides):
    return builders.child(agency, council, household=household, linked_on=date(2024, 1, 8), **overrides)


def date_fields(name: str, value: date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}
