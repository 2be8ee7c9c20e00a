from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from committee.documents.models import DocumentState


def export_path(export: "Export", filename: str) -> str:
    return f"dashboard-exports/{export.requested_by_id}/{filename}"


class Export(models.Model):
    """A PDF of the dashboard someone asked for: a row first, rendered by the worker (like a document), read only
    by the person who asked. The streets are those they could read then, filtered as on the page."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("导出人")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    street_ids = models.JSONField(_("街道"), default=list)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=DocumentState.choices, default=DocumentState.PENDING)
    error = models.TextField(_("错误信息"), blank=True)
    file = models.FileField(_("文件"), upload_to=export_path, blank=True)
    size = models.PositiveIntegerField(_("大小（字节）"), null=True, blank=True)
    created_at = models.DateTimeField(_("导出时间"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("履职看板导出")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="export_quarter_1_to_4"),
            models.CheckConstraint(condition=~Q(state=DocumentState.DONE) | ~Q(file=""), name="export_done_has_file"),
        ]

    def __str__(self):
        return f"{self.year}Q{self.quarter} #{self.pk}"

    @property
    def is_busy(self) -> bool:
        return self.state in (DocumentState.PENDING, DocumentState.RENDERING)
