from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from committee.documents.selectors import documents_for
from committee.models import Street
from committee.pages import add_validation_error, paginate
from committee.party_reports import selectors, services
from committee.party_reports.forms import PartyReportAddForm, PartyReportForm, PartyReportSubmitForm
from committee.party_reports.models import PartyReport, ReportState
from committee.permissions import get_for_user, streets_where
from committee.roles import Capability


def report_list(request):
    streets = streets_where(request.user, Capability.VIEW_PARTY_REPORTS)
    reports = selectors.reports_for(request.user, streets)
    query = request.GET.get("q", "").strip()
    if query:
        reports = reports.filter(
            Q(title__contains=query) | Q(body__contains=query) | Q(document__number__contains=query)
        )
    street_id = request.GET.get("street", "")
    if street_id.isdigit():
        reports = reports.filter(street_id=int(street_id))
    year = request.GET.get("year", "")
    if year.isdigit():
        reports = reports.filter(year=int(year))
    page = paginate(request, reports.order_by("-year", "-quarter", "street", "pk"))
    return render(
        request,
        "party_reports/report_list.html",
        {
            "page": page,
            "streets": streets,
            "query": query,
            "can_draft": any(request.user.has_capability(Capability.MANAGE_PARTY_REPORTS, s) for s in streets),
        },
    )


@require_http_methods(["GET", "POST"])
def report_add(request):
    streets = streets_where(request.user, Capability.MANAGE_PARTY_REPORTS)
    form = PartyReportAddForm(request.POST or None, streets=Street.objects.filter(pk__in=[s.pk for s in streets]))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.party_report_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存报告草稿。"))
            return redirect(report)
    return render(request, "party_reports/report_form.html", {"form": form, "title": _("起草季度报告")})


def _readable(request, pk, capability=Capability.VIEW_PARTY_REPORTS) -> PartyReport:
    report = get_for_user(
        PartyReport.objects.select_related("street", "document", "created_by", "submitted_by", "signed_off_by"),
        request.user,
        capability,
        pk=pk,
    )
    if report.state == ReportState.DRAFT and not request.user.has_capability(
        Capability.MANAGE_PARTY_REPORTS, report.street
    ):
        raise Http404  # a draft is the committee's own until submitted
    return report


def report_detail(request, pk):
    report = _readable(request, pk)
    return render(
        request,
        "party_reports/report_detail.html",
        {
            "report": report,
            "documents": documents_for(report).select_related("street"),
            "can_manage": request.user.has_capability(Capability.MANAGE_PARTY_REPORTS, report.street),
        },
    )


@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = _readable(request, pk, Capability.MANAGE_PARTY_REPORTS)
    if report.state != ReportState.DRAFT:
        messages.info(request, _("报告已报送，不能再修改。"))
        return redirect(report)
    form = PartyReportForm(request.POST or None, instance=PartyReport.objects.get(pk=report.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.party_report_update(
                by=request.user, report=report, title=form.cleaned_data["title"], body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存报告草稿。"))
            return redirect(report)
    return render(
        request, "party_reports/report_form.html", {"form": form, "title": _("修改报告草稿"), "report": report}
    )


@require_http_methods(["GET", "POST"])
def report_submit(request, pk):
    """GET asks for confirmation and who signed it off (签发人); POST submits (the report becomes a numbered 公文
    and cannot be edited)."""
    report = _readable(request, pk, Capability.MANAGE_PARTY_REPORTS)
    if report.state != ReportState.DRAFT:
        messages.info(request, _("报告已报送。"))
        return redirect(report)
    form = PartyReportSubmitForm(request.POST or None, signers=services.signers(report.street))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.party_report_submit(
                by=request.user, report=report, signed_off_by=form.cleaned_data["signed_off_by"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request, _("已报送，发文字号 %(number)s，PDF 正在生成。") % {"number": report.document.number}
            )
            return redirect(report)
    return render(request, "party_reports/report_submit.html", {"report": report, "form": form})
