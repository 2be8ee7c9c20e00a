"""Art 20(1): the street committee reports its work to the street party working committee every quarter."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.compliance.registry import Evidence, Period, Result, Status, count_status, register
from committee.party_reports.models import PartyReport, ReportState

# A quarter's report may go in during the first days of the next quarter.
GRACE = datetime.timedelta(days=15)


def _submitted(streets, window):
    year, quarter = window.start.year, (window.start.month - 1) // 3 + 1
    return PartyReport.objects.filter(street__in=streets, year=year, quarter=quarter, state=ReportState.SUBMITTED)


@register(id="20(1)", description=gettext_lazy("每季度向街道党工委报告工作"), period=Period.QUARTER)
def quarterly_report_to_party_committee(streets, window, today):
    submitted = dict(_submitted(streets, window).values_list("street_id", "submitted_on"))  # one row a street
    results = {}
    for street in streets:
        day = submitted.get(street.pk)
        if day is not None:
            results[street.pk] = Result(Status.MET, _("已于%(d)s报送") % {"d": f"{day:%Y年%-m月%-d日}"})
        elif window.end < today <= window.end + GRACE:
            results[street.pk] = Result(Status.AT_RISK, _("季度已结束，尚未报送"))
        else:
            results[street.pk] = Result(count_status(0, 1, window, today), _("尚未报送"))
    return results


@quarterly_report_to_party_committee.evidence
def quarterly_report_to_party_committee_evidence(street, window, today):
    return [
        Evidence(
            report.document.number if report.document else str(report), report.get_absolute_url(), report.submitted_on
        )
        for report in _submitted([street], window).select_related("document")
    ]
