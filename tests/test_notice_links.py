"""Issue 13, "notices and states that disagree": a notice's link opens for its recipient, whatever their role, and
an answer or an acceptance confirms receipt of the notice it answers (committee.notices.services.notices_confirm_for,
called by the meetings and supervision services)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committee.documents.models import DocumentState
from committee.documents.selectors import documents_for
from committee.notices.models import Channel, Notice, NoticeState
from committee.notices.services import notice_send, notices_confirm_for, notices_sweep
from committee.roles import Role
from meetings import services as meetings
from meetings.models import Answer, Meeting, MeetingKind, MeetingState
from supervision import services as loop
from supervision.models import Channel as OpinionChannel
from supervision.models import HandlingUnit, Rating, ReplyClass
from tests.conftest import account

TODAY = timezone.localdate()


@pytest.fixture
def people(street):
    return {role: account("wangchunmen", role) for role in (Role.STAFF, Role.DEPUTY, Role.HANDLING_UNIT)}


@pytest.fixture
def office(street):
    return HandlingUnit.objects.get(street=street, name="街道办事处党政综合办公室")


def _meeting(staff, street, attendees, days=20, title="专题工委会议（测试）"):
    meeting = meetings.meeting_schedule(
        by=staff,
        street=street,
        kind=MeetingKind.COMMITTEE,
        title=title,
        date=TODAY + datetime.timedelta(days=days),
        time=datetime.time(9, 0),
        place="办事处三楼会议室",
        attendees=attendees,
    )
    return meetings.meeting_confirm(by=staff, meeting=meeting, background=False)


def _case(staff, street, **kwargs):
    return loop.opinion_register(
        by=staff,
        street=street,
        channel=kwargs.pop("channel", OpinionChannel.RECEPTION),
        content=kwargs.pop("content", "东风路路灯坏了，请维修。"),
        proposer_name=kwargs.pop("proposer_name", "王建国"),
        **kwargs,
    )


def _every_kind_of_notice(street, people, office, city_user):
    """Drive every path that sends a notice: meetings (notice, agenda change, chase, reschedule, cancel, reminder)
    and cases (交办, reminders, escalation, return, reply, 二次办理, 督办函)."""
    staff, deputy, unit = people[Role.STAFF], people[Role.DEPUTY], people[Role.HANDLING_UNIT]
    meeting = _meeting(staff, street, [deputy, unit])
    meetings.agenda_change(
        by=staff,
        meeting=meeting,
        agenda=[*[(i.pk, i.title) for i in meeting.agenda.all()], (None, "增加一项议题")],
        background=False,
    )
    meetings.participants_chase(by=staff, meeting=meeting)
    meetings.meeting_reschedule(
        by=staff,
        meeting=meeting,
        date=TODAY + datetime.timedelta(days=25),
        time=datetime.time(14, 0),
        place="居民议事厅",
        background=False,
    )
    cancelled = _meeting(staff, street, [unit], title="取消的会议（测试）")
    meetings.meeting_cancel(by=staff, meeting=cancelled, reason="与上级会议冲突")

    assigned = loop.opinion_assign(by=staff, opinion=_case(staff, street), unit=office)
    loop.opinion_escalate(by=staff, opinion=_case(staff, street), note="涉及市级部门")
    returned = loop.opinion_assign(by=staff, opinion=_case(staff, street), unit=office)
    loop.opinion_return(by=unit, opinion=returned, reason="不属于本单位职责")
    raised = _case(deputy, street, channel=OpinionChannel.DEPUTY_SUGGESTION, proposer_name="")
    raised = loop.opinion_assign(by=staff, opinion=raised, unit=office)
    loop.opinion_accept(by=unit, opinion=raised)
    loop.opinion_reply(by=unit, opinion=raised, reply_class=ReplyClass.A, body="已维修")
    loop.opinion_rate(by=deputy, opinion=raised, rating=Rating.UNSATISFIED, note="还没修好")
    late = loop.opinion_assign(
        by=staff, opinion=_case(staff, street), unit=office, deadline=TODAY + datetime.timedelta(days=1)
    )
    late.deadline = TODAY - datetime.timedelta(days=3)
    late.save(update_fields=["deadline"])
    loop.opinion_follow_up_letter(by=staff, opinion=late, background=False)
    # Time passes: every reminder comes due (before the deadline, then overdue), in one sweep.
    notices_sweep(now=timezone.now() + datetime.timedelta(days=45))
    return meeting, assigned


def test_every_notice_the_code_sends_opens_for_its_recipient(
    client, street, people, office, city_user, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("committee.notices.services.enqueue", lambda ids: 0)
    first = Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _every_kind_of_notice(street, people, office, city_user)
    notices = list(
        Notice.objects.filter(pk__gt=first, channel=Channel.IN_APP, state=NoticeState.SENT).select_related("recipient")
    )
    kinds = {n.kind for n in notices}
    assert {
        "meeting_notice",
        "meeting_agenda_change",
        "meeting_chase",
        "meeting_change",
        "meeting_cancel",
        "reminder",
        "overdue",
        "opinion_assigned",
        "opinion_escalated",
        "opinion_returned",
        "opinion_replied",
        "opinion_reopened",
        "opinion_follow_up",
    } <= kinds
    # One of each (kind, recipient, link): reminders repeat themselves every few working days.
    notices = list({(n.kind, n.recipient_id, n.link): n for n in notices}.values())
    refused = []
    for notice in notices:
        client.force_login(notice.recipient, backend="committee.auth.MobileOrUsernameBackend")
        response = client.get(reverse("notices:open", args=[notice.pk]), follow=True)
        if response.status_code != 200 or response.redirect_chain[-1][0] != notice.link:
            refused.append((notice.kind, notice.recipient.username, notice.link, response.status_code))
    assert refused == []


def test_the_unit_reads_the_documents_its_notices_are_about(client, street, people, office, settings, tmp_path):
    """The meeting notice's PDF (versions) for an invited unit; the 督办函 for the unit it is sent to."""
    settings.MEDIA_ROOT = tmp_path
    staff, unit = people[Role.STAFF], people[Role.HANDLING_UNIT]
    meeting = _meeting(staff, street, [unit])
    case = loop.opinion_assign(by=staff, opinion=_case(staff, street), unit=office)
    case.deadline = TODAY - datetime.timedelta(days=3)
    case.save(update_fields=["deadline"])
    letter = loop.opinion_follow_up_letter(by=staff, opinion=case, background=False)
    assert letter.view_capability not in unit.capabilities_in(street)
    client.force_login(unit, backend="committee.auth.MobileOrUsernameBackend")
    for document in [*documents_for(meeting), letter]:
        assert document.state == DocumentState.DONE
        response = client.get(reverse("documents:download", args=[document.pk]))
        assert response.status_code == 200, document.title
        assert response["Content-Type"] == "application/pdf"
    # Without a notice about it, the capability is still needed.
    held = Meeting.objects.filter(street=street, state=MeetingState.HELD).exclude(minutes_document=None).first()
    assert client.get(reverse("documents:download", args=[held.minutes_document_id])).status_code == 403


def test_notices_confirm_for_confirms_every_channel_of_that_event_for_that_person_only(street, people):
    staff, deputy = people[Role.STAFF], people[Role.DEPUTY]
    deputy.email = "deputy@example.cn"
    deputy.save(update_fields=["email"])
    sent = notice_send(
        by=staff,
        street=street,
        kind="meeting_notice",
        event_key="test:confirm-for",
        recipients=[deputy, staff],
        title="会议通知",
        body="请准时参加。",
    )
    assert {n.channel for n in sent if n.recipient == deputy} == {Channel.IN_APP, Channel.EMAIL, Channel.SMS}
    assert notices_confirm_for(event_key="test:confirm-for", user=deputy) == 3
    assert notices_confirm_for(event_key="test:confirm-for", user=deputy) == 0  # already
    rows = Notice.objects.filter(event_key="test:confirm-for")
    assert all(n.confirmed_at for n in rows if n.recipient == deputy)
    assert rows.get(recipient=deputy, channel=Channel.IN_APP).read_at is not None
    assert not any(n.confirmed_at for n in rows if n.recipient == staff)
    assert notices_confirm_for(event_key="test:nothing-sent", user=deputy) == 0


def test_answering_a_meeting_is_its_sign_off(client, login, street, people, settings, tmp_path):
    """Staff saw "已签收 0 · 已答复 1" and chased people who had answered."""
    settings.MEDIA_ROOT = tmp_path
    staff, deputy = people[Role.STAFF], people[Role.DEPUTY]
    meeting = _meeting(staff, street, [deputy])
    change = meetings.agenda_change(
        by=staff,
        meeting=meeting,
        agenda=[*[(i.pk, i.title) for i in meeting.agenda.all()], (None, "增加一项议题")],
        background=False,
    )
    participant = meeting.participants.get(user=deputy)
    meetings.participant_answer(by=deputy, participant=participant, answer=Answer.LEAVE, leave_reason="出差")
    for key in (meeting.event_key(), meeting.event_key(f"agenda-{change.pk}")):
        assert not Notice.objects.filter(event_key=key, recipient=deputy, confirmed_at=None).exists(), key
    page = login(staff).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "已签收 1 · 已答复 1" in page
    event = login(staff).get(reverse("notices:event_detail", args=[meeting.event_key()]))
    assert deputy not in [p["user"] for p in event.context["unconfirmed"]]
    meetings.participants_chase(by=staff, meeting=meeting)
    assert not Notice.objects.filter(kind=meetings.CHASE_KIND, recipient=deputy).exists()


def test_signing_in_confirms_the_notice_too(street, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff, deputy = people[Role.STAFF], people[Role.DEPUTY]
    meeting = _meeting(staff, street, [deputy])
    day = meeting.date
    meetings.self_sign_in(by=deputy, meeting=meeting, today=day)
    assert Notice.objects.filter(event_key=meeting.event_key(), recipient=deputy).exclude(confirmed_at=None).exists()


def test_accepting_or_returning_a_case_confirms_its_assignment_notice(street, people, office):
    staff, unit = people[Role.STAFF], people[Role.HANDLING_UNIT]
    accepted = loop.opinion_assign(by=staff, opinion=_case(staff, street), unit=office)
    returned = loop.opinion_assign(by=staff, opinion=_case(staff, street), unit=office)

    def unconfirmed(case):
        return Notice.objects.filter(kind="opinion_assigned", subject_id=case.pk, recipient=unit, confirmed_at=None)

    assert unconfirmed(accepted).exists() and unconfirmed(returned).exists()
    loop.opinion_accept(by=unit, opinion=accepted)
    loop.opinion_return(by=unit, opinion=returned, reason="不属于本单位职责")
    assert not unconfirmed(accepted).exists()
    assert not unconfirmed(returned).exists()


def test_a_reply_in_the_second_round_confirms_the_reopening_notice(street, people, office):
    staff, deputy, unit = people[Role.STAFF], people[Role.DEPUTY], people[Role.HANDLING_UNIT]
    case = _case(deputy, street, channel=OpinionChannel.DEPUTY_SUGGESTION, proposer_name="")
    case = loop.opinion_assign(by=staff, opinion=case, unit=office)
    loop.opinion_accept(by=unit, opinion=case)
    loop.opinion_reply(by=unit, opinion=case, reply_class=ReplyClass.A, body="已维修")
    loop.opinion_rate(by=deputy, opinion=case, rating=Rating.UNSATISFIED, note="还没修好")
    reopened = Notice.objects.filter(event_key=f"opinion:{case.pk}:reopened:2", recipient=unit)
    assert reopened.filter(confirmed_at=None).exists()
    loop.opinion_reply(by=unit, opinion=case, reply_class=ReplyClass.A, body="已修好")
    assert not reopened.filter(confirmed_at=None).exists()
