"""The deputies' roster (Art 4(4)): constituencies, deputies, their term events, and residents' messages to a
deputy through 码上找代表 (Art 11(6)).

A deputy's periods in office are their `Membership(role=deputy)` rows, which the term-event services keep in step:
`Deputy.objects.in_office(on=day)` reads them, so "who was a deputy on day D" has one answer across terms."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import Membership, StreetOwned, StreetScopedQuerySet
from committee.roles import Role
from supervision.models import mask_phone


class Level(models.TextChoices):
    NATIONAL = "national", _("全国人大代表")
    PROVINCIAL = "provincial", _("省人大代表")
    PREFECTURAL = "prefectural", _("湘潭市人大代表")
    MUNICIPAL = "municipal", _("湘乡市人大代表")
    TOWNSHIP = "township", _("乡镇人大代表")


class EndReason(models.TextChoices):
    RESIGNATION = "resignation", _("辞职")
    RECALL = "recall", _("罢免")
    DEATH = "death", _("去世")
    MOVED_AWAY = "moved_away", _("迁出")
    TERM_ENDED = "term_ended", _("届满")


class EventKind(models.TextChoices):
    ELECTION = "election", _("选举")
    BY_ELECTION = "by_election", _("补选")
    RECALL = "recall", _("罢免")
    RESIGNATION = "resignation", _("辞职")
    DEATH = "death", _("去世")
    MOVED_AWAY = "moved_away", _("迁出")
    TERM_ENDED = "term_ended", _("届满")


STARTING_EVENTS = (EventKind.ELECTION, EventKind.BY_ELECTION)


class Constituency(StreetOwned):
    """选区: the electoral district a municipal deputy is elected in."""

    number = models.PositiveSmallIntegerField(_("选区编号"))
    name = models.CharField(_("选区名称"), max_length=100)
    communities = models.CharField(_("覆盖社区"), max_length=300, blank=True, help_text=_("以顿号分隔。"))
    voters = models.PositiveIntegerField(_("选民人数"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("选区")
        ordering = ["street", "number"]
        constraints = [
            models.UniqueConstraint(fields=["street", "number"], name="constituency_number_unique_in_street"),
        ]

    def __str__(self):
        return _("第%(n)s选区（%(name)s）") % {"n": self.number, "name": self.name}


def _public_code() -> str:
    return secrets.token_urlsafe(6)


def deputy_memberships(on=None, *, until=None):
    """The one notion of a deputy in office: a `Membership(role=deputy)` held on the day (today by default) or,
    with `until`, at some time from `on` to `until`. `Deputy.objects.in_office` reads it for the roster; the duty
    records read it directly, since a person may be a deputy by membership alone (seeded at scale, imported)."""
    return Membership.objects.active(on=on, until=until).filter(role=Role.DEPUTY)


class DeputyQuerySet(StreetScopedQuerySet):
    def in_office(self, on=None, *, until=None):
        """Deputies holding office on a day (today by default), or with `until` at some time from `on` to
        `until`: those with a deputy membership in their street then. Rules judge on this."""
        held = deputy_memberships(on, until=until).filter(user_id=OuterRef("user_id"), street_id=OuterRef("street_id"))
        return self.filter(Exists(held))


def photo_path(instance, filename) -> str:
    return f"deputies/photos/{secrets.token_hex(12)}.{filename.rsplit('.', 1)[-1].lower()[:5]}"


class Deputy(StreetOwned):
    """A deputy: one person, one identity across terms. `ended_on`/`end_reason` describe the current state."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deputy", verbose_name=_("人员")
    )
    level = models.CharField(_("代表层级"), max_length=12, choices=Level.choices, default=Level.MUNICIPAL)
    constituency = models.ForeignKey(
        Constituency, on_delete=models.PROTECT, null=True, blank=True, related_name="deputies", verbose_name=_("选区")
    )
    congress = models.CharField(_("届别"), max_length=60, help_text=_("如“湘乡市第十八届人民代表大会”。"))
    sector = models.CharField(_("界别/职业"), max_length=60, blank=True)
    leader_cadre = models.BooleanField(_("领导干部代表"), default=False, help_text=_("第十六条第一项。"))
    photo = models.ImageField(_("照片"), upload_to=photo_path, blank=True)
    profile = models.TextField(_("简介"), max_length=500, blank=True)
    reception_days = models.CharField(_("接待日"), max_length=100, blank=True, help_text=_("如“每月第一个周三上午”。"))
    end_reason = models.CharField(_("终止原因"), max_length=12, choices=EndReason.choices, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    public_code = models.CharField(max_length=12, unique=True, default=_public_code, editable=False)

    objects = DeputyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("人大代表")
        ordering = ["street", "user__full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_reason="", ended_on__isnull=True) | (~Q(end_reason="") & Q(ended_on__isnull=False)),
                name="deputy_ended_has_reason_and_date",
            ),
        ]

    def __str__(self):
        return self.user.full_name

    def get_absolute_url(self):
        return reverse("deputies:detail", args=[self.pk])

    def public_url(self):
        return reverse("deputies:public", args=[self.public_code])

    @property
    def in_office(self) -> bool:
        return not self.end_reason


def document_path(instance, filename) -> str:
    return f"deputies/term-events/{secrets.token_hex(12)}.{filename.rsplit('.', 1)[-1].lower()[:5]}"


class TermEvent(StreetOwned):
    """An election, by-election, recall, resignation… and its effect on the roster (the deputy membership)."""

    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="events", verbose_name=_("代表"))
    kind = models.CharField(_("事项"), max_length=12, choices=EventKind.choices)
    on = models.DateField(_("日期"))
    congress = models.CharField(_("届别"), max_length=60, blank=True)
    votes_for = models.PositiveIntegerField(_("得票数"), null=True, blank=True)
    votes_cast = models.PositiveIntegerField(_("投票人数"), null=True, blank=True)
    document = models.FileField(_("文件"), upload_to=document_path, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("代表任职变动")
        ordering = ["deputy", "on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="term_event_kind_valid"),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True)
                | Q(votes_cast__isnull=True)
                | Q(votes_for__lte=models.F("votes_cast")),
                name="term_event_votes_for_within_cast",
            ),
        ]

    def __str__(self):
        return f"{self.deputy} · {self.get_kind_display()} · {self.on}"

    @property
    def starts_term(self) -> bool:
        return self.kind in STARTING_EVENTS

    @property
    def effect(self) -> str:
        return _("自该日起列入代表名册") if self.starts_term else _("自该日起不再列入代表名册")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


def message_photo_path(instance, filename) -> str:
    return f"deputies/messages/{secrets.token_hex(12)}.{filename.rsplit('.', 1)[-1].lower()[:5]}"


def _tracking_code() -> str:
    return "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10))


class ResidentMessage(StreetOwned):
    """A resident's message to a deputy from the deputy's public page (码上找代表, Art 11(6))."""

    deputy = models.ForeignKey(Deputy, on_delete=models.PROTECT, related_name="messages", verbose_name=_("代表"))
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True, default=_tracking_code, editable=False)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    content = models.TextField(_("留言内容"), max_length=2000)
    photo = models.ImageField(_("照片"), upload_to=message_photo_path, blank=True)
    created_at = models.DateTimeField(_("留言时间"), default=timezone.now)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opinion = models.OneToOneField(
        "supervision.Opinion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转入办理的意见建议"),
    )
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("群众留言")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["deputy", "answered_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="", answered_at__isnull=True) | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="resident_message_answer_has_time",
            ),
            models.CheckConstraint(
                condition=Q(rating="") | ~Q(answer=""), name="resident_message_rated_only_when_answered"
            ),
        ]

    def __str__(self):
        return self.tracking_code

    def get_absolute_url(self):
        return reverse("deputies:message", args=[self.pk])

    def tracking_url(self):
        return reverse("deputies:track", args=[self.tracking_code])

    @property
    def waiting(self) -> bool:
        return not self.answer and self.opinion_id is None

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class PosterState(models.TextChoices):
    PENDING = "pending", _("等待生成")
    RENDERING = "rendering", _("正在生成")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


def poster_path(instance, filename) -> str:
    return f"deputies/posters/{secrets.token_urlsafe(16)}.pdf"


class PosterBatch(StreetOwned):
    """A printable A4 码上找代表 poster PDF (QR code, photo, name): one deputy's, or every in-office deputy's of a
    street (one page each). A row first, rendered by the worker (`deputies.render_posters`)."""

    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, null=True, blank=True, related_name="posters", verbose_name=_("代表")
    )
    state = models.CharField(_("状态"), max_length=10, choices=PosterState.choices, default=PosterState.PENDING)
    pages = models.PositiveIntegerField(_("页数"), default=0)
    file = models.FileField(upload_to=poster_path, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("码上找代表海报")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=PosterState.values), name="poster_state_valid"),
            models.CheckConstraint(condition=~Q(state="done") | ~Q(file=""), name="poster_done_has_file"),
        ]

    def __str__(self):
        return str(self.deputy or self.street)
