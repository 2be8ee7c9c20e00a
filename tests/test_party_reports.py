"""Art 20(1): quarterly reports to the street party working committee — drafted, edited, submitted as a 公文 in
the document format; read by the party role and the city; one per street per quarter; the compliance rule."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from committee.compliance import registry
from committee.documents.models import Document, DocumentKind, DocumentState
from committee.documents.services import document_render
from committee.models import Membership, Street, User
from committee.party_reports import demo, services
from committee.party_reports.models import PartyReport, ReportState
from committee.roles import Role

BODY = "一、工作情况\n本季度组织代表张喆、李堃进站接待群众。\n\n二、下季度安排\n继续做好代表联络站工作。"


@pytest.fixture
def _media(settings, tmp_path):
    """Documents rendered by a test go to a temporary folder (the seeded ones stay where the seed put them)."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _user(username):
    return User.objects.get(username=username)


def test_staff_draft_edit_confirm_and_submit(db, _media, street, staff_user, login, django_capture_on_commit_callbacks):
    client = login(staff_user)
    form = client.get(reverse("party_reports:add"))
    assert form.status_code == 200
    response = client.post(
        reverse("party_reports:add"),
        {"street": street.pk, "year": 2030, "quarter": 1, "title": "2030年第一季度工作报告", "body": BODY},
    )
    report = PartyReport.objects.get(street=street, year=2030, quarter=1)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.state == ReportState.DRAFT and report.created_by == staff_user

    response = client.post(
        reverse("party_reports:edit", args=[report.pk]), {"title": "2030年第一季度工作情况的报告", "body": BODY}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "2030年第一季度工作情况的报告"

    confirm = client.get(reverse("party_reports:submit", args=[report.pk]))
    page = confirm.content.decode()
    assert "确认报送" in page and "不能再修改" in page and "签发人" in page
    director, vice = _user("wangchunmen_director"), _user("wangchunmen_vice_director")
    choices = confirm.context["form"].fields["signed_off_by"].choices
    assert [value for value, _label in choices] == [str(director.pk), str(vice.pk)]  # the director first
    assert confirm.context["form"]["signed_off_by"].value() == str(director.pk)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT  # GET changes nothing

    # Someone who is not the director or a vice director cannot sign off: the form says so, nothing changes.
    refused = client.post(reverse("party_reports:submit", args=[report.pk]), {"signed_off_by": staff_user.pk})
    assert refused.status_code == 200 and "signed_off_by" in refused.context["form"].errors
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("party_reports:submit", args=[report.pk]), {"signed_off_by": vice.pk})
    assert response.status_code == 302 and len(callbacks) == 1  # the render task
    report.refresh_from_db()
    document = report.document
    assert report.state == ReportState.SUBMITTED and report.submitted_by == staff_user
    assert report.signed_off_by == vice and document.context["signer"] == vice.full_name
    assert document.kind == DocumentKind.REPORT and document.number.startswith("湘乡人大望工报〔")
    assert document.state == DocumentState.PENDING

    detail = client.get(report.get_absolute_url()).content.decode()
    assert document.number in detail and 'hx-trigger="every 2s"' in detail  # progress while rendering
    assert f"签发人：{vice.full_name}" in detail
    document_render(document_id=document.pk)
    detail = client.get(report.get_absolute_url()).content.decode()
    assert reverse("documents:download", args=[document.pk]) in detail

    # Submitted: no more editing, no second submission.
    response = client.post(reverse("party_reports:edit", args=[report.pk]), {"title": "改", "body": "改"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "2030年第一季度工作情况的报告"
    with pytest.raises(ValidationError):
        services.party_report_submit(by=staff_user, report=report, signed_off_by=director)


def test_the_submitted_pdf_is_a_report_in_the_document_format(db, _media, street, staff_user):
    import io

    import pdfplumber

    director = _user("wangchunmen_director")
    report = services.party_report_create(
        by=staff_user, street=street, year=2030, quarter=2, title="关于2030年第二季度工作情况的报告", body=BODY
    )
    report = services.party_report_submit(by=staff_user, report=report, signed_off_by=director, background=False)
    with pdfplumber.open(io.BytesIO(report.document.file.read())) as pdf:
        page = pdf.pages[0]
        text = page.extract_text()
        # GB/T 9704 §7.2: an upward document's number one character in from the left, and on the same line
        # "签发人：" in 仿宋 with the name in 楷体, one character in from the right.
        number_line = next(line for line in page.extract_text_lines() if report.document.number in line["text"])
        name = [c for c in number_line["chars"] if "kaiti" in c["fontname"]]
    for expected in ("望春门街道人大工委", report.document.number, "中共望春门街道工作委员会：", "张喆", "李堃"):
        assert expected in text
    mm = 72 / 25.4
    cell = 156 / 28 * mm
    assert number_line["text"].replace(" ", "") == f"{report.document.number}签发人：{director.full_name}"
    assert number_line["x0"] - 28 * mm == pytest.approx(cell, abs=0.5 * mm)
    assert (28 + 156) * mm - number_line["x1"] == pytest.approx(cell, abs=0.5 * mm)
    assert "".join(c["text"] for c in name) == director.full_name
    today = report.submitted_on
    assert f"{today.year}年{today.month}月{today.day}日" in text


def test_the_signer_is_the_director_or_a_vice_director_in_office(db, street, staff_user):
    """签发人: the street's director (or a vice director) in office on the day; another street's director, a staff
    member or a former director cannot sign off; the database refuses a submitted report without one."""
    report = services.party_report_create(by=staff_user, street=street, year=2030, quarter=4, title="报告", body=BODY)
    director = _user("wangchunmen_director")
    assert [m.user for m in services.signers(street)] == [director, _user("wangchunmen_vice_director")]
    for wrong in (staff_user, _user("xinxianglu_director")):
        with pytest.raises(ValidationError, match="签发人"):
            services.party_report_submit(
                by=staff_user, report=report, signed_off_by=wrong, on=datetime.date(2030, 12, 1)
            )
    Membership.objects.filter(user=director, street=street, role=Role.DIRECTOR).update(
        ended_on=datetime.date(2030, 6, 30)
    )
    with pytest.raises(ValidationError, match="签发人"):
        services.party_report_submit(
            by=staff_user, report=report, signed_off_by=director, on=datetime.date(2030, 12, 1)
        )
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.document is None
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyReport.objects.filter(pk=report.pk).update(
            state=ReportState.SUBMITTED,
            submitted_on=datetime.date(2030, 12, 1),
            submitted_by=staff_user,
            document=Document.objects.filter(kind=DocumentKind.MINUTES).first(),  # a document no report holds
        )


def test_bad_input_keeps_what_was_typed_and_changes_nothing(db, street, staff_user, login):
    client = login(staff_user)
    existing = PartyReport.objects.filter(street=street).first()
    count = PartyReport.objects.count()
    response = client.post(
        reverse("party_reports:add"),
        {
            "street": street.pk,
            "year": existing.year,
            "quarter": existing.quarter,
            "title": "重复的季度",
            "body": "内容",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "报告已存在" in page and "重复的季度" in page
    assert PartyReport.objects.count() == count


def test_one_report_per_street_per_quarter_in_the_database(db, street, staff_user):
    existing = PartyReport.objects.filter(street=street).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyReport.objects.create(
            street=street, year=existing.year, quarter=existing.quarter, title="x", body="x", created_by=staff_user
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyReport.objects.create(street=street, year=2030, quarter=5, title="x", body="x", created_by=staff_user)
    with pytest.raises(IntegrityError), transaction.atomic():  # submitted without a document
        PartyReport.objects.create(
            street=street, year=2030, quarter=3, title="x", body="x", created_by=staff_user, state="submitted"
        )


def test_the_party_committee_reads_submitted_reports_but_not_drafts(db, street, login):
    party = _user("wangchunmen_party")
    client = login(party)
    listing = client.get(reverse("party_reports:list"))
    assert listing.status_code == 200
    reports = list(listing.context["page"])
    assert reports and all(r.state == ReportState.SUBMITTED and r.street == street for r in reports)
    submitted = reports[0]
    assert client.get(submitted.get_absolute_url()).status_code == 200
    download = client.get(reverse("documents:download", args=[submitted.document.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    draft = PartyReport.objects.get(street=street, state=ReportState.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("party_reports:add")).status_code == 403
    assert client.get(reverse("party_reports:submit", args=[draft.pk])).status_code == 403


def test_city_reads_every_street_of_its_municipality(db, city_user, login):
    client = login(city_user)
    page = client.get(reverse("party_reports:list") + "?year=2026")
    assert {r.street.slug for r in page.context["page"]} == {"wangchunmen", "xinxianglu", "kunlunqiao", "dongshan"}
    assert all(r.state == ReportState.SUBMITTED for r in page.context["page"])


def test_list_search_pagination_and_constant_queries(db, login, city_user, django_assert_max_num_queries):
    client = login(city_user)
    page = client.get(reverse("party_reports:list"), {"q": "昆仑桥"}).context["page"]
    assert page.object_list and all(r.street.slug == "kunlunqiao" for r in page.object_list)
    numbered = client.get(reverse("party_reports:list"), {"q": "湘乡人大东工报〔2026〕"}).context["page"]
    assert {r.street.slug for r in numbered.object_list} == {"dongshan"}
    assert client.get(reverse("party_reports:list")).context["page"].paginator.count == 23  # the submitted demo
    client.get(reverse("party_reports:list"))  # warm up
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("party_reports:list"))
    street = Street.objects.get(slug="dongshan")
    staff = _user("dongshan_staff")
    for year in range(2031, 2041):
        for quarter in (1, 2, 3, 4):
            services.party_report_create(by=staff, street=street, year=year, quarter=quarter, title="报告", body="正文")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("party_reports:list"))  # submitted only for the city: same queries, more rows


def test_phone_width_list_uses_pagination(db, login, staff_user):
    html = login(staff_user).get(reverse("party_reports:list")).content.decode()
    assert "table-responsive" in html and 'name="q"' in html


def test_seed_is_idempotent_and_leaves_one_quarter_missing(db):
    before = (PartyReport.objects.count(), Document.objects.count(), list(Document.objects.values_list("sha256")))
    demo.seed()
    after = (PartyReport.objects.count(), Document.objects.count(), list(Document.objects.values_list("sha256")))
    assert before == after
    assert not PartyReport.objects.filter(street__slug="kunlunqiao", year=2026, quarter=2).exists()
    assert PartyReport.objects.filter(state=ReportState.SUBMITTED).count() == 4 * 6 - 1
    reports = Document.objects.filter(kind=DocumentKind.REPORT, title__contains="季度工作情况")  # not other apps'
    assert reports.filter(state=DocumentState.DONE).count() == 4 * 6 - 1
    # Each signed off by its director, 新湘路's 2025 Q4 report by the vice director standing in.
    signers = {
        (r.street.slug, r.year, r.quarter): r.signed_off_by.username
        for r in PartyReport.objects.filter(state=ReportState.SUBMITTED)
    }
    assert signers.pop(("xinxianglu", 2025, 4)) == "xinxianglu_vice_director"
    assert all(username == f"{slug}_director" for (slug, _y, _q), username in signers.items())
    report = PartyReport.objects.get(street__slug="wangchunmen", year=2026, quarter=1)
    assert report.document.context["signer"] == report.signed_off_by.full_name


def test_compliance_rule_20_1(db):
    rule = registry.rule("20(1)")
    streets = list(Street.objects.order_by("pk"))
    window = registry.window(rule.period, 2026, 2)
    results = rule.evaluate(streets, window, datetime.date(2026, 11, 26))
    status = {street.slug: results[street.pk].status for street in streets}
    assert status == {
        "wangchunmen": registry.Status.MET,
        "xinxianglu": registry.Status.MET,
        "kunlunqiao": registry.Status.MISSED,
        "dongshan": registry.Status.MET,
    }
    evidence = rule.list_evidence(streets[0], window, datetime.date(2026, 11, 26))
    assert evidence and evidence[0].url.startswith("/party-reports/")
    # The quarter just ended: at risk for a fortnight, then missed; the running quarter is not yet due.
    dongshan = Street.objects.get(slug="dongshan").pk
    q3 = registry.window(rule.period, 2026, 3)
    PartyReport.objects.filter(year=2026, quarter=3, street__slug="dongshan").delete()
    assert rule.evaluate(streets, q3, datetime.date(2026, 10, 5))[dongshan].status == registry.Status.AT_RISK
    assert rule.evaluate(streets, q3, datetime.date(2026, 11, 5))[dongshan].status == registry.Status.MISSED
    q4 = registry.window(rule.period, 2026, 4)
    assert rule.evaluate(streets, q4, datetime.date(2026, 10, 5))[dongshan].status == registry.Status.NOT_YET_DUE
