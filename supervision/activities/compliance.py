"""Chapter 4 rules: 7(1), 7(3), 8(1), 8(2), 9(2), 10(1). One query per rule for all streets."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.compliance.registry import Evidence, Period, Result, Status, count_status, register
from supervision.activities.models import (
    AFTER_START,
    AppraisalState,
    EnforcementInspection,
    FieldVisit,
    InspectionState,
    SpecialWorkReport,
    WorkAppraisal,
)

# An appraisal's result is due at the municipal committee within this time (inferred; keep in step with practice).
APPRAISAL_FILING_GRACE = datetime.timedelta(days=30)


def _by_street(streets, rows):
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.street_id].append(row)
    return {street.pk: grouped[street.pk] for street in streets}


def _pending_status(window, today) -> Status:
    """Something owed in the window and not done yet: missed once the window closed, else judged like a count."""
    return count_status(0, 1, window, today)


def _started_inspections(streets, window):
    return _by_street(
        streets,
        EnforcementInspection.objects.filter(
            street__in=streets, state__in=AFTER_START, started_on__range=(window.start, window.end)
        ).order_by("started_on", "pk"),
    )


@register(
    id="7(1)",
    description=gettext_lazy("每年至少组织1次执法检查，检查前组织代表学习相关法律法规"),
    period=Period.YEAR,
)
def inspections_each_year(streets, window, today):
    done = _started_inspections(streets, window)
    results = {}
    for street in streets:
        studied = [i for i in done[street.pk] if i.studied_on is not None and i.studied_on <= i.started_on]
        results[street.pk] = Result(
            count_status(len(studied), 1, window, today),
            _("已开展 %(n)d 次，均于检查前组织学习") % {"n": len(studied)},
            [
                Evidence(
                    _("%(x)s（%(d)s学习）") % {"x": i, "d": f"{i.studied_on:%Y-%m-%d}"},
                    i.get_absolute_url(),
                    i.started_on,
                )
                for i in studied
            ],
        )
    return results


@register(id="7(3)", description=gettext_lazy("执法检查报告及落实情况向市人大常委会备案"), period=Period.YEAR)
def inspections_filed(streets, window, today):
    done = _started_inspections(streets, window)
    results = {}
    for street in streets:
        inspections = done[street.pk]
        filed = [i for i in inspections if i.state == InspectionState.IMPLEMENTATION_FILED]
        evidence = [
            Evidence(f"{i}（{i.get_state_display()}）", i.get_absolute_url(), i.started_on) for i in inspections
        ]
        if not inspections:
            status, summary = _pending_status(window, today), _("本年尚未开展执法检查")
        elif len(filed) == len(inspections):
            status, summary = Status.MET, _("%(n)d 次检查的报告和落实情况均已备案") % {"n": len(filed)}
        else:
            status = count_status(len(filed), len(inspections), window, today)
            summary = _("已备案 %(f)d / %(n)d 次") % {"f": len(filed), "n": len(inspections)}
        results[street.pk] = Result(status, summary, evidence)
    return results


def _held_reports(streets, window):
    return _by_street(
        streets,
        SpecialWorkReport.objects.filter(street__in=streets, held=True, heard_on__range=(window.start, window.end))
        .select_related("field_visit")
        .annotate(
            head_count=Count("unit_heads"),
            present_count=Count("unit_heads", filter=Q(unit_heads__attended=True)),
        )
        .order_by("heard_on", "pk"),
    )


@register(id="8(1)", description=gettext_lazy("每年至少听取1次专项工作报告"), period=Period.YEAR)
def special_work_report_each_year(streets, window, today):
    held = _held_reports(streets, window)
    return {
        street.pk: Result(
            count_status(len(held[street.pk]), 1, window, today),
            _("已听取 %(n)d 次") % {"n": len(held[street.pk])},
            [Evidence(str(r), r.get_absolute_url(), r.heard_on) for r in held[street.pk]],
        )
        for street in streets
    }


@register(
    id="8(2)",
    description=gettext_lazy("听取专项工作报告前组织视察或调研，有关负责人到会报告"),
    period=Period.YEAR,
)
def special_work_report_prepared(streets, window, today):
    held = _held_reports(streets, window)
    results = {}
    for street in streets:
        reports = held[street.pk]
        faults = []
        for report in reports:
            if report.field_visit is None or report.field_visit.starts_on > report.heard_on:
                faults.append(_("%(r)s：会前未组织视察调研") % {"r": report.title})
            if report.head_count == 0 or report.present_count < report.head_count:
                faults.append(
                    _("%(r)s：负责人到会 %(p)d / %(n)d")
                    % {"r": report.title, "p": report.present_count, "n": report.head_count}
                )
        evidence = [Evidence(str(r), r.get_absolute_url(), r.heard_on) for r in reports]
        evidence += [
            Evidence(str(r.field_visit), r.field_visit.get_absolute_url(), r.field_visit.starts_on)
            for r in reports
            if r.field_visit is not None
        ]
        if faults:
            results[street.pk] = Result(Status.MISSED, "；".join(faults), evidence)
        elif reports:
            results[street.pk] = Result(Status.MET, _("会前视察调研、负责人到会均已落实"), evidence)
        else:
            results[street.pk] = Result(_pending_status(window, today), _("本年尚未听取专项工作报告"), [])
    return results


@register(
    id="9(2)", description=gettext_lazy("工作评议结果报党工委和主管部门，并向市人大常委会备案"), period=Period.YEAR
)
def appraisals_filed(streets, window, today):
    appraisals = _by_street(
        streets,
        WorkAppraisal.objects.filter(street__in=streets, appraised_on__range=(window.start, window.end)).order_by(
            "appraised_on", "pk"
        ),
    )
    results = {}
    for street in streets:
        rows = appraisals[street.pk]
        unfiled = [a for a in rows if a.state != AppraisalState.FILED]
        evidence = [Evidence(f"{a}（{a.get_state_display()}）", a.get_absolute_url(), a.appraised_on) for a in rows]
        if not rows:
            # Art 9(1) says the council *may* appraise: no appraisal is nothing owed.
            results[street.pk] = Result(Status.NOT_YET_DUE, _("本年未开展工作评议"), [])
        elif not unfiled:
            results[street.pk] = Result(Status.MET, _("%(n)d 项评议结果均已备案") % {"n": len(rows)}, evidence)
        else:
            overdue = [a for a in unfiled if a.appraised_on + APPRAISAL_FILING_GRACE < today]
            if today > window.end or overdue:
                status = Status.MISSED if today > window.end else Status.AT_RISK
            else:
                status = Status.NOT_YET_DUE
            results[street.pk] = Result(status, _("%(n)d 项评议结果尚未备案") % {"n": len(unfiled)}, evidence)
    return results


@register(id="10(1)", description=gettext_lazy("每年组织人大代表开展视察、调研活动3—4次"), period=Period.YEAR)
def field_visits_each_year(streets, window, today):
    visits = _by_street(
        streets,
        FieldVisit.objects.filter(street__in=streets, starts_on__range=(window.start, min(window.end, today))).order_by(
            "starts_on", "pk"
        ),
    )
    return {
        street.pk: Result(
            count_status(len(visits[street.pk]), 3, window, today),
            _("已开展 %(n)d 次（要求3—4次）") % {"n": len(visits[street.pk])},
            [Evidence(str(v), v.get_absolute_url(), v.starts_on) for v in visits[street.pk]],
        )
        for street in streets
    }
