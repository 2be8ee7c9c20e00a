"""Forms that lose nothing (issue 13, "Forms"): a service's refusal at the field it names, files kept across a
refusal and a confirmation page, the written reply shown before it is sent, the deputies' short form, the
attendee picker's labels, the administrator's way on from the home page."""

import datetime
import hashlib

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from committee import uploads
from committee.documents.models import Document
from committee.models import Street, User
from committee.pages import add_validation_error
from committee.roles import Role
from meetings.forms import MeetingForm
from supervision import services
from supervision.models import Attachment, Channel, HandlingUnit, Opinion, Reply, State
from tests.conftest import account

PHOTO = b"\xff\xd8\xff\xe0 a photo"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def photo(name="路灯.jpg", content=PHOTO):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def held_files() -> list[str]:
    if not default_storage.exists(uploads.HOLD_DIR):
        return []
    found = []
    for owner in default_storage.listdir(uploads.HOLD_DIR)[0]:
        for key in default_storage.listdir(f"{uploads.HOLD_DIR}/{owner}")[0]:
            found += default_storage.listdir(f"{uploads.HOLD_DIR}/{owner}/{key}")[1]
    return found


# --- A service's refusal lands at the field it names -------------------------------------------------------


class PlaceForm(forms.Form):
    street = forms.CharField(widget=forms.HiddenInput, required=False)
    place = forms.CharField()
    deadline = forms.DateField(required=False)
    service_fields = {"due": "deadline"}


def refused(error) -> PlaceForm:
    form = PlaceForm({"place": "会议室"})
    assert form.is_valid()
    add_validation_error(form, error)
    return form


def test_a_refusal_naming_a_field_goes_to_that_field():
    form = refused(ValidationError({"place": "地点已被占用。"}))
    assert form.errors == {"place": ["地点已被占用。"]}
    assert form["place"].value() == "会议室"  # what was typed stays


def test_a_refusal_of_the_whole_request_goes_to_the_top():
    assert refused(ValidationError("会议已取消。")).non_field_errors() == ["会议已取消。"]
    assert refused(ValidationError({NON_FIELD_ERRORS: ["会议已取消。"]})).non_field_errors() == ["会议已取消。"]
    assert refused(ValidationError(["甲。", "乙。"])).non_field_errors() == ["甲。", "乙。"]


def test_a_refusal_naming_a_field_the_form_does_not_show_goes_to_the_top():
    assert refused(ValidationError({"unknown": "未知。"})).non_field_errors() == ["未知。"]
    assert refused(ValidationError({"street": "街道不对。"})).non_field_errors() == ["街道不对。"]  # hidden


def test_a_form_maps_a_service_argument_to_its_own_field():
    form = refused(ValidationError({"due": "期限不能早于今天。", "place": ["甲。", "乙。"]}))
    assert form.errors == {"deadline": ["期限不能早于今天。"], "place": ["甲。", "乙。"]}


def test_the_meeting_form_shows_the_ten_day_rule_at_the_urgent_reason(login, staff_user, street):
    soon = timezone.localdate() + datetime.timedelta(days=3)
    response = login(staff_user).post(
        reverse("meetings:add"),
        {"street": street.pk, "kind": "committee", "title": "临时会议", "date": soon, "time": "09:00",
         "place": "会议室"},
    )  # fmt: skip
    form = response.context["form"]
    assert response.status_code == 200
    assert "10日前送达" in form.errors["urgent_reason"][0] and not form.non_field_errors()


def test_registration_refusals_name_their_field(staff_user, street):
    with pytest.raises(ValidationError) as caught:
        services.opinion_register(by=staff_user, street=street, channel="nowhere", content="x")
    assert caught.value.message_dict == {"channel": ["请选择来源渠道。"]}
    with pytest.raises(ValidationError) as caught:
        services.opinion_register(
            by=staff_user, street=street, channel=Channel.HOTLINE, content="x", attachments=[photo("a.exe")]
        )
    assert list(caught.value.message_dict) == ["attachments"]


# --- The holding area ----------------------------------------------------------------------------------------


def test_held_files_come_back_only_to_their_owner(staff_user, director):
    held = uploads.hold(staff_user, [photo()])
    token = uploads.token_for(staff_user, held)
    assert uploads.from_token(staff_user, token) == (held, [])
    assert uploads.from_token(director, token) == ([], [])  # another person's token names nothing
    assert uploads.from_token(staff_user, token[:-2] + "xx") == ([], [])  # nor does a forged one
    assert b"".join(held[0].chunks()) == PHOTO and held[0].name == "路灯.jpg"
    uploads.release(held)
    assert uploads.from_token(staff_user, token) == ([], ["路灯.jpg"])
    assert held_files() == []


def test_the_periodic_task_removes_what_was_kept_too_long(staff_user, settings):
    from committee.tasks import clean_held

    uploads.hold(staff_user, [photo()])
    assert clean_held() == 0 and len(held_files()) == 1
    later = timezone.now() + datetime.timedelta(hours=settings.UPLOAD_HOLD_HOURS, minutes=1)
    assert uploads.clean_held(now=later) == 1
    assert held_files() == []
    assert settings.CELERY_BEAT_SCHEDULE["uploads-clean-held"]["task"] == "uploads.clean_held"


def test_files_chosen_on_a_refused_form_are_kept_and_used(login, staff_user, street):
    client = login(staff_user)
    url = reverse("supervision:opinion_add")
    first = client.post(url, {"street": street.pk, "channel": "reception", "content": "", "proposer_kind": "resident",
                              "attachments": [photo(), photo("说明.pdf", b"%PDF")]})  # fmt: skip
    page = first.content.decode()
    assert first.status_code == 200 and "已选文件：路灯.jpg（保留）" in page and "已选文件：说明.pdf（保留）" in page
    form = first.context["form"]
    assert "content" in form.errors
    token = form.fields["attachments"].widget.token()
    kept = {h.name: h.key for h in form.kept_files("attachments")}
    second = client.post(url, {"street": street.pk, "channel": "reception", "content": "路灯坏了",
                               "proposer_kind": "resident", "attachments_kept": token,
                               "attachments_remove": [kept["说明.pdf"]]})  # fmt: skip
    opinion = Opinion.objects.get(content="路灯坏了")
    assert second.status_code == 302
    attachment = Attachment.objects.get(opinion=opinion)
    assert attachment.name == "路灯.jpg" and attachment.file.read() == PHOTO
    assert held_files() == []  # used, and the removed one deleted


def test_a_refused_file_is_not_kept_and_the_field_says_which(login, staff_user, street):
    response = login(staff_user).post(
        reverse("supervision:opinion_add"),
        {"street": street.pk, "channel": "reception", "content": "内容", "proposer_kind": "resident",
         "attachments": [photo(), photo("病毒.exe")]},
    )  # fmt: skip
    form = response.context["form"]
    assert "“病毒.exe”的格式不支持" in form.errors["attachments"][0]
    assert [h.name for h in form.kept_files("attachments")] == ["路灯.jpg"]
    assert not Opinion.objects.filter(content="内容").exists()


def test_files_cleaned_up_meanwhile_are_named_to_choose_again(login, staff_user, street):
    client = login(staff_user)
    held = uploads.hold(staff_user, [photo()])
    token = uploads.token_for(staff_user, held)
    uploads.clean_held(now=timezone.now() + datetime.timedelta(days=2))
    response = client.post(
        reverse("supervision:opinion_add"),
        {"street": street.pk, "channel": "reception", "content": "内容", "proposer_kind": "resident",
         "attachments_kept": token},
    )  # fmt: skip
    assert "请重新选择：路灯.jpg" in response.context["form"].errors["attachments"][0]


def test_the_verify_form_keeps_the_hash_of_a_file_chosen_with_a_missing_number(client, demo_data):
    response = client.post(reverse("documents:verify"), {"number": "", "pdf": photo("公文.pdf", b"%PDF-1.7")})
    form = response.context["form"]
    assert "number" in form.errors
    assert form["sha256"].value() == hashlib.sha256(b"%PDF-1.7").hexdigest()
    assert "无需重新选择文件" in response.content.decode()
    assert Document.objects.exists()  # the register is untouched


# --- The written reply: shown before it is sent -----------------------------------------------------------


@pytest.fixture
def accepted_case(staff_user, street):
    unit_user = account("wangchunmen", Role.HANDLING_UNIT)
    office = HandlingUnit.objects.get(street=street, name="街道办事处党政综合办公室")
    opinion = services.opinion_register(
        by=staff_user, street=street, channel=Channel.RECEPTION, content="东风路路灯坏了", proposer_name="王建国"
    )
    services.opinion_assign(by=staff_user, opinion=opinion, unit=office)
    services.opinion_accept(by=unit_user, opinion=opinion)
    return opinion, unit_user


REPLY = {"reply_class": "B", "body": "已报修，一周内更换。", "commitment_1": "更换灯具", "due_1": "2099-12-31"}


def test_a_reply_is_shown_with_everything_before_it_is_sent(login, accepted_case):
    opinion, unit_user = accepted_case
    response = login(unit_user).post(
        reverse("supervision:reply", args=[opinion.pk]), {**REPLY, "attachments": [photo()]}
    )
    page = response.content.decode()
    assert response.templates[0].name == "supervision/reply_confirm.html"
    for shown in ("B类：正在解决", "已报修，一周内更换。", "更换灯具", "2099-12-31", "路灯.jpg", "王建国", "确认发送"):
        assert shown in page
    assert f"凭查询码 {opinion.tracking_code}" in page  # no account: how the proposer gets it
    opinion.refresh_from_db()
    assert opinion.state == State.ACCEPTED and not Reply.objects.filter(opinion=opinion).exists()


def test_confirming_sends_the_reply_with_its_kept_files(login, accepted_case):
    opinion, unit_user = accepted_case
    client = login(unit_user)
    url = reverse("supervision:reply", args=[opinion.pk])
    preview = client.post(url, {**REPLY, "attachments": [photo()]})
    carried = {"reply_class": "B", "body": REPLY["body"], "commitment_1": "更换灯具", "due_1": "2099-12-31",
               "attachments_kept": preview.context["form"].fields["attachments"].widget.token()}  # fmt: skip
    assert str(preview.context["form"].carried_fields()).count('type="hidden"') == 9
    response = client.post(url, {**carried, "step": "send"})
    assert response.status_code == 302
    reply = Reply.objects.get(opinion=opinion)
    assert (reply.reply_class, reply.body) == ("B", REPLY["body"])
    assert reply.attachments.get().file.read() == PHOTO
    assert list(reply.commitments.values_list("description", flat=True)) == ["更换灯具"]
    assert held_files() == []


def test_going_back_to_edit_loses_nothing(login, accepted_case):
    opinion, unit_user = accepted_case
    client = login(unit_user)
    url = reverse("supervision:reply", args=[opinion.pk])
    preview = client.post(url, {**REPLY, "attachments": [photo()]})
    token = preview.context["form"].fields["attachments"].widget.token()
    response = client.post(url, {**REPLY, "attachments_kept": token, "step": "edit"})
    page = response.content.decode()
    assert response.templates[0].name == "supervision/opinion_detail.html"
    assert REPLY["body"] in page and 'value="更换灯具"' in page and "已选文件：路灯.jpg（保留）" in page
    assert "data-scroll-here" in page and not response.context["reply_form"].errors
    assert not Reply.objects.filter(opinion=opinion).exists()


def test_a_refusal_at_sending_shows_at_the_field(login, accepted_case):
    opinion, unit_user = accepted_case
    response = login(unit_user).post(
        reverse("supervision:reply", args=[opinion.pk]),
        {"reply_class": "C", "body": "列入明年计划。", "attachments": [photo()], "step": "send"},
    )
    form = response.context["reply_form"]
    assert form.errors["commitment_1"] == ["B类、C类答复须列出承诺事项及完成时限。"]
    assert [h.name for h in form.kept_files("attachments")] == ["路灯.jpg"]
    assert "messages" not in response.context or not list(response.context["messages"])  # not at the page top


def test_a_commitment_row_without_its_date_is_shown_at_that_date(login, accepted_case):
    opinion, unit_user = accepted_case
    response = login(unit_user).post(
        reverse("supervision:reply", args=[opinion.pk]), {**REPLY, "commitment_2": "回访", "due_2": ""}
    )
    assert response.context["reply_form"].errors == {"due_2": ["请填写该承诺事项的完成时限。"]}


def test_only_the_cases_unit_replies(login, accepted_case, staff_user):
    opinion, _unit_user = accepted_case
    assert login(staff_user).post(reverse("supervision:reply", args=[opinion.pk]), REPLY).status_code == 403


def test_commitment_evidence_refused_keeps_its_files(login, accepted_case):
    opinion, unit_user = accepted_case
    client = login(unit_user)
    services.opinion_reply(by=unit_user, opinion=opinion, reply_class="B", body="已报修",
                           commitments=[("更换灯具", datetime.date(2099, 12, 31))])  # fmt: skip
    commitment = opinion.commitments.get()
    response = client.post(
        reverse("supervision:commitment_done", args=[commitment.pk]), {"evidence": "", "attachments": [photo()]}
    )
    assert response.context["done_commitment_id"] == commitment.pk
    assert "已选文件：路灯.jpg（保留）" in response.content.decode()
    token = response.context["done_form"].fields["attachments"].widget.token()
    client.post(
        reverse("supervision:commitment_done", args=[commitment.pk]),
        {"evidence": "已更换", "attachments_kept": token},
    )
    commitment.refresh_from_db()
    assert commitment.done_on and commitment.attachments.get().name == "路灯.jpg"


# --- Deputies' and council members' own short form ----------------------------------------------------------


def test_a_deputy_reports_with_a_photo_and_is_the_proposer(login, street):
    deputy = account("wangchunmen", Role.DEPUTY)
    client = login(deputy)
    response = client.post(
        reverse("supervision:deputy_report"),
        {"street": street.pk, "content": "育才路口井盖松动。", "category": "市政设施", "place": "育才路口",
         "photos": [photo()]},
        follow=True,
    )  # fmt: skip
    opinion = Opinion.objects.get(content__startswith="育才路口井盖松动。")
    assert (opinion.channel, opinion.proposer_user, opinion.proposer_kind) == (
        Channel.DEPUTY_SUGGESTION,
        deputy,
        "deputy",
    )
    assert opinion.content == "育才路口井盖松动。\n地点：育才路口" and opinion.category == "市政设施"
    assert opinion.state == State.REGISTERED and opinion.attachments.get().name == "路灯.jpg"
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "已提交，可在「我提出的」查看办理进度。" in response.content.decode()
    assert opinion.title in client.get(reverse("supervision:mine")).content.decode()


def test_a_council_member_reports_as_a_snapshot(login, street):
    member = account("wangchunmen", Role.COUNCIL_MEMBER)
    login(member).post(
        reverse("supervision:deputy_report"), {"street": street.pk, "content": "小区路面破损。", "category": "市政设施"}
    )
    opinion = Opinion.objects.get(content="小区路面破损。")
    assert (opinion.channel, opinion.proposer_user, opinion.proposer_kind) == (
        Channel.SNAPSHOT,
        member,
        "council_member",
    )


def test_the_short_form_takes_photos_only(login, street):
    response = login(account("wangchunmen", Role.DEPUTY)).post(
        reverse("supervision:deputy_report"),
        {"street": street.pk, "content": "内容", "category": "其他", "photos": [photo("表格.xlsx")]},
    )
    assert "“表格.xlsx”的格式不支持，请选择图片" in response.context["form"].errors["photos"][0]
    assert not Opinion.objects.filter(content="内容").exists()


def test_staff_are_sent_to_the_registration_form(login, staff_user):
    assert login(staff_user).get(reverse("supervision:deputy_report")).url == reverse("supervision:opinion_add")


def test_the_demo_has_a_deputys_report_with_a_photo_waiting(demo_data):
    deputy = account("wangchunmen", Role.DEPUTY)
    opinion = Opinion.objects.get(registered_by=deputy, proposer_user=deputy, state=State.REGISTERED)
    assert opinion.channel == Channel.DEPUTY_SUGGESTION and opinion.attachments.get().name.endswith(".jpg")


# --- Home pages -------------------------------------------------------------------------------------------------


def test_a_deputy_home_has_the_big_report_button_and_staff_do_not(login, staff_user):
    page = login(account("wangchunmen", Role.DEPUTY)).get(reverse("home")).content.decode()
    assert f'href="{reverse("supervision:deputy_report")}" id="raise-button"' in page
    assert 'id="raise-button"' not in login(staff_user).get(reverse("home")).content.decode()


def test_the_administrator_home_leads_to_the_administration_site(login, demo_data):
    admin = User.objects.get(username="admin")
    client = login(admin)
    page = client.get(reverse("home")).content.decode()
    assert "您尚未被分配角色" not in page
    for url in (reverse("admin:index"), reverse("admin:committee_membership_changelist")):
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200


# --- The attendee picker ------------------------------------------------------------------------------------------


def test_attendees_are_listed_with_their_role_or_unit(street, staff_user, django_assert_max_num_queries):
    from supervision.models import HandlingUnitMember

    with django_assert_max_num_queries(4):
        form = MeetingForm(streets=Street.objects.filter(pk=street.pk))
        labels = [label for _value, label in form.fields["attendees"].choices]
    unit_user = HandlingUnitMember.objects.get(unit__street=street, unit__name="街道办事处党政综合办公室").user
    deputy = account("wangchunmen", Role.DEPUTY)
    assert f"{unit_user.full_name} · 街道办事处党政综合办公室" in labels
    assert f"{deputy.full_name} · 人大代表" in labels
    assert all(" · " in label for label in labels)
    assert form.fields["attendees"].widget.attrs["data-searchable"] is True
