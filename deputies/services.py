"""Every write to the deputies' roster and to residents' messages. Term events keep the deputy `Membership` in
step: an election or by-election opens a deputy membership from its day, an ending event ends it on its day."""

import base64
import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import Membership, Street, User
from committee.notices.services import notice_send
from committee.permissions import require
from committee.roles import Capability, Role
from deputies.models import (
    STARTING_EVENTS,
    Constituency,
    Deputy,
    EventKind,
    Level,
    PosterBatch,
    PosterState,
    Rating,
    ResidentMessage,
    TermEvent,
)
from supervision.models import Channel, ProposerKind
from supervision.services import opinion_register

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
PHOTO_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".ofd")
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def _check_file(upload, *, field: str, suffixes: tuple[str, ...], max_bytes: int) -> None:
    if upload and (not upload.name.lower().endswith(suffixes) or upload.size > max_bytes):
        raise ValidationError(
            {field: _("只能上传 %(s)s 文件，且不超过 %(m)s MB。") % {"s": "、".join(suffixes), "m": max_bytes >> 20}}
        )


# --- Constituencies ---------------------------------------------------------------------------------------


@transaction.atomic
def constituency_save(
    *,
    by: User,
    street: Street,
    number: int,
    name: str,
    communities: str = "",
    voters: int | None = None,
    constituency: Constituency | None = None,
) -> Constituency:
    """Create a constituency, or correct one (`constituency`)."""
    require(by, Capability.MANAGE_DEPUTIES, street)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写选区名称。")})
    clash = Constituency.objects.filter(street=street, number=number)
    if constituency is not None:
        clash = clash.exclude(pk=constituency.pk)
    if clash.exists():
        raise ValidationError({"number": _("本街道已有第%(n)s选区。") % {"n": number}})
    constituency = constituency or Constituency(street=street)
    constituency.number, constituency.name, constituency.communities, constituency.voters = (
        number,
        name,
        communities.strip(),
        voters,
    )
    constituency.save()
    return constituency


# --- Deputies and their term events ----------------------------------------------------------------------


def _person(*, full_name: str, mobile: str) -> User:
    """The person known by this mobile number, or a new account that cannot log in until staff give it a password."""
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": _("请填写代表姓名。")})
    user = User.objects.select_for_update().filter(mobile=mobile).first() if mobile else None
    if user is None:
        user = User(username=mobile or f"deputy-{timezone.now():%Y%m%d%H%M%S%f}", mobile=mobile or None)
        user.full_name = full_name
        user.set_unusable_password()
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as error:
            raise ValidationError({"mobile": error.message_dict.get("mobile", error.messages)}) from None
        user.save()
    return user


@transaction.atomic
def deputy_add(
    *,
    by: User,
    street: Street,
    full_name: str,
    mobile: str,
    congress: str,
    elected_on: datetime.date,
    kind: str = EventKind.ELECTION,
    level: str = Level.MUNICIPAL,
    constituency: Constituency | None = None,
    sector: str = "",
    leader_cadre: bool = False,
    reception_days: str = "",
    votes_for: int | None = None,
    votes_cast: int | None = None,
    document=None,
) -> Deputy:
    """Put a person on the roster with the election (or by-election) that made them a deputy."""
    require(by, Capability.MANAGE_DEPUTIES, street)
    user = _person(full_name=full_name, mobile=mobile)
    if Deputy.objects.filter(user=user).exists():
        raise ValidationError(
            {"mobile": _("%(name)s 已在代表名册中，请在其页面登记任职变动。") % {"name": user.full_name}}
        )
    deputy = Deputy(street=street, user=user)
    _set_fields(
        deputy,
        level=level,
        constituency=constituency,
        congress=congress,
        sector=sector,
        leader_cadre=leader_cadre,
        reception_days=reception_days,
    )
    deputy.save()
    term_event_record(
        by=by,
        deputy=deputy,
        kind=kind,
        on=elected_on,
        congress=congress,
        votes_for=votes_for,
        votes_cast=votes_cast,
        document=document,
    )
    return deputy


def _set_fields(deputy: Deputy, *, level, constituency, congress, sector, leader_cadre, reception_days) -> None:
    if level not in Level.values:
        raise ValidationError({"level": _("请选择代表层级。")})
    if constituency is not None and constituency.street_id != deputy.street_id:
        raise ValidationError({"constituency": _("选区不属于本街道。")})
    congress = (congress or "").strip()
    if not congress:
        raise ValidationError({"congress": _("请填写届别，如“湘乡市第十八届人民代表大会”。")})
    deputy.level, deputy.constituency, deputy.congress = level, constituency, congress
    deputy.sector, deputy.leader_cadre, deputy.reception_days = sector.strip(), leader_cadre, reception_days.strip()


@transaction.atomic
def deputy_update(
    *,
    by: User,
    deputy: Deputy,
    full_name: str,
    level: str,
    constituency: Constituency | None,
    congress: str,
    sector: str = "",
    leader_cadre: bool = False,
    reception_days: str = "",
) -> Deputy:
    """Correct a deputy's roster entry (their terms change through term events)."""
    require(by, Capability.MANAGE_DEPUTIES, deputy.street)
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": _("请填写代表姓名。")})
    _set_fields(
        deputy,
        level=level,
        constituency=constituency,
        congress=congress,
        sector=sector,
        leader_cadre=leader_cadre,
        reception_days=reception_days,
    )
    deputy.save()
    if deputy.user.full_name != full_name:
        deputy.user.full_name = full_name
        deputy.user.save(update_fields=["full_name"])
    return deputy


@transaction.atomic
def deputy_profile_update(
    *, by: User, deputy: Deputy, profile: str, reception_days: str, photo=None, remove_photo: bool = False
) -> Deputy:
    """The deputy's own public profile (or staff on their behalf): photo, short profile, reception days."""
    if by.pk != deputy.user_id:
        require(by, Capability.MANAGE_DEPUTIES, deputy.street)
    _check_file(photo, field="photo", suffixes=PHOTO_SUFFIXES, max_bytes=PHOTO_MAX_BYTES)
    profile = (profile or "").strip()
    if len(profile) > 500:
        raise ValidationError({"profile": _("简介不能超过500字。")})
    deputy.profile, deputy.reception_days = profile, (reception_days or "").strip()[:100]
    if photo:
        deputy.photo.save(photo.name, photo, save=False)
    elif remove_photo:
        deputy.photo = ""
    deputy.save()
    return deputy


@transaction.atomic
def term_event_record(
    *,
    by: User,
    deputy: Deputy,
    kind: str,
    on: datetime.date,
    congress: str = "",
    votes_for: int | None = None,
    votes_cast: int | None = None,
    document=None,
    note: str = "",
) -> TermEvent:
    """Record a term event and apply its effect: an election or by-election opens the deputy membership from
    `on` (refused while one is open); any other event ends the open one on `on` and marks the deputy ended."""
    require(by, Capability.MANAGE_DEPUTIES, deputy.street)
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("请选择任职变动事项。")})
    if on is None:
        raise ValidationError({"on": _("请填写日期。")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("日期不能晚于今天。")})
    if votes_for is not None and votes_cast is not None and votes_for > votes_cast:
        raise ValidationError({"votes_for": _("得票数不能多于投票人数。")})
    _check_file(document, field="document", suffixes=DOCUMENT_SUFFIXES, max_bytes=DOCUMENT_MAX_BYTES)
    deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
    open_membership = Membership.objects.filter(
        user_id=deputy.user_id, street_id=deputy.street_id, role=Role.DEPUTY, ended_on__isnull=True
    ).first()
    if kind in STARTING_EVENTS:
        if open_membership is not None:
            raise ValidationError({"kind": _("该代表正在任期内，不能重复登记当选。")})
        last = Membership.objects.filter(user_id=deputy.user_id, street_id=deputy.street_id, role=Role.DEPUTY)
        last = last.order_by("-ended_on").first()
        if last is not None and last.ended_on > on:
            raise ValidationError({"on": _("当选日期不能早于上一任期的终止日期（%(d)s）。") % {"d": last.ended_on}})
        Membership.objects.create(
            user_id=deputy.user_id,
            street_id=deputy.street_id,
            role=Role.DEPUTY,
            started_on=on,
            title=deputy.get_level_display(),
        )
        deputy.end_reason, deputy.ended_on = "", None
        if congress:
            deputy.congress = congress.strip()
    else:
        if open_membership is None:
            raise ValidationError({"kind": _("该代表目前不在任，无需登记终止。")})
        if on < open_membership.started_on:
            raise ValidationError({"on": _("终止日期不能早于当选日期（%(d)s）。") % {"d": open_membership.started_on}})
        open_membership.ended_on = on
        open_membership.save(update_fields=["ended_on"])
        deputy.end_reason, deputy.ended_on = kind, on
    deputy.save()
    event = TermEvent(
        street_id=deputy.street_id,
        deputy=deputy,
        kind=kind,
        on=on,
        congress=(congress or "").strip(),
        votes_for=votes_for,
        votes_cast=votes_cast,
        note=(note or "").strip()[:200],
        recorded_by=by,
    )
    if document:
        event.document.save(document.name, document, save=False)
    event.save()
    return event


# --- Residents' messages (码上找代表) ---------------------------------------------------------------------


def _require_answerer(by: User, message: ResidentMessage) -> None:
    if by.pk != message.deputy.user_id and not by.has_capability(Capability.MANAGE_DEPUTIES, message.street):
        raise PermissionDenied


@transaction.atomic
def message_leave(
    *, deputy: Deputy, content: str, name: str = "", phone: str = "", photo=None, contact_required: bool = False
) -> ResidentMessage:
    """A resident's message from the deputy's public page (no account). The deputy is told on commit."""
    if not deputy.in_office:
        raise ValidationError(_("该代表已不在任。"))
    content, name, phone = (content or "").strip(), (name or "").strip(), (phone or "").strip().replace(" ", "")
    if not content:
        raise ValidationError({"content": _("请填写留言内容。")})
    if contact_required and not name:
        raise ValidationError({"name": _("请填写姓名。")})
    if contact_required and not phone:
        raise ValidationError({"phone": _("请填写联系电话。")})
    if phone and not phone.replace("-", "").isdigit():
        raise ValidationError({"phone": _("联系电话只能包含数字和“-”。")})
    _check_file(photo, field="photo", suffixes=PHOTO_SUFFIXES, max_bytes=PHOTO_MAX_BYTES)
    message = ResidentMessage(
        street_id=deputy.street_id, deputy=deputy, content=content, name=name[:50], phone=phone[:20]
    )
    if photo:
        message.photo.save(photo.name, photo, save=False)
    message.save()
    notice_send(
        by=None,
        street=deputy.street,
        kind="deputies.message",
        event_key=f"deputies.message:{message.pk}",
        recipients=[deputy.user],
        title=_("您收到一条群众留言（码上找代表）"),
        body=content[:200],
        link=message.get_absolute_url(),
        subject=message,
    )
    return message


@transaction.atomic
def message_answer(*, by: User, message: ResidentMessage, answer: str) -> ResidentMessage:
    """The deputy's answer; the resident reads it on the tracking page and, when they gave a phone, by SMS."""
    _require_answerer(by, message)
    message = ResidentMessage.objects.select_for_update().get(pk=message.pk)
    if not message.waiting:
        raise ValidationError(_("该留言已答复或已转入办理。"))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("请填写答复内容。")})
    message.answer, message.answered_at, message.answered_by = answer, timezone.now(), by
    message.save(update_fields=["answer", "answered_at", "answered_by"])
    if message.phone:
        from deputies.tasks import send_answer_sms

        transaction.on_commit(lambda: send_answer_sms.delay(message.pk))
    return message


@transaction.atomic
def message_pass_to_loop(*, by: User, message: ResidentMessage, category: str = "") -> ResidentMessage:
    """Pass a message into the handling loop as a case (channel `qr_contact`), the resident as its proposer."""
    _require_answerer(by, message)
    message = ResidentMessage.objects.select_for_update().get(pk=message.pk)
    if not message.waiting:
        raise ValidationError(_("该留言已答复或已转入办理。"))
    message.opinion = opinion_register(
        by=by,
        street=message.street,
        channel=Channel.QR_CONTACT,
        content=message.content,
        category=category,
        proposer_name=message.name or _("群众"),
        proposer_phone=message.phone,
        source=message,
        proposer_kind=ProposerKind.RESIDENT,
        attachments=[message.photo] if message.photo else (),
    )
    message.save(update_fields=["opinion"])
    return message


@transaction.atomic
def message_rate(*, message: ResidentMessage, rating: str) -> ResidentMessage:
    """The resident rates the deputy's answer on the tracking page (the code is their key; once)."""
    message = ResidentMessage.objects.select_for_update().get(pk=message.pk)
    if not message.answer:
        raise ValidationError(_("代表答复后才能评价。"))
    if message.rating:
        raise ValidationError(_("您已评价过。"))
    if rating not in Rating.values:
        raise ValidationError({"rating": _("请选择评价。")})
    message.rating, message.rated_at = rating, timezone.now()
    message.save(update_fields=["rating", "rated_at"])
    return message


# --- Excel import ------------------------------------------------------------------------------------------


@transaction.atomic
def roster_import(*, by: User, street: Street, plans: list) -> dict[str, int]:
    """Write a plan from `roster_excel.roster_plan`: every row or none. A plan with an error row is refused
    whole, naming the rows; so is one that a service refuses (the row is named)."""
    from deputies.roster_excel import Action

    require(by, Capability.MANAGE_DEPUTIES, street)
    bad = [plan for plan in plans if plan.action == Action.ERROR]
    if bad:
        raise ValidationError(_("第%(rows)s行有错误，未导入任何数据。") % {"rows": "、".join(str(p.row) for p in bad)})
    counts = {Action.CREATE: 0, Action.UPDATE: 0, Action.UNCHANGED: 0}
    constituencies = {c.number: c for c in Constituency.objects.filter(street=street)}
    for plan in plans:
        values = plan.values
        try:
            number = values["constituency_number"]
            if number is not None and number not in constituencies:
                constituencies[number] = constituency_save(
                    by=by, street=street, number=number, name=values["constituency_name"]
                )
            constituency = constituencies.get(number)
            fields = {
                "level": values["level"],
                "constituency": constituency,
                "congress": values["congress"],
                "sector": values["sector"],
                "leader_cadre": values["leader_cadre"],
                "reception_days": values["reception_days"],
            }
            if plan.action == Action.CREATE:
                deputy_add(
                    by=by,
                    street=street,
                    full_name=values["full_name"],
                    mobile=values["mobile"],
                    elected_on=values["elected_on"],
                    kind=values["kind"],
                    **fields,
                )
            elif plan.action == Action.UPDATE:
                deputy_update(by=by, deputy=plan.deputy, full_name=values["full_name"], **fields)
        except ValidationError as error:
            raise ValidationError(
                _("第%(row)s行：%(msg)s，未导入任何数据。") % {"row": plan.row, "msg": "；".join(error.messages)}
            ) from None
        counts[plan.action] += 1
    return counts


# --- Posters (码上找代表) ---------------------------------------------------------------------------------


@transaction.atomic
def posters_request(*, by: User, street: Street, deputy: Deputy | None = None, background: bool = True) -> PosterBatch:
    """Ask for the posters of one deputy (staff, or the deputy themselves) or of every deputy in office in the
    street (staff). The worker renders them after commit; `background=False` renders now (demo, tests)."""
    if deputy is None or by.pk != deputy.user_id:
        require(by, Capability.MANAGE_DEPUTIES, street)
    if deputy is not None and (deputy.street_id != street.pk or not deputy.in_office):
        raise ValidationError(_("只能为在任代表生成海报。"))
    batch = PosterBatch.objects.create(street=street, deputy=deputy, requested_by=by)
    if background:
        from deputies.tasks import render_posters

        transaction.on_commit(lambda: render_posters.delay(batch.pk))
    else:
        posters_render(batch_id=batch.pk)
        batch.refresh_from_db()
    return batch


def posters_render(*, batch_id: int) -> bool:
    """Render a poster batch (what the task runs). The row is claimed by a conditional update, so two workers
    never render it twice; a done batch is left alone."""
    from committee.documents.rendering import qr_data_uri, render_pdf

    claimed = PosterBatch.objects.filter(pk=batch_id, state__in=[PosterState.PENDING, PosterState.FAILED])
    if not claimed.update(state=PosterState.RENDERING, error=""):
        return False
    batch = PosterBatch.objects.select_related("street").get(pk=batch_id)
    deputies = Deputy.objects.in_office().filter(street=batch.street, end_reason="")
    if batch.deputy_id:
        deputies = deputies.filter(pk=batch.deputy_id)
    pages = [
        {
            "name": d.user.full_name,
            "level": d.get_level_display(),
            "constituency": str(d.constituency or ""),
            "reception_days": d.reception_days,
            "photo": _photo_data_uri(d),
            "qr": qr_data_uri(settings.SITE_URL + d.public_url()),
            "url": settings.SITE_URL + d.public_url(),
        }
        for d in deputies.select_related("user", "constituency").order_by("constituency__number", "user__full_name")
    ]
    try:
        pdf = render_pdf("deputies/poster_pdf.html", {"street": batch.street.name, "pages": pages})
    except Exception as error:
        PosterBatch.objects.filter(pk=batch_id).update(state=PosterState.FAILED, error=repr(error)[:2000])
        raise
    batch.file.save("posters.pdf", ContentFile(pdf), save=False)
    batch.state, batch.pages = PosterState.DONE, len(pages)
    batch.save(update_fields=["file", "state", "pages"])
    return True


def _photo_data_uri(deputy: Deputy) -> str:
    if not deputy.photo:
        return ""
    try:
        with deputy.photo.open("rb") as photo:
            data = photo.read()
    except FileNotFoundError:
        return ""
    kind = "png" if deputy.photo.name.endswith(".png") else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(data).decode()
