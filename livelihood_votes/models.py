"""Livelihood projects (民生实事, Art 17, 4(8), 6(2)): the five lists.

征集单 a yearly `LivelihoodRound` per street collects `Candidate`s (public form, deputies, council members,
communities, departments), merged and screened into the published candidate list; 票决单 the round's vote is a
ballot of the engine (`committee.ballots`) at a council meeting, and the elected candidates become
`LivelihoodProject`s; 交办单 each project is assigned to a `HandlingUnit` with plan, budget, `Milestone`s and a
deadline (a PDF); 督办单 the unit's monthly `ProgressReport`, the supervisors' `SupervisionCheck`s with photos, a
督办函 for an overdue milestone; 测评单 an `Evaluation` (a satisfaction ballot at a council meeting) grades each
project (`EvaluationGrade`); 不满意 starts a `Rectification` with a new deadline, then a new evaluation."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned


def new_token() -> str:
    return secrets.token_urlsafe(12)


class LivelihoodRound(StreetOwned):
    """征集单's frame: one round a year per street, with its collection window and number of places."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    collection_starts = models.DateField(_("征集开始日期"))
    collection_ends = models.DateField(_("征集截止日期"))
    places = models.PositiveSmallIntegerField(_("拟票决项目数（名额）"), default=3)
    token = models.CharField(_("公开页标识"), max_length=32, unique=True, default=new_token)
    candidates_published_on = models.DateField(_("候选项目公布日期"), null=True, blank=True)
    vote_meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("票决会议"),
    )
    vote_ballot = models.OneToOneField(
        "ballots.Ballot", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("票决")
    )
    runoff_ballot = models.OneToOneField(
        "ballots.Ballot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("另行票决"),
        help_text=_("末位票数相同的项目超出名额时，对并列项目另行票决，确定剩余名额。"),
    )
    passed_published_on = models.DateField(_("票决结果公布日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("民生实事征集")
        ordering = ["-year", "street"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "year"],
                name="livelihood_round_one_per_street_year",
                violation_error_message=_("本街道该年度已有民生实事征集。"),
            ),
            models.CheckConstraint(
                condition=Q(collection_ends__gte=F("collection_starts")), name="livelihood_round_window_ordered"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="livelihood_round_places_positive"),
            models.CheckConstraint(
                condition=Q(vote_ballot__isnull=True) | Q(vote_meeting__isnull=False),
                name="livelihood_round_vote_at_meeting",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("livelihood_votes:round_detail", args=[self.pk])

    def is_collecting(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.candidates_published_on is None and self.collection_starts <= today <= self.collection_ends


class ProposerKind(models.TextChoices):
    RESIDENT = "resident", _("居民")
    DEPUTY = "deputy", _("人大代表")
    COUNCIL_MEMBER = "council_member", _("居民议事员")
    COMMUNITY = "community", _("社区")
    DEPARTMENT = "department", _("部门")


class Category(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    ENVIRONMENT = "environment", _("环境整治")
    ELDERLY = "elderly", _("养老服务")
    EDUCATION = "education", _("教育文体")
    HEALTH = "health", _("医疗卫生")
    SAFETY = "safety", _("平安建设")
    OTHER = "other", _("其他")


class Decision(models.TextChoices):
    PENDING = "pending", _("待筛选")
    ACCEPTED = "accepted", _("列入候选")
    REJECTED = "rejected", _("不予列入")
    MERGED = "merged", _("已合并")


class Candidate(StreetOwned):
    """A proposed project. Screening accepts it into the candidate list or rejects it with a reason; a duplicate is
    merged into another candidate. The vote's outcome (`vote_status`, `yes_votes`) is copied from the ballot."""

    round = models.ForeignKey(LivelihoodRound, on_delete=models.PROTECT, related_name="candidates")
    title = models.CharField(_("项目名称"), max_length=200)
    description = models.TextField(_("项目内容"))
    place = models.CharField(_("实施地点"), max_length=200, blank=True)
    estimated_budget = models.DecimalField(
        _("估算资金（万元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.OTHER)
    proposer_kind = models.CharField(_("提出方"), max_length=20, choices=ProposerKind.choices)
    proposer_name = models.CharField(_("提出人或单位"), max_length=100)
    proposer_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    decision = models.CharField(_("筛选结果"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(_("理由"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged", verbose_name=_("合并至")
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)
    vote_status = models.CharField(_("票决结果"), max_length=20, blank=True)
    yes_votes = models.PositiveIntegerField(_("赞成票"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("候选项目")
        ordering = ["round", "created_at", "pk"]
        indexes = [models.Index(fields=["round", "decision"], name="candidate_round_decision")]
        constraints = [
            models.CheckConstraint(condition=Q(decision__in=Decision.values), name="candidate_decision_valid"),
            models.CheckConstraint(condition=Q(proposer_kind__in=ProposerKind.values), name="candidate_kind_valid"),
            models.CheckConstraint(
                condition=~Q(decision=Decision.REJECTED) | ~Q(reason=""),
                name="candidate_rejected_has_reason",
                violation_error_message=_("不予列入须说明理由。"),
            ),
            models.CheckConstraint(
                condition=Q(decision=Decision.MERGED, merged_into__isnull=False)
                | (~Q(decision=Decision.MERGED) & Q(merged_into__isnull=True)),
                name="candidate_merged_has_target",
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="candidate_not_merged_into_itself"),
        ]

    def __str__(self):
        return self.title

    @property
    def vote_status_label(self) -> str:
        """通过（入选）, 末位票数相同，须另行票决 …: the engine's words for the vote's outcome."""
        from committee.ballots.rules import Status

        return str(Status.LABELS.get(self.vote_status, ""))


class ProjectKind(models.TextChoices):
    ANNUAL = "annual", _("民生实事")  # the five lists' project, voted in a round (Art 17)
    MICRO = "micro", _("民生微实事")  # a small project approved by the committee (Art 19(4))


class ProjectState(models.TextChoices):
    PROPOSED = "proposed", _("待评估")  # a micro project, not yet approved
    DECLINED = "declined", _("不予立项")
    PASSED = "passed", _("待交办")
    ASSIGNED = "assigned", _("实施中")
    RECTIFYING = "rectifying", _("整改中")
    FINISHED = "finished", _("已办结")


class LivelihoodProject(StreetOwned):
    """A passed candidate, supervised to the end: assigned (交办单), reported on (督办单), evaluated (测评单).
    Or a micro project (民生微实事, `kind` micro, no round): proposed, approved with a budget by the committee, then
    assigned, reported on and checked the same way, finished by the committee and rated by its proposer."""

    kind = models.CharField(_("类型"), max_length=10, choices=ProjectKind.choices, default=ProjectKind.ANNUAL)
    round = models.ForeignKey(LivelihoodRound, on_delete=models.PROTECT, null=True, blank=True, related_name="projects")
    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, null=True, blank=True, related_name="project")
    description = models.TextField(_("项目内容"), blank=True)
    place = models.CharField(_("实施地点"), max_length=200, blank=True)
    proposer_kind = models.CharField(_("提出方"), max_length=20, choices=ProposerKind.choices, blank=True)
    proposer_name = models.CharField(_("提出人或单位"), max_length=100, blank=True)
    proposer_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_on = models.DateField(_("提出日期"), null=True, blank=True)
    decline_reason = models.TextField(_("不予立项的理由"), blank=True)
    rating = models.PositiveSmallIntegerField(_("提出人评价（1–5星）"), null=True, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    title = models.CharField(_("项目名称"), max_length=200)
    rank = models.PositiveSmallIntegerField(_("票决排序"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=ProjectState.choices, default=ProjectState.PASSED)
    unit = models.ForeignKey(
        "supervision.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承办单位"),
    )
    plan = models.TextField(_("实施方案"), blank=True)
    budget = models.DecimalField(_("预算资金（万元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    assignment_document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="supervised_livelihood_projects", verbose_name=_("督办人")
    )
    featured = models.BooleanField(
        _("特色项目"), default=False, help_text=_("第十七条第三款：每年至少打造1个有特色、有成效的民生实事项目。")
    )
    token = models.CharField(_("公开页标识"), max_length=32, unique=True, default=new_token)
    finished_on = models.DateField(_("办结日期"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("民生实事项目")
        ordering = ["round", "rank", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ProjectState.values), name="project_state_valid"),
            models.CheckConstraint(
                condition=Q(kind=ProjectKind.ANNUAL, round__isnull=False, candidate__isnull=False)
                | Q(kind=ProjectKind.MICRO, round__isnull=True, candidate__isnull=True, proposed_on__isnull=False),
                name="project_annual_in_a_round_micro_proposed",
            ),
            models.CheckConstraint(
                condition=Q(kind=ProjectKind.MICRO) | ~Q(state__in=[ProjectState.PROPOSED, ProjectState.DECLINED]),
                name="project_only_micro_proposed_or_declined",
            ),
            models.CheckConstraint(
                condition=~Q(state=ProjectState.DECLINED) | ~Q(decline_reason=""),
                name="project_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5, state=ProjectState.FINISHED),
                name="project_rated_1_5_when_finished",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[ProjectState.PROPOSED, ProjectState.DECLINED, ProjectState.PASSED])
                | Q(unit__isnull=False, deadline__isnull=False, assigned_on__isnull=False),
                name="project_assigned_has_unit_and_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(state=ProjectState.FINISHED) | Q(finished_on__isnull=False),
                name="project_finished_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("livelihood_votes:project_detail", args=[self.pk])

    def get_public_url(self):
        return reverse("livelihood_votes:public_project", args=[self.token])

    @property
    def is_micro(self) -> bool:
        return self.kind == ProjectKind.MICRO

    @property
    def year(self) -> int:
        return self.round.year if self.round_id else self.proposed_on.year


class Milestone(StreetOwned):
    project = models.ForeignKey(LivelihoodProject, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("节点"), max_length=200)
    due_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    follow_up_document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = _("项目节点")
        ordering = ["project", "position"]
        constraints = [models.UniqueConstraint(fields=["project", "position"], name="milestone_position_unique")]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())


class ProgressReport(StreetOwned):
    """督办单: the unit's report of a month (one per project and month)."""

    project = models.ForeignKey(LivelihoodProject, on_delete=models.CASCADE, related_name="progress_reports")
    month = models.DateField(_("月份"), help_text=_("当月1日。"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    text = models.TextField(_("进展情况"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("月度进展")
        ordering = ["project", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"],
                name="progress_one_per_month",
                violation_error_message=_("本月进展已报送。"),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="progress_month_first_day"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_max_100"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.project}"


class SupervisionCheck(StreetOwned):
    """A supervisor's (deputy's or council member's) check on the spot: a duty record with photos."""

    project = models.ForeignKey(LivelihoodProject, on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField(_("督查日期"))
    findings = models.TextField(_("督查情况"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("督查记录")
        ordering = ["project", "-checked_on", "-pk"]

    def __str__(self):
        return f"{self.checked_on} {self.project}"


def photo_path(instance, filename):
    # Unguessable names; served only by livelihood_votes:photo after the project's visibility check.
    suffix = "." + filename.rsplit(".", 1)[1].lower()[:8] if "." in filename else ""
    return f"livelihood/{instance.street_id}/{secrets.token_hex(16)}{suffix}"


class CheckPhoto(StreetOwned):
    check_record = models.ForeignKey(SupervisionCheck, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to=photo_path)
    name = models.CharField(_("文件名"), max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = _("督查照片")
        ordering = ["check_record", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("livelihood_votes:photo", args=[self.pk])


class Evaluation(StreetOwned):
    """测评单: one satisfaction ballot at a council meeting over some of a round's projects."""

    round = models.ForeignKey(LivelihoodRound, on_delete=models.PROTECT, related_name="evaluations")
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="+")
    ballot = models.OneToOneField("ballots.Ballot", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("满意度测评")
        ordering = ["round", "pk"]

    def __str__(self):
        return self.ballot.title


class Grade(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class EvaluationGrade(StreetOwned):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="grades")
    project = models.ForeignKey(LivelihoodProject, on_delete=models.PROTECT, related_name="grades")
    grade = models.CharField(_("测评结果"), max_length=20, choices=Grade.choices)

    class Meta:
        verbose_name = verbose_name_plural = _("测评结果")
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "project"], name="grade_one_per_evaluation_project"),
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="grade_valid"),
        ]

    def __str__(self):
        return f"{self.project} {self.get_grade_display()}"


class Rectification(StreetOwned):
    """不满意 → the unit rectifies by a new deadline; a new evaluation follows."""

    grade = models.OneToOneField(EvaluationGrade, on_delete=models.PROTECT, related_name="rectification")
    project = models.ForeignKey(LivelihoodProject, on_delete=models.PROTECT, related_name="rectifications")
    requirements = models.TextField(_("整改要求"))
    deadline = models.DateField(_("整改期限"))
    done_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    done_report = models.TextField(_("整改情况"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("整改")
        ordering = ["project", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(done_report=""), name="rectification_done_has_report"
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.deadline}"
