"""Permission-matrix rows for the dashboard (compliance) and funding (Art 22)."""

from django.urls import reverse

from committee.funding.models import BudgetLine, Expenditure
from tests.matrix import row, street


def _line():
    return BudgetLine.objects.filter(street=street()).order_by("pk").first()


def _expenditure():
    return Expenditure.objects.filter(street=street()).order_by("pk").first()


LEADERSHIP = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=200)
LEADERSHIP_OWN_STREET = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=200)
MANAGE = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403)
MANAGE_OWN_STREET = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403)

ROWS = {
    "compliance:dashboard": (lambda: reverse("compliance:dashboard"), LEADERSHIP),
    "compliance:export_xlsx": (lambda: reverse("compliance:export_xlsx"), LEADERSHIP),
    "compliance:export_pdf": (lambda: reverse("compliance:export_pdf"), LEADERSHIP),
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
