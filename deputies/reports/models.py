"""Deputies' reports to their constituents (向原选区选民报告履职情况, Art 12(2), 4(3)): one `ConstituentReport` per
event (a deputy before the voter representatives of their constituency), the constituents' comments
(`ConstituentComment`, each can become a case in the loop) and the satisfaction survey (`SatisfactionSurvey` in the
glossary: a `satisfaction_grades` ballot of `committee.ballots`, linked as `survey`; its grade is copied onto the
report when the ballot closes). Writes go through `deputies.reports.services`."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned
from deputies.models import Rating

USER = settings.AUTH_USER_MODEL


def report_file_path(instance, filename) -> str:
    return f"deputies/reports/{secrets.token_hex(12)}.{filename.rsplit('.', 1)[-1].lower()[:5]}"


class ConstituentReport(StreetOwned):
    """述职: a deputy reports to the voter representatives of their constituency; a survey grades it."""

    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="constituent_reports", verbose_name=_("代表")
    )
    constituency = models.ForeignKey(
        "deputies.Constituency", on_delete=models.PROTECT, related_name="+", verbose_name=_("选区")
    )
    date = models.DateField(_("报告日期"))
    place = models.CharField(_("地点"), max_length=100)
    expected = models.PositiveIntegerField(_("应到选民代表人数"))
    present = models.PositiveIntegerField(_("实到选民代表人数"))
    text = models.TextField(_("述职报告"), blank=True)
    file = models.FileField(_("述职报告文件"), upload_to=report_file_path, blank=True)
    survey = models.OneToOneField(
        "ballots.Ballot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("满意度测评"),
    )
    grade = models.CharField(_("测评结果"), max_length=12, choices=Rating.choices, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("向选民报告履职情况")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(file=""),
                name="constituent_report_has_text_or_file",
                violation_error_message=_("请填写述职报告内容或上传报告文件。"),
            ),
            models.CheckConstraint(
                condition=Q(grade="") | Q(survey__isnull=False), name="constituent_report_grade_needs_survey"
            ),
            models.CheckConstraint(condition=Q(grade__in=["", *Rating.values]), name="constituent_report_grade_valid"),
        ]
        indexes = [models.Index(fields=["street", "-date"])]

    def __str__(self):
        return _("%(deputy)s向%(constituency)s选民报告履职（%(date)s）") % {
            "deputy": self.deputy,
            "constituency": self.constituency,
            "date": self.date,
        }

    def get_absolute_url(self):
        return reverse("constituent_reports:detail", args=[self.pk])

    @property
    def too_few_present(self) -> bool:
        return self.present < settings.CONSTITUENT_REPORT_MIN_PRESENT


class ConstituentComment(StreetOwned):
    """A constituent's question or comment at the report; `case` once passed into the opinion-handling loop."""

    report = models.ForeignKey(ConstituentReport, on_delete=models.PROTECT, related_name="comments")
    name = models.CharField(_("提出人"), max_length=50, blank=True)
    content = models.TextField(_("意见内容"), max_length=2000)
    case = models.OneToOneField(
        "supervision.Opinion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办理件"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("选民意见")
        ordering = ["report", "pk"]

    def __str__(self):
        return self.content[:40]

    def get_absolute_url(self):
        return self.report.get_absolute_url()
