"""Permission-matrix rows for deputies' duty records and points (deputies.records)."""

from django.urls import reverse

from committee.documents.models import Document
from committee.models import User
from deputies.records.models import Claim, ClaimEvidence, Quarter
from tests.matrix import every, row, street

TABLE = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=200)
LISTS = row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=200)
# A record of 望春门's demo deputy: staff and city read it, the deputy their own; another street 404.
OWN_RECORD = row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=404, city=200)


def _deputy():
    return User.objects.get(username="wangchunmen_deputy")


def _claim():
    return (
        Claim.objects.filter(street=street(), participant_links__person=_deputy(), organised=False)
        .order_by("pk")
        .first()
    )


def _quarter():
    return Quarter.objects.get(street=street(), year=2026, number=3)


def _archive(name):
    return lambda: reverse(f"records:{name}", args=[street().pk, _deputy().pk, 2026])


ROWS = {
    "records:mine": (
        lambda: reverse("records:mine"),
        row(staff=403, other_staff=403, director=403, deputy=302, handling_unit=403, city=403),
    ),
    "records:claims": (lambda: reverse("records:claims"), LISTS),
    "records:claim_add": (
        lambda: reverse("records:claim_add"),
        row(staff=403, other_staff=403, director=403, deputy=200, handling_unit=403, city=403),
    ),
    "records:claim_detail": (lambda: reverse("records:claim_detail", args=[_claim().pk]), OWN_RECORD),
    "records:claim_confirm": (lambda: reverse("records:claim_confirm", args=[_claim().pk]), every(405)),
    "records:claim_reject": (lambda: reverse("records:claim_reject", args=[_claim().pk]), every(405)),
    "records:evidence": (
        lambda: reverse("records:evidence", args=[ClaimEvidence.objects.filter(claim=_claim()).first().pk]),
        OWN_RECORD,
    ),
    "records:activity_add": (
        lambda: reverse("records:activity_add"),
        row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403),
    ),
    "records:points": (lambda: reverse("records:points"), LISTS),
    "records:quarter_publish": (lambda: reverse("records:quarter_publish"), every(405)),
    "records:point_rules": (lambda: reverse("records:point_rules"), TABLE),
    "records:quarter_detail": (
        lambda: reverse("records:quarter_detail", args=[_quarter().pk]),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=200),
    ),
    "records:correction_add": (
        lambda: reverse("records:correction_add", args=[_quarter().pk]),
        # The demo's quarters are final: the deputy is sent back to the quarter.
        row(staff=403, other_staff=404, director=403, deputy=302, handling_unit=403, city=403),
    ),
    "records:quarter_finalise": (lambda: reverse("records:quarter_finalise", args=[_quarter().pk]), every(405)),
    "records:correction_resolve": (
        lambda: reverse("records:correction_resolve", args=[_quarter().corrections.first().pk]),
        every(405),
    ),
    "records:archive": (_archive("archive"), OWN_RECORD),
    "records:archive_pdf": (_archive("archive_pdf"), every(405)),
    "records:term_summary": (
        lambda: reverse("records:term_summary", args=[street().pk, _deputy().pk]),
        OWN_RECORD,
    ),
    "records:archive_document": (
        lambda: reverse(
            "records:archive_document",
            args=[Document.objects.filter(template="records/archive_pdf.html", street=street()).first().pk],
        ),
        OWN_RECORD,
    ),
}
