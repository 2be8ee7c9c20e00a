"""The deputy's home (phone first): this year against each quota, this quarter's points, links to my 档案 and
claims. Later chapters add their own sections (my suggestions, my QR page) through `committee.homepage`."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.duties import registry
from committee.homepage import Section, register
from committee.roles import Capability, Role
from deputies.records.models import Claim, ClaimState
from deputies.records.points import quarter_of, rules_for, score

# DOMAIN.md "Deputies": a year's minimums per deputy (Art 11(4), 11(5), 15(1)); a kind no source registers yet
# (receptions, until the stations chapter lands) is left out.
QUOTAS = [
    ("legislation", 2, _("立法相关活动")),
    ("deed", 1, _("为民办实事")),
    ("reception", 2, _("进站接待选民")),
]


def quotas(items) -> list[tuple]:
    """(label, done, required) of each year's quota a registered duty kind has, counted in these duty items (the
    deputy's home and 档案 show them)."""
    known = registry.kinds()
    counts = {code: sum(1 for item in items if item.kind == code) for code, _n, _l in QUOTAS}
    return [(label, counts[code], required) for code, required, label in QUOTAS if code in known]


@register
def my_duties(request):
    user = request.user
    memberships = [
        m
        for m in user.active_memberships
        if m.street is not None and Capability.VIEW_OWN_DUTIES in user.capabilities_in(m.street)
    ]
    if not memberships:
        return None
    membership = next((m for m in memberships if m.role == Role.DEPUTY), memberships[0])
    street, today = membership.street, timezone.localdate()
    items = registry.items(people=[user.pk], streets=[street.pk], start=datetime.date(today.year, 1, 1), end=today)
    context = {"street": street, "year": today.year, "count": len(items), "recent": items[-3:][::-1]}
    if membership.role == Role.DEPUTY:
        rules = rules_for(street, today.year)
        lines = score(items, rules)
        year, number = quarter_of(today)
        quarter_start = datetime.date(year, 3 * number - 2, 1)
        context |= {
            "deputy": True,
            "quarter": number,
            "quarter_points": sum((line.points for line in lines if line.item.date >= quarter_start), Decimal(0)),
            "year_total": rules.base + sum((line.points for line in lines), Decimal(0)),
            "quotas": quotas(items),
            "pending": Claim.objects.filter(
                street=street, participant_links__person=user, state=ClaimState.PENDING
            ).count(),
        }
    return Section("records/_home.html", context, order=10)
