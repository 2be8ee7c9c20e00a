"""Meetings (Chapter 3): committee meetings (Art 5) and residents' council meetings (Art 6), their participants,
agenda, sign-in, decisions, minutes, and the written opinions a council meeting adopts (Art 6(3), 13(3))."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned

# Art 5(1): the notice reaches every participant at least 10 days before the meeting.
NOTICE_DAYS = 10


class MeetingKind(models.TextChoices):
    COMMITTEE = "committee", _("工委会议")
    COUNCIL = "council", _("居民议事会会议")


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("拟定中")
    NOTIFIED = "notified", _("已发通知")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class Meeting(StreetOwned):
    """One meeting. Confirming it sends the notice (state notified); each reschedule bumps `version`, which is part
    of the notices' event keys, so the old notice and the new one are different events."""

    kind = models.CharField(_("会议类别"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    date = models.DateField(_("会议日期"))
    time = models.TimeField(_("开始时间"))
    place = models.CharField(_("地点"), max_length=200)
    state = models.CharField(_("状态"), max_length=20, choices=MeetingState.choices, default=MeetingState.DRAFT)
    version = models.PositiveSmallIntegerField(_("通知版本"), default=1)
    urgent_reason = models.TextField(
        _("紧急会议事由"), blank=True, help_text=_("不足10日通知的会议须由工委主任填写紧急事由。")
    )
    urgent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准紧急会议的主任"),
    )
    notice_sent_on = models.DateField(_("通知发出日期"), null=True, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("主持人"),
    )
    chair_delegated = models.BooleanField(_("受主任委托主持"), default=False)
    field_visit = models.ForeignKey(
        "activities.FieldVisit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("会前视察调研"),
    )
    minutes = models.TextField(_("会议纪要"), blank=True, help_text=_("每段一行；以“一、”开头的段落为一级标题。"))
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    notice_document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("会议")
        ordering = ["-date", "-time", "-pk"]
        indexes = [models.Index(fields=["street", "kind", "date"], name="meeting_street_kind_date")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=MeetingState.values), name="meeting_state_valid"),
            models.CheckConstraint(
                condition=Q(state=MeetingState.DRAFT) | Q(notice_sent_on__isnull=False),
                name="meeting_confirmed_has_notice_date",
            ),
            # Art 5(1): a short notice needs the director's recorded reason for an urgent meeting.
            models.CheckConstraint(
                condition=Q(notice_sent_on__isnull=True)
                | Q(notice_sent_on__lte=F("date") - datetime.timedelta(days=NOTICE_DAYS))
                | (~Q(urgent_reason="") & Q(urgent_by__isnull=False)),
                name="meeting_short_notice_has_urgent_reason",
                violation_error_message=_("不足10日通知的会议须由工委主任填写紧急会议事由。"),
            ),
            models.CheckConstraint(
                condition=~Q(state=MeetingState.CANCELLED) | ~Q(cancel_reason=""), name="meeting_cancel_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def latest_notice_date(self) -> datetime.date:
        return latest_notice_date(self.date)

    @property
    def is_short_notice(self) -> bool:
        return self.notice_sent_on is not None and self.notice_sent_on > self.latest_notice_date

    @property
    def is_council(self) -> bool:
        return self.kind == MeetingKind.COUNCIL

    def event_key(self, what: str = "notice") -> str:
        return f"meeting:{self.pk}:v{self.version}:{what}"

    def minutes_paragraphs(self) -> list[str]:
        return [line.strip() for line in self.minutes.splitlines() if line.strip()]


def latest_notice_date(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=NOTICE_DAYS)


class ParticipantGroup(models.TextChoices):
    MEMBER = "member", _("组成人员")
    ATTENDEE = "attendee", _("相关参会人员")


class Answer(models.TextChoices):
    PENDING = "pending", _("未答复")
    ATTEND = "attend", _("参会")
    LEAVE = "leave", _("请假")


class Participant(StreetOwned):
    """Someone asked to a meeting: a person with an account (notified, answers, signs in) or a name entered by hand."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("人员"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("单位职务"), max_length=100, blank=True)
    group = models.CharField(_("类别"), max_length=20, choices=ParticipantGroup.choices)
    answer = models.CharField(_("答复"), max_length=20, choices=Answer.choices, default=Answer.PENDING)
    leave_reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = _("参会人员")
        ordering = ["meeting", "-group", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="participant_once_per_meeting",
                violation_error_message=_("此人已在参会名单中。"),
            ),
            models.CheckConstraint(condition=Q(answer__in=Answer.values), name="participant_answer_valid"),
            models.CheckConstraint(condition=Q(group__in=ParticipantGroup.values), name="participant_group_valid"),
            models.CheckConstraint(
                condition=~Q(answer=Answer.LEAVE) | ~Q(leave_reason=""), name="participant_leave_has_reason"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="participant_has_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def present(self) -> bool:
        return self.signed_in_at is not None


class AgendaItem(StreetOwned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=300)

    class Meta:
        verbose_name = verbose_name_plural = _("议程")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title


def agenda_upload_to(instance, filename):
    import secrets

    suffix = filename.rsplit(".", 1)[-1][:10] if "." in filename else "bin"
    return f"meetings/{instance.street_id}/{secrets.token_hex(16)}.{suffix}"


class AgendaDocument(StreetOwned):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(_("文件"), upload_to=agenda_upload_to)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("会议材料")
        ordering = ["item", "pk"]

    def __str__(self):
        return self.name


class AgendaChange(StreetOwned):
    """A change to the agenda of a meeting whose notice went out: recorded (who, when, what changed), sent to the
    participants as a change notice, and the notice issued again as a new version of its PDF (`document`)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_changes")
    version = models.PositiveSmallIntegerField(_("通知版本"))
    summary = models.TextField(_("变更内容"))
    reason = models.CharField(_("变更说明"), max_length=300, blank=True)
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("重新印发的通知"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("变更人")
    )
    changed_at = models.DateTimeField(_("变更时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("议程变更")
        ordering = ["meeting", "changed_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(summary=""), name="agenda_change_has_summary")]

    def __str__(self):
        return self.summary[:40]

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()


class Decision(StreetOwned):
    """A decision recorded at a held meeting; a council meeting records none without a quorum (service)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("决定事项"))
    present = models.PositiveSmallIntegerField(_("到会人数"))
    members = models.PositiveSmallIntegerField(_("组成人员数"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("会议决定")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="decision_has_text"),
        ]

    def __str__(self):
        return self.text[:40]


class WrittenOpinion(StreetOwned):
    """An opinion adopted at a council meeting (Art 6(3)): issued as a 意见函 to its handling unit and opened as a
    case in the opinion-handling loop (`opinion` is that case)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="written_opinions")
    content = models.TextField(_("意见内容"))
    unit = models.ForeignKey(
        "supervision.HandlingUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("办理单位")
    )
    document = models.OneToOneField(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("意见函"),
    )
    opinion = models.OneToOneField(
        "supervision.Opinion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办理件"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("议事会书面意见")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(content=""), name="written_opinion_has_content"),
        ]

    def __str__(self):
        return self.content[:40]

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()
