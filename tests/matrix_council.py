"""Permission-matrix rows of the residents' council's members (livelihood_votes.council). Objects are 望春门's
demo records: the demo council member's term, the self-nomination waiting for review, the objection to the person
on notice. Applications are the committee's and the party committee's own: readers elsewhere get 404."""

from django.urls import reverse

from livelihood_votes.council.models import CouncilMember, MemberState, Objection
from tests.matrix import every, row, street


def term():
    return CouncilMember.objects.get(street=street(), user__username="wangchunmen_council_member")


def application():
    return CouncilMember.objects.get(street=street(), state=MemberState.APPLIED)


def objection():
    return Objection.objects.get(street=street())


_READERS = row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=200)
_MANAGERS = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403)

ROWS = {
    "council:page": (lambda: reverse("council:page"), _READERS),
    "council:list": (lambda: reverse("council:list"), _READERS),
    "council:add": (lambda: reverse("council:add"), _MANAGERS),
    "council:detail": (
        lambda: reverse("council:detail", args=[term().pk]),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=200),
    ),
    "council:action": (
        lambda: reverse("council:action", args=[application().pk, "review"]),
        row(staff=200, other_staff=404, director=200, deputy=404, handling_unit=403, city=404),
    ),
    "council:objection_handle": (
        lambda: reverse("council:objection_handle", args=[objection().pk]),
        row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403),
    ),
    "council:notice_publish": (lambda: reverse("council:notice_publish"), _MANAGERS),
    "council:training_add": (lambda: reverse("council:training_add"), _MANAGERS),
    "council:apply": (lambda: reverse("council:apply", args=["wangchunmen"]), every(200, anonymous=200)),
    "council:track": (lambda: reverse("council:track", args=[application().tracking_code]), every(200, anonymous=200)),
    "council:public_notice": (
        lambda: reverse("council:public_notice", args=["wangchunmen"]),
        every(200, anonymous=200),
    ),
}
