"""Pages of reports to constituents (Art 12(2)). Reads through `selectors.visible_reports` (another street's report,
another deputy's: 404); writes through `deputies.reports.services` with `MANAGE_DEPUTIES`. The survey runs on the
ballot engine's pages once started here."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from committee.ballots.models import BallotState
from committee.ballots.services import ANNOUNCEMENT_TEMPLATE
from committee.documents.selectors import documents_for
from committee.duties import registry
from committee.pages import add_validation_error, paginate
from committee.permissions import require, streets_where
from committee.roles import Capability
from deputies.records.homepage import QUOTAS
from deputies.reports import forms, selectors, services
from deputies.reports.models import ConstituentComment

VIEW, MANAGE, OWN = Capability.VIEW_DEPUTIES, Capability.MANAGE_DEPUTIES, Capability.VIEW_OWN_DUTIES


def _call(form, call):
    try:
        return call()
    except ValidationError as error:
        add_validation_error(form, error)
        return None


@require_GET
def report_list(request):
    """Staff, party, city: their streets' reports (search, pagination); a deputy: their own."""
    if not {VIEW, OWN} & request.user.capabilities_anywhere():
        raise PermissionDenied
    rows = selectors.visible_reports(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(
            Q(deputy__user__full_name__contains=query)
            | Q(place__contains=query)
            | Q(constituency__name__contains=query)
        )
    if request.GET.get("flagged") == "1":
        rows = rows.filter(present__lt=settings.CONSTITUENT_REPORT_MIN_PRESENT)
    return render(
        request,
        "constituent_reports/list.html",
        {
            "page": paginate(request, selectors.with_list_columns(rows).order_by("-date", "-pk")),
            "query": query,
            "can_manage": MANAGE in request.user.capabilities_anywhere(),
            "min_present": settings.CONSTITUENT_REPORT_MIN_PRESENT,
        },
    )


def _managed(request, pk):
    """A report the user may read (else 404) and manage (else 403)."""
    report = get_object_or_404(selectors.visible_reports(request.user).select_related("street", "deputy__user"), pk=pk)
    require(request.user, MANAGE, report.street)
    return report


@require_http_methods(["GET", "POST"])
def report_form(request, pk=None):
    report = _managed(request, pk) if pk else None
    street = report.street if report else streets_where(request.user, MANAGE)[0]
    form = forms.ReportForm(request.POST or None, request.FILES or None, instance=report, street=street)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if report:
            report.refresh_from_db()  # the form wrote its values onto the instance
            done = _call(form, lambda: services.report_update(by=request.user, report=report, **data))
        else:
            done = _call(form, lambda: services.report_record(by=request.user, **data))
        if done:
            messages.success(request, _("已保存。"))
            return redirect(done)
    title = _("修改述职记录") if report else _("登记代表向选民报告履职")
    return render(request, "constituent_reports/form.html", {"form": form, "title": title, "report": report})


def _station_duty(report) -> dict:
    """Art 15(3): the deputy's station duty belongs in the report: the receptions they attended this year up to
    the report's day, against the year's quota (the duty registry's `reception` records, one query)."""
    items = registry.items(
        people=[report.deputy.user_id],
        streets=[report.street_id],
        start=datetime.date(report.date.year, 1, 1),
        end=report.date,
        only=["reception"],
    )
    quota = next((required for code, required, _label in QUOTAS if code == "reception"), 0)
    return {"items": items, "quota": quota, "known": registry.kind("reception") is not None}


@require_GET
def report_detail(request, pk):
    report = get_object_or_404(
        selectors.visible_reports(request.user).select_related("street", "deputy__user", "constituency", "survey"),
        pk=pk,
    )
    can_manage = request.user.has_capability(MANAGE, report.street)
    announcement = None
    if report.survey and report.survey.state == BallotState.CLOSED:
        announcement = documents_for(report.survey).filter(template=ANNOUNCEMENT_TEMPLATE).order_by("-pk").first()
    return render(
        request,
        "constituent_reports/detail.html",
        {
            "report": report,
            "comments": report.comments.select_related("case").order_by("pk"),
            "can_manage": can_manage,
            "comment_form": forms.CommentForm() if can_manage else None,
            "survey_form": forms.SurveyForm() if can_manage and not report.survey_id else None,
            "announcement": announcement,
            "question": services.survey_question(report),
            "station_duty": _station_duty(report),
        },
    )


@require_GET
def report_file(request, pk):
    report = get_object_or_404(selectors.visible_reports(request.user).exclude(file=""), pk=pk)
    try:
        return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1])
    except FileNotFoundError:
        raise Http404 from None


@require_POST
def comment_add(request, pk):
    report = _managed(request, pk)
    form = forms.CommentForm(request.POST)
    if form.is_valid() and _call(
        form, lambda: services.comment_add(by=request.user, report=report, **form.cleaned_data)
    ):
        messages.success(request, _("已记录选民意见。"))
    else:
        messages.error(request, _("请填写意见内容。"))
    return redirect(report)


@require_POST
def comment_case(request, pk):
    comment = get_object_or_404(
        ConstituentComment.objects.filter(report__in=selectors.visible_reports(request.user)).select_related("report"),
        pk=pk,
    )
    require(request.user, MANAGE, comment.street)
    try:
        case = services.comment_to_case(by=request.user, comment=comment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已转为办理件，代表为提出人。查询码 %(code)s。") % {"code": case.tracking_code})
    return redirect(comment.report)


@require_POST
def survey_start(request, pk):
    report = _managed(request, pk)
    form = forms.SurveyForm(request.POST)
    if form.is_valid():
        try:
            ballot = services.survey_start(by=request.user, report=report, **form.service_kwargs())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已建立满意度测评。请核对名单后开始测评。"))
            return redirect(ballot)
    return redirect(report)


@require_POST
def survey_issue_papers(request, pk):
    report = _managed(request, pk)
    try:
        issued = services.survey_issue_papers(by=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已向%(n)d名选民代表发放测评票。") % {"n": issued})
    return redirect(report)
