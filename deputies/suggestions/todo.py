"""Home to-do items of suggestions: for a deputy, drafts sent back, co-sign invitations and consultations on
measures waiting for their opinion; for committee staff,
suggestions waiting for consultation. One query per provider, none for people it does not concern."""

from django.db.models import Func, IntegerField, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import User
from committee.roles import Capability
from committee.todo import Item, register
from deputies.suggestions.models import CoSigner, CoSignerState, MeasureConsultation, Suggestion, SuggestionState
from deputies.suggestions.selectors import visible_suggestions


def _count(queryset) -> Subquery:
    """COUNT(*) of a queryset as a scalar subquery, so several counts come back in one query."""
    return Subquery(queryset.order_by().values(n=Func("pk", function="COUNT")), output_field=IntegerField())


@register
def deputy_suggestions(user) -> list[Item]:
    """Drafts the committee sent back, invitations to co-sign not yet answered, consultations on measures waiting
    for the deputy's opinion (one query: three scalar subqueries)."""
    if Capability.DRAFT_SUGGESTIONS not in user.capabilities_anywhere():
        return []
    mine = Suggestion.objects.for_user(user)
    asked = MeasureConsultation.deputies.through.objects.filter(user=user).values("measureconsultation_id")
    counts = (
        User.objects.filter(pk=user.pk)
        .values(
            sent_back=_count(mine.filter(author=user, state=SuggestionState.SENT_BACK)),
            invitations=_count(
                CoSigner.objects.filter(deputy=user, state=CoSignerState.INVITED).exclude(
                    suggestion__state=SuggestionState.SUBMITTED
                )
            ),
            consultations=_count(
                MeasureConsultation.objects.for_user(user)
                .filter(pk__in=asked, responded_on__isnull=True, reply_by__gte=timezone.localdate())
                .exclude(opinions__deputy=user)
            ),
        )
        .get()
    )
    items = []
    url = reverse("suggestions:list") + "?mine=1"
    if counts["sent_back"]:
        items.append(Item(_("退回修改的建议"), url + "&state=sent_back", count=counts["sent_back"]))
    if counts["invitations"]:
        items.append(Item(_("邀请您附议的建议"), url, count=counts["invitations"], note=_("阅读全文后确认或谢绝")))
    if counts["consultations"]:
        items.append(
            Item(_("征求您意见的重大事项"), reverse("suggestions:consultation_list"), count=counts["consultations"])
        )
    return items


@register
def suggestions_to_consult(user) -> list[Item]:
    """Committee staff: suggestions sent for consultation or revised, waiting for them (one query)."""
    if Capability.CONSULT_SUGGESTIONS not in user.capabilities_anywhere():
        return []
    waiting = (
        visible_suggestions(user)
        .filter(state__in=(SuggestionState.CONSULTING, SuggestionState.REVISED))
        .exclude(author=user)
        .count()
    )
    if not waiting:
        return []
    return [Item(_("待沟通协调的代表建议"), reverse("suggestions:list"), count=waiting)]
