"""A handling unit's officer on a phone (issue 13): they open the notice of a meeting they were invited to (the
demo's upcoming meeting), ask for leave with a reason — which is their 签收 — and work through their inbox, open
cases first by deadline with overdue ones marked."""

import re

import pytest
from playwright.sync_api import expect

from committee.models import User
from committee.notices.models import Notice
from meetings.models import Answer, Meeting, MeetingState
from supervision.models import State
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def test_the_unit_opens_and_answers_a_meeting_notice_on_a_phone(phone, live_server, demo_data):
    unit = User.objects.get(username="wangchunmen_handling_unit")
    meeting = Meeting.objects.get(street__slug="wangchunmen", state=MeetingState.NOTIFIED, participants__user=unit)
    log_in(phone, live_server.url, unit.username)
    expect(phone.get_by_role("link", name=re.compile(f"请答复是否参加：{meeting.title}"))).to_be_visible()

    phone.goto(f"{live_server.url}/notices/")
    phone.get_by_role("link", name=re.compile(f"会议通知：{meeting.title}")).click()
    expect(phone).to_have_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    expect(phone.get_by_role("heading", name=meeting.title)).to_be_visible()
    expect(phone.get_by_text("您的角色没有执行此操作的权限")).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.get_by_role("radio", name="请假").check()
    phone.get_by_label("请假事由").fill("参加区里的业务培训")
    phone.get_by_role("button", name="提交答复").click()
    expect(phone.get_by_text("已答复。")).to_be_visible()
    expect(phone.get_by_role("heading", name="我的答复 · 请假")).to_be_visible()

    participant = meeting.participants.get(user=unit)
    assert (participant.answer, participant.leave_reason) == (Answer.LEAVE, "参加区里的业务培训")
    assert not Notice.objects.filter(event_key=meeting.event_key(), recipient=unit, confirmed_at=None).exists()

    # The inbox shows it signed for; the home page no longer asks.
    phone.goto(f"{live_server.url}/notices/")
    notice = phone.locator(".list-group-item", has_text=f"会议通知：{meeting.title}")
    expect(notice.get_by_text(re.compile("已签收"))).to_be_visible()
    phone.goto(f"{live_server.url}/")
    expect(phone.get_by_role("link", name=re.compile("请答复是否参加"))).to_have_count(0)
    assert not phone.console_errors


def test_the_unit_works_through_its_inbox_on_a_phone(phone, live_server, demo_data):
    log_in(phone, live_server.url, "wangchunmen_handling_unit")
    todo = phone.locator("#todo")
    expect(todo.get_by_role("link", name=re.compile("待办理的意见建议"))).to_be_visible()
    expect(todo.get_by_text("逾期", exact=True).first).to_be_visible()  # its most urgent cases, on the home page
    todo.get_by_role("link", name=re.compile("待办理的意见建议")).click()

    expect(phone).to_have_url(re.compile(r"/opinions/inbox/$"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    rows = phone.locator("tbody tr")
    expect(rows.first.get_by_text("逾期", exact=True)).to_be_visible()  # the most overdue first
    expect(phone.locator("tbody").get_by_text("已办结")).to_have_count(0)  # closed ones behind the tab

    phone.get_by_role("link", name="已办结").click()
    expect(phone).to_have_url(re.compile(r"show=closed"))
    expect(rows.first.get_by_text(str(State.CLOSED.label))).to_be_visible()
    expect(phone.locator("tbody").get_by_text("逾期", exact=True)).to_have_count(0)
    assert not phone.console_errors
