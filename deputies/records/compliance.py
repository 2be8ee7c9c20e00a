"""Rules of Art 11(4), 11(5) and 12(1) (deputies' duty records and points), with their evidence."""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from committee.compliance.registry import Evidence, Period, Result, Status, count_status, register
from deputies.records.models import Claim, ClaimKind, ClaimParticipant, ClaimState, Quarter
from deputies.records.selectors import deputies_in_office

# After a quarter ends its points are due; a publication within this many days is on time (like Art 20(1)).
PUBLISH_WITHIN_DAYS = 15


def _per_deputy(streets, window, today, kind, required):
    """{street: Result}: every deputy in office during the window has `required` confirmed claims of the kind."""
    deputies = defaultdict(dict)
    for membership in deputies_in_office(streets, window.start, window.end):
        deputies[membership.street_id][membership.user_id] = membership.user
    counts = defaultdict(int)
    for link in ClaimParticipant.objects.filter(
        street__in=streets,
        claim__kind=kind,
        claim__state=ClaimState.CONFIRMED,
        claim__date__range=(window.start, window.end),
    ).values("street_id", "person_id"):
        counts[(link["street_id"], link["person_id"])] += 1
    results = {}
    for street in streets:
        people = deputies[street.pk]
        short = [user for pk, user in people.items() if counts[(street.pk, pk)] < required]
        done = len(people) - len(short)
        status = count_status(done, len(people), window, today) if people else Status.NOT_YET_DUE
        results[street.pk] = Result(
            status,
            _("%(done)d/%(all)d名代表已达到%(n)d次") % {"done": done, "all": len(people), "n": required},
            [
                Evidence(
                    _("%(name)s：%(c)d次") % {"name": user, "c": counts[(street.pk, user.pk)]},
                    reverse("records:archive", args=[street.pk, user.pk, window.start.year]),
                )
                for user in short
            ],
        )
    return results


@register(id="11(4)", description=_("每名代表每年至少参加2次立法相关活动；每年组织3次普法宣传活动"), period=Period.YEAR)
def legislation_and_publicity(streets, window, today):
    per_deputy = _per_deputy(streets, window, today, ClaimKind.LEGISLATION, 2)
    publicity = defaultdict(list)
    for claim in Claim.objects.filter(
        street__in=streets,
        kind=ClaimKind.LEGAL_PUBLICITY,
        state=ClaimState.CONFIRMED,
        date__range=(window.start, window.end),
    ).order_by("date", "pk"):
        publicity[claim.street_id].append(claim)
    results = {}
    for street in streets:
        deputies, events = per_deputy[street.pk], publicity[street.pk]
        events_status = count_status(len(events), 3, window, today)
        order = [Status.MISSED, Status.AT_RISK, Status.NOT_YET_DUE, Status.MET]
        status = min(deputies.status, events_status, key=order.index)
        results[street.pk] = Result(
            status,
            _("%(deputies)s；普法宣传%(n)d次") % {"deputies": deputies.summary, "n": len(events)},
            [Evidence(str(c), c.get_absolute_url(), c.date) for c in events] + deputies.evidence,
        )
    return results


@register(id="11(5)", description=_("每名代表每年至少办1件为民实事"), period=Period.YEAR)
def practical_deeds(streets, window, today):
    return _per_deputy(streets, window, today, ClaimKind.DEED, 1)


@register(id="12(1)", description=_("代表履职积分每季度公布"), period=Period.QUARTER)
def points_published(streets, window, today):
    year, number = window.start.year, (window.start.month - 1) // 3 + 1
    published = {q.street_id: q for q in Quarter.objects.filter(street__in=streets, year=year, number=number)}
    due = window.end + datetime.timedelta(days=PUBLISH_WITHIN_DAYS)
    results = {}
    for street in streets:
        quarter = published.get(street.pk)
        if quarter is not None:
            results[street.pk] = Result(
                Status.MET,
                _("%(d)s公布") % {"d": f"{quarter.published_on:%Y-%m-%d}"},
                [Evidence(str(quarter), quarter.get_absolute_url(), quarter.published_on)],
            )
        elif today <= window.end:
            results[street.pk] = Result(Status.NOT_YET_DUE, _("季度结束后公布"))
        elif today <= due:
            results[street.pk] = Result(Status.AT_RISK, _("应于%(d)s前公布") % {"d": f"{due:%Y-%m-%d}"})
        else:
            results[street.pk] = Result(Status.MISSED, _("未公布"))
    return results
