from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.compliance.registry import Evidence, Period, Result, count_by_street, count_status, register
from committee.funding.models import BudgetLine, Category


@register(
    id="22",
    description=gettext_lazy("人大工作经费、居民议事会工作经费、代表联络站经费列入预算"),
    period=Period.YEAR,
)
def funding_lines(streets, window, today):
    """Each street has a budget line for each of the three categories of the year."""
    lines = count_by_street(BudgetLine.objects.filter(street__in=streets, year=window.start.year))
    required = len(Category.values)
    return {
        street.pk: Result(
            count_status(lines[street.pk], required, window, today),
            _("已列入预算 %(n)d / %(r)d 项") % {"n": lines[street.pk], "r": required},
        )
        for street in streets
    }


@funding_lines.evidence
def funding_lines_evidence(street, window, today):
    return [
        Evidence(
            f"{line.year}年 {line.get_category_display()} {line.amount}元",
            reverse("funding:line_detail", args=[line.pk]),
        )
        for line in BudgetLine.objects.filter(street=street, year=window.start.year).order_by("category")
    ]
