"""Every read of a person's record is audited, through every channel: a crawl of every URL pattern
of the project (the permission matrix's patterns and records), each opened by a role that may open
it, asserting that the records the URL names (a child, a household, a support case, a carer, a
permanence plan, a complaint, an inter-country case, a panel item's household and child) and every
person's record an API list returns were written to the audit log by that very request, in one
statement. A page or endpoint added later is crawled without being listed here."""

from collections.abc import Mapping

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.views import APIView

from openraa.audit.models import RecordView
from openraa.audit.reads import PERSON_RECORDS
from openraa.people.roles import Role
from tests import builders
from tests.people.test_permission_matrix import (
    NO_RECORD,
    OTHER,
    OWN,
    PUBLIC,
    QUERY,
    RECORD_LOOKUPS,
    _declared,
    _patterns,
    _url,
    expected,
)

# The region's kinds of record that are a person's record, and the records each one shows.
PERSON_KINDS = {
    "child": lambda record: [record],
    "household": lambda record: [record],
    "support_case": lambda record: [record],
    "letterbox": lambda record: [record],
    "carer": lambda record: [record],
    "plan": lambda record: [record],
    "governance_complaint": lambda record: [record],
    "governance_intercountry": lambda record: [record],
    # A panel's agenda item is about a household or a child (or both): the decision shows them.
    "item": lambda item: ([item.household] if item.household_id else []) + list(item.children.all()),
}


class _Reading(Mapping):
    """The region, noting which of its kinds of record a URL's arguments are made from."""

    def __init__(self, region):
        self.region, self.read = region, set()

    def __getitem__(self, kind):
        self.read.add(kind)
        return self.region[kind]

    def __iter__(self):
        return iter(self.region)

    def __len__(self):
        return len(self.region)


def _named_records(region, name, side) -> tuple[dict, list]:
    """The URL's arguments for a side, and the person's records they name."""
    if name not in RECORD_LOOKUPS:
        return NO_RECORD.get(name, {}), []
    reading = _Reading(region)
    kwargs = RECORD_LOOKUPS[name][0](reading, side)
    records = [r for kind in sorted(reading.read & PERSON_KINDS.keys()) for r in PERSON_KINDS[kind](region[kind][side])]
    return kwargs, records


def _api_model(callback):
    view_class = getattr(callback, "cls", None)
    if view_class is None or not issubclass(view_class, APIView):
        return None
    model = getattr(view_class, "model", None)
    serializer = getattr(view_class, "serializer_class", None)
    return model or getattr(getattr(serializer, "Meta", None), "model", None)


def _listed(response, model) -> list:
    """The person's records an API list answer returns."""
    if model is None or model._meta.label_lower not in PERSON_RECORDS:
        return []
    data = response.json()
    rows = data["results"] if isinstance(data, dict) and "results" in data else []
    return [model(pk=row["id"]) for row in rows]


@pytest.mark.django_db
def test_every_read_of_a_persons_record_is_audited_on_every_page_and_endpoint(region, client):
    users = {role: builders.user(role, region["agency"][OWN], username=f"crawl-{role}") for role in Role}
    unaudited, crawled = [], 0
    for name, route, entry in _patterns():
        if name in PUBLIC:
            continue
        permission = _declared(entry.callback)
        lookups = RECORD_LOOKUPS.get(name, (None, []))[1]
        for side in (OWN, OTHER) if name in RECORD_LOOKUPS else (OWN,):
            role = next((r for r in Role if expected(r, permission, lookups, side, name) == 200), None)
            if role is None:
                continue
            kwargs, records = _named_records(region, name, side)
            url = _url(name, route, entry, kwargs) + QUERY.get(name, "")
            client.force_login(users[role])
            before = RecordView.objects.order_by("-id").values_list("id", flat=True).first() or 0
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            if response.status_code != 200:
                unaudited.append(f"{name} {url} as {role}: answered {response.status_code}")
                continue
            crawled += 1
            records += _listed(response, _api_model(entry.callback))
            written = set(
                RecordView.objects.filter(id__gt=before, user=users[role], path=url.split("?")[0]).values_list(
                    "record_type", "record_id"
                )
            )
            for record in records:
                if (record._meta.label_lower, record.pk) not in written:
                    unaudited.append(f"{name} {url} as {role}: {record._meta.label_lower} {record.pk} not audited")
            inserts = [q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "audit_recordview"')]
            if len(inserts) > 1:
                unaudited.append(f"{name} {url}: {len(inserts)} audit statements, not one")
    assert crawled > 100  # the crawl reached the project's pages, not a handful
    assert not unaudited, "\n".join(unaudited)


@pytest.mark.django_db
def test_a_sealed_record_asking_for_a_reason_is_not_a_read_and_opening_it_is(aim, client_for):
    from datetime import date

    manager = builders.user(Role.TEAM_MANAGER, aim)  # a sealed-record reader by default
    adopted = builders.child(
        aim,
        household=builders.household(aim),
        linked_on=date(2024, 1, 8),
        matching_panel_on=date(2024, 2, 5),
        matched_on=date(2024, 2, 12),
        placed_on=date(2024, 3, 1),
        adoption_order_on=date(2024, 9, 2),
    )
    client = client_for(manager)
    assert client.get(f"/children/{adopted.pk}/").status_code == 200
    assert not RecordView.objects.filter(record_type="children.child", record_id=adopted.pk).exists()
    client.post(
        f"/children/{adopted.pk}/",
        {"purpose": "birth_records", "reason": "Adopted adult asked for their records, reference twelve"},
    )
    assert list(
        RecordView.objects.filter(record_type="children.child", record_id=adopted.pk).values_list("channel", flat=True)
    ) == ["sealed"]
