"""A deputy's suggestion on a phone: drafted with similar earlier suggestions shown, a co-signer confirms on their
own account, staff ask for a revision, the deputy revises and submits, and the case is in the loop."""

import re

import pytest
from playwright.sync_api import expect

from committee.demo import DEMO_PASSWORD
from committee.models import User
from deputies.suggestions.models import Suggestion, SuggestionState
from supervision.models import Channel
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def switch_to(page, base_url, username):
    page.context.clear_cookies()
    log_in(page, base_url, username)
    expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()


def test_a_suggestion_from_draft_to_the_loop_on_a_phone(phone, live_server, demo_data):
    base = live_server.url
    phone.on("dialog", lambda dialog: dialog.accept())  # the confirmation before submitting
    cosigner = User.objects.get(username="wangchunmen_deputy110")
    cosigner.set_password(DEMO_PASSWORD)
    cosigner.save()

    # The deputy drafts; earlier suggestions on the same subject show while typing.
    switch_to(phone, base, "wangchunmen_deputy")
    phone.goto(f"{base}/deputies/suggestions/?mine=1")
    phone.get_by_role("link", name="起草建议").click()
    phone.get_by_label("标题").fill("关于东风路路灯夜间照明的建议")
    phone.get_by_label("存在的问题").fill("东风路部分路灯损坏，晚上看不清路。")
    similar = phone.get_by_test_id("similar")
    expect(similar).to_contain_text("关于东风路沿线路灯改造的建议")
    phone.get_by_label("类别").fill("市政设施")
    phone.get_by_label("建议内容").fill("群众多次反映，影响夜间出行安全。")
    phone.get_by_label("解决办法").fill("尽快修复损坏路灯，增加巡查频次。")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_role("button", name="保存草稿").click()
    expect(phone.get_by_text("草稿已保存")).to_be_visible()
    suggestion_url = phone.url
    phone.get_by_label("邀请附议的代表").select_option(label=cosigner.full_name)
    phone.get_by_role("button", name="邀请附议").click()
    expect(phone.get_by_text("已邀请附议")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    expect(phone.get_by_test_id("cosigners")).not_to_contain_text(cosigner.full_name)
    phone.get_by_role("button", name="送工委沟通协调").click()
    expect(phone.get_by_test_id("state")).to_have_text("沟通协调中")

    # The co-signer confirms on their own account; only then does their name appear.
    switch_to(phone, base, cosigner.username)
    phone.goto(suggestion_url)
    phone.get_by_role("button", name="确认附议").click()
    expect(phone.get_by_test_id("cosigners")).to_contain_text(cosigner.full_name)

    # Staff consult and ask for a revision.
    switch_to(phone, base, "wangchunmen_staff")
    phone.goto(suggestion_url)
    phone.get_by_label("意见").fill("请写明具体路段和损坏的路灯数量。")
    phone.get_by_role("button", name="退回修改").click()
    expect(phone.get_by_test_id("state")).to_have_text("退回修改")

    # The deputy revises and submits; a case opens in the loop.
    switch_to(phone, base, "wangchunmen_deputy")
    phone.goto(suggestion_url)
    expect(phone.get_by_test_id("events")).to_contain_text("请写明具体路段和损坏的路灯数量。")
    phone.get_by_role("link", name="修改").click()
    phone.get_by_label("存在的问题").fill("东风路建设路口至人民路段有8盏路灯损坏，晚上看不清路。")
    phone.get_by_role("button", name="保存并提交修改稿").click()
    expect(phone.get_by_test_id("state")).to_have_text("已修改")
    phone.get_by_role("button", name="正式提交").click()
    expect(phone.get_by_text("建议已正式提交")).to_be_visible()
    expect(phone.get_by_test_id("state")).to_have_text("已提交")
    suggestion = Suggestion.objects.get(title="关于东风路路灯夜间照明的建议")
    assert suggestion.state == SuggestionState.SUBMITTED
    assert suggestion.case.channel == Channel.DEPUTY_SUGGESTION
    assert cosigner.full_name in suggestion.case.content
    phone.get_by_test_id("case").click()
    expect(phone).to_have_url(re.compile(rf"/opinions/{suggestion.case_id}/$"))
    assert not phone.console_errors
