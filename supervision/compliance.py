"""Compliance rules of the opinion-handling loop (Art 13). One or two queries for all streets each."""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.compliance.registry import Evidence, Period, Result, Status, register
from supervision.models import OPEN_WITH_UNIT, Channel, FaceToFaceMeeting, Opinion, Reply

EVIDENCE_LIMIT = 20


@register(
    id="13(4)",
    description=gettext_lazy("每件代表建议都有见面沟通，答复承诺事项实行清单管理"),
    period=Period.QUARTER,
)
def suggestions_met_face_to_face(streets, window, today):
    """Every deputy suggestion replied (or closed) in the window has a face-to-face record, and every commitment
    its reply made is tracked: done, or not yet due. Met with nothing to judge; missed once the window is over
    with a gap; at risk while it is open."""
    replies = (
        Reply.objects.filter(
            street__in=streets,
            opinion__channel=Channel.DEPUTY_SUGGESTION,
            replied_on__gte=window.start,
            replied_on__lte=min(window.end, today),
        )
        .annotate(
            met=Exists(FaceToFaceMeeting.objects.filter(opinion_id=OuterRef("opinion_id"))),
            late_items=Count(
                "commitments",
                filter=Q(commitments__done_on__isnull=True, commitments__due_on__lt=today),
            ),
        )
        .select_related("opinion")
        .order_by("replied_on", "pk")
    )  # one query for all streets
    found = defaultdict(lambda: {"total": 0, "gaps": []})
    for reply in replies:
        entry = found[reply.street_id]
        entry["total"] += 1
        if not reply.met or reply.late_items:
            reason = _("无见面沟通") if not reply.met else _("%(n)d项承诺逾期未完成") % {"n": reply.late_items}
            entry["gaps"].append(
                Evidence(f"{reply.opinion.title}（{reason}）", reply.opinion.get_absolute_url(), reply.replied_on)
            )
    results = {}
    for street in streets:
        entry = found[street.pk]
        total, gaps = entry["total"], entry["gaps"]
        if not gaps:
            summary = (
                _("%(n)d件代表建议均已见面沟通、承诺事项按期落实") % {"n": total}
                if total
                else _("本期无答复的代表建议")
            )
            results[street.pk] = Result(Status.MET, summary, [])
        else:
            status = Status.MISSED if today > window.end else Status.AT_RISK
            summary = _("%(n)d件中%(g)d件未见面沟通或承诺事项逾期") % {"n": total, "g": len(gaps)}
            results[street.pk] = Result(status, summary, gaps[:EVIDENCE_LIMIT])
    return results


@register(
    id="13(2)",
    description=gettext_lazy("交办的意见建议按期办理并书面答复，无逾期件"),
    period=Period.QUARTER,
)
def no_overdue_cases(streets, window, today):
    """Art 13(2): the units report handling and results in writing. Judged on the window's last day (or today
    inside it): met when no assigned case was then past its deadline without a reply; at risk while the window is
    open; missed when it closed with overdue cases. Commitments' lateness is 13(4)'s matter."""
    on = min(window.end, today)
    overdue = (
        Opinion.objects.filter(street__in=streets, deadline__lt=on, assigned_on__lte=on)
        .filter(Q(state__in=OPEN_WITH_UNIT) | Q(replied_on__gt=on))  # still unanswered on that day
        .select_related("unit")
        .order_by("deadline", "pk")
    )  # one query for all streets
    found = defaultdict(list)
    for opinion in overdue:
        found[opinion.street_id].append(opinion)
    results = {}
    for street in streets:
        cases = found[street.pk]
        if not cases:
            results[street.pk] = Result(Status.MET, _("无逾期未答复的件"), [])
            continue
        status = Status.MISSED if today > window.end else Status.AT_RISK
        results[street.pk] = Result(
            status,
            _("%(n)d件逾期未答复") % {"n": len(cases)},
            [Evidence(f"{o.title}（{o.unit.name}）", o.get_absolute_url(), o.deadline) for o in cases[:EVIDENCE_LIMIT]],
        )
    return results
