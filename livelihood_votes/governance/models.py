"""Grassroots governance (Art 19(1), 4(6)): snap-and-report (随手拍) and reports deputies make to the 12345
hotline. Each becomes one case of the opinion-handling loop (`supervision.services.opinion_register`); these
rows keep what the loop does not: the place and the phone's location, the 12345 ticket and the outcome 12345 gave.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned
from supervision.models import Opinion, Rating


class Snapshot(StreetOwned):
    """随手拍: photos (the case's attachments, metadata stripped), the place, the category, the description."""

    opinion = models.OneToOneField(Opinion, on_delete=models.PROTECT, related_name="snapshot")
    place = models.CharField(_("地点"), max_length=200)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("随手拍")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="snapshot_location_valid",
            ),
        ]

    def __str__(self):
        return _("随手拍 %(place)s") % {"place": self.place}

    def get_absolute_url(self):
        return self.opinion.get_absolute_url()


class HotlineReport(StreetOwned):
    """A report a deputy made to the 12345 hotline (another government system), followed up as a case."""

    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("反映代表")
    )
    ticket_number = models.CharField(_("12345工单号"), max_length=40)
    reported_on = models.DateField(_("反映日期"))
    content = models.TextField(_("反映内容"))
    place = models.CharField(_("地点"), max_length=200)
    complex = models.BooleanField(_("复杂诉求"), default=False, help_text=_("复杂诉求的办理期限较长。"))
    due_on = models.DateField(_("办理期限"))
    opinion = models.OneToOneField(Opinion, on_delete=models.PROTECT, related_name="hotline_report", null=True)
    outcome = models.TextField(_("12345办理结果"), blank=True)
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    rating = models.CharField(_("代表评价"), max_length=20, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("12345热线反映")
        ordering = ["-reported_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "ticket_number"],
                name="hotline_ticket_unique_in_street",
                violation_error_message=_("本街道已登记过该12345工单号。"),
            ),
            models.CheckConstraint(
                condition=Q(rating="") | Q(rating__in=Rating.values), name="hotline_rating_valid_or_blank"
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | ~Q(outcome=""), name="hotline_outcome_has_text"
            ),
            models.CheckConstraint(
                condition=Q(rating="") | Q(outcome_on__isnull=False), name="hotline_rated_after_outcome"
            ),
        ]
        indexes = [models.Index(fields=["deputy", "reported_on"], name="hotline_deputy_reported")]

    def __str__(self):
        return _("12345工单 %(n)s") % {"n": self.ticket_number}

    def get_absolute_url(self):
        return reverse("governance:hotline_detail", args=[self.pk])

    @property
    def title(self) -> str:
        text = " ".join(self.content.split())
        return text if len(text) <= 30 else text[:30] + "…"

    @property
    def on_time(self) -> bool | None:
        return None if self.outcome_on is None else self.outcome_on <= self.due_on

    @property
    def case_working_days(self) -> int:
        """The loop's deadline for the case: settings, 10 working days when complex, else 5."""
        table = settings.OPINION_DEADLINE_WORKING_DAYS
        return table["hotline_12345_complex"] if self.complex else table["hotline_12345"]
