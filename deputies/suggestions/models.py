"""Deputies' suggestions with pre-submission consultation (Art 13(1)-(2), 3(4)), leader-deputy contacts (Art 11(2))
and consultations on the street office's major measures (Art 11(1)).

Rows are keyed on the person (`User`) and the street; who is a deputy is an active `Membership(role=deputy)`.
Writes go through `deputies.suggestions.services`; the states and their moves live in `SUGGESTION_MOVES` there."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned

USER = settings.AUTH_USER_MODEL


class SuggestionState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    CONSULTING = "consulting", _("沟通协调中")
    SENT_BACK = "sent_back", _("退回修改")
    REVISED = "revised", _("已修改")
    SUBMITTED = "submitted", _("已提交")


class Suggestion(StreetOwned):
    """代表建议: drafted by a deputy, consulted on by the committee's staff (沟通协调), then submitted, which opens a
    case (channel `deputy_suggestion`) in the opinion-handling loop."""

    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("领衔代表"))
    title = models.CharField(_("标题"), max_length=100)
    category = models.CharField(_("类别"), max_length=50, blank=True, help_text=_("如“市政设施”“教育”。"))
    problem = models.TextField(_("存在的问题"))
    content = models.TextField(_("建议内容"), help_text=_("背景和理由。"))
    solution = models.TextField(_("解决办法"), help_text=_("具体、可行的措施。"))
    state = models.CharField(_("状态"), max_length=20, choices=SuggestionState.choices, default=SuggestionState.DRAFT)
    case = models.OneToOneField(
        "supervision.Opinion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办理件"),
    )
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("代表建议")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=SuggestionState.values), name="suggestion_state_valid"),
            models.CheckConstraint(
                condition=Q(state=SuggestionState.SUBMITTED, case__isnull=False, submitted_at__isnull=False)
                | (~Q(state=SuggestionState.SUBMITTED) & Q(case__isnull=True, submitted_at__isnull=True)),
                name="suggestion_submitted_has_case",
                violation_error_message=_("已提交的建议须有办理件，未提交的不能有。"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("suggestions:detail", args=[self.pk])


class CoSignerState(models.TextChoices):
    INVITED = "invited", _("已邀请")
    CONFIRMED = "confirmed", _("已确认附议")
    DECLINED = "declined", _("已谢绝")


class CoSigner(StreetOwned):
    """附议: a deputy invited by the author; their name appears only once they confirm on their own account."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="cosigners", verbose_name=_("代表建议")
    )
    deputy = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("附议代表"))
    state = models.CharField(_("状态"), max_length=20, choices=CoSignerState.choices, default=CoSignerState.INVITED)
    invited_at = models.DateTimeField(_("邀请时间"), default=timezone.now)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("附议")
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "deputy"], name="cosigner_once_per_suggestion"),
            models.CheckConstraint(condition=Q(state__in=CoSignerState.values), name="cosigner_state_valid"),
            models.CheckConstraint(
                condition=Q(state=CoSignerState.INVITED) | Q(answered_at__isnull=False),
                name="cosigner_answer_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.suggestion_id} · {self.deputy_id}"


EVENT_LABELS = {
    "create": _("起草"),
    "edit": _("修改"),
    "send": _("送工委沟通协调"),
    "comment": _("意见"),
    "send_back": _("退回修改"),
    "revise": _("提交修改稿"),
    "submit": _("正式提交"),
    "invite": _("邀请附议"),
    "cosign": _("确认附议"),
    "decline": _("谢绝附议"),
}


class SuggestionEvent(StreetOwned):
    """The suggestion's history: every move, every consultation comment (沟通协调意见), every co-sign answer."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="events", verbose_name=_("代表建议")
    )
    action = models.CharField(_("操作"), max_length=30)
    from_state = models.CharField(_("原状态"), max_length=20, choices=SuggestionState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=SuggestionState.choices)
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人"))
    consultation = models.BooleanField(
        _("沟通协调"), default=False, help_text=_("工委人员的沟通协调：意见或退回修改（第十三条第一款）。")
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("建议记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.suggestion_id} {self.action}"

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)


class LeaderBody(models.TextChoices):
    PARTY = "party", _("街道党工委")
    OFFICE = "office", _("街道办事处")
    DEPARTMENT = "department", _("有关部门")


class LeaderContact(StreetOwned):
    """两个联系 (Art 11(2)): a leader of the party committee, the street office or a department and the deputies
    they are assigned to stay in touch with. The leader is a person with an account, or a name and a title."""

    leader = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("领导（有账号）")
    )
    leader_name = models.CharField(_("领导姓名"), max_length=50)
    leader_title = models.CharField(_("职务"), max_length=100)
    body = models.CharField(_("所在单位"), max_length=20, choices=LeaderBody.choices, default=LeaderBody.OFFICE)
    deputies = models.ManyToManyField(USER, related_name="+", verbose_name=_("联系的代表"))
    since = models.DateField(_("联系起始日期"), default=timezone.localdate)

    class Meta:
        verbose_name = verbose_name_plural = _("领导班子成员联系代表")
        ordering = ["body", "leader_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["street", "leader_name", "leader_title"], name="leader_contact_unique"),
            models.CheckConstraint(condition=Q(body__in=LeaderBody.values), name="leader_contact_body_valid"),
        ]

    def __str__(self):
        return f"{self.leader_name}（{self.leader_title}）"

    def get_absolute_url(self):
        return reverse("suggestions:contact_detail", args=[self.pk])


class ContactKind(models.TextChoices):
    VISIT = "visit", _("走访")
    TALK = "talk", _("座谈")
    CALL = "call", _("电话联系")


class ContactRecord(StreetOwned):
    """One contact between the leader and an assigned deputy: date, way and topic."""

    contact = models.ForeignKey(
        LeaderContact, on_delete=models.CASCADE, related_name="records", verbose_name=_("联系关系")
    )
    deputy = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("代表"))
    on = models.DateField(_("日期"))
    kind = models.CharField(_("方式"), max_length=10, choices=ContactKind.choices)
    topic = models.CharField(_("内容"), max_length=200)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))

    class Meta:
        verbose_name = verbose_name_plural = _("联系记录")
        ordering = ["-on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=ContactKind.values), name="contact_kind_valid")]

    def __str__(self):
        return f"{self.on} {self.get_kind_display()} {self.topic}"


class MeasureConsultation(StreetOwned):
    """征求代表意见 (Art 11(1)): a major measure of the street office, the deputies asked, their opinions, and the
    office's response."""

    title = models.CharField(_("重大事项"), max_length=100)
    description = models.TextField(_("事项说明"))
    asked_on = models.DateField(_("征求日期"), default=timezone.localdate)
    reply_by = models.DateField(_("反馈截止"))
    deputies = models.ManyToManyField(USER, related_name="+", verbose_name=_("征求意见的代表"))
    response = models.TextField(_("街道办事处的采纳和反馈情况"), blank=True)
    responded_on = models.DateField(_("反馈日期"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人"))

    class Meta:
        verbose_name = verbose_name_plural = _("重大事项征求代表意见")
        ordering = ["-asked_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(reply_by__gte=models.F("asked_on")), name="consultation_reply_after"),
            models.CheckConstraint(
                condition=Q(response="", responded_on__isnull=True) | (~Q(response="") & Q(responded_on__isnull=False)),
                name="consultation_response_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("suggestions:consultation_detail", args=[self.pk])


class MeasureOpinion(StreetOwned):
    """A deputy's opinion on a measure; staff may turn it into a case in the loop."""

    consultation = models.ForeignKey(
        MeasureConsultation, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("征求意见")
    )
    deputy = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("代表"))
    content = models.TextField(_("意见"))
    at = models.DateTimeField(_("提出时间"), default=timezone.now)
    case = models.OneToOneField(
        "supervision.Opinion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办理件"),
    )

    class Meta:
        verbose_name = verbose_name_plural = _("代表意见")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.content[:30]
