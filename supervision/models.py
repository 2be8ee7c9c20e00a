"""The opinion-handling loop (意见建议办理): handling units, cases, their events, replies and commitments.

Other apps never write these models: they call `supervision.services` (see docs/architecture.md,
"The opinion-handling loop"). The states and the legal moves between them live in `supervision.transitions`.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned, StreetScopedQuerySet

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from a slip


def new_tracking_code() -> str:
    """10 characters from 32: 50 bits, unguessable, short enough to read over the phone."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


class UnitKind(models.TextChoices):
    OFFICE = "office", _("街道办事处")
    DEPARTMENT = "department", _("工作机构")
    DISPATCHED = "dispatched_agency", _("派驻机构")
    HIGHER = "higher_authority", _("上级机关")


class HandlingUnit(StreetOwned):
    """办理单位: the street office, its departments, units dispatched by higher authorities, higher authorities."""

    name = models.CharField(_("单位名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    active = models.BooleanField(_("在用"), default=True, help_text=_("停用的单位不再接受交办，历史件保留。"))

    class Meta:
        verbose_name = verbose_name_plural = _("办理单位")
        ordering = ["street", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name"],
                name="handling_unit_name_unique_in_street",
                violation_error_message=_("本街道已有同名的办理单位。"),
            ),
            models.CheckConstraint(condition=Q(kind__in=UnitKind.values), name="handling_unit_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("supervision:unit_detail", args=[self.pk])


class HandlingUnitMember(StreetOwned):
    """A person with the `handling_unit` role belongs to exactly one unit; their case queries are scoped by it."""

    unit = models.ForeignKey(HandlingUnit, on_delete=models.CASCADE, related_name="members", verbose_name=_("单位"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="handling_unit_member", verbose_name=_("人员")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("办理单位人员")
        ordering = ["unit", "user"]

    def __str__(self):
        return f"{self.unit} · {self.user}"


class Channel(models.TextChoices):
    RECEPTION = "reception", _("联络站接待")
    QR_CONTACT = "qr_contact", _("码上找代表")
    HOTLINE = "hotline_12345", _("12345热线")
    SNAPSHOT = "snapshot", _("随手拍")
    COUNCIL_MEETING = "council_meeting", _("居民议事会议")
    SPECIAL_WORK_REPORT = "special_work_report", _("专项工作报告")
    FIELD_VISIT = "field_visit", _("视察调研")
    ENFORCEMENT_INSPECTION = "enforcement_inspection", _("执法检查")
    DEPUTY_SUGGESTION = "deputy_suggestion", _("代表建议")
    OTHER = "other", _("其他")


class ProposerKind(models.TextChoices):
    RESIDENT = "resident", _("群众")
    DEPUTY = "deputy", _("人大代表")
    COUNCIL_MEMBER = "council_member", _("居民议事员")
    OTHER = "other", _("其他")


class State(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ANSWERED = "answered_on_spot", _("当场答复")
    ASSIGNED = "assigned", _("已交办")
    ESCALATED = "escalated", _("已提交市人大常委会")
    CONVERTED = "converted", _("已转为代表建议")
    RETURNED = "returned", _("退回待重新交办")
    ACCEPTED = "accepted", _("已签收")
    IN_PROGRESS = "in_progress", _("办理中")
    REPLIED = "replied", _("已答复")
    RATED = "rated", _("已评价")
    CLOSED = "closed", _("已办结")


# Cases a unit is working on: they have a unit and a deadline, they can be overdue.
OPEN_WITH_UNIT = (State.ASSIGNED, State.ACCEPTED, State.IN_PROGRESS)
# Cases not finished (a unit with one of these cannot be deleted).
OPEN_STATES = (State.REGISTERED, State.RETURNED, *OPEN_WITH_UNIT, State.REPLIED, State.RATED)
# States reached with a written reply in hand.
REPLIED_STATES = (State.REPLIED, State.RATED, State.CLOSED)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class ReplyClass(models.TextChoices):
    A = "A", _("A类：已解决")
    B = "B", _("B类：正在解决")
    C = "C", _("C类：列入计划解决")
    D = "D", _("D类：因条件限制暂不能解决，已作解释")


class OpinionQuerySet(StreetScopedQuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(state__in=OPEN_WITH_UNIT, deadline__lt=today)


class Opinion(StreetOwned):
    """意见建议: one case, whatever channel it came through, handled to the end."""

    channel = models.CharField(_("来源渠道"), max_length=30, choices=Channel.choices)
    category = models.CharField(_("类别"), max_length=50, blank=True, help_text=_("如“市政设施”“环境卫生”。"))
    content = models.TextField(_("内容"))
    proposer_kind = models.CharField(
        _("提出人身份"), max_length=20, choices=ProposerKind.choices, default=ProposerKind.RESIDENT
    )
    proposer_name = models.CharField(_("提出人"), max_length=50, blank=True)
    proposer_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    proposer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提出人账号"),
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.REGISTERED)
    unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("办理单位"),
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1, help_text=_("2 为二次办理。"))
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    reply_class = models.CharField(_("答复类别"), max_length=1, choices=ReplyClass.choices, blank=True)
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True, default=new_tracking_code)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("意见建议")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=State.values), name="opinion_state_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="opinion_channel_valid"),
            models.CheckConstraint(
                condition=Q(rating="") | Q(rating__in=Rating.values), name="opinion_rating_valid_or_blank"
            ),
            models.CheckConstraint(
                condition=Q(reply_class="") | Q(reply_class__in=ReplyClass.values), name="opinion_reply_class_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=OPEN_WITH_UNIT) | Q(unit__isnull=False, deadline__isnull=False),
                name="opinion_assigned_has_unit_and_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=REPLIED_STATES) | Q(replied_on__isnull=True) | ~Q(reply_class=""),
                name="opinion_reply_has_class",
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="opinion_round_positive"),
            models.CheckConstraint(
                condition=~Q(state=State.CLOSED) | Q(closed_on__isnull=False), name="opinion_closed_has_date"
            ),
        ]
        indexes = [
            models.Index(fields=["street", "state"], name="opinion_street_state"),
            models.Index(fields=["unit", "state"], name="opinion_unit_state"),
            models.Index(fields=["state", "deadline"], name="opinion_state_deadline"),
            models.Index(fields=["source_type", "source_id"], name="opinion_source"),
            models.Index(fields=["proposer_user"], name="opinion_proposer_user"),
            models.Index(fields=["street", "-created_at"], name="opinion_street_created"),
            # The city-wide case list, newest first: walked in order, filtered by street, stopped at a page.
            models.Index(fields=["-created_at", "-id"], name="opinion_created"),
        ]

    def __str__(self):
        return _("意见建议 %(code)s") % {"code": self.tracking_code}

    def get_absolute_url(self):
        return reverse("supervision:opinion_detail", args=[self.pk])

    @property
    def title(self) -> str:
        text = " ".join(self.content.split())
        return text if len(text) <= 30 else text[:30] + "…"

    @property
    def is_overdue(self) -> bool:
        return self.state in OPEN_WITH_UNIT and self.deadline is not None and self.deadline < timezone.localdate()

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.proposer_phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.proposer_name)


def mask_phone(phone: str) -> str:
    """138****5678: lists never show a whole number."""
    if not phone:
        return ""
    if len(phone) >= 7:
        return phone[:3] + "****" + phone[-4:]
    return "*" * len(phone)


def mask_name(name: str) -> str:
    """张* / 欧阳**: the surname only."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


class OpinionEvent(StreetOwned):
    """One recorded step of a case: who, when, from which state to which, and why. Never edited."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="events", verbose_name=_("意见建议"))
    action = models.CharField(_("操作"), max_length=30)
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices)
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_label = models.CharField(
        _("操作人"), max_length=50, blank=True, help_text=_("无账号时的操作人，如“提出人”。")
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.opinion_id} {self.from_state}→{self.to_state}"

    @property
    def actor(self) -> str:
        return str(self.by) if self.by_id else (self.actor_label or _("系统"))


class FaceToFaceMeeting(StreetOwned):
    """见面沟通 (Art 13(4)): the unit met the proposer."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("意见建议"))
    met_at = models.DateTimeField(_("沟通时间"))
    place = models.CharField(_("地点"), max_length=100)
    participants = models.CharField(_("参加人员"), max_length=200)
    summary = models.TextField(_("沟通情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("见面沟通")
        ordering = ["met_at", "pk"]

    def __str__(self):
        return f"{self.opinion} {self.met_at:%Y-%m-%d}"


class Reply(StreetOwned):
    """书面答复: one per handling round."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="replies", verbose_name=_("意见建议"))
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    reply_class = models.CharField(_("答复类别"), max_length=1, choices=ReplyClass.choices)
    body = models.TextField(_("答复内容"))
    replied_on = models.DateField(_("答复日期"))
    unit = models.ForeignKey(HandlingUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("答复单位"))
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices, blank=True)
    rating_note = models.TextField(_("评价意见"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("书面答复")
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "round"], name="reply_one_per_round"),
            models.CheckConstraint(condition=Q(reply_class__in=ReplyClass.values), name="reply_class_valid"),
        ]

    def __str__(self):
        return f"{self.opinion} #{self.round} {self.reply_class}"


class Commitment(StreetOwned):
    """答复承诺事项: one line of the checklist, tracked until done (清单管理)."""

    opinion = models.ForeignKey(
        Opinion, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("意见建议")
    )
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("答复"))
    description = models.CharField(_("承诺事项"), max_length=200)
    due_on = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    evidence = models.TextField(_("完成情况"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = _("承诺事项")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(evidence=""), name="commitment_done_has_evidence"
            ),
        ]

    def __str__(self):
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


def attachment_path(instance, filename):
    # Unguessable names; files are served only through supervision:attachment (scoped).
    suffix = ""
    if "." in filename:
        suffix = "." + filename.rsplit(".", 1)[1].lower()[:8]
    return f"supervision/{instance.street_id}/{secrets.token_hex(16)}{suffix}"


class AttachmentRole(models.TextChoices):
    OPINION = "opinion", _("意见材料")
    REPLY = "reply", _("答复材料")
    EVIDENCE = "evidence", _("完成佐证")


class Attachment(StreetOwned):
    """A photo or document of a case, its reply, or a commitment's evidence."""

    opinion = models.ForeignKey(
        Opinion, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("意见建议")
    )
    role = models.CharField(_("类别"), max_length=10, choices=AttachmentRole.choices, default=AttachmentRole.OPINION)
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("supervision:attachment", args=[self.pk])
