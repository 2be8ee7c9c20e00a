"""The deputy's home: my coming duty at the stations, from the rota, with a way to ask for a swap
(committee/homepage.py)."""

from django.utils import timezone

from committee.homepage import Section, register
from committee.roles import Role
from liaison_stations.selectors import upcoming_slots


@register
def my_rota(request):
    user = request.user
    if not any(m.role == Role.DEPUTY for m in user.active_memberships):
        return None  # no query for people who are not deputies
    today = timezone.localdate()
    slots = list(upcoming_slots(user, today))
    if not slots:
        return None
    return Section("stations/_home.html", {"slots": slots, "today": today}, order=35)
