"""A report to constituents on a phone: staff record the report → start the satisfaction survey with slip codes →
two voter representatives scan their slips and answer on their phones → staff close it → the grade shows on the
report and on the deputy's public page."""

import re

import pytest
from playwright.sync_api import expect

from committee.ballots import services as ballots
from committee.documents.selectors import documents_for
from deputies.models import Deputy
from deputies.reports.models import ConstituentReport
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def _slip_vote(phone, url, code, label):
    phone.goto("about:blank")  # a new fragment on the same page would not load it again
    phone.goto(f"{url}/ballots/slip/#{code}")
    expect(phone.get_by_label("投票码")).to_have_value(code)
    phone.get_by_role("button", name="下一步").click()
    phone.locator("fieldset").first.locator("label", has_text=re.compile(f"^{label}$")).click()
    phone.get_by_role("button", name="提交投票").click()
    expect(phone.get_by_text("投票成功")).to_be_visible()


def test_staff_record_a_report_and_the_survey_by_slip_codes_grades_it(phone, live_server, demo_data):
    url = live_server.url
    phone.on("dialog", lambda dialog: dialog.accept())
    deputy = Deputy.objects.select_related("user", "constituency").get(user__username="wangchunmen_deputy100")

    log_in(phone, url, "wangchunmen_staff")
    phone.goto(f"{url}/deputies/reports/")
    phone.get_by_role("link", name="登记述职").click()
    phone.locator("select[name=deputy]").select_option(str(deputy.pk))
    phone.locator("select[name=constituency]").select_option(str(deputy.constituency_id))
    phone.locator("input[name=date]").fill("2026-11-20")
    phone.locator("input[name=place]").fill("社区党群服务中心")
    phone.locator("input[name=expected]").fill("52")
    phone.locator("input[name=present]").fill("51")
    phone.locator("textarea[name=text]").fill("一、参加人代会和视察调研情况。二、为民办实事情况。")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已保存。")).to_be_visible()
    report = ConstituentReport.objects.get(deputy=deputy, date="2026-11-20")

    phone.get_by_label("选民代表名单").fill("选民代表甲\n选民代表乙\n选民代表丙")
    phone.get_by_role("button", name="建立满意度测评").click()
    phone.get_by_role("link", name="开始投票").click()
    phone.get_by_role("button", name="确认开始投票").click()
    expect(phone.get_by_text("投票已开始")).to_be_visible()
    report.refresh_from_db()
    slips = documents_for(report.survey).get(template=ballots.SLIPS_TEMPLATE).context["slips"]
    codes = {s["name"]: s["code"] for s in slips}

    phone.context.clear_cookies()
    _slip_vote(phone, url, codes["选民代表甲"], "满意")
    _slip_vote(phone, url, codes["选民代表乙"], "满意")

    log_in(phone, url, "wangchunmen_staff")
    phone.goto(f"{url}/ballots/{report.survey_id}/close/")
    phone.get_by_role("button", name="确认结束计票并公布结果").click()
    expect(phone.get_by_text("计票结束，结果已锁定并公布")).to_be_visible()
    phone.goto(url + report.get_absolute_url())
    expect(phone.locator("#grade")).to_have_text("满意")

    phone.context.clear_cookies()
    phone.goto(url + deputy.public_url())
    expect(phone.locator("#report-results")).to_contain_text("满意")
    assert not phone.console_errors
