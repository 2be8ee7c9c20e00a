import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from committee.documents import services
from committee.documents.forms import VerifyForm
from committee.documents.models import Document, DocumentState
from committee.notices.selectors import was_notified_about

logger = logging.getLogger(__name__)


def _document_for(request, pk) -> Document:
    """Scoped: another street's document is 404; a reader without the document's capability gets 403, unless a
    notice about the document's subject was sent to them (the recipient of a meeting notice reads its PDF)."""
    document = get_object_or_404(Document.objects.for_user(request.user).select_related("street"), pk=pk)
    if not request.user.has_capability(document.view_capability, document.street) and not was_notified_about(
        request.user, content_type_id=document.content_type_id, object_id=document.object_id
    ):
        raise PermissionDenied
    return document


def download(request, pk):
    document = _document_for(request, pk)
    if document.state != DocumentState.DONE:
        raise Http404
    try:
        stream = document.file.open("rb")
    except FileNotFoundError:
        logger.error("document %s: file %s is missing from storage", document.pk, document.file.name)
        raise Http404 from None
    response = FileResponse(stream, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quoted(document.number)}.pdf"
    return response


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def status(request, pk):
    """One document's row: htmx polls it while the PDF is rendered."""
    document = _document_for(request, pk)
    return render(request, "documents/_row.html", {"document": document})


@require_POST
def retry(request, pk):
    document = _document_for(request, pk)
    try:
        services.document_retry(by=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已重新排队生成 %(number)s。") % {"number": document.number})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)


def _verify(request, document: Document | None, initial: dict):
    form = VerifyForm(request.POST or None, request.FILES or None, initial=initial)
    result = None
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"].strip()
        found = Document.objects.select_related("street__committee").filter(number=number).first()
        digest = form.cleaned_data.get("sha256", "")
        if found is None:
            result = {"ok": False, "message": _("登记簿中没有这个发文字号。")}
        elif not digest:
            result = {
                "ok": None,
                "document": found,
                "message": _("该发文字号已登记。上传文件或填写 SHA-256 值可核对文件是否一致。"),
            }
        elif services.matches(found, digest):
            result = {"ok": True, "document": found, "message": _("一致：该文件与登记的公文完全相同。")}
        else:
            result = {"ok": False, "document": found, "message": _("不一致：该文件与登记的公文不同，可能被修改过。")}
    return render(request, "documents/verify.html", {"form": form, "result": result, "document": document})


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Public: anyone presented with a document checks its number and hash against the register."""
    return _verify(request, None, {})


@login_not_required
@require_http_methods(["GET", "POST"])
def verify_token(request, token):
    """Public, from the QR code printed on the document."""
    document = get_object_or_404(Document.objects.select_related("street__committee"), token=token)
    return _verify(request, document, {"number": document.number})
