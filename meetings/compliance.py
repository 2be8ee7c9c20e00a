"""Chapter 3 rules: 5(1), 6(1), 6(3), and 10(2) (a field visit before each council meeting). One query per rule
for all streets."""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.compliance.registry import Evidence, Period, Result, Status, count_status, register
from meetings.models import Meeting, MeetingKind, MeetingState, WrittenOpinion


def _meetings(streets, window, kind, today):
    """Meetings of the window that were held (signed in, or notified and their day has come), per street."""
    grouped = defaultdict(list)
    rows = (
        Meeting.objects.filter(
            street__in=streets,
            kind=kind,
            date__range=(window.start, window.end),
            state__in=(MeetingState.NOTIFIED, MeetingState.HELD),
        )
        .select_related("field_visit")
        .order_by("date", "pk")
    )
    for meeting in rows:
        grouped[meeting.street_id].append(meeting)
    return grouped


def _evidence(meeting: Meeting) -> Evidence:
    return Evidence(str(meeting), meeting.get_absolute_url(), meeting.date)


@register(
    id="5(1)",
    description=gettext_lazy("每季度至少召开1次工委会议，会议通知提前10日送达"),
    period=Period.QUARTER,
)
def committee_meeting_each_quarter(streets, window, today):
    grouped = _meetings(streets, window, MeetingKind.COMMITTEE, today)
    results = {}
    for street in streets:
        meetings = grouped[street.pk]
        held = [m for m in meetings if m.date <= today]
        short = [m for m in meetings if m.is_short_notice]
        if short:
            reasons = "；".join(f"{m.date:%-m月%-d日}：{m.urgent_reason}" for m in short)
            results[street.pk] = Result(
                Status.MISSED,
                _("%(n)d 次会议通知不足10日（紧急会议事由：%(r)s）") % {"n": len(short), "r": reasons},
                [_evidence(m) for m in meetings],
            )
            continue
        status = count_status(len(held), 1, window, today)
        summary = _("已召开 %(n)d 次，均提前10日通知") % {"n": len(held)} if held else _("本季度尚未召开")
        if len(meetings) > len(held):
            summary += _("；已通知待召开 %(n)d 次") % {"n": len(meetings) - len(held)}
        results[street.pk] = Result(status, summary, [_evidence(m) for m in meetings])
    return results


@register(id="6(1)", description=gettext_lazy("每年召开1至2次居民议事会会议"), period=Period.YEAR)
def council_meetings_each_year(streets, window, today):
    grouped = _meetings(streets, window, MeetingKind.COUNCIL, today)
    results = {}
    for street in streets:
        held = [m for m in grouped[street.pk] if m.date <= today]
        status = count_status(len(held), 1, window, today)
        summary = _("已召开 %(n)d 次") % {"n": len(held)}
        if len(held) > 2:
            summary += _("（多于每年1至2次）")
        results[street.pk] = Result(status, summary, [_evidence(m) for m in grouped[street.pk]])
    return results


@register(id="6(3)", description=gettext_lazy("居民议事会书面意见均得到办理答复"), period=Period.YEAR)
def written_opinions_answered(streets, window, today):
    from supervision.models import REPLIED_STATES

    grouped = defaultdict(list)
    for record in (
        WrittenOpinion.objects.filter(street__in=streets, meeting__date__range=(window.start, window.end))
        .select_related("opinion", "document", "unit")
        .order_by("pk")
    ):
        grouped[record.street_id].append(record)
    results = {}
    for street in streets:
        records = grouped[street.pk]
        answered = [r for r in records if r.opinion is not None and r.opinion.state in REPLIED_STATES]
        open_ = [r for r in records if r not in answered]
        overdue = [r for r in open_ if r.opinion is None or (r.opinion.deadline and r.opinion.deadline < today)]
        if not records:
            status = Status.NOT_YET_DUE
        elif overdue:
            status = Status.MISSED
        elif open_:
            status = Status.AT_RISK
        else:
            status = Status.MET
        evidence = [
            Evidence(
                f"{r.document.number if r.document else ''} {r.unit.name}",
                r.opinion.get_absolute_url() if r.opinion else r.get_absolute_url(),
                r.opinion.replied_on if r.opinion else None,
            )
            for r in records
        ]
        results[street.pk] = Result(
            status,
            _("书面意见 %(n)d 件，已答复 %(a)d 件，逾期未答复 %(o)d 件")
            % {"n": len(records), "a": len(answered), "o": len(overdue)},
            evidence,
        )
    return results


@register(id="10(2)", description=gettext_lazy("每次居民议事会会议前组织视察或调研"), period=Period.YEAR)
def field_visit_before_council_meeting(streets, window, today):
    grouped = _meetings(streets, window, MeetingKind.COUNCIL, today)
    results = {}
    for street in streets:
        meetings = grouped[street.pk]
        without = [m for m in meetings if m.field_visit is None or m.field_visit.starts_on > m.date]
        held_without = [m for m in without if m.date <= today]
        if not meetings:
            status = count_status(0, 1, window, today)
        elif held_without:
            status = Status.MISSED
        elif without:
            status = Status.AT_RISK
        else:
            status = Status.MET
        evidence = [_evidence(m) for m in meetings] + [
            Evidence(str(m.field_visit.topic), m.field_visit.get_absolute_url(), m.field_visit.starts_on)
            for m in meetings
            if m.field_visit is not None
        ]
        results[street.pk] = Result(
            status,
            _("议事会会议 %(n)d 次，会前未视察调研 %(w)d 次") % {"n": len(meetings), "w": len(without)},
            evidence,
        )
    return results
