"""Permission-matrix rows for the liaison stations (liaison_stations)."""

from django.urls import reverse
from django.utils import timezone

from liaison_stations.models import LiaisonStation, Reception, ReceptionPhoto, RotaSlot, SwapRequest
from tests.matrix import every, row, street

READ = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=200)
READ_OWN_STREET = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=200)
MANAGE = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403)
MANAGE_OWN_STREET = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403)
# A reception the demo deputy receives at: they read it and register its visitors; staff do too.
RECEIVER = row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=200)


def _station():
    return LiaisonStation.objects.get(street=street(), kind="street")


def _reception():
    """The coming reception, with the demo deputy on duty."""
    return Reception.objects.filter(station=_station(), starts_at__gte=timezone.now()).earliest("starts_at")


def _past_reception():
    return Reception.objects.filter(station=_station(), starts_at__lt=timezone.now()).latest("starts_at")


ROWS = {
    "stations:list": (lambda: reverse("stations:list"), READ),
    "stations:add": (lambda: reverse("stations:add"), MANAGE),
    "stations:detail": (lambda: reverse("stations:detail", args=[_station().pk]), READ_OWN_STREET),
    "stations:edit": (lambda: reverse("stations:edit", args=[_station().pk]), MANAGE_OWN_STREET),
    "stations:role_add": (lambda: reverse("stations:role_add", args=[_station().pk]), every(405)),
    "stations:reception_add": (lambda: reverse("stations:reception_add", args=[_station().pk]), MANAGE_OWN_STREET),
    "stations:receptions": (lambda: reverse("stations:receptions"), every(200)),
    "stations:reception": (lambda: reverse("stations:reception", args=[_reception().pk]), RECEIVER),
    "stations:visit_add": (
        lambda: reverse("stations:visit_add", args=[_reception().pk]),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=403),
    ),
    "stations:reception_report": (
        lambda: reverse("stations:reception_report", args=[_past_reception().pk]),
        MANAGE_OWN_STREET,
    ),
    "stations:visits": (lambda: reverse("stations:visits"), READ),
    "stations:public": (lambda: reverse("stations:public", args=[_station().public_code]), every(200, anonymous=200)),
}


# --- Duty rota and swaps, photos, poster and reception notice -------------------------------------------------


def _my_slot():
    """The demo deputy's next duty (its swap is waiting for approval; the form still shows)."""
    return RotaSlot.objects.filter(station=_station(), deputy__user__username="wangchunmen_deputy").latest("on_date")


def _swap():
    return SwapRequest.objects.get(slot__station=_station(), state="agreed")


def _photo():
    return ReceptionPhoto.objects.filter(reception__station=_station()).earliest("pk")


# The demo deputy is not among the receivers of the reception the demo photographed.
PHOTO_READERS = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=200)

ROWS |= {
    "stations:rota": (lambda: reverse("stations:rota", args=[_station().pk]), READ_OWN_STREET),
    "stations:rota_remove": (lambda: reverse("stations:rota_remove", args=[_my_slot().pk]), MANAGE_OWN_STREET),
    "stations:swap_add": (
        lambda: reverse("stations:swap_add", args=[_my_slot().pk]),
        row(staff=403, other_staff=404, director=403, deputy=200, handling_unit=403, city=403),
    ),
    "stations:swaps": (lambda: reverse("stations:swaps"), every(200)),
    "stations:swap": (lambda: _swap().get_absolute_url(), RECEIVER),
    "stations:photos_add": (
        lambda: reverse("stations:photos_add", args=[_reception().pk]),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=403),
    ),
    "stations:photo": (lambda: reverse("stations:photo", args=[_photo().pk]), PHOTO_READERS),
    "stations:photo_delete": (
        lambda: reverse("stations:photo_delete", args=[_photo().pk]),
        row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403),
    ),
    "stations:poster": (lambda: reverse("stations:poster", args=[_station().pk]), every(405)),
    "stations:reception_notice": (lambda: reverse("stations:reception_notice", args=[_reception().pk]), every(405)),
}
# --- Plans, operating rules, training (Art 14(3)) and the stations' figures ------------------------------


def _plan():
    from liaison_stations.models import ActivityPlan

    return ActivityPlan.objects.filter(station=_station()).latest("year")


def _training():
    from liaison_stations.models import Training

    return Training.objects.filter(station=_station()).latest("held_on")


ROWS.update(
    {
        "stations:plans": (lambda: reverse("stations:plans"), READ),
        "stations:plan_add": (lambda: reverse("stations:plan_add", args=[_station().pk]), MANAGE_OWN_STREET),
        "stations:plan": (lambda: reverse("stations:plan", args=[_plan().pk]), READ_OWN_STREET),
        "stations:plan_edit": (lambda: reverse("stations:plan_edit", args=[_plan().pk]), MANAGE_OWN_STREET),
        "stations:rules": (lambda: reverse("stations:rules", args=[_station().pk]), READ_OWN_STREET),
        "stations:trainings": (lambda: reverse("stations:trainings"), READ),
        "stations:training_add": (
            lambda: reverse("stations:training_add", args=[_station().pk]),
            MANAGE_OWN_STREET,
        ),
        "stations:training_edit": (
            lambda: reverse("stations:training_edit", args=[_training().pk]),
            MANAGE_OWN_STREET,
        ),
        "stations:network": (lambda: reverse("stations:network"), READ),
    }
)
