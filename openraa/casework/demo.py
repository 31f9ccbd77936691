"""Synthetic case recording for a demo agency: visit and call notes by the workers allocated to
children and households, some of the documents the guidance expects (so the rest show as due), and
tasks between colleagues. Its own random stream, so the rest of the region is unchanged."""

import random
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from openraa.casework import services
from openraa.casework.models import DocumentTracking, Task
from openraa.casework.subjects import SUBJECTS
from openraa.children.models import Child
from openraa.households.models import Household
from openraa.people.models import User
from openraa.people.roles import Role

NOTES = {
    "visit": (
        "Visited at home: settled, playing well; carers report better sleep",
        "Home visit with both applicants; talked through the support network",
    ),
    "call": ("Call with the foster carer about contact arrangements", "Call to book the next assessment session"),
    "meeting": ("Professionals' meeting on the plan; actions agreed",),
}
RECENT_DAYS = 120  # the demo agency expects documents for milestones of the last four months


def load_casework(agency, *, records: int = 24, as_of: date | None = None) -> int:
    """Notes, documents and tasks on up to `records` children and as many households; the count made."""
    rng = random.Random(f"casework-{agency.code}")
    today = as_of or timezone.localdate()
    DocumentTracking.objects.get_or_create(
        agency=agency, defaults={"tracked_from": today - timedelta(days=RECENT_DAYS)}
    )
    made = 0
    children = Child.objects.filter(agency=agency, adoption_order_on__isnull=True, plan_ended_on__isnull=True)
    households = Household.objects.filter(agency=agency, closed_on__isnull=True)
    for slug, rows, report, kinds in (
        ("children", children, "cpr", ("visit", "call", "meeting")),
        ("households", households, "par", ("visit", "call")),
    ):
        subject = SUBJECTS[slug]
        for record in rows.prefetch_related("allocated_workers").order_by("pk")[:records]:
            workers = list(record.allocated_workers.all())
            if not workers:
                continue
            for _ in range(rng.randint(1, 3)):
                kind = rng.choice(kinds)
                services.add_note(
                    subject,
                    record,
                    kind=kind,
                    occurred_on=today - timedelta(days=rng.randint(1, 90)),
                    text=rng.choice(NOTES[kind]),
                    restricted=False,
                    by=rng.choice(workers),
                )
                made += 1
            if rng.random() < 0.5:
                label = "Child Permanence Report" if report == "cpr" else "Prospective Adopter's Report"
                services.upload_document(
                    subject,
                    record,
                    kind=report,
                    title=label,
                    restricted=True,
                    upload=SimpleUploadedFile(f"{report}.txt", f"{label} for {record.reference} (synthetic)".encode()),
                    by=workers[0],
                )
                made += 1
    managers = list(User.objects.holding(Role.TEAM_MANAGER).filter(agency=agency, is_active=True))
    holders = list(User.objects.holding(Role.FAMILY_FINDER, Role.RECRUITMENT_ASSESSMENT).filter(agency=agency))
    for worker in holders[:6]:
        if managers:
            Task.objects.create(
                agency=agency,
                title=rng.choice(
                    ("Update the chronology", "Book the matching panel", "Send the PAR for quality assurance")
                ),
                owner=worker,
                due_on=today + timedelta(days=rng.randint(-5, 14)),
                set_by=managers[0],
            )
            made += 1
    return made
