"""Grassroots governance (Issue 12 §1, §2, §5): 随手拍 with photos checked by content and stripped of their
metadata, 12345 reports as cases and duty records, the street's public page."""

import datetime
import io
import secrets

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from committee.duties import registry
from committee.models import Membership, User
from committee.roles import Role
from committee.workdays import add_working_days
from livelihood_votes.governance import services
from livelihood_votes.governance.models import HotlineReport, Snapshot
from supervision import services as loop
from supervision.models import Attachment, Channel, HandlingUnit, Opinion, Rating, State
from tests.conftest import account


def jpeg_with_gps(name="photo.jpg", size=(64, 48)) -> SimpleUploadedFile:
    """A phone-like JPEG whose EXIF carries a GPS position and the camera's make."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (27.0, 44.0, 0.0), 3: "E", 4: (112.0, 31.0, 0.0)}  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def submit(street, **overrides):
    data = {
        "street": street,
        "photos": [jpeg_with_gps()],
        "place": "东风路与建设路交叉口",
        "category": "市政设施",
        "description": "路灯坏了两周，晚上看不清路。",
        "name": "李桂兰",
        "phone": "13807321234",
    }
    return services.snapshot_submit(**{**data, **overrides})


# --- 随手拍 -----------------------------------------------------------------------------------------------------


def test_snapshot_opens_a_snapshot_case_with_the_photo_stripped_of_exif(street):
    original = jpeg_with_gps()
    assert b"PhoneMaker" in original.read() and Image.open(original).getexif().get(0x8825)
    original.seek(0)
    item = submit(street, photos=[original])
    opinion = item.opinion
    assert opinion.channel == Channel.SNAPSHOT and opinion.state == State.REGISTERED
    assert "东风路与建设路交叉口" in opinion.content and opinion.proposer_phone == "13807321234"
    (photo,) = opinion.attachments.all()
    stored = photo.file.open("rb").read()
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        assert not image.getexif()  # no GPS, no make: no EXIF block at all
    assert not photo.file.name.endswith("photo.jpg")  # an unguessable private name


def test_snapshot_deadline_is_three_working_days(street):
    opinion = submit(street).opinion
    unit = HandlingUnit.objects.filter(street=street, active=True).first()
    loop.opinion_assign(by=account("wangchunmen", Role.STAFF), opinion=opinion, unit=unit)
    opinion.refresh_from_db()
    assert opinion.deadline == add_working_days(timezone.localdate(), 3)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("fake.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg"), "不是有效的照片"),
        (SimpleUploadedFile("anim.gif", b"GIF89a" + b"\x00" * 40, content_type="image/gif"), "不是有效的照片"),
    ],
)
def test_snapshot_refuses_a_file_that_is_not_a_photo_and_stores_nothing(street, upload, message):
    before = (Opinion.objects.count(), Attachment.objects.count(), Snapshot.objects.count())
    with pytest.raises(ValidationError) as refused:
        submit(street, photos=[jpeg_with_gps(), upload])
    assert message in str(refused.value.message_dict["photos"])
    assert (Opinion.objects.count(), Attachment.objects.count(), Snapshot.objects.count()) == before


def test_snapshot_refuses_a_photo_over_the_size_cap(street, settings):
    settings.SNAPSHOT_PHOTO_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 1), content_type="image/jpeg")
    before = Attachment.objects.count()
    with pytest.raises(ValidationError) as refused:
        submit(street, photos=[big])
    assert "超过 1 MB" in str(refused.value.message_dict["photos"])
    assert Attachment.objects.count() == before


def test_snapshot_needs_a_place_or_a_location(street):
    with pytest.raises(ValidationError) as refused:
        submit(street, place="")
    assert "place" in refused.value.message_dict
    item = submit(street, place="", latitude="27.733300", longitude="112.533300")
    assert item.place.startswith("手机定位") and item.latitude is not None


def test_public_snapshot_form_refuses_a_non_image_with_a_chinese_message(client, street, monkeypatch):
    monkeypatch.setattr("committee.public.MIN_SECONDS", 0)  # a test fills the form faster than a person
    page = client.get(reverse("governance:snapshot", args=[street.slug]))
    started = page.context["form"]["started"].value()
    before = Opinion.objects.count()
    response = client.post(
        reverse("governance:snapshot", args=[street.slug]),
        {
            "started": started,
            "place": "建设路",
            "category": "市政设施",
            "description": "垃圾堆放",
            "photos": [SimpleUploadedFile("x.png", b"<html>not png</html>", content_type="image/png")],
        },
    )
    assert response.status_code == 200
    assert "不是有效的照片" in response.content.decode()
    assert Opinion.objects.count() == before


def test_public_snapshot_floods_are_refused(client, street, monkeypatch, settings):
    monkeypatch.setattr("committee.public.MIN_SECONDS", 0)
    settings.PUBLIC_FORM_RATE = "2/h"
    url = reverse("governance:snapshot", args=[street.slug])
    started = client.get(url).context["form"]["started"].value()
    address = "10." + ".".join(str(secrets.randbelow(250) + 1) for _ in range(3))  # counts outlive a test run
    for n in range(3):
        data = {
            "started": started,
            "place": f"刷屏{n}",
            "category": "治安",
            "description": "x",
            "photos": jpeg_with_gps(),
        }
        response = client.post(url, data, REMOTE_ADDR=address)
    assert "提交过于频繁" in response.content.decode()
    assert Snapshot.objects.filter(street=street, place__startswith="刷屏").count() == 2


def test_snapshot_photo_is_private_to_those_handling_the_case(client, login, street):
    photo = submit(street).opinion.attachments.get()
    url = reverse("supervision:attachment", args=[photo.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page, never the file
    login(account("xinxianglu", Role.STAFF))
    assert client.get(url).status_code == 404
    login(account("wangchunmen", Role.STAFF))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"\xff\xd8"


# --- 12345 --------------------------------------------------------------------------------------------------


def record(street, by, deputy, **overrides):
    data = {
        "ticket_number": "12345-T-0001",
        "reported_on": timezone.localdate(),
        "content": "下水道堵塞",
        "place": "和平社区北门",
    }
    return services.hotline_report_record(by=by, street=street, deputy=deputy, **{**data, **overrides})


def test_a_deputys_12345_report_is_a_case_and_a_duty_record(street):
    deputy = account("wangchunmen", Role.DEPUTY)
    report = record(street, deputy, deputy, complex=True)
    assert report.opinion.channel == Channel.HOTLINE and report.opinion.source == report
    assert report.due_on == add_working_days(report.reported_on, 10)
    items = registry.items(people=[deputy.pk], streets=[street.pk], start=report.reported_on, end=report.reported_on)
    mine = [item for item in items if item.kind == "hotline_reported"]
    assert [item.source for item in mine] == [report]
    # Not counted a second time as an opinion raised: the report is the record.
    assert not [item for item in items if item.source == report.opinion]


def test_the_12345_case_is_followed_up_with_its_deadline(street):
    deputy, staff = account("wangchunmen", Role.DEPUTY), account("wangchunmen", Role.STAFF)
    plain = record(street, deputy, deputy)
    complex_ = record(street, staff, deputy, ticket_number="12345-T-0002", complex=True)
    unit = HandlingUnit.objects.filter(street=street, active=True).first()
    today = timezone.localdate()
    for report, days in ((plain, 5), (complex_, 10)):
        loop.opinion_assign(by=staff, opinion=report.opinion, unit=unit)
        report.opinion.refresh_from_db()
        assert report.opinion.deadline == add_working_days(today, days)
    late = today + datetime.timedelta(days=30)
    assert Opinion.objects.overdue(today=late).filter(pk=plain.opinion.pk).exists()  # what the sweep reminds


def test_12345_outcome_rating_and_figures(street):
    deputy, staff = account("wangchunmen", Role.DEPUTY), account("wangchunmen", Role.STAFF)
    report = record(street, staff, deputy, reported_on=timezone.localdate() - datetime.timedelta(days=20))
    with pytest.raises(ValidationError):
        services.hotline_rate(by=deputy, report=report, rating=Rating.SATISFIED)  # no outcome yet
    services.hotline_outcome_record(by=staff, report=report, outcome="已疏通", outcome_on=report.due_on)
    with pytest.raises(PermissionDenied):
        services.hotline_rate(by=staff, report=report, rating=Rating.SATISFIED)  # only the deputy rates
    services.hotline_rate(by=deputy, report=report, rating=Rating.SATISFIED)
    report.refresh_from_db()
    assert report.on_time and report.rating == Rating.SATISFIED
    from livelihood_votes.governance.selectors import hotline_figures

    row = next(f for f in hotline_figures([street]) if f["street__name"] == street.name)
    demo = HotlineReport.objects.filter(street=street)
    assert row["reports"] == demo.count()
    assert row["satisfied"] == demo.filter(rating=Rating.SATISFIED).count() >= 1
    assert row["on_time"] == sum(1 for r in demo if r.on_time)


def test_12345_refusals(street, other_street):
    deputy = account("wangchunmen", Role.DEPUTY)
    record(street, deputy, deputy)
    with pytest.raises(ValidationError) as refused:
        record(street, deputy, deputy)
    assert "ticket_number" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        record(street, account("wangchunmen", Role.DEPUTY), account("wangchunmen", Role.STAFF), ticket_number="X2")
    with pytest.raises(PermissionDenied):
        record(street, account("xinxianglu", Role.STAFF), deputy, ticket_number="X3")


def test_deputy_records_a_12345_report_on_the_phone_form(client, login, street):
    deputy = account("wangchunmen", Role.DEPUTY)
    login(deputy)
    response = client.post(
        reverse("governance:hotline_add"),
        {
            "deputy": deputy.pk,
            "ticket_number": "12345-WEB-1",
            "reported_on": timezone.localdate().isoformat(),
            "content": "路灯不亮",
            "place": "东风路",
        },
    )
    report = HotlineReport.objects.get(ticket_number="12345-WEB-1")
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert report.deputy == deputy and report.recorded_by == deputy
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "12345-WEB-1" in detail and "记录12345办理结果" in detail


# --- The street's public page -----------------------------------------------------------------------------


def test_street_public_page_shows_no_phone_and_no_case(client, street):
    item = submit(street, description="非常私密的随手拍内容", phone="13911112222")
    deputies = list(Membership.objects.active().filter(street=street, role=Role.DEPUTY).select_related("user"))
    response = client.get(reverse("governance:street_public", args=[street.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "非常私密的随手拍内容" not in html and item.opinion.tracking_code not in html
    assert "13911112222" not in html
    for membership in deputies:
        if membership.user.mobile:
            assert membership.user.mobile not in html
    assert reverse("governance:snapshot", args=[street.slug]) in html
    assert reverse("supervision:track_lookup") in html
    assert "<script" not in html.split("</main>")[0].split("<main")[-1]  # readable without any script


def test_street_public_page_links_deputies_projects_and_results(client, street):
    from committee.ballots.models import Ballot, BallotState
    from deputies.models import Deputy
    from livelihood_votes.models import LivelihoodProject

    html = client.get(reverse("governance:street_public", args=[street.slug])).content.decode()
    deputy = Deputy.objects.in_office().filter(street=street).first()
    assert deputy is not None and reverse("deputies:public", args=[deputy.public_code]) in html
    year = timezone.localdate().year
    for project in LivelihoodProject.objects.filter(street=street, round__year=year):
        assert reverse("livelihood_votes:public_project", args=[project.token]) in html
    for ballot in Ballot.objects.filter(street=street).exclude(state=BallotState.CLOSED):
        assert reverse("ballots:result", args=[ballot.token]) not in html  # unpublished results stay out
    from liaison_stations.models import LiaisonStation

    stations = LiaisonStation.objects.filter(street=street)
    assert stations.exists() and all(station.public_url() in html for station in stations)
    assert "下次接待" in html  # the demo's coming reception
    assert reverse("livelihood_votes:public_micro_list", args=[street.slug]) in html


def test_street_public_page_query_count_is_fixed(client, street, django_assert_num_queries):
    from deputies.models import Deputy

    url = reverse("governance:street_public", args=[street.slug])
    client.get(url)
    with django_assert_num_queries(6) as first:  # street, leaders, deputies, stations, projects, results
        client.get(url)
    # Many more deputies: the same count.
    for n in range(8):
        user = User.objects.create(username=f"gov_extra_{n}", full_name=f"新代表{n}")
        Membership.objects.create(user=user, street=street, role=Role.DEPUTY, started_on=datetime.date(2025, 1, 1))
        Deputy.objects.create(street=street, user=user, congress="湘乡市第十八届人民代表大会")
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_snapshot_list_and_hotline_list_query_counts(client, login, street, django_assert_num_queries):
    login(account("wangchunmen", Role.STAFF))
    for n in range(3):
        submit(street, place=f"测试地点{n}")
    deputy = account("wangchunmen", Role.DEPUTY)
    for n in range(3):
        record(street, deputy, deputy, ticket_number=f"Q-{n}")
    for name, count in (("governance:snapshot_list", 6), ("governance:hotline_list", 8)):
        client.get(reverse(name))
        with django_assert_num_queries(count):
            client.get(reverse(name))
        for n in range(3, 9):
            if name == "governance:snapshot_list":
                submit(street, place=f"测试地点{n}")
            else:
                record(street, deputy, deputy, ticket_number=f"Q-{n}")
        with django_assert_num_queries(count):
            client.get(reverse(name))


def test_the_deputys_home_has_the_12345_and_snapshot_links(client, login, street):
    login(account("wangchunmen", Role.DEPUTY))
    html = client.get(reverse("home")).content.decode()
    assert reverse("governance:hotline_add") in html and reverse("governance:snapshot", args=[street.slug]) in html
    login(account("wangchunmen", Role.HANDLING_UNIT))
    assert reverse("governance:hotline_add") not in client.get(reverse("home")).content.decode()


def test_12345_outcome_and_rating_from_the_report_page(client, login, street):
    deputy = account("wangchunmen", Role.DEPUTY)
    report = record(street, deputy, deputy, reported_on=timezone.localdate() - datetime.timedelta(days=10))
    login(User.objects.get(username="xiangxiang_city"))
    outcome = {"action": "outcome", "outcome": "已处理", "outcome_on": timezone.localdate().isoformat()}
    assert client.post(report.get_absolute_url(), outcome).status_code == 403  # the city reads, never writes
    login(account("wangchunmen", Role.STAFF))
    assert client.post(report.get_absolute_url(), outcome).status_code == 302
    assert client.post(report.get_absolute_url(), {"action": "rate", "rating": Rating.SATISFIED}).status_code == 403
    login(deputy)
    response = client.post(report.get_absolute_url(), {"action": "rate", "rating": Rating.UNSATISFIED})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.outcome == "已处理" and report.rating == Rating.UNSATISFIED


def test_home_to_do_lists_overdue_12345_reports_and_outcomes_to_rate(street):
    from committee.todo import items_for

    deputy, staff = account("wangchunmen", Role.DEPUTY), account("wangchunmen", Role.STAFF)
    old = timezone.localdate() - datetime.timedelta(days=30)
    overdue = HotlineReport.objects.filter(street=street, outcome_on__isnull=True, due_on__lt=timezone.localdate())
    record(street, staff, deputy, ticket_number="OLD-1", reported_on=old)
    staff_items = {item.label: item.count for item in items_for(staff)}
    assert staff_items["12345反映已过期限、尚无办理结果"] == overdue.count() >= 1
    to_rate = HotlineReport.objects.filter(deputy=deputy, outcome_on__isnull=False, rating="").count()
    assert {item.label: item.count for item in items_for(deputy)}.get("12345办理结果待我评价") == (to_rate or None)
    assert not [i for i in items_for(account("wangchunmen", Role.HANDLING_UNIT)) if "12345" in i.label]
