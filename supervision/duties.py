"""Duty records from the opinion-handling loop: the cases a person raised (suggestions included: a deputy's
suggestion is a case with channel `deputy_suggestion`)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.duties.registry import DutyItem, DutyKind, register
from supervision.models import Opinion

OPINION_RAISED = DutyKind("opinion_raised", _("提出意见建议"), "13(1)")


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, zone)
    return first, datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)


@register(OPINION_RAISED)
def opinions_raised(people, streets, start, end):
    """One query: the cases these people proposed, dated by registration."""
    first, after = _bounds(start, end)
    rows = Opinion.objects.filter(
        proposer_user_id__in=people, street_id__in=streets, created_at__gte=first, created_at__lt=after
    ).only("pk", "street_id", "proposer_user_id", "content", "created_at", "tracking_code")
    for opinion in rows:
        yield DutyItem(
            opinion.proposer_user_id,
            opinion.street_id,
            timezone.localdate(opinion.created_at),
            OPINION_RAISED.code,
            opinion.title,
            opinion.get_absolute_url(),
            opinion,
        )
