"""Permission-matrix rows for the dashboard (compliance) and funding (Art 22)."""

from django.urls import reverse

from committee.compliance.models import Export
from committee.funding.models import BudgetLine, Expenditure
from committee.models import User
from tests.matrix import row, street


def _line():
    return BudgetLine.objects.filter(street=street()).order_by("pk").first()


def _export():
    """A rendered dashboard export of the street's staff member: readable by them only."""
    from django.core.files.base import ContentFile

    staff = User.objects.get(username=f"{street().slug}_staff")
    export = Export.objects.filter(requested_by=staff).first()
    if export is None:
        export = Export(requested_by=staff, year=2026, quarter=4, street_ids=[street().pk], state="done", size=4)
        export.file.save("matrix.pdf", ContentFile(b"%PDF"), save=True)
    return export


def _expenditure():
    return Expenditure.objects.filter(street=street()).order_by("pk").first()


LEADERSHIP = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=200)
LEADERSHIP_OWN_STREET = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=200)
OWN_EXPORT = row(staff=200, other_staff=404, director=404, deputy=403, handling_unit=403, city=404)
MANAGE = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403)
MANAGE_OWN_STREET = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403)

ROWS = {
    "compliance:dashboard": (lambda: reverse("compliance:dashboard"), LEADERSHIP),
    "compliance:export_xlsx": (lambda: reverse("compliance:export_xlsx"), LEADERSHIP),
    "compliance:export_pdf": (lambda: reverse("compliance:export_pdf"), LEADERSHIP),
    "compliance:export_status": (lambda: reverse("compliance:export_status", args=[_export().pk]), OWN_EXPORT),
    "compliance:export_download": (lambda: reverse("compliance:export_download", args=[_export().pk]), OWN_EXPORT),
    "compliance:street": (lambda: reverse("compliance:street", args=[street().pk]), LEADERSHIP_OWN_STREET),
    "compliance:cell": (lambda: reverse("compliance:cell", args=[street().pk, "21(1)"]), LEADERSHIP_OWN_STREET),
    "funding:overview": (lambda: reverse("funding:overview"), LEADERSHIP),
    "funding:line_set": (lambda: reverse("funding:line_set"), MANAGE),
    "funding:line_detail": (lambda: reverse("funding:line_detail", args=[_line().pk]), LEADERSHIP_OWN_STREET),
    "funding:expenditure_add": (lambda: reverse("funding:expenditure_add", args=[_line().pk]), MANAGE_OWN_STREET),
    "funding:expenditure_delete": (
        lambda: reverse("funding:expenditure_delete", args=[_expenditure().pk]),
        MANAGE_OWN_STREET,
    ),
}
