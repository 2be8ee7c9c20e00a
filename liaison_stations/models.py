"""Chapter 6: the liaison station network (Art 14(1)), the people who run a station (14(2)), receptions with
their receivers (14(4), 15, 16) and the visitor register (whose matters go into the handling loop)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from committee.models import StreetOwned


def _public_code() -> str:
    return "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10))


class StationKind(models.TextChoices):
    STREET = "street", _("街道代表联络站")
    CONSTITUENCY = "constituency", _("选区联络点")
    AREA = "area", _("片区联络点")
    PARK = "park", _("园区联络点")
    INDUSTRY = "industry", _("行业联络点")
    SUPPLY_CHAIN = "supply_chain", _("产业链联络点")
    ONLINE = "online", _("网上联络站")


class LiaisonStation(StreetOwned):
    """代表联络站: the street's own station or one of its extensions."""

    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=20, choices=StationKind.choices, default=StationKind.STREET)
    address = models.CharField(_("地址"), max_length=200, blank=True, help_text=_("网上联络站填写网址或公众号。"))
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    contact = models.CharField(_("联系人及电话"), max_length=100, blank=True)
    party_contact_point = models.BooleanField(_("兼作党建联系点"), default=False)
    legislative_contact_point = models.BooleanField(_("兼作基层立法联系点"), default=False)
    budget_contact_point = models.BooleanField(_("兼作预算审查监督联系点"), default=False)
    deputies = models.ManyToManyField(
        "deputies.Deputy", blank=True, related_name="stations", verbose_name=_("进站代表")
    )
    public_code = models.CharField(max_length=12, unique=True, default=_public_code, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = _("代表联络站")
        ordering = ["street", "kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="station_name_unique_in_street"),
            models.UniqueConstraint(
                fields=["street"], condition=Q(kind="street"), name="station_one_street_station_per_street"
            ),
            models.CheckConstraint(condition=Q(kind__in=StationKind.values), name="station_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stations:detail", args=[self.pk])

    def public_url(self):
        return reverse("stations:public", args=[self.public_code])


class StationRoleKind(models.TextChoices):
    MASTER = "master", _("站长")
    DEPUTY_MASTER = "deputy_master", _("副站长")
    ROTATING_DEPUTY_MASTER = "rotating", _("轮值副站长")
    LIAISON_OFFICER = "officer", _("联络员")


class StationRole(StreetOwned):
    """Who holds which post at a station, from a day (and, for a rotating deputy master, to a day)."""

    station = models.ForeignKey(LiaisonStation, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("职务"), max_length=20, choices=StationRoleKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("人员")
    )
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("联络站职务")
        ordering = ["station", "kind", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=StationRoleKind.values), name="station_role_kind_valid"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="station_role_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.person}"


class ReceiverKind(models.TextChoices):
    """Who receives at a reception. The officials' kinds stand for "两官一长一员" (judge, prosecutor, police station
    head, justice / mediation officer); which a monthly reception needs is `STATIONS_RECEPTION_COMPOSITION`."""

    DEPUTY = "deputy", _("人大代表")
    LEADER_CADRE = "leader_cadre", _("领导干部")
    STATE_ORGAN = "state_organ", _("国家机关工作人员")
    JUDGE = "judge", _("法官")
    PROSECUTOR = "prosecutor", _("检察官")
    POLICE = "police", _("派出所所长")
    JUSTICE = "justice", _("司法所（调解）员")


class ActivityKind(models.TextChoices):
    """What a reception day is (§3): the monthly "1+4" reception (14(4)), the half-yearly themed activity with
    deputies gathered at the station (14(5)), a gathering of deputies of all levels (15(1)), or state organ staff
    briefing deputies and residents (16(2))."""

    RECEPTION = "reception", _("月度接待群众")
    THEMED = "themed", _("代表集中进站主题活动")
    ALL_LEVELS = "all_levels", _("各级代表集中进站活动")
    BRIEFING = "briefing", _("国家机关工作人员进站通报")


class Reception(StreetOwned):
    """接待日: a station receives the public at a time, on a theme, with its receivers."""

    station = models.ForeignKey(
        LiaisonStation, on_delete=models.PROTECT, related_name="receptions", verbose_name=_("联络站")
    )
    starts_at = models.DateTimeField(_("接待时间"))
    theme = models.CharField(_("主题"), max_length=100, blank=True)
    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices, default=ActivityKind.RECEPTION)
    summary = models.TextField(_("接待小结"), blank=True)
    reported_at = models.DateTimeField(_("小结登记时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = _("接待日")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["street", "starts_at"], name="reception_street_starts")]
        constraints = [models.CheckConstraint(condition=Q(kind__in=ActivityKind.values), name="reception_kind_valid")]

    def __str__(self):
        return f"{self.station} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("stations:reception", args=[self.pk])


class Receiver(StreetOwned):
    """One receiver of a reception: a person with an account (deputies, cadres) or an official named as text.
    `attended` is recorded after the day (None: not yet recorded); a deputy who came has a duty record."""

    reception = models.ForeignKey(Reception, on_delete=models.CASCADE, related_name="receivers")
    kind = models.CharField(_("身份"), max_length=20, choices=ReceiverKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    organisation = models.CharField(_("单位"), max_length=100, blank=True)
    attended = models.BooleanField(_("到场"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("接待人员")
        ordering = ["reception", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ReceiverKind.values), name="receiver_kind_valid"),
            models.UniqueConstraint(
                fields=["reception", "person"], condition=Q(person__isnull=False), name="receiver_once_per_reception"
            ),
        ]
        indexes = [models.Index(fields=["person", "attended"], name="receiver_person_attended")]

    def __str__(self):
        return self.name


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Visit(StreetOwned):
    """来访登记: one visitor's matter at a reception, in their own words; answered on the spot (`answer`) or
    passed into the handling loop (`opinion`), never both."""

    reception = models.ForeignKey(Reception, on_delete=models.PROTECT, related_name="visits", verbose_name=_("接待日"))
    number = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("来访人"), max_length=50)
    sex = models.CharField(_("性别"), max_length=6, choices=Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(_("年龄"), null=True, blank=True)
    address = models.CharField(_("住址或选区"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    confidential = models.BooleanField(_("要求保密"), default=False)
    matter = models.TextField(_("反映事项（原话）"))
    category = models.CharField(_("类别"), max_length=50, blank=True)
    answer = models.TextField(_("当场答复"), blank=True)
    opinion = models.OneToOneField(
        "supervision.Opinion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转办件"),
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = verbose_name_plural = _("来访登记")
        ordering = ["reception", "number"]
        constraints = [
            models.UniqueConstraint(fields=["reception", "number"], name="visit_number_unique_in_reception"),
            models.CheckConstraint(condition=Q(answer="") | Q(opinion__isnull=True), name="visit_answered_or_passed"),
        ]
        indexes = [models.Index(fields=["street", "-registered_at"], name="visit_street_registered")]

    def __str__(self):
        return _("来访 %(n)d 号") % {"n": self.number}


# --- The duty rota and its swaps (Art 14(4), DOMAIN.md "a yearly duty rota") ----------------------------------


class RotaSlot(StreetOwned):
    """值班安排: one deputy on duty at a station on a reception date of the year's rota. Planning the reception of
    that date starts from its slots; an approved swap changes the slot's deputy."""

    station = models.ForeignKey(LiaisonStation, on_delete=models.CASCADE, related_name="rota", verbose_name=_("联络站"))
    on_date = models.DateField(_("接待日期"))
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="rota_slots", verbose_name=_("值班代表")
    )

    class Meta:
        verbose_name = verbose_name_plural = _("值班安排")
        ordering = ["station", "on_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["station", "on_date", "deputy"], name="rota_slot_once_per_day"),
        ]
        indexes = [models.Index(fields=["deputy", "on_date"], name="rota_slot_deputy_date")]

    def __str__(self):
        return f"{self.station} {self.on_date:%Y-%m-%d} {self.deputy}"


class SwapState(models.TextChoices):
    ASKED = "asked", _("待对方同意")
    AGREED = "agreed", _("待工委审批")
    DECLINED = "declined", _("对方未同意")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_SWAP_STATES = (SwapState.ASKED, SwapState.AGREED)


class SwapRequest(StreetOwned):
    """换班申请: the deputy of `slot` asks `partner` (a deputy of the same station) to take it over, or, with
    `partner_slot`, to exchange it for one of the partner's own. The partner agrees or declines, staff approve."""

    slot = models.ForeignKey(RotaSlot, on_delete=models.CASCADE, related_name="swaps", verbose_name=_("值班安排"))
    partner = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="+", verbose_name=_("换班代表")
    )
    partner_slot = models.ForeignKey(
        RotaSlot,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("对方的值班安排"),
        help_text=_("留空：对方替班；选择：两人互换。"),
    )
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=SwapState.choices, default=SwapState.ASKED)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("对方答复时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("换班申请")
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=SwapState.values), name="swap_state_valid"),
            models.UniqueConstraint(
                fields=["slot"], condition=Q(state__in=["asked", "agreed"]), name="swap_one_open_per_slot"
            ),
            models.CheckConstraint(condition=~Q(partner_slot=models.F("slot")), name="swap_two_different_slots"),
        ]
        indexes = [models.Index(fields=["partner", "state"], name="swap_partner_state")]

    def __str__(self):
        return f"{self.slot} → {self.partner}"

    def get_absolute_url(self):
        return reverse("stations:swap", args=[self.pk])


# --- Photos of a reception day (Art 14(4): the reception record) ------------------------------------------------


def photo_path(photo: "ReceptionPhoto", filename: str) -> str:
    return f"stations/{photo.street_id}/{photo.reception_id}/{filename}"


class ReceptionPhoto(StreetOwned):
    """A photo of a reception day, uploaded after it started by staff or its receivers; stored re-encoded (no
    metadata) with a small thumbnail, served only through the scoped photo view."""

    reception = models.ForeignKey(Reception, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to=photo_path)
    thumbnail = models.FileField(upload_to=photo_path)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("接待照片")
        ordering = ["reception", "uploaded_at", "pk"]

    def __str__(self):
        return self.caption or self.image.name.rsplit("/", 1)[-1]


# --- Plans, operating rules and training (Art 14(3)) ------------------------------------------------------


class ActivityPlan(StreetOwned):
    """年度活动计划: a station's plan for one year, its items by month. `created_at` is when it was first saved
    (rule 14(3) wants the street station's plan by STATIONS_PLAN_DUE)."""

    station = models.ForeignKey(
        LiaisonStation, on_delete=models.PROTECT, related_name="plans", verbose_name=_("联络站")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    notes = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("制定时间"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("年度活动计划")
        ordering = ["-year", "station", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["station", "year"], name="activity_plan_one_per_station_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="activity_plan_year_valid"),
        ]

    def __str__(self):
        return _("%(station)s %(year)d年活动计划") % {"station": self.station, "year": self.year}

    def get_absolute_url(self):
        return reverse("stations:plan", args=[self.pk])


class PlanItemKind(models.TextChoices):
    RECEPTION = "reception", _("接待选民")
    THEMED = "themed", _("主题活动")
    TRAINING = "training", _("培训")


class PlanItem(StreetOwned):
    """One line of a plan: what is planned in which month."""

    plan = models.ForeignKey(ActivityPlan, on_delete=models.CASCADE, related_name="items")
    month = models.PositiveSmallIntegerField(_("月份"))
    kind = models.CharField(_("类别"), max_length=20, choices=PlanItemKind.choices)
    title = models.CharField(_("内容"), max_length=100)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("计划事项")
        ordering = ["plan", "month", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="plan_item_month_valid"),
            models.CheckConstraint(condition=Q(kind__in=PlanItemKind.values), name="plan_item_kind_valid"),
        ]

    def __str__(self):
        return f"{self.month}月 {self.title}"


class OperatingRules(StreetOwned):
    """进站操作细则: the station's rules for deputies as text staff edit; each issue is a numbered document
    (subject: the station, template OPERATING_RULES_TEMPLATE), so every version is kept."""

    station = models.OneToOneField(
        LiaisonStation, on_delete=models.PROTECT, related_name="operating_rules", verbose_name=_("联络站")
    )
    text = models.TextField(_("细则正文"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("进站操作细则")

    def __str__(self):
        return _("%(station)s代表进站操作细则") % {"station": self.station}


class Training(StreetOwned):
    """站长等培训记录: a training for the people who run the stations (Art 14(3))."""

    station = models.ForeignKey(
        LiaisonStation, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("联络站")
    )
    topic = models.CharField(_("培训主题"), max_length=100)
    held_on = models.DateField(_("培训日期"))
    organiser = models.CharField(_("主讲或组织单位"), max_length=100)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("参训人员")
    )
    notes = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = _("培训记录")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["street", "-held_on"], name="training_street_held")]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("stations:training_edit", args=[self.pk])
