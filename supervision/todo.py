from django.db.models import Count, Q, Window
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.roles import ROLE_CAPABILITIES, Capability
from committee.todo import Item, register
from supervision.models import OPEN_WITH_UNIT, Opinion, ProposerKind, State
from supervision.selectors import unit_inbox, worklist

HOME_CASES = 5  # the unit's home lists this many of its cases, most urgent first, then a link to all
FLAGS = {"overdue": (gettext_lazy("逾期"), "danger"), "due_soon": (gettext_lazy("即将到期"), "warning")}


def _managed_streets(user) -> list[int]:
    return [
        m.street_id
        for m in user.active_memberships
        if m.street_id and Capability.MANAGE_OPINIONS in ROLE_CAPABILITIES[m.role]
    ]


@register
def cases_to_handle(user) -> list[Item]:
    """Handling units: the cases assigned to their unit and not yet answered, by deadline, overdue and due-soon
    ones marked (the first few, then the inbox with the count; one query: the count is a window over the rows)."""
    if Capability.HANDLE_OPINIONS not in user.capabilities_anywhere():
        return []
    rows = list(
        worklist(unit_inbox(user).filter(state__in=OPEN_WITH_UNIT)).annotate(total=Window(Count("pk")))[:HOME_CASES]
    )
    if not rows:
        return []
    items = [Item(_("待办理的意见建议"), reverse("supervision:inbox"), count=rows[0].total, note=_("按办理期限排列"))]
    for opinion in rows:
        flag, tone = FLAGS.get(opinion.flag, ("", ""))
        note = _("期限 %(d)s · %(state)s") % {"d": f"{opinion.deadline:%Y-%m-%d}", "state": opinion.get_state_display()}
        items.append(Item(opinion.title, opinion.get_absolute_url(), note=note, flag=flag, tone=tone))
    return items


@register
def cases_to_assign(user) -> list[Item]:
    """Committee staff: cases registered (by staff, a deputy, a council member, a resident online) and not yet
    assigned, answered or escalated — they wait for the committee, unseen unless listed here."""
    if Capability.MANAGE_OPINIONS not in user.capabilities_anywhere():
        return []
    counts = (
        Opinion.objects.for_user(user)
        .filter(street_id__in=_managed_streets(user), state__in=(State.REGISTERED, State.RETURNED))
        .aggregate(
            total=Count("pk"),
            returned=Count("pk", filter=Q(state=State.RETURNED)),
            deputies=Count("pk", filter=Q(proposer_kind=ProposerKind.DEPUTY)),
        )
    )
    if not counts["total"]:
        return []
    notes = []
    if counts["deputies"]:
        notes.append(_("代表提出 %(n)d 件") % {"n": counts["deputies"]})
    if counts["returned"]:
        notes.append(_("办理单位退回 %(n)d 件") % {"n": counts["returned"]})
    url = reverse("supervision:opinion_list") + "?pending=1"
    return [Item(_("待交办的意见建议"), url, count=counts["total"], note=" · ".join(notes))]


@register
def overdue_cases(user) -> list[Item]:
    """Committee staff: cases past their deadline in the streets they manage (to chase or issue a 督办函)."""
    if Capability.MANAGE_OPINIONS not in user.capabilities_anywhere():
        return []
    count = Opinion.objects.for_user(user).filter(street_id__in=_managed_streets(user)).overdue().count()
    url = reverse("supervision:opinion_list") + "?overdue=1"
    return [Item(_("逾期未答复的意见建议"), url, count=count, note=_("可发督办函"))] if count else []
