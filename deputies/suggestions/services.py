"""Every write of deputies' suggestions, leader contacts and consultations on measures. Keyword-only, an acting
user `by`, one transaction, the capability checked inside; refusals are `ValidationError`s in Chinese naming
the argument they concern. Cases go into the loop only through `supervision.services`."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.models import Street, User
from committee.notices.services import notice_send
from committee.permissions import require
from committee.roles import Capability
from deputies.models import deputy_memberships
from deputies.suggestions.models import (
    ContactKind,
    ContactRecord,
    CoSigner,
    CoSignerState,
    LeaderBody,
    LeaderContact,
    MeasureConsultation,
    MeasureOpinion,
    Suggestion,
    SuggestionEvent,
    SuggestionState,
)
from supervision import services as loop
from supervision.models import Channel
from supervision.services import staff_of

S = SuggestionState
# action: (label, states it may start from, state it leads to, who may take it)
SUGGESTION_MOVES: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "send": (gettext_lazy("送工委沟通协调"), (S.DRAFT,), S.CONSULTING, "author"),
    "send_back": (gettext_lazy("退回修改"), (S.CONSULTING, S.REVISED), S.SENT_BACK, "staff"),
    "revise": (gettext_lazy("提交修改稿"), (S.SENT_BACK,), S.REVISED, "author"),
    "submit": (gettext_lazy("正式提交"), (S.CONSULTING, S.REVISED), S.SUBMITTED, "author"),
}
EDITABLE = (S.DRAFT, S.SENT_BACK)
TEXT_FIELDS = ("title", "category", "problem", "content", "solution")
REQUIRED_TEXT = {
    "title": gettext_lazy("请填写标题。"),
    "problem": gettext_lazy("请写明存在的问题。"),
    "content": gettext_lazy("请填写建议内容。"),
    "solution": gettext_lazy("请提出解决办法。"),
}


def deputies_of(street: Street, on: datetime.date | None = None):
    """The people who are deputies of the street on a day: an active Membership(role=deputy)."""
    return User.objects.filter(
        pk__in=deputy_memberships(on).filter(street=street).values("user_id"),
        is_active=True,
    )


def _locked(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update(of=("self",)).select_related("street").get(pk=suggestion.pk)


def _require_author(by: User, suggestion: Suggestion) -> None:
    require(by, Capability.DRAFT_SUGGESTIONS, suggestion.street)
    if suggestion.author_id != by.pk:
        raise PermissionDenied


def _event(suggestion, action, *, by, note="", from_state=None, consultation=False) -> SuggestionEvent:
    return SuggestionEvent.objects.create(
        street_id=suggestion.street_id,
        suggestion=suggestion,
        action=action,
        from_state=suggestion.state if from_state is None else from_state,
        to_state=suggestion.state,
        note=note,
        by=by,
        consultation=consultation,
    )


def _check_move(suggestion: Suggestion, action: str, *, by: User) -> str:
    """The state the move leads to; refused when the state does not allow it or `by` may not take it."""
    label, sources, target, who = SUGGESTION_MOVES[action]
    if who == "author":
        _require_author(by, suggestion)
    else:
        require(by, Capability.CONSULT_SUGGESTIONS, suggestion.street)
    if suggestion.state not in sources:
        raise ValidationError(
            _("当前状态为“%(state)s”，不能%(action)s。") % {"state": S(suggestion.state).label, "action": label}
        )
    return target


def _move(suggestion: Suggestion, action: str, *, by: User, note: str = "") -> None:
    """Check the move, set the new state, save the row and record the event."""
    target = _check_move(suggestion, action, by=by)
    who = SUGGESTION_MOVES[action][3]
    from_state, suggestion.state = suggestion.state, target
    suggestion.save()
    _event(suggestion, action, by=by, note=note, from_state=from_state, consultation=who == "staff")


def _clean_text(fields: dict) -> dict:
    cleaned = {name: (fields.get(name) or "").strip() for name in TEXT_FIELDS}
    for name, message in REQUIRED_TEXT.items():
        if not cleaned[name]:
            raise ValidationError({name: message})
    if len(cleaned["title"]) > 100:
        raise ValidationError({"title": _("标题不能超过100个字。")})
    cleaned["category"] = cleaned["category"][:50]
    return cleaned


def _notify(suggestion: Suggestion, *, by: User, kind: str, recipients, title: str, body: str = "", key: str) -> None:
    notice_send(
        by=by,
        street=suggestion.street,
        kind=kind,
        event_key=f"suggestion:{suggestion.pk}:{key}",
        recipients=recipients,
        title=title[:100],
        body=body,
        link=suggestion.get_absolute_url(),
        subject=suggestion,
    )


# --- Suggestions ----------------------------------------------------------------------------------------------
@transaction.atomic
def suggestion_create(
    *, by: User, street: Street, title: str, problem: str, content: str, solution: str, category: str = ""
) -> Suggestion:
    """A deputy of the street starts a draft."""
    require(by, Capability.DRAFT_SUGGESTIONS, street)
    fields = _clean_text(
        {"title": title, "category": category, "problem": problem, "content": content, "solution": solution}
    )
    suggestion = Suggestion.objects.create(street=street, author=by, **fields)
    _event(suggestion, "create", by=by, from_state="")
    return suggestion


@transaction.atomic
def suggestion_update(
    *, by: User, suggestion: Suggestion, title: str, problem: str, content: str, solution: str, category: str = ""
) -> Suggestion:
    """The author changes the text while it is a draft or sent back; once sent, staff consult on what they read."""
    suggestion = _locked(suggestion)
    _require_author(by, suggestion)
    if suggestion.state not in EDITABLE:
        raise ValidationError(
            _("当前状态为“%(state)s”，不能修改。请等待工委沟通协调意见。") % {"state": suggestion.get_state_display()}
        )
    fields = _clean_text(
        {"title": title, "category": category, "problem": problem, "content": content, "solution": solution}
    )
    changed = [name for name, value in fields.items() if getattr(suggestion, name) != value]
    if changed:
        for name in changed:
            setattr(suggestion, name, fields[name])
        suggestion.save()
        labels = "、".join(str(Suggestion._meta.get_field(name).verbose_name) for name in changed)
        _event(suggestion, "edit", by=by, note=_("修改了%(fields)s") % {"fields": labels})
    return suggestion


@transaction.atomic
def suggestion_send(*, by: User, suggestion: Suggestion) -> Suggestion:
    """The author sends the draft to the committee for consultation (沟通协调); staff are notified."""
    suggestion = _locked(suggestion)
    _move(suggestion, "send", by=by)
    _notify(
        suggestion,
        by=by,
        kind="suggestion_consult",
        recipients=staff_of(suggestion.street),
        title=_("代表建议待沟通协调：%(t)s") % {"t": suggestion.title},
        key="send",
    )
    return suggestion


@transaction.atomic
def suggestion_comment(*, by: User, suggestion: Suggestion, note: str) -> SuggestionEvent:
    """A consultation comment from staff, or the author's answer to one, while the suggestion is not submitted."""
    suggestion = _locked(suggestion)
    staff = by.has_capability(Capability.CONSULT_SUGGESTIONS, suggestion.street)
    if not staff:
        _require_author(by, suggestion)
    if suggestion.state in (S.DRAFT, S.SUBMITTED):
        raise ValidationError(_("建议送工委沟通协调后、正式提交前才能留言。"))
    if not note.strip():
        raise ValidationError({"note": _("请填写意见。")})
    event = _event(suggestion, "comment", by=by, note=note.strip(), consultation=staff)
    if staff:
        _notify(
            suggestion,
            by=by,
            kind="suggestion_comment",
            recipients=[suggestion.author],
            title=_("工委对您的建议提出了意见：%(t)s") % {"t": suggestion.title},
            body=note.strip(),
            key=f"comment-{event.pk}",
        )
    return event


@transaction.atomic
def suggestion_send_back(*, by: User, suggestion: Suggestion, note: str) -> Suggestion:
    """Staff ask for a revision, saying what to change; the author is notified."""
    suggestion = _locked(suggestion)
    if not note.strip():
        raise ValidationError({"note": _("请写明需要修改的地方。")})
    _move(suggestion, "send_back", by=by, note=note.strip())
    _notify(
        suggestion,
        by=by,
        kind="suggestion_sent_back",
        recipients=[suggestion.author],
        title=_("建议退回修改：%(t)s") % {"t": suggestion.title},
        body=note.strip(),
        key=f"sent-back-{suggestion.events.count()}",
    )
    return suggestion


@transaction.atomic
def suggestion_revise(*, by: User, suggestion: Suggestion, note: str = "") -> Suggestion:
    """The author hands the revised text back to the committee."""
    suggestion = _locked(suggestion)
    _move(suggestion, "revise", by=by, note=note.strip())
    _notify(
        suggestion,
        by=by,
        kind="suggestion_consult",
        recipients=staff_of(suggestion.street),
        title=_("代表建议已修改：%(t)s") % {"t": suggestion.title},
        key=f"revised-{suggestion.events.count()}",
    )
    return suggestion


def case_text(suggestion: Suggestion, cosigners: Iterable[User]) -> str:
    names = "、".join(user.full_name for user in cosigners)
    parts = [
        suggestion.title,
        _("存在的问题：%(t)s") % {"t": suggestion.problem},
        _("建议内容：%(t)s") % {"t": suggestion.content},
        _("解决办法：%(t)s") % {"t": suggestion.solution},
    ]
    if names:
        parts.append(_("附议代表：%(n)s") % {"n": names})
    return "\n".join(parts)


@transaction.atomic
def suggestion_submit(*, by: User, suggestion: Suggestion) -> Suggestion:
    """The author submits after consultation: a case (channel `deputy_suggestion`, the author its proposer, the
    suggestion its source) opens in the loop, naming the co-signers who confirmed. Invitations not answered lapse."""
    suggestion = _locked(suggestion)
    _check_move(suggestion, "submit", by=by)
    confirmed = [c.deputy for c in suggestion.cosigners.filter(state=CoSignerState.CONFIRMED).select_related("deputy")]
    case = loop.opinion_register(
        by=by,
        street=suggestion.street,
        channel=Channel.DEPUTY_SUGGESTION,
        content=case_text(suggestion, confirmed),
        category=suggestion.category,
        proposer_user=by,
        source=suggestion,
    )
    suggestion.case, suggestion.submitted_at = case, timezone.now()
    _move(suggestion, "submit", by=by)
    return suggestion


@transaction.atomic
def cosigners_invite(*, by: User, suggestion: Suggestion, deputies: Iterable[User]) -> list[CoSigner]:
    """The author invites deputies of the street to co-sign (附议); each gets a notice and answers on their own
    account. Someone already invited is left as they are."""
    suggestion = _locked(suggestion)
    _require_author(by, suggestion)
    if suggestion.state == S.SUBMITTED:
        raise ValidationError(_("建议已提交，不能再邀请附议。"))
    people = list(deputies)
    if not people:
        raise ValidationError({"deputies": _("请选择要邀请附议的代表。")})
    allowed = set(deputies_of(suggestion.street).values_list("pk", flat=True))
    for person in people:
        if person.pk == by.pk:
            raise ValidationError({"deputies": _("领衔代表不能附议自己的建议。")})
        if person.pk not in allowed:
            raise ValidationError({"deputies": _("%(n)s不是本街道的代表。") % {"n": person.full_name}})
    known = set(suggestion.cosigners.values_list("deputy_id", flat=True))
    new = [p for p in people if p.pk not in known]
    rows = CoSigner.objects.bulk_create(
        [CoSigner(street_id=suggestion.street_id, suggestion=suggestion, deputy=p) for p in new]
    )
    for person in new:
        _event(suggestion, "invite", by=by, note=person.full_name)
    _notify(
        suggestion,
        by=by,
        kind="suggestion_cosign",
        recipients=new,
        title=_("%(a)s邀请您附议建议：%(t)s") % {"a": by.full_name, "t": suggestion.title},
        body=_("请阅读建议全文后确认是否附议。"),
        key="invite",
    )
    return rows


@transaction.atomic
def cosigner_answer(*, by: User, suggestion: Suggestion, confirm: bool) -> CoSigner:
    """The invited deputy confirms (their name then appears) or declines, on their own account, before submission."""
    suggestion = _locked(suggestion)
    cosigner = CoSigner.objects.select_for_update().filter(suggestion=suggestion, deputy=by).first()
    if cosigner is None:
        raise PermissionDenied
    if suggestion.state == S.SUBMITTED:
        raise ValidationError(_("建议已提交，不能再附议。"))
    if cosigner.state != CoSignerState.INVITED:
        raise ValidationError(_("您已答复过这份邀请（%(s)s）。") % {"s": cosigner.get_state_display()})
    cosigner.state = CoSignerState.CONFIRMED if confirm else CoSignerState.DECLINED
    cosigner.answered_at = timezone.now()
    cosigner.save()
    _event(suggestion, "cosign" if confirm else "decline", by=by, note=cosigner.get_state_display())
    return cosigner


# --- Leader contacts (Art 11(2)) ------------------------------------------------------------------------------
def _check_deputies(street: Street, deputies: list[User], field: str = "deputies") -> None:
    if not deputies:
        raise ValidationError({field: _("请选择代表。")})
    allowed = set(deputies_of(street).values_list("pk", flat=True))
    strangers = [d.full_name for d in deputies if d.pk not in allowed]
    if strangers:
        raise ValidationError({field: _("%(n)s不是本街道的代表。") % {"n": "、".join(strangers)}})


@transaction.atomic
def leader_contact_save(
    *,
    by: User,
    street: Street,
    leader_name: str,
    leader_title: str,
    body: str,
    deputies: Iterable[User],
    leader: User | None = None,
    contact: LeaderContact | None = None,
) -> LeaderContact:
    """Assign a leader (an account, or a name and title) the deputies they stay in touch with."""
    require(by, Capability.MANAGE_DEPUTY_LIAISON, street)
    deputies = list(deputies)
    leader_name = (leader_name or (leader.full_name if leader else "")).strip()
    if not leader_name:
        raise ValidationError({"leader_name": _("请填写领导姓名或选择账号。")})
    if not leader_title.strip():
        raise ValidationError({"leader_title": _("请填写职务。")})
    if body not in LeaderBody.values:
        raise ValidationError({"body": _("请选择所在单位。")})
    _check_deputies(street, deputies)
    duplicate = LeaderContact.objects.filter(street=street, leader_name=leader_name, leader_title=leader_title.strip())
    if duplicate.exclude(pk=contact.pk if contact else None).exists():
        raise ValidationError({"leader_name": _("这位领导已登记联系代表，请直接修改。")})
    contact = contact or LeaderContact(street=street)
    if contact.street_id != street.pk:
        raise PermissionDenied
    contact.leader, contact.leader_name, contact.leader_title, contact.body = (
        leader,
        leader_name,
        leader_title.strip(),
        body,
    )
    contact.save()
    contact.deputies.set(deputies)
    return contact


@transaction.atomic
def contact_record_add(
    *, by: User, contact: LeaderContact, deputy: User, on: datetime.date, kind: str, topic: str
) -> ContactRecord:
    """Record one contact (visit, talk, call) of the leader with one of their deputies; staff or the leader."""
    if contact.leader_id != by.pk:
        require(by, Capability.MANAGE_DEPUTY_LIAISON, contact.street)
    if not contact.deputies.filter(pk=deputy.pk).exists():
        raise ValidationError({"deputy": _("%(n)s不在这位领导联系的代表中。") % {"n": deputy.full_name}})
    if on is None or on > timezone.localdate():
        raise ValidationError({"on": _("联系日期不能晚于今天。")})
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("请选择联系方式。")})
    if not topic.strip():
        raise ValidationError({"topic": _("请填写联系内容。")})
    return ContactRecord.objects.create(
        street_id=contact.street_id,
        contact=contact,
        deputy=deputy,
        on=on,
        kind=kind,
        topic=topic.strip()[:200],
        recorded_by=by,
    )


# --- Consultations on major measures (Art 11(1)) ----------------------------------------------------------------
@transaction.atomic
def consultation_create(
    *,
    by: User,
    street: Street,
    title: str,
    description: str,
    reply_by: datetime.date,
    deputies: Iterable[User],
    asked_on: datetime.date | None = None,
) -> MeasureConsultation:
    """The street office's measure put to the deputies; each deputy asked gets a notice."""
    require(by, Capability.MANAGE_DEPUTY_LIAISON, street)
    deputies = list(deputies)
    asked_on = asked_on or timezone.localdate()
    if not title.strip():
        raise ValidationError({"title": _("请填写重大事项名称。")})
    if not description.strip():
        raise ValidationError({"description": _("请说明事项内容。")})
    if reply_by is None or reply_by < asked_on:
        raise ValidationError({"reply_by": _("反馈截止日期不能早于征求日期。")})
    _check_deputies(street, deputies)
    consultation = MeasureConsultation.objects.create(
        street=street,
        title=title.strip()[:100],
        description=description.strip(),
        asked_on=asked_on,
        reply_by=reply_by,
        created_by=by,
    )
    consultation.deputies.set(deputies)
    notice_send(
        by=by,
        street=street,
        kind="measure_consultation",
        event_key=f"measure-consultation:{consultation.pk}",
        recipients=deputies,
        title=(_("征求意见：%(t)s") % {"t": consultation.title})[:100],
        body=_("请于%(d)s前提出意见。") % {"d": f"{reply_by:%Y-%m-%d}"},
        link=consultation.get_absolute_url(),
        subject=consultation,
    )
    return consultation


@transaction.atomic
def measure_opinion_add(*, by: User, consultation: MeasureConsultation, content: str) -> MeasureOpinion:
    """A deputy asked gives an opinion, until the office has responded."""
    consultation = MeasureConsultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.deputies.filter(pk=by.pk).exists():
        raise PermissionDenied
    if consultation.responded_on:
        raise ValidationError(_("街道办事处已反馈，征求意见已结束。"))
    if not content.strip():
        raise ValidationError({"content": _("请填写意见。")})
    return MeasureOpinion.objects.create(
        street_id=consultation.street_id, consultation=consultation, deputy=by, content=content.strip()
    )


@transaction.atomic
def measure_opinion_to_case(*, by: User, opinion: MeasureOpinion, registered_at: datetime.datetime | None = None):
    """Staff turn a deputy's opinion into a case in the loop (the deputy its proposer, the opinion its source;
    `registered_at`: now by default)."""
    opinion = MeasureOpinion.objects.select_for_update().select_related("street", "deputy").get(pk=opinion.pk)
    require(by, Capability.MANAGE_OPINIONS, opinion.street)
    if opinion.case_id:
        raise ValidationError(_("这条意见已转为办理件。"))
    opinion.case = loop.opinion_register(
        by=by,
        street=opinion.street,
        channel=Channel.OTHER,
        content=opinion.content,
        category=_("重大事项征求意见"),
        proposer_user=opinion.deputy,
        source=opinion,
        registered_at=registered_at,
    )
    opinion.save(update_fields=["case"])
    return opinion.case


@transaction.atomic
def consultation_respond(
    *, by: User, consultation: MeasureConsultation, response: str, on: datetime.date | None = None
) -> MeasureConsultation:
    """The office's response (what it adopted and why not the rest); the deputies asked are told."""
    consultation = MeasureConsultation.objects.select_for_update().select_related("street").get(pk=consultation.pk)
    require(by, Capability.MANAGE_DEPUTY_LIAISON, consultation.street)
    on = on or timezone.localdate()
    if not response.strip():
        raise ValidationError({"response": _("请填写采纳和反馈情况。")})
    if on > timezone.localdate() or on < consultation.asked_on:
        raise ValidationError({"on": _("反馈日期应在征求日期与今天之间。")})
    consultation.response, consultation.responded_on = response.strip(), on
    consultation.save()
    notice_send(
        by=by,
        street=consultation.street,
        kind="measure_consultation_response",
        event_key=f"measure-consultation:{consultation.pk}:response",
        recipients=list(consultation.deputies.all()),
        title=(_("征求意见反馈：%(t)s") % {"t": consultation.title})[:100],
        body=consultation.response[:200],
        link=consultation.get_absolute_url(),
        subject=consultation,
    )
    return consultation
