from decimal import Decimal

from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce

from committee.funding.models import BudgetLine


def budget_lines(queryset):
    """Budget lines with what has been spent and what is left, in one query."""
    return queryset.select_related("street").annotate(
        spent=Coalesce(Sum("expenditures__amount"), Value(Decimal("0")), output_field=DecimalField())
    )


def lines_for_year(user, streets, year: int):
    return budget_lines(BudgetLine.objects.for_user(user).filter(street__in=streets, year=year)).order_by(
        "street", "category"
    )
