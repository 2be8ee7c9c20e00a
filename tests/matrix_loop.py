"""Permission-matrix rows of the opinion-handling loop (supervision). Object URLs point at 望春门's demo cases:
a closed case handled by the street office (the demo handling-unit account's unit) with an attachment, and a
replied case for the signed rating link. Steps of a case are POST only (GET: 405)."""

from django.urls import reverse

from supervision.models import Attachment, HandlingUnit, Opinion, State
from supervision.services import rating_token
from tests.matrix import every, row

OFFICE = "街道办事处党政综合办公室"

VIEWERS = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=200)
MANAGERS = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403)
ON_CASE = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=200, city=200)


def office_case():
    return Opinion.objects.filter(street__slug="wangchunmen", unit__name=OFFICE, attachments__isnull=False).first()


def replied_case():
    return Opinion.objects.filter(street__slug="wangchunmen", state=State.REPLIED).order_by("pk").first()


def office():
    return HandlingUnit.objects.get(street__slug="wangchunmen", name=OFFICE)


ROWS = {
    "supervision:opinion_list": (lambda: reverse("supervision:opinion_list"), VIEWERS),
    "supervision:figures": (lambda: reverse("supervision:figures"), VIEWERS),
    # Deputies are sent to their own short form; the committee to the registration form.
    "supervision:opinion_add": (
        lambda: reverse("supervision:opinion_add"),
        row(staff=200, other_staff=200, director=200, deputy=302, handling_unit=403, city=403),
    ),
    "supervision:deputy_report": (
        lambda: reverse("supervision:deputy_report"),
        row(staff=302, other_staff=302, director=302, deputy=200, handling_unit=403, city=403),
    ),
    "supervision:inbox": (
        lambda: reverse("supervision:inbox"),
        row(staff=403, other_staff=403, director=403, deputy=403, handling_unit=200, city=403),
    ),
    "supervision:mine": (lambda: reverse("supervision:mine"), every(200)),
    "supervision:opinion_detail": (lambda: reverse("supervision:opinion_detail", args=[office_case().pk]), ON_CASE),
    "supervision:opinion_act": (
        lambda: reverse("supervision:opinion_act", args=[office_case().pk, "accept"]),
        every(405),
    ),
    "supervision:reply": (lambda: reverse("supervision:reply", args=[office_case().pk]), every(405)),
    "supervision:commitment_done": (lambda: reverse("supervision:commitment_done", args=[1]), every(405)),
    "supervision:attachment": (
        lambda: reverse("supervision:attachment", args=[Attachment.objects.filter(opinion=office_case()).get().pk]),
        ON_CASE,
    ),
    "supervision:unit_list": (lambda: reverse("supervision:unit_list"), VIEWERS),
    "supervision:unit_add": (lambda: reverse("supervision:unit_add"), MANAGERS),
    "supervision:unit_detail": (
        lambda: reverse("supervision:unit_detail", args=[office().pk]),
        row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=200),
    ),
    "supervision:unit_delete": (
        lambda: reverse("supervision:unit_delete", args=[office().pk]),
        row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403),
    ),
    # Public: the tracking page and the signed rating link work without logging in.
    "supervision:track_lookup": (lambda: reverse("supervision:track_lookup"), every(200, anonymous=200)),
    "supervision:track": (
        lambda: reverse("supervision:track", args=[office_case().tracking_code]),
        every(200, anonymous=200),
    ),
    "supervision:rate_link": (
        lambda: reverse("supervision:rate_link", args=[rating_token(replied_case())]),
        every(200, anonymous=200),
    ),
}
