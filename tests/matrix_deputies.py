"""Permission-matrix rows for the deputies' roster and 码上找代表 (deputies)."""

from django.core.files.base import ContentFile
from django.urls import reverse

from deputies.models import Constituency, Deputy, PosterBatch, ResidentMessage, TermEvent
from tests.matrix import every, row, street

READ = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=200)
READ_OWN_STREET = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=200)
MANAGE = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403)
MANAGE_OWN_STREET = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403)
PUBLIC = every(200, anonymous=200)


def _deputy():
    return Deputy.objects.get(user__username="wangchunmen_deputy100")


def _event_with_document():
    event = TermEvent.objects.filter(deputy=_deputy()).first()
    if not event.document:
        event.document.save("当选公告.pdf", ContentFile(b"%PDF-1.4"))
    return event


def _message():
    """The demo deputy's message waiting for an answer (it carries a photo)."""
    return ResidentMessage.objects.filter(deputy__user__username="wangchunmen_deputy").exclude(photo="").get()


def _constituency():
    return Constituency.objects.filter(street=street()).order_by("number").first()


ROWS = {
    "deputies:roster": (lambda: reverse("deputies:roster"), READ),
    "deputies:export": (lambda: reverse("deputies:export"), READ),
    "deputies:template": (lambda: reverse("deputies:template"), MANAGE),
    "deputies:add": (lambda: reverse("deputies:add"), MANAGE),
    "deputies:import": (lambda: reverse("deputies:import"), MANAGE),
    "deputies:detail": (lambda: reverse("deputies:detail", args=[_deputy().pk]), READ_OWN_STREET),
    "deputies:edit": (lambda: reverse("deputies:edit", args=[_deputy().pk]), MANAGE_OWN_STREET),
    "deputies:event_add": (lambda: reverse("deputies:event_add", args=[_deputy().pk]), MANAGE_OWN_STREET),
    "deputies:event_document": (
        lambda: reverse("deputies:event_document", args=[_deputy().pk, _event_with_document().pk]),
        READ_OWN_STREET,
    ),
    "deputies:constituency_list": (lambda: reverse("deputies:constituency_list"), READ),
    "deputies:constituency_add": (lambda: reverse("deputies:constituency_add"), MANAGE),
    "deputies:constituency_edit": (
        lambda: reverse("deputies:constituency_edit", args=[_constituency().pk]),
        MANAGE_OWN_STREET,
    ),
    # The deputy's own pages: a person without a roster entry has no profile (404).
    "deputies:profile": (
        lambda: reverse("deputies:profile"),
        row(staff=404, other_staff=404, director=404, deputy=200, handling_unit=404, city=404),
    ),
    "deputies:messages": (
        lambda: reverse("deputies:messages"),
        row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=403),
    ),
    "deputies:message": (
        lambda: reverse("deputies:message", args=[_message().pk]),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=403),
    ),
    "deputies:message_pass": (
        lambda: reverse("deputies:message_pass", args=[_message().pk]),
        every(405),  # POST only
    ),
    "deputies:message_photo": (
        lambda: reverse("deputies:message_photo", args=[_message().pk]),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=403),
    ),
    "deputies:posters": (
        lambda: reverse("deputies:posters"),
        row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=403),
    ),
    "deputies:poster_request": (lambda: reverse("deputies:poster_request", args=[_deputy().pk]), every(405)),
    "deputies:poster_download": (  # the demo deputy account's own poster
        lambda: reverse(
            "deputies:poster_download",
            args=[PosterBatch.objects.filter(deputy__user__username="wangchunmen_deputy", state="done").first().pk],
        ),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=403),
    ),
    # Public (no login): an in-office deputy's page; the tracking page by its code.
    "deputies:public": (lambda: _deputy().public_url(), PUBLIC),
    "deputies:public_photo": (
        lambda: reverse(
            "deputies:public_photo", args=[Deputy.objects.get(user__username="wangchunmen_deputy").public_code]
        ),
        PUBLIC,
    ),
    "deputies:track": (lambda: _message().tracking_url(), PUBLIC),
}
