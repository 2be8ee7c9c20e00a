"""The secret and verifiable ballot (DOMAIN.md "Ballots"; docs/architecture.md "Ballots").

Who took part (`Participation`, unique per ballot and voter) and how they voted (`Vote`) are stored apart: a vote
row holds its ballot and its choices, nothing else: a random UUID4 key, no time, no voter, no channel. The
receipt codes (`Receipt`) are a third table, also without any link to a vote. The ballot's log (`LogEntry`) is a
hash chain; the result (`Result`) is computed at close and never changed (a recount adds a version). On
PostgreSQL, triggers (migration 0002) refuse any change to a closed ballot's roll, participations, votes and
receipts, and any update or delete of results and log entries."""

import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from committee.ballots import rules
from committee.models import StreetOwned


class BallotState(models.TextChoices):
    DRAFT = "draft", _("未开始")
    OPEN = "open", _("投票中")
    COUNTING = "counting", _("投票结束，计票中")
    CLOSED = "closed", _("已结束")


class PaperMode(models.TextChoices):
    NONE = "none", _("不使用纸质选票")
    BALLOTS = "ballots", _("纸质选票逐张录入")
    COUNT_SHEET = "count_sheet", _("纸质选票当场计票，录入计票单")


class Channel(models.TextChoices):
    PHONE = "phone", _("手机投票")
    SLIP = "slip", _("凭条投票码")
    PAPER = "paper", _("纸质选票")


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Ballot(StreetOwned):
    """One vote: its questions, the roll of entitled voters (frozen when it opens), its channels and its rule."""

    title = models.CharField(_("表决事项"), max_length=200)
    rule = models.CharField(_("表决规则"), max_length=50)  # a name in committee.ballots.rules.RULES
    places = models.PositiveSmallIntegerField(_("名额"), null=True, blank=True)
    min_extra = models.PositiveSmallIntegerField(_("候选项目至少多于名额"), default=1)
    electronic = models.BooleanField(_("电子投票（手机或投票码）"), default=True)
    paper = models.CharField(_("纸质选票"), max_length=20, choices=PaperMode.choices, default=PaperMode.NONE)
    paper_spares = models.PositiveSmallIntegerField(_("备用纸质选票"), default=5)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    state = models.CharField(_("状态"), max_length=20, choices=BallotState.choices, default=BallotState.DRAFT)
    token = models.CharField(_("公开查询码"), max_length=32, unique=True, default=new_token)
    entitled = models.PositiveIntegerField(_("应参加投票人数"), null=True, blank=True)
    explanation = models.TextField(_("计票差异说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(_("开始投票时间"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    voting_ended_at = models.DateTimeField(_("投票结束时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("计票结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = _("投票表决")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["street", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=BallotState.values), name="ballot_state_valid"),
            models.CheckConstraint(condition=Q(paper__in=PaperMode.values), name="ballot_paper_mode_valid"),
            models.CheckConstraint(
                condition=Q(electronic=True) | ~Q(paper=PaperMode.NONE), name="ballot_has_a_channel"
            ),
            models.CheckConstraint(
                condition=Q(state=BallotState.DRAFT) | Q(opened_at__isnull=False, entitled__isnull=False),
                name="ballot_opened_has_roll",
            ),
            models.CheckConstraint(
                condition=~Q(state=BallotState.CLOSED) | Q(closed_at__isnull=False), name="ballot_closed_has_time"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ballots:detail", args=[self.pk])

    @property
    def engine_rule(self) -> rules.Rule:
        return rules.get(self.rule)

    @property
    def is_closed(self) -> bool:
        return self.state == BallotState.CLOSED

    @property
    def uses_paper(self) -> bool:
        return self.paper != PaperMode.NONE


class Question(StreetOwned):
    """One thing voted on: a candidate (approve 赞成/反对/弃权) or an item evaluated (满意/基本满意/不满意).
    `item` is the caller's own record (a candidate project), if any."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("序号"))
    label = models.CharField(_("名称"), max_length=300)
    item_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    item_id = models.PositiveBigIntegerField(null=True, blank=True)
    item = GenericForeignKey("item_type", "item_id")

    class Meta:
        verbose_name = verbose_name_plural = _("表决事项")
        ordering = ["ballot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "position"], name="question_position_unique"),
            models.CheckConstraint(condition=~Q(label=""), name="question_has_label"),
        ]

    def __str__(self):
        return self.label


class Voter(StreetOwned):
    """An entitled voter on a ballot's roll: an account, or a name only (then a one-time code on a printed slip,
    kept here as its SHA-256)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="voters")
    position = models.PositiveIntegerField(_("序号"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    slip_code_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = _("选民名单")
        ordering = ["ballot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "position"], name="voter_position_unique"),
            models.UniqueConstraint(
                fields=["ballot", "user"], condition=Q(user__isnull=False), name="voter_once_per_ballot"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="voter_has_name"),
        ]

    def __str__(self):
        return self.name


class Participation(StreetOwned):
    """That a voter took part, and by which channel: the phone, the slip code, or a paper ballot issued by a teller
    (then `issued_by`). Unique per ballot and voter: one voter, one vote across channels. No time is kept."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="participations")
    voter = models.OneToOneField(Voter, on_delete=models.PROTECT, related_name="participation")
    channel = models.CharField(_("方式"), max_length=20, choices=Channel.choices)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = _("参加投票记录")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "voter"], name="participation_once_per_voter"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="participation_channel_valid"),
            models.CheckConstraint(
                condition=~Q(channel=Channel.PAPER) | Q(issued_by__isnull=False), name="participation_paper_issuer"
            ),
        ]

    def __str__(self):
        return f"{self.voter} · {self.get_channel_display()}"


class Vote(models.Model):
    """An anonymous vote: its ballot and its choices (`{"<question position>": "<option code>"}`). Nothing else: a
    random key, no voter, no channel, no time. At close the engine rewrites a ballot's votes in random order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="votes")
    choices = models.JSONField()

    class Meta:
        verbose_name = verbose_name_plural = _("选票")

    def __str__(self):
        return str(self.id)


class Receipt(models.Model):
    """A receipt code: shown once to the electronic voter, or printed on a paper ballot's stub. Published after
    close (the voter's proof that their vote was recorded and counted); it never leads to the vote."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="receipts")
    code = models.CharField(_("回执码"), max_length=20)

    class Meta:
        verbose_name = verbose_name_plural = _("投票回执")
        constraints = [models.UniqueConstraint(fields=["ballot", "code"], name="receipt_code_unique")]

    def __str__(self):
        return self.code


class PaperState(models.TextChoices):
    PRINTED = "printed", _("未录入")
    VALID = "valid", _("有效票")
    INVALID = "invalid", _("无效票")


class PaperBallot(models.Model):
    """A printed paper ballot's code (on the ballot and on the stub the voter keeps). Only printed codes can be
    entered, each once: no ballot can be added that was not printed."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="paper_ballots")
    code = models.CharField(_("选票编号"), max_length=20)
    state = models.CharField(_("状态"), max_length=20, choices=PaperState.choices, default=PaperState.PRINTED)

    class Meta:
        verbose_name = verbose_name_plural = _("纸质选票")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "code"], name="paper_ballot_code_unique"),
            models.CheckConstraint(condition=Q(state__in=PaperState.values), name="paper_ballot_state_valid"),
        ]

    def __str__(self):
        return self.code


class CountSheet(StreetOwned):
    """The tellers' count of the paper ballots (计票单): returned, valid, invalid, each option's total per
    question, signed by the tellers (计票人) and scrutineers (监票人). A correction is a new version."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="count_sheets")
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    returned = models.PositiveIntegerField(_("收回选票"))
    valid = models.PositiveIntegerField(_("有效票"))
    invalid = models.PositiveIntegerField(_("无效票"))
    totals = models.JSONField(_("各项票数"))
    tellers = models.CharField(_("计票人"), max_length=200)
    scrutineers = models.CharField(_("监票人"), max_length=200)
    reason = models.TextField(_("更正原因"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("计票单")
        ordering = ["ballot", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "version"], name="count_sheet_version_unique"),
            models.CheckConstraint(
                condition=Q(returned=models.F("valid") + models.F("invalid")), name="count_sheet_adds_up"
            ),
            models.CheckConstraint(condition=Q(version=1) | ~Q(reason=""), name="count_sheet_correction_reason"),
        ]

    def __str__(self):
        return f"{self.ballot} · {self.version}"


class Result(StreetOwned):
    """The result the engine computed at close (version 1) or at a recount (version 2, 3, …, with its reason).
    Never updated or deleted (a database trigger on PostgreSQL)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="results")
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    counts = models.JSONField(_("清点"))
    totals = models.JSONField(_("各项票数"))
    outcome = models.JSONField(_("结果"))
    chain_hash = models.CharField(_("日志哈希"), max_length=64)
    reason = models.TextField(_("重新计票原因"), blank=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("表决结果")
        ordering = ["ballot", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "version"], name="result_version_unique"),
            models.CheckConstraint(condition=Q(version=1) | ~Q(reason=""), name="result_recount_has_reason"),
        ]

    def __str__(self):
        return f"{self.ballot} · {self.version}"


class LogEntry(models.Model):
    """One entry of a ballot's log, chained: `hash` = SHA-256 of the previous entry's hash, the sequence number,
    the kind and the canonical JSON of the payload (see `committee.ballots.chain`). Append-only."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="log")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    payload = models.JSONField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = _("投票日志")
        ordering = ["ballot", "seq"]
        constraints = [models.UniqueConstraint(fields=["ballot", "seq"], name="log_entry_seq_unique")]

    def __str__(self):
        return f"{self.seq} {self.kind}"
