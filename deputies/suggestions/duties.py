"""Duty records from the suggestions chapter: opinions given on the street office's major measures (Art 11(1)), one
item per deputy and consultation. A submitted suggestion opens a case in the loop, which supervision's source
already counts (`opinion_raised`), so it is not counted here again."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.duties.registry import DutyItem, DutyKind, register
from deputies.suggestions.models import MeasureOpinion

MEASURE_OPINION = DutyKind("measure_opinion", _("对重大举措提出意见"), "11(1)")


@register(MEASURE_OPINION)
def measure_opinions(people, streets, start, end):
    """One query: the consultations these people gave an opinion in, dated by their first opinion."""
    opinions = (
        MeasureOpinion.objects.filter(deputy_id__in=people, street_id__in=streets, at__date__range=(start, end))
        .select_related("consultation")
        .order_by("at", "pk")
    )
    seen = set()
    for opinion in opinions:
        key = (opinion.deputy_id, opinion.consultation_id)
        if key in seen:
            continue
        seen.add(key)
        consultation = opinion.consultation
        yield DutyItem(
            opinion.deputy_id,
            opinion.street_id,
            timezone.localdate(opinion.at),
            MEASURE_OPINION.code,
            str(consultation),
            consultation.get_absolute_url(),
            consultation,
        )
