"""Duty records from meetings (Art 5, 6): attendance by sign-in, absence with and without leave."""

from django.utils.translation import gettext_lazy as _

from committee.duties.registry import DutyItem, DutyKind, register
from meetings.models import Answer, MeetingState, Participant

ATTENDED = DutyKind("meeting_attended", _("出席会议"), "5(1)")
ABSENT_WITH_LEAVE = DutyKind("meeting_absent_with_leave", _("请假缺席会议"), "5(1)")
ABSENT = DutyKind("meeting_absent", _("无故缺席会议"), "5(1)")


@register(ATTENDED, ABSENT_WITH_LEAVE, ABSENT)
def attendance(people, streets, start, end):
    """One query: every held meeting these people were asked to; signed in, excused or absent."""
    rows = Participant.objects.filter(
        user_id__in=people,
        street_id__in=streets,
        meeting__state=MeetingState.HELD,
        meeting__date__range=(start, end),
    ).select_related("meeting")
    for participant in rows:
        meeting = participant.meeting
        if participant.signed_in_at is not None:
            kind = ATTENDED
        elif participant.answer == Answer.LEAVE:
            kind = ABSENT_WITH_LEAVE
        else:
            kind = ABSENT
        yield DutyItem(
            participant.user_id,
            participant.street_id,
            meeting.date,
            kind.code,
            str(meeting),
            meeting.get_absolute_url(),
            participant,
        )
