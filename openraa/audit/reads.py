"""Every read of a person's record is audited, whatever the page: the shared mechanism.

A page (any PolicyView) that puts a person's record in its template context, directly or as the
instance of a form, has that read written to the audit log when the page is rendered: nothing for
the page to remember. API viewsets get the same from `AuditedReadsMixin` in openraa/api/views.py.
A view says more only when the read is special: a sealed record opened with a reason, the
anonymised profile (`shown`), or a record named on the page but not shown (`withheld`).
All the reads of one request are written in one statement.
"""

from django.db.models import Model
from django.forms import BaseForm

from openraa.audit.models import RecordView
from openraa.people import policy
from openraa.people.sharing import ChildAccess

# The records about a person (a child, an adopter household, a carer, a family asking for
# support...). Their model labels, as RecordView.record_type stores them.
PERSON_RECORDS = frozenset(
    {
        "children.child",
        "households.household",
        "support.supportcase",
        "support.letterboxagreement",
        "permanence.carer",
        "permanence.permanenceplan",
        "governance.complaint",
        "governance.intercountrycase",
    }
)

_PENDING = "_openraa_reads"  # {(record_type, id): (channel, reason)} to write
_DONE = "_openraa_reads_done"  # keys already written or withheld during this request


def is_person_record(obj) -> bool:
    return isinstance(obj, Model) and obj.pk is not None and obj._meta.label_lower in PERSON_RECORDS


def _http(request):
    return getattr(request, "_request", request)  # a DRF Request wraps Django's


def _key(obj) -> tuple[str, int]:
    return obj._meta.label_lower, obj.pk


def shown(request, records, channel: str = RecordView.Channel.PAGE, reason: str = "") -> None:
    """These records are shown by this request (through `channel`); written by `flush`."""
    request = _http(request)
    pending, done = getattr(request, _PENDING, {}), getattr(request, _DONE, set())
    for obj in [records] if isinstance(records, Model) else records:
        key = _key(obj)
        if key not in done:
            pending[key] = (channel, reason)
    setattr(request, _PENDING, pending)
    setattr(request, _DONE, done)


def record_view(user, obj, request, channel: str, reason: str = "") -> None:
    record_views_bulk(user, type(obj), [obj.pk], request, channel, reason)


def record_views_bulk(user, model, ids, request, channel: str, reason: str = "") -> None:
    """One audit row per record shown, written in one statement (downloads, and views whose read
    needs its own channel or reason; pages are otherwise audited by the page's own scan below)."""
    record_views_many(user, {model: ids}, request, channel, reason)


def record_views_many(user, shown: dict, request, channel: str, reason: str = "") -> None:
    """record_views_bulk for records of several kinds ({model: ids}), all in one statement (a file
    with children and households in it)."""
    shown = {model: sorted(set(ids)) for model, ids in shown.items()}
    RecordView.objects.bulk_create(
        RecordView(
            user=user,
            record_type=model._meta.label_lower,
            record_id=pk,
            channel=channel,
            path=request.path[:300],
            reason=reason,
        )
        for model, ids in shown.items()
        for pk in ids
    )
    for model, ids in shown.items():
        written(request, model, ids)


def withheld(request, obj) -> None:
    """The record is named on the page but not shown (a sealed record's request for a reason)."""
    request = _http(request)
    getattr(request, _PENDING, {}).pop(_key(obj), None)
    setattr(request, _DONE, getattr(request, _DONE, set()) | {_key(obj)})


def written(request, model, ids) -> None:
    """These reads were written already (record_views_bulk): the page's own scan leaves them."""
    request = _http(request)
    setattr(request, _DONE, getattr(request, _DONE, set()) | {(model._meta.label_lower, pk) for pk in ids})


def flush(request) -> None:
    """Write the request's pending reads in one statement."""
    request = _http(request)
    pending = getattr(request, _PENDING, {})
    if not pending or not getattr(request, "user", None) or not request.user.is_authenticated:
        return
    RecordView.objects.bulk_create(
        RecordView(
            user=request.user,
            record_type=record_type,
            record_id=pk,
            channel=channel,
            path=request.path[:300],
            reason=reason,
        )
        for (record_type, pk), (channel, reason) in pending.items()
    )
    setattr(request, _DONE, getattr(request, _DONE, set()) | set(pending))
    setattr(request, _PENDING, {})


def records_in(context: dict) -> list:
    """The person's records a page shows: those in its context, the instance a form edits, those
    its view has loaded (`self.complaint`, `self.item`), and the people a record that is not a
    person's own is about (a panel item's household, a complaint stage's complaint), as far as they
    are already loaded: finding them costs no query."""
    values = list(context.values()) + list(getattr(context.get("view"), "__dict__", {}).values())
    found = []
    for value in values:
        record = getattr(value, "instance", None) if isinstance(value, BaseForm) else value
        if not isinstance(record, Model):
            continue
        if is_person_record(record):
            found.append(record)
            continue
        related = list(record._state.fields_cache.values())
        for prefetched in getattr(record, "_prefetched_objects_cache", {}).values():
            related += list(prefetched)
        found += [obj for obj in related if is_person_record(obj)]
    return found


def audit_page(request, context: dict) -> None:
    """Audit the reads a page is about to render, and write them (with any the view noted)."""
    records = records_in(context)
    user = getattr(request, "user", None)
    pending, done = getattr(request, _PENDING, {}), getattr(request, _DONE, set())
    for obj in records:
        if _key(obj) in pending or _key(obj) in done:
            continue
        channel = RecordView.Channel.PAGE
        # Another council's child is shown as the anonymised profile: say so in the log.
        if obj._meta.label_lower == "children.child" and policy.child_access(user, obj) == ChildAccess.PROFILE:
            channel = RecordView.Channel.PROFILE
        shown(request, obj, channel)
    flush(request)


class AuditedPage:
    """Mixin for every page (PolicyView inherits it): the records in the context are audited when
    the page renders. A page that shows no one's record writes nothing."""

    def render_to_response(self, context, **response_kwargs):
        audit_page(self.request, context)
        return super().render_to_response(context, **response_kwargs)
