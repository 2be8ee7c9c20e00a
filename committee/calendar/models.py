"""A year's official holiday arrangement (the State Council's notice: days off and make-up workdays, 调休), entered
by the people who run the installation. committee/workdays.py reads it before any library."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000


class DayKind(models.TextChoices):
    DAY_OFF = "day_off", _("放假")
    WORKDAY = "workday", _("调休上班")


class CalendarYear(models.Model):
    """One year's arrangement and where it comes from."""

    year = models.PositiveSmallIntegerField(
        _("年度"), unique=True, validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)]
    )
    source_title = models.CharField(
        _("通知标题"), max_length=200, help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知")
    )
    source_number = models.CharField(_("文号"), max_length=50, blank=True, help_text=_("例如：国办发明电〔2026〕7号"))
    source_date = models.DateField(_("发布日期"))
    source_url = models.URLField(_("网址"), max_length=500, blank=True, help_text=_("可选：中国政府网上的通知页面"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    entered_at = models.DateTimeField(_("录入时间"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("最后修改人")
    )
    updated_at = models.DateTimeField(_("最后修改时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("年度节假日安排")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=FIRST_YEAR, year__lte=2100), name="calendar_year_in_range"),
        ]

    def __str__(self):
        return _("%(year)d年节假日安排") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("calendar:year_detail", args=[self.year])


class CalendarDay(models.Model):
    """A dated day of the arrangement: a day off, or a weekend day worked in lieu (调休上班)."""

    arrangement = models.ForeignKey(
        CalendarYear,
        on_delete=models.CASCADE,
        to_field="year",
        db_column="year",
        related_name="days",
        verbose_name=_("年度安排"),
    )
    day = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=30, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("节假日安排日期")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DayKind.values), name="calendar_day_kind_valid"),
            # The arrangement's column holds its year (to_field): a day belongs to the year it is dated in.
            models.CheckConstraint(condition=Q(day__year=F("arrangement")), name="calendar_day_in_its_year"),
        ]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()}{f'（{self.name}）' if self.name else ''}"

    def get_additional_data(self):
        """Tags the audit entry with the year, so the year's page lists the changes to its days."""
        return {"calendar_year": self.day.year}
