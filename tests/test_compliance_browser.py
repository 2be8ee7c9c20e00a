"""The city's dashboard in a real browser on a phone: sorting, the rule's own article, the PDF made by the worker
with its progress, and the many-streets layout with its filters."""

import re

import pytest
from playwright.sync_api import expect

from committee.compliance import services
from committee.compliance.models import Export
from committee.models import Street
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def test_the_city_sorts_the_dashboard_reads_the_article_and_exports_a_pdf(phone, live_server, demo_data):
    log_in(phone, live_server.url, "xiangxiang_city")
    phone.goto(f"{live_server.url}/dashboard/?year=2026&quarter=4")
    phone.get_by_label("排序").select_option("shortfalls")
    phone.get_by_role("button", name="查看").click()
    expect(phone).to_have_url(re.compile(r"sort=shortfalls"))
    expect(phone.locator(".street-shortfalls")).to_have_count(4)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    dongshan = Street.objects.get(slug="dongshan")
    phone.locator(f"a[href^='/dashboard/streets/{dongshan.pk}/rules/13(2)/']").click()
    phone.get_by_role("link", name="查看实施细则原文").click()
    expect(phone).to_have_url(re.compile(r"/rules/chapter/5/#article-13$"))
    expect(phone.locator("#article-13")).to_be_in_viewport()

    phone.goto(f"{live_server.url}/dashboard/?year=2026&quarter=4")
    phone.locator("#export-pdf").click()
    export = Export.objects.latest("pk")
    row = phone.locator(f"#export-{export.pk}")
    expect(row.get_by_text("排队等待生成…")).to_be_visible()  # the request only registered it
    services.export_render(export_id=export.pk)  # what the worker does
    expect(row.get_by_role("link", name="下载")).to_be_visible(timeout=10_000)  # the row polled its state
    assert phone.console_errors == []


def test_many_streets_are_rows_the_city_filters_by_status(phone, live_server, demo_data):
    xiangxiang = Street.objects.get(slug="wangchunmen").municipality
    Street.objects.bulk_create(
        Street(municipality=xiangxiang, name=f"测试街道{i:02d}", slug=f"bulk-{i}", abbreviation="测") for i in range(30)
    )
    log_in(phone, live_server.url, "xiangxiang_city")
    phone.goto(f"{live_server.url}/dashboard/?year=2026&quarter=4")
    expect(phone.locator(".compliance-totals")).to_be_visible()
    expect(phone.locator(".compliance-streets tbody tr").filter(has=phone.locator("th a"))).to_have_count(25)
    phone.get_by_label("条款").select_option("21(1)")
    phone.get_by_label("状态").select_option("met")
    phone.get_by_role("button", name="查看").click()
    expect(phone.locator(".compliance-streets tbody tr").filter(has=phone.locator("th a"))).to_have_count(4)
    expect(phone.get_by_role("link", name="望春门街道")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone.console_errors == []
