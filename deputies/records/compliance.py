"""Rules of Art 11(4), 11(5) and 12(1) (deputies' duty records and points), with their evidence."""

import datetime
from collections import defaultdict

from django.db.models import CharField, DateField, F, IntegerField, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from committee.compliance.registry import Evidence, Period, Result, Status, count_status, register
from deputies.models import deputy_memberships
from deputies.records.models import ClaimKind, ClaimParticipant, ClaimState, Quarter

# After a quarter ends its points are due; a publication within this many days is on time (like Art 20(1)).
PUBLISH_WITHIN_DAYS = 15


def _deputies_and_claims(streets, window, kinds):
    """One query (a UNION): the deputies in office during the window, each with a row of kind "", and the
    participants of the confirmed claims of these kinds in the window, one row each:
    (street_id, person_id, name or title, kind, date, claim id)."""
    people = (
        deputy_memberships(window.start, until=window.end)
        .filter(street__in=streets)
        .annotate(
            name=F("user__full_name"),
            kind=Value("", output_field=CharField()),
            day=Value(None, output_field=DateField()),
            claim_id=Value(None, output_field=IntegerField()),
        )
        .values_list("street_id", "user_id", "name", "kind", "day", "claim_id")
    )
    claims = ClaimParticipant.objects.filter(
        street__in=streets,
        claim__kind__in=kinds,
        claim__state=ClaimState.CONFIRMED,
        claim__date__range=(window.start, window.end),
    ).values_list("street_id", "person_id", "claim__title", "claim__kind", "claim__date", "claim_id")
    return list(people.order_by().union(claims.order_by(), all=True))


def _judge_deputies(rows, streets, window, today, kind, required):
    """{street: (Result, short)}: every deputy in office during the window has `required` confirmed claims of the
    kind; `short` lists (name, person id, count) of those without, for the evidence part."""
    deputies, counts = defaultdict(dict), defaultdict(int)
    for street_id, person_id, name, row_kind, _day, _claim in rows:
        if row_kind == "":
            deputies[street_id][person_id] = name
        elif row_kind == kind:
            counts[(street_id, person_id)] += 1
    results = {}
    for street in streets:
        people = deputies[street.pk]
        short = sorted(
            (name, pk, counts[(street.pk, pk)]) for pk, name in people.items() if counts[(street.pk, pk)] < required
        )
        done = len(people) - len(short)
        status = count_status(done, len(people), window, today) if people else Status.NOT_YET_DUE
        summary = _("%(done)d/%(all)d名代表已达到%(n)d次") % {"done": done, "all": len(people), "n": required}
        results[street.pk] = (Result(status, summary), short)
    return results


def _short_evidence(street, window, short):
    return [
        Evidence(
            _("%(name)s：%(c)d次") % {"name": name, "c": count},
            reverse("records:archive", args=[street.pk, pk, window.start.year]),
        )
        for name, pk, count in short
    ]


def _publicity_events(rows, street_id):
    events = {
        claim_id: (day, title)
        for sid, _p, title, kind, day, claim_id in rows
        if sid == street_id and kind == ClaimKind.LEGAL_PUBLICITY
    }
    return sorted(events.items(), key=lambda e: (e[1], e[0]))


@register(id="11(4)", description=_("每名代表每年至少参加2次立法相关活动；每年组织3次普法宣传活动"), period=Period.YEAR)
def legislation_and_publicity(streets, window, today):
    rows = _deputies_and_claims(streets, window, [ClaimKind.LEGISLATION, ClaimKind.LEGAL_PUBLICITY])
    per_deputy = _judge_deputies(rows, streets, window, today, ClaimKind.LEGISLATION, 2)
    publicity = defaultdict(set)
    for street_id, _person, _title, kind, _day, claim_id in rows:
        if kind == ClaimKind.LEGAL_PUBLICITY:
            publicity[street_id].add(claim_id)
    order = [Status.MISSED, Status.AT_RISK, Status.NOT_YET_DUE, Status.MET]
    results = {}
    for street in streets:
        deputies, events = per_deputy[street.pk][0], len(publicity[street.pk])
        status = min(deputies.status, count_status(events, 3, window, today), key=order.index)
        results[street.pk] = Result(
            status, _("%(deputies)s；普法宣传%(n)d次") % {"deputies": deputies.summary, "n": events}
        )
    return results


@legislation_and_publicity.evidence
def legislation_and_publicity_evidence(street, window, today):
    rows = _deputies_and_claims([street], window, [ClaimKind.LEGISLATION, ClaimKind.LEGAL_PUBLICITY])
    short = _judge_deputies(rows, [street], window, today, ClaimKind.LEGISLATION, 2)[street.pk][1]
    events = _publicity_events(rows, street.pk)
    return [
        Evidence(title, reverse("records:claim_detail", args=[pk]), day) for pk, (day, title) in events
    ] + _short_evidence(street, window, short)


@register(id="11(5)", description=_("每名代表每年至少办1件为民实事"), period=Period.YEAR)
def practical_deeds(streets, window, today):
    rows = _deputies_and_claims(streets, window, [ClaimKind.DEED])
    return {
        pk: result for pk, (result, _short) in _judge_deputies(rows, streets, window, today, ClaimKind.DEED, 1).items()
    }


@practical_deeds.evidence
def practical_deeds_evidence(street, window, today):
    rows = _deputies_and_claims([street], window, [ClaimKind.DEED])
    short = _judge_deputies(rows, [street], window, today, ClaimKind.DEED, 1)[street.pk][1]
    return _short_evidence(street, window, short)


@register(id="12(1)", description=_("代表履职积分每季度公布"), period=Period.QUARTER)
def points_published(streets, window, today):
    year, number = window.start.year, (window.start.month - 1) // 3 + 1
    published = {q.street_id: q for q in Quarter.objects.filter(street__in=streets, year=year, number=number)}
    due = window.end + datetime.timedelta(days=PUBLISH_WITHIN_DAYS)
    results = {}
    for street in streets:
        quarter = published.get(street.pk)
        if quarter is not None:
            results[street.pk] = Result(Status.MET, _("%(d)s公布") % {"d": f"{quarter.published_on:%Y-%m-%d}"})
        elif today <= window.end:
            results[street.pk] = Result(Status.NOT_YET_DUE, _("季度结束后公布"))
        elif today <= due:
            results[street.pk] = Result(Status.AT_RISK, _("应于%(d)s前公布") % {"d": f"{due:%Y-%m-%d}"})
        else:
            results[street.pk] = Result(Status.MISSED, _("未公布"))
    return results


@points_published.evidence
def points_published_evidence(street, window, today):
    year, number = window.start.year, (window.start.month - 1) // 3 + 1
    quarters = Quarter.objects.filter(street=street, year=year, number=number)
    return [Evidence(str(q), q.get_absolute_url(), q.published_on) for q in quarters]
