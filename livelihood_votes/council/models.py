"""Members of the residents' council (Art 18(1)): the way in — application, the committee's first review, public
notice (公示) with objections, the party committee's confirmation — and the term an appointment grants."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned, mobile_validator


class Category(models.TextChoices):
    DEPUTY = "deputy", _("人大代表")
    CADRE = "cadre", _("街道和社区干部")
    NOTABLE = "notable", _("社会知名人士")
    RESIDENT = "resident", _("居民代表")


class Source(models.TextChoices):
    SELF_NOMINATION = "self_nomination", _("个人自荐")
    COMMUNITY = "community", _("社区推荐")
    UNIT = "unit", _("单位推荐")
    ELECTION = "election", _("选举产生")


class Tie(models.TextChoices):
    LIVES = "lives", _("在本街道居住")
    WORKS = "works", _("在本街道工作")


class MemberState(models.TextChoices):
    APPLIED = "applied", _("待初审")
    PASSED = "passed", _("初审通过，待公示")
    REJECTED = "rejected", _("未通过")
    ON_NOTICE = "on_notice", _("公示中")
    CONFIRMED = "confirmed", _("党工委已确认，待聘任")
    APPOINTED = "appointed", _("在任")
    ENDED = "ended", _("已离任")


# A person has at most one application or term in progress per street.
OPEN_STATES = (
    MemberState.APPLIED,
    MemberState.PASSED,
    MemberState.ON_NOTICE,
    MemberState.CONFIRMED,
    MemberState.APPOINTED,
)


def new_tracking_code() -> str:
    return "YS" + "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8))


class CouncilNotice(StreetOwned):
    """A public notice (公示) of the people who passed the first review, with its period and its PDF."""

    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示截止日期"))
    document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("公示")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布人")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("议事会成员人选公示")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="council_notice_ends_after_start"),
        ]

    def __str__(self):
        return _("%(street)s居民议事会成员人选公示（%(d)s）") % {"street": self.street, "d": self.starts_on}


class CouncilMember(StreetOwned):
    """One person's way into the council and, once appointed, their term (任期). A person (a `user` once they
    have an account, else known by their mobile number) has at most one of these open per street."""

    full_name = models.CharField(_("姓名"), max_length=50)
    mobile = models.CharField(_("手机号码"), max_length=11, validators=[mobile_validator])
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_terms",
        verbose_name=_("账号"),
    )
    birth_date = models.DateField(_("出生日期"))
    tie = models.CharField(_("与本街道的关系"), max_length=10, choices=Tie.choices)
    tie_since = models.DateField(_("居住或工作起始日期"))
    address = models.CharField(_("居住地址或工作单位"), max_length=200)
    category = models.CharField(_("成员类别"), max_length=20, choices=Category.choices)
    source = models.CharField(_("产生方式"), max_length=20, choices=Source.choices)
    recommended_by = models.CharField(_("推荐单位或社区"), max_length=100, blank=True)
    statement = models.TextField(_("个人简介及自荐理由"), blank=True)
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True, default=new_tracking_code)
    state = models.CharField(_("状态"), max_length=20, choices=MemberState.choices, default=MemberState.APPLIED)
    applied_on = models.DateField(_("申请日期"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    reviewed_on = models.DateField(_("初审日期"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("未通过原因"), blank=True)
    notice = models.ForeignKey(
        CouncilNotice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("公示"),
    )
    confirmed_on = models.DateField(_("党工委确认日期"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    term_starts_on = models.DateField(_("任期开始"), null=True, blank=True)
    term_ends_on = models.DateField(_("任期届满"), null=True, blank=True)
    membership = models.OneToOneField(
        "committee.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_term",
        verbose_name=_("角色任职"),
    )
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    end_reason = models.CharField(_("离任原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("居民议事会成员")
        ordering = ["street", "full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "mobile"],
                condition=Q(state__in=OPEN_STATES),
                name="council_member_one_open_per_mobile",
                violation_error_message=_("此人在本街道已有申请或任期。"),
            ),
            models.UniqueConstraint(
                fields=["street", "user"],
                condition=Q(state__in=OPEN_STATES, user__isnull=False),
                name="council_member_one_open_per_person",
                violation_error_message=_("此人在本街道已有申请或任期。"),
            ),
            models.CheckConstraint(
                condition=Q(birth_date__lt=F("applied_on")) & Q(tie_since__lte=F("applied_on")),
                name="council_member_dates_before_application",
            ),
            models.CheckConstraint(
                condition=~Q(state=MemberState.REJECTED) | ~Q(rejection_reason=""),
                name="council_member_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[MemberState.ON_NOTICE, MemberState.CONFIRMED, MemberState.APPOINTED])
                | Q(reviewed_on__isnull=False, notice__isnull=False),
                name="council_member_reviewed_and_noticed",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[MemberState.CONFIRMED, MemberState.APPOINTED])
                | Q(confirmed_on__isnull=False, confirmed_by__isnull=False),
                name="council_member_confirmed",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[MemberState.APPOINTED, MemberState.ENDED])
                | Q(term_starts_on__isnull=False, term_ends_on__isnull=False, membership__isnull=False),
                name="council_member_appointed_has_term",
            ),
            models.CheckConstraint(
                condition=Q(term_starts_on__isnull=True)
                | Q(term_ends_on__gt=F("term_starts_on"), term_starts_on__gte=F("applied_on")),
                name="council_member_term_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(state=MemberState.ENDED) | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="council_member_ended_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("term_starts_on"), ended_on__lte=F("term_ends_on")),
                name="council_member_ended_within_term",
            ),
        ]

    def __str__(self):
        return f"{self.full_name}（{self.get_state_display()}）"

    def get_absolute_url(self):
        return reverse("council:detail", args=[self.pk])

    def serving_on(self, day) -> bool:
        return (
            self.term_starts_on is not None
            and self.term_starts_on <= day
            and day < (self.ended_on or self.term_ends_on)
        )


class Objection(StreetOwned):
    """An objection received during the public notice, and how the committee handled it."""

    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="objections")
    content = models.TextField(_("异议内容"))
    received_on = models.DateField(_("收到日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    result = models.TextField(_("处理结果"), blank=True)
    upheld = models.BooleanField(_("异议成立"), default=False)
    handled_on = models.DateField(_("处理日期"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = _("公示异议")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(handled_on__isnull=True, result="", upheld=False)
                | (Q(handled_on__isnull=False, handled_by__isnull=False) & ~Q(result="")),
                name="council_objection_handled_has_result",
            ),
        ]

    def __str__(self):
        return _("对%(name)s的异议") % {"name": self.member.full_name}


class Training(StreetOwned):
    """A training of council members (Art 4(7))."""

    topic = models.CharField(_("培训主题"), max_length=200)
    held_on = models.DateField(_("培训日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    attendees = models.ManyToManyField(CouncilMember, related_name="trainings", verbose_name=_("参训成员"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = _("议事会成员培训")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} {self.topic}"
