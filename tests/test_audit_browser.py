"""A director reads the audit log on a phone (issue 13): Chinese action names, the 操作人 on one line, local time,
and "较早" / "较新" paging through the log without a total."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee.models import AuditEntry, User
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def test_a_director_pages_through_the_log_on_a_phone(phone, live_server, demo_data):
    director = User.objects.get(username="wangchunmen_director")
    log_in(phone, live_server.url, director.username)
    phone.goto(f"{live_server.url}/audit/")
    expect(phone.get_by_role("heading", name="操作记录")).to_be_visible()
    rows = phone.locator("table.audit-log tbody tr")
    expect(rows).to_have_count(25)
    first = rows.first
    expect(first.locator("td").nth(2)).to_have_text(re.compile("^(新建|修改|删除)$"))
    # The actor's name on one line: its cell is no taller than the time's (which never wraps).
    actor, moment = first.locator("td").nth(1).bounding_box(), first.locator("td").nth(0).bounding_box()
    assert actor["height"] <= moment["height"] + 1
    newest = AuditEntry.objects.filter(street__slug="wangchunmen").latest("timestamp", "pk")
    assert timezone.localtime(newest.timestamp).strftime("%Y-%m-%d %H:%M") in phone.content()
    assert ".None" not in phone.content()

    phone.get_by_role("link", name="较早").click()
    expect(phone).to_have_url(re.compile(r"older="))
    expect(rows).to_have_count(25)
    phone.get_by_role("link", name="较新").click()
    expect(phone.get_by_role("link", name="较新")).to_have_count(0)  # back at the newest page
    assert not phone.console_errors
