"""A resident nominates themself on a phone, the committee reviews and notices them, the party committee confirms,
the committee appoints them, and they sign in and find their role."""

import datetime
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from committee.models import User
from livelihood_votes.council.models import CouncilMember, CouncilNotice, MemberState
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def log_out(page):
    page.context.clear_cookies()


def test_self_nomination_to_appointment_on_a_phone(phone, live_server, demo_data, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("committee.public.MIN_SECONDS", 0)  # a test fills the form faster than a person
    cache.clear()
    phone.goto(f"{live_server.url}/council/apply/dongshan/")
    expect(phone.get_by_role("heading", name=re.compile("成员自荐报名"))).to_be_visible()
    phone.get_by_label("姓名").fill("贺玥")
    phone.get_by_label("手机号码").fill("13712345678")
    phone.get_by_label("出生日期").fill("2010-01-01")  # too young
    phone.get_by_label("在本街道居住").check()
    phone.get_by_label("居住或工作起始日期").fill("2012-03-01")
    phone.get_by_label("居住地址或工作单位").fill("东山社区5栋")
    phone.get_by_label("成员类别").select_option(label="居民代表")
    phone.get_by_label("个人简介及自荐理由").fill("社区志愿者，熟悉邻里情况。")
    phone.get_by_role("button", name="提交自荐").click()
    expect(phone.get_by_text(re.compile("须年满18周岁"))).to_be_visible()
    phone.get_by_label("出生日期").fill("1985-07-09")
    phone.get_by_role("button", name="提交自荐").click()
    expect(phone.get_by_text("待初审")).to_be_visible()
    code = phone.locator("#tracking-code").inner_text()
    member = CouncilMember.objects.get(tracking_code=code)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    log_in(phone, live_server.url, "dongshan_staff")
    phone.goto(f"{live_server.url}/council/members/?state=applied")
    phone.get_by_role("link", name="贺玥").click()
    phone.get_by_role("link", name="初审").click()
    expect(phone.get_by_text("确认初审结果？通过的人选将列入下一次公示。")).to_be_visible()
    phone.get_by_role("button", name="确认初审").click()
    expect(phone.get_by_text("初审通过，待公示")).to_be_visible()
    phone.get_by_role("link", name="发布公示").click()
    expect(phone.get_by_text(re.compile("以下初审通过的人选将公示至"))).to_be_visible()
    phone.get_by_role("button", name="确认发布公示").click()
    expect(phone.get_by_text(re.compile("已发布公示，公示期至"))).to_be_visible()
    phone.goto(f"{live_server.url}/council/notice/dongshan/")
    expect(phone.get_by_text("贺玥")).to_be_visible()

    # Five working days later the notice has ended.
    member.refresh_from_db()
    CouncilNotice.objects.filter(pk=member.notice_id).update(
        starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2026, 1, 12)
    )
    log_out(phone)
    log_in(phone, live_server.url, "dongshan_party")
    expect(phone.get_by_role("link", name=re.compile("待党工委确认的议事会成员人选"))).to_be_visible()
    phone.get_by_role("link", name=re.compile("待党工委确认的议事会成员人选")).click()
    phone.get_by_role("link", name="贺玥").click()
    phone.get_by_role("link", name="党工委确认").click()
    phone.get_by_role("button", name="确认党工委确认").click()
    expect(phone.get_by_text("党工委已确认，待聘任")).to_be_visible()

    log_out(phone)
    log_in(phone, live_server.url, "dongshan_staff")
    phone.goto(f"{live_server.url}{member.get_absolute_url()}")
    phone.get_by_role("link", name="聘任").click()
    phone.get_by_label("任期开始").fill(datetime.date.today().isoformat())
    phone.get_by_label("任期届满").fill("2030-04-18")
    phone.get_by_role("button", name="确认聘任").click()
    expect(phone.get_by_text("已完成：聘任。")).to_be_visible()
    member.refresh_from_db()
    assert member.state == MemberState.APPOINTED

    # The committee gives the new account its password on the people page; the member signs in.
    user = User.objects.get(mobile="13712345678")
    user.set_password("Renda@2025")
    user.save()
    log_out(phone)
    log_in(phone, live_server.url, "13712345678")
    expect(phone.get_by_text(re.compile("居民议事员")).first).to_be_visible()
    phone.goto(f"{live_server.url}{member.get_absolute_url()}")
    expect(phone.get_by_text("在任")).to_be_visible()
    expect(phone.get_by_text(re.compile("2030年4月18日"))).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.console_errors == []
