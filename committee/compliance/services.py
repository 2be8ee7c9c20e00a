"""The dashboard's PDF export: the request registers a row, the worker renders it (no web request renders a PDF)."""

import logging
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from committee.compliance.models import Export
from committee.documents.models import DocumentState
from committee.models import Street, User
from committee.permissions import require
from committee.roles import Capability

logger = logging.getLogger(__name__)


@transaction.atomic
def export_request(
    *, by: User, streets: list[Street], year: int, quarter: int, filters: dict, background: bool = True
) -> Export:
    """Register a PDF of the dashboard over these streets (the ones the page showed); the worker renders it after
    the commit (`background=False` renders it in this transaction: demo data in tests)."""
    for street in streets:
        require(by, Capability.VIEW_DASHBOARD, street)
    export = Export.objects.create(
        requested_by=by, year=year, quarter=quarter, street_ids=[s.pk for s in streets], filters=filters
    )
    if background:
        transaction.on_commit(lambda: _enqueue(export.pk))
    else:
        export_render(export_id=export.pk)
        export.refresh_from_db()
    return export


def _enqueue(export_id: int) -> None:
    from committee.compliance.tasks import render_export

    try:
        render_export.delay(export_id)
    except Exception:  # the broker is down: the row stays pending; asking again makes a new one
        logger.exception("could not enqueue dashboard export %s", export_id)


def export_render(*, export_id: int) -> Export | None:
    """What the worker runs: claim the row with a conditional update, render, store. A done export is left alone."""
    from committee.compliance import report
    from committee.documents.rendering import render_pdf

    claimed = Export.objects.filter(pk=export_id, state__in=[DocumentState.PENDING, DocumentState.FAILED]).update(
        state=DocumentState.RENDERING, error=""
    )
    if not claimed:
        return None
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    try:
        pdf = render_pdf("compliance/report.html", report.context(export))
    except Exception as error:
        logger.exception("rendering dashboard export %s failed", export_id)
        Export.objects.filter(pk=export_id).update(state=DocumentState.FAILED, error=repr(error)[:2000])
        raise
    export.file.save(
        f"dashboard-{export.year}Q{export.quarter}-{secrets.token_urlsafe(12)}.pdf", ContentFile(pdf), save=False
    )
    export.size, export.state, export.rendered_at = len(pdf), DocumentState.DONE, timezone.now()
    export.save(update_fields=["file", "size", "state", "rendered_at"])
    return export
