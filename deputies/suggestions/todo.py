"""Home to-do items of suggestions: for a deputy, drafts sent back and co-sign invitations; for committee staff,
suggestions waiting for consultation. One query per provider, none for people it does not concern."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from committee.roles import Capability
from committee.todo import Item, register
from deputies.suggestions.models import CoSigner, CoSignerState, Suggestion, SuggestionState
from deputies.suggestions.selectors import visible_suggestions


@register
def deputy_suggestions(user) -> list[Item]:
    """Drafts the committee sent back, and invitations to co-sign not yet answered (one query)."""
    if Capability.DRAFT_SUGGESTIONS not in user.capabilities_anywhere():
        return []
    invited = CoSigner.objects.filter(deputy=user, state=CoSignerState.INVITED).exclude(
        suggestion__state=SuggestionState.SUBMITTED
    )
    counts = Suggestion.objects.for_user(user).aggregate(
        sent_back=Count("pk", filter=Q(author=user, state=SuggestionState.SENT_BACK)),
        invitations=Count("pk", filter=Q(pk__in=invited.values("suggestion_id"))),
    )
    mine = reverse("suggestions:list") + "?mine=1"
    items = []
    if counts["sent_back"]:
        items.append(Item(_("退回修改的建议"), mine + "&state=sent_back", count=counts["sent_back"]))
    if counts["invitations"]:
        items.append(Item(_("邀请您附议的建议"), mine, count=counts["invitations"], note=_("阅读全文后确认或谢绝")))
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
