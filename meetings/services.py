"""Every write to meetings (Chapter 3). Keyword-only arguments, the acting user `by`, one transaction each;
notices go through `committee.notices.services` and PDFs through `committee.documents.services`."""

import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.documents import rendering
from committee.documents.models import DocumentKind
from committee.documents.services import document_issue
from committee.models import Membership, Street, User
from committee.notices.services import (
    notice_send,
    notices_cancel,
    notices_confirm_for,
    reminder_done,
    reminder_set,
)
from committee.permissions import require
from committee.roles import COMMITTEE_ROLES, Capability, Role
from committee.workdays import working_days_between
from meetings.models import (
    AgendaChange,
    AgendaDocument,
    AgendaItem,
    Answer,
    Decision,
    Meeting,
    MeetingKind,
    MeetingState,
    Participant,
    ParticipantGroup,
    WrittenOpinion,
    latest_notice_date,
)

NOTICE_KIND = "meeting_notice"
CHANGE_KIND = "meeting_change"
CANCEL_KIND = "meeting_cancel"
CHASE_KIND = "meeting_chase"
AGENDA_CHANGE_KIND = "meeting_agenda_change"
NOTICE_TEMPLATE = "meetings/notice_pdf.html"
MINUTES_TEMPLATE = "meetings/minutes_pdf.html"
LETTER_TEMPLATE = "meetings/opinion_letter_pdf.html"
SIGN_IN_SALT = "meetings.sign-in"
LETTER_ISSUER = "人大街道工委意见函"

# Art 5(2) and Art 6(2): the agendas a meeting starts from.
AGENDA_TEMPLATES = {
    MeetingKind.COMMITTEE: [
        "传达学习上级有关文件和会议精神",
        "听取和审议街道办事处有关工作报告",
        "研究讨论人大街道工委工作计划、总结及重要事项",
        "组织代表开展学习交流活动",
        "讨论决定其他需要研究的事项",
    ],
    MeetingKind.COUNCIL: [
        "听取街道办事处工作报告",
        "听取人大街道工委工作情况汇报",
        "讨论街道民生实事项目进展情况",
        "讨论街道生态环境保护工作情况",
        "听取街道居民议事组织及其成员有关意见和建议办理的情况",
        "听取街道民生实事完成情况",
        "票决街道民生实事",
        "其他事项",
    ],
}


def member_roles(kind: str) -> tuple[str, ...]:
    """Who makes up the body the meeting belongs to: the committee (Art 5) or the residents' council (Art 6)."""
    return COMMITTEE_ROLES if kind == MeetingKind.COMMITTEE else (Role.COUNCIL_MEMBER,)


def body_members(street: Street, kind: str, on: datetime.date | None = None) -> list[User]:
    return list(
        User.objects.filter(
            pk__in=Membership.objects.active(on).filter(street=street, role__in=member_roles(kind)).values("user_id")
        ).order_by("full_name", "pk")
    )


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("street__committee").get(pk=meeting.pk)


def _check_when(*, by: User, street: Street, date: datetime.date, urgent_reason: str, today: datetime.date) -> str:
    """Art 5(1): at least 10 days' notice, or an urgent meeting whose reason the director records."""
    if date < today:
        raise ValidationError({"date": _("会议日期不能早于今天。")})
    if date >= today + datetime.timedelta(days=10):
        return ""
    reason = urgent_reason.strip()
    if not reason:
        raise ValidationError(
            {
                "urgent_reason": _(
                    "会议通知须在会议召开10日前送达（最晚通知日期为%(d)s）。确需召开紧急会议的，须由工委主任填写紧急事由。"
                )
                % {"d": f"{latest_notice_date(date):%Y年%-m月%-d日}"}
            }
        )
    if not by.has_capability(Capability.CALL_URGENT_MEETINGS, street):
        raise ValidationError({"urgent_reason": _("不足10日通知的紧急会议只能由工委主任决定并填写事由。")})
    return reason


def _participant_users(meeting: Meeting) -> list[User]:
    return [p.user for p in meeting.participants.select_related("user") if p.user_id is not None]


def _notice_text(meeting: Meeting) -> str:
    agenda = "；".join(f"{i}. {item.title}" for i, item in enumerate(meeting.agenda.all(), start=1))
    text = _("时间：%(d)s %(t)s；地点：%(p)s。") % {
        "d": f"{meeting.date:%Y年%-m月%-d日}",
        "t": f"{meeting.time:%H:%M}",
        "p": meeting.place,
    }
    if agenda:
        text += _("议程：%(a)s。") % {"a": agenda}
    text += _("请签收并答复是否参会，如需请假请说明事由。")
    return text


@transaction.atomic
def meeting_schedule(
    *,
    by: User,
    street: Street,
    kind: str,
    title: str,
    date: datetime.date,
    time: datetime.time,
    place: str,
    attendees: list[User] = (),
    other_attendees: list[tuple[str, str]] = (),
    urgent_reason: str = "",
    chair: User | None = None,
    field_visit=None,
    today: datetime.date | None = None,
) -> Meeting:
    """Draft a meeting: the body's members (active memberships) are its participants, plus `attendees` chosen
    from people and `other_attendees` entered as (name, position). The agenda starts from the article's
    template. Nothing is sent until `meeting_confirm`."""
    require(by, Capability.MANAGE_MEETINGS, street)
    if kind not in MeetingKind.values:
        raise ValidationError(_("会议类别不正确。"))
    today = today or timezone.localdate()
    reason = _check_when(by=by, street=street, date=date, urgent_reason=urgent_reason, today=today)
    if not title.strip() or not place.strip():
        raise ValidationError(_("请填写会议名称和地点。"))
    meeting = Meeting(
        street=street,
        kind=kind,
        title=title.strip(),
        date=date,
        time=time,
        place=place.strip(),
        urgent_reason=reason,
        urgent_by=by if reason else None,
        created_by=by,
    )
    _set_chair(meeting, chair)
    _set_field_visit(meeting, field_visit)
    meeting.full_clean(exclude=["street", "created_by", "urgent_by", "chair", "field_visit"])
    meeting.save()
    members = body_members(street, kind, date)
    rows = [
        Participant(street=street, meeting=meeting, user=u, name=u.full_name, group=ParticipantGroup.MEMBER)
        for u in members
    ]
    seen = {u.pk for u in members}
    for user in attendees:
        if user.pk not in seen:
            seen.add(user.pk)
            rows.append(
                Participant(
                    street=street, meeting=meeting, user=user, name=user.full_name, group=ParticipantGroup.ATTENDEE
                )
            )
    for name, position in other_attendees:
        if name.strip():
            rows.append(
                Participant(
                    street=street,
                    meeting=meeting,
                    name=name.strip()[:50],
                    position=position.strip()[:100],
                    group=ParticipantGroup.ATTENDEE,
                )
            )
    Participant.objects.bulk_create(rows)
    AgendaItem.objects.bulk_create(
        AgendaItem(street=street, meeting=meeting, position=i, title=t)
        for i, t in enumerate(AGENDA_TEMPLATES[kind], start=1)
    )
    return meeting


def _set_chair(meeting: Meeting, chair: User | None) -> None:
    """Art 6 / 18(2): the director chairs a council meeting, or a vice director they delegate (recorded)."""
    if chair is None:
        meeting.chair, meeting.chair_delegated = None, False
        return
    roles = {m.role for m in chair.active_memberships if m.street_id == meeting.street_id}
    if Role.DIRECTOR in roles:
        meeting.chair, meeting.chair_delegated = chair, False
    elif Role.VICE_DIRECTOR in roles:
        meeting.chair, meeting.chair_delegated = chair, True
    else:
        raise ValidationError({"chair": _("会议由工委主任主持，或由主任委托的副主任主持。")})


def _set_field_visit(meeting: Meeting, field_visit) -> None:
    if field_visit is not None:
        if field_visit.street_id != meeting.street_id:
            raise ValidationError({"field_visit": _("视察调研须为本街道的活动。")})
        if field_visit.starts_on > meeting.date:
            raise ValidationError({"field_visit": _("会前视察调研不能晚于会议日期。")})
    meeting.field_visit = field_visit


@transaction.atomic
def meeting_update(
    *, by: User, meeting: Meeting, title: str, place: str, chair: User | None = None, field_visit=None
) -> Meeting:
    """Change what does not need a new notice (title, place of a draft, chair, the field visit before it)."""
    require(by, Capability.MANAGE_MEETINGS, meeting.street)
    meeting = _locked(meeting)
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("会议已取消。"))
    if meeting.state != MeetingState.DRAFT and place.strip() != meeting.place:
        raise ValidationError(_("通知已发出，变更地点请使用“变更时间地点”，以便发出变更通知。"))
    meeting.title, meeting.place = title.strip(), place.strip()
    _set_chair(meeting, chair)
    _set_field_visit(meeting, field_visit)
    meeting.save()
    return meeting


def _remind(meeting: Meeting, users: list[User]) -> None:
    reminder_set(
        key=f"meeting:{meeting.pk}",
        street=meeting.street,
        recipients=users,
        deadline=meeting.date,
        days_before=1,
        title=_("明天召开：%(t)s") % {"t": meeting.title},
        body=_notice_text(meeting),
        link=meeting.get_absolute_url(),
        subject=meeting,
    )


@transaction.atomic
def meeting_confirm(
    *, by: User, meeting: Meeting, today: datetime.date | None = None, background: bool = True, notify: bool = True
) -> Meeting:
    """Confirm the meeting: the notice goes to every participant with an account at once (all their channels),
    a reminder the day before, and the notice is issued as a PDF. A meeting less than 10 days ahead keeps its
    director's urgent reason. `notify=False` records a past meeting whose notice went out on paper (history,
    demo data): no notices, reminder or PDF."""
    require(by, Capability.MANAGE_MEETINGS, meeting.street)
    meeting = _locked(meeting)
    if meeting.state != MeetingState.DRAFT:
        raise ValidationError(_("会议通知已发出。"))
    today = today or timezone.localdate()
    if meeting.date < today + datetime.timedelta(days=10) and not meeting.urgent_reason:
        # The draft was saved in time but confirmed too late: the director must now record the reason.
        raise ValidationError(
            _("距会议已不足10日，须由工委主任以紧急会议填写事由后再发通知（最晚通知日期为%(d)s）。")
            % {"d": f"{meeting.latest_notice_date:%Y年%-m月%-d日}"}
        )
    meeting.state = MeetingState.NOTIFIED
    meeting.notice_sent_on = today
    meeting.save(update_fields=["state", "notice_sent_on", "updated_at"])
    if not notify:
        return meeting
    users = _participant_users(meeting)
    notice_send(
        by=by,
        street=meeting.street,
        kind=NOTICE_KIND,
        event_key=meeting.event_key(),
        recipients=users,
        title=_("会议通知：%(t)s") % {"t": meeting.title},
        body=_notice_text(meeting),
        link=meeting.get_absolute_url(),
        subject=meeting,
    )
    _remind(meeting, users)
    _issue_notice_pdf(by=by, meeting=meeting, background=background)
    return meeting


@transaction.atomic
def meeting_reschedule(
    *,
    by: User,
    meeting: Meeting,
    date: datetime.date,
    time: datetime.time,
    place: str,
    urgent_reason: str = "",
    today: datetime.date | None = None,
    background: bool = True,
) -> Meeting:
    """Move a notified meeting: its pending notices and reminders are cancelled, the change notice goes out under a
    new version, and answers are asked again. The 10-day rule applies to the new date."""
    require(by, Capability.MANAGE_MEETINGS, meeting.street)
    meeting = _locked(meeting)
    if meeting.state not in (MeetingState.DRAFT, MeetingState.NOTIFIED):
        raise ValidationError(_("只有尚未召开的会议可以变更时间地点。"))
    today = today or timezone.localdate()
    reason = _check_when(by=by, street=meeting.street, date=date, urgent_reason=urgent_reason, today=today)
    if not place.strip():
        raise ValidationError(_("请填写地点。"))
    notified = meeting.state == MeetingState.NOTIFIED
    old_key = meeting.event_key()
    meeting.date, meeting.time, meeting.place = date, time, place.strip()
    meeting.urgent_reason, meeting.urgent_by = reason, (by if reason else None)
    if not notified:
        meeting.save()
        return meeting
    notices_cancel(event_key=old_key)
    meeting.version += 1
    meeting.notice_sent_on = today
    meeting.save()
    meeting.participants.exclude(answer=Answer.PENDING).update(answer=Answer.PENDING, leave_reason="", answered_at=None)
    users = _participant_users(meeting)
    notice_send(
        by=by,
        street=meeting.street,
        kind=CHANGE_KIND,
        event_key=meeting.event_key(),
        recipients=users,
        title=_("会议变更通知：%(t)s") % {"t": meeting.title},
        body=_("会议时间地点已变更，以本通知为准。") + _notice_text(meeting),
        link=meeting.get_absolute_url(),
        subject=meeting,
    )
    _remind(meeting, users)
    _issue_notice_pdf(by=by, meeting=meeting, background=background)
    return meeting


@transaction.atomic
def meeting_cancel(*, by: User, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting not yet held: pending notices and the reminder are cancelled, a cancellation notice goes to
    those who were notified."""
    require(by, Capability.MANAGE_MEETINGS, meeting.street)
    if not reason.strip():
        raise ValidationError(_("请填写取消原因。"))
    meeting = _locked(meeting)
    if meeting.state not in (MeetingState.DRAFT, MeetingState.NOTIFIED):
        raise ValidationError(_("只有尚未召开的会议可以取消。"))
    notified = meeting.state == MeetingState.NOTIFIED
    meeting.state, meeting.cancel_reason = MeetingState.CANCELLED, reason.strip()
    meeting.save(update_fields=["state", "cancel_reason", "updated_at"])
    if notified:
        notices_cancel(event_key=meeting.event_key())
        reminder_done(key=f"meeting:{meeting.pk}")
        notice_send(
            by=by,
            street=meeting.street,
            kind=CANCEL_KIND,
            event_key=meeting.event_key("cancel"),
            recipients=_participant_users(meeting),
            title=_("会议取消通知：%(t)s") % {"t": meeting.title},
            body=_("原定%(d)s召开的会议取消。原因：%(r)s")
            % {"d": f"{meeting.date:%Y年%-m月%-d日}", "r": meeting.cancel_reason},
            link=meeting.get_absolute_url(),
            subject=meeting,
        )
    return meeting


@transaction.atomic
def participant_answer(*, by: User, participant: Participant, answer: str, leave_reason: str = "") -> Participant:
    """A participant answers for themself: attend, or ask for leave with a reason."""
    participant = Participant.objects.select_for_update().select_related("meeting").get(pk=participant.pk)
    if participant.user_id != by.pk:
        raise PermissionDenied
    if participant.meeting.state != MeetingState.NOTIFIED:
        raise ValidationError(_("会议不在通知阶段，不能答复。"))
    if answer not in (Answer.ATTEND, Answer.LEAVE):
        raise ValidationError(_("请选择参会或请假。"))
    reason = leave_reason.strip() if answer == Answer.LEAVE else ""
    if answer == Answer.LEAVE and not reason:
        raise ValidationError(_("请假须说明事由。"))
    participant.answer, participant.leave_reason, participant.answered_at = answer, reason[:200], timezone.now()
    participant.save(update_fields=["answer", "leave_reason", "answered_at"])
    _confirm_receipt(participant.meeting, by)
    return participant


def _confirm_receipt(meeting: Meeting, user: User) -> None:
    """Answering (or signing in) confirms receipt of the meeting's notice and of the agenda changes sent with the
    current version: the person has seen the meeting as it stands."""
    keys = [meeting.event_key()] + [
        meeting.event_key(f"agenda-{pk}")
        for pk in meeting.agenda_changes.filter(version=meeting.version).values_list("pk", flat=True)
    ]
    for key in keys:
        notices_confirm_for(event_key=key, user=user)


@transaction.atomic
def participants_chase(*, by: User, meeting: Meeting) -> int:
    """Remind those who have not answered (at most once a day: the event key carries the date)."""
    require(by, Capability.MANAGE_MEETINGS, meeting.street)
    if meeting.state != MeetingState.NOTIFIED:
        raise ValidationError(_("会议不在通知阶段。"))
    users = [
        p.user for p in meeting.participants.filter(answer=Answer.PENDING, user__isnull=False).select_related("user")
    ]
    notices = notice_send(
        by=by,
        street=meeting.street,
        kind=CHASE_KIND,
        event_key=meeting.event_key(f"chase-{timezone.localdate():%Y%m%d}"),
        recipients=users,
        title=_("请答复是否参会：%(t)s") % {"t": meeting.title},
        body=_notice_text(meeting),
        link=meeting.get_absolute_url(),
        subject=meeting,
    )
    return len({n.recipient_id for n in notices})


# --- Agenda ---------------------------------------------------------------------------------------------
# A draft's agenda is edited item by item. Once the notice is out, the agenda changes only as a whole through
# `agenda_change` (recorded, a change notice, the notice PDF issued again); once the meeting is held it is closed.


def _agenda_editable(by: User, meeting: Meeting, *, materials: bool = False) -> None:
    require(by, Capability.MANAGE_MEETINGS, meeting.street)
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("会议已取消。"))
    if meeting.state == MeetingState.HELD:
        raise ValidationError(_("会议已召开，议程和会议材料已关闭，不能再修改。"))
    if meeting.state == MeetingState.NOTIFIED and not materials:
        raise ValidationError(_("会议通知已发出，请通过“变更议程”修改议程，以便向参会人员发出变更通知。"))


@transaction.atomic
def agenda_item_add(*, by: User, meeting: Meeting, title: str) -> AgendaItem:
    _agenda_editable(by, meeting)
    if not title.strip():
        raise ValidationError(_("请填写议题。"))
    last = meeting.agenda.aggregate(m=Max("position"))["m"] or 0
    return AgendaItem.objects.create(street=meeting.street, meeting=meeting, position=last + 1, title=title.strip())


@transaction.atomic
def agenda_item_update(*, by: User, item: AgendaItem, title: str) -> AgendaItem:
    _agenda_editable(by, item.meeting)
    if not title.strip():
        raise ValidationError(_("请填写议题。"))
    item.title = title.strip()
    item.save(update_fields=["title"])
    return item


@transaction.atomic
def agenda_item_delete(*, by: User, item: AgendaItem) -> None:
    _agenda_editable(by, item.meeting)
    item.delete()
    _renumber(item.meeting)


def _renumber(meeting: Meeting) -> None:
    for i, row in enumerate(meeting.agenda.order_by("position", "pk"), start=1):
        if row.position != i:
            AgendaItem.objects.filter(pk=row.pk).update(position=i)


@transaction.atomic
def agenda_item_move(*, by: User, item: AgendaItem, up: bool) -> None:
    _agenda_editable(by, item.meeting)
    items = list(item.meeting.agenda.select_for_update().order_by("position", "pk"))
    index = next(i for i, row in enumerate(items) if row.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for i, row in enumerate(items, start=1):
            AgendaItem.objects.filter(pk=row.pk).update(position=i)


@transaction.atomic
def agenda_document_add(*, by: User, item: AgendaItem, upload) -> AgendaDocument:
    """Materials for an agenda item, until the meeting is held (they are not part of the notice)."""
    _agenda_editable(by, item.meeting, materials=True)
    if upload.size > 20 * 1024 * 1024:
        raise ValidationError(_("文件不能超过 20 MB。"))
    return AgendaDocument.objects.create(
        street=item.street, item=item, name=upload.name[:200], file=upload, uploaded_by=by
    )


def _agenda_summary(before: list[AgendaItem], after: list[tuple[int | None, str]]) -> list[str]:
    """What changed between the agenda as notified and the new one, one line per change, in Chinese."""
    old = {item.pk: item.title for item in before}
    kept = [pk for pk, _title in after if pk is not None]
    lines = [_("删除议题：%(t)s") % {"t": item.title} for item in before if item.pk not in kept]
    for pk, title in after:
        if pk is None:
            lines.append(_("新增议题：%(t)s") % {"t": title})
        elif old[pk] != title:
            lines.append(_("修改议题：%(old)s → %(new)s") % {"old": old[pk], "new": title})
    if kept != [item.pk for item in before if item.pk in kept]:
        lines.append(_("调整议题顺序"))
    return lines


@transaction.atomic
def agenda_change(
    *,
    by: User,
    meeting: Meeting,
    agenda: list[tuple[int | None, str]],
    reason: str = "",
    background: bool = True,
) -> AgendaChange:
    """Change the agenda of a notified meeting as a whole. `agenda` is the new agenda in order: (the pk of an
    existing item, or None for a new one; its title); items left out are deleted with their materials. The
    change is recorded (who, when, what), a change notice goes to the participants (their answers stand: the time
    and place did not change), the reminder's text follows, and the notice is issued again as a new version of
    its PDF. Refused before the notice (edit the draft's items) and once the meeting is held (the agenda is
    closed)."""
    require(by, Capability.MANAGE_MEETINGS, meeting.street)
    meeting = _locked(meeting)
    if meeting.state == MeetingState.DRAFT:
        raise ValidationError(_("会议通知尚未发出，请直接修改议程。"))
    _agenda_editable(by, meeting, materials=True)
    before = list(meeting.agenda.select_for_update().order_by("position", "pk"))
    known = {item.pk for item in before}
    rows, seen = [], set()
    for pk, title in agenda:
        title = (title or "").strip()
        if pk is not None and (pk not in known or pk in seen):
            raise ValidationError(_("议程已被修改，请刷新页面后重新填写。"))
        if not title:
            continue  # an emptied title removes the item
        if len(title) > AgendaItem._meta.get_field("title").max_length:
            raise ValidationError(_("议题不能超过 300 个字。"))
        seen.add(pk)
        rows.append((pk, title))
    if not rows:
        raise ValidationError(_("议程至少要有一项议题。"))
    lines = _agenda_summary(before, rows)
    if not lines:
        raise ValidationError(_("议程没有变化。"))
    kept = {pk for pk, _title in rows if pk is not None}
    AgendaItem.objects.filter(meeting=meeting).exclude(pk__in=kept).delete()
    for position, (pk, title) in enumerate(rows, start=1):
        if pk is None:
            AgendaItem.objects.create(street=meeting.street, meeting=meeting, position=position, title=title)
        else:
            AgendaItem.objects.filter(pk=pk).update(position=position, title=title)
    reason = reason.strip()[:300]
    change = AgendaChange.objects.create(
        street=meeting.street,
        meeting=meeting,
        version=meeting.version,
        summary="\n".join(lines),
        reason=reason,
        changed_by=by,
    )
    users = _participant_users(meeting)
    body = _("会议议程已变更：%(s)s。") % {"s": "；".join(lines)}
    if reason:
        body += _("说明：%(r)s。") % {"r": reason}
    notice_send(
        by=by,
        street=meeting.street,
        kind=AGENDA_CHANGE_KIND,
        event_key=meeting.event_key(f"agenda-{change.pk}"),
        recipients=users,
        title=_("会议议程变更通知：%(t)s") % {"t": meeting.title},
        body=body + _notice_text(meeting),
        link=meeting.get_absolute_url(),
        subject=meeting,
    )
    _remind(meeting, users)
    _issue_notice_pdf(by=by, meeting=meeting, background=background, revised_on=timezone.localdate())
    change.document = meeting.notice_document
    change.save(update_fields=["document"])
    return change


# --- On the day ---------------------------------------------------------------------------------------------


def sign_in_token(meeting: Meeting) -> str:
    return signing.dumps(meeting.pk, salt=SIGN_IN_SALT)


def meeting_from_sign_in_token(token: str) -> int:
    """The meeting id; raises signing.BadSignature. Whether sign-in is open is the meeting's state and day."""
    return int(signing.loads(token, salt=SIGN_IN_SALT))


def _check_sign_in_open(meeting: Meeting, today: datetime.date) -> None:
    if meeting.state not in (MeetingState.NOTIFIED, MeetingState.HELD):
        raise ValidationError(_("会议未发通知或已取消，不能签到。"))
    if today < meeting.date:
        raise ValidationError(_("签到在会议当天开放。"))


def _signed_in(by: User, participant: Participant, today: datetime.date | None) -> Participant:
    participant = (
        Participant.objects.select_for_update(of=("self",)).select_related("meeting", "user").get(pk=participant.pk)
    )
    _check_sign_in_open(participant.meeting, today or timezone.localdate())
    if participant.signed_in_at is None:
        participant.signed_in_at, participant.signed_in_by = timezone.now(), by
        participant.save(update_fields=["signed_in_at", "signed_in_by"])
    meeting = participant.meeting
    if participant.user_id is not None:
        _confirm_receipt(meeting, participant.user)
    if meeting.state == MeetingState.NOTIFIED:
        Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.HELD, updated_at=timezone.now())
        reminder_done(key=f"meeting:{meeting.pk}")
    return participant


@transaction.atomic
def participant_sign_in(
    *, by: User, participant: Participant, present: bool = True, today: datetime.date | None = None
) -> Participant:
    """Staff sign a participant in (or undo it) on the day; the first sign-in marks the meeting as held."""
    require(by, Capability.MANAGE_MEETINGS, participant.street)
    if present:
        return _signed_in(by, participant, today)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.meeting.decisions.exists() and participant.meeting.is_council:
        raise ValidationError(_("已记录决定，不能撤销签到。"))
    participant.signed_in_at, participant.signed_in_by = None, None
    participant.save(update_fields=["signed_in_at", "signed_in_by"])
    return participant


@transaction.atomic
def self_sign_in(*, by: User, meeting: Meeting, today: datetime.date | None = None) -> Participant:
    """A participant signs in by scanning the meeting's QR code (a signed link; login required)."""
    participant = meeting.participants.filter(user=by).first()
    if participant is None:
        raise PermissionDenied
    return _signed_in(by, participant, today)


def quorum(meeting: Meeting) -> dict:
    """Members and members present; a council meeting needs more than half of its members present (Art 6)."""
    members = meeting.participants.filter(group=ParticipantGroup.MEMBER)
    total = members.count()
    present = members.filter(signed_in_at__isnull=False).count()
    return {"members": total, "present": present, "needed": total // 2 + 1, "reached": present * 2 > total}


@transaction.atomic
def decision_record(*, by: User, meeting: Meeting, text: str) -> Decision:
    """Record a decision of a held meeting; a council meeting must have a quorum."""
    require(by, Capability.MANAGE_MEETINGS, meeting.street)
    meeting = _locked(meeting)
    if meeting.state != MeetingState.HELD:
        raise ValidationError(_("会议签到后方可记录决定。"))
    if not text.strip():
        raise ValidationError(_("请填写决定事项。"))
    q = quorum(meeting)
    if meeting.is_council and not q["reached"]:
        raise ValidationError(
            _("到会议事员%(p)d人，未超过全体议事员（%(m)d人）的半数，不能作出决定。")
            % {"p": q["present"], "m": q["members"]}
        )
    return Decision.objects.create(
        street=meeting.street,
        meeting=meeting,
        text=text.strip(),
        present=q["present"],
        members=q["members"],
        created_by=by,
    )


def notice_pdf_context(meeting: Meeting, revised_on: datetime.date | None = None) -> dict:
    committee_name = meeting.street.committee.name
    lines = [
        _("经研究，定于%(d)s %(t)s在%(p)s召开%(title)s。现将有关事项通知如下：")
        % {
            "d": f"{meeting.date:%Y年%-m月%-d日}",
            "t": f"{meeting.time:%H:%M}",
            "p": meeting.place,
            "title": meeting.title,
        },
        "一、会议议程",
    ]
    lines += [f"{i}. {item.title}" for i, item in enumerate(meeting.agenda.all(), start=1)]
    lines.append("二、参会人员")
    lines.append("、".join(p.name for p in meeting.participants.all()))
    lines.append("三、有关要求")
    lines.append("请参会人员准时出席。因故不能参会的，请于会前向人大街道工委请假并说明事由。")
    if meeting.urgent_reason:
        lines.append(_("（本次为紧急会议，事由：%(r)s）") % {"r": meeting.urgent_reason})
    if revised_on:
        lines.append(_("（本通知因议程变更于%(d)s重新印发，以本通知为准。）") % {"d": f"{revised_on:%Y年%-m月%-d日}"})
    return {
        "issuer": committee_name,
        "masthead": committee_name,
        "recipient": _("各参会人员"),
        "signature": committee_name,
        "paragraphs": rendering.paragraphs("\n".join(lines)),
    }


def _issue_notice_pdf(*, by: User, meeting: Meeting, background: bool, revised_on: datetime.date | None = None) -> None:
    """The meeting notice as a 公文 (kind 函, document format); a reschedule or an agenda change issues a new
    version of it (`document_issue` versions per subject and template: the new one supersedes the old)."""
    meeting.notice_document = document_issue(
        by=by,
        street=meeting.street,
        kind=DocumentKind.LETTER,
        title=_("关于召开%(t)s的通知") % {"t": meeting.title},
        template_name=NOTICE_TEMPLATE,
        context=notice_pdf_context(meeting, revised_on),
        subject=meeting,
        view_capability=Capability.VIEW_MEETINGS,
        background=background,
        issued_on=revised_on or meeting.notice_sent_on,
    )
    meeting.save(update_fields=["notice_document", "updated_at"])


@transaction.atomic
def minutes_save(*, by: User, meeting: Meeting, minutes: str) -> Meeting:
    require(by, Capability.MANAGE_MEETINGS, meeting.street)
    meeting = _locked(meeting)
    if meeting.state != MeetingState.HELD:
        raise ValidationError(_("会议签到后方可填写纪要。"))
    if meeting.minutes_document_id:
        raise ValidationError(_("纪要已印发，不能再修改。"))
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes", "updated_at"])
    return meeting


def minutes_attendance(meeting: Meeting) -> list[dict]:
    """The lists closing a 纪要 (GB/T 9704 §10.3): who chaired, attended (members), was on leave (with the
    reason), sat in (列席: the other participants present) and, when anyone did, who was absent without leave."""
    participants = list(meeting.participants.all())
    present = [p for p in participants if p.present]
    lists = []
    if meeting.chair_id:
        lists.append(("主持", meeting.chair.full_name + ("（受主任委托）" if meeting.chair_delegated else "")))
    lists.append(("出席", "、".join(p.name for p in present if p.group == ParticipantGroup.MEMBER) or "无"))
    lists.append(
        (
            "请假",
            "、".join(
                f"{p.name}（{p.leave_reason}）" for p in participants if not p.present and p.answer == Answer.LEAVE
            ),
        )
    )
    lists.append(("列席", "、".join(p.name for p in present if p.group != ParticipantGroup.MEMBER)))
    lists.append(("缺席", "、".join(p.name for p in participants if not p.present and p.answer != Answer.LEAVE)))
    return [{"label": label, "names": names} for label, names in lists if names]


@transaction.atomic
def minutes_issue(*, by: User, meeting: Meeting, background: bool = True, on: datetime.date | None = None) -> Meeting:
    """Issue the minutes as a 公文 of kind 纪要 (its own series: 第N期) in the 纪要 format, the body followed by the
    decisions and closed by the attendance lists."""
    require(by, Capability.MANAGE_MEETINGS, meeting.street)
    meeting = _locked(meeting)
    if meeting.state != MeetingState.HELD:
        raise ValidationError(_("会议签到后方可印发纪要。"))
    if meeting.minutes_document_id:
        raise ValidationError(_("纪要已印发。"))
    if not meeting.minutes_paragraphs():
        raise ValidationError(_("纪要正文为空，不能印发。"))
    lines = list(meeting.minutes_paragraphs())
    decisions = list(meeting.decisions.all())
    if decisions:
        lines.append("会议决定事项")
        lines += [f"{i}. {d.text}" for i, d in enumerate(decisions, start=1)]
    committee_name = meeting.street.committee.name
    meeting.minutes_document = document_issue(
        by=by,
        street=meeting.street,
        kind=DocumentKind.MINUTES,
        title=_("%(t)s纪要") % {"t": meeting.title},
        template_name=MINUTES_TEMPLATE,
        context={
            "issuer": committee_name,
            "heading": _("%(committee)s会议纪要") % {"committee": committee_name},
            "paragraphs": rendering.paragraphs("\n".join(lines)),
            "attendance": minutes_attendance(meeting),
        },
        subject=meeting,
        view_capability=Capability.VIEW_MEETINGS,
        background=background,
        issued_on=on,
    )
    meeting.save(update_fields=["minutes_document", "updated_at"])
    return meeting


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


# --- Written opinions (Art 6(3), 13(3)) -----------------------------------------------------------------------


@transaction.atomic
def written_opinion_add(
    *,
    by: User,
    meeting: Meeting,
    content: str,
    unit,
    deadline: datetime.date | None = None,
    background: bool = True,
    on: datetime.date | None = None,
) -> WrittenOpinion:
    """An opinion adopted at a held council meeting with a quorum: issued to its handling unit as a
    《人大街道工委意见函》 (letter format, numbered) and opened as a case in the handling loop, assigned to the unit."""
    from supervision import services as loop
    from supervision.models import Channel

    require(by, Capability.MANAGE_MEETINGS, meeting.street)
    meeting = _locked(meeting)
    if not meeting.is_council:
        raise ValidationError(_("书面意见是居民议事会会议的意见。"))
    if meeting.state != MeetingState.HELD:
        raise ValidationError(_("会议召开后方可形成书面意见。"))
    if not quorum(meeting)["reached"]:
        raise ValidationError(_("到会议事员未超过半数，不能形成书面意见。"))
    content = content.strip()
    if not content:
        raise ValidationError(_("请填写意见内容。"))
    if unit is None or unit.street_id != meeting.street_id or not unit.active:
        raise ValidationError(_("请选择本街道在用的办理单位。"))
    record = WrittenOpinion.objects.create(
        street=meeting.street, meeting=meeting, content=content, unit=unit, created_by=by
    )
    # The case first: assigning it fixes the reply deadline the letter states.
    case = loop.opinion_register(
        by=by,
        street=meeting.street,
        channel=Channel.COUNCIL_MEETING,
        content=content,
        category=_("议事会书面意见"),
        proposer_name=_("居民议事会"),
        source=record,
        registered_at=_noon(on) if on else None,
    )
    record.opinion = loop.opinion_assign(by=by, opinion=case, unit=unit, deadline=deadline, on=on)
    committee_name = meeting.street.committee.name
    record.document = document_issue(
        by=by,
        street=meeting.street,
        kind=DocumentKind.LETTER,
        title=_("关于%(t)s书面意见的函") % {"t": meeting.title},
        template_name=LETTER_TEMPLATE,
        context={
            "issuer": LETTER_ISSUER,
            "signature": committee_name,
            "recipient": unit.name,
            "meeting_title": meeting.title,
            "meeting_date": f"{meeting.date:%Y年%-m月%-d日}",
            "content": content,
            "deadline": rendering.chinese_date(record.opinion.deadline),
            "deadline_working_days": working_days_between(record.opinion.assigned_on, record.opinion.deadline),
        },
        subject=record,
        view_capability=Capability.VIEW_MEETINGS,
        background=background,
        issued_on=on,
    )
    record.save(update_fields=["document", "opinion"])
    return record
