"""Chapter 4 supervision activities: enforcement inspections (Art 7), special work reports (Art 8), work
appraisals (Art 9), field visits and research (Art 10). Cases raised by them live in `supervision` (the
opinion-handling loop); these records are their source."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned

CITY_COMMITTEE = "湘乡市人大常委会"  # the filing recipient (备案)


class InspectionOrigin(models.TextChoices):
    ASSIGNED = "assigned", _("上级人大常委会交办")
    SELF = "self", _("自主安排")


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("已计划")
    STUDIED = "studied", _("已学习")
    IN_PROGRESS = "in_progress", _("检查中")
    REPORTED = "reported", _("报告已备案")
    IMPLEMENTATION_FILED = "implementation_filed", _("落实情况已备案")


# States reached only after the law-study session (Art 7(1)): the database refuses them without one.
AFTER_STUDY = [
    InspectionState.STUDIED,
    InspectionState.IN_PROGRESS,
    InspectionState.REPORTED,
    InspectionState.IMPLEMENTATION_FILED,
]
AFTER_START = AFTER_STUDY[1:]


class EnforcementInspection(StreetOwned):
    """执法检查 (Art 7): planned, preceded by a law-study session, findings, the report and the implementation
    report filed with the municipal committee."""

    law = models.CharField(_("检查的法律法规"), max_length=200)
    scope = models.TextField(_("检查范围与内容"))
    origin = models.CharField(_("来源"), max_length=20, choices=InspectionOrigin.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    deputies = models.ManyToManyField(
        "committee.Membership", related_name="+", blank=True, verbose_name=_("参加检查的代表")
    )
    state = models.CharField(_("状态"), max_length=30, choices=InspectionState.choices, default=InspectionState.PLANNED)
    studied_on = models.DateField(_("学习日期"), null=True, blank=True)
    started_on = models.DateField(_("实际开始日期"), null=True, blank=True)
    report_text = models.TextField(_("执法检查报告"), blank=True, help_text=_("每段一行；“一、”开头为一级标题。"))
    report_document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    implementation_text = models.TextField(_("落实情况报告"), blank=True, help_text=_("每段一行。"))
    implementation_document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("执法检查")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="inspection_ends_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=AFTER_STUDY) | Q(studied_on__isnull=False),
                name="inspection_studied_before_start",
                violation_error_message=_("检查前须组织代表学习相关法律法规。"),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=AFTER_START) | Q(started_on__isnull=False, started_on__gte=F("studied_on")),
                name="inspection_started_after_study",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=AFTER_START[1:]) | Q(report_document__isnull=False),
                name="inspection_reported_has_document",
            ),
            models.CheckConstraint(
                condition=~Q(state=InspectionState.IMPLEMENTATION_FILED) | Q(implementation_document__isnull=False),
                name="inspection_implementation_has_document",
            ),
        ]

    def __str__(self):
        return _("%(y)d年《%(law)s》执法检查") % {"y": self.starts_on.year, "law": self.law.strip("《》")}

    def get_absolute_url(self):
        return reverse("activities:inspection_detail", args=[self.pk])


class StudySession(StreetOwned):
    """The law-study session before an inspection (检查前组织代表学习相关法律法规), with attendance."""

    inspection = models.ForeignKey(
        EnforcementInspection, on_delete=models.PROTECT, related_name="study_sessions", verbose_name=_("执法检查")
    )
    held_on = models.DateField(_("学习日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    content = models.TextField(_("学习内容"), help_text=_("学习的法律法规条文和政策文件。"))
    attendees = models.ManyToManyField(
        "committee.Membership", related_name="+", blank=True, verbose_name=_("参加学习的代表")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("执法检查前学习")
        ordering = ["held_on", "pk"]

    def __str__(self):
        return _("%(d)s 法律法规学习") % {"d": f"{self.held_on:%Y-%m-%d}"}


class Responsibility(models.TextChoices):
    STREET = "street", _("属街道职责（限期整改）")
    HIGHER = "higher", _("属上级权限（提交市人大常委会协调）")


class InspectionFinding(StreetOwned):
    """A problem found by an inspection (Art 7(2)): the street's to rectify by a deadline, or the municipal
    committee's to coordinate. Either way it becomes a case in the opinion-handling loop."""

    inspection = models.ForeignKey(
        EnforcementInspection, on_delete=models.PROTECT, related_name="findings", verbose_name=_("执法检查")
    )
    description = models.TextField(_("发现的问题"))
    responsibility = models.CharField(_("责任归属"), max_length=20, choices=Responsibility.choices)
    unit_name = models.CharField(_("整改单位"), max_length=100, blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    case_id = models.PositiveIntegerField(_("案件编号"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("执法检查发现的问题")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(responsibility=Responsibility.STREET) | Q(deadline__isnull=False),
                name="finding_street_has_deadline",
                violation_error_message=_("属街道职责的问题须定整改期限。"),
            ),
        ]

    def __str__(self):
        return self.description[:40]


class VisitKind(models.TextChoices):
    INSPECTION = "inspection", _("视察")
    RESEARCH = "research", _("调研")


class FieldVisit(StreetOwned):
    """视察、调研 (Art 10): 3-4 a year; laws studied beforehand, street-office staff asked to join, issues
    collected and passed on, feedback to the deputies."""

    kind = models.CharField(_("类型"), max_length=20, choices=VisitKind.choices)
    topic = models.CharField(_("主题"), max_length=200)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    participants = models.ManyToManyField(
        "committee.Membership", related_name="+", blank=True, verbose_name=_("参加的代表")
    )
    staff_invited = models.TextField(_("要求参加的街道办事处人员"), blank=True, help_text=_("每行一人：姓名、职务。"))
    materials_studied = models.TextField(_("事先学习的法律法规和政策文件"), blank=True)
    summary = models.TextField(_("情况小结"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("视察调研")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="field_visit_ends_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.starts_on:%Y-%m-%d} {self.get_kind_display()}：{self.topic}"

    def get_absolute_url(self):
        return reverse("activities:visit_detail", args=[self.pk])


class ReportTopic(models.TextChoices):
    ECONOMY = "economy", _("经济和社会发展")
    ECOLOGY = "ecology", _("生态环境保护")
    LIVELIHOOD = "livelihood", _("民生实事办理")
    OTHER = "other", _("其他")


class SpecialWorkReport(StreetOwned):
    """听取和讨论专项工作报告 (Art 8): the yearly hearing, the field visit before it, the unit heads who must
    attend and report, the deputies' opinions passed on and answered."""

    topic = models.CharField(_("领域"), max_length=20, choices=ReportTopic.choices)
    title = models.CharField(_("报告题目"), max_length=200)
    reporting_unit = models.CharField(_("报告单位"), max_length=100)
    heard_on = models.DateField(_("听取日期"))
    held = models.BooleanField(_("已召开"), default=False)
    field_visit = models.ForeignKey(
        FieldVisit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="special_work_reports",
        verbose_name=_("会前视察调研"),
    )
    summary = models.TextField(_("听取和讨论情况"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("专项工作报告")
        ordering = ["-heard_on", "-pk"]

    def __str__(self):
        return f"{self.heard_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("activities:report_detail", args=[self.pk])


class UnitHead(StreetOwned):
    """A unit head who must attend the hearing and report (街道办事处负责人和有关单位主要负责人到会报告)."""

    report = models.ForeignKey(
        SpecialWorkReport, on_delete=models.CASCADE, related_name="unit_heads", verbose_name=_("专项工作报告")
    )
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.CharField(_("单位"), max_length=100)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    attended = models.BooleanField(_("到会"), default=False)

    class Meta:
        verbose_name = verbose_name_plural = _("应到会负责人")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "name", "unit"], name="unit_head_once_per_report"),
        ]

    def __str__(self):
        return f"{self.unit} {self.name}"


class CollectedIssue(StreetOwned):
    """An opinion raised at a hearing or an issue collected on a field visit, as recorded by the committee.
    The case it became in the opinion-handling loop is `case_id` (empty while the loop was unavailable)."""

    report = models.ForeignKey(
        SpecialWorkReport, on_delete=models.PROTECT, null=True, blank=True, related_name="issues"
    )
    field_visit = models.ForeignKey(FieldVisit, on_delete=models.PROTECT, null=True, blank=True, related_name="issues")
    content = models.TextField(_("意见建议或问题"))
    proposer_name = models.CharField(_("提出人"), max_length=50, blank=True)
    case_id = models.PositiveIntegerField(_("案件编号"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("收集的意见和问题")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, field_visit__isnull=True)
                | Q(report__isnull=True, field_visit__isnull=False),
                name="collected_issue_one_source",
            ),
        ]

    def __str__(self):
        return self.content[:40]


class AppraisalState(models.TextChoices):
    DRAFT = "draft", _("评议中")
    FILED = "filed", _("已报送备案")


class WorkAppraisal(StreetOwned):
    """工作评议 (Art 9): the residents' council appraises a unit on weighted criteria; the result goes to the party
    working committee and the unit's supervising department and is filed with the municipal committee."""

    year = models.PositiveSmallIntegerField(_("年度"))
    unit_name = models.CharField(_("被评议单位"), max_length=100)
    supervising_department = models.CharField(_("被评议单位上级主管部门"), max_length=100)
    appraised_on = models.DateField(_("评议日期"))
    summary = models.TextField(_("评议意见"), blank=True, help_text=_("每段一行。"))
    state = models.CharField(_("状态"), max_length=20, choices=AppraisalState.choices, default=AppraisalState.DRAFT)
    result = models.DecimalField(_("评议得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    reported_to_party_on = models.DateField(_("报党工委日期"), null=True, blank=True)
    reported_to_department_on = models.DateField(_("报上级主管部门日期"), null=True, blank=True)
    filing_document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("工作评议")
        ordering = ["-appraised_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=AppraisalState.DRAFT)
                | Q(
                    filing_document__isnull=False,
                    result__isnull=False,
                    reported_to_party_on__isnull=False,
                    reported_to_department_on__isnull=False,
                ),
                name="appraisal_filed_has_document_and_result",
            ),
            models.CheckConstraint(
                condition=Q(result__isnull=True) | Q(result__gte=0, result__lte=100), name="appraisal_result_0_100"
            ),
        ]

    def __str__(self):
        return _("%(y)d年度对%(unit)s的工作评议") % {"y": self.year, "unit": self.unit_name}

    def get_absolute_url(self):
        return reverse("activities:appraisal_detail", args=[self.pk])


class AppraisalCriterion(StreetOwned):
    """One criterion of an appraisal with its weight; an appraisal's weights sum to 100 (checked by the service
    before scoring and filing)."""

    appraisal = models.ForeignKey(WorkAppraisal, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评议项目"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("权重（%）"), validators=[MinValueValidator(1), MaxValueValidator(100)])

    class Meta:
        verbose_name = verbose_name_plural = _("评议项目")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_1_100"),
            models.UniqueConstraint(fields=["appraisal", "name"], name="criterion_name_once_per_appraisal"),
        ]

    def __str__(self):
        return f"{self.name}（{self.weight}%）"


class AppraisalScore(StreetOwned):
    """One council member's score (0-100) on one criterion."""

    criterion = models.ForeignKey(AppraisalCriterion, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey("committee.Membership", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("得分"), validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = verbose_name_plural = _("评议打分")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "member"], name="score_once_per_member_and_criterion"),
            models.CheckConstraint(condition=Q(score__lte=100), name="score_at_most_100"),
        ]
