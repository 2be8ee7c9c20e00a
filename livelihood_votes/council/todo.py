"""The home page's to-do items of the council's selection: for the committee, applications to review, notices
running and people to appoint; for the party committee, people whose notice ended, waiting for its confirmation.
One query for the people concerned, none for others."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.roles import ROLE_CAPABILITIES, Capability
from committee.todo import Item, register
from livelihood_votes.council.models import CouncilMember, MemberState


def _streets(user, capability) -> list[int]:
    return [m.street_id for m in user.active_memberships if m.street_id and capability in ROLE_CAPABILITIES[m.role]]


@register
def council_selection(user) -> list[Item]:
    managed = _streets(user, Capability.MANAGE_COUNCIL)
    confirming = _streets(user, Capability.CONFIRM_COUNCIL)
    if not managed and not confirming:
        return []
    today = timezone.localdate()
    figures = CouncilMember.objects.filter(street_id__in=managed + confirming).aggregate(
        applied=Count("pk", filter=Q(street_id__in=managed, state=MemberState.APPLIED)),
        on_notice=Count("pk", filter=Q(street_id__in=managed, state=MemberState.ON_NOTICE)),
        notice_ends=Min("notice__ends_on", filter=Q(street_id__in=managed, state=MemberState.ON_NOTICE)),
        to_appoint=Count("pk", filter=Q(street_id__in=managed, state=MemberState.CONFIRMED)),
        to_confirm=Count(
            "pk", filter=Q(street_id__in=confirming, state=MemberState.ON_NOTICE, notice__ends_on__lt=today)
        ),
    )
    url = reverse("council:list")
    items = []
    if figures["applied"]:
        items.append(Item(_("待初审的议事会成员申请"), f"{url}?state={MemberState.APPLIED}", count=figures["applied"]))
    if figures["on_notice"]:
        ends = figures["notice_ends"]
        ended = ends < today
        items.append(
            Item(
                _("公示中的议事会成员人选"),
                f"{url}?state={MemberState.ON_NOTICE}",
                count=figures["on_notice"],
                note=_("公示截止 %(d)s") % {"d": f"{ends:%Y-%m-%d}"},
                flag=_("公示期满，待党工委确认") if ended else "",
                tone="warning" if ended else "",
            )
        )
    if figures["to_appoint"]:
        items.append(
            Item(_("党工委已确认、待聘任的人选"), f"{url}?state={MemberState.CONFIRMED}", count=figures["to_appoint"])
        )
    if figures["to_confirm"]:
        items.append(
            Item(_("待党工委确认的议事会成员人选"), f"{url}?state={MemberState.ON_NOTICE}", count=figures["to_confirm"])
        )
    return items
