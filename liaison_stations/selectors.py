"""Reads the stations' pages share: lists that cost the same whatever the rows, and the per-station figures
computed from the loop's own rows (the cases its visitors' matters became)."""

import datetime

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from liaison_stations.models import OPEN_SWAP_STATES, Receiver, Reception, RotaSlot, SwapRequest, Visit
from supervision import selectors as loop
from supervision.models import Opinion


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
    """Receptions, visitors, matters passed into the loop, 办结率 and 满意率 (of the rated), in three queries; the
    loop's figures come from its own selectors."""
    receptions = Reception.objects.filter(station=station).count()
    visits = Visit.objects.filter(reception__station=station).aggregate(
        visitors=Count("pk"), answered=Count("pk", filter=~Q(answer=""))
    )
    cases = loop.shares(
        Opinion.objects.filter(pk__in=Visit.objects.filter(reception__station=station).values("opinion_id")).aggregate(
            **loop.figure_counts()
        )
    )
    return {
        "receptions": receptions,
        **visits,
        "cases": cases["number"],
        "closed_rate": cases["closed_share"],
        "satisfied_rate": cases["satisfied_share"],
    }


def _year_bounds(year: int):
    zone = timezone.get_current_timezone()
    return datetime.datetime(year, 1, 1, tzinfo=zone), datetime.datetime(year + 1, 1, 1, tzinfo=zone)


def network_rows(stations, year: int):
    """The stations with their receptions and visitors of the year, counted in subqueries (one query a page)."""
    first, after = _year_bounds(year)
    in_year = {"starts_at__gte": first, "starts_at__lt": after}
    receptions = Reception.objects.filter(station=OuterRef("pk"), **in_year)
    visits = Visit.objects.filter(
        reception__station=OuterRef("pk"), **{f"reception__{k}": v for k, v in in_year.items()}
    )

    def counted(queryset):
        rows = queryset.order_by().values("station" if queryset.model is Reception else "reception__station")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)

    return stations.select_related("street__municipality").annotate(
        year_receptions=counted(receptions), year_visitors=counted(visits)
    )


def network_cases(station_ids, year: int) -> dict[int, dict]:
    """The year's matters the stations' visitors passed into the loop, per station, with the loop's own figures
    (number, closed, replied, overdue … and the shares): one query for a page of stations."""
    first, after = _year_bounds(year)
    visits = Visit.objects.filter(
        reception__station_id__in=station_ids,
        reception__starts_at__gte=first,
        reception__starts_at__lt=after,
        opinion__isnull=False,
    )
    station_of = Visit.objects.filter(opinion_id=OuterRef("pk")).values("reception__station_id")[:1]
    rows = (
        Opinion.objects.filter(pk__in=visits.values("opinion_id"))
        .annotate(station_id=Subquery(station_of, output_field=IntegerField()))
        .order_by()
        .values("station_id")
        .annotate(**loop.figure_counts())
    )
    return {row["station_id"]: loop.shares(dict(row)) for row in rows}


def my_reception_ids(user):
    return Receiver.objects.filter(person=user).values("reception_id")


def rota_days(station, year: int) -> list[dict]:
    """The year's rota of a station by date: the deputies on duty (slot, name) and the reception planned that day,
    if any. Two queries, whatever the rows."""
    slots = (
        RotaSlot.objects.filter(station=station, on_date__year=year)
        .select_related("deputy__user")
        .order_by("on_date", "pk")
    )
    receptions = {
        timezone.localtime(r.starts_at).date(): r
        for r in Reception.objects.filter(station=station, starts_at__year=year).order_by("starts_at")
    }
    days: dict = {}
    for slot in slots:
        day = days.setdefault(
            slot.on_date, {"date": slot.on_date, "slots": [], "reception": receptions.get(slot.on_date)}
        )
        day["slots"].append(slot)
    return [days[d] for d in sorted(days)]


def open_swaps(swaps):
    """Swaps still waiting on someone, with what their rows show (one query)."""
    return swap_rows(swaps.filter(state__in=OPEN_SWAP_STATES))


def swap_rows(swaps):
    return swaps.select_related(
        "slot__station", "slot__deputy__user", "partner__user", "partner_slot", "street"
    ).order_by("-asked_at", "-pk")


def upcoming_slots(user, today, limit: int = 5):
    """A deputy's coming rota slots with their station and any open swap (for the home page): one query."""
    open_swap = SwapRequest.objects.filter(slot=OuterRef("pk"), state__in=OPEN_SWAP_STATES)
    return (
        RotaSlot.objects.filter(deputy__user=user, on_date__gte=today)
        .select_related("station")
        .annotate(open_swap=Subquery(open_swap.values("pk")[:1]))
        .order_by("on_date", "pk")[:limit]
    )
