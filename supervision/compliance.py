"""Compliance rules of the opinion-handling loop (Art 13). One query for all streets each, counted in SQL."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.compliance.registry import Evidence, Period, Result, Status, register
from supervision.models import OPEN_WITH_UNIT, Channel, Commitment, FaceToFaceMeeting, Opinion, Reply
from supervision.selectors import due_soon_until

EVIDENCE_LIMIT = 50


def _suggestion_replies(streets, window, today):
    """The deputy suggestions replied in the window, each marked `gap`: no face-to-face record, or a commitment of
    the reply past its due date and not done."""
    met = Exists(FaceToFaceMeeting.objects.filter(opinion_id=OuterRef("opinion_id")))
    late = Exists(Commitment.objects.filter(reply_id=OuterRef("pk"), done_on__isnull=True, due_on__lt=today))
    return (
        Reply.objects.filter(
            street__in=streets,
            opinion__channel=Channel.DEPUTY_SUGGESTION,
            replied_on__gte=window.start,
            replied_on__lte=min(window.end, today),
        )
        .annotate(met=met, late=late)
        .order_by()
    )


@register(
    id="13(4)",
    description=gettext_lazy("每件代表建议都有见面沟通，答复承诺事项实行清单管理"),
    period=Period.QUARTER,
)
def suggestions_met_face_to_face(streets, window, today):
    """Every deputy suggestion replied (or closed) in the window has a face-to-face record, and every commitment
    its reply made is tracked: done, or not yet due. Met with nothing to judge; missed once the window is over
    with a gap; at risk while it is open."""
    counts = {
        row["street_id"]: row
        for row in _suggestion_replies(streets, window, today)
        .values("street_id")
        .annotate(total=Count("pk"), gaps=Count("pk", filter=Q(met=False) | Q(late=True)))
    }  # one query for all streets, one row a street
    results = {}
    for street in streets:
        row = counts.get(street.pk, {"total": 0, "gaps": 0})
        if not row["gaps"]:
            summary = (
                _("%(n)d件代表建议均已见面沟通、承诺事项按期落实") % {"n": row["total"]}
                if row["total"]
                else _("本期无答复的代表建议")
            )
            results[street.pk] = Result(Status.MET, summary)
        else:
            status = Status.MISSED if today > window.end else Status.AT_RISK
            summary = _("%(n)d件中%(g)d件未见面沟通或承诺事项逾期") % {"n": row["total"], "g": row["gaps"]}
            results[street.pk] = Result(status, summary)
    return results


@suggestions_met_face_to_face.evidence
def suggestions_met_face_to_face_evidence(street, window, today):
    gaps = (
        _suggestion_replies([street], window, today)
        .filter(Q(met=False) | Q(late=True))
        .annotate(
            late_items=Count("commitments", filter=Q(commitments__done_on__isnull=True, commitments__due_on__lt=today))
        )
        .select_related("opinion")
        .order_by("replied_on", "pk")[:EVIDENCE_LIMIT]
    )
    return [
        Evidence(
            f"{reply.opinion.title}（{_('无见面沟通') if not reply.met else _('%(n)d项承诺逾期未完成') % {'n': reply.late_items}}）",
            reply.opinion.get_absolute_url(),
            reply.replied_on,
        )
        for reply in gaps
    ]


def _horizon(window, today):
    """The day 13(2) is judged on, and the last deadline it looks at: the due-soon ones too while the window is
    open, only the overdue ones once it closed."""
    on = min(window.end, today)
    return on, due_soon_until(today) if today <= window.end else on - datetime.timedelta(days=1)


def _unanswered_on(streets, on):
    """Cases assigned by `on` and still unanswered on that day (open with the unit, or replied after it)."""
    return Opinion.objects.filter(street__in=streets, assigned_on__lte=on).filter(
        Q(state__in=OPEN_WITH_UNIT) | Q(replied_on__gt=on)
    )


@register(
    id="13(2)",
    description=gettext_lazy("交办的意见建议按期办理并书面答复，无逾期件"),
    period=Period.QUARTER,
)
def no_overdue_cases(streets, window, today):
    """Art 13(2): the units report handling and results in writing by the deadline. Judged on the window's last day
    (or today inside it): missed as soon as a case is past its deadline without a reply (that deadline has passed:
    nothing can make it up); at risk while the window is open and a case falls due within the reminder's working
    days; met otherwise. Commitments' lateness is 13(4)'s matter."""
    on, soon = _horizon(window, today)
    counts = {
        row["street_id"]: row
        for row in _unanswered_on(streets, on)
        .filter(deadline__lte=soon)
        .order_by()
        .values("street_id")
        .annotate(overdue=Count("pk", filter=Q(deadline__lt=on)), due_soon=Count("pk", filter=Q(deadline__gte=on)))
    }  # one query for all streets, one row a street
    results = {}
    for street in streets:
        row = counts.get(street.pk, {"overdue": 0, "due_soon": 0})
        if row["overdue"]:
            summary = _("%(n)d件逾期未答复") % {"n": row["overdue"]}
            if row["due_soon"]:
                summary += _("，另有%(n)d件即将到期") % {"n": row["due_soon"]}
            results[street.pk] = Result(Status.MISSED, summary)
        elif row["due_soon"]:
            results[street.pk] = Result(Status.AT_RISK, _("%(n)d件即将到期，尚未答复") % {"n": row["due_soon"]})
        else:
            results[street.pk] = Result(Status.MET, _("无逾期未答复的件"))
    return results


@no_overdue_cases.evidence
def no_overdue_cases_evidence(street, window, today):
    on, soon = _horizon(window, today)
    cases = _unanswered_on([street], on).filter(deadline__lte=soon).select_related("unit").order_by("deadline", "pk")
    return [
        Evidence(
            f"{o.title}（{o.unit.name}，{_('逾期') if o.deadline < on else _('即将到期')}）",
            o.get_absolute_url(),
            o.deadline,
        )
        for o in cases[:EVIDENCE_LIMIT]
    ]
