"""Rules of Art 14(2), 14(3), 14(4), 15(1), 16(1) and 16(4) (liaison stations), each with its evidence."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.compliance.registry import (
    Evidence,
    Period,
    Result,
    Status,
    Window,
    count_by_street,
    count_status,
    register,
)
from committee.models import Membership
from committee.roles import Role
from deputies.models import Deputy
from liaison_stations.models import (
    ActivityKind,
    ActivityPlan,
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


# --- Art 14(3): the year's activity plan and the operating rules by the set date ------------------------------


def plan_due(year: int) -> datetime.date:
    """The day of STATIONS_PLAN_DUE ("MM-DD") in the year."""
    month, day = (int(part) for part in settings.STATIONS_PLAN_DUE.split("-"))
    return datetime.date(year, month, day)


def _rules_documents(due):
    """The operating rules issued for a street station (OuterRef "pk") on or before `due`: Document rows."""
    from committee.documents.models import Document
    from liaison_stations.services import OPERATING_RULES_TEMPLATE

    return Document.objects.filter(
        content_type__app_label=LiaisonStation._meta.app_label,
        content_type__model=LiaisonStation._meta.model_name,
        template=OPERATING_RULES_TEMPLATE,
        issued_on__lte=due,
    )


def _street_station_plans(streets, year):
    return ActivityPlan.objects.filter(street__in=streets, station__kind=StationKind.STREET, year=year)


@register(id="14(3)", description=_("联络站年度活动计划、代表进站操作细则按时制定"), period=Period.YEAR)
def plan_and_rules_by_due_date(streets, window, today):
    """One query: each street station with when its plan for the year was made and whether its operating rules
    were issued by the date."""
    year, due = window.start.year, plan_due(window.start.year)
    deadline = _bounds(Window(due, due, ""))[1]
    plan = ActivityPlan.objects.filter(station=OuterRef("pk"), year=year).values("created_at")[:1]
    found = {
        street_id: (made, issued)
        for street_id, made, issued in LiaisonStation.objects.filter(street__in=streets, kind=StationKind.STREET)
        .annotate(made=Subquery(plan), issued=Exists(_rules_documents(due).filter(object_id=OuterRef("pk"))))
        .values_list("street_id", "made", "issued")
    }
    results = {}
    for street in streets:
        made, issued = found.get(street.pk, (None, False))
        plan_ok = made is not None and made < deadline
        if plan_ok and issued:
            status = Status.MET
        elif today > due:
            status = Status.MISSED
        elif today < window.start:
            status = Status.NOT_YET_DUE
        else:
            status = Status.AT_RISK
        plan_text = _("按时制定") if plan_ok else (_("逾期制定") if made is not None else _("未制定"))
        results[street.pk] = Result(
            status,
            _("活动计划%(plan)s；操作细则%(rules)s")
            % {"plan": plan_text, "rules": _("已印发") if issued else _("未印发")},
        )
    return results


@plan_and_rules_by_due_date.evidence
def plan_and_rules_by_due_date_evidence(street, window, today):
    due = plan_due(window.start.year)
    evidence = [
        Evidence(
            _("%(plan)s（%(d)s制定）") % {"plan": plan, "d": f"{timezone.localdate(plan.created_at):%Y-%m-%d}"},
            plan.get_absolute_url(),
            timezone.localdate(plan.created_at),
        )
        for plan in _street_station_plans([street], window.start.year).select_related("station")
    ]
    for station in LiaisonStation.objects.filter(street=street, kind=StationKind.STREET):
        for document in _rules_documents(due).filter(object_id=station.pk).order_by("-version")[:1]:
            evidence.append(
                Evidence(
                    f"{document.title} {document.number}",
                    reverse("stations:rules", args=[station.pk]),
                    document.issued_on,
                )
            )
    return evidence


# --- Art 16(4): "两官一长一员" receiving together with the deputies ------------------------------------------


def _joint_receptions(streets, window, today):
    """One query: {street_id: {reception_id: {kind: n}}} of the receptions held in the window up to today, counting
    the receivers who did not stay away (attendance recorded as absent leaves them out)."""
    first, _after = _bounds(window)
    held_before = _bounds(Window(min(window.end, today), min(window.end, today), ""))[1]
    rows = (
        Receiver.objects.filter(
            street__in=streets, reception__starts_at__gte=first, reception__starts_at__lt=held_before
        )
        .exclude(attended=False)
        .values_list("street_id", "reception_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = defaultdict(lambda: defaultdict(dict))
    for street_id, reception_id, kind, n in rows:
        found[street_id][reception_id][kind] = n
    return found


def _joint_required() -> dict[str, int]:
    """STATIONS_RECEPTION_COMPOSITION, with at least one deputy."""
    required = dict(settings.STATIONS_RECEPTION_COMPOSITION)
    required[ReceiverKind.DEPUTY] = max(required.get(ReceiverKind.DEPUTY, 0), 1)
    return required


def _joint_lacking(counts) -> list[str]:
    """The kinds of receivers a reception lacks to be joint: none when deputies and every official kind of the
    composition received (at least as many as it asks)."""
    return [kind for kind, need in _joint_required().items() if counts.get(kind, 0) < need]


@register(id="16(4)", description=_("“两官一长一员”与代表同步进站接待"), period=Period.QUARTER)
def joint_receptions_each_quarter(streets, window, today):
    found = _joint_receptions(streets, window, today)
    results = {}
    for street in streets:
        joint = sum(1 for counts in found[street.pk].values() if not _joint_lacking(counts))
        results[street.pk] = Result(count_status(joint, 1, window, today), _("同步进站接待 %(n)d 次") % {"n": joint})
    return results


@joint_receptions_each_quarter.evidence
def joint_receptions_each_quarter_evidence(street, window, today):
    found = _joint_receptions([street], window, today)[street.pk]
    receptions = Reception.objects.filter(pk__in=list(found)).select_related("station").order_by("starts_at")
    evidence = []
    for reception in receptions:
        lacking = _joint_lacking(found[reception.pk])
        flag = (
            _("缺：%(who)s") % {"who": "、".join(str(ReceiverKind(k).label) for k in lacking)}
            if lacking
            else _("同步接待")
        )
        evidence.append(
            Evidence(f"{reception} · {flag}", reception.get_absolute_url(), timezone.localdate(reception.starts_at))
        )
    return evidence
