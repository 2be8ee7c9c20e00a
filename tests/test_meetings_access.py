"""A handling unit's officer invited to a meeting as 相关参会人员 (they hold no VIEW_MEETINGS): they open the
meeting's notice and answer it, read its notice PDF and materials, find it on their home page — and see no other
meeting page (the demo's upcoming meeting invites 望春门's unit officer)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from committee.notices.models import Channel, Notice
from committee.roles import Capability, Role
from meetings import services
from meetings.models import Answer, Meeting, MeetingKind, MeetingState
from tests.conftest import account


@pytest.fixture
def unit_user(demo_data):
    return account("wangchunmen", Role.HANDLING_UNIT)


@pytest.fixture
def invited(street, unit_user):
    """The demo's upcoming meeting: notified, the unit officer invited, one agenda change after the notice."""
    return Meeting.objects.get(street=street, state=MeetingState.NOTIFIED, participants__user=unit_user)


def test_the_demo_invites_the_unit_officer_and_sends_them_the_notice(invited, unit_user, street):
    assert Capability.VIEW_MEETINGS not in unit_user.capabilities_in(street)
    notice = Notice.objects.get(event_key=invited.event_key(), recipient=unit_user, channel=Channel.IN_APP)
    assert notice.link == invited.get_absolute_url()
    assert invited.agenda_changes.count() == 1


def test_the_invited_unit_opens_the_notice_and_answers_it(login, invited, unit_user, staff_user):
    client = login(unit_user)
    notice = Notice.objects.get(event_key=invited.event_key(), recipient=unit_user, channel=Channel.IN_APP)
    response = client.get(reverse("notices:open", args=[notice.pk]), follow=True)
    assert response.status_code == 200  # was 403 "您的角色没有执行此操作的权限"
    page = response.content.decode()
    assert invited.title in page and "我的答复" in page
    assert "变更议程" not in page and "签到" not in page.split("参会人员")[0]  # no staff controls
    response = client.post(
        reverse("meetings:answer", args=[invited.pk]), {"answer": "leave", "leave_reason": "区里开会"}, follow=True
    )
    assert "已答复" in response.content.decode()
    participant = invited.participants.get(user=unit_user)
    assert (participant.answer, participant.leave_reason) == (Answer.LEAVE, "区里开会")
    assert not Notice.objects.filter(event_key=invited.event_key(), recipient=unit_user, confirmed_at=None).exists()
    page = login(staff_user).get(reverse("meetings:detail", args=[invited.pk])).content.decode()
    assert "区里开会" in page


def test_the_invited_unit_reads_the_notice_pdf_in_its_versions(login, invited, unit_user):
    notice = invited.notice_document
    assert notice.supersedes_id is not None  # re-issued after the agenda change
    client = login(unit_user)
    for pk in (notice.pk, notice.supersedes_id):
        response = client.get(reverse("documents:download", args=[pk]))
        assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


def test_the_invited_unit_reads_the_materials(login, invited, unit_user, staff_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    doc = services.agenda_document_add(
        by=staff_user,
        item=invited.agenda.first(),
        upload=SimpleUploadedFile("汇报材料.txt", "老旧小区改造进展".encode()),
    )
    assert login(unit_user).get(reverse("meetings:agenda_document", args=[doc.pk])).status_code == 200


def test_the_invited_unit_sees_no_other_meeting_page(login, invited, unit_user, street, staff_user):
    client = login(unit_user)
    held = Meeting.objects.filter(street=street, state=MeetingState.HELD).first()
    draft = services.meeting_schedule(
        by=staff_user,
        street=street,
        kind=MeetingKind.COMMITTEE,
        title="拟定中的会议",
        date=timezone.localdate() + datetime.timedelta(days=20),
        time=datetime.time(9, 0),
        place="三楼会议室",
        attendees=[unit_user],
    )
    assert client.get(reverse("meetings:list")).status_code == 403
    assert client.get(reverse("meetings:detail", args=[held.pk])).status_code == 403
    assert client.get(reverse("meetings:detail", args=[draft.pk])).status_code == 404  # the committee's own
    for name in ("edit", "sign_in", "minutes", "agenda_change", "reschedule", "cancel"):
        assert client.get(reverse(f"meetings:{name}", args=[invited.pk])).status_code == 403, name
    assert client.post(reverse("meetings:chase", args=[invited.pk])).status_code == 403


def test_the_invited_unit_finds_the_meeting_on_its_home(login, invited, unit_user):
    items = login(unit_user).get(reverse("home")).context["todo_items"]
    assert (f"请答复是否参加：{invited.title}", invited.get_absolute_url()) in [(i.label, i.url) for i in items]
