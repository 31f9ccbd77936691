"""The administrators' audit log: reads of records, sign-ins and changes of one agency as one list of
sentences, newest first, filtered by member of staff, record, channel and dates, paged by Django's
Paginator and downloaded for a subject access request.

Three tables feed it (RecordView, SignInEvent and each tracked model's history); `AuditLog` merges
them lazily so that a page asks each only for the rows it needs. What a change may say is decided by
`restricted_fields`, the one place that hides values the reader may not see."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from heapq import merge
from itertools import islice

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from openraa.audit.models import RecordView, SignInEvent
from openraa.audit.reads import PERSON_RECORDS
from openraa.audit.selectors import _agency_filter, _change, tracked_models
from openraa.people import policy

# How a record is named in a sentence ("Viewed child C-000233").
RECORD_LABELS = {
    "children.child": "child",
    "households.household": "household",
    "support.supportcase": "support case",
    "permanence.carer": "carer",
    "permanence.permanenceplan": "permanence plan",
    "governance.complaint": "complaint",
    "governance.intercountrycase": "inter-country case",
}
# A reference typed in the filter names its kind of record by its prefix (C-000233, CR-000012).
REFERENCE_PREFIXES = {
    "C": "children.child",
    "H": "households.household",
    "S": "support.supportcase",
    "CR": "permanence.carer",
    "P": "permanence.permanenceplan",
    "CP": "governance.complaint",
}
_REFERENCE = re.compile(r"([A-Z]{1,2})-?([0-9]{1,12})", re.ASCII)

CHANGE, SIGN_IN, FAMILY = "change", "sign_in", "family"
CHANNELS = [(value, label) for value, label in RecordView.Channel.choices] + [
    (SIGN_IN, "Sign-in and sign-out"),
    (CHANGE, "Change to a record"),
    (FAMILY, "A family's own account"),
]
_CHANNEL_LABELS = dict(CHANNELS)
ALL = frozenset({"*"})  # every field of the record is restricted for this reader


@dataclass(frozen=True)
class Entry:
    at: datetime
    who: str
    channel: str
    sentence: str

    @property
    def channel_label(self) -> str:
        return _CHANNEL_LABELS[self.channel]


@dataclass(frozen=True)
class Filters:
    person: object = None  # a member of staff of the agency
    record_type: str = ""  # a model label of PERSON_RECORDS
    record_id: int | None = None
    channel: str = ""
    since: date | None = None
    until: date | None = None

    @property
    def subject(self) -> bool:
        """Names one person or one record: what a subject access request downloads."""
        return self.person is not None or self.record_id is not None


def parse_reference(text: str) -> tuple[str, int] | None:
    """(record type, id) for a reference like C-000233 or h12; None when it is not one."""
    match = _REFERENCE.fullmatch(text.strip().upper())
    if not match or match[1] not in REFERENCE_PREFIXES:
        return None
    return REFERENCE_PREFIXES[match[1]], int(match[2])


def reference(record_type: str, pk: int) -> str:
    model = apps.get_model(record_type)
    return model(pk=pk).reference if hasattr(model, "reference") else f"#{pk}"


def record_name(record_type: str, pk: int) -> str:
    return (
        f"{RECORD_LABELS.get(record_type, apps.get_model(record_type)._meta.verbose_name)} {reference(record_type, pk)}"
    )


def restricted_fields(user, model, ids) -> dict[int, frozenset]:
    """For each record id of `model`, the fields whose values `user` may not read in the log (ALL:
    none of them, for a record the reader cannot reach): the one rule, people/policy.py hidden_fields."""
    if not any(hasattr(model, name) for name in ("RESTRICTED_FIELDS", "policy_owner", "policy_resource")):
        return dict.fromkeys(ids, frozenset())
    records = model.objects.filter(pk__in=ids)
    if getattr(model, "policy_resource", None) == "child":
        records = policy.with_child_access(records, user)  # answers child_access without a query per row
    owner = getattr(model, "policy_owner", None)
    if owner:  # the owner's foreign key (or keys: a case note names one of several kinds of record)
        records = records.select_related(*getattr(model, "policy_owner_fields", (owner,)))
    hidden = {record.pk: policy.hidden_fields(user, record) for record in records}
    return {pk: hidden.get(pk, ALL) for pk in ids}


def describe_change(entry, model, hidden: frozenset) -> str:
    """One change as a sentence: "Changed household H-000012: Approval range 1 → 2"."""
    label = model._meta.label_lower
    if label in PERSON_RECORDS:
        record = record_name(label, entry.id)
    elif model is get_user_model():
        record = f"member of staff {entry.first_name} {entry.last_name}"
    else:
        record = f"{model._meta.verbose_name} {reference(label, entry.id)}"
        for field in model._meta.fields:
            if field.many_to_one and field.related_model._meta.label_lower in PERSON_RECORDS:
                parent = getattr(entry, field.attname, None)
                if parent is not None:
                    record = (
                        f"{model._meta.verbose_name} of {record_name(field.related_model._meta.label_lower, parent)}"
                    )
                    break
    change = _change(entry, record, hidden=entry.changes.keys() if hidden is ALL else hidden)
    if change.action != "Changed" or not change.fields:
        return f"{change.action} {record}"
    said = "; ".join(f"{name} {_shown(old)} → {_shown(new)}" for name, old, new in change.fields)
    return f"Changed {record}: {said}"


def _shown(value) -> str:
    return "(blank)" if value is None or value == "" else str(value)


def describe_read(view: RecordView, names: dict[int, str]) -> str:
    if view.record_type == get_user_model()._meta.label_lower:
        record = names.get(view.record_id, f"member of staff #{view.record_id}")
        return f"Downloaded the audit entries by {record}"
    record = record_name(view.record_type, view.record_id)
    if view.channel == RecordView.Channel.SEALED:
        return f"Opened sealed record {reference(view.record_type, view.record_id)}: {view.reason}"
    if view.channel == RecordView.Channel.EXPORT:
        return (
            f"Downloaded the audit entries about {record}"
            if view.path.startswith("/audit/")
            else f"Downloaded {record}"
        )
    if view.channel == RecordView.Channel.PROFILE:
        return f"Viewed the anonymised profile of {record}"
    return f"Viewed {record} (API)" if view.channel == RecordView.Channel.API else f"Viewed {record}"


def describe_sign_in(event: SignInEvent) -> str:
    # A password sign-in reads as before ("Signed in"); a single sign-on names its provider.
    sso = event.method == SignInEvent.Method.SINGLE_SIGN_ON
    how = f" through the single sign-on of {event.provider}" if sso else ""
    if event.kind == SignInEvent.Kind.FAILED:
        if sso:
            why = f": {event.reason}" if event.reason else ""
            return f"Refused sign-in for {_signer(event)}{how}{why}"
        return f"Failed sign-in for {event.user.username}" if event.user else "Failed sign-in"
    return f"{event.get_kind_display()}{how}"


def _signer(event: SignInEvent) -> str:
    return event.user.username if event.user else f"{event.email} (not an OpenRAA user)"


class Source:
    """One table's entries, newest first: counted, and read only as far as a page needs."""

    def __init__(self, queryset, order, to_entries):
        self.queryset, self.order, self.to_entries = queryset, order, to_entries

    def count(self) -> int:
        return self.queryset.count()

    def head(self, n: int) -> list[Entry]:
        return self.to_entries(list(self.queryset.order_by(*self.order)[:n])) if n else []


class AuditLog:
    """The merged entries as a sequence Django's Paginator pages: `count()` and slices."""

    def __init__(self, sources):
        self.sources = sources
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._counts = [source.count() for source in self.sources]
            self._count = sum(self._counts)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        total = self.count()  # also counts each source, so that empty ones are not read
        start, stop = key.start or 0, total if key.stop is None else key.stop
        streams = [source.head(min(stop, n)) for source, n in zip(self.sources, self._counts) if n]
        return list(islice(merge(*streams, key=lambda entry: entry.at, reverse=True), start, stop))


def bounds(filters: Filters, field: str) -> Q:
    q = Q()
    if filters.since:
        q &= Q(**{f"{field}__gte": timezone.make_aware(datetime.combine(filters.since, time.min))})
    if filters.until:
        q &= Q(**{f"{field}__lt": timezone.make_aware(datetime.combine(filters.until + timedelta(days=1), time.min))})
    return q


# Channel -> a function (agency, filters) -> Source | None, registered by the app that keeps the
# entries (the families' app registers what adopters did in their own accounts): the audit stays
# below the apps it lists.
EXTRA_SOURCES: dict[str, Callable[[object, Filters], "Source | None"]] = {}


def audit_log(reader, filters: Filters) -> AuditLog:
    """The agency's audit entries that match the filters, for an administrator of that agency."""
    agency = reader.agency
    wanted = filters.channel
    sources = []
    if wanted not in (CHANGE, SIGN_IN):
        views = RecordView.objects.filter(user__agency=agency).filter(bounds(filters, "at")).select_related("user")
        if filters.person is not None:
            views = views.filter(user=filters.person)
        if filters.record_type:
            views = views.filter(record_type=filters.record_type)
        if filters.record_id is not None:
            views = views.filter(record_id=filters.record_id)
        if wanted:
            views = views.filter(channel=wanted)
        sources.append(Source(views, ("-at", "-id"), _read_entries))
    if wanted in ("", SIGN_IN) and not filters.record_type:
        # A refused single sign-on for an address no user has belongs to the provider's agency.
        ours = Q(user__agency=agency) | Q(user__isnull=True, agency=agency)
        events = SignInEvent.objects.filter(ours).filter(bounds(filters, "at")).select_related("user")
        if filters.person is not None:
            events = events.filter(user=filters.person)
        sources.append(
            Source(
                events,
                ("-at", "-id"),
                lambda rows: [Entry(e.at, str(e.user or e.email), SIGN_IN, describe_sign_in(e)) for e in rows],
            )
        )
    if wanted in ("", CHANGE):
        sources += _change_sources(reader, agency, filters)
    for channel, build in EXTRA_SOURCES.items():
        extra = build(agency, filters) if wanted in ("", channel) else None
        if extra is not None:
            sources.append(extra)
    return AuditLog(sources)


def _read_entries(rows) -> list[Entry]:
    user_model = get_user_model()
    staff = {v.record_id for v in rows if v.record_type == user_model._meta.label_lower}
    names = {u.pk: str(u) for u in user_model.objects.filter(pk__in=staff)} if staff else {}
    return [Entry(v.at, str(v.user), v.channel, describe_read(v, names)) for v in rows]


def _change_sources(reader, agency, filters: Filters) -> list[Source]:
    sources = []
    for model in tracked_models():
        label = model._meta.label_lower
        about = Q()
        if filters.record_type:
            if label == filters.record_type:
                about = Q(id=filters.record_id) if filters.record_id is not None else Q()
            elif filters.record_id is not None:
                # A record's parts and the records about it: a child's needs, steps and plans.
                keys = [
                    f.attname
                    for f in model._meta.fields
                    if f.many_to_one and f.related_model._meta.label_lower == filters.record_type
                ]
                if not keys:
                    continue
                about = Q()
                for key in keys:
                    about |= Q(**{key: filters.record_id})
            else:
                continue
        history = model.history.model.objects.filter(_agency_filter(model, agency)).filter(about)
        # A save that changed nothing shown (a sign-in's last_login, a version) is not a change.
        history = history.exclude(history_type="~", changes={})
        history = history.filter(bounds(filters, "history_date")).select_related("history_user")
        if filters.person is not None:
            history = history.filter(history_user=filters.person)
        sources.append(Source(history, ("-history_date", "-history_id"), _change_entries(reader, model)))
    return sources


def _change_entries(reader, model):
    def to_entries(rows) -> list[Entry]:
        hidden = restricted_fields(reader, model, {row.id for row in rows})
        return [
            Entry(
                row.history_date,
                str(row.history_user) if row.history_user_id else "System",
                CHANGE,
                describe_change(row, model, hidden[row.id]),
            )
            for row in rows
        ]

    return to_entries
