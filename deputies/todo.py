from django.urls import reverse
from django.utils.translation import gettext as _

from committee.roles import Role
from committee.todo import Item, register
from deputies.models import ResidentMessage


@register
def messages_to_answer(user) -> list[Item]:
    """A deputy: residents' messages from their QR page waiting for an answer (one query; none for others)."""
    if Role.DEPUTY not in user.roles():
        return []
    waiting = ResidentMessage.objects.filter(deputy__user=user, answer="", opinion__isnull=True).count()
    if not waiting:
        return []
    return [Item(_("待答复的群众留言（码上找代表）"), reverse("deputies:messages") + "?state=waiting", count=waiting)]
