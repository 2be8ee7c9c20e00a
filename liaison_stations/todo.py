"""Home to-do items of the station rota: for a deputy, swaps other deputies asked them for; for station staff,
swaps both deputies agreed on, waiting for approval. One query per provider, none for people it does not concern."""

from django.urls import reverse
from django.utils.translation import gettext as _

from committee.roles import ROLE_CAPABILITIES, Capability, Role
from committee.todo import Item, register
from liaison_stations.models import SwapRequest, SwapState


@register
def swaps_asking_me(user) -> list[Item]:
    if not any(m.role == Role.DEPUTY for m in user.active_memberships):
        return []
    n = SwapRequest.objects.filter(partner__user=user, state=SwapState.ASKED).count()
    if not n:
        return []
    url = reverse("stations:swaps") + f"?state={SwapState.ASKED}"
    return [Item(_("请您换班的申请"), url, count=n, note=_("同意或不同意"))]


@register
def swaps_to_approve(user) -> list[Item]:
    if Capability.MANAGE_STATIONS not in user.capabilities_anywhere():
        return []
    streets = [m.street_id for m in user.active_memberships if Capability.MANAGE_STATIONS in ROLE_CAPABILITIES[m.role]]
    n = SwapRequest.objects.filter(street__in=streets, state=SwapState.AGREED).count()
    if not n:
        return []
    return [Item(_("待审批的换班申请"), reverse("stations:swaps") + f"?state={SwapState.AGREED}", count=n)]
