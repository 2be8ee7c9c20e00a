"""Forms on a phone (issue 13, "Forms"): a unit's written reply comes back with its error at the field, scrolled to
and focused, the chosen file still there; it is shown before it is sent, and going back to edit loses nothing. A
deputy reaches their own short form from their home in one tap and registers a case with a photo. Staff find
attendees by name or unit in a searchable picker (a plain select without JavaScript)."""

import re

import pytest
from playwright.sync_api import expect

from committee.models import Street, User
from meetings.models import Meeting, ParticipantGroup
from supervision import services
from supervision.models import Attachment, Channel, HandlingUnit, Opinion, Reply, State
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]

PHOTO = b"\xff\xd8\xff\xe0 a photo taken on the spot"


@pytest.fixture
def photo_file(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "现场.jpg"
    path.write_bytes(PHOTO)
    return path


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_written_reply_keeps_its_file_shows_errors_at_the_field_and_asks_before_sending(
    phone, live_server, demo_data, photo_file
):
    staff = User.objects.get(username="wangchunmen_staff")
    unit_user = User.objects.get(username="wangchunmen_handling_unit")
    opinion = services.opinion_register(
        by=staff, street=Street.objects.get(slug="wangchunmen"), channel=Channel.RECEPTION,
        content="东风路口路灯坏了两个星期，晚上看不清路。", proposer_name="王建国", proposer_phone="13812345678",
    )  # fmt: skip
    office = HandlingUnit.objects.get(street=opinion.street, name="街道办事处党政综合办公室")
    services.opinion_assign(by=staff, opinion=opinion, unit=office)
    services.opinion_accept(by=unit_user, opinion=opinion)
    base = live_server.url

    log_in(phone, base, "wangchunmen_handling_unit")
    phone.goto(f"{base}/opinions/{opinion.pk}/")
    phone.get_by_label("B类：正在解决").check()
    phone.locator("#id_body").fill("已报修，灯具一周内更换。")
    phone.locator("#id_attachments").set_input_files(photo_file)
    phone.get_by_role("button", name="核对答复").click()

    # B without a commitment: the refusal is at the commitment row, three screens down, scrolled to and focused.
    first_row = phone.locator("#id_commitment_1")
    expect(first_row).to_be_focused()
    expect(first_row).to_be_in_viewport()
    expect(phone.get_by_text("B类、C类答复须列出承诺事项及完成时限。")).to_be_in_viewport()
    expect(phone.locator("h1")).not_to_be_in_viewport()
    expect(phone.get_by_text("已选文件：现场.jpg（保留）")).to_be_visible()
    assert phone.locator("#id_body").input_value() == "已报修，灯具一周内更换。"

    # Fixed: the reply is shown with everything it sends, and to whom, before it goes.
    first_row.fill("更换东风路口路灯")
    phone.locator("#id_due_1").fill("2099-12-31")
    phone.get_by_role("button", name="核对答复").click()
    expect(phone.get_by_role("heading", name="核对书面答复")).to_be_visible()
    preview = phone.locator("#reply-preview")
    for shown in ("B类：正在解决", "已报修，灯具一周内更换。", "更换东风路口路灯", "2099-12-31", "现场.jpg", "王建国"):
        expect(preview).to_contain_text(shown)
    fits_the_phone(phone)
    assert not Reply.objects.filter(opinion=opinion).exists()

    # Back to edit: the form is as it was, file included, and the page opens at it.
    phone.get_by_role("button", name="返回修改").click()
    expect(phone.locator("#reply-form")).to_be_in_viewport()
    expect(phone.locator("#id_body")).to_have_value("已报修，灯具一周内更换。")
    expect(phone.locator("#id_commitment_1")).to_have_value("更换东风路口路灯")
    expect(phone.get_by_label("B类：正在解决")).to_be_checked()
    expect(phone.get_by_text("已选文件：现场.jpg（保留）")).to_be_visible()
    phone.locator("#id_body").fill("已报修，LED灯具一周内更换。")
    phone.get_by_role("button", name="核对答复").click()
    expect(phone.locator("#reply-preview")).to_contain_text("已报修，LED灯具一周内更换。")
    phone.get_by_role("button", name="确认发送").click()
    expect(phone.get_by_text("已答复，已告知提出人。")).to_be_visible()

    reply = Reply.objects.get(opinion=opinion)
    assert (reply.reply_class, reply.body) == ("B", "已报修，LED灯具一周内更换。")
    attachment = Attachment.objects.get(reply=reply)
    assert attachment.name == "现场.jpg" and attachment.file.read() == PHOTO
    assert list(reply.commitments.values_list("description", flat=True)) == ["更换东风路口路灯"]
    fits_the_phone(phone)
    assert phone.console_errors == []


def test_a_deputy_reports_from_home_in_one_tap(phone, live_server, demo_data, photo_file):
    base = live_server.url
    deputy = User.objects.get(username="wangchunmen_deputy")
    log_in(phone, base, "wangchunmen_deputy")
    button = phone.get_by_role("link", name="反映问题、提出建议")
    expect(button).to_be_in_viewport()
    fits_the_phone(phone)
    button.click()  # the one tap
    expect(phone).to_have_url(re.compile(r"/opinions/report/$"))
    expect(phone.get_by_label("来源渠道")).to_have_count(0)  # not the clerk's form
    expect(phone.get_by_label("提出人姓名")).to_have_count(0)

    # Sent without the text: the error is at the field, the photo stays.
    phone.get_by_label("照片").set_input_files(photo_file)
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_label("反映的问题或建议")).to_be_focused()
    expect(phone.get_by_text("已选文件：现场.jpg（保留）")).to_be_visible()
    phone.get_by_label("反映的问题或建议").fill("育才路口井盖松动，电动车经过容易摔倒。")
    phone.get_by_label("类别").select_option("市政设施")
    phone.get_by_label("地点（可不填）").fill("育才路口")
    fits_the_phone(phone)
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("已提交，可在「我提出的」查看办理进度。")).to_be_visible()

    opinion = Opinion.objects.get(content__startswith="育才路口井盖松动")
    assert (opinion.channel, opinion.state, opinion.proposer_user) == (
        Channel.DEPUTY_SUGGESTION,
        State.REGISTERED,
        deputy,
    )
    assert opinion.attachments.get().file.read() == PHOTO
    phone.get_by_role("link", name=re.compile("我提出的意见建议")).click()
    phone.get_by_role("link", name=re.compile("育才路口井盖松动")).click()
    expect(phone.locator(".card-body")).to_contain_text("育才路口井盖松动，电动车经过容易摔倒。地点：育才路口")
    expect(phone.get_by_role("link", name="现场.jpg")).to_be_visible()
    assert phone.console_errors == []


def test_attendees_are_found_by_name_or_unit(phone, live_server, demo_data, browser):
    base = live_server.url
    unit_user = User.objects.get(username="wangchunmen_handling_unit")
    deputy = User.objects.get(username="wangchunmen_deputy")
    log_in(phone, base, "wangchunmen_staff")
    phone.goto(f"{base}/meetings/add/")
    phone.locator("#id_title").fill("第一季度人大街道工委会议")
    phone.locator("#id_place").fill("办事处三楼会议室")
    search = phone.locator("#id_attendees-ts-control")
    search.click()
    search.fill("综合办公室")  # by unit
    phone.locator(".ts-dropdown .option", has_text=f"{unit_user.full_name} · 街道办事处党政综合办公室").click()
    search.fill(deputy.full_name)  # by name, with the role beside it
    phone.locator(".ts-dropdown .option", has_text=f"{deputy.full_name} · 人大代表").click()
    expect(phone.locator(".ts-control .item")).to_have_count(2)
    fits_the_phone(phone)
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已拟定会议")).to_be_visible()
    meeting = Meeting.objects.get(title="第一季度人大街道工委会议")
    attendees = set(meeting.participants.filter(group=ParticipantGroup.ATTENDEE).values_list("user", flat=True))
    assert attendees == {unit_user.pk, deputy.pk}
    assert phone.console_errors == []

    # Without JavaScript it is the plain select, with the same labels.
    context = browser.new_context(viewport={"width": 375, "height": 812}, java_script_enabled=False)
    plain = context.new_page()
    log_in(plain, base, "wangchunmen_staff")
    plain.goto(f"{base}/meetings/add/")
    expect(plain.locator("select#id_attendees option", has_text=f"{deputy.full_name} · 人大代表")).to_have_count(1)
    context.close()
