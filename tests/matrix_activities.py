"""Permission-matrix rows for the chapter 4 supervision activities (supervision.activities, Art 7-10)."""

from django.urls import reverse

from supervision.activities.models import (
    EnforcementInspection,
    FieldVisit,
    InspectionState,
    SpecialWorkReport,
    UnitHead,
    WorkAppraisal,
)
from tests.matrix import every, row, street

READ = row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=200)
READ_OWN_STREET = row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=200)
MANAGE = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403)
MANAGE_OWN_STREET = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403)
# Pages of a step the record has passed redirect to it with a message.
REDIRECT_OWN_STREET = row(staff=302, other_staff=404, director=302, deputy=403, handling_unit=403, city=403)


def _inspection(state=InspectionState.IMPLEMENTATION_FILED):
    return EnforcementInspection.objects.filter(street=street(), state=state).order_by("pk").first()


def _report():
    return SpecialWorkReport.objects.filter(street=street()).order_by("pk").first()


def _head():
    return UnitHead.objects.filter(street=street()).order_by("pk").first()


def _appraisal():
    return WorkAppraisal.objects.filter(street=street()).order_by("pk").first()


def _visit():
    return FieldVisit.objects.filter(street=street()).order_by("pk").first()


def _url(name, obj):
    return lambda: reverse(f"activities:{name}", args=[obj().pk])


ROWS = {
    "activities:inspection_list": (lambda: reverse("activities:inspection_list"), READ),
    "activities:inspection_add": (lambda: reverse("activities:inspection_add"), MANAGE),
    "activities:inspection_detail": (_url("inspection_detail", _inspection), READ_OWN_STREET),
    "activities:inspection_edit": (_url("inspection_edit", _inspection), REDIRECT_OWN_STREET),
    "activities:inspection_study": (_url("inspection_study", _inspection), REDIRECT_OWN_STREET),
    "activities:inspection_start": (_url("inspection_start", _inspection), REDIRECT_OWN_STREET),
    "activities:finding_add": (
        _url("finding_add", lambda: _inspection(InspectionState.IN_PROGRESS)),
        MANAGE_OWN_STREET,
    ),
    "activities:inspection_report": (
        _url("inspection_report", lambda: _inspection(InspectionState.IN_PROGRESS)),
        MANAGE_OWN_STREET,
    ),
    "activities:inspection_implementation": (_url("inspection_implementation", _inspection), REDIRECT_OWN_STREET),
    "activities:report_list": (lambda: reverse("activities:report_list"), READ),
    "activities:report_add": (lambda: reverse("activities:report_add"), MANAGE),
    "activities:report_detail": (_url("report_detail", _report), READ_OWN_STREET),
    "activities:report_edit": (_url("report_edit", _report), MANAGE_OWN_STREET),
    "activities:unit_head_add": (_url("unit_head_add", _report), MANAGE_OWN_STREET),
    "activities:report_opinion_add": (_url("report_opinion_add", _report), MANAGE_OWN_STREET),
    "activities:unit_head_attended": (_url("unit_head_attended", _head), every(405)),  # POST only
    "activities:unit_head_remove": (_url("unit_head_remove", _head), MANAGE_OWN_STREET),
    "activities:appraisal_list": (lambda: reverse("activities:appraisal_list"), READ),
    "activities:appraisal_add": (lambda: reverse("activities:appraisal_add"), MANAGE),
    "activities:appraisal_detail": (_url("appraisal_detail", _appraisal), READ_OWN_STREET),
    "activities:appraisal_edit": (_url("appraisal_edit", _appraisal), REDIRECT_OWN_STREET),
    "activities:appraisal_score": (_url("appraisal_score", _appraisal), REDIRECT_OWN_STREET),
    "activities:appraisal_file": (_url("appraisal_file", _appraisal), REDIRECT_OWN_STREET),
    "activities:visit_list": (lambda: reverse("activities:visit_list"), READ),
    "activities:visit_add": (lambda: reverse("activities:visit_add"), MANAGE),
    "activities:visit_detail": (_url("visit_detail", _visit), READ_OWN_STREET),
    "activities:visit_edit": (_url("visit_edit", _visit), MANAGE_OWN_STREET),
    "activities:visit_issue_add": (_url("visit_issue_add", _visit), MANAGE_OWN_STREET),
}
