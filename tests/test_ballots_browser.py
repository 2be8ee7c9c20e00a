"""A ballot on a 375-px phone: staff create and open a vote; a deputy votes on their phone (big touch targets, the
receipt shown once, "已投票" afterwards); a voter without an account votes with the code from a printed slip
(carried in the QR code's #fragment); a teller issues a paper ballot on the roll, enters it after voting ends, and
closes; anyone without logging in finds the receipts on the public result page."""

import re

import pytest
from playwright.sync_api import expect

from committee.ballots import services
from committee.ballots.models import Ballot, BallotState, PaperBallot
from committee.documents.selectors import documents_for
from committee.models import User
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]

TITLE = "2026年民生实事项目票决（手机测试）"


def _switch_user(phone, base_url, username):
    phone.context.clear_cookies()
    log_in(phone, base_url, username)


def _fits_the_phone(phone):
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def _choose(phone, position: int, label: str):
    option = phone.locator("fieldset").nth(position - 1).locator("label", has_text=re.compile(f"^{label}$"))
    box = option.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a thumb-sized target across the screen
    option.click()


def test_voting_by_phone_slip_and_paper_then_the_public_result(phone, live_server, demo_data):
    url = live_server.url
    phone.on("dialog", lambda dialog: dialog.accept())

    # Staff create the vote for the street's residents' council and open it.
    log_in(phone, url, "wangchunmen_staff")
    phone.goto(f"{url}/ballots/")
    _fits_the_phone(phone)
    phone.get_by_role("link", name="新建表决").click()
    phone.get_by_label("表决事项名称").fill(TITLE)
    phone.get_by_label("名额").fill("1")
    phone.get_by_label("候选项目或测评事项").fill("社区食堂建设\n背街小巷路灯亮化\n")
    phone.get_by_label("人大代表").check()
    phone.get_by_label("没有账号的选民").fill("易堃\n")
    phone.locator("#id_paper").select_option(label="纸质选票逐张录入")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已拟定表决")).to_be_visible()
    phone.get_by_role("link", name="开始投票").click()
    phone.get_by_role("button", name="确认开始投票").click()
    expect(phone.get_by_text("投票已开始")).to_be_visible()
    expect(phone.get_by_alt_text("手机投票二维码")).to_be_visible()
    ballot = Ballot.objects.get(title=TITLE)
    assert ballot.state == BallotState.OPEN

    # A deputy votes on their phone: one approval at most, the receipt once, then "已投票".
    _switch_user(phone, url, "wangchunmen_deputy")
    phone.goto(f"{url}/ballots/mine/")
    phone.get_by_role("link", name=re.compile(TITLE)).click()
    _fits_the_phone(phone)
    _choose(phone, 1, "赞成")
    _choose(phone, 2, "赞成")
    expect(phone.locator("#approval-count")).to_have_text("已选赞成 2 / 1")
    phone.get_by_role("button", name="提交投票").click()
    expect(phone.get_by_text("最多只能对1个候选项目投赞成票")).to_be_visible()
    _choose(phone, 2, "弃权")
    phone.get_by_role("button", name="提交投票").click()
    expect(phone.get_by_text("投票成功")).to_be_visible()
    receipt = phone.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", receipt)
    phone.goto(f"{url}/ballots/{ballot.pk}/vote/")
    expect(phone.locator("#voted")).to_have_text("已投票")
    assert receipt not in phone.content()

    # A voter without an account scans the slip's QR code: the code arrives in the #fragment.
    slips = documents_for(ballot).get(template=services.SLIPS_TEMPLATE).context["slips"]
    code = next(s["code"] for s in slips if s["name"] == "易堃")
    phone.context.clear_cookies()
    phone.goto(f"{url}/ballots/slip/#{code}")
    expect(phone.get_by_label("投票码")).to_have_value(code)
    assert phone.evaluate("window.location.hash") == ""
    phone.get_by_role("button", name="下一步").click()
    _choose(phone, 1, "反对")
    _choose(phone, 2, "赞成")
    phone.get_by_role("button", name="提交投票").click()
    expect(phone.get_by_text("投票成功")).to_be_visible()
    slip_receipt = phone.locator("#receipt-code").inner_text().strip()
    phone.goto(f"{url}/ballots/slip/")
    phone.get_by_label("投票码").fill(code)
    phone.get_by_role("button", name="下一步").click()
    expect(phone.get_by_text("此投票码已使用")).to_be_visible()

    # A teller issues a paper ballot on the roll; the deputy who voted by phone gets none.
    _switch_user(phone, url, "wangchunmen_staff")
    paper_voter = User.objects.get(username="wangchunmen_deputy100")
    phone.goto(f"{url}/ballots/{ballot.pk}/roll/")
    _fits_the_phone(phone)
    phone.get_by_placeholder("姓名或手机号码").fill(paper_voter.mobile)
    phone.get_by_role("button", name="查询").click()
    phone.get_by_role("button", name="发放纸质选票").click()
    expect(phone.get_by_text(f"已向{paper_voter.full_name}发放纸质选票")).to_be_visible()
    phone.goto(f"{url}/ballots/{ballot.pk}/roll/?show=voted")
    expect(phone.get_by_text("已电子投票")).to_have_count(2)
    expect(phone.get_by_role("button", name="发放纸质选票")).to_have_count(0)

    # Voting ends; the teller enters the paper ballot and closes.
    phone.goto(f"{url}/ballots/{ballot.pk}/")
    phone.get_by_role("link", name="宣布投票结束").click()
    phone.get_by_role("button", name="确认宣布投票结束").click()
    phone.get_by_role("link", name="录入纸质选票").click()
    paper_code = PaperBallot.objects.filter(ballot=ballot).order_by("code").first().code
    phone.get_by_label("选票编号").fill(paper_code.lower())
    phone.locator("fieldset").nth(0).locator("label", has_text="赞成").click()
    phone.locator("fieldset").nth(1).locator("label", has_text="反对").click()
    phone.get_by_role("button", name="录入这张选票").click()
    expect(phone.get_by_text(f"已录入 {paper_code}（有效票）")).to_be_visible()
    phone.goto(f"{url}/ballots/{ballot.pk}/close/")
    expect(phone.get_by_text("清点无差异")).to_be_visible()
    phone.get_by_role("button", name="确认结束计票并公布结果").click()
    expect(phone.get_by_text("计票结束，结果已锁定并公布")).to_be_visible()
    # 26 entitled voters and 3 votes: no candidate has yes votes from more than half of them.
    expect(phone.locator("#result-table").get_by_text("未过半数")).to_have_count(2)
    expect(phone.get_by_text("尚有 1 个名额空缺")).to_be_visible()

    # Anyone, without logging in, finds the receipts and the log's hash on the public page.
    phone.context.clear_cookies()
    phone.goto(f"{url}/ballots/results/{ballot.token}/")
    _fits_the_phone(phone)
    for code in (receipt, slip_receipt, paper_code):
        expect(phone.locator("#receipts").get_by_text(code, exact=True)).to_be_visible()
    phone.get_by_label("回执码").fill(receipt)
    phone.get_by_role("button", name="核对").click()
    expect(phone.locator("#receipt-found")).to_be_visible()
    expect(phone.locator("#chain-hash")).to_have_text(ballot.results.get().chain_hash)
    assert not phone.console_errors
