"""Permission-matrix rows of the 公文 engine (documents) and the Art 20(1) reports (party_reports).
Objects are 望春门's demo reports: a submitted one (with its rendered 公文) and the 2026 Q4 draft."""

from django.urls import reverse

from committee.party_reports.models import PartyReport, ReportState
from tests.matrix import every, row, street


def submitted_report():
    return PartyReport.objects.filter(street=street(), state=ReportState.SUBMITTED).order_by("year", "quarter").first()


def draft_report():
    return PartyReport.objects.get(street=street(), state=ReportState.DRAFT)


def document():
    return submitted_report().document


_REPORT_READERS = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=200)
_REPORT_WRITERS = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403)

ROWS = {
    "documents:download": (lambda: reverse("documents:download", args=[document().pk]), _REPORT_READERS),
    "documents:status": (lambda: reverse("documents:status", args=[document().pk]), _REPORT_READERS),
    "documents:retry": (lambda: reverse("documents:retry", args=[document().pk]), every(405)),  # POST only
    "documents:verify": (lambda: reverse("documents:verify"), every(200, anonymous=200)),
    "documents:verify_token": (
        lambda: reverse("documents:verify_token", args=[document().token]),
        every(200, anonymous=200),
    ),
    "party_reports:list": (
        lambda: reverse("party_reports:list"),
        row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=200),
    ),
    "party_reports:add": (
        lambda: reverse("party_reports:add"),
        row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403),
    ),
    "party_reports:detail": (lambda: reverse("party_reports:detail", args=[submitted_report().pk]), _REPORT_READERS),
    "party_reports:edit": (lambda: reverse("party_reports:edit", args=[draft_report().pk]), _REPORT_WRITERS),
    "party_reports:submit": (lambda: reverse("party_reports:submit", args=[draft_report().pk]), _REPORT_WRITERS),
}
