"""Permission-matrix rows for grassroots governance (livelihood_votes.governance): 随手拍, 12345 reports, the
street's public page. The 12345 report is one 望春门's demo deputy (wangchunmen_deputy) made."""

from django.urls import reverse

from livelihood_votes.governance.models import HotlineReport
from tests.matrix import every, row, street

PUBLIC = every(200, anonymous=200)


def _report():
    return HotlineReport.objects.filter(street=street(), deputy__username="wangchunmen_deputy").order_by("pk").first()


ROWS = {
    "governance:snapshot": (lambda: reverse("governance:snapshot", args=[street().slug]), PUBLIC),
    "governance:street_public": (lambda: reverse("governance:street_public", args=[street().slug]), PUBLIC),
    "governance:snapshot_list": (
        lambda: reverse("governance:snapshot_list"),
        row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=200),
    ),
    "governance:hotline_list": (
        lambda: reverse("governance:hotline_list"),
        row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=200),
    ),
    "governance:hotline_add": (
        lambda: reverse("governance:hotline_add"),
        row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=403),
    ),
    "governance:hotline_detail": (
        lambda: reverse("governance:hotline_detail", args=[_report().pk]),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=200),
    ),
}
