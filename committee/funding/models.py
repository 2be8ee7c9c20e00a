from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned


class Category(models.TextChoices):
    """Art 22: the three lines of the committee's funding."""

    COMMITTEE_WORK = "committee_work", _("街道人大工作经费")
    COUNCIL = "council", _("街道居民议事会工作经费")
    LIAISON_STATION = "liaison_station", _("代表联络站建设和运行经费")


class Source(models.TextChoices):
    STREET_BUDGET = "street_budget", _("街道财政预算")
    MUNICIPAL_BUDGET = "municipal_budget", _("市级财政预算")


class BudgetLine(StreetOwned):
    """One year's budget for one of the Art 22 categories in one street."""

    year = models.PositiveSmallIntegerField(_("年度"))
    category = models.CharField(_("经费类别"), max_length=20, choices=Category.choices)
    source = models.CharField(_("经费来源"), max_length=20, choices=Source.choices)
    amount = models.DecimalField(
        _("预算金额（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("经费预算")
        ordering = ["street", "-year", "category"]
        constraints = [
            models.UniqueConstraint(fields=["street", "year", "category"], name="budget_line_one_per_category_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_amount_positive"),
        ]

    def __str__(self):
        return f"{self.street} {self.year}年 {self.get_category_display()}"


class Expenditure(StreetOwned):
    """Money spent from a budget line."""

    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="expenditures", verbose_name=_("预算")
    )
    spent_on = models.DateField(_("支出日期"))
    amount = models.DecimalField(
        _("金额（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    purpose = models.CharField(_("用途"), max_length=200)
    voucher_no = models.CharField(_("凭证号"), max_length=50, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("经费支出")
        ordering = ["-spent_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expenditure_amount_positive")]

    def __str__(self):
        return f"{self.spent_on} {self.purpose} {self.amount}元"
