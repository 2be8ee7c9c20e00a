"""Issuing official documents: the number is allocated in the caller's transaction, the PDF is rendered by a
Celery task after commit. A stored document is never re-generated; a new version is a new row and number."""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.documents import rendering
from committee.documents.fonts import MissingGlyphError
from committee.documents.models import (
    KIND_CODES,
    Document,
    DocumentCounter,
    DocumentKind,
    DocumentState,
    NumberPrefix,
)
from committee.models import Street, User
from committee.roles import Capability

logger = logging.getLogger(__name__)


def number_prefix(street: Street, kind: str) -> str:
    """The street's own prefix for this kind, or `<市简称><街道简称>工<文种>`: 湘乡人大望工函."""
    custom = NumberPrefix.objects.filter(street=street, kind=kind).values_list("prefix", flat=True).first()
    if custom:
        return custom
    return f"{street.municipality.short_name}{street.abbreviation}工{KIND_CODES[DocumentKind(kind)]}"


def format_number(prefix: str, year: int, serial: int) -> str:
    """GB/T 9704: the year in full inside 〔〕, the serial without leading zeros and without 第."""
    return f"{prefix}〔{year}〕{serial}号"


def allocate_serial(*, street: Street, kind: str, year: int) -> int:
    """The next serial for (street, kind, year), gapless: the counter row is locked until the caller's
    transaction ends, so a concurrent issuer waits, and a rolled-back issue gives its number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_serial must run inside a transaction")
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(street=street, kind=kind, year=year)], ignore_conflicts=True
    )  # first document of the year: create the row if no one else has
    counter = DocumentCounter.objects.select_for_update().get(street=street, kind=kind, year=year)
    counter.last = models.F("last") + 1
    counter.save(update_fields=["last"])
    counter.refresh_from_db(fields=["last"])
    return counter.last


def verify_url(document: Document) -> str:
    return settings.SITE_URL + reverse("documents:verify_token", args=[document.token])


@transaction.atomic
def document_issue(
    *,
    by: User | None,
    street: Street,
    kind: str,
    title: str,
    template_name: str,
    context: dict,
    subject: models.Model,
    view_capability: str = Capability.VIEW_STREET,
    background: bool = True,
    issued_on: datetime.date | None = None,
) -> Document:
    """Give a document its number and register it; the PDF is rendered by a Celery task once the caller's
    transaction commits (`background=False` renders in this transaction instead: demo data, benchmarks).

    `context` must be JSON-serialisable: it is stored, and the task renders from the stored copy. The renderer
    adds `number`, `year`, `serial`, `date_text`, `verify_url` and `verify_qr`. The capability is the one a reader needs in the
    street to download it (the subject's own view capability)."""
    if kind not in DocumentKind.values:
        raise ValidationError(_("未知的文种：%(kind)s") % {"kind": kind})
    today = issued_on or timezone.localdate()
    serial = allocate_serial(street=street, kind=kind, year=today.year)
    content_type = ContentType.objects.get_for_model(subject)
    previous = (
        Document.objects.select_for_update()
        .filter(content_type=content_type, object_id=subject.pk, template=template_name)
        .order_by("-version")
        .first()
    )
    document = Document.objects.create(
        street=street,
        kind=kind,
        number=format_number(number_prefix(street, kind), today.year, serial),
        year=today.year,
        serial=serial,
        title=title,
        template=template_name,
        context=context,
        view_capability=view_capability,
        content_type=content_type,
        object_id=subject.pk,
        version=previous.version + 1 if previous else 1,
        supersedes=previous,
        issued_on=today,
        issued_by=by,
    )
    if background:
        transaction.on_commit(lambda: _enqueue(document.pk))
    else:
        document_render(document_id=document.pk)
        document.refresh_from_db()
    return document


def _enqueue(document_id: int) -> None:
    from committee.documents.tasks import render_document

    try:
        render_document.delay(document_id)
    except Exception:  # the broker is down: the row stays pending and the sweep enqueues it later
        logger.exception("could not enqueue rendering of document %s", document_id)


def render_context(document: Document) -> dict:
    url = verify_url(document)
    return {
        **document.context,
        "number": document.number,
        "year": document.year,
        "serial": document.serial,
        "title": document.title,
        "date_text": rendering.chinese_date(document.issued_on),
        "verify_url": url,
        "verify_qr": rendering.qr_data_uri(url),
    }


def document_render(*, document_id: int) -> Document | None:
    """Render one document and store it: file, SHA-256, size. Idempotent: a done document is left alone.
    Claims the row with a conditional update, so two workers never render the same document."""
    from weasyprint.urls import FatalURLFetchingError  # imported where PDFs are made (committee.documents.rendering)

    claimed = Document.objects.filter(
        pk=document_id, state__in=[DocumentState.PENDING, DocumentState.RENDERING, DocumentState.FAILED]
    ).update(state=DocumentState.RENDERING, error="")
    if not claimed:
        return None  # done already, or gone
    document = Document.objects.select_related("street__municipality").get(pk=document_id)
    try:
        pdf = rendering.render_pdf(document.template, render_context(document))
    except (MissingGlyphError, FatalURLFetchingError) as error:
        Document.objects.filter(pk=document_id).update(state=DocumentState.FAILED, error=str(error))
        return None
    except Exception as error:
        logger.exception("rendering document %s failed", document_id)
        Document.objects.filter(pk=document_id).update(state=DocumentState.FAILED, error=repr(error)[:2000])
        raise
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.state == DocumentState.DONE:
            return document
        # An unguessable name: in DEBUG, runserver serves MEDIA_ROOT to any signed-in user; the scoped
        # download view is the way in.
        name = f"{document.kind}-{document.serial}-v{document.version}-{secrets.token_urlsafe(16)}.pdf"
        document.file.save(name, ContentFile(pdf), save=False)
        document.sha256 = digest
        document.size = len(pdf)
        document.state = DocumentState.DONE
        document.rendered_at = timezone.now()
        document.error = ""
        document.save(update_fields=["file", "sha256", "size", "state", "rendered_at", "error"])
    return document


@transaction.atomic
def document_retry(*, by: User, document: Document) -> Document:
    """Queue a failed document again (after the fonts or the data were fixed). Its number stays."""
    from committee.permissions import require

    require(by, document.view_capability, document.street)
    if document.state != DocumentState.FAILED:
        raise ValidationError(_("只有生成失败的公文可以重新生成。"))
    Document.objects.filter(pk=document.pk).update(state=DocumentState.PENDING, error="")
    transaction.on_commit(lambda: _enqueue(document.pk))
    document.refresh_from_db()
    return document


def enqueue_pending(*, older_than_seconds: int = 120) -> int:
    """Re-enqueue documents left pending (the broker was down when they were issued). For beat or a command."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    ids = list(Document.objects.filter(state=DocumentState.PENDING, issued_at__lt=cutoff).values_list("pk", flat=True))
    for document_id in ids:
        _enqueue(document_id)
    return len(ids)


def matches(document: Document, sha256: str) -> bool:
    return bool(document.sha256) and document.sha256 == sha256.strip().lower()
