from django.db.models import Q

from committee.party_reports.models import PartyReport, ReportState
from committee.roles import Capability


def reports_for(user, streets):
    """Reports the user may read in these streets: submitted ones, and drafts where they draft reports."""
    drafting = [s.pk for s in streets if user.has_capability(Capability.MANAGE_PARTY_REPORTS, s)]
    return (
        PartyReport.objects.for_user(user)
        .filter(street__in=streets)
        .filter(Q(state=ReportState.SUBMITTED) | Q(street_id__in=drafting))
        .select_related("street", "document")
    )
