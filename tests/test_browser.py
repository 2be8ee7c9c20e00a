"""The main journey in a real browser (headless Chromium), on a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from committee.models import Street
from tests.markers import transactional_db

pytestmark = [pytest.mark.browser, transactional_db]


def log_in(page, base_url, username, password="Renda@2025"):
    page.goto(f"{base_url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("用户名或手机号码").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_staff_log_in_see_their_home_and_get_404_for_another_street(phone, live_server, demo_data):
    log_in(phone, live_server.url, "wangchunmen_staff")
    expect(phone.get_by_role("heading", name=re.compile("您好"))).to_be_visible()
    expect(phone.get_by_role("heading", name="待办事项")).to_be_visible()
    expect(phone.get_by_text("望春门街道 · 人大专干")).to_be_visible()

    # Nothing overflows the phone's width.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # The collapsed navigation opens (Bootstrap's script runs under the CSP) and follows the rules' chapters.
    phone.get_by_role("button", name="展开导航").click()
    expect(phone.locator("#mainnav")).to_have_class(re.compile(r"\bshow\b"))  # opened, not still opening
    expect(phone.get_by_role("button", name="会议")).to_be_visible()
    phone.get_by_role("button", name="工作保障").click()
    expect(phone.get_by_role("link", name="人员名册")).to_be_visible()

    other = Street.objects.get(slug="xinxianglu")
    response = phone.goto(f"{live_server.url}/streets/{other.pk}/")
    assert response.status == 404
    expect(phone.get_by_role("heading", name=re.compile("页面不存在"))).to_be_visible()

    own = Street.objects.get(slug="wangchunmen")
    response = phone.goto(f"{live_server.url}/streets/{own.pk}/")
    assert response.status == 200
    expect(phone.get_by_role("heading", name="湘乡市 · 望春门街道")).to_be_visible()
    # The only failed load is the 404 page itself: no CSP violation, no missing asset.
    assert phone.console_errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]


def test_a_wrong_password_shows_a_chinese_message_and_keeps_the_username(phone, live_server, demo_data):
    log_in(phone, live_server.url, "wangchunmen_staff", password="not-the-password")
    expect(phone.get_by_text(re.compile("请输入一个正确的"))).to_be_visible()
    expect(phone.get_by_label("用户名或手机号码")).to_have_value("wangchunmen_staff")


def test_leadership_drill_from_the_dashboard_to_the_evidence(phone, live_server, demo_data):
    log_in(phone, live_server.url, "xiangxiang_city")
    phone.goto(f"{live_server.url}/dashboard/?year=2026&quarter=4")
    expect(phone.get_by_role("heading", name=re.compile("履职看板"))).to_be_visible()
    dongshan = Street.objects.get(slug="dongshan")
    phone.locator(f"a[href^='/dashboard/streets/{dongshan.pk}/rules/22/']").click()
    expect(phone.get_by_role("heading", name=re.compile("第22条"))).to_be_visible()
    expect(phone.get_by_text("已列入预算 2 / 3 项")).to_be_visible()
    phone.get_by_role("link", name=re.compile("2026年 街道居民议事会工作经费")).click()
    expect(phone.get_by_role("heading", name=re.compile("东山街道 2026年 街道居民议事会工作经费"))).to_be_visible()

    # The per-street page draws its trend chart (vendored ECharts under the CSP).
    phone.goto(f"{live_server.url}/dashboard/streets/{dongshan.pk}/?year=2026&quarter=4")
    expect(phone.locator("#trend-chart svg")).to_be_visible()
    assert phone.console_errors == []
