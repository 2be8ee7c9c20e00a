"""Duty records from the supervision activities (Art 7-10): inspections, appraisals and field visits taken part in.
Special work reports (Art 8) keep no list of the deputies who heard them, so they yield nothing of their own: the
hearing is a meeting, and its field visit is a field visit."""

from django.utils.translation import gettext_lazy as _

from committee.duties.registry import DutyItem, DutyKind, register
from supervision.activities.models import (
    AFTER_START,
    AppraisalScore,
    EnforcementInspection,
    FieldVisit,
    WorkAppraisal,
)

INSPECTION = DutyKind("inspection", _("参加执法检查"), "7(1)")
FIELD_VISIT = DutyKind("field_visit", _("参加视察调研"), "10(1)")
APPRAISAL = DutyKind("appraisal", _("参加工作评议"), "9(1)")


@register(INSPECTION)
def inspections(people, streets, start, end):
    """One query: inspections under way or done that these people took part in, dated by their start."""
    links = EnforcementInspection.deputies.through.objects.filter(
        membership__user_id__in=people,
        enforcementinspection__street_id__in=streets,
        enforcementinspection__state__in=AFTER_START,
        enforcementinspection__started_on__range=(start, end),
    ).select_related("enforcementinspection", "membership")
    for link in links:
        inspection = link.enforcementinspection
        yield DutyItem(
            link.membership.user_id,
            inspection.street_id,
            inspection.started_on,
            INSPECTION.code,
            str(inspection),
            inspection.get_absolute_url(),
            inspection,
        )


@register(FIELD_VISIT)
def field_visits(people, streets, start, end):
    links = FieldVisit.participants.through.objects.filter(
        membership__user_id__in=people,
        fieldvisit__street_id__in=streets,
        fieldvisit__starts_on__range=(start, end),
    ).select_related("fieldvisit", "membership")
    for link in links:
        visit = link.fieldvisit
        yield DutyItem(
            link.membership.user_id,
            visit.street_id,
            visit.starts_on,
            FIELD_VISIT.code,
            str(visit),
            visit.get_absolute_url(),
            visit,
        )


@register(APPRAISAL)
def appraisals(people, streets, start, end):
    """Two queries: appraisals a person scored at least one criterion of (one item per appraisal and person)."""
    scores = (
        AppraisalScore.objects.filter(
            member__user_id__in=people,
            street_id__in=streets,
            criterion__appraisal__appraised_on__range=(start, end),
        )
        .values("member__user_id", "criterion__appraisal_id")
        .distinct()
    )
    taken = {(row["member__user_id"], row["criterion__appraisal_id"]) for row in scores}
    appraisals = WorkAppraisal.objects.in_bulk({pk for _person, pk in taken}) if taken else {}
    for person, pk in sorted(taken):
        appraisal = appraisals[pk]
        yield DutyItem(
            person,
            appraisal.street_id,
            appraisal.appraised_on,
            APPRAISAL.code,
            str(appraisal),
            appraisal.get_absolute_url(),
            appraisal,
        )
