"""Permission-matrix rows for deputies' reports to constituents (deputies.reports). The matrix's deputy
(wangchunmen_deputy) gave 望春门's first demo report; the flagged one, with its uploaded file, is another deputy's."""

from django.urls import reverse

from deputies.reports.models import ConstituentReport
from tests.matrix import every, row, street


def _own():
    return ConstituentReport.objects.filter(street=street(), deputy__user__username="wangchunmen_deputy").first()


def _with_file():
    return ConstituentReport.objects.filter(street=street()).exclude(file="").first()


def _url(name, obj):
    return lambda: reverse(f"constituent_reports:{name}", args=[obj().pk])


ROWS = {
    "constituent_reports:list": (
        lambda: reverse("constituent_reports:list"),
        row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=200),
    ),
    "constituent_reports:add": (
        lambda: reverse("constituent_reports:add"),
        row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403),
    ),
    "constituent_reports:detail": (
        _url("detail", _own),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=404, city=200),
    ),
    "constituent_reports:edit": (
        _url("edit", _own),
        row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=404, city=403),
    ),
    "constituent_reports:file": (
        _url("file", _with_file),
        row(staff=200, other_staff=404, director=200, deputy=404, handling_unit=404, city=200),
    ),
    "constituent_reports:comment_add": (_url("comment_add", _own), every(405)),  # POST only
    "constituent_reports:comment_case": (lambda: reverse("constituent_reports:comment_case", args=[1]), every(405)),
    "constituent_reports:survey_start": (_url("survey_start", _own), every(405)),
    "constituent_reports:survey_issue_papers": (_url("survey_issue_papers", _own), every(405)),
}
