"""The agenda after the notice went out (issue 13): a change is recorded (who, when, what changed), sent to the
participants as a change notice and issued as a new version of the notice PDF; once the meeting is held the agenda
is closed (the services refuse, the page hides the controls)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committee.documents.selectors import documents_for
from committee.models import AuditEntry
from committee.notices.models import Channel, Notice, Reminder
from committee.roles import Role
from meetings import services
from meetings.models import AgendaChange, Answer, Meeting, MeetingKind, MeetingState
from tests.conftest import account

TODAY = timezone.localdate()


@pytest.fixture
def deputy(street):
    return account("wangchunmen", Role.DEPUTY)


@pytest.fixture
def notified(staff_user, street, deputy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = services.meeting_schedule(
        by=staff_user,
        street=street,
        kind=MeetingKind.COMMITTEE,
        title="第四季度人大街道工委会议",
        date=TODAY + datetime.timedelta(days=20),
        time=datetime.time(9, 0),
        place="办事处三楼会议室",
        attendees=[deputy],
    )
    return services.meeting_confirm(by=staff_user, meeting=meeting, background=False)


def _titles(meeting):
    return list(meeting.agenda.order_by("position").values_list("title", flat=True))


def _hold(meeting, staff):
    Meeting.objects.filter(pk=meeting.pk).update(date=TODAY, notice_sent_on=TODAY - datetime.timedelta(days=20))
    services.participant_sign_in(by=staff, participant=meeting.participants.first())
    meeting.refresh_from_db()
    return meeting


def test_after_the_notice_items_are_not_edited_one_by_one(notified, staff_user):
    item = notified.agenda.first()
    with pytest.raises(ValidationError, match="变更议程"):
        services.agenda_item_update(by=staff_user, item=item, title="改过的议题")
    with pytest.raises(ValidationError, match="变更议程"):
        services.agenda_item_add(by=staff_user, meeting=notified, title="新议题")
    with pytest.raises(ValidationError, match="变更议程"):
        services.agenda_item_delete(by=staff_user, item=item)
    with pytest.raises(ValidationError, match="变更议程"):
        services.agenda_item_move(by=staff_user, item=item, up=False)
    assert _titles(notified) == services.AGENDA_TEMPLATES[MeetingKind.COMMITTEE]


def test_an_agenda_change_is_recorded_notified_and_reissued(notified, staff_user, deputy):
    items = list(notified.agenda.order_by("position"))
    participant = notified.participants.get(user=deputy)
    services.participant_answer(by=deputy, participant=participant, answer=Answer.ATTEND)
    old_pdf = notified.notice_document
    agenda = [(items[1].pk, items[1].title), (items[0].pk, "传达学习上级文件精神"), (None, "研究民生实事候选项目")]
    agenda += [(i.pk, i.title) for i in items[2:-1]]  # the last item is left out: deleted
    change = services.agenda_change(
        by=staff_user, meeting=notified, agenda=agenda, reason="应党工委要求调整", background=False
    )
    notified.refresh_from_db()
    assert _titles(notified)[:3] == [items[1].title, "传达学习上级文件精神", "研究民生实事候选项目"]
    assert items[-1].title not in _titles(notified)
    # Recorded: who, when, what changed.
    assert (change.changed_by, change.version, change.reason) == (staff_user, notified.version, "应党工委要求调整")
    assert change.summary.splitlines() == [
        f"删除议题：{items[-1].title}",
        f"修改议题：{items[0].title} → 传达学习上级文件精神",
        "新增议题：研究民生实事候选项目",
        "调整议题顺序",
    ]
    # A change notice to every participant with an account, as its own event.
    sent = Notice.objects.filter(event_key=notified.event_key(f"agenda-{change.pk}"), channel=Channel.IN_APP)
    assert set(sent.values_list("recipient", flat=True)) == {
        p.user_id for p in notified.participants.exclude(user=None)
    }
    notice = sent.get(recipient=deputy)
    assert notice.kind == services.AGENDA_CHANGE_KIND and "研究民生实事候选项目" in notice.body
    assert notice.link == notified.get_absolute_url()
    # The notice PDF in a new version that supersedes the one sent, with the new agenda.
    assert change.document == notified.notice_document != old_pdf
    assert (change.document.version, change.document.supersedes) == (old_pdf.version + 1, old_pdf)
    paragraphs = " ".join(p["text"] for p in change.document.context["paragraphs"])
    assert "研究民生实事候选项目" in paragraphs and items[-1].title not in paragraphs
    assert [d.pk for d in documents_for(notified)][:2] == [change.document.pk, old_pdf.pk]
    # The reminder carries the new agenda; the answers stand (time and place did not change).
    assert "研究民生实事候选项目" in Reminder.objects.get(key=f"meeting:{notified.pk}").body
    assert notified.participants.get(user=deputy).answer == Answer.ATTEND


def test_an_unchanged_or_empty_agenda_is_refused(notified, staff_user):
    same = [(i.pk, i.title) for i in notified.agenda.order_by("position")]
    with pytest.raises(ValidationError, match="议程没有变化"):
        services.agenda_change(by=staff_user, meeting=notified, agenda=same)
    with pytest.raises(ValidationError, match="至少"):
        services.agenda_change(by=staff_user, meeting=notified, agenda=[(pk, "") for pk, _t in same])
    assert not AgendaChange.objects.filter(meeting=notified).exists()


def test_once_held_the_agenda_is_closed(notified, staff_user, login):
    meeting = _hold(notified, staff_user)
    assert meeting.state == MeetingState.HELD
    agenda = [(i.pk, i.title) for i in meeting.agenda.all()] + [(None, "会后补充")]
    with pytest.raises(ValidationError, match="会议已召开，议程和会议材料已关闭"):
        services.agenda_change(by=staff_user, meeting=meeting, agenda=agenda)
    item = meeting.agenda.first()
    with pytest.raises(ValidationError, match="已关闭"):
        services.agenda_item_update(by=staff_user, item=item, title="改过的议题")
    with pytest.raises(ValidationError, match="已关闭"):
        services.agenda_document_add(by=staff_user, item=item, upload=SimpleUploadedFile("a.txt", b"x"))
    client = login(staff_user)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    agenda_card = page[page.index('id="agenda"') :]
    assert "已关闭" in agenda_card
    for control in ("变更议程", 'name="title"', 'name="file"', "新增议题"):
        assert control not in agenda_card, control
    response = client.post(reverse("meetings:agenda_item", args=[item.pk]), {"action": "save", "title": "改"})
    assert response.status_code == 302
    assert meeting.agenda.get(pk=item.pk).title == item.title
    assert client.get(reverse("meetings:agenda_change", args=[meeting.pk])).status_code == 302


def test_the_change_page_reorders_removes_and_adds_and_says_what_will_happen(notified, staff_user, login):
    client = login(staff_user)
    url = reverse("meetings:agenda_change", args=[notified.pk])
    page = client.get(url).content.decode()
    assert "变更通知" in page and "重新印发会议通知" in page
    items = list(notified.agenda.order_by("position"))
    data = {"reason": "增加一项议题"}
    for position, item in enumerate(items, start=1):
        data[f"item_{item.pk}_position"] = position
        data[f"item_{item.pk}_title"] = item.title
    data[f"item_{items[0].pk}_position"] = 9  # the first goes last
    data[f"item_{items[1].pk}_title"] = ""  # removed
    for n in range(3):
        data[f"new_{n}_position"] = 2
        data[f"new_{n}_title"] = "听取代表联络站工作汇报" if n == 0 else ""
    response = client.post(url, data, follow=True)
    assert "已向参会人员发出变更通知" in response.content.decode()
    titles = _titles(notified)
    assert titles[0] == "听取代表联络站工作汇报" and titles[-1] == items[0].title and items[1].title not in titles
    change = AgendaChange.objects.get(meeting=notified)
    page = response.content.decode()
    assert "议程变更记录" in page and change.document.number in page
    # In the audit log, with the person who made it.
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(AgendaChange),
        object_pk=str(change.pk),
        action=AuditEntry.Action.CREATE,
    )
    assert entry.actor == staff_user


def test_a_refused_change_keeps_what_was_typed(notified, staff_user, login):
    client = login(staff_user)
    url = reverse("meetings:agenda_change", args=[notified.pk])
    data = {"reason": "无变化"}
    for position, item in enumerate(notified.agenda.order_by("position"), start=1):
        data[f"item_{item.pk}_position"] = position
        data[f"item_{item.pk}_title"] = item.title
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "议程没有变化" in page and "无变化" in page


def test_the_meeting_page_keeps_a_fixed_query_count_however_many_changes(
    notified, staff_user, login, django_assert_num_queries
):
    def change(title):
        agenda = [(i.pk, i.title) for i in notified.agenda.order_by("position")] + [(None, title)]
        services.agenda_change(by=staff_user, meeting=notified, agenda=agenda, background=False)

    client = login(staff_user)
    url = reverse("meetings:detail", args=[notified.pk])
    change("第一次增加的议题")
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for n in range(3):
        change(f"又增加的议题 {n}")
    with django_assert_num_queries(len(first)):
        assert "又增加的议题 2" in client.get(url).content.decode()
