"""Chapter 4 rules: 7(1), 7(3), 8(1), 8(2), 9(2), 10(1). One query per rule for all streets, counted in SQL."""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.compliance.registry import (
    Evidence,
    Period,
    Result,
    Status,
    count_by_street,
    count_status,
    counts_by_street,
    register,
)
from supervision.activities.models import (
    AFTER_START,
    AppraisalState,
    EnforcementInspection,
    FieldVisit,
    InspectionState,
    SpecialWorkReport,
    UnitHead,
    WorkAppraisal,
)

# An appraisal's result is due at the municipal committee within this time (inferred; keep in step with practice).
APPRAISAL_FILING_GRACE = datetime.timedelta(days=30)


def _pending_status(window, today) -> Status:
    """Something owed in the window and not done yet: missed once the window closed, else judged like a count."""
    return count_status(0, 1, window, today)


def _started_inspections(streets, window):
    return EnforcementInspection.objects.filter(
        street__in=streets, state__in=AFTER_START, started_on__range=window.range
    )


STUDIED_BEFORE = Q(studied_on__isnull=False, studied_on__lte=F("started_on"))


@register(
    id="7(1)",
    description=gettext_lazy("每年至少组织1次执法检查，检查前组织代表学习相关法律法规"),
    period=Period.YEAR,
)
def inspections_each_year(streets, window, today):
    studied = count_by_street(_started_inspections(streets, window).filter(STUDIED_BEFORE))
    return {
        street.pk: Result(
            count_status(studied[street.pk], 1, window, today),
            _("已开展 %(n)d 次，均于检查前组织学习") % {"n": studied[street.pk]},
        )
        for street in streets
    }


@inspections_each_year.evidence
def inspections_each_year_evidence(street, window, today):
    return [
        Evidence(
            _("%(x)s（%(d)s学习）") % {"x": i, "d": f"{i.studied_on:%Y-%m-%d}"}, i.get_absolute_url(), i.started_on
        )
        for i in _started_inspections([street], window).filter(STUDIED_BEFORE).order_by("started_on", "pk")
    ]


@register(id="7(3)", description=gettext_lazy("执法检查报告及落实情况向市人大常委会备案"), period=Period.YEAR)
def inspections_filed(streets, window, today):
    counts = counts_by_street(
        _started_inspections(streets, window),
        total=Count("pk"),
        filed=Count("pk", filter=Q(state=InspectionState.IMPLEMENTATION_FILED)),
    )
    results = {}
    for street in streets:
        n = counts(street)
        if not n["total"]:
            status, summary = _pending_status(window, today), _("本年尚未开展执法检查")
        elif n["filed"] == n["total"]:
            status, summary = Status.MET, _("%(n)d 次检查的报告和落实情况均已备案") % {"n": n["filed"]}
        else:
            status = count_status(n["filed"], n["total"], window, today)
            summary = _("已备案 %(f)d / %(n)d 次") % {"f": n["filed"], "n": n["total"]}
        results[street.pk] = Result(status, summary)
    return results


@inspections_filed.evidence
def inspections_filed_evidence(street, window, today):
    return [
        Evidence(f"{i}（{i.get_state_display()}）", i.get_absolute_url(), i.started_on)
        for i in _started_inspections([street], window).order_by("started_on", "pk")
    ]


def _held_reports(streets, window):
    return SpecialWorkReport.objects.filter(street__in=streets, held=True, heard_on__range=window.range)


@register(id="8(1)", description=gettext_lazy("每年至少听取1次专项工作报告"), period=Period.YEAR)
def special_work_report_each_year(streets, window, today):
    held = count_by_street(_held_reports(streets, window))
    return {
        street.pk: Result(
            count_status(held[street.pk], 1, window, today), _("已听取 %(n)d 次") % {"n": held[street.pk]}
        )
        for street in streets
    }


@special_work_report_each_year.evidence
def special_work_report_each_year_evidence(street, window, today):
    return [
        Evidence(str(r), r.get_absolute_url(), r.heard_on)
        for r in _held_reports([street], window).order_by("heard_on", "pk")
    ]


# A report heard without a field visit that started by its day, or with a unit head missing (or none listed).
WITHOUT_VISIT = Q(field_visit__isnull=True) | Q(field_visit__starts_on__gt=F("heard_on"))
HEAD_ABSENT = ~Exists(UnitHead.objects.filter(report_id=OuterRef("pk"))) | Exists(
    UnitHead.objects.filter(report_id=OuterRef("pk"), attended=False)
)


@register(
    id="8(2)",
    description=gettext_lazy("听取专项工作报告前组织视察或调研，有关负责人到会报告"),
    period=Period.YEAR,
)
def special_work_report_prepared(streets, window, today):
    counts = counts_by_street(
        _held_reports(streets, window).annotate(head_absent=HEAD_ABSENT),
        total=Count("pk"),
        without_visit=Count("pk", filter=WITHOUT_VISIT),
        head_absent=Count("pk", filter=Q(head_absent=True)),
    )
    results = {}
    for street in streets:
        n = counts(street)
        faults = []
        if n["without_visit"]:
            faults.append(_("%(n)d 次会前未组织视察调研") % {"n": n["without_visit"]})
        if n["head_absent"]:
            faults.append(_("%(n)d 次负责人未全部到会") % {"n": n["head_absent"]})
        if faults:
            results[street.pk] = Result(Status.MISSED, "；".join(faults))
        elif n["total"]:
            results[street.pk] = Result(Status.MET, _("会前视察调研、负责人到会均已落实"))
        else:
            results[street.pk] = Result(_pending_status(window, today), _("本年尚未听取专项工作报告"))
    return results


@special_work_report_prepared.evidence
def special_work_report_prepared_evidence(street, window, today):
    reports = (
        _held_reports([street], window)
        .select_related("field_visit")
        .annotate(
            head_count=Count("unit_heads"),
            present_count=Count("unit_heads", filter=Q(unit_heads__attended=True)),
        )
        .order_by("heard_on", "pk")
    )
    evidence = []
    for r in reports:
        faults = []
        if r.field_visit is None or r.field_visit.starts_on > r.heard_on:
            faults.append(_("会前未组织视察调研"))
        if r.head_count == 0 or r.present_count < r.head_count:
            faults.append(_("负责人到会 %(p)d / %(n)d") % {"p": r.present_count, "n": r.head_count})
        label = f"{r}（{'；'.join(faults)}）" if faults else str(r)
        evidence.append(Evidence(label, r.get_absolute_url(), r.heard_on))
        if r.field_visit is not None:
            evidence.append(Evidence(str(r.field_visit), r.field_visit.get_absolute_url(), r.field_visit.starts_on))
    return evidence


def _appraisals(streets, window):
    return WorkAppraisal.objects.filter(street__in=streets, appraised_on__range=window.range)


@register(
    id="9(2)", description=gettext_lazy("工作评议结果报党工委和主管部门，并向市人大常委会备案"), period=Period.YEAR
)
def appraisals_filed(streets, window, today):
    unfiled = ~Q(state=AppraisalState.FILED)
    counts = counts_by_street(
        _appraisals(streets, window),
        total=Count("pk"),
        unfiled=Count("pk", filter=unfiled),
        overdue=Count("pk", filter=unfiled & Q(appraised_on__lt=today - APPRAISAL_FILING_GRACE)),
    )
    results = {}
    for street in streets:
        n = counts(street)
        if not n["total"]:
            # Art 9(1) says the council *may* appraise: no appraisal is nothing owed.
            results[street.pk] = Result(Status.NOT_YET_DUE, _("本年未开展工作评议"))
        elif not n["unfiled"]:
            results[street.pk] = Result(Status.MET, _("%(n)d 项评议结果均已备案") % {"n": n["total"]})
        else:
            if today > window.end:
                status = Status.MISSED
            elif n["overdue"]:
                status = Status.AT_RISK
            else:
                status = Status.NOT_YET_DUE
            results[street.pk] = Result(status, _("%(n)d 项评议结果尚未备案") % {"n": n["unfiled"]})
    return results


@appraisals_filed.evidence
def appraisals_filed_evidence(street, window, today):
    return [
        Evidence(f"{a}（{a.get_state_display()}）", a.get_absolute_url(), a.appraised_on)
        for a in _appraisals([street], window).order_by("appraised_on", "pk")
    ]


def _visits(streets, window, today):
    return FieldVisit.objects.filter(street__in=streets, starts_on__range=(window.start, min(window.end, today)))


@register(id="10(1)", description=gettext_lazy("每年组织人大代表开展视察、调研活动3—4次"), period=Period.YEAR)
def field_visits_each_year(streets, window, today):
    visits = count_by_street(_visits(streets, window, today))
    return {
        street.pk: Result(
            count_status(visits[street.pk], 3, window, today),
            _("已开展 %(n)d 次（要求3—4次）") % {"n": visits[street.pk]},
        )
        for street in streets
    }


@field_visits_each_year.evidence
def field_visits_each_year_evidence(street, window, today):
    return [
        Evidence(str(v), v.get_absolute_url(), v.starts_on)
        for v in _visits([street], window, today).order_by("starts_on", "pk")
    ]
