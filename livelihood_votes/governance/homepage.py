"""The deputy's home: a card to record a 12345 report and to open their street's 随手拍 (committee/homepage.py).
No query: it reads the memberships the home page has loaded already."""

from committee.homepage import Section, register
from committee.roles import Role


@register
def deputy_governance(request):
    streets = [m.street for m in request.user.active_memberships if m.role == Role.DEPUTY]
    if not streets:
        return None
    return Section("governance/_home.html", {"streets": streets}, order=40)
