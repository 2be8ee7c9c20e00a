"""Pages of the chapter 4 supervision activities. Reads go through `for_user` / `get_for_user`; writes through
`supervision.activities.services`."""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from committee.documents.models import Document
from committee.models import AuditEntry, Street
from committee.pages import add_validation_error, paginate
from committee.permissions import get_for_user, streets_where
from committee.roles import Capability
from supervision.activities import forms, services
from supervision.activities.models import (
    AppraisalScore,
    AppraisalState,
    EnforcementInspection,
    FieldVisit,
    InspectionState,
    SpecialWorkReport,
    UnitHead,
    WorkAppraisal,
)
from supervision.models import HandlingUnit
from supervision.selectors import opinions_for_source

VIEW, MANAGE = Capability.VIEW_SUPERVISION, Capability.MANAGE_SUPERVISION


# --- Shared -------------------------------------------------------------------------------------------------
def _form_page(request, form, title, cancel, obj=None, intro=""):
    return render(
        request, "activities/form.html", {"form": form, "title": title, "cancel": cancel, "obj": obj, "intro": intro}
    )


def _call(form, call):
    """Run a service call; a refusal becomes a form error (nothing saved, what was typed stays)."""
    try:
        return call()
    except ValidationError as error:
        add_validation_error(form, error)
        return None


def _managed_streets(request):
    streets = streets_where(request.user, MANAGE)
    return Street.objects.filter(pk__in=[s.pk for s in streets]).select_related("municipality")


def _list(request, queryset, search_fields, template, extra=None):
    streets = streets_where(request.user, VIEW)
    # Explicit order: aggregates drop Meta.ordering. The street comes with each row (one query for the page).
    rows = queryset.for_user(request.user).select_related("street").order_by(*queryset.model._meta.ordering)
    query = request.GET.get("q", "").strip()
    if query:
        condition = Q()
        for field in search_fields:
            condition |= Q(**{f"{field}__contains": query})
        rows = rows.filter(condition)
    street_id = request.GET.get("street", "")
    if street_id.isdigit():
        rows = rows.filter(street_id=int(street_id))
    return render(
        request,
        template,
        {
            "page": paginate(request, rows),
            "streets": streets,
            "query": query,
            "can_manage": any(request.user.has_capability(MANAGE, s) for s in streets),
            **(extra or {}),
        },
    )


def _year_filter(request, rows, field):
    year = request.GET.get("year", "")
    return rows.filter(**{f"{field}__year": int(year)}) if year.isdigit() else rows


def _cases(obj):
    """The cases a record produced in the opinion-handling loop, with their state and reply."""
    return opinions_for_source(obj)


def _history(obj):
    """The record's own audit entries, newest first (the street's whole log is committee:audit_list)."""
    return AuditEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")[:20]


def _documents(*documents):
    ids = [d.pk for d in documents if d is not None]
    return Document.objects.filter(pk__in=ids).select_related("street").order_by("pk") if ids else []


# --- Enforcement inspections (Art 7) --------------------------------------------------------------------------
def inspection_list(request):
    rows = _year_filter(request, EnforcementInspection.objects.annotate(deputy_count=Count("deputies")), "starts_on")
    state = request.GET.get("state", "")
    if state in InspectionState.values:
        rows = rows.filter(state=state)
    return _list(
        request, rows, ["law", "scope"], "activities/inspection_list.html", {"states": InspectionState.choices}
    )


@require_http_methods(["GET", "POST"])
def inspection_add(request):
    streets = _managed_streets(request)
    form = forms._with_street(forms.InspectionForm)(request.POST or None, streets=streets)
    if request.method == "POST" and form.is_valid():
        inspection = _call(form, lambda: services.inspection_create(by=request.user, **form.cleaned_data))
        if inspection:
            messages.success(request, _("已制定执法检查计划。检查前请组织代表学习相关法律法规。"))
            return redirect(inspection)
    return _form_page(request, form, _("制定执法检查计划"), "activities:inspection_list")


PLANNING = (InspectionState.PLANNED, InspectionState.STUDIED)


class StepPassed(Exception):
    """A page for a step the record is not at: the view redirects to the record with a message."""

    def __init__(self, obj, message):
        self.obj, self.message = obj, message


def _at_step(view):
    """Catch `StepPassed`: a stale link or a second tab lands on the record with a message, not an error."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except StepPassed as passed:
            messages.info(request, passed.message)
            return redirect(passed.obj)

    return wrapped


def _inspection(request, pk, capability=VIEW, allowed=None):
    inspection = get_for_user(
        EnforcementInspection.objects.select_related("street__municipality", "created_by"),
        request.user,
        capability,
        pk=pk,
    )
    if allowed is not None and inspection.state not in allowed:
        raise StepPassed(
            inspection, _("该执法检查当前为“%(s)s”，不能进行此操作。") % {"s": inspection.get_state_display()}
        )
    return inspection


def inspection_detail(request, pk):
    inspection = _inspection(request, pk)
    findings = list(inspection.findings.all())
    for finding in findings:  # a handful per inspection
        finding.opinions = _cases(finding)
    return render(
        request,
        "activities/inspection_detail.html",
        {
            "inspection": inspection,
            "deputies": inspection.deputies.select_related("user"),
            "sessions": inspection.study_sessions.prefetch_related("attendees__user"),
            "findings": findings,
            "documents": _documents(inspection.report_document, inspection.implementation_document),
            "can_manage": request.user.has_capability(MANAGE, inspection.street),
            "history": _history(inspection),
        },
    )


@require_http_methods(["GET", "POST"])
@_at_step
def inspection_edit(request, pk):
    inspection = _inspection(request, pk, MANAGE, allowed=PLANNING)
    form = forms.InspectionForm(request.POST or None, instance=inspection, streets=[inspection.street])
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data.items())
        if _call(form, lambda: services.inspection_update(by=request.user, inspection=inspection, **data)):
            messages.success(request, _("已保存检查计划。"))
            return redirect(inspection)
    return _form_page(request, form, _("修改执法检查计划"), "activities:inspection_detail", inspection)


@require_http_methods(["GET", "POST"])
@_at_step
def inspection_study(request, pk):
    inspection = _inspection(request, pk, MANAGE, allowed=PLANNING)
    form = forms.StudySessionForm(request.POST or None, streets=[inspection.street])
    if (
        request.method == "POST"
        and form.is_valid()
        and _call(
            form, lambda: services.study_session_record(by=request.user, inspection=inspection, **form.cleaned_data)
        )
    ):
        messages.success(request, _("已登记检查前学习，可以开始检查。"))
        return redirect(inspection)
    return _form_page(
        request,
        form,
        _("登记检查前学习 · %(x)s") % {"x": inspection},
        "activities:inspection_detail",
        inspection,
        _("第七条第一项：检查前组织代表学习相关法律法规。请勾选实际参加学习的代表。"),
    )


@require_http_methods(["GET", "POST"])
@_at_step
def inspection_start(request, pk):
    """GET asks for confirmation; POST starts the inspection (refused without a study session)."""
    inspection = _inspection(request, pk, MANAGE, allowed=PLANNING)
    error = None
    if request.method == "POST":
        try:
            services.inspection_start(by=request.user, inspection=inspection)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("执法检查已开始。"))
            return redirect(inspection)
    return render(
        request,
        "activities/confirm.html",
        {
            "obj": inspection,
            "error": error,
            "title": _("开始执法检查"),
            "question": _("确认开始 %(x)s？开始后检查计划不能再修改。") % {"x": inspection},
            "button": _("确认开始"),
        },
        status=400 if error else 200,
    )


def _units(street):
    """The street's active handling units (the opinion-handling loop's), to assign a finding to."""
    return HandlingUnit.objects.filter(street=street, active=True).order_by("kind", "name")


@require_http_methods(["GET", "POST"])
@_at_step
def finding_add(request, pk):
    inspection = _inspection(request, pk, MANAGE, allowed=(InspectionState.IN_PROGRESS,))
    form = forms.FindingForm(request.POST or None, units=_units(inspection.street))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if _call(form, lambda: services.finding_add(by=request.user, inspection=inspection, **data)):
            messages.success(request, _("已登记发现的问题并转入意见建议办理。"))
            return redirect(inspection)
    return _form_page(
        request,
        form,
        _("登记发现的问题 · %(x)s") % {"x": inspection},
        "activities:inspection_detail",
        inspection,
        _("第七条第二项：属街道职责的限期整改，属上级权限的提交市人大常委会协调解决。"),
    )


def _inspection_filing(request, pk, *, implementation):
    allowed = (InspectionState.REPORTED,) if implementation else (InspectionState.IN_PROGRESS,)
    inspection = _inspection(request, pk, MANAGE, allowed=allowed)
    form = forms.FilingForm(
        request.POST or None,
        initial={"text": inspection.implementation_text if implementation else inspection.report_text},
    )
    if request.method == "POST" and form.is_valid():
        service = services.inspection_file_implementation if implementation else services.inspection_file_report
        key = "implementation_text" if implementation else "report_text"
        done = _call(form, lambda: service(by=request.user, inspection=inspection, **{key: form.cleaned_data["text"]}))
        if done:
            document = done.implementation_document if implementation else done.report_document
            messages.success(
                request, _("已报送市人大常委会备案，发文字号 %(n)s，PDF 正在生成。") % {"n": document.number}
            )
            return redirect(inspection)
    title = _("报送落实情况报告") if implementation else _("报送执法检查报告")
    return _form_page(
        request,
        form,
        f"{title} · {inspection}",
        "activities:inspection_detail",
        inspection,
        _("第七条第三项：执法检查报告及落实情况须向市人大常委会备案。"),
    )


@require_http_methods(["GET", "POST"])
@_at_step
def inspection_report(request, pk):
    return _inspection_filing(request, pk, implementation=False)


@require_http_methods(["GET", "POST"])
@_at_step
def inspection_implementation(request, pk):
    return _inspection_filing(request, pk, implementation=True)


# --- Field visits (Art 10) ------------------------------------------------------------------------------------
def visit_list(request):
    rows = _year_filter(
        request,
        FieldVisit.objects.annotate(
            participant_count=Count("participants", distinct=True), issue_count=Count("issues", distinct=True)
        ),
        "starts_on",
    )
    return _list(request, rows, ["topic", "summary", "materials_studied"], "activities/visit_list.html")


@require_http_methods(["GET", "POST"])
def visit_add(request):
    streets = _managed_streets(request)
    form = forms._with_street(forms.VisitForm)(request.POST or None, streets=streets)
    if request.method == "POST" and form.is_valid():
        visit = _call(form, lambda: services.visit_create(by=request.user, **form.cleaned_data))
        if visit:
            messages.success(request, _("已登记视察调研。"))
            return redirect(visit)
    return _form_page(request, form, _("登记视察调研"), "activities:visit_list")


def _visit(request, pk, capability=VIEW):
    return get_for_user(FieldVisit.objects.select_related("street", "created_by"), request.user, capability, pk=pk)


def visit_detail(request, pk):
    visit = _visit(request, pk)
    return render(
        request,
        "activities/visit_detail.html",
        {
            "visit": visit,
            "participants": visit.participants.select_related("user"),
            "reports": visit.special_work_reports.all(),
            "history": _history(visit),
            "can_manage": request.user.has_capability(MANAGE, visit.street),
            "opinions": _cases(visit),
        },
    )


@require_http_methods(["GET", "POST"])
def visit_edit(request, pk):
    visit = _visit(request, pk, MANAGE)
    form = forms.VisitForm(request.POST or None, instance=visit, streets=[visit.street])
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if _call(form, lambda: services.visit_update(by=request.user, visit=visit, **data)):
            messages.success(request, _("已保存。"))
            return redirect(visit)
    return _form_page(request, form, _("修改视察调研"), "activities:visit_detail", visit)


@require_http_methods(["GET", "POST"])
def visit_issue_add(request, pk):
    visit = _visit(request, pk, MANAGE)
    form = forms.IssueForm(request.POST or None, street=visit.street)
    if (
        request.method == "POST"
        and form.is_valid()
        and _call(form, lambda: services.visit_issue_add(by=request.user, visit=visit, **form.cleaned_data))
    ):
        messages.success(request, _("已登记收集的问题并转有关单位处理。"))
        return redirect(visit)
    return _form_page(
        request,
        form,
        _("登记收集的问题 · %(x)s") % {"x": visit.topic},
        "activities:visit_detail",
        visit,
        _("第十条第四项：视察、调研收集的问题，由人大街道工委转有关机关或单位处理，并向人大代表反馈。"),
    )


# --- Special work reports (Art 8) -----------------------------------------------------------------------------
def report_list(request):
    rows = _year_filter(
        request,
        SpecialWorkReport.objects.select_related("field_visit").annotate(
            head_count=Count("unit_heads", distinct=True),
            present_count=Count("unit_heads", filter=Q(unit_heads__attended=True), distinct=True),
        ),
        "heard_on",
    )
    return _list(request, rows, ["title", "reporting_unit", "summary"], "activities/report_list.html")


@require_http_methods(["GET", "POST"])
def report_add(request):
    streets = _managed_streets(request)
    form = forms._with_street(forms.ReportForm)(request.POST or None, streets=streets)
    if request.method == "POST" and form.is_valid():
        report = _call(form, lambda: services.report_create(by=request.user, **form.cleaned_data))
        if report:
            messages.success(request, _("已登记专项工作报告。"))
            return redirect(report)
    return _form_page(request, form, _("登记专项工作报告"), "activities:report_list")


def _report(request, pk, capability=VIEW):
    return get_for_user(
        SpecialWorkReport.objects.select_related("street", "field_visit", "created_by"),
        request.user,
        capability,
        pk=pk,
    )


def report_detail(request, pk):
    report = _report(request, pk)
    return render(
        request,
        "activities/report_detail.html",
        {
            "report": report,
            "heads": report.unit_heads.all(),
            "history": _history(report),
            "can_manage": request.user.has_capability(MANAGE, report.street),
            "opinions": _cases(report),
        },
    )


@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = _report(request, pk, MANAGE)
    form = forms.ReportForm(request.POST or None, instance=report, streets=[report.street])
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if _call(form, lambda: services.report_update(by=request.user, report=report, **data)):
            messages.success(request, _("已保存。"))
            return redirect(report)
    return _form_page(request, form, _("修改专项工作报告"), "activities:report_detail", report)


@require_http_methods(["GET", "POST"])
def unit_head_add(request, pk):
    report = _report(request, pk, MANAGE)
    form = forms.UnitHeadForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _call(form, lambda: services.unit_head_add(by=request.user, report=report, **form.cleaned_data))
    ):
        messages.success(request, _("已加入应到会负责人名单。"))
        return redirect(report)
    return _form_page(
        request,
        form,
        _("应到会负责人 · %(x)s") % {"x": report.title},
        "activities:report_detail",
        report,
        _("第八条第二项：街道办事处负责人和有关单位主要负责人要到会报告专项工作。"),
    )


def _head(request, pk):
    return get_for_user(UnitHead.objects.select_related("street", "report"), request.user, MANAGE, pk=pk)


@require_POST
def unit_head_attended(request, pk):
    head = _head(request, pk)
    services.unit_head_set_attended(by=request.user, head=head, attended=request.POST.get("attended") == "1")
    return redirect(head.report)


@require_http_methods(["GET", "POST"])
def unit_head_remove(request, pk):
    head = _head(request, pk)
    if request.method == "POST":
        services.unit_head_remove(by=request.user, head=head)
        messages.success(request, _("已从名单中移除 %(x)s。") % {"x": head})
        return redirect(head.report)
    return render(
        request,
        "activities/confirm.html",
        {
            "obj": head.report,
            "title": _("移除应到会负责人"),
            "question": _("确认从名单中移除 %(x)s？") % {"x": head},
            "button": _("确认移除"),
        },
    )


@require_http_methods(["GET", "POST"])
def report_opinion_add(request, pk):
    report = _report(request, pk, MANAGE)
    form = forms.IssueForm(request.POST or None, street=report.street)
    if (
        request.method == "POST"
        and form.is_valid()
        and _call(form, lambda: services.report_opinion_add(by=request.user, report=report, **form.cleaned_data))
    ):
        messages.success(request, _("已登记代表意见并交街道办事处及有关单位研究处理。"))
        return redirect(report)
    return _form_page(
        request,
        form,
        _("登记代表意见 · %(x)s") % {"x": report.title},
        "activities:report_detail",
        report,
        _("第八条第三项：代表的意见和建议，由人大街道工委交街道办事处及有关单位研究处理并及时答复代表。"),
    )


# --- Work appraisals (Art 9) ----------------------------------------------------------------------------------
def appraisal_list(request):
    rows = WorkAppraisal.objects.select_related("filing_document")
    year = request.GET.get("year", "")
    if year.isdigit():
        rows = rows.filter(year=int(year))
    return _list(request, rows, ["unit_name", "supervising_department", "summary"], "activities/appraisal_list.html")


@require_http_methods(["GET", "POST"])
def appraisal_add(request):
    streets = _managed_streets(request)
    form = forms._with_street(forms.AppraisalForm)(request.POST or None, streets=streets)
    if request.method == "POST" and form.is_valid():
        appraisal = _call(form, lambda: services.appraisal_create(by=request.user, **form.cleaned_data))
        if appraisal:
            messages.success(request, _("已设立工作评议，请居民议事员打分。"))
            return redirect(appraisal)
    return _form_page(request, form, _("设立工作评议"), "activities:appraisal_list")


def _appraisal(request, pk, capability=VIEW, draft_only=False):
    appraisal = get_for_user(
        WorkAppraisal.objects.select_related("street", "filing_document", "created_by"),
        request.user,
        capability,
        pk=pk,
    )
    if draft_only and appraisal.state != AppraisalState.DRAFT:
        raise StepPassed(appraisal, _("评议结果已报送备案，不能再修改。"))
    return appraisal


def appraisal_detail(request, pk):
    appraisal = _appraisal(request, pk)
    criteria = list(appraisal.criteria.all())
    scores = AppraisalScore.objects.filter(criterion__appraisal=appraisal).select_related("member__user")
    table: dict[int, dict] = {}
    for score in scores:
        row = table.setdefault(score.member_id, {"member": score.member, "scores": {}})
        row["scores"][score.criterion_id] = score.score
    rows = []
    for row in table.values():
        cells = [row["scores"].get(c.pk) for c in criteria]
        weighted = sum(s * c.weight for s, c in zip(cells, criteria, strict=True) if s is not None) / 100
        rows.append({"member": row["member"], "cells": cells, "weighted": weighted})
    return render(
        request,
        "activities/appraisal_detail.html",
        {
            "appraisal": appraisal,
            "criteria": criteria,
            "rows": rows,
            "result": appraisal.result
            if appraisal.state == AppraisalState.FILED
            else services.appraisal_result(appraisal),
            "documents": _documents(appraisal.filing_document),
            "history": _history(appraisal),
            "can_manage": request.user.has_capability(MANAGE, appraisal.street),
        },
    )


@require_http_methods(["GET", "POST"])
@_at_step
def appraisal_edit(request, pk):
    appraisal = _appraisal(request, pk, MANAGE, draft_only=True)
    form = forms.AppraisalForm(request.POST or None, instance=appraisal)
    if (
        request.method == "POST"
        and form.is_valid()
        and _call(
            form,
            lambda: services.appraisal_criteria_set(
                by=request.user, appraisal=appraisal, criteria=form.cleaned_data["criteria"]
            ),
        )
    ):
        messages.success(request, _("已保存评议项目和权重。"))
        return redirect(appraisal)
    for name in ("year", "unit_name", "supervising_department", "appraised_on"):
        form.fields[name].disabled = True
    return _form_page(request, form, _("修改评议项目和权重"), "activities:appraisal_detail", appraisal)


@require_http_methods(["GET", "POST"])
@_at_step
def appraisal_score(request, pk):
    appraisal = _appraisal(request, pk, MANAGE, draft_only=True)
    form = forms.ScoreForm(request.POST or None, appraisal=appraisal)
    if (
        request.method == "POST"
        and form.is_valid()
        and _call(
            form,
            lambda: services.appraisal_scores_set(
                by=request.user, appraisal=appraisal, member=form.cleaned_data["member"], scores=form.scores()
            ),
        )
    ):
        messages.success(request, _("已登记 %(m)s 的打分。") % {"m": form.cleaned_data["member"].user.full_name})
        return redirect(appraisal)
    return _form_page(
        request, form, _("登记议事员打分 · %(x)s") % {"x": appraisal}, "activities:appraisal_detail", appraisal
    )


@require_http_methods(["GET", "POST"])
@_at_step
def appraisal_file(request, pk):
    appraisal = _appraisal(request, pk, MANAGE, draft_only=True)
    form = forms.AppraisalFilingForm(request.POST or None, initial={"summary": appraisal.summary})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        done = _call(form, lambda: services.appraisal_file(by=request.user, appraisal=appraisal, **data))
        if done:
            messages.success(
                request,
                _("评议结果已报送并备案，发文字号 %(n)s，PDF 正在生成。") % {"n": done.filing_document.number},
            )
            return redirect(appraisal)
    return _form_page(
        request,
        form,
        _("报送评议结果 · %(x)s") % {"x": appraisal},
        "activities:appraisal_detail",
        appraisal,
        _("第九条第二项：评议结果报党工委和被评议单位上级主管部门，并向市人大常委会备案。"),
    )
