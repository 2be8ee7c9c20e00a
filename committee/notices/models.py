"""Notices (an outbox: a row first, a task second) and reminders (deadlines that turn into notices).

See docs/architecture.md, "Notices and reminders"."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内")
    EMAIL = "email", _("邮件")
    SMS = "sms", _("短信")


class NoticeState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    CANCELLED = "cancelled", _("已取消")


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user):
        from committee.models import readable_street_ids

        return self.filter(street_id__in=readable_street_ids(user))

    def inbox(self, user):
        """The in-app notices a user has received, in streets they may still read."""
        return self.for_user(user).filter(recipient=user, channel=Channel.IN_APP, state=NoticeState.SENT)


class Notice(StreetOwned):
    """One message to one person over one channel about one event. The unique constraint makes a second
    notice for the same (event, recipient, channel, kind) impossible, whoever asks and however often."""

    kind = models.CharField(_("类别"), max_length=50)
    event_key = models.CharField(_("事项"), max_length=200, help_text=_("如“meeting:12:notice”。"))
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    reminder = models.ForeignKey(
        "notices.Reminder", on_delete=models.SET_NULL, null=True, blank=True, related_name="notices"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notices", verbose_name=_("接收人")
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    due_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    state = models.CharField(_("状态"), max_length=10, choices=NoticeState.choices, default=NoticeState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("失败原因"), blank=True)
    resent_count = models.PositiveSmallIntegerField(_("重发次数"), default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送于"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读于"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("签收于"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建于"), auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("通知")
        ordering = ["-due_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient", "channel", "kind"], name="notice_one_per_event_recipient_channel"
            ),
            models.CheckConstraint(condition=Q(state__in=NoticeState.values), name="notice_state_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="notice_channel_valid"),
            models.CheckConstraint(
                condition=~Q(state=NoticeState.SENT) | Q(sent_at__isnull=False), name="notice_sent_has_sent_at"
            ),
            models.CheckConstraint(
                condition=~Q(state=NoticeState.SENDING) | Q(claimed_at__isnull=False),
                name="notice_sending_has_claimed_at",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="notice_state_due"),
            models.Index(fields=["recipient", "channel", "state", "read_at"], name="notice_inbox"),
            models.Index(fields=["event_key"], name="notice_event"),
        ]

    def __str__(self):
        return f"{self.title} → {self.recipient_id} ({self.channel})"


class ReminderState(models.TextChoices):
    ACTIVE = "active", _("进行中")
    DONE = "done", _("已完成")


class ReminderStage(models.TextChoices):
    BEFORE = "before", _("到期前提醒")
    OVERDUE = "overdue", _("逾期提醒")


class Reminder(StreetOwned):
    """ "Remind these people N working days before this deadline, and again when it is overdue, until it is
    done." The sweep turns it into notices; `next_at` is when it next does."""

    key = models.CharField(_("标识"), max_length=200, unique=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("提醒对象"))
    deadline = models.DateField(_("期限"))
    days_before = models.PositiveSmallIntegerField(_("提前工作日数"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=ReminderState.choices, default=ReminderState.ACTIVE)
    stage = models.CharField(_("阶段"), max_length=10, choices=ReminderStage.choices, default=ReminderStage.BEFORE)
    next_at = models.DateTimeField(_("下次提醒"))
    overdue_count = models.PositiveSmallIntegerField(_("已发逾期提醒"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("期限提醒")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ReminderState.values), name="reminder_state_valid"),
            models.CheckConstraint(condition=Q(stage__in=ReminderStage.values), name="reminder_stage_valid"),
        ]
        indexes = [models.Index(fields=["state", "next_at"], name="reminder_state_next")]

    def __str__(self):
        return f"{self.title}（{self.deadline}）"


class NoticePreference(models.Model):
    """The channels a person chose besides the in-app inbox, which cannot be turned off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference", verbose_name=_("用户")
    )
    email_enabled = models.BooleanField(_("接收邮件通知"), default=True)
    sms_enabled = models.BooleanField(_("接收短信通知"), default=True)

    class Meta:
        verbose_name = verbose_name_plural = _("通知渠道设置")

    def __str__(self):
        return str(self.user)
