"""Reads the stations' pages share: lists that cost the same whatever the rows, and the per-station figures
computed from the loop's own rows (the cases its visitors' matters became)."""

from django.conf import settings
from django.db.models import Count, Q

from liaison_stations.models import Receiver, Reception, Visit
from supervision.models import Opinion, Rating, State


def search_stations(stations, query: str):
    if query:
        stations = stations.filter(Q(name__icontains=query) | Q(address__icontains=query) | Q(contact__icontains=query))
    return stations


def reception_rows(receptions):
    """Receptions with their station, visitor count and receivers (two queries a page)."""
    return receptions.select_related("station", "street").annotate(visitor_count=Count("visits", distinct=True))


def composition_counts(reception) -> dict[str, int]:
    return dict(reception.receivers.values_list("kind").annotate(n=Count("pk")))


def composition_met(counts: dict[str, int]) -> bool:
    return all(counts.get(kind, 0) >= need for kind, need in settings.STATIONS_RECEPTION_COMPOSITION.items())


def station_figures(station) -> dict:
    """Receptions, visitors, matters passed into the loop, 办结率 and 满意率 (of the rated), in three queries."""
    receptions = Reception.objects.filter(station=station).count()
    visits = Visit.objects.filter(reception__station=station).aggregate(
        visitors=Count("pk"), answered=Count("pk", filter=~Q(answer=""))
    )
    cases = Opinion.objects.filter(
        pk__in=Visit.objects.filter(reception__station=station).values("opinion_id")
    ).aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(state=State.CLOSED)),
        rated=Count("pk", filter=~Q(rating="")),
        satisfied=Count("pk", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY])),
    )
    return {
        "receptions": receptions,
        **visits,
        "cases": cases["total"],
        "closed_rate": round(100 * cases["closed"] / cases["total"]) if cases["total"] else None,
        "satisfied_rate": round(100 * cases["satisfied"] / cases["rated"]) if cases["rated"] else None,
    }


def my_reception_ids(user):
    return Receiver.objects.filter(person=user).values("reception_id")
