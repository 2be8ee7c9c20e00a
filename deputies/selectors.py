from django.db.models import Prefetch, Q

from deputies.models import STARTING_EVENTS, Deputy, ResidentMessage, TermEvent


def roster_rows(queryset):
    """Deputies with what a roster row shows: person, street, constituency, and the elections latest first (two
    queries however many rows)."""
    return queryset.select_related("user", "street", "constituency").prefetch_related(
        Prefetch(
            "events", TermEvent.objects.filter(kind__in=STARTING_EVENTS).order_by("-on", "-pk"), to_attr="start_events"
        )
    )


def search(queryset, query: str):
    if not query:
        return queryset
    return queryset.filter(
        Q(user__full_name__contains=query)
        | Q(user__mobile__contains=query)
        | Q(sector__contains=query)
        | Q(constituency__name__contains=query)
        | Q(congress__contains=query)
    )


def messages_for(user, manage_street_ids):
    """The residents' messages a user answers: their own as a deputy, and every deputy's in streets they manage."""
    return (
        ResidentMessage.objects.for_user(user)
        .filter(Q(deputy__user=user) | Q(street_id__in=manage_street_ids))
        .select_related("deputy__user", "street", "opinion")
    )


def deputy_of(user) -> Deputy | None:
    return Deputy.objects.filter(user=user).select_related("street", "constituency").first()
