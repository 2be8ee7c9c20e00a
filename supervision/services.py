"""Every write of the opinion-handling loop. Other apps create and move cases ONLY through these functions
(docs/architecture.md, "The opinion-handling loop"). Each takes keyword arguments and the acting user `by`,
runs in a transaction, checks the capability itself, records an `OpinionEvent` for every step, and leaves
notices and reminders to `committee.notices` (sent after commit)."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from committee.models import Membership, Street, User
from committee.notices.services import notice_send, notices_confirm_for, reminder_done, reminder_set
from committee.permissions import require
from committee.roles import COMMITTEE_ROLES, Capability, Role
from committee.uploads import own_name, suffix_of
from committee.workdays import add_working_days, working_days_between
from supervision import transitions
from supervision.models import (
    OPEN_STATES,
    Attachment,
    AttachmentRole,
    Channel,
    Commitment,
    FaceToFaceMeeting,
    HandlingUnit,
    HandlingUnitMember,
    Opinion,
    OpinionEvent,
    ProposerKind,
    Rating,
    Reply,
    ReplyClass,
    State,
    UnitKind,
)

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
IMAGE_SUFFIXES = frozenset({"jpg", "jpeg", "png", "gif", "webp", "heic"})
IMAGE_KINDS = _lazy("图片（jpg、png、heic 等）")
ATTACHMENT_SUFFIXES = IMAGE_SUFFIXES | {"pdf", "doc", "docx", "xls", "xlsx", "txt"}
ATTACHMENT_KINDS = _lazy("图片、PDF、Word、Excel 或文本")
RATING_SALT = "supervision.rating"
FOLLOW_UP_TEMPLATE = "supervision/follow_up_letter_pdf.html"


# --- Helpers ----------------------------------------------------------------------------------------------


def deadline_working_days(channel: str) -> int:
    """Working days a unit has to reply for a channel (settings.OPINION_DEADLINE_WORKING_DAYS)."""
    table = settings.OPINION_DEADLINE_WORKING_DAYS
    return table.get(channel, table["*"])


def default_deadline(channel: str, start: datetime.date | None = None) -> datetime.date:
    return add_working_days(start or timezone.localdate(), deadline_working_days(channel))


def unit_of(user: User) -> HandlingUnit | None:
    member = HandlingUnitMember.objects.filter(user=user).select_related("unit").first() if user else None
    return member.unit if member else None


def staff_of(street: Street) -> list[User]:
    """The committee's people in a street (director, vice director, staff): overdue reminders go to them too."""
    return list(
        User.objects.filter(
            pk__in=Membership.objects.active().filter(street=street, role__in=COMMITTEE_ROLES).values("user_id"),
            is_active=True,
        )
    )


def _unit_users(unit: HandlingUnit) -> list[User]:
    return list(User.objects.filter(handling_unit_member__unit=unit, is_active=True))


def _locked(opinion: Opinion) -> Opinion:
    return Opinion.objects.select_for_update(of=("self",)).select_related("street", "unit").get(pk=opinion.pk)


def _noon(day: datetime.date | None) -> datetime.datetime:
    """When a step recorded for a past day happened (now for today's steps)."""
    if day is None or day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _move(
    opinion: Opinion,
    action: str,
    *,
    by: User | None,
    note: str = "",
    actor_label: str = "",
    on: datetime.date | None = None,
) -> str:
    """Check the move against the transition table, record the event, set the new state (not saved)."""
    target = transitions.check(action, opinion.state)
    OpinionEvent.objects.create(
        street_id=opinion.street_id,
        opinion=opinion,
        action=action,
        from_state=opinion.state,
        to_state=target,
        note=note,
        by=by,
        actor_label=actor_label,
        at=_noon(on),
    )
    opinion.state = target
    return target


def _note(opinion: Opinion, action: str, *, by: User | None, note: str = "") -> None:
    """An event that does not change the state (a meeting recorded, a letter issued, a commitment done)."""
    OpinionEvent.objects.create(
        street_id=opinion.street_id,
        opinion=opinion,
        action=action,
        from_state=opinion.state,
        to_state=opinion.state,
        note=note,
        by=by,
    )


def _require_unit_member(by: User, opinion: Opinion) -> None:
    """The acting user handles for the case's unit (else the case is not theirs: 404 in views)."""
    require(by, Capability.HANDLE_OPINIONS, opinion.street)
    if opinion.unit_id is None or not HandlingUnitMember.objects.filter(user=by, unit_id=opinion.unit_id).exists():
        raise PermissionDenied


def _check_attachments(files, *, field: str = "attachments") -> None:
    """Refuse a file the loop does not take (its kind, its size), naming the file and the argument it came in."""
    for upload in files or ():
        name = own_name(upload)
        if suffix_of(name) not in ATTACHMENT_SUFFIXES:
            raise ValidationError(
                {
                    field: _("附件“%(name)s”的格式不支持；请上传%(kinds)s文件。")
                    % {"name": name, "kinds": ATTACHMENT_KINDS}
                }
            )
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError({field: _("附件“%(name)s”超过 20 MB。") % {"name": name}})


def _add_attachments(opinion, files, *, by, role, reply=None, commitment=None) -> list[Attachment]:
    files = list(files or ())
    _check_attachments(files)
    saved = []
    for upload in files:
        name = own_name(upload)
        attachment = Attachment(
            street_id=opinion.street_id,
            opinion=opinion,
            role=role,
            reply=reply,
            commitment=commitment,
            name=name[:200],
            size=upload.size,
            uploaded_by=by,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


def _reminder_keys(opinion: Opinion) -> tuple[str, str]:
    return f"opinion:{opinion.pk}:unit", f"opinion:{opinion.pk}:staff"


def _set_reminders(opinion: Opinion) -> None:
    """Before the deadline: the unit; when overdue: the unit and the committee's staff (every N working days)."""
    unit_key, staff_key = _reminder_keys(opinion)
    link = opinion.get_absolute_url()
    title = _("意见建议办理：%(title)s") % {"title": opinion.title}
    body = _("%(unit)s 办理的意见建议（查询码 %(code)s）期限为 %(deadline)s。") % {
        "unit": opinion.unit.name,
        "code": opinion.tracking_code,
        "deadline": f"{opinion.deadline:%Y年%-m月%-d日}",
    }
    common = {"street": opinion.street, "deadline": opinion.deadline, "title": title, "body": body, "link": link}
    reminder_set(
        key=unit_key,
        recipients=_unit_users(opinion.unit),
        days_before=settings.OPINION_REMINDER_DAYS_BEFORE,
        subject=opinion,
        **common,
    )
    reminder_set(key=staff_key, recipients=staff_of(opinion.street), days_before=0, subject=opinion, **common)


def _assigned_event_key(opinion: Opinion) -> str:
    """The event of the 交办 notice of the case's current assignment (its round, unit and day)."""
    return f"opinion:{opinion.pk}:assigned:{opinion.round}:{opinion.unit_id}:{opinion.assigned_on.isoformat()}"


def _confirm_unit_notices(opinion: Opinion, by: User) -> None:
    """The unit's answer to a case (accepting, returning or replying to it) confirms receipt of the notices that
    asked for it: the 交办 notice and, in a second round, the 二次办理 notice."""
    notices_confirm_for(event_key=_assigned_event_key(opinion), user=by)
    if opinion.round > 1:
        notices_confirm_for(event_key=f"opinion:{opinion.pk}:reopened:{opinion.round}", user=by)


def _end_reminders(opinion: Opinion) -> None:
    for key in _reminder_keys(opinion):
        reminder_done(key=key)


# --- Handling units ---------------------------------------------------------------------------------------


@transaction.atomic
def handling_unit_save(
    *,
    by: User,
    street: Street,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_phone: str = "",
    active: bool = True,
    unit: HandlingUnit | None = None,
) -> HandlingUnit:
    """Create a unit (unit=None) or change one. Names are unique in a street."""
    require(by, Capability.MANAGE_OPINIONS, street)
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写单位名称。"))
    if kind not in UnitKind.values:
        raise ValidationError(_("请选择单位类别。"))
    if unit is not None:
        unit = HandlingUnit.objects.select_for_update().get(pk=unit.pk)
        if unit.street_id != street.pk:
            raise PermissionDenied
    duplicate = HandlingUnit.objects.filter(street=street, name=name)
    if unit is not None:
        duplicate = duplicate.exclude(pk=unit.pk)
    if duplicate.exists():
        raise ValidationError(_("本街道已有名为“%(name)s”的办理单位。") % {"name": name})
    unit = unit or HandlingUnit(street=street)
    unit.name, unit.kind, unit.active = name, kind, active
    unit.contact_name, unit.contact_phone = contact_name.strip(), contact_phone.strip()
    unit.save()
    return unit


@transaction.atomic
def handling_unit_delete(*, by: User, unit: HandlingUnit) -> bool:
    """Delete a unit. Refused while it has open cases; a unit with only finished cases is deactivated instead
    (its history stays). Returns True when the row was deleted, False when it was deactivated."""
    unit = HandlingUnit.objects.select_for_update().select_related("street").get(pk=unit.pk)
    require(by, Capability.MANAGE_OPINIONS, unit.street)
    open_count = unit.opinions.filter(state__in=OPEN_STATES).count()
    if open_count:
        raise ValidationError(
            _("“%(name)s”还有 %(n)d 件未办结的意见建议，不能删除；请先办结或改交其他单位。")
            % {"name": unit.name, "n": open_count}
        )
    if unit.opinions.exists() or Reply.objects.filter(unit=unit).exists():
        unit.active = False
        unit.save(update_fields=["active"])
        return False
    unit.delete()
    return True


@transaction.atomic
def handling_unit_member_add(*, by: User, unit: HandlingUnit, user: User) -> HandlingUnitMember:
    """Link a person holding the handling_unit role in the unit's street to the unit (one unit per person)."""
    require(by, Capability.MANAGE_OPINIONS, unit.street)
    if not Membership.objects.active().filter(user=user, street_id=unit.street_id, role=Role.HANDLING_UNIT).exists():
        raise ValidationError(_("%(name)s 在本街道没有“办理单位”角色，请先在人员名册中添加。") % {"name": user})
    existing = HandlingUnitMember.objects.select_for_update().filter(user=user).first()
    if existing and existing.unit_id != unit.pk:
        raise ValidationError(
            _("%(name)s 已是“%(unit)s”的人员，一人只能属于一个办理单位。") % {"name": user, "unit": existing.unit}
        )
    return existing or HandlingUnitMember.objects.create(street_id=unit.street_id, unit=unit, user=user)


@transaction.atomic
def handling_unit_member_remove(*, by: User, member: HandlingUnitMember) -> None:
    require(by, Capability.MANAGE_OPINIONS, member.unit.street)
    member.delete()


# --- The loop ---------------------------------------------------------------------------------------------


@transaction.atomic
def opinion_register(
    *,
    by: User | None,
    street: Street,
    channel: str,
    content: str,
    category: str = "",
    proposer_name: str = "",
    proposer_phone: str = "",
    proposer_user: User | None = None,
    source=None,
    attachments: Iterable = (),
    proposer_kind: str = "",
    registered_at: datetime.datetime | None = None,
) -> Opinion:
    """Register a case (state `registered`) and return it; `opinion.tracking_code` is what the proposer keeps.

    `channel`: a `supervision.models.Channel` value. `source`: any saved model instance the case came from (a
    reception, an inspection finding, a field visit…), kept as a generic link and shown on the case page;
    `supervision.selectors.opinions_for_source(source)` lists its cases. `by`: the acting user, who needs
    MANAGE_OPINIONS or RAISE_OPINIONS in the street; None for a public submission (the calling view is public).
    A deputy or council member registering with no proposer named is the proposer. `attachments`: uploaded files
    (photos, documents). `proposer_kind`: a `ProposerKind`, guessed from `proposer_user`'s roles when empty."""
    if by is not None and not (
        by.has_capability(Capability.MANAGE_OPINIONS, street) or by.has_capability(Capability.RAISE_OPINIONS, street)
    ):
        raise PermissionDenied
    if channel not in Channel.values:
        raise ValidationError({"channel": _("请选择来源渠道。")})
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": _("请填写意见建议的内容。")})
    proposer_phone = (proposer_phone or "").strip()
    if proposer_phone and not proposer_phone.replace("-", "").isdigit():
        raise ValidationError({"proposer_phone": _("联系电话只能包含数字和“-”。")})
    if (
        by is not None
        and proposer_user is None
        and not proposer_name
        and not by.has_capability(Capability.MANAGE_OPINIONS, street)
    ):
        proposer_user = by  # a deputy raising their own
    if proposer_user is not None and not proposer_name:
        proposer_name = proposer_user.full_name
    if not proposer_kind:
        roles = {m.role for m in proposer_user.active_memberships} if proposer_user else set()
        proposer_kind = (
            ProposerKind.DEPUTY
            if Role.DEPUTY in roles
            else ProposerKind.COUNCIL_MEMBER
            if Role.COUNCIL_MEMBER in roles
            else ProposerKind.RESIDENT
        )
    if proposer_kind not in ProposerKind.values:
        raise ValidationError({"proposer_kind": _("提出人身份不正确。")})
    if source is not None and source.pk is None:
        raise ValidationError(_("来源记录尚未保存。"))
    opinion = Opinion(
        street=street,
        channel=channel,
        category=(category or "").strip()[:50],
        content=content,
        proposer_kind=proposer_kind,
        proposer_name=(proposer_name or "").strip()[:50],
        proposer_phone=proposer_phone[:20],
        proposer_user=proposer_user,
        registered_by=by,
        created_at=registered_at or timezone.now(),
    )
    if source is not None:
        opinion.source_type = ContentType.objects.get_for_model(source)
        opinion.source_id = source.pk
    opinion.save()
    OpinionEvent.objects.create(
        street=street,
        opinion=opinion,
        action="register",
        from_state="",
        to_state=State.REGISTERED,
        note=Channel(channel).label,
        by=by,
        actor_label="" if by else _("提出人（网上提交）"),
        at=opinion.created_at,
    )
    _add_attachments(opinion, attachments, by=by, role=AttachmentRole.OPINION)
    return opinion


@transaction.atomic
def opinion_answer_on_spot(*, by: User, opinion: Opinion, answer: str) -> Opinion:
    """当场答复: the committee answered at once (no unit needed)."""
    opinion = _locked(opinion)
    require(by, Capability.MANAGE_OPINIONS, opinion.street)
    if not answer.strip():
        raise ValidationError(_("请填写答复内容。"))
    _move(opinion, "answer_on_spot", by=by, note=answer.strip())
    opinion.save(update_fields=["state", "updated_at"])
    return opinion


@transaction.atomic
def opinion_assign(
    *,
    by: User,
    opinion: Opinion,
    unit: HandlingUnit,
    deadline: datetime.date | None = None,
    note: str = "",
    on: datetime.date | None = None,
) -> Opinion:
    """交办: hand the case to a unit of its street. `deadline` defaults to the assignment day plus the channel's
    working days (settings.OPINION_DEADLINE_WORKING_DAYS, through committee.workdays.add_working_days). The unit's
    people are told and reminded before the deadline; the unit and the committee's staff when it is overdue.
    `on`: the day of the assignment (today by default; a past day when recording history — with a deadline
    already past and no `on`, the registration day is taken). A backdated assignment is history: no notice and
    no reminders (demo data and imports would otherwise flood people with overdue reminders at the next sweep)."""
    opinion = _locked(opinion)
    require(by, Capability.MANAGE_OPINIONS, opinion.street)
    if unit.street_id != opinion.street_id:
        raise ValidationError(_("只能交给本街道的办理单位。"))
    if not unit.active:
        raise ValidationError(_("“%(name)s”已停用，不能交办。") % {"name": unit.name})
    today = timezone.localdate()
    registered_on = timezone.localtime(opinion.created_at).date()
    if on is None:
        on = min(today, registered_on) if deadline is not None and deadline < today else today
    if on < registered_on or on > today:
        raise ValidationError(_("交办日期应在登记日期与今天之间。"))
    # A source may set its own working days (a 12345 report marked complex: `case_working_days`).
    working_days = getattr(opinion.source, "case_working_days", None) if opinion.source_id else None
    deadline = deadline or (
        add_working_days(on, working_days) if working_days else default_deadline(opinion.channel, on)
    )
    if deadline < on:
        raise ValidationError(_("办理期限不能早于交办日期。"))
    backdated = on < today
    today = on
    _move(opinion, "assign", by=by, note=note or _("交 %(unit)s 办理，期限 %(d)s") % {"unit": unit.name, "d": deadline})
    opinion.unit, opinion.deadline, opinion.assigned_on = unit, deadline, today
    opinion.save(update_fields=["state", "unit", "deadline", "assigned_on", "updated_at"])
    if backdated:
        return opinion
    notice_send(
        by=by,
        street=opinion.street,
        kind="opinion_assigned",
        event_key=_assigned_event_key(opinion),
        recipients=_unit_users(unit),
        title=_("交办：%(title)s") % {"title": opinion.title},
        body=_("请于 %(d)s 前办理并书面答复。") % {"d": f"{deadline:%Y年%-m月%-d日}"},
        link=opinion.get_absolute_url(),
        subject=opinion,
    )
    _set_reminders(opinion)
    return opinion


@transaction.atomic
def opinion_escalate(*, by: User, opinion: Opinion, note: str = "") -> Opinion:
    """提交市人大常委会: the matter is beyond the street's competence. The municipality's city users are told."""
    opinion = _locked(opinion)
    require(by, Capability.MANAGE_OPINIONS, opinion.street)
    _move(opinion, "escalate", by=by, note=note.strip())
    opinion.save(update_fields=["state", "updated_at"])
    _end_reminders(opinion)
    city_users = User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(municipality_id=opinion.street.municipality_id, role=Role.CITY)
        .values("user_id")
    )
    notice_send(
        by=by,
        street=opinion.street,
        kind="opinion_escalated",
        event_key=f"opinion:{opinion.pk}:escalated",
        recipients=city_users,
        title=_("%(street)s提交：%(title)s") % {"street": opinion.street.name, "title": opinion.title},
        body=note.strip() or opinion.content[:200],
        link=opinion.get_absolute_url(),
        subject=opinion,
    )
    return opinion


@transaction.atomic
def opinion_convert(*, by: User, opinion: Opinion, note: str = "") -> Opinion:
    """转为代表建议: a deputy takes the matter up as a suggestion (the suggestion is a new case, channel
    deputy_suggestion, registered by the caller with this one as its source)."""
    opinion = _locked(opinion)
    require(by, Capability.MANAGE_OPINIONS, opinion.street)
    _move(opinion, "convert", by=by, note=note.strip())
    opinion.save(update_fields=["state", "updated_at"])
    return opinion


@transaction.atomic
def opinion_return(*, by: User, opinion: Opinion, reason: str) -> Opinion:
    """退回: the unit says the case is not theirs, within OPINION_RETURN_WORKING_DAYS working days of assignment,
    with a reason; it goes back to staff for re-assignment."""
    opinion = _locked(opinion)
    _require_unit_member(by, opinion)
    if not reason.strip():
        raise ValidationError(_("请说明退回理由。"))
    limit = settings.OPINION_RETURN_WORKING_DAYS
    if working_days_between(opinion.assigned_on, timezone.localdate()) > limit:
        raise ValidationError(_("交办已超过 %(n)d 个工作日，不能再退回；请办理，或与人大街道工委联系。") % {"n": limit})
    _move(opinion, "return", by=by, note=reason.strip())
    _confirm_unit_notices(opinion, by)
    unit = opinion.unit
    opinion.unit, opinion.deadline, opinion.assigned_on = None, None, None
    opinion.save(update_fields=["state", "unit", "deadline", "assigned_on", "updated_at"])
    _end_reminders(opinion)
    notice_send(
        by=by,
        street=opinion.street,
        kind="opinion_returned",
        event_key=f"opinion:{opinion.pk}:returned:{unit.pk}:{timezone.now():%Y%m%d%H%M%S}",
        recipients=staff_of(opinion.street),
        title=_("%(unit)s 退回：%(title)s") % {"unit": unit.name, "title": opinion.title},
        body=reason.strip(),
        link=opinion.get_absolute_url(),
        subject=opinion,
    )
    return opinion


@transaction.atomic
def opinion_accept(*, by: User, opinion: Opinion, on: datetime.date | None = None) -> Opinion:
    """签收: the unit accepts the case (`on`: a past day when recording history)."""
    opinion = _locked(opinion)
    _require_unit_member(by, opinion)
    _move(opinion, "accept", by=by, on=on)
    opinion.save(update_fields=["state", "updated_at"])
    _confirm_unit_notices(opinion, by)
    return opinion


def _start_if_accepted(opinion: Opinion, by: User, on: datetime.date | None = None) -> None:
    if opinion.state == State.ACCEPTED:
        _move(opinion, "start", by=by, on=on)
        opinion.save(update_fields=["state", "updated_at"])


@transaction.atomic
def opinion_meeting_record(
    *, by: User, opinion: Opinion, met_at: datetime.datetime, place: str, participants: str, summary: str
) -> FaceToFaceMeeting:
    """见面沟通 (Art 13(4)): the unit records meeting the proposer (also after its written reply, until the case is
    closed). An accepted case is then in progress."""
    opinion = _locked(opinion)
    _require_unit_member(by, opinion)
    if opinion.state not in (State.ACCEPTED, State.IN_PROGRESS, State.REPLIED, State.RATED):
        raise ValidationError(_("请先签收，再记录见面沟通；已办结的件不能再补记。"))
    if met_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(_("沟通时间不能晚于现在。"))
    if not (place.strip() and participants.strip() and summary.strip()):
        raise ValidationError(_("请填写地点、参加人员和沟通情况。"))
    meeting = FaceToFaceMeeting.objects.create(
        street_id=opinion.street_id,
        opinion=opinion,
        met_at=met_at,
        place=place.strip(),
        participants=participants.strip(),
        summary=summary.strip(),
        recorded_by=by,
    )
    _start_if_accepted(opinion, by)
    _note(opinion, "meeting", by=by, note=f"{timezone.localtime(met_at):%Y-%m-%d %H:%M} {place.strip()}")
    return meeting


def opinion_reply_check(
    *,
    by: User,
    opinion: Opinion,
    reply_class: str,
    body: str,
    commitments: Iterable[tuple[str, datetime.date]] = (),
    attachments: Iterable = (),
    on: datetime.date | None = None,
) -> list[tuple[str, datetime.date]]:
    """What `opinion_reply` would refuse, without writing anything: the page that shows a reply before it is
    sent asks this first. Returns the commitments as they will be recorded. Refusals name the argument."""
    _require_unit_member(by, opinion)
    transitions.check("reply", opinion.state)
    if reply_class not in ReplyClass.values:
        raise ValidationError({"reply_class": _("请选择答复类别。")})
    if not body.strip():
        raise ValidationError({"body": _("请填写答复内容。")})
    items = [(d.strip(), due) for d, due in commitments if d and d.strip()]
    today = timezone.localdate()
    if on is not None:
        if on > today or (opinion.assigned_on and on < opinion.assigned_on):
            raise ValidationError({"on": _("答复日期应在交办日期与今天之间。")})
        today = on
    for description, due in items:
        if due is None:
            raise ValidationError({"commitments": _("承诺事项“%(d)s”缺少完成时限。") % {"d": description}})
        if due < today:
            raise ValidationError({"commitments": _("承诺事项“%(d)s”的完成时限不能早于今天。") % {"d": description}})
    if reply_class in (ReplyClass.B, ReplyClass.C) and not items and not opinion.commitments.filter(done_on=None):
        raise ValidationError({"commitments": _("B类、C类答复须列出承诺事项及完成时限。")})
    _check_attachments(attachments)
    return items


@transaction.atomic
def opinion_reply(
    *,
    by: User,
    opinion: Opinion,
    reply_class: str,
    body: str,
    commitments: Iterable[tuple[str, datetime.date]] = (),
    attachments: Iterable = (),
    on: datetime.date | None = None,
) -> Reply:
    """书面答复 for the current round, with its class (A/B/C/D), attachments, and the commitments it makes
    (description, due date) which become the checklist. The proposer is told (in-app/SMS when they have an
    account; otherwise through the tracking page and the signed rating link). Reminders end. `on`: the reply's
    date when recording history (not before the assignment, not after today). Refused as `opinion_reply_check`."""
    opinion = _locked(opinion)
    attachments = list(attachments)
    items = opinion_reply_check(
        by=by,
        opinion=opinion,
        reply_class=reply_class,
        body=body,
        commitments=commitments,
        attachments=attachments,
        on=on,
    )
    today = on or timezone.localdate()
    _start_if_accepted(opinion, by, on=on)
    _move(opinion, "reply", by=by, note=ReplyClass(reply_class).label, on=on)
    _confirm_unit_notices(opinion, by)
    reply = Reply.objects.create(
        street_id=opinion.street_id,
        opinion=opinion,
        round=opinion.round,
        reply_class=reply_class,
        body=body.strip(),
        replied_on=today,
        unit=opinion.unit,
        replied_by=by,
    )
    for description, due in items:
        Commitment.objects.create(
            street_id=opinion.street_id, opinion=opinion, reply=reply, description=description[:200], due_on=due
        )
    _add_attachments(opinion, attachments, by=by, role=AttachmentRole.REPLY, reply=reply)
    opinion.replied_on, opinion.reply_class, opinion.rating, opinion.rated_at = today, reply_class, "", None
    opinion.save(update_fields=["state", "replied_on", "reply_class", "rating", "rated_at", "updated_at"])
    _end_reminders(opinion)
    if opinion.proposer_user_id:
        notice_send(
            by=by,
            street=opinion.street,
            kind="opinion_replied",
            event_key=f"opinion:{opinion.pk}:replied:{opinion.round}",
            recipients=[opinion.proposer_user],
            title=_("您提出的意见建议已答复：%(title)s") % {"title": opinion.title},
            body=_("%(unit)s 答复（%(cls)s）。请查看并评价。")
            % {"unit": opinion.unit.name, "cls": ReplyClass(reply_class).label},
            link=opinion.get_absolute_url(),
            subject=opinion,
        )
    return reply


@transaction.atomic
def commitment_complete(*, by: User, commitment: Commitment, evidence: str, attachments: Iterable = ()) -> Commitment:
    """An item of the checklist is done, with evidence (text, and optionally photos or documents)."""
    commitment = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("opinion__street", "opinion__unit")
        .get(pk=commitment.pk)
    )
    opinion = commitment.opinion
    _require_unit_member(by, opinion)
    if commitment.done_on is not None:
        raise ValidationError(_("该承诺事项已完成。"))
    if not evidence.strip():
        raise ValidationError(_("请填写完成情况作为佐证。"))
    commitment.done_on, commitment.evidence, commitment.done_by = timezone.localdate(), evidence.strip(), by
    commitment.save(update_fields=["done_on", "evidence", "done_by"])
    _add_attachments(opinion, attachments, by=by, role=AttachmentRole.EVIDENCE, commitment=commitment)
    _note(opinion, "commitment_done", by=by, note=commitment.description)
    return commitment


@transaction.atomic
def opinion_rate(*, by: User | None, opinion: Opinion, rating: str, note: str = "", actor_label: str = "") -> Opinion:
    """The proposer rates the reply: 满意 / 基本满意 / 不满意. `by` is the proposer's account, or None when a
    resident rates on the public tracking page or through a signed link (the view checked the code or the
    signature). 不满意 reopens the case for 二次办理 with a new deadline (the channel's working days)."""
    opinion = _locked(opinion)
    if by is not None and by.pk != opinion.proposer_user_id:
        raise PermissionDenied
    if rating not in Rating.values:
        raise ValidationError(_("请选择满意、基本满意或不满意。"))
    if rating == Rating.UNSATISFIED and not note.strip():
        raise ValidationError(_("选择“不满意”时，请说明理由，以便二次办理。"))
    label = actor_label or (_("提出人") if by is None else "")
    _move(opinion, "rate", by=by, note=f"{Rating(rating).label} {note.strip()}".strip(), actor_label=label)
    now = timezone.now()
    Reply.objects.filter(opinion=opinion, round=opinion.round).update(rating=rating, rating_note=note.strip())
    opinion.rating, opinion.rated_at = rating, now
    if rating == Rating.UNSATISFIED:
        _move(opinion, "reopen", by=by, note=_("不满意，二次办理"), actor_label=label)
        opinion.round += 1
        opinion.deadline = default_deadline(opinion.channel, timezone.localdate())
        opinion.assigned_on = timezone.localdate()
        opinion.replied_on, opinion.reply_class = None, ""
        _set_reminders(opinion)
        notice_send(
            by=by,
            street=opinion.street,
            kind="opinion_reopened",
            event_key=f"opinion:{opinion.pk}:reopened:{opinion.round}",
            recipients=[*_unit_users(opinion.unit), *staff_of(opinion.street)],
            title=_("不满意，二次办理：%(title)s") % {"title": opinion.title},
            body=note.strip(),
            link=opinion.get_absolute_url(),
            subject=opinion,
        )
    opinion.save()
    return opinion


@transaction.atomic
def opinion_close(*, by: User, opinion: Opinion, note: str = "") -> Opinion:
    """办结: staff close a case once it is answered (on the spot, escalated, converted, replied or rated).
    Refused while a commitment of the checklist is still open (清单管理)."""
    opinion = _locked(opinion)
    require(by, Capability.MANAGE_OPINIONS, opinion.street)
    if opinion.state == State.RATED and opinion.rating == Rating.UNSATISFIED:
        raise ValidationError(_("提出人不满意的件须二次办理，不能办结。"))
    open_items = opinion.commitments.filter(done_on__isnull=True).count()
    if open_items:
        raise ValidationError(_("还有 %(n)d 项承诺事项未完成，不能办结。") % {"n": open_items})
    _move(opinion, "close", by=by, note=note.strip())
    opinion.closed_on = timezone.localdate()
    opinion.save(update_fields=["state", "closed_on", "updated_at"])
    _end_reminders(opinion)
    return opinion


@transaction.atomic
def opinion_follow_up_letter(*, by: User, opinion: Opinion, background: bool = True):
    """督办函: a numbered letter (kind 函, letter format) to the unit of an overdue case. Returns the Document."""
    from committee.documents.models import DocumentKind
    from committee.documents.services import document_issue

    opinion = _locked(opinion)
    require(by, Capability.MANAGE_OPINIONS, opinion.street)
    if not opinion.is_overdue:
        raise ValidationError(_("只有逾期未答复的件可以发督办函。"))
    street = Street.objects.select_related("committee", "municipality").get(pk=opinion.street_id)
    committee_name = street.committee.name
    document = document_issue(
        by=by,
        street=street,
        kind=DocumentKind.LETTER,
        title=_("关于督促办理意见建议的函"),
        template_name=FOLLOW_UP_TEMPLATE,
        context={
            "issuer": committee_name,
            "signature": committee_name,
            "recipient": opinion.unit.name,
            "content": opinion.content,
            "tracking_code": opinion.tracking_code,
            "assigned_on": f"{opinion.assigned_on:%Y年%-m月%-d日}",
            "deadline": f"{opinion.deadline:%Y年%-m月%-d日}",
            "overdue_days": working_days_between(opinion.deadline, timezone.localdate()),
            "channel": str(Channel(opinion.channel).label),
        },
        subject=opinion,
        view_capability=Capability.VIEW_OPINIONS,
        background=background,
    )
    _note(opinion, "follow_up", by=by, note=document.number)
    notice_send(
        by=by,
        street=street,
        kind="opinion_follow_up",
        event_key=f"opinion:{opinion.pk}:follow-up:{document.pk}",
        recipients=_unit_users(opinion.unit),
        title=_("督办函 %(number)s：%(title)s") % {"number": document.number, "title": opinion.title},
        body=_("期限 %(d)s 已过，尚未书面答复。请尽快办理并答复。") % {"d": f"{opinion.deadline:%Y年%-m月%-d日}"},
        link=opinion.get_absolute_url(),
        subject=opinion,
    )
    return document


# --- Signed rating links (usable in an SMS) -----------------------------------------------------------


def rating_token(opinion: Opinion) -> str:
    return signing.dumps([opinion.pk, opinion.round], salt=RATING_SALT)


def rating_url(opinion: Opinion) -> str:
    return settings.SITE_URL + reverse("supervision:rate_link", args=[rating_token(opinion)])


def opinion_from_rating_token(token: str) -> tuple[int, int]:
    """(opinion id, round); raises signing.BadSignature / SignatureExpired."""
    pk, round_ = signing.loads(token, salt=RATING_SALT, max_age=settings.OPINION_RATING_LINK_DAYS * 86400)
    return int(pk), int(round_)
