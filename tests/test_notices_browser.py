"""The inbox on a phone: the unread badge in the navigation bar (loaded by htmx under the CSP), confirming a
notice with one click, and nothing wider than the screen."""

import re

import pytest
from playwright.sync_api import expect

from committee.notices.models import Notice
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def test_a_deputy_sees_the_badge_reads_and_confirms_on_a_phone(phone, live_server, demo_data):
    log_in(phone, live_server.url, "wangchunmen_deputy")
    badge = phone.locator("#notice-badge .badge")
    expect(badge).to_have_text("1")  # one unread demo notice, visible without opening the menu

    phone.get_by_title("我的通知").click()
    expect(phone.get_by_role("heading", name="我的通知")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    first = phone.locator(".list-group-item").first
    expect(first.get_by_text("未读", exact=True)).to_be_visible()
    first.get_by_role("button", name="签收").click()
    expect(phone.get_by_text(re.compile("已签收："))).to_be_visible()
    expect(phone.locator("#notice-badge .badge")).to_have_count(0)
    notice = Notice.objects.get(event_key="demo:wangchunmen:rules-study", recipient__username="wangchunmen_deputy")
    assert notice.confirmed_at and notice.read_at
    assert phone.console_errors == []
