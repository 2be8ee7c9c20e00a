"""Reads the council's pages and the dashboard share; none grows in queries with the number of members."""

import datetime

from django.db.models import Count, Q

from committee.roles import Capability
from livelihood_votes.council.models import Category, CouncilMember, MemberState, Training


def selecting_street_ids(user, streets) -> set[int]:
    """The streets where this person takes part in the selection (the committee, the party committee): there
    they see applications and people on notice, elsewhere only the members appointed."""
    return {
        s.pk
        for s in streets
        if user.has_capability(Capability.MANAGE_COUNCIL, s) or user.has_capability(Capability.CONFIRM_COUNCIL, s)
    }


def members_for(user, streets):
    """The way-in records this person may read in these streets."""
    selecting = selecting_street_ids(user, streets)
    return (
        CouncilMember.objects.for_user(user)
        .filter(street__in=streets)
        .filter(Q(street_id__in=selecting) | Q(state__in=[MemberState.APPOINTED, MemberState.ENDED]))
        .select_related("street")
    )


def serving(street, on: datetime.date):
    """The members serving on a day: appointed, the term begun, not yet ended."""
    return CouncilMember.objects.filter(
        street=street, term_starts_on__lte=on, state__in=[MemberState.APPOINTED, MemberState.ENDED]
    ).filter(Q(ended_on__gt=on) | Q(ended_on__isnull=True, term_ends_on__gt=on))


def composition(street, on: datetime.date) -> list[tuple[str, int]]:
    """(category label, number of members serving) for every category, in one query."""
    counts = dict(serving(street, on).values_list("category").annotate(n=Count("pk")).order_by())
    return [(label, counts.get(value, 0)) for value, label in Category.choices]


def trainings(street):
    return Training.objects.filter(street=street).annotate(attendee_count=Count("attendees"))
