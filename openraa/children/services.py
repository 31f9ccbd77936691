"""Writes to a child's record. One transaction each; the history rows are written by
django-simple-history, so every change carries who and when."""

from contextlib import nullcontext

from django.db import transaction

from openraa.audit.models import RecordView
from openraa.audit.reads import record_view
from openraa.audit.versions import check_version
from openraa.children import sealing
from openraa.children.models import Child, ChildNeed, RecordsRequest, SiblingGroup, sealed_record_writable
from openraa.common.history import save_by
from openraa.common.models import sync_grades


@transaction.atomic
def save_child(
    child: Child, needs: dict[str, str] | None = None, expected_version: int | None = None, by=None
) -> Child:
    """Validate and save the child and, when given, replace its graded needs ({need: severity}).
    With expected_version, refuse if someone saved the child since that version was read (saying
    what changed, as far as `by` may see it)."""
    check_version(child, expected_version, by)
    child.full_clean()
    creating = child.pk is None
    child.save()
    if needs is not None:
        # A record created already adopted (an import) gets its needs as part of being created.
        with sealed_record_writable(child.pk) if creating else nullcontext():
            set_needs(child, needs)
    return child


@transaction.atomic
def create_sibling_group(group: SiblingGroup, *, by) -> SiblingGroup:
    return save_by(group, by)


@transaction.atomic
def record_records_request(records_request: RecordsRequest, child: Child, *, by, request) -> RecordsRequest:
    """An adopted adult's request for their adoption records, with its audited opening of the
    sealed record: the request is the reason given for it."""
    records_request.child, records_request.recorded_by = child, by
    records_request.save()
    record_view(
        by,
        child,
        request,
        RecordView.Channel.SEALED,
        sealing.stated(
            sealing.Purpose.BIRTH_RECORDS,
            f"{records_request.requester_name} asked on {records_request.requested_on:%d/%m/%Y}; "
            f"identity checked ({records_request.identity_evidence}); disclosed: {records_request.disclosed}",
        ),
    )
    return records_request


def set_needs(child: Child, needs: dict[str, str]) -> None:
    sync_grades(
        child.needs.all(),
        needs,
        "severity",
        lambda need, severity: ChildNeed(child=child, need=need, severity=severity),
    )
