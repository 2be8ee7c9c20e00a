"""A deputy's phone: file a practical deed with a photo → staff confirm it → the deputy sees the points on their
home and the record in their 档案."""

import base64
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from deputies.records.models import Claim, ClaimState
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]

PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


def quarter_points(page) -> Decimal:
    return Decimal(page.locator("#duty-points .fs-4").first.inner_text())


def test_a_deed_filed_on_the_phone_is_confirmed_and_counts(phone, live_server, demo_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "现场.png"
    photo.write_bytes(PHOTO)
    base = live_server.url

    log_in(phone, base, "wangchunmen_deputy")
    expect(phone.locator("#duties")).to_be_visible()
    expect(phone.get_by_text("暂无履职记录")).to_have_count(0)
    before = quarter_points(phone)
    phone.locator("#claim-button").click()
    phone.get_by_label("类别").select_option("deed")
    phone.get_by_label("事项").fill("帮助东风社区修好楼道路灯")
    phone.get_by_label("照片或文件").set_input_files(photo)
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("已提交，待人大街道工委确认后计入履职积分。")).to_be_visible()
    expect(phone.locator("#claim-state")).to_have_text("待确认")
    expect(phone.locator("#confirm-claim")).to_have_count(0)  # never their own
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    claim_url = phone.url

    phone.context.clear_cookies()
    log_in(phone, base, "wangchunmen_staff")
    expect(phone.get_by_role("heading", name=re.compile("您好"))).to_be_visible()
    phone.goto(claim_url)
    expect(phone.get_by_role("img", name="现场.png")).to_be_visible()
    phone.locator("#confirm-claim").click()
    expect(phone.get_by_text("已确认，计入代表履职积分。")).to_be_visible()
    assert Claim.objects.get(title="帮助东风社区修好楼道路灯").state == ClaimState.CONFIRMED

    phone.context.clear_cookies()
    log_in(phone, base, "wangchunmen_deputy")
    expect(phone.locator("#duties")).to_be_visible()
    assert quarter_points(phone) == before + 5  # the table's points for a practical deed
    phone.locator("#my-archive").click()
    entry = phone.locator("#archive-items a", has_text="帮助东风社区修好楼道路灯")
    expect(entry).to_be_visible()
    entry.click()
    expect(phone).to_have_url(claim_url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert not phone.console_errors
