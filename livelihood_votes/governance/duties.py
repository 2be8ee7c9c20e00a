"""Duty records of grassroots governance: a deputy's report to the 12345 hotline (Art 4(6), 19(1))."""

from django.utils.translation import gettext_lazy as _

from committee.duties.registry import DutyItem, DutyKind, register
from livelihood_votes.governance.models import HotlineReport

HOTLINE_REPORTED = DutyKind("hotline_reported", _("向12345热线反映问题"), "4(6)")


@register(HOTLINE_REPORTED)
def hotline_reports(people, streets, start, end):
    """One query: the 12345 reports these deputies made, dated by the day they reported."""
    rows = HotlineReport.objects.filter(
        deputy_id__in=people, street_id__in=streets, reported_on__gte=start, reported_on__lte=end
    ).only("pk", "street_id", "deputy_id", "reported_on", "content", "ticket_number")
    for report in rows:
        yield DutyItem(
            report.deputy_id,
            report.street_id,
            report.reported_on,
            HOTLINE_REPORTED.code,
            report.title,
            report.get_absolute_url(),
            report,
        )
