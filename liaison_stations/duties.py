"""Duty records from the receptions: a deputy who came to receive at a station (attendance recorded after the
day). The deputy home's quota of receptions (Art 15(1)) counts this kind."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.duties.registry import DutyItem, DutyKind, register
from liaison_stations.models import Receiver, ReceiverKind

RECEPTION = DutyKind("reception", _("进站接待选民"), "15(1)")


@register(RECEPTION)
def receptions_attended(people, streets, start, end):
    """One query: the receptions these people attended as deputies, dated by the reception day."""
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, zone)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
    rows = Receiver.objects.filter(
        person_id__in=people,
        street_id__in=streets,
        kind=ReceiverKind.DEPUTY,
        attended=True,
        reception__starts_at__gte=first,
        reception__starts_at__lt=after,
    ).select_related("reception__station")
    for receiver in rows:
        reception = receiver.reception
        yield DutyItem(
            receiver.person_id,
            receiver.street_id,
            timezone.localdate(reception.starts_at),
            RECEPTION.code,
            str(reception.station),
            reception.get_absolute_url(),
            receiver,
        )
