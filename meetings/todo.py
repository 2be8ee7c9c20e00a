from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import readable_street_ids
from committee.todo import Item, register
from meetings.models import Answer, MeetingState, Participant


@register
def meetings_to_answer(user) -> list[Item]:
    """Anyone asked to an upcoming meeting who has not said whether they attend. Anyone may be invited (a handling
    unit's officer as 相关参会人员 too, without the readers' capability), so it asks for everyone: one query."""
    pending = (
        Participant.objects.filter(
            user=user,
            answer=Answer.PENDING,
            meeting__state=MeetingState.NOTIFIED,
            meeting__date__gte=timezone.localdate(),
            meeting__street_id__in=readable_street_ids(user),
        )
        .select_related("meeting")
        .order_by("meeting__date")
    )
    return [
        Item(
            _("请答复是否参加：%(title)s") % {"title": p.meeting.title},
            p.meeting.get_absolute_url(),
            note=p.meeting.date.isoformat(),
        )
        for p in pending
    ]
