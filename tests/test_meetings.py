"""Meetings (Chapter 3): the 10-day rule, urgent meetings, rescheduling and cancelling, answers, sign-in and quorum,
decisions, minutes, written opinions as 意见函 and cases, the compliance rules, lists' query counts, the seed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from committee.compliance.registry import Status, rule, window
from committee.documents.models import DocumentKind
from committee.notices.models import Channel, Notice, NoticeState, Reminder
from committee.roles import Role
from committee.workdays import add_working_days
from meetings import demo, services
from meetings.models import (
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
)
from supervision.models import Channel as OpinionChannel
from supervision.models import HandlingUnit, State
from tests.conftest import account

TODAY = timezone.localdate()


def _schedule(by, street, days=20, kind=MeetingKind.COMMITTEE, **kwargs):
    return services.meeting_schedule(
        by=by,
        street=street,
        kind=kind,
        title=kwargs.pop("title", "第四季度人大街道工委会议"),
        date=TODAY + datetime.timedelta(days=days),
        time=datetime.time(9, 0),
        place="办事处三楼会议室",
        **kwargs,
    )


def _hold_now(meeting):
    """Time passes: the meeting's day has come (its notice went out the same number of days before)."""
    lead = meeting.date - meeting.notice_sent_on
    Meeting.objects.filter(pk=meeting.pk).update(date=TODAY, notice_sent_on=TODAY - lead)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def deputy(street):
    return account("wangchunmen", Role.DEPUTY)


def test_members_and_agenda_come_from_the_body_and_the_article(staff_user, street, deputy):
    meeting = _schedule(staff_user, street, attendees=[deputy], other_attendees=[("李主任", "街道办事处副主任")])
    members = set(meeting.participants.filter(group=ParticipantGroup.MEMBER).values_list("user__username", flat=True))
    assert {"wangchunmen_director", "wangchunmen_vice_director", "wangchunmen_staff"} <= members
    assert meeting.participants.filter(group=ParticipantGroup.ATTENDEE, user=deputy).exists()
    assert meeting.participants.filter(user__isnull=True, name="李主任").exists()
    assert [i.title for i in meeting.agenda.all()] == services.AGENDA_TEMPLATES[MeetingKind.COMMITTEE]
    council = _schedule(staff_user, street, kind=MeetingKind.COUNCIL, title="居民议事会会议")
    roles = set(
        council.participants.filter(group=ParticipantGroup.MEMBER).values_list("user__memberships__role", flat=True)
    )
    assert Role.COUNCIL_MEMBER in roles
    assert council.agenda.count() == 8
    assert meeting.latest_notice_date == meeting.date - datetime.timedelta(days=10)
    assert meeting.state == MeetingState.DRAFT and not Notice.objects.filter(event_key=meeting.event_key()).exists()


def test_confirming_sends_the_notice_once_to_every_participant_and_a_reminder(staff_user, street, deputy):
    deputy.email = "deputy@example.cn"
    deputy.save()
    meeting = _schedule(staff_user, street, attendees=[deputy])
    meeting = services.meeting_confirm(by=staff_user, meeting=meeting)
    assert meeting.state == MeetingState.NOTIFIED and meeting.notice_sent_on == TODAY
    users = set(meeting.participants.filter(user__isnull=False).values_list("user_id", flat=True))
    in_app = Notice.objects.filter(event_key=meeting.event_key(), channel=Channel.IN_APP)
    assert set(in_app.values_list("recipient_id", flat=True)) == users
    assert in_app.count() == len(users)
    assert Notice.objects.filter(event_key=meeting.event_key(), recipient=deputy, channel=Channel.EMAIL).count() == 1
    reminder = Reminder.objects.get(key=f"meeting:{meeting.pk}")
    assert reminder.deadline == meeting.date and reminder.days_before == 1
    assert meeting.notice_document.kind == DocumentKind.LETTER
    with pytest.raises(ValidationError):
        services.meeting_confirm(by=staff_user, meeting=meeting)
    assert Notice.objects.filter(event_key=meeting.event_key(), channel=Channel.IN_APP).count() == len(users)


def test_seven_days_ahead_is_refused_without_a_reason_and_flagged_with_the_directors(staff_user, director, street):
    with pytest.raises(ValidationError, match="10日前"):
        _schedule(staff_user, street, days=7)
    with pytest.raises(ValidationError, match="工委主任"):
        _schedule(staff_user, street, days=7, urgent_reason="防汛紧急部署")  # only the director may
    assert not Meeting.objects.filter(street=street, date=TODAY + datetime.timedelta(days=7)).exists()
    meeting = _schedule(director, street, days=7, urgent_reason="防汛紧急部署")
    meeting = services.meeting_confirm(by=staff_user, meeting=meeting)
    assert meeting.is_short_notice and meeting.urgent_by == director
    q = (meeting.date.month - 1) // 3 + 1
    quarter = window(rule("5(1)").period, meeting.date.year, q)
    result = rule("5(1)").evaluate([street], quarter, TODAY)[street.pk]
    assert result.status == Status.MISSED and "1 次会议通知不足10日" in result.summary
    assert any("防汛紧急部署" in e.label for e in rule("5(1)").list_evidence(street, quarter, TODAY))


def test_a_draft_confirmed_too_late_needs_the_directors_reason(staff_user, street):
    meeting = _schedule(staff_user, street, days=12)
    with pytest.raises(ValidationError, match="不足10日"):
        services.meeting_confirm(by=staff_user, meeting=meeting, today=TODAY + datetime.timedelta(days=3))
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.DRAFT


def test_the_database_refuses_a_short_notice_without_a_reason(staff_user, street):
    from django.db import IntegrityError, transaction

    meeting = services.meeting_confirm(by=staff_user, meeting=_schedule(staff_user, street))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(notice_sent_on=meeting.date)


def test_rescheduling_cancels_the_old_notice_and_sends_only_the_new_one(staff_user, street, deputy):
    deputy.email = "deputy@example.cn"
    deputy.save()
    meeting = services.meeting_confirm(by=staff_user, meeting=_schedule(staff_user, street, attendees=[deputy]))
    services.participant_answer(by=deputy, participant=meeting.participants.get(user=deputy), answer=Answer.ATTEND)
    old_key = meeting.event_key()
    new_date = meeting.date + datetime.timedelta(days=7)
    meeting = services.meeting_reschedule(
        by=staff_user, meeting=meeting, date=new_date, time=datetime.time(14, 30), place="议事厅"
    )
    assert meeting.version == 2 and meeting.event_key() != old_key
    old_email = Notice.objects.get(event_key=old_key, recipient=deputy, channel=Channel.EMAIL)
    assert old_email.state == NoticeState.CANCELLED
    new = Notice.objects.filter(event_key=meeting.event_key(), recipient=deputy)
    assert {n.channel for n in new} >= {Channel.IN_APP, Channel.EMAIL}
    assert all(n.state != NoticeState.CANCELLED for n in new)
    assert "变更" in new.first().title
    # Pending notices of this meeting for the deputy: only the new ones.
    pending = Notice.objects.filter(event_key__startswith=f"meeting:{meeting.pk}:", recipient=deputy).exclude(
        state=NoticeState.CANCELLED
    )
    assert {n.event_key for n in pending if n.channel == Channel.EMAIL} == {meeting.event_key()}
    assert Reminder.objects.get(key=f"meeting:{meeting.pk}").deadline == new_date
    assert meeting.participants.get(user=deputy).answer == Answer.PENDING  # asked again
    # The new date is judged by the same rule: 5 days ahead needs the director.
    with pytest.raises(ValidationError):
        services.meeting_reschedule(
            by=staff_user, meeting=meeting, date=TODAY + datetime.timedelta(days=5), time=meeting.time, place="x"
        )


def test_cancelling_sends_a_cancellation_notice(staff_user, street, deputy):
    meeting = services.meeting_confirm(by=staff_user, meeting=_schedule(staff_user, street, attendees=[deputy]))
    with pytest.raises(ValidationError):
        services.meeting_cancel(by=staff_user, meeting=meeting, reason=" ")
    meeting = services.meeting_cancel(by=staff_user, meeting=meeting, reason="与上级会议冲突")
    assert meeting.state == MeetingState.CANCELLED
    assert Notice.objects.filter(event_key=meeting.event_key("cancel"), recipient=deputy).exists()
    assert Reminder.objects.get(key=f"meeting:{meeting.pk}").state == "done"


def test_participants_answer_for_themselves_and_leave_needs_a_reason(staff_user, street, deputy, director):
    meeting = services.meeting_confirm(by=staff_user, meeting=_schedule(staff_user, street, attendees=[deputy]))
    mine = meeting.participants.get(user=deputy)
    with pytest.raises(ValidationError, match="事由"):
        services.participant_answer(by=deputy, participant=mine, answer=Answer.LEAVE)
    with pytest.raises(PermissionDenied):
        services.participant_answer(by=director, participant=mine, answer=Answer.ATTEND)
    services.participant_answer(by=deputy, participant=mine, answer=Answer.LEAVE, leave_reason="外出学习")
    mine.refresh_from_db()
    assert (mine.answer, mine.leave_reason) == (Answer.LEAVE, "外出学习")
    # Staff chase the rest: one notice each for those who have not answered, once a day.
    pending = meeting.participants.filter(answer=Answer.PENDING, user__isnull=False).count()
    assert services.participants_chase(by=staff_user, meeting=meeting) == pending
    services.participants_chase(by=staff_user, meeting=meeting)
    chase = Notice.objects.filter(event_key__contains=":chase-", channel=Channel.IN_APP, subject_id=meeting.pk)
    assert chase.count() == pending and not chase.filter(recipient=deputy).exists()


def test_sign_in_opens_on_the_day_and_the_qr_link_is_for_participants_only(
    client, login, staff_user, street, deputy, city_user
):
    meeting = services.meeting_confirm(by=staff_user, meeting=_schedule(staff_user, street, attendees=[deputy]))
    with pytest.raises(ValidationError, match="当天"):
        services.self_sign_in(by=deputy, meeting=meeting)
    meeting = _hold_now(meeting)
    url = reverse("meetings:self_sign_in", args=[services.sign_in_token(meeting)])
    login(city_user)
    assert client.get(url).status_code == 403  # reads the street, not invited
    login(deputy)
    assert client.get(url).status_code == 200
    assert client.get(url[:-3] + "xx/").status_code == 404  # a forged token
    response = client.post(url)
    assert response.status_code == 302
    assert meeting.participants.get(user=deputy).signed_in_at is not None
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD
    assert Reminder.objects.get(key=f"meeting:{meeting.pk}").state == "done"


def test_a_council_meeting_without_quorum_cannot_record_decisions(client, login, staff_user, director, street):
    meeting = _schedule(staff_user, street, kind=MeetingKind.COUNCIL, title="居民议事会会议", chair=director)
    meeting = _hold_now(services.meeting_confirm(by=staff_user, meeting=meeting))
    members = list(meeting.participants.filter(group=ParticipantGroup.MEMBER).order_by("pk"))
    assert len(members) >= 3
    half = len(members) // 2
    for p in members[:half]:
        services.participant_sign_in(by=staff_user, participant=p)
    q = services.quorum(meeting)
    assert q == {"members": len(members), "present": half, "needed": half + 1, "reached": False}
    with pytest.raises(ValidationError, match="半数"):
        services.decision_record(by=staff_user, meeting=meeting, text="票决民生实事项目")
    unit = HandlingUnit.objects.filter(street=street, active=True).first()
    with pytest.raises(ValidationError, match="半数"):
        services.written_opinion_add(by=staff_user, meeting=meeting, content="意见", unit=unit)
    # The page refuses too, and says why.
    login(staff_user)
    response = client.post(reverse("meetings:minutes", args=[meeting.pk]), {"action": "decision", "text": "票决"})
    assert response.status_code == 200
    assert "不能作出决定" in response.content.decode()
    assert not Decision.objects.filter(meeting=meeting).exists()
    # The live fragment at sign-in (htmx) shows it; one more member makes the quorum.
    response = client.post(
        reverse("meetings:sign_in_toggle", args=[members[half].pk]), {"present": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "已过半数" in response.content.decode()
    assert services.decision_record(by=staff_user, meeting=meeting, text="票决民生实事项目").present == half + 1


def test_a_vice_director_chairs_only_as_delegated_and_others_not(staff_user, street):
    vice = account("wangchunmen", Role.VICE_DIRECTOR)
    meeting = _schedule(staff_user, street, kind=MeetingKind.COUNCIL, title="议事会", chair=vice)
    assert meeting.chair == vice and meeting.chair_delegated
    with pytest.raises(ValidationError, match="主持"):
        _schedule(staff_user, street, kind=MeetingKind.COUNCIL, title="议事会", chair=staff_user)


def test_an_adopted_opinion_becomes_a_letter_pdf_and_a_case_for_its_unit(staff_user, street, settings, tmp_path):
    import io

    import pdfplumber

    from committee.documents.services import document_render

    settings.MEDIA_ROOT = tmp_path
    meeting = _schedule(staff_user, street, kind=MeetingKind.COUNCIL, title="居民议事会会议")
    meeting = _hold_now(services.meeting_confirm(by=staff_user, meeting=meeting))
    for p in meeting.participants.filter(group=ParticipantGroup.MEMBER):
        services.participant_sign_in(by=staff_user, participant=p)
    unit = HandlingUnit.objects.filter(street=street, active=True).first()
    record = services.written_opinion_add(
        by=staff_user, meeting=meeting, content="建议在学校周边增设交通安全设施。", unit=unit
    )
    assert record.document.kind == DocumentKind.LETTER and "工函" in record.document.number
    case = record.opinion
    assert (case.channel, case.unit, case.state) == (OpinionChannel.COUNCIL_MEETING, unit, State.ASSIGNED)
    assert case.source_id == record.pk and case.deadline is not None
    # The letter states the reply deadline of the case it opens: the channel's working days, as a date.
    days = settings.OPINION_DEADLINE_WORKING_DAYS["*"]
    assert case.deadline == add_working_days(case.assigned_on, days)
    document_render(document_id=record.document_id)
    record.document.refresh_from_db()
    with record.document.file.open("rb") as f, pdfplumber.open(io.BytesIO(f.read())) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
    assert "人大街道工委意见函" in text and unit.name in text and "交通安全设施" in text
    deadline = f"{case.deadline.year}年{case.deadline.month}月{case.deadline.day}日"
    assert f"并于{deadline}前（{days}个工作日内）将办理情况和结果书面答复" in text
    # Another street's unit, or a committee meeting, is refused.
    other_unit = HandlingUnit.objects.exclude(street=street).first()
    with pytest.raises(ValidationError):
        services.written_opinion_add(by=staff_user, meeting=meeting, content="x", unit=other_unit)
    # The meeting page shows the opinion's state.
    assert WrittenOpinion.objects.filter(meeting=meeting).count() == 1


def test_minutes_with_attendance_and_decisions_as_a_pdf(staff_user, director, street, deputy, settings, tmp_path):
    """The minutes are a 纪要 (their own kind and series, GB/T 9704 §10.3): the red heading, 第N期, the body with
    the decisions, then who chaired, attended, was on leave, sat in and was absent."""
    import io

    import pdfplumber

    from committee.documents.models import Document
    from committee.documents.services import document_render

    settings.MEDIA_ROOT = tmp_path
    meeting = services.meeting_confirm(
        by=staff_user,
        meeting=_schedule(
            staff_user, street, attendees=[deputy], chair=director, other_attendees=[("李主任", "街道办事处副主任")]
        ),
    )
    services.participant_answer(
        by=deputy, participant=meeting.participants.get(user=deputy), answer=Answer.LEAVE, leave_reason="出差"
    )
    meeting = _hold_now(meeting)
    with pytest.raises(ValidationError):
        services.minutes_issue(by=staff_user, meeting=meeting)  # nobody signed in: not held
    services.participant_sign_in(by=staff_user, participant=meeting.participants.get(user=director))
    services.participant_sign_in(by=staff_user, participant=meeting.participants.get(name="李主任"))
    services.decision_record(by=staff_user, meeting=meeting, text="通过第四季度工作安排")
    with pytest.raises(ValidationError, match="为空"):
        services.minutes_issue(by=staff_user, meeting=meeting)
    services.minutes_save(by=staff_user, meeting=meeting, minutes="一、会议情况\n会议研究了第四季度工作。")
    year = TODAY.year
    issued_before = Document.objects.filter(street=street, kind=DocumentKind.MINUTES, year=year).count()
    meeting = services.minutes_issue(by=staff_user, meeting=meeting)
    document = meeting.minutes_document
    assert document.kind == DocumentKind.MINUTES and document.serial == issued_before + 1
    assert document.number == f"湘乡人大望工纪要〔{year}〕{document.serial}号"
    document_render(document_id=meeting.minutes_document_id)
    document_render(document_id=meeting.notice_document_id)
    document.refresh_from_db()
    with document.file.open("rb") as f, pdfplumber.open(io.BytesIO(f.read())) as pdf:
        lines = [line["text"].replace(" ", "") for page in pdf.pages for line in page.extract_text_lines()]
        heading = [c for c in pdf.pages[0].chars if c["size"] > 20 and c["non_stroking_color"] != (0, 0, 0)]
    assert "".join(c["text"] for c in heading[:13]) == "望春门街道人大工委会议纪要"  # red, before the title
    assert f"第{document.serial}期" in lines and "通过第四季度工作安排" in "".join(lines)
    absent = "、".join(p.name for p in meeting.participants.all() if not p.present and p.answer != Answer.LEAVE)
    lists = [
        f"主持：{director.full_name}",
        f"出席：{director.full_name}",
        f"请假：{deputy.full_name}（出差）",
        "列席：李主任",
        f"缺席：{absent}",
    ]
    text = "".join(lines)
    assert text.endswith("".join(lists) + "—1—")  # the lists close the 纪要 (no signature), then the page number
    with pytest.raises(ValidationError):
        services.minutes_save(by=staff_user, meeting=meeting, minutes="改")


def test_agenda_is_editable_ordered_with_documents(client, login, staff_user, street, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    meeting = _schedule(staff_user, street)
    first, second = list(meeting.agenda.all())[:2]
    services.agenda_item_move(by=staff_user, item=second, up=True)
    assert list(meeting.agenda.values_list("pk", flat=True))[:2] == [second.pk, first.pk]
    item = services.agenda_item_add(by=staff_user, meeting=meeting, title="审议代表履职积分办法")
    assert item.position == 6
    services.agenda_item_delete(by=staff_user, item=first)
    assert list(meeting.agenda.values_list("position", flat=True)) == [1, 2, 3, 4, 5]
    login(staff_user)
    response = client.post(
        reverse("meetings:agenda_item", args=[item.pk]),
        {"action": "attach", "file": SimpleUploadedFile("材料.txt", "学习材料".encode())},
    )
    assert response.status_code == 302
    doc = AgendaDocument.objects.get(item=item)
    response = client.get(reverse("meetings:agenda_document", args=[doc.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == "学习材料".encode()
    with pytest.raises(ValidationError):
        services.agenda_item_update(by=staff_user, item=item, title="")
    assert AgendaItem.objects.get(pk=item.pk).title == "审议代表履职积分办法"


def test_schedule_form_refuses_short_notice_and_keeps_what_was_typed(client, login, staff_user, street):
    login(staff_user)
    response = client.get(reverse("meetings:add"))
    assert "最晚通知日期" in response.content.decode()
    data = {
        "street": street.pk,
        "kind": "committee",
        "title": "临时会议",
        "date": (TODAY + datetime.timedelta(days=7)).isoformat(),
        "time": "09:00",
        "place": "会议室",
    }
    response = client.post(reverse("meetings:add"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "10日前送达" in body and "临时会议" in body
    assert not Meeting.objects.filter(title="临时会议").exists()


@pytest.mark.parametrize("extra", [0, 30])
def test_the_meeting_list_keeps_a_fixed_query_count(
    client, login, staff_user, street, django_assert_num_queries, extra
):
    for n in range(extra):
        _schedule(staff_user, street, days=20 + n, title=f"会议{n}")
    login(staff_user)
    client.get(reverse("meetings:list"))  # warm the session
    with django_assert_num_queries(6):
        response = client.get(reverse("meetings:list") + "?kind=committee")
    assert response.status_code == 200


def test_the_detail_page_shows_answers_confirmations_and_opinions(client, login, street):
    meeting = Meeting.objects.filter(street=street, kind=MeetingKind.COUNCIL).order_by("-date").first()
    login(account("wangchunmen", Role.STAFF))
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    record = meeting.written_opinions.select_related("document").first()
    assert record.document.number in body
    assert "签收" in body and "到会" in body  # the staff's columns: receipts, attendance
    assert "已过半数" in body


def test_other_street_and_readers_cannot_write(client, login, street, city_user):
    meeting = Meeting.objects.filter(street=street).order_by("-date").first()
    login(account("xinxianglu", Role.STAFF))
    assert client.post(reverse("meetings:chase", args=[meeting.pk])).status_code == 404
    login(city_user)
    assert client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "x"}).status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).state == meeting.state


def test_the_rules_on_the_demo(street):
    streets = [street]
    r = rule("6(1)")
    assert r.evaluate(streets, window(r.period, 2025, 1), TODAY)[street.pk].status == Status.MET
    r = rule("10(2)")
    assert r.evaluate(streets, window(r.period, 2025, 1), TODAY)[street.pk].status == Status.MET
    r = rule("6(3)")
    assert r.evaluate(streets, window(r.period, 2025, 1), TODAY)[street.pk].status == Status.MET
    from committee.models import Street

    kunlunqiao, dongshan = Street.objects.get(slug="kunlunqiao"), Street.objects.get(slug="dongshan")
    r = rule("5(1)")
    assert r.evaluate([kunlunqiao], window(r.period, 2026, 2), TODAY)[kunlunqiao.pk].status == Status.MISSED
    r = rule("6(3)")
    result = r.evaluate([dongshan], window(r.period, 2026, 1), TODAY)[dongshan.pk]
    assert result.status in (Status.MISSED, Status.AT_RISK)


def test_the_seed_is_idempotent(demo_data):
    def counts():
        return (
            Meeting.objects.count(),
            Participant.objects.count(),
            AgendaItem.objects.count(),
            AgendaDocument.objects.count(),
            Decision.objects.count(),
            WrittenOpinion.objects.count(),
        )

    before = counts()
    assert before[0] == 4 * 8 - 1 + 4 * 3 + 4  # and one upcoming meeting per street
    demo.seed()
    assert counts() == before


def test_linking_the_field_visit_before_a_council_meeting_meets_10_2(client, login, staff_user, street):
    from supervision.activities.models import FieldVisit

    meeting = _schedule(staff_user, street, kind=MeetingKind.COUNCIL, title="居民议事会会议")
    meeting = _hold_now(services.meeting_confirm(by=staff_user, meeting=meeting))
    r = rule("10(2)")
    judged = window(r.period, TODAY.year, (TODAY.month - 1) // 3 + 1)
    assert r.evaluate([street], judged, TODAY)[street.pk].status == Status.MISSED
    visit = FieldVisit.objects.filter(street=street, starts_on__lte=TODAY).order_by("-starts_on").first()
    later = FieldVisit.objects.filter(street=street, starts_on__gt=TODAY).first()
    if later is not None:
        with pytest.raises(ValidationError, match="不能晚于"):
            services.meeting_update(
                by=staff_user, meeting=meeting, title=meeting.title, place=meeting.place, field_visit=later
            )
    login(staff_user)
    data = {"title": meeting.title, "place": "别处", "field_visit": visit.pk}
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 200 and "变更时间地点" in response.content.decode()  # the place needs a notice
    data["place"] = meeting.place
    assert client.post(reverse("meetings:edit", args=[meeting.pk]), data).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).field_visit == visit
    assert r.evaluate([street], judged, TODAY)[street.pk].status == Status.MET


def test_an_unanswered_meeting_is_on_the_participants_to_do_list_until_answered(client, staff_user, street, deputy):
    meeting = services.meeting_confirm(by=staff_user, meeting=_schedule(staff_user, street, attendees=[deputy]))
    client.force_login(deputy, backend="committee.auth.MobileOrUsernameBackend")

    def meeting_items():
        # The demo deputy has other things to answer too (drafts sent back, residents' messages): only meetings here.
        items = client.get(reverse("home")).context["todo_items"]
        return [(i.label, i.url) for i in items if i.label.startswith("请答复是否参加")]

    assert meeting_items() == [(f"请答复是否参加：{meeting.title}", meeting.get_absolute_url())]
    participant = meeting.participants.get(user=deputy)
    services.participant_answer(by=deputy, participant=participant, answer=Answer.ATTEND)
    assert meeting_items() == []
