"""Writes of grassroots governance. Each report opens its case through `supervision.services.opinion_register`
(the loop owns cases); these functions keep the report's own row next to it."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import Membership, Street, User
from committee.roles import Capability, Role
from committee.workdays import add_working_days
from livelihood_votes.governance.models import HotlineReport, Snapshot
from livelihood_votes.governance.photos import clean_photos
from supervision import services as loop
from supervision.models import Channel, ProposerKind, Rating


@transaction.atomic
def snapshot_submit(
    *,
    street: Street,
    photos,
    place: str,
    category: str,
    description: str,
    name: str = "",
    phone: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Snapshot:
    """随手拍 from the street's public page (no account: the acting user is None): the photos are checked and stripped of their
    metadata before anything is stored; the case (channel `snapshot`) carries them as its private attachments."""
    place = (place or "").strip()
    if not place and latitude is None:
        raise ValidationError({"place": _("请填写地点，或允许使用手机定位。")})
    if (latitude is None) != (longitude is None):
        raise ValidationError({"place": _("定位信息不完整，请重新定位或填写地点。")})
    content = (description or "").strip()
    if not content:
        raise ValidationError({"description": _("请描述您看到的问题。")})
    if not photos:
        raise ValidationError({"photos": _("请至少上传一张照片。")})
    cleaned = clean_photos(photos)
    if not place:
        place = _("手机定位 %(lat)s, %(lng)s") % {"lat": latitude, "lng": longitude}
    opinion = loop.opinion_register(
        by=None,
        street=street,
        channel=Channel.SNAPSHOT,
        content=content + "\n" + _("地点：%(place)s") % {"place": place},
        category=category,
        proposer_name=name,
        proposer_phone=phone,
        proposer_kind=ProposerKind.RESIDENT,
        attachments=cleaned,
    )
    return Snapshot.objects.create(
        street=street, opinion=opinion, place=place[:200], latitude=latitude, longitude=longitude
    )


def _is_deputy(user: User, street: Street) -> bool:
    return Membership.objects.active().filter(user=user, street=street, role=Role.DEPUTY).exists()


@transaction.atomic
def hotline_report_record(
    *,
    by: User,
    street: Street,
    deputy: User,
    ticket_number: str,
    reported_on: datetime.date,
    content: str,
    place: str,
    complex: bool = False,
) -> HotlineReport:
    """A report a deputy made to 12345, recorded by the deputy (RAISE_OPINIONS) or staff (MANAGE_OPINIONS) → a
    case (channel `hotline_12345`) the committee follows up: 5 working days, 10 when complex (settings)."""
    if not (
        by.has_capability(Capability.MANAGE_OPINIONS, street)
        or (by == deputy and by.has_capability(Capability.RAISE_OPINIONS, street))
    ):
        raise PermissionDenied
    if not _is_deputy(deputy, street):
        raise ValidationError({"deputy": _("%(name)s 不是本街道的在任代表。") % {"name": deputy}})
    ticket_number = (ticket_number or "").strip()
    if not ticket_number:
        raise ValidationError({"ticket_number": _("请填写12345工单号。")})
    if HotlineReport.objects.filter(street=street, ticket_number=ticket_number).exists():
        raise ValidationError({"ticket_number": _("本街道已登记过该12345工单号。")})
    if reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("反映日期不能晚于今天。")})
    content, place = (content or "").strip(), (place or "").strip()
    if not content:
        raise ValidationError({"content": _("请填写反映内容。")})
    if not place:
        raise ValidationError({"place": _("请填写地点。")})
    report = HotlineReport(
        street=street,
        deputy=deputy,
        ticket_number=ticket_number[:40],
        reported_on=reported_on,
        content=content,
        place=place[:200],
        complex=complex,
        recorded_by=by,
    )
    report.due_on = add_working_days(reported_on, report.case_working_days)
    report.save()
    # The deputy is named, not linked as the case's proposer: the report itself is their duty record (no
    # second "opinion raised" for the same act).
    report.opinion = loop.opinion_register(
        by=by,
        street=street,
        channel=Channel.HOTLINE,
        content=_("%(content)s\n地点：%(place)s\n12345工单号：%(n)s")
        % {"content": content, "place": place, "n": ticket_number},
        proposer_name=deputy.full_name,
        proposer_kind=ProposerKind.DEPUTY,
        source=report,
    )
    report.save(update_fields=["opinion"])
    return report


def _lock(report: HotlineReport) -> HotlineReport:
    return HotlineReport.objects.select_for_update(of=("self",)).select_related("street").get(pk=report.pk)


@transaction.atomic
def hotline_outcome_record(*, by: User, report: HotlineReport, outcome: str, outcome_on: datetime.date):
    """The outcome 12345 gave, recorded by the deputy or staff."""
    report = _lock(report)
    if not (by.has_capability(Capability.MANAGE_OPINIONS, report.street) or by.pk == report.deputy_id):
        raise PermissionDenied
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("请填写12345的办理结果。")})
    if outcome_on < report.reported_on or outcome_on > timezone.localdate():
        raise ValidationError({"outcome_on": _("结果日期应在反映日期与今天之间。")})
    report.outcome, report.outcome_on = outcome, outcome_on
    report.save(update_fields=["outcome", "outcome_on"])
    return report


@transaction.atomic
def hotline_rate(*, by: User, report: HotlineReport, rating: str) -> HotlineReport:
    """The deputy rates the outcome 12345 gave (only the deputy who reported it)."""
    report = _lock(report)
    if by.pk != report.deputy_id:
        raise PermissionDenied
    if report.outcome_on is None:
        raise ValidationError({"rating": _("12345尚未给出办理结果，暂不能评价。")})
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择评价。")})
    report.rating, report.rated_at = rating, timezone.now()
    report.save(update_fields=["rating", "rated_at"])
    return report
