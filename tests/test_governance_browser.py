"""随手拍 through the UI on a phone: a resident opens the street's public page, snaps a photo and sends it; staff
find the case with the photo and assign it; the unit replies; the resident sees the reply by the tracking code
and rates it."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from livelihood_votes.governance.models import Snapshot
from supervision.models import Rating, State
from tests.markers import transactional_db
from tests.test_opinions_browser import resident_rates, switch_to, unit_replies

pytestmark = [pytest.mark.browser, transactional_db]


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (27.0, 44.0, 0.0), 3: "E", 4: (112.0, 31.0, 0.0)}
    Image.new("RGB", (120, 90), (90, 90, 90)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_resident_snaps_a_photo_and_rates_the_reply(phone, live_server, demo_data, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("committee.public.MIN_SECONDS", 0)  # a test fills the form faster than a person
    base = live_server.url
    phone.on("dialog", lambda dialog: dialog.accept())

    # A resident, no account: the street's public page, then 随手拍.
    phone.goto(f"{base}/p/street/wangchunmen/")
    expect(phone.get_by_role("heading", name="人大代表")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_role("link", name="随手拍：拍照反映问题").click()
    phone.get_by_label("照片").set_input_files({"name": "路灯.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()})
    phone.get_by_label("地点").fill("东风路与建设路交叉口")
    phone.get_by_label("类别").select_option("市政设施")
    phone.get_by_label("问题描述").fill("路口的路灯坏了两个星期，晚上老人过马路看不清。")
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text(re.compile("已提交。请记下查询码"))).to_be_visible()
    code = re.search(r"/track/([A-Z0-9]+)/$", phone.url).group(1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    snapshot = Snapshot.objects.select_related("opinion").get(opinion__tracking_code=code)
    assert snapshot.opinion.attachments.count() == 1

    # Staff find it on the 随手拍 list, see the photo, and hand it to the street office.
    switch_to(phone, base, "wangchunmen_staff")
    phone.goto(f"{base}/governance/snapshots/")
    phone.get_by_role("link", name=re.compile("路口的路灯坏了")).click()
    photo = phone.get_by_role("link", name=re.compile(r"路灯\.jpg"))
    expect(photo).to_be_visible()
    assert phone.request.get(base + photo.get_attribute("href")).status == 200
    case_url = phone.url
    phone.get_by_label("办理单位").select_option(label="街道办事处党政综合办公室")
    phone.get_by_role("button", name="交办").click()
    expect(phone.get_by_text("已交办。")).to_be_visible()

    # The unit replies.
    switch_to(phone, base, "wangchunmen_handling_unit")
    unit_replies(phone, case_url, "A类：已解决", "已更换路口灯具，当晚恢复照明。")

    # The resident, by the tracking code, sees the reply and rates it.
    resident_rates(phone, base, code, "满意")
    expect(phone.get_by_text("已更换路口灯具，当晚恢复照明。")).to_be_visible()
    snapshot.opinion.refresh_from_db()
    assert snapshot.opinion.state == State.RATED and snapshot.opinion.rating == Rating.SATISFIED
    # The photo stays private: the resident without an account is sent to log in.
    private = phone.request.get(f"{base}/opinions/attachments/{snapshot.opinion.attachments.get().pk}/")
    assert "/accounts/login/" in private.url
    assert not phone.console_errors


def test_the_phones_location_fills_the_place_when_allowed(phone, live_server, demo_data):
    phone.context.grant_permissions(["geolocation"], origin=live_server.url)
    phone.context.set_geolocation({"latitude": 27.7345, "longitude": 112.5321})
    phone.goto(f"{live_server.url}/p/snap/wangchunmen/")
    phone.get_by_role("button", name="使用我的位置").click()
    expect(phone.get_by_text("已定位：27.734500, 112.532100")).to_be_visible()
    assert phone.locator("#id_latitude").input_value() == "27.734500"
    assert phone.get_by_label("地点").input_value() == "手机定位 27.734500, 112.532100"
    assert not phone.console_errors  # the script runs under the CSP (a file, no inline script)


def test_a_deputy_records_a_12345_report_on_the_phone_and_rates_the_outcome(phone, live_server, demo_data):
    from livelihood_votes.governance.models import HotlineReport
    from tests.test_browser import log_in

    base = live_server.url
    log_in(phone, base, "wangchunmen_deputy")
    phone.get_by_role("link", name="登记12345反映").click()
    phone.get_by_label("12345工单号").fill("12345-PHONE-001")
    phone.get_by_label("反映内容").fill("小区门口下水道堵塞，污水外溢。")
    phone.get_by_label("地点").fill("和平社区北门")
    phone.get_by_label("复杂诉求").check()
    phone.get_by_role("button", name="登记").click()
    expect(phone.get_by_text("已登记12345反映，工委将跟踪办理。")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_label("12345办理结果").fill("已派市政疏通，当日恢复。")
    phone.get_by_role("button", name="保存结果").click()
    expect(phone.get_by_text("已记录12345办理结果。")).to_be_visible()
    phone.get_by_label("满意", exact=True).check()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_text("已评价。")).to_be_visible()
    report = HotlineReport.objects.get(ticket_number="12345-PHONE-001")
    assert report.complex and report.rating == Rating.SATISFIED and report.opinion.channel == "hotline_12345"
    assert not phone.console_errors
