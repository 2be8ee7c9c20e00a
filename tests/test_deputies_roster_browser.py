"""码上找代表 on phones: a resident opens a deputy's QR page and leaves a message with a photo → the deputy sees it
on their home's to-do and answers from the phone → the resident sees the answer on the tracking page and rates it."""

import io
import re

import pytest
from playwright.sync_api import expect

from deputies.models import Deputy, ResidentMessage
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_resident_writes_to_a_deputy_who_answers_from_the_phone(phone, live_server, demo_data, monkeypatch, settings):
    monkeypatch.setattr("committee.public.MIN_SECONDS", 0)
    settings.PUBLIC_FORM_RATE = "1000/h"  # the browser posts from 127.0.0.1, whose count the shared cache keeps
    base = live_server.url
    deputy = Deputy.objects.select_related("user").get(user__username="wangchunmen_deputy")

    # The resident scans the poster's QR code: no login.
    phone.goto(base + deputy.public_url())
    expect(phone.get_by_role("heading", name=deputy.user.full_name)).to_be_visible()
    expect(phone.locator("img.deputy-photo")).to_be_visible()
    phone.get_by_label("您想对代表说的话").fill("小区东门的井盖松动，晚上有人差点摔倒。")
    phone.get_by_label("姓名").fill("刘阿姨")
    phone.get_by_label("联系电话").fill("13800002222")
    phone.get_by_label("照片（可选）").set_input_files(
        files=[{"name": "井盖.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    phone.get_by_role("button", name="提交留言").click()
    expect(phone.get_by_text(re.compile("留言已送达代表"))).to_be_visible()
    code = phone.locator("#tracking-code").inner_text()
    message = ResidentMessage.objects.get(tracking_code=code)
    assert message.photo and message.phone == "13800002222"
    expect(phone.get_by_text("代表尚未答复")).to_be_visible()
    assert "13800002222" not in phone.content()

    # The deputy, on their phone: the home's to-do, the message, the answer.
    phone.context.clear_cookies()
    log_in(phone, base, "wangchunmen_deputy")
    phone.get_by_role("link", name=re.compile("待答复的群众留言")).click()
    phone.get_by_role("link", name=re.compile("小区东门的井盖松动")).click()
    expect(phone.locator("#message-content")).to_contain_text("井盖松动")
    expect(phone.get_by_role("link", name="13800002222")).to_be_visible()
    expect(phone.locator("img.message-photo")).to_be_visible()
    phone.get_by_label("答复").fill("已请社区今天加固井盖，明天我去现场看。")
    phone.get_by_role("button", name="答复群众").click()
    expect(phone.get_by_text("已答复，群众可凭查询码查看。")).to_be_visible()

    # The resident comes back with the code and rates the answer.
    phone.context.clear_cookies()
    phone.goto(base + message.tracking_url())
    expect(phone.locator("#answer")).to_contain_text("已请社区今天加固井盖")
    phone.get_by_label("满意", exact=True).check()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_text("感谢您的评价。")).to_be_visible()
    expect(phone.get_by_text("您的评价：满意")).to_be_visible()
    message.refresh_from_db()
    assert message.rating == "satisfied" and message.answered_by == deputy.user
    assert not phone.console_errors
