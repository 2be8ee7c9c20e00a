"""Duty records from ballots: who took part in a vote (public: who voted, never how)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.ballots.models import Participation
from committee.duties.registry import DutyItem, DutyKind, register

BALLOT_VOTED = DutyKind("ballot_voted", _("参加投票表决"), "17(2)")


@register(BALLOT_VOTED)
def ballots_voted(people, streets, start, end):
    """One query: participations of these people in ballots opened in the window."""
    rows = Participation.objects.filter(
        voter__user_id__in=people,
        street_id__in=streets,
        ballot__opened_at__date__range=(start, end),
    ).select_related("ballot", "voter")
    for participation in rows:
        ballot = participation.ballot
        yield DutyItem(
            participation.voter.user_id,
            participation.street_id,
            timezone.localdate(ballot.opened_at),
            BALLOT_VOTED.code,
            ballot.title,
            ballot.get_absolute_url(),
            participation,
        )
