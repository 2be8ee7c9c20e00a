from auditlog.models import AbstractLogEntry
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from committee.roles import ROLE_CAPABILITIES, Role

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("请输入11位手机号码。"))


class Municipality(models.Model):
    """A city whose people's congress standing committee the streets report to (市人大常委会)."""

    name = models.CharField(_("市名称"), max_length=50, unique=True)
    standing_committee_name = models.CharField(_("常委会全称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=20, help_text=_("用于发文字号，如“湘乡人大”。"))

    class Meta:
        verbose_name = verbose_name_plural = _("市")
        ordering = ["name"]

    def __str__(self):
        return self.name


class StreetQuerySet(models.QuerySet):
    def for_user(self, user):
        """The streets this user may read: the tenancy entry point every view goes through."""
        return self.filter(pk__in=readable_street_ids(user))


class Street(models.Model):
    """The tenant. Every street-owned row points here."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="streets")
    name = models.CharField(_("街道名称"), max_length=50)
    slug = models.SlugField(_("代码"), max_length=50, unique=True)
    abbreviation = models.CharField(_("简称"), max_length=4, help_text=_("用于发文字号，如“望”。"))

    objects = StreetQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("街道")
        ordering = ["municipality", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="street_name_unique_in_municipality"),
        ]

    def __str__(self):
        return self.name

    def get_additional_data(self):
        return {"street_id": self.pk}


class StreetScopedQuerySet(models.QuerySet):
    def for_user(self, user):
        """Rows of the streets this user may read; the one entry point for street-owned data."""
        return self.filter(street_id__in=readable_street_ids(user))


class StreetOwned(models.Model):
    """Base for every street-owned model: the street, the scoped manager, the audit tag."""

    street = models.ForeignKey(Street, on_delete=models.PROTECT, related_name="+", verbose_name=_("街道"))

    objects = StreetScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_additional_data(self):
        return {"street_id": self.street_id}


class StreetCommittee(StreetOwned):
    """人大街道工作委员会: one per street (Art 21)."""

    street = models.OneToOneField(Street, on_delete=models.PROTECT, related_name="committee", verbose_name=_("街道"))
    name = models.CharField(_("名称"), max_length=100)
    established_on = models.DateField(_("设立日期"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("人大街道工委")

    def __str__(self):
        return self.name


class ResidentsCouncil(StreetOwned):
    """街道居民议事会 as a body (Art 6, 18); members come with the meetings chapter."""

    street = models.OneToOneField(Street, on_delete=models.PROTECT, related_name="council", verbose_name=_("街道"))
    name = models.CharField(_("名称"), max_length=100)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("居民议事会")

    def __str__(self):
        return self.name


_NONE: frozenset = frozenset()


class User(AbstractUser):
    """A person. Chinese names are one field; login by username or mobile number."""

    first_name = None
    last_name = None
    full_name = models.CharField(_("姓名"), max_length=50)
    mobile = models.CharField(
        _("手机号码"), max_length=11, unique=True, null=True, blank=True, validators=[mobile_validator]
    )

    objects = UserManager()
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = verbose_name_plural = _("用户")
        ordering = ["full_name", "pk"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name

    @cached_property
    def active_memberships(self) -> list["Membership"]:
        if not self.is_authenticated:
            return []
        return list(Membership.objects.active().filter(user=self).select_related("street", "municipality"))

    def roles(self) -> set[str]:
        return {membership.role for membership in self.active_memberships}

    def capabilities_anywhere(self) -> frozenset[str]:
        """Every capability held in at least one street: for menus, never for access decisions."""
        return frozenset().union(*(ROLE_CAPABILITIES[m.role] for m in self.active_memberships))

    def capabilities_in(self, street: Street) -> frozenset[str]:
        """Every capability this person holds in this street, from all their memberships (a street membership's,
        and the city role's in the street's municipality)."""
        by_street, by_municipality = self._capabilities_by_place()
        return by_street.get(street.pk, _NONE) | by_municipality.get(street.municipality_id, _NONE)

    def _capabilities_by_place(self) -> tuple[dict, dict]:
        """The memberships' capabilities by street id and by municipality id, worked out once per list of active
        memberships (a list of 500 streets asks 500 times; a test that drops `active_memberships` gets afresh)."""
        memberships = self.active_memberships
        cached = self.__dict__.get("_capabilities_memo")
        if cached is None or cached[0] is not memberships:
            by_street, by_municipality = {}, {}
            for membership in memberships:
                place, key = (
                    (by_street, membership.street_id)
                    if membership.street_id is not None
                    else (by_municipality, membership.municipality_id)
                )
                place[key] = place.get(key, _NONE) | ROLE_CAPABILITIES[membership.role]
            cached = self.__dict__["_capabilities_memo"] = (memberships, by_street, by_municipality)
        return cached[1], cached[2]

    def has_capability(self, capability: str, street: Street) -> bool:
        return capability in self.capabilities_in(street)


def readable_street_ids(user):
    """A subquery of the street ids this user may read: streets of their active memberships,
    and every street of a municipality where they hold the city role."""
    if not user.is_authenticated:
        return Street.objects.none().values("pk")
    active = Membership.objects.active().filter(user=user)
    return Street.objects.filter(
        Q(pk__in=active.values("street_id")) | Q(municipality_id__in=active.values("municipality_id"))
    ).values("pk")


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None, *, until=None):
        """Memberships held on a day (today by default); with `until`, held at some time from `on` to `until`
        (inclusive: a membership that ended and began again in the window comes twice)."""
        day = on or timezone.localdate()
        last = until or day
        return self.filter(Q(started_on__lte=last), Q(ended_on__isnull=True) | Q(ended_on__gt=day))

    def for_user(self, user):
        return self.filter(street_id__in=readable_street_ids(user))


class Membership(models.Model):
    """A person's role in a street (or, for the city role, in a municipality). One person may hold several."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("人员"))
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships", verbose_name=_("街道")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("市")
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    title = models.CharField(_("职务"), max_length=100, blank=True, help_text=_("如“专职副主任”“街道办事处主任”。"))
    full_time = models.BooleanField(_("专职"), default=True, help_text=_("第二十一条：副主任、人大工作干事须为专职。"))
    started_on = models.DateField(_("任职日期"), default=timezone.localdate)
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = _("角色任职")
        ordering = ["street", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.CITY, street__isnull=True, municipality__isnull=False))
                | (~Q(role=Role.CITY) & Q(street__isnull=False, municipality__isnull=True)),
                name="membership_city_role_in_municipality_others_in_street",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["user", "street", "role"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_open_role_per_street",
            ),
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=Q(ended_on__isnull=True, role=Role.CITY),
                name="membership_one_open_city_role",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.street or self.municipality} · {self.get_role_display()}"

    def get_additional_data(self):
        return {"street_id": self.street_id}

    @property
    def is_active(self):
        today = timezone.localdate()
        return self.started_on <= today and (self.ended_on is None or self.ended_on > today)


class AuditEntry(AbstractLogEntry):
    """The audit log (django-auditlog's entry, tagged with the street it belongs to).
    Append-only: on PostgreSQL a trigger refuses updates and deletes (migration 0002)."""

    street = models.ForeignKey(Street, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta(AbstractLogEntry.Meta):
        verbose_name = verbose_name_plural = _("操作记录")
        # /audit/ pages by time (keyset, committee.pages.keyset_paginate), in one street or across a municipality,
        # and an object's history is found by its content type and id.
        indexes = [
            models.Index(fields=["street", "-timestamp", "-id"], name="auditentry_street_time"),
            models.Index(fields=["-timestamp", "-id"], name="auditentry_time"),
            models.Index(fields=["content_type", "object_id"], name="auditentry_object"),
        ]

    def save(self, *args, **kwargs):
        if self.street_id is None and self.additional_data:
            self.street_id = self.additional_data.get("street_id")
        super().save(*args, **kwargs)
