"""Permission-matrix rows for meetings (Chapter 3). Objects are 望春门's demo meetings: its latest held committee
meeting (2026 Q4, minutes issued, 望春门's deputy invited), a council meeting, and the upcoming notified meeting
(the street office's handling-unit officer invited: tests/test_meetings_access.py covers what they may open)."""

from django.urls import reverse

from meetings.models import AgendaDocument, Meeting, MeetingKind, MeetingState
from meetings.services import sign_in_token
from tests.matrix import every, row, street


def committee_meeting():
    return (
        Meeting.objects.filter(street=street(), kind=MeetingKind.COMMITTEE, state=MeetingState.HELD)
        .order_by("-date")
        .first()
    )


def upcoming_meeting():
    return Meeting.objects.filter(street=street(), state=MeetingState.NOTIFIED).order_by("date").first()


def council_meeting():
    return Meeting.objects.filter(street=street(), kind=MeetingKind.COUNCIL).order_by("-date").first()


READ = row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=200)
MANAGE = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403)

ROWS = {
    "meetings:list": (
        lambda: reverse("meetings:list"),
        row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=200),
    ),
    "meetings:add": (
        lambda: reverse("meetings:add"),
        row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403),
    ),
    "meetings:detail": (lambda: reverse("meetings:detail", args=[committee_meeting().pk]), READ),
    "meetings:edit": (lambda: reverse("meetings:edit", args=[committee_meeting().pk]), MANAGE),
    # A held meeting's notice went out long ago: managers are sent back to the meeting.
    "meetings:confirm": (
        lambda: reverse("meetings:confirm", args=[committee_meeting().pk]),
        row(staff=302, other_staff=404, director=302, deputy=403, handling_unit=403, city=403),
    ),
    "meetings:reschedule": (lambda: reverse("meetings:reschedule", args=[committee_meeting().pk]), MANAGE),
    "meetings:cancel": (lambda: reverse("meetings:cancel", args=[committee_meeting().pk]), MANAGE),
    "meetings:answer": (lambda: reverse("meetings:answer", args=[committee_meeting().pk]), every(405)),
    "meetings:chase": (lambda: reverse("meetings:chase", args=[committee_meeting().pk]), every(405)),
    "meetings:agenda_add": (lambda: reverse("meetings:agenda_add", args=[committee_meeting().pk]), every(405)),
    "meetings:agenda_change": (lambda: reverse("meetings:agenda_change", args=[upcoming_meeting().pk]), MANAGE),
    "meetings:agenda_item": (
        lambda: reverse("meetings:agenda_item", args=[committee_meeting().agenda.first().pk]),
        every(405),
    ),
    "meetings:agenda_document": (
        lambda: reverse("meetings:agenda_document", args=[AgendaDocument.objects.filter(street=street()).first().pk]),
        READ,
    ),
    "meetings:sign_in": (lambda: reverse("meetings:sign_in", args=[committee_meeting().pk]), MANAGE),
    "meetings:sign_in_toggle": (
        lambda: reverse("meetings:sign_in_toggle", args=[committee_meeting().participants.first().pk]),
        every(405),
    ),
    "meetings:quorum": (lambda: reverse("meetings:quorum", args=[council_meeting().pk]), READ),
    # Only the meeting's participants may open its sign-in link (the city reads the meeting, is not invited).
    "meetings:self_sign_in": (
        lambda: reverse("meetings:self_sign_in", args=[sign_in_token(committee_meeting())]),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=403),
    ),
    "meetings:minutes": (lambda: reverse("meetings:minutes", args=[committee_meeting().pk]), MANAGE),
    "meetings:opinion_add": (lambda: reverse("meetings:opinion_add", args=[council_meeting().pk]), MANAGE),
}
