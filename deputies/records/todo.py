"""Committee staff's to-do: deputies' claims waiting for confirmation and correction requests waiting for an
answer (one query for both, none for people without MANAGE_DUTIES)."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from committee.models import Street
from committee.roles import ROLE_CAPABILITIES, Capability
from committee.todo import Item, register
from deputies.records.models import Claim, ClaimState, Correction, CorrectionState


def _count(queryset):
    counted = queryset.filter(street=OuterRef("pk")).order_by().values("street").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@register
def duties_to_review(user) -> list[Item]:
    streets = [
        m.street_id
        for m in user.active_memberships
        if m.street_id and Capability.MANAGE_DUTIES in ROLE_CAPABILITIES[m.role]
    ]
    if not streets:
        return []
    rows = Street.objects.filter(pk__in=streets).annotate(
        claims=_count(Claim.objects.filter(state=ClaimState.PENDING)),
        corrections=_count(Correction.objects.filter(state=CorrectionState.OPEN)),
    )
    claims = corrections = 0
    for street in rows.values("claims", "corrections"):
        claims, corrections = claims + street["claims"], corrections + street["corrections"]
    items = []
    if claims:
        items.append(Item(_("待确认的代表履职登记"), reverse("records:claims") + "?state=pending", count=claims))
    if corrections:
        items.append(Item(_("待处理的积分纠错申请"), reverse("records:points"), count=corrections))
    return items
