"""The whole opinion-handling loop through the UI on a phone: a resident's opinion registered by staff, assigned,
accepted, met, replied with a commitment; the resident rates 不满意 on the tracking page, the case is handled a
second time and rated 满意, the commitment is done, staff close it; every step is on the case's trail."""

import re

import pytest
from playwright.sync_api import expect

from supervision.models import Opinion, OpinionEvent, Rating, State
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def switch_to(page, base_url, username=None):
    page.context.clear_cookies()
    if username:
        log_in(page, base_url, username)
        expect(page.get_by_role("heading", name=re.compile("您好"))).to_be_visible()


def unit_replies(page, url, reply_class, body, commitment=None):
    page.goto(url)
    if page.get_by_role("button", name="签收").count():
        page.get_by_role("button", name="签收").click()
        expect(page.get_by_text("已签收。")).to_be_visible()
        page.locator("#id_place").fill("望春门代表联络站")
        page.locator("#id_participants").fill("王建国、办公室主任")
        page.locator("#id_summary").fill("当面听取意见，约定一周内更换灯具。")
        page.get_by_role("button", name="记录见面沟通").click()
        expect(page.get_by_text("已记录见面沟通。")).to_be_visible()
    page.get_by_label(reply_class).check()
    page.locator("#id_body").fill(body)
    if commitment:
        page.locator("#id_commitment_1").fill(commitment)
        page.locator("#id_due_1").fill("2099-12-31")
    page.get_by_role("button", name="核对答复").click()
    page.get_by_role("button", name="确认发送").click()  # after checking what will be sent
    expect(page.get_by_text("已答复，已告知提出人。")).to_be_visible()


def resident_rates(page, base_url, code, rating, note=""):
    switch_to(page, base_url)
    page.goto(f"{base_url}/track/")
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(f"/track/{code}/$"))
    page.get_by_label(rating, exact=True).check()
    if note:
        page.get_by_label("意见").fill(note)
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("感谢您的评价。")).to_be_visible()


def test_the_whole_loop_on_a_phone(phone, live_server, demo_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    phone.on("dialog", lambda dialog: dialog.accept())  # the confirmations before consequential steps

    # Staff register a resident's opinion and hand it to the street office.
    log_in(phone, base, "wangchunmen_staff")
    phone.goto(f"{base}/opinions/add/")
    phone.get_by_label("来源渠道").select_option("reception")
    phone.get_by_label("类别").fill("市政设施")
    phone.get_by_label("内容").fill("东风路口路灯坏了两个星期，晚上看不清路，请尽快修好。")
    phone.get_by_label("提出人姓名").fill("王建国")
    phone.get_by_label("联系电话").fill("13812345678")
    phone.get_by_role("button", name="登记").click()
    expect(phone.get_by_text(re.compile("已登记。查询码"))).to_be_visible()
    code = phone.locator("#tracking-code").inner_text()
    case_url = phone.url
    phone.get_by_label("办理单位").select_option(label="街道办事处党政综合办公室")
    phone.get_by_role("button", name="交办").click()
    expect(phone.get_by_text("已交办。")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # The unit finds it in its inbox, accepts, meets the resident and replies with a commitment.
    switch_to(phone, base, "wangchunmen_handling_unit")
    phone.goto(f"{base}/opinions/inbox/")
    phone.get_by_role("link", name=re.compile("东风路口路灯坏了")).click()
    unit_replies(phone, case_url, "B类：正在解决", "已报修，灯具一周内更换。", commitment="更换东风路口路灯")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # The resident is not satisfied: the case is reopened for a second handling.
    resident_rates(phone, base, code, "不满意", "一周过去了还没修。")
    expect(phone.locator("span.badge").filter(has_text="办理中")).to_be_visible()
    opinion = Opinion.objects.get(tracking_code=code)
    assert (opinion.state, opinion.round) == (State.IN_PROGRESS, 2)

    # Second handling: the unit replies again and records the commitment done.
    switch_to(phone, base, "wangchunmen_handling_unit")
    unit_replies(phone, case_url, "A类：已解决", "路灯已全部更换，经回访正常照明。")
    phone.locator(".commitment-form input[name=evidence]").fill("2盏LED路灯已更换，附照片。")
    phone.get_by_role("button", name="标记完成").click()
    expect(phone.get_by_text("已标记完成。")).to_be_visible()

    resident_rates(phone, base, code, "满意")

    # Staff close it; the trail shows every step.
    switch_to(phone, base, "wangchunmen_staff")
    phone.goto(case_url)
    phone.get_by_role("button", name="办结").click()
    expect(phone.get_by_text("已办结。")).to_be_visible()
    trail = phone.locator("#event-trail li")
    expect(trail).to_have_count(12)
    expect(trail.last).to_contain_text("已评价 → 已办结")
    expect(phone.locator("#event-trail")).to_contain_text("不满意 一周过去了还没修。")
    expect(phone.locator("#event-trail")).to_contain_text("已评价 → 办理中")
    opinion.refresh_from_db()
    assert (opinion.state, opinion.rating) == (State.CLOSED, Rating.SATISFIED)
    assert list(OpinionEvent.objects.filter(opinion=opinion).values_list("action", flat=True)) == [
        "register", "assign", "accept", "start", "meeting", "reply", "rate", "reopen",
        "reply", "commitment_done", "rate", "close",
    ]  # fmt: skip
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.console_errors == []
