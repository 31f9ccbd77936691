"""Writing the audit of a file handed out: one transaction each, the file's ExtractDownload and a
record view for every child and household in it, so that no file leaves without its audit."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Model

from openraa.audit.reads import record_views_bulk
from openraa.children.models import Child
from openraa.performance.models import ExtractDownload


@transaction.atomic
def record_download(
    request,
    extract: str,
    file_format: str,
    period: str,
    *,
    rows: int = 0,
    warnings: int = 0,
    records: Sequence[tuple[type[Model], Sequence[int]]] = (),
    sealed_ids: Sequence[int] = (),
    purpose: str = "",
) -> ExtractDownload:
    """The download by the signed-in user of `request`; `records` are the records in the file
    ((model, ids), in the order audited), `sealed_ids` the sealed children among them, whose
    entries carry the purpose stated for them (right after the children opened)."""
    user = request.user
    download = ExtractDownload.objects.create(
        user=user,
        agency=user.agency,
        extract=extract,
        file_format=file_format,
        period=period,
        rows=rows,
        warnings=warnings,
        path=request.path[:300],
    )
    sealed = set(sealed_ids)
    for model, ids in records:
        opened = [pk for pk in ids if pk not in sealed]
        if opened:
            record_views_bulk(user, model, opened, request, "export")
        if model is Child and sealed_ids:
            record_views_bulk(user, Child, sealed_ids, request, "export", purpose)
    return download
