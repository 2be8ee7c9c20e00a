from django.urls import reverse
from django.utils.translation import gettext as _

from committee.roles import Capability
from committee.todo import Item, register
from supervision.models import OPEN_WITH_UNIT, Opinion
from supervision.selectors import unit_inbox


@register
def cases_to_handle(user) -> list[Item]:
    """Handling units: the cases assigned to their unit and not yet answered."""
    if Capability.HANDLE_OPINIONS not in user.capabilities_anywhere():
        return []
    count = unit_inbox(user).filter(state__in=OPEN_WITH_UNIT).count()
    return [Item(_("待办理的意见建议"), reverse("supervision:inbox"), count=count)] if count else []


@register
def overdue_cases(user) -> list[Item]:
    """Committee staff: cases past their deadline in the streets they manage (to chase or issue a 督办函)."""
    if Capability.MANAGE_OPINIONS not in user.capabilities_anywhere():
        return []
    managed = [m.street_id for m in user.active_memberships if m.street_id]
    count = Opinion.objects.for_user(user).filter(street_id__in=managed).overdue().count()
    url = reverse("supervision:opinion_list") + "?overdue=1"
    return [Item(_("逾期未答复的意见建议"), url, count=count, note=_("可发督办函"))] if count else []
