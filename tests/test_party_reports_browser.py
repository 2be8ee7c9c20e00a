"""A quarterly report drafted and submitted on a phone; the page follows the PDF's rendering with htmx."""

import re

import pytest
from playwright.sync_api import expect

from committee.documents.models import DocumentState
from committee.documents.services import document_render
from committee.models import User
from committee.party_reports.models import PartyReport, ReportState
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def test_staff_draft_and_submit_on_a_phone_and_watch_the_pdf_arrive(phone, live_server, demo_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    log_in(phone, live_server.url, "dongshan_staff")
    phone.goto(f"{live_server.url}/party-reports/")
    expect(phone.get_by_role("heading", name="向街道党工委报告工作")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.get_by_role("link", name="起草季度报告").click()
    phone.get_by_label("年度").fill("2026")
    phone.get_by_label("季度").select_option("4")
    phone.get_by_label("标题").fill("东山街道人大工委关于2026年第四季度工作情况的报告")
    phone.get_by_label("正文").fill(
        "一、工作情况\n组织代表赵赟进站接待群众。\n二、下季度安排\n继续做好代表联络站工作。"
    )
    phone.get_by_role("button", name="保存草稿").click()
    expect(phone.get_by_text("已保存报告草稿。")).to_be_visible()

    phone.get_by_role("link", name="报送").click()
    expect(phone.get_by_text(re.compile("报送后将编发文字号"))).to_be_visible()
    director = User.objects.get(username="dongshan_director")
    expect(phone.get_by_role("radio", name=re.compile(f"^{director.full_name}（"))).to_be_checked()  # 签发人
    phone.get_by_role("button", name="确认报送").click()
    expect(phone.get_by_text(re.compile("已报送，发文字号 湘乡人大东工报〔"))).to_be_visible()
    expect(phone.get_by_text(re.compile(f"签发人：{director.full_name}"))).to_be_visible()
    expect(phone.locator(".progress-bar")).to_have_text(re.compile("排队等待生成|正在生成"))

    report = PartyReport.objects.get(street__slug="dongshan", year=2026, quarter=4)
    assert report.state == ReportState.SUBMITTED
    document_render(document_id=report.document_id)  # what the worker does; the page polls every 2 s
    expect(phone.get_by_role("link", name="下载")).to_be_visible(timeout=10_000)
    assert report.document.__class__.objects.get(pk=report.document_id).state == DocumentState.DONE
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.console_errors == []
