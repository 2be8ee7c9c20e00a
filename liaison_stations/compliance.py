"""Rules of Art 14(2), 14(4), 15(1) and 16(1) (liaison stations), each with its evidence."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Q, Value
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.compliance.registry import Evidence, Period, Result, Status, count_by_street, count_status, register
from committee.models import Membership
from committee.roles import Role
from deputies.models import Deputy
from liaison_stations.models import (
    ActivityKind,
    LiaisonStation,
    Receiver,
    ReceiverKind,
    Reception,
    StationKind,
    StationRole,
)


def _bounds(window):
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(window.start, datetime.time.min, zone),
        datetime.datetime.combine(window.end + datetime.timedelta(days=1), datetime.time.min, zone),
    )


def _months(window, today):
    """The first days of the window's months up to today's month."""
    months, day = [], window.start.replace(day=1)
    while day <= min(window.end, today):
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def _met(counts) -> bool:
    return all(counts.get(kind, 0) >= need for kind, need in settings.STATIONS_RECEPTION_COMPOSITION.items())


def _street_station_receptions(streets, window):
    """One query: (street, reception, month, receiver kind, how many) at the street stations in the window."""
    first, after = _bounds(window)
    rows = (
        Receiver.objects.filter(
            street__in=streets,
            reception__station__kind=StationKind.STREET,
            reception__starts_at__gte=first,
            reception__starts_at__lt=after,
        )
        .annotate(month=TruncMonth("reception__starts_at"))
        .values_list("street_id", "reception_id", "month", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    receptions = defaultdict(dict)
    months = {}
    for street_id, reception_id, month, kind, n in rows:
        receptions[(street_id, reception_id)][kind] = n
        months[(street_id, reception_id)] = (
            timezone.localtime(month).date() if isinstance(month, datetime.datetime) else month
        )
    covered = defaultdict(set)
    for key, counts in receptions.items():
        if _met(counts):
            covered[key[0]].add(months[key].replace(day=1))
    return covered


@register(id="14(4)", description=_("街道代表联络站每月开展“1+4”进站接待，组成符合要求"), period=Period.QUARTER)
def monthly_reception(streets, window, today):
    covered = _street_station_receptions(streets, window)
    months = _months(window, today)
    results = {}
    this_month = today.replace(day=1)
    for street in streets:
        done = [m for m in months if m in covered[street.pk]]
        lacking = [m for m in months if m not in covered[street.pk]]
        if not months:
            status = Status.NOT_YET_DUE
        elif any(m < this_month for m in lacking):
            status = Status.MISSED  # a month went by without one
        elif lacking:
            status = Status.AT_RISK if today.day > 20 else Status.NOT_YET_DUE  # this month's is still to come
        else:
            status = Status.MET
        results[street.pk] = Result(status, _("%(d)d/%(n)d个月已开展") % {"d": len(done), "n": len(months)})
    return results


@monthly_reception.evidence
def monthly_reception_evidence(street, window, today):
    first, after = _bounds(window)
    receptions = Reception.objects.filter(
        street=street, station__kind=StationKind.STREET, starts_at__gte=first, starts_at__lt=after
    ).prefetch_related("receivers")
    evidence = []
    for reception in receptions.order_by("starts_at"):
        counts = defaultdict(int)
        for receiver in reception.receivers.all():
            counts[receiver.kind] += 1
        flag = _("组成符合") if _met(counts) else _("组成不符合")
        evidence.append(
            Evidence(f"{reception} · {flag}", reception.get_absolute_url(), timezone.localdate(reception.starts_at))
        )
    return evidence


def _people_and_receptions(streets, window, people):
    """One query (a UNION): the people rows (street, user, name, -1) and, for each deputy who received in the
    window, (street, user, "", receptions attended)."""
    first, after = _bounds(window)
    attended = (
        Receiver.objects.filter(
            street__in=streets,
            kind=ReceiverKind.DEPUTY,
            attended=True,
            reception__starts_at__gte=first,
            reception__starts_at__lt=after,
        )
        .order_by()
        .values("street_id", "person_id")
        .annotate(n=Count("pk"), name=Value("", output_field=CharField()))
        .values_list("street_id", "person_id", "name", "n")
    )
    rows = people.annotate(n=Value(-1, output_field=IntegerField())).order_by()
    return list(rows.values_list("street_id", "user_id", "user__full_name", "n").union(attended, all=True))


def _judge(streets, window, today, people, required):
    """people: a queryset of rows with street_id, user_id, user__full_name; each person needs `required`
    receptions attended in the window."""
    counts, by_street = defaultdict(int), defaultdict(dict)
    for street_id, user_id, name, n in _people_and_receptions(streets, window, people):
        if n < 0:
            by_street[street_id][user_id] = name
        else:
            counts[(street_id, user_id)] = n
    results, short = {}, {}
    for street in streets:
        deputies = by_street[street.pk]
        lacking = sorted(
            (name, pk, counts[(street.pk, pk)]) for pk, name in deputies.items() if counts[(street.pk, pk)] < required
        )
        done = len(deputies) - len(lacking)
        status = count_status(done, len(deputies), window, today) if deputies else Status.NOT_YET_DUE
        results[street.pk] = Result(
            status, _("%(d)d/%(n)d名代表已进站接待%(r)d次") % {"d": done, "n": len(deputies), "r": required}
        )
        short[street.pk] = lacking
    return results, short


def _deputies(streets, window):
    return Membership.objects.filter(role=Role.DEPUTY, street__in=streets, started_on__lte=window.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=window.start)
    )


def _leader_cadres(streets, window):
    return Deputy.objects.filter(street__in=streets, leader_cadre=True).filter(
        Q(end_reason="") | Q(ended_on__gt=window.start)
    )


def _short_evidence(street, window, lacking):
    return [
        Evidence(
            _("%(name)s：%(c)d次") % {"name": name, "c": count},
            reverse("records:archive", args=[street.pk, pk, window.start.year]),
        )
        for name, pk, count in lacking
    ]


@register(id="15(1)", description=_("每名代表每年进站接待选民不少于2次"), period=Period.YEAR)
def deputies_receive_twice_a_year(streets, window, today):
    return _judge(streets, window, today, _deputies(streets, window), 2)[0]


@deputies_receive_twice_a_year.evidence
def deputies_receive_twice_a_year_evidence(street, window, today):
    return _short_evidence(
        street, window, _judge([street], window, today, _deputies([street], window), 2)[1][street.pk]
    )


@register(id="16(1)", description=_("领导干部代表每半年至少进站接待1次"), period=Period.HALF_YEAR)
def leader_cadres_receive_each_half_year(streets, window, today):
    return _judge(streets, window, today, _leader_cadres(streets, window), 1)[0]


@leader_cadres_receive_each_half_year.evidence
def leader_cadres_receive_each_half_year_evidence(street, window, today):
    people = _leader_cadres([street], window)
    return _short_evidence(street, window, _judge([street], window, today, people, 1)[1][street.pk])


def _director_is_master():
    today = timezone.localdate()
    director = Membership.objects.active().filter(
        street_id=OuterRef("street_id"), role=Role.DIRECTOR, user_id=OuterRef("person_id")
    )
    master = StationRole.objects.filter(station=OuterRef("pk"), kind="master", starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    return Exists(master.filter(Exists(director)))


@register(id="14(2)", description=_("街道代表联络站站长由工委主任担任"), period=Period.YEAR)
def director_is_station_master(streets, window, today):
    found = dict(
        LiaisonStation.objects.filter(street__in=streets, kind=StationKind.STREET)
        .annotate(ok=_director_is_master())
        .values_list("street_id", "ok")
    )
    results = {}
    for street in streets:
        if street.pk not in found:
            results[street.pk] = Result(Status.MISSED, _("未设街道代表联络站"))
        elif found[street.pk]:
            results[street.pk] = Result(Status.MET, _("站长为工委主任"))
        else:
            results[street.pk] = Result(Status.MISSED, _("站长不是工委主任"))
    return results


@director_is_station_master.evidence
def director_is_station_master_evidence(street, window, today):
    return [
        Evidence(str(s), s.get_absolute_url())
        for s in LiaisonStation.objects.filter(street=street, kind=StationKind.STREET)
    ]


def _themed(streets, window, today):
    first, after = _bounds(window)
    now = timezone.now()
    return Reception.objects.filter(
        street__in=streets, kind=ActivityKind.THEMED, starts_at__gte=first, starts_at__lt=min(after, now)
    )


@register(id="14(5)", description=_("每半年至少组织1次代表集中进站主题活动"), period=Period.HALF_YEAR)
def themed_activity_each_half_year(streets, window, today):
    held = count_by_street(_themed(streets, window, today))
    return {
        s.pk: Result(count_status(held[s.pk], 1, window, today), _("已开展 %(n)d 次") % {"n": held[s.pk]})
        for s in streets
    }


@themed_activity_each_half_year.evidence
def themed_activity_each_half_year_evidence(street, window, today):
    receptions = _themed([street], window, today).select_related("station").order_by("starts_at")
    return [Evidence(f"{r} · {r.theme}", r.get_absolute_url(), timezone.localdate(r.starts_at)) for r in receptions]
