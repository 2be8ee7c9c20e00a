import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned
from committee.roles import Capability


class DocumentKind(models.TextChoices):
    """The document type (文种) whose character goes into the number: 湘乡人大望工函〔2025〕3号."""

    LETTER = "letter", _("函")
    REPORT = "report", _("报")
    MINUTES = "minutes", _("纪要")
    # Not a 公文: printed matter to post (a station's poster, a reception notice). Its own series keeps the other
    # kinds' numbers gapless; the number identifies the file and is not printed in the GB/T 9704 layout.
    POSTER = "poster", _("张贴材料")


# The characters of each kind in the document number; a 纪要 is also printed as 第<serial>期 (its own series).
KIND_CODES = {
    DocumentKind.LETTER: "函",
    DocumentKind.REPORT: "报",
    DocumentKind.MINUTES: "纪要",
    DocumentKind.POSTER: "张",
}


class DocumentState(models.TextChoices):
    PENDING = "pending", _("排队中")
    RENDERING = "rendering", _("生成中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


def new_token() -> str:
    return secrets.token_urlsafe(12)


def document_path(document: "Document", filename: str) -> str:
    return f"documents/{document.street_id}/{document.year}/{filename}"


class NumberPrefix(StreetOwned):
    """A street's own prefix for one kind of document, replacing the default `<市简称><街道简称>工<文种>`."""

    kind = models.CharField(_("文种"), max_length=20, choices=DocumentKind.choices)
    prefix = models.CharField(_("发文字号前缀"), max_length=30, help_text=_("如“湘乡人大望工函”。"))

    class Meta:
        verbose_name = verbose_name_plural = _("发文字号前缀")
        constraints = [models.UniqueConstraint(fields=["street", "kind"], name="number_prefix_one_per_kind")]

    def __str__(self):
        return self.prefix


class DocumentCounter(StreetOwned):
    """The last serial issued per (street, kind, year); locked with SELECT ... FOR UPDATE while issuing."""

    kind = models.CharField(_("文种"), max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("发文序号")
        constraints = [models.UniqueConstraint(fields=["street", "kind", "year"], name="document_counter_unique")]

    def __str__(self):
        return f"{self.street_id} {self.kind} {self.year}: {self.last}"


class Document(StreetOwned):
    """An issued official document (公文): its number, the record it belongs to, and the stored PDF.
    A stored document is never re-generated; a new version is a new row with a new number."""

    kind = models.CharField(_("文种"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("发文字号"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=200)
    template = models.CharField(_("模板"), max_length=200)
    context = models.JSONField(_("内容"), default=dict)
    view_capability = models.CharField(_("查看权限"), max_length=50, default=Capability.VIEW_STREET)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("上一版本"),
    )
    token = models.CharField(_("核验码"), max_length=32, unique=True, default=new_token)
    issued_on = models.DateField(_("成文日期"), default=timezone.localdate)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("发文人")
    )
    issued_at = models.DateTimeField(_("发文时间"), default=timezone.now)
    state = models.CharField(_("状态"), max_length=20, choices=DocumentState.choices, default=DocumentState.PENDING)
    error = models.TextField(_("错误信息"), blank=True)
    file = models.FileField(_("文件"), upload_to=document_path, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, null=True, blank=True, unique=True)
    size = models.PositiveIntegerField(_("大小（字节）"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("公文")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(fields=["street", "kind", "year", "serial"], name="document_number_unique"),
            models.CheckConstraint(condition=Q(serial__gte=1), name="document_serial_positive"),
            models.CheckConstraint(
                condition=~Q(state=DocumentState.DONE) | (Q(sha256__isnull=False) & ~Q(file="")),
                name="document_done_has_file_and_hash",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_busy(self) -> bool:
        return self.state in (DocumentState.PENDING, DocumentState.RENDERING)
