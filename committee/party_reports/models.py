from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")


class PartyReport(StreetOwned):
    """A quarterly report to the street party working committee (Art 20(1)): drafted by the committee's staff,
    signed off by the director (or a vice director) and submitted as a 公文 in the document format, with its
    签发人. One per street per quarter."""

    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), choices=[(q, _("第%d季度") % q) for q in (1, 2, 3, 4)])
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), help_text=_("每段一行；以“一、”开头的段落为一级标题。"))
    state = models.CharField(_("状态"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("起草人")
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报送人"),
    )
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    # GB/T 9704-2012 §7.2: an upward document names who signed it off (the director, normally), printed beside
    # the number. Chosen when the report is submitted.
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签发人"),
    )
    document = models.OneToOneField(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("公文"),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("向街道党工委的季度报告")
        ordering = ["-year", "-quarter", "street"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "year", "quarter"],
                name="party_report_one_per_quarter",
                violation_error_message=_("该街道本季度的报告已存在，请修改原稿。"),
            ),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="party_report_quarter_1_to_4"),
            models.CheckConstraint(
                condition=Q(state=ReportState.DRAFT)
                | Q(submitted_on__isnull=False, submitted_by__isnull=False, document__isnull=False),
                name="party_report_submitted_has_document",
            ),
            models.CheckConstraint(
                condition=Q(state=ReportState.DRAFT) | Q(signed_off_by__isnull=False),
                name="party_report_submitted_has_signer",
                violation_error_message=_("报送的报告须有签发人。"),
            ),
        ]

    def __str__(self):
        return f"{self.year}年第{self.quarter}季度 {self.title}"

    def get_absolute_url(self):
        return reverse("party_reports:detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return _("%(y)d年第%(q)d季度") % {"y": self.year, "q": self.quarter}

    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.body.splitlines() if line.strip()]
