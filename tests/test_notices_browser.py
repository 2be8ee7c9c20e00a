"""The inbox on a phone: the unread badge in the navigation bar (loaded by htmx under the CSP), confirming a
notice with one click, and nothing wider than the screen."""

import re

import pytest
from playwright.sync_api import expect

from committee.models import User
from committee.notices.models import Notice
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def test_a_deputy_sees_the_badge_reads_and_confirms_on_a_phone(phone, live_server, demo_data):
    deputy = User.objects.get(username="wangchunmen_deputy")
    unread = Notice.objects.inbox(deputy).filter(read_at__isnull=True).count()
    assert unread > 1  # the demo notice to study the rules, and what the deputy's own work brought
    log_in(phone, live_server.url, "wangchunmen_deputy")
    badge = phone.locator("#notice-badge .badge")
    expect(badge).to_have_text(str(unread))  # visible without opening the menu

    phone.get_by_title("我的通知").click()
    expect(phone.get_by_role("heading", name="我的通知")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    item = phone.locator(".list-group-item").filter(has_text="请学习《湘乡市人大常委会街道工作委员会工作实施细则》")
    expect(item.get_by_text("未读", exact=True)).to_be_visible()
    item.get_by_role("button", name="签收").click()
    expect(phone.get_by_text(re.compile("已签收："))).to_be_visible()
    expect(phone.locator("#notice-badge .badge")).to_have_text(str(unread - 1))
    notice = Notice.objects.get(event_key="demo:wangchunmen:rules-study", recipient__username="wangchunmen_deputy")
    assert notice.confirmed_at and notice.read_at
    assert phone.console_errors == []
