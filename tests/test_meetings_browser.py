"""The meetings journey on a phone: staff schedule a quarterly meeting 20 days ahead and confirm it; the notice
reaches the participants by email (a real SMTP server on loopback) and in-app exactly once; a deputy signs for it
and asks for leave; staff see the answer, sign people in on the day, record a decision and the minutes; the notice
and the minutes become PDFs."""

import datetime
import io
import re

import pdfplumber
import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from playwright.sync_api import expect

from committee.documents.models import Document, DocumentState
from committee.documents.services import document_render
from committee.models import User
from committee.notices.models import Channel, Notice, NoticeState
from committee.notices.services import notice_deliver
from meetings.models import Answer, Meeting, MeetingState
from tests.markers import transactional_db
from tests.test_browser import log_in
from tests.test_notices_worker import Mailbox, free_port

pytestmark = [pytest.mark.browser, transactional_db]


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    yield mailbox
    controller.stop()


def _deliver_email(event_key: str) -> None:
    """What the worker does for each enqueued notice; twice, as a duplicate delivery would."""
    for _ in range(2):
        for notice in Notice.objects.filter(event_key=event_key, channel=Channel.EMAIL):
            notice_deliver(notice_id=notice.pk)


def _switch_user(phone, base_url, username):
    phone.context.clear_cookies()
    log_in(phone, base_url, username)


def test_quarterly_meeting_from_notice_to_minutes_on_a_phone(phone, live_server, demo_data, smtp, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    deputy = User.objects.get(username="wangchunmen_deputy")
    director = User.objects.get(username="wangchunmen_director")
    for user, address in ((deputy, "deputy@example.cn"), (director, "director@example.cn")):
        user.email = address
        user.save(update_fields=["email"])
    day = timezone.localdate() + datetime.timedelta(days=20)
    title = f"{day.year}年第{(day.month - 1) // 3 + 1}季度人大街道工委会议（演示）"

    # Staff schedule the meeting 20 days ahead; the page shows the latest notice date.
    log_in(phone, live_server.url, "wangchunmen_staff")
    phone.goto(f"{live_server.url}/meetings/?kind=committee")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_role("link", name="安排会议").click()
    phone.get_by_label("会议名称").fill(title)
    phone.get_by_label("会议日期").fill(day.isoformat())
    phone.get_by_label("开始时间").fill("09:00")
    phone.get_by_label("地点").fill("办事处三楼会议室")
    picker = phone.get_by_role("combobox", name="相关参会人员（从人员名册中选择）")  # searchable (static/js/forms.js)
    picker.fill(deputy.full_name)
    phone.locator(".ts-dropdown .option", has_text=f"{deputy.full_name} · 人大代表").click()
    latest = day - datetime.timedelta(days=10)
    expect(phone.locator("#notice-deadline-date")).to_have_text(f"{latest.year}年{latest.month}月{latest.day}日")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已拟定会议")).to_be_visible()
    phone.get_by_role("link", name="确认并发出通知").click()
    phone.get_by_role("button", name="确认并发出通知").click()
    expect(phone.get_by_text("会议通知已发出。")).to_be_visible()

    meeting = Meeting.objects.get(title=title)
    assert meeting.state == MeetingState.NOTIFIED
    key = meeting.event_key()
    _deliver_email(key)
    subjects = smtp.subjects()
    assert sorted(s for s in subjects if title in s) == sorted([f"会议通知：{title}"] * 2)  # deputy and director
    recipients = " ".join(str(m["To"]) for m in smtp.messages)
    assert recipients.count("deputy@example.cn") == 1 and recipients.count("director@example.cn") == 1
    assert Notice.objects.filter(event_key=key, recipient=deputy, channel=Channel.IN_APP).count() == 1
    assert Notice.objects.get(event_key=key, recipient=deputy, channel=Channel.EMAIL).state == NoticeState.SENT

    # The deputy, on a phone: signs for the notice in the inbox and asks for leave with a reason.
    _switch_user(phone, live_server.url, "wangchunmen_deputy")
    phone.goto(f"{live_server.url}/notices/")
    item = phone.locator(".list-group-item").filter(has_text=f"会议通知：{title}")
    item.get_by_role("button", name="签收").click()
    expect(item.get_by_text(re.compile("已签收"))).to_be_visible()
    phone.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    phone.get_by_label("请假", exact=True).check()
    phone.get_by_label("请假事由").fill("参加市人大代表培训")
    phone.get_by_role("button", name="提交答复").click()
    expect(phone.get_by_text("已答复。")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    mine = meeting.participants.get(user=deputy)
    assert (mine.answer, mine.leave_reason) == (Answer.LEAVE, "参加市人大代表培训")

    # Staff see who signed for it and who asked for leave.
    _switch_user(phone, live_server.url, "wangchunmen_staff")
    phone.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    row = phone.locator(f"#participant-{mine.pk}")
    expect(row).to_contain_text("请假")
    expect(row).to_contain_text("参加市人大代表培训")
    expect(row.get_by_text("已签收")).to_be_attached()

    # The day comes: sign-in by staff (htmx), then a decision and the minutes.
    Meeting.objects.filter(pk=meeting.pk).update(
        date=timezone.localdate(), notice_sent_on=timezone.localdate() - (day - meeting.notice_sent_on)
    )
    phone.get_by_role("link", name="签到").first.click()
    expect(phone.get_by_role("img", name="扫码签到二维码")).to_be_visible()
    director_row = phone.locator(f"#sign-in-{meeting.participants.get(user=director).pk}")
    director_row.get_by_role("button", name="签到").click()
    expect(director_row.get_by_role("button", name=re.compile("已签到"))).to_be_visible()
    expect(phone.locator("#quorum")).to_contain_text("到会 1")
    phone.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    phone.get_by_role("link", name="纪要与决定").click()
    phone.get_by_label("决定事项").fill("通过本季度工作安排")
    phone.get_by_role("button", name="记录决定").click()
    expect(phone.get_by_text("已记录决定事项。")).to_be_visible()
    phone.get_by_label("会议纪要").fill("一、会议情况\n会议听取了街道办事处工作报告。")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="印发纪要（生成PDF）").click()
    expect(phone.get_by_text(re.compile("纪要已印发"))).to_be_visible()

    meeting.refresh_from_db()
    for document_id in (meeting.notice_document_id, meeting.minutes_document_id):
        document_render(document_id=document_id)  # what the worker does
        document = Document.objects.get(pk=document_id)
        assert document.state == DocumentState.DONE
        with document.file.open("rb") as f, pdfplumber.open(io.BytesIO(f.read())) as pdf:
            text = "".join(page.extract_text() for page in pdf.pages)
        assert "办事处三楼会议室" in text or "通过本季度工作安排" in text
    phone.reload()
    expect(phone.get_by_role("link", name="下载")).to_have_count(2)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.console_errors == []
