"""Art 20(1): the street committee reports its work to the street party working committee every quarter."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.compliance.registry import Evidence, Period, Result, Status, count_status, register
from committee.party_reports.models import PartyReport, ReportState

# A quarter's report may go in during the first days of the next quarter.
GRACE = datetime.timedelta(days=15)


@register(id="20(1)", description=gettext_lazy("每季度向街道党工委报告工作"), period=Period.QUARTER)
def quarterly_report_to_party_committee(streets, window, today):
    year, quarter = window.start.year, (window.start.month - 1) // 3 + 1
    submitted = {
        report.street_id: report
        for report in PartyReport.objects.filter(
            street__in=streets, year=year, quarter=quarter, state=ReportState.SUBMITTED
        ).select_related("document")
    }  # one query for all streets
    results = {}
    for street in streets:
        report = submitted.get(street.pk)
        if report is not None:
            label = report.document.number if report.document else str(report)
            results[street.pk] = Result(
                Status.MET,
                _("已于%(d)s报送") % {"d": f"{report.submitted_on:%Y年%-m月%-d日}"},
                [Evidence(label, report.get_absolute_url(), report.submitted_on)],
            )
        elif window.end < today <= window.end + GRACE:
            results[street.pk] = Result(Status.AT_RISK, _("季度已结束，尚未报送"), [])
        else:
            status = count_status(0, 1, window, today)
            results[street.pk] = Result(status, _("尚未报送"), [])
    return results
