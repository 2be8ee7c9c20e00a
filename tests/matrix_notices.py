"""Permission-matrix rows of committee.notices. Every signed-in person has an inbox; a notice belongs to its
recipient (anyone else: 404); the sign-off view and the failed list need MANAGE_NOTICES in the notice's street."""

from django.urls import reverse

from committee.notices.delivery import confirm_token
from committee.notices.models import Channel, Notice, NoticeState
from tests.matrix import every, row

EVENT = "demo:wangchunmen:2025q4-meeting"


def staff_notice():
    return Notice.objects.get(event_key=EVENT, recipient__username="wangchunmen_staff", channel=Channel.IN_APP)


def failed_notice():
    return Notice.objects.get(event_key=EVENT, recipient__username="wangchunmen_deputy", state=NoticeState.FAILED)


MANAGERS = {"staff": 200, "other_staff": 200, "director": 200, "deputy": 403, "handling_unit": 403, "city": 403}
OWN_NOTICE_POST = row(staff=405, other_staff=404, director=404, deputy=404, handling_unit=404, city=404)

ROWS = {
    "notices:inbox": (lambda: reverse("notices:inbox"), every(200)),
    "notices:badge": (lambda: reverse("notices:badge"), every(200)),
    "notices:preferences": (lambda: reverse("notices:preferences"), every(200)),
    "notices:open": (
        lambda: reverse("notices:open", args=[staff_notice().pk]),
        row(staff=302, other_staff=404, director=404, deputy=404, handling_unit=404, city=404),
    ),
    # POST only: a GET is refused (405) before the object is looked up; anonymous users are sent to log in.
    "notices:mark_read": (lambda: reverse("notices:mark_read", args=[staff_notice().pk]), every(405)),
    "notices:confirm": (lambda: reverse("notices:confirm", args=[staff_notice().pk]), every(405)),
    "notices:retry": (lambda: reverse("notices:retry", args=[failed_notice().pk]), every(405)),
    "notices:resend": (lambda: reverse("notices:resend", args=[EVENT]), every(405)),
    # The signed link works without logging in.
    "notices:confirm_link": (
        lambda: reverse("notices:confirm_link", args=[confirm_token(staff_notice())]),
        every(200, anonymous=200),
    ),
    "notices:sent_list": (lambda: reverse("notices:sent_list"), row(**MANAGERS)),
    "notices:failed_list": (lambda: reverse("notices:failed_list"), row(**MANAGERS)),
    "notices:event_detail": (
        lambda: reverse("notices:event_detail", args=[EVENT]),
        row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403),
    ),
}
