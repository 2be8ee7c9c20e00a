"""Duty records from confirmed claims: one item per participant (an organised activity is one record, N people)."""

from committee.duties.registry import DutyItem, DutyKind, register
from deputies.records.models import CLAIM_ARTICLES, ClaimKind, ClaimParticipant, ClaimState

CLAIM_KINDS = {kind: DutyKind(kind.value, kind.label, CLAIM_ARTICLES[kind]) for kind in ClaimKind}


@register(*CLAIM_KINDS.values())
def confirmed_claims(people, streets, start, end):
    """One query: confirmed claims these people took part in. Pending and rejected claims count for nothing."""
    links = ClaimParticipant.objects.filter(
        person_id__in=people,
        street_id__in=streets,
        claim__state=ClaimState.CONFIRMED,
        claim__date__range=(start, end),
    ).select_related("claim")
    for link in links:
        claim = link.claim
        yield DutyItem(
            link.person_id, claim.street_id, claim.date, claim.kind, claim.title, claim.get_absolute_url(), claim
        )
