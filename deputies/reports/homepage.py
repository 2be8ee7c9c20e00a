"""The deputy's home: my reports to constituents and their survey grades (committee/homepage.py)."""

from committee.homepage import Section, register
from committee.roles import Capability
from deputies.reports.models import ConstituentReport

HOME_ROWS = 3


@register
def my_reports(request):
    """One query for people with duty records of their own (deputies), none for others; no section without rows."""
    if Capability.VIEW_OWN_DUTIES not in request.user.capabilities_anywhere():
        return None
    rows = list(
        ConstituentReport.objects.filter(deputy__user=request.user)
        .select_related("constituency")
        .order_by("-date", "-pk")[:HOME_ROWS]
    )
    return Section("constituent_reports/_home.html", {"rows": rows}, order=25) if rows else None
