"""Chapter 3 rules: 5(1), 6(1), 6(3), and 10(2) (a field visit before each council meeting). One query per rule
for all streets, counted in SQL."""

import datetime

from django.db.models import Count, DateField, ExpressionWrapper, F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.compliance.registry import Evidence, Period, Result, Status, count_status, counts_by_street, register
from meetings.models import NOTICE_DAYS, Meeting, MeetingKind, MeetingState, WrittenOpinion

# The notice went out later than NOTICE_DAYS before the meeting (Meeting.is_short_notice, in SQL).
SHORT_NOTICE = Q(
    notice_sent_on__gt=ExpressionWrapper(F("date") - datetime.timedelta(days=NOTICE_DAYS), output_field=DateField())
)
# The council meeting had no field visit that started by its day (10(2)).
WITHOUT_VISIT = Q(field_visit__isnull=True) | Q(field_visit__starts_on__gt=F("date"))


def _meetings(streets, window, kind):
    """Meetings of the window that were held (signed in, or notified and their day has come)."""
    return Meeting.objects.filter(
        street__in=streets,
        kind=kind,
        date__range=window.range,
        state__in=(MeetingState.NOTIFIED, MeetingState.HELD),
    )


def _meeting_evidence(street, window, kind):
    meetings = _meetings([street], window, kind).select_related("field_visit").order_by("date", "pk")
    return [Evidence(str(m), m.get_absolute_url(), m.date) for m in meetings], meetings


@register(
    id="5(1)",
    description=gettext_lazy("每季度至少召开1次工委会议，会议通知提前10日送达"),
    period=Period.QUARTER,
)
def committee_meeting_each_quarter(streets, window, today):
    counts = counts_by_street(
        _meetings(streets, window, MeetingKind.COMMITTEE),
        total=Count("pk"),
        held=Count("pk", filter=Q(date__lte=today)),
        short=Count("pk", filter=SHORT_NOTICE),
    )
    results = {}
    for street in streets:
        n = counts(street)
        if n["short"]:
            summary = _("%(n)d 次会议通知不足10日（紧急会议，事由见依据记录）") % {"n": n["short"]}
            results[street.pk] = Result(Status.MISSED, summary)
            continue
        summary = _("已召开 %(n)d 次，均提前10日通知") % {"n": n["held"]} if n["held"] else _("本季度尚未召开")
        if n["total"] > n["held"]:
            summary += _("；已通知待召开 %(n)d 次") % {"n": n["total"] - n["held"]}
        results[street.pk] = Result(count_status(n["held"], 1, window, today), summary)
    return results


@committee_meeting_each_quarter.evidence
def committee_meeting_each_quarter_evidence(street, window, today):
    evidence, meetings = _meeting_evidence(street, window, MeetingKind.COMMITTEE)
    return [
        Evidence(_("%(e)s（通知不足10日，紧急会议事由：%(r)s）") % {"e": e.label, "r": m.urgent_reason}, e.url, e.day)
        if m.is_short_notice
        else e
        for e, m in zip(evidence, meetings, strict=True)
    ]


@register(id="6(1)", description=gettext_lazy("每年召开1至2次居民议事会会议"), period=Period.YEAR)
def council_meetings_each_year(streets, window, today):
    counts = counts_by_street(
        _meetings(streets, window, MeetingKind.COUNCIL), held=Count("pk", filter=Q(date__lte=today))
    )
    results = {}
    for street in streets:
        held = counts(street)["held"]
        summary = _("已召开 %(n)d 次") % {"n": held}
        if held > 2:
            summary += _("（多于每年1至2次）")
        results[street.pk] = Result(count_status(held, 1, window, today), summary)
    return results


@council_meetings_each_year.evidence
def council_meetings_each_year_evidence(street, window, today):
    return _meeting_evidence(street, window, MeetingKind.COUNCIL)[0]


def _written_opinions(streets, window):
    return WrittenOpinion.objects.filter(street__in=streets, meeting__date__range=window.range)


@register(id="6(3)", description=gettext_lazy("居民议事会书面意见均得到办理答复"), period=Period.YEAR)
def written_opinions_answered(streets, window, today):
    from supervision.models import REPLIED_STATES

    answered = Q(opinion__state__in=REPLIED_STATES)
    counts = counts_by_street(
        _written_opinions(streets, window),
        total=Count("pk"),
        answered=Count("pk", filter=answered),
        overdue=Count("pk", filter=~answered & (Q(opinion__isnull=True) | Q(opinion__deadline__lt=today))),
    )
    results = {}
    for street in streets:
        n = counts(street)
        if not n["total"]:
            status = Status.NOT_YET_DUE
        elif n["overdue"]:
            status = Status.MISSED
        elif n["answered"] < n["total"]:
            status = Status.AT_RISK
        else:
            status = Status.MET
        results[street.pk] = Result(
            status,
            _("书面意见 %(n)d 件，已答复 %(a)d 件，逾期未答复 %(o)d 件")
            % {"n": n["total"], "a": n["answered"], "o": n["overdue"]},
        )
    return results


@written_opinions_answered.evidence
def written_opinions_answered_evidence(street, window, today):
    return [
        Evidence(
            f"{r.document.number if r.document else ''} {r.unit.name}",
            r.opinion.get_absolute_url() if r.opinion else r.get_absolute_url(),
            r.opinion.replied_on if r.opinion else None,
        )
        for r in _written_opinions([street], window).select_related("opinion", "document", "unit").order_by("pk")
    ]


@register(id="10(2)", description=gettext_lazy("每次居民议事会会议前组织视察或调研"), period=Period.YEAR)
def field_visit_before_council_meeting(streets, window, today):
    counts = counts_by_street(
        _meetings(streets, window, MeetingKind.COUNCIL),
        total=Count("pk"),
        without=Count("pk", filter=WITHOUT_VISIT),
        held_without=Count("pk", filter=WITHOUT_VISIT & Q(date__lte=today)),
    )
    results = {}
    for street in streets:
        n = counts(street)
        if not n["total"]:
            status = count_status(0, 1, window, today)
        elif n["held_without"]:
            status = Status.MISSED
        elif n["without"]:
            status = Status.AT_RISK
        else:
            status = Status.MET
        results[street.pk] = Result(
            status, _("议事会会议 %(n)d 次，会前未视察调研 %(w)d 次") % {"n": n["total"], "w": n["without"]}
        )
    return results


@field_visit_before_council_meeting.evidence
def field_visit_before_council_meeting_evidence(street, window, today):
    evidence, meetings = _meeting_evidence(street, window, MeetingKind.COUNCIL)
    return evidence + [
        Evidence(str(m.field_visit.topic), m.field_visit.get_absolute_url(), m.field_visit.starts_on)
        for m in meetings
        if m.field_visit is not None
    ]
