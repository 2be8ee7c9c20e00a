"""Deputies' duty records (Art 4(3), 11, 12(1), 19): claims of duties only a deputy knows, the points rule table
(data, versioned by year), the quarterly publication of points with its correction window.

Duty records themselves come from the registry (`committee.duties.registry`): each chapter's work yields them.
Points are never typed: a `PointEntry` is computed from one duty record and links to it; a record counts once
(`point_entry_record_counts_once`)."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned


class ClaimKind(models.TextChoices):
    DEED = "deed", _("为民办实事")
    LEGISLATION = "legislation", _("立法相关活动")
    LEGAL_PUBLICITY = "legal_publicity", _("普法宣传")
    FIVE_VISITS = "five_visits", _("“五进”活动")
    DEPUTY_PLUS = "deputy_plus", _("“人大代表+”活动")
    ATTEND_MEETING = "attend_meeting", _("列席街道会议")
    CONSULTATION = "consultation", _("参加重大事项征询")
    CONGRESS_PUBLICITY = "congress_publicity", _("人大制度宣传")


class FiveVisitVenue(models.TextChoices):
    """“五进” (Art 19(3)): where a visit or a publicity activity went."""

    STATION = "station", _("进站点")
    ORGAN = "organ", _("进机关")
    CONSTITUENCY = "constituency", _("进选区")
    PARK = "park", _("进园区")
    ENTERPRISE = "enterprise", _("进企业")


class DeputyRole(models.TextChoices):
    """“人大代表+” (Art 19(2)): the part a deputy played."""

    SUPERVISOR = "supervisor", _("工作监督员")
    LEGAL_PUBLICIST = "legal_publicist", _("法治宣传员")
    INFORMATION_GATHERER = "information_gatherer", _("民情信息员")
    MEDIATOR = "mediator", _("纠纷调解员")
    SERVICE_PROVIDER = "service_provider", _("群众服务员")


# Where the rules ask for each kind of claim.
CLAIM_ARTICLES = {
    ClaimKind.DEED: "11(5)",
    ClaimKind.LEGISLATION: "11(4)",
    ClaimKind.LEGAL_PUBLICITY: "11(4)",
    ClaimKind.FIVE_VISITS: "19(2)",
    ClaimKind.DEPUTY_PLUS: "19(3)",
    ClaimKind.ATTEND_MEETING: "11(4)",
    ClaimKind.CONSULTATION: "11(1)",
    ClaimKind.CONGRESS_PUBLICITY: "3(1)",
}


class ClaimState(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未予确认")


class Claim(StreetOwned):
    """A duty only a deputy knows of, with evidence, confirmed or rejected by staff (only confirmed claims count);
    or an activity staff organised, recorded once with all its participants (`organised`, confirmed as recorded)."""

    kind = models.CharField(_("类别"), max_length=30, choices=ClaimKind.choices)
    title = models.CharField(_("事项"), max_length=200)
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    description = models.TextField(_("情况说明"), blank=True)
    venue = models.CharField(_("“五进”"), max_length=20, choices=FiveVisitVenue.choices, blank=True)
    deputy_role = models.CharField(_("“人大代表+”角色"), max_length=30, choices=DeputyRole.choices, blank=True)
    audience = models.PositiveIntegerField(_("受众人数"), null=True, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ClaimParticipant", related_name="+", verbose_name=_("参加的代表")
    )
    organised = models.BooleanField(_("工委组织的活动"), default=False)
    state = models.CharField(_("状态"), max_length=20, choices=ClaimState.choices, default=ClaimState.PENDING)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    filed_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reject_reason = models.CharField(_("未予确认的理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("履职登记")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["street", "state", "date"], name="claim_street_state_date")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ClaimKind.values), name="claim_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=ClaimState.values), name="claim_state_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="claim_has_title"),
            models.CheckConstraint(
                condition=Q(venue="") | Q(venue__in=FiveVisitVenue.values), name="claim_venue_valid"
            ),
            models.CheckConstraint(
                condition=Q(deputy_role="") | Q(deputy_role__in=DeputyRole.values), name="claim_deputy_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(state=ClaimState.PENDING) | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="claim_reviewed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(state=ClaimState.REJECTED) | ~Q(reject_reason=""), name="claim_rejected_has_reason"
            ),
            # A deputy never confirms their own claim (staff recording an organised activity confirm it as they
            # record it; the service also refuses any participant as reviewer).
            models.CheckConstraint(
                condition=Q(organised=True) | Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("filed_by")),
                name="claim_not_reviewed_by_filer",
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}：{self.title}"

    def get_absolute_url(self):
        return reverse("records:claim_detail", args=[self.pk])


class ClaimParticipant(StreetOwned):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="participant_links")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = _("履职登记参加人")
        constraints = [models.UniqueConstraint(fields=["claim", "person"], name="claim_participant_once")]


class ClaimEvidence(StreetOwned):
    """A photo or document proving a claim; downloaded through the scoped view, never by path."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to="claims/%Y/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小"))

    class Meta:
        verbose_name = verbose_name_plural = _("履职登记佐证材料")
        ordering = ["pk"]

    def __str__(self):
        return self.name

    @property
    def is_image(self) -> bool:
        return self.name.rsplit(".", 1)[-1].lower() in {"jpg", "jpeg", "png", "gif", "webp"}

    def get_absolute_url(self):
        return reverse("records:evidence", args=[self.pk])


class PointScheme(StreetOwned):
    """A street's points rules for a year (Art 12(1)): the base points; its `rules` give each kind's points and
    cap. Without a row the defaults apply (`deputies.records.points.DEFAULT_RULES`)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    base_points = models.DecimalField(_("基础分"), max_digits=5, decimal_places=1)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("积分规则")
        constraints = [models.UniqueConstraint(fields=["street", "year"], name="point_scheme_once_per_year")]

    def __str__(self):
        return _("%(y)d年度积分规则") % {"y": self.year}


class PointRule(StreetOwned):
    scheme = models.ForeignKey(PointScheme, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("履职事项"), max_length=50)
    points = models.DecimalField(_("每次分值"), max_digits=5, decimal_places=1)
    cap = models.DecimalField(
        _("年度上限"), max_digits=5, decimal_places=1, null=True, blank=True, help_text=_("不填为不设上限。")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("积分项目")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="point_rule_once_per_kind"),
            models.CheckConstraint(condition=Q(cap__isnull=True) | Q(cap__gte=0), name="point_rule_cap_not_negative"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.points}"


class QuarterState(models.TextChoices):
    PUBLISHED = "published", _("已公布（纠错期）")
    FINAL = "final", _("已定稿")


class Quarter(StreetOwned):
    """A quarter's points as published for a street (季度亮分): a frozen snapshot (`entries`, `scores`), changed only
    by accepted correction requests until it is final."""

    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveSmallIntegerField(_("季度"))
    state = models.CharField(_("状态"), max_length=20, choices=QuarterState.choices, default=QuarterState.PUBLISHED)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("公布日期"))
    corrections_until = models.DateField(_("纠错截止日期"))
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finalised_on = models.DateField(_("定稿日期"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("季度积分公布")
        ordering = ["-year", "-number", "street"]
        constraints = [
            models.UniqueConstraint(fields=["street", "year", "number"], name="quarter_once_per_street"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=4), name="quarter_number_1_4"),
            models.CheckConstraint(
                condition=Q(state=QuarterState.PUBLISHED) | Q(finalised_by__isnull=False, finalised_on__isnull=False),
                name="quarter_final_has_date",
            ),
            models.CheckConstraint(
                condition=Q(corrections_until__gte=F("published_on")), name="quarter_window_after_publication"
            ),
        ]

    def __str__(self):
        return _("%(y)d年第%(q)d季度履职积分") % {"y": self.year, "q": self.number}

    def get_absolute_url(self):
        return reverse("records:quarter_detail", args=[self.pk])

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        return quarter_end(self.year, self.number)

    @property
    def is_final(self) -> bool:
        return self.state == QuarterState.FINAL


def quarter_end(year: int, number: int) -> datetime.date:
    return datetime.date(year + (number == 4), (3 * number) % 12 + 1, 1) - datetime.timedelta(days=1)


class PointEntry(StreetOwned):
    """One line of a published quarter: the points one duty record earned one person, linked to the record."""

    quarter = models.ForeignKey(Quarter, on_delete=models.PROTECT, related_name="entries")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("履职事项"), max_length=50)
    date = models.DateField(_("日期"))
    label = models.CharField(_("记录"), max_length=300)
    url = models.CharField(_("链接"), max_length=300)
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    capped = models.BooleanField(_("已达年度上限"), default=False)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    struck_by = models.ForeignKey(
        "Correction", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("经纠错删除")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("积分明细")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["quarter", "person"], name="point_entry_quarter_person")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "source_type", "source_id"], name="point_entry_record_counts_once"
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.label}"

    @property
    def counted(self):
        return 0 if self.struck_by_id else self.points

    @property
    def kind_label(self) -> str:
        from committee.duties.registry import kind_label

        return kind_label(self.kind)


class Grade(models.TextChoices):
    GOOD = "good", _("好")
    FAIR = "fair", _("较好")
    POOR = "poor", _("差")


class QuarterScore(StreetOwned):
    """A person's score in a published quarter: the quarter's points and the year's total to its end (base
    points included), with the grade of that total."""

    quarter = models.ForeignKey(Quarter, on_delete=models.PROTECT, related_name="scores")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("本季度积分"), max_digits=6, decimal_places=1)
    year_total = models.DecimalField(_("年度累计积分"), max_digits=6, decimal_places=1)
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices)

    class Meta:
        verbose_name = verbose_name_plural = _("季度积分")
        ordering = ["quarter", "person__full_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["quarter", "person"], name="quarter_score_once_per_person")]


class CorrectionKind(models.TextChoices):
    ERROR = "error", _("错（记录有误）")
    DUPLICATE = "duplicate", _("重（重复计分）")
    OMISSION = "omission", _("漏（漏记履职）")


class CorrectionState(models.TextChoices):
    OPEN = "open", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("未采纳")


class Correction(StreetOwned):
    """A deputy's report of an error, a duplicate or an omission in a published quarter (错、重、漏)."""

    quarter = models.ForeignKey(Quarter, on_delete=models.PROTECT, related_name="corrections")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(PointEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=CorrectionKind.choices)
    text = models.TextField(_("说明"))
    state = models.CharField(_("状态"), max_length=20, choices=CorrectionState.choices, default=CorrectionState.OPEN)
    reply = models.CharField(_("处理意见"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("积分纠错申请")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="correction_has_text"),
            models.CheckConstraint(
                condition=Q(kind=CorrectionKind.OMISSION, entry__isnull=True)
                | Q(kind__in=[CorrectionKind.ERROR, CorrectionKind.DUPLICATE], entry__isnull=False),
                name="correction_names_its_line",
            ),
            models.CheckConstraint(
                condition=Q(state=CorrectionState.OPEN) | Q(resolved_by__isnull=False, resolved_at__isnull=False),
                name="correction_resolved_has_resolver",
            ),
            models.CheckConstraint(
                condition=~Q(state=CorrectionState.REJECTED) | ~Q(reply=""), name="correction_rejected_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.text[:30]}"


class DutyArchive(StreetOwned):
    """履职档案 of a person for a year, as filed: the subject its PDFs (committee.documents) are issued for."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))

    class Meta:
        verbose_name = verbose_name_plural = _("履职档案")
        constraints = [models.UniqueConstraint(fields=["street", "person", "year"], name="duty_archive_once")]

    def __str__(self):
        return _("%(name)s %(y)d年度履职档案") % {"name": self.person, "y": self.year}

    def get_absolute_url(self):
        return reverse("records:archive", args=[self.street_id, self.person_id, self.year])
