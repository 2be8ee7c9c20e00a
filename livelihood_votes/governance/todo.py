"""Home to-do items of 12345 reports: for the committee, reports past 12345's deadline with no outcome recorded
(to follow up); for a deputy, outcomes waiting for their rating. One query for the people concerned, none for
others."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.roles import ROLE_CAPABILITIES, Capability, Role
from committee.todo import Item, register
from livelihood_votes.governance.models import HotlineReport


@register
def hotline_follow_up(user) -> list[Item]:
    memberships = user.active_memberships
    managed = [m.street_id for m in memberships if Capability.MANAGE_OPINIONS in ROLE_CAPABILITIES[m.role]]
    deputy_in = [m.street_id for m in memberships if m.role == Role.DEPUTY]
    if not managed and not deputy_in:
        return []
    figures = HotlineReport.objects.filter(Q(street_id__in=managed) | Q(deputy=user)).aggregate(
        overdue=Count("pk", filter=Q(street_id__in=managed, outcome_on__isnull=True, due_on__lt=timezone.localdate())),
        to_rate=Count("pk", filter=Q(deputy=user, outcome_on__isnull=False, rating="")),
    )
    url = reverse("governance:hotline_list")
    items = []
    if figures["overdue"]:
        items.append(
            Item(_("12345反映已过期限、尚无办理结果"), url, count=figures["overdue"], flag=_("已逾期"), tone="danger")
        )
    if figures["to_rate"]:
        items.append(Item(_("12345办理结果待我评价"), url, count=figures["to_rate"]))
    return items
