"""Duty records from reports to constituents (Art 12(2), 4(3)): a report given is a duty record of its deputy."""

from django.utils.translation import gettext_lazy as _

from committee.duties.registry import DutyItem, DutyKind, register
from deputies.reports.models import ConstituentReport

CONSTITUENT_REPORT = DutyKind("constituent_report", _("向原选区选民报告履职"), "12(2)")


@register(CONSTITUENT_REPORT)
def constituent_reports(people, streets, start, end):
    """One query: the reports these people gave in the window."""
    reports = (
        ConstituentReport.objects.filter(deputy__user_id__in=people, street_id__in=streets, date__range=(start, end))
        .select_related("deputy__user", "constituency")
        .order_by("date", "pk")
    )
    for report in reports:
        yield DutyItem(
            report.deputy.user_id,
            report.street_id,
            report.date,
            CONSTITUENT_REPORT.code,
            str(report),
            report.get_absolute_url(),
            report,
        )
