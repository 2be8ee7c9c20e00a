"""Chapter 4 supervision activities (issue 4 §3): enforcement inspections (Art 7), special work reports (Art 8),
work appraisals (Art 9), field visits (Art 10), their filings, cases and compliance rules."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pdfminer.pdftypes import resolve1

from committee.compliance import registry
from committee.compliance.registry import Period, Status
from committee.documents.models import DocumentState
from committee.models import Membership, Street, User
from committee.roles import Role
from supervision.activities import demo, services
from supervision.activities.models import (
    AppraisalCriterion,
    AppraisalScore,
    AppraisalState,
    CollectedIssue,
    EnforcementInspection,
    FieldVisit,
    InspectionFinding,
    InspectionOrigin,
    InspectionState,
    ReportTopic,
    Responsibility,
    SpecialWorkReport,
    StudySession,
    UnitHead,
    VisitKind,
    WorkAppraisal,
)
from supervision.models import Channel, HandlingUnit, State
from supervision.selectors import opinions_for_source
from tests.test_documents import A4, MM, TOLERANCE, _is_red, _open, _page_number_chars, _red_bands

D = datetime.date
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def deputies(street, n=3):
    return list(Membership.objects.active().filter(street=street, role=Role.DEPUTY).order_by("pk")[:n])


@pytest.fixture
def planned(staff_user, street):
    return services.inspection_create(
        by=staff_user,
        street=street,
        law="《中华人民共和国消防法》",
        scope="高层住宅消防通道和消防设施",
        origin=InspectionOrigin.SELF,
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=5),
        deputies=deputies(street),
    )


def study(staff_user, inspection, held_on=TODAY):
    return services.study_session_record(
        by=staff_user,
        inspection=inspection,
        held_on=held_on,
        content="学习消防法第二章",
        attendees=deputies(inspection.street),
    )


@pytest.fixture
def started(staff_user, planned):
    study(staff_user, planned)
    return services.inspection_start(by=staff_user, inspection=planned)


def unit_of(street):
    return HandlingUnit.objects.filter(street=street, active=True).order_by("pk").first()


# --- Art 7: an inspection cannot start without the law-study session -----------------------------------------------
def test_an_inspection_cannot_start_without_a_study_session(staff_user, planned):
    with pytest.raises(ValidationError, match="检查前须组织代表学习相关法律法规"):
        services.inspection_start(by=staff_user, inspection=planned)
    planned.refresh_from_db()
    assert planned.state == InspectionState.PLANNED and planned.started_on is None
    # The database refuses it too, whatever writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        EnforcementInspection.objects.filter(pk=planned.pk).update(state=InspectionState.IN_PROGRESS, started_on=TODAY)

    session = study(staff_user, planned)
    assert list(session.attendees.all()) == deputies(planned.street)
    with pytest.raises(ValidationError, match="检查须在学习之后开始"):
        services.inspection_start(by=staff_user, inspection=planned, on=TODAY - datetime.timedelta(days=1))
    inspection = services.inspection_start(by=staff_user, inspection=planned)
    assert inspection.state == InspectionState.IN_PROGRESS and inspection.started_on == TODAY
    with pytest.raises(ValidationError, match="不能重复开始"):
        services.inspection_start(by=staff_user, inspection=inspection)
    with pytest.raises(ValidationError, match="检查已开始"):
        study(staff_user, inspection)


def test_a_study_session_is_recorded_after_it_was_held_with_attendance(staff_user, planned):
    with pytest.raises(ValidationError, match="学习尚未举行"):
        study(staff_user, planned, held_on=TODAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="请选择参加学习的代表"):
        services.study_session_record(by=staff_user, inspection=planned, held_on=TODAY, content="x", attendees=[])
    other = deputies(Street.objects.get(slug="xinxianglu"), 1)
    with pytest.raises(ValidationError, match="不是本街道的人大代表"):
        services.study_session_record(by=staff_user, inspection=planned, held_on=TODAY, content="x", attendees=other)
    assert not StudySession.objects.filter(inspection=planned).exists()


def test_the_ui_refuses_to_start_without_study_then_starts_after_it(login, staff_user, planned):
    client = login(staff_user)
    detail = client.get(reverse("activities:inspection_detail", args=[planned.pk]))
    assert 'aria-disabled="true"' in detail.content.decode()
    response = client.post(reverse("activities:inspection_start", args=[planned.pk]))
    assert response.status_code == 400
    assert "检查前须组织代表学习相关法律法规" in response.content.decode()
    planned.refresh_from_db()
    assert planned.state == InspectionState.PLANNED

    people = deputies(planned.street, 2)
    response = client.post(
        reverse("activities:inspection_study", args=[planned.pk]),
        {"held_on": TODAY.isoformat(), "place": "联络站", "content": "学习消防法", "attendees": [m.pk for m in people]},
    )
    assert response.status_code == 302
    response = client.post(reverse("activities:inspection_start", args=[planned.pk]), follow=True)
    assert "执法检查已开始" in response.content.decode()
    planned.refresh_from_db()
    assert planned.state == InspectionState.IN_PROGRESS
    # A stale link to the planning steps now lands on the inspection with a message.
    response = client.get(reverse("activities:inspection_edit", args=[planned.pk]), follow=True)
    assert "不能进行此操作" in response.content.decode()


def test_a_study_form_with_bad_input_keeps_it_and_saves_nothing(login, staff_user, planned):
    response = login(staff_user).post(
        reverse("activities:inspection_study", args=[planned.pk]),
        {
            "held_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
            "content": "学习内容保留",
            "attendees": [m.pk for m in deputies(planned.street, 1)],
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "学习尚未举行" in body and "学习内容保留" in body
    assert not StudySession.objects.filter(inspection=planned).exists()


# --- Art 7(2): findings become cases ---------------------------------------------------------------------------
def test_findings_become_cases_assigned_with_a_deadline_or_escalated(staff_user, started):
    street = started.street
    unit = unit_of(street)
    deadline = TODAY + datetime.timedelta(days=30)
    with pytest.raises(ValidationError, match="须定整改期限"):
        services.finding_add(
            by=staff_user, inspection=started, description="x", responsibility=Responsibility.STREET, unit=unit
        )
    with pytest.raises(ValidationError, match="请选择整改单位"):
        services.finding_add(
            by=staff_user,
            inspection=started,
            description="x",
            responsibility=Responsibility.STREET,
            deadline=deadline,
        )
    own = services.finding_add(
        by=staff_user,
        inspection=started,
        description="消防通道被占用",
        responsibility=Responsibility.STREET,
        unit=unit,
        deadline=deadline,
    )
    higher = services.finding_add(
        by=staff_user, inspection=started, description="消防站点布局需全市统筹", responsibility=Responsibility.HIGHER
    )
    (case,) = opinions_for_source(own)
    assert (case.channel, case.state, case.unit, case.deadline) == (
        Channel.ENFORCEMENT_INSPECTION,
        State.ASSIGNED,
        unit,
        deadline,
    )
    assert own.case_id == case.pk and own.unit_name == unit.name
    (escalated,) = opinions_for_source(higher)
    assert escalated.state == State.ESCALATED and escalated.unit is None and higher.deadline is None


def test_findings_only_while_the_inspection_is_in_progress(staff_user, planned):
    with pytest.raises(ValidationError, match="只有检查中的执法检查"):
        services.finding_add(by=staff_user, inspection=planned, description="x", responsibility=Responsibility.HIGHER)
    assert not InspectionFinding.objects.filter(inspection=planned).exists()


def test_the_finding_form_requires_unit_and_deadline_for_the_streets_own(login, staff_user, started):
    client = login(staff_user)
    url = reverse("activities:finding_add", args=[started.pk])
    response = client.post(url, {"description": "井盖缺失", "responsibility": "street"})
    assert response.status_code == 200
    assert "请选择整改单位" in response.content.decode() and "井盖缺失" in response.content.decode()
    deadline = (TODAY + datetime.timedelta(days=10)).isoformat()
    response = client.post(
        url,
        {
            "description": "井盖缺失",
            "responsibility": "street",
            "unit": unit_of(started.street).pk,
            "deadline": deadline,
        },
    )
    assert response.status_code == 302
    detail = client.get(reverse("activities:inspection_detail", args=[started.pk])).content.decode()
    assert "井盖缺失" in detail and "已交办" in detail


# --- Art 7(3): reports filed as 公文 ---------------------------------------------------------------------------
def test_report_then_implementation_filed_in_order(staff_user, started):
    with pytest.raises(ValidationError, match="须先报送执法检查报告"):
        services.inspection_file_implementation(by=staff_user, inspection=started, implementation_text="一、整改")
    with pytest.raises(ValidationError, match="报告正文为空"):
        services.inspection_file_report(by=staff_user, inspection=started, report_text="  \n ")
    reported = services.inspection_file_report(
        by=staff_user, inspection=started, report_text="一、检查情况\n检查发现问题两项。", background=False
    )
    assert reported.state == InspectionState.REPORTED
    assert reported.report_document.state == DocumentState.DONE
    filed = services.inspection_file_implementation(
        by=staff_user, inspection=reported, implementation_text="一、整改情况\n已整改完毕。", background=False
    )
    assert filed.state == InspectionState.IMPLEMENTATION_FILED
    assert filed.implementation_document.number != filed.report_document.number
    # Two filings, each the first version of its own kind: the implementation report supersedes nothing.
    assert (filed.report_document.version, filed.implementation_document.version) == (1, 1)
    assert filed.implementation_document.supersedes is None
    with pytest.raises(ValidationError):
        services.inspection_file_report(by=staff_user, inspection=filed, report_text="again")


@pytest.fixture
def filing_pdf(staff_user, started):
    text = "一、检查基本情况\n" + "代表们实地查看了高层住宅消防通道和消防设施，听取了有关情况介绍。" * 12
    text += "\n二、意见和建议\n（一）限期整改\n请街道办事处对属街道职责的问题限期整改。"
    inspection = services.inspection_file_report(by=staff_user, inspection=started, report_text=text, background=False)
    document = inspection.report_document
    with document.file.open("rb") as handle:
        return document, handle.read()


def test_the_filing_pdf_passes_the_document_format_checks(filing_pdf, street):
    document, pdf_bytes = filing_pdf
    assert document.state == DocumentState.DONE and document.number.startswith("湘乡人大望工报〔")
    with _open(pdf_bytes) as pdf:
        assert len(pdf.pages) >= 2
        for number, page in enumerate(pdf.pages, start=1):
            assert (page.width, page.height) == pytest.approx(A4, abs=0.5)
            body = [c for c in page.chars if c not in _page_number_chars(page)]
            if number == 1:
                body = [c for c in body if c["top"] > 36 * MM]
            assert min(c["x0"] for c in body) >= 28 * MM - TOLERANCE
            assert max(c["x1"] for c in body) <= (28 + 156) * MM + TOLERANCE
            assert max(c["bottom"] for c in body) <= (37 + 225) * MM + TOLERANCE
        first = pdf.pages[0]
        red = "".join(c["text"] for c in first.chars if _is_red(c["non_stroking_color"]))
        assert red == street.committee.name  # the red masthead
        (band,) = _red_bands(first)  # the red separator, as wide as the text block
        assert band[1] - band[0] == pytest.approx(156 * MM, abs=1)
        text = re.sub(r"\s", "", "".join(page.extract_text() for page in pdf.pages))
        for expected in (document.number, "湘乡市人大常委会：", "执法检查情况的报告", "限期整改", "（一）限期整改"):
            assert expected in text
        for page in pdf.pages:
            for font in resolve1(resolve1(page.page_obj.resources)["Font"]).values():
                font = resolve1(font)
                descendant = resolve1(font["DescendantFonts"])[0] if "DescendantFonts" in font else font
                descriptor = resolve1(resolve1(descendant)["FontDescriptor"])
                assert any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3")), font["BaseFont"]


def test_city_users_open_the_filing_other_streets_and_units_do_not(filing_pdf, login):
    document, _ = filing_pdf
    for username, status in [
        ("xiangxiang_city", 200),
        ("wangchunmen_director", 200),
        ("wangchunmen_party", 200),
        ("xinxianglu_staff", 404),
        ("wangchunmen_handling_unit", 403),
    ]:
        response = login(User.objects.get(username=username)).get(reverse("documents:download", args=[document.pk]))
        assert response.status_code == status, username


def test_filing_through_the_ui_needs_the_confirmation(login, staff_user, started):
    client = login(staff_user)
    url = reverse("activities:inspection_report", args=[started.pk])
    response = client.post(url, {"text": "一、情况\n正文"})
    assert response.status_code == 200 and "正文" in response.content.decode()
    started.refresh_from_db()
    assert started.state == InspectionState.IN_PROGRESS
    response = client.post(url, {"text": "一、情况\n正文", "confirm": "on"}, follow=True)
    assert "已报送市人大常委会备案" in response.content.decode()
    started.refresh_from_db()
    assert started.state == InspectionState.REPORTED and started.report_document is not None


# --- Art 8: special work reports ---------------------------------------------------------------------------------
@pytest.fixture
def visit(staff_user, street):
    return services.visit_create(
        by=staff_user,
        street=street,
        participants=deputies(street),
        kind=VisitKind.RESEARCH,
        topic="社区养老服务",
        starts_on=TODAY - datetime.timedelta(days=10),
        ends_on=TODAY - datetime.timedelta(days=10),
        staff_invited="民政办主任",
        materials_studied="《湖南省养老服务条例》",
        summary="",
    )


@pytest.fixture
def hearing(staff_user, street, visit):
    return services.report_create(
        by=staff_user,
        street=street,
        topic=ReportTopic.LIVELIHOOD,
        title="关于养老服务工作的报告",
        reporting_unit="街道办事处",
        heard_on=TODAY,
        held=True,
        field_visit=visit,
        summary="",
    )


def test_a_hearing_links_its_field_visit_before_it(staff_user, street, visit):
    common = {"topic": ReportTopic.OTHER, "title": "t", "reporting_unit": "u", "held": False, "summary": ""}
    with pytest.raises(ValidationError, match="须在听取报告之前"):
        services.report_create(
            by=staff_user,
            street=street,
            heard_on=visit.starts_on - datetime.timedelta(days=1),
            field_visit=visit,
            **common,
        )
    other = services.visit_create(
        by=User.objects.get(username="xinxianglu_staff"),
        street=Street.objects.get(slug="xinxianglu"),
        kind=VisitKind.INSPECTION,
        topic="x",
        starts_on=TODAY,
        ends_on=TODAY,
    )
    with pytest.raises(ValidationError, match="本街道"):
        services.report_create(by=staff_user, street=street, heard_on=TODAY, field_visit=other, **common)
    with pytest.raises(ValidationError, match="不能标记为已召开"):
        services.report_create(
            by=staff_user,
            street=street,
            field_visit=None,
            **{**common, "held": True},
            heard_on=TODAY + datetime.timedelta(days=2),
        )


def test_deputies_opinions_at_the_hearing_become_cases_shown_with_their_answers(login, staff_user, hearing):
    deputy = User.objects.get(username="wangchunmen_deputy")
    membership = Membership.objects.get(user=deputy, role=Role.DEPUTY)
    client = login(staff_user)
    response = client.post(
        reverse("activities:report_opinion_add", args=[hearing.pk]),
        {"content": "建议增加社区食堂", "proposer": membership.pk},
    )
    assert response.status_code == 302
    client.post(
        reverse("activities:report_opinion_add", args=[hearing.pk]),
        {"content": "建议延长服务时间", "proposer_name": "列席居民"},
    )
    case, other = opinions_for_source(hearing)
    assert case.channel == Channel.SPECIAL_WORK_REPORT
    # The deputy is the proposer: the loop tells them of the reply and asks for their rating.
    assert (case.proposer_user, case.proposer_name) == (deputy, deputy.full_name)
    assert (other.proposer_user, other.proposer_name) == (None, "列席居民")
    assert CollectedIssue.objects.get(report=hearing, proposer_name=deputy.full_name).case_id == case.pk
    page = login(deputy).get(reverse("activities:report_detail", args=[hearing.pk])).content.decode()
    assert reverse("supervision:opinion_detail", args=[case.pk]) in page
    mine = login(deputy).get(reverse("supervision:mine")).content.decode()  # "cases I raised"
    assert reverse("supervision:opinion_detail", args=[case.pk]) in mine


def test_an_opinion_is_refused_before_the_hearing_is_held(staff_user, hearing):
    hearing = services.report_update(
        by=staff_user,
        report=hearing,
        **{f: getattr(hearing, f) for f in services.REPORT_FIELDS if f != "held"},
        held=False,
    )
    with pytest.raises(ValidationError, match="会议尚未召开"):
        services.report_opinion_add(by=staff_user, report=hearing, content="x")
    assert not opinions_for_source(hearing).exists()


def test_unit_heads_attendance_is_recorded_and_removal_is_confirmed(login, staff_user, hearing):
    head = services.unit_head_add(by=staff_user, report=hearing, name="李主任", unit="街道办事处", position="主任")
    with pytest.raises(ValidationError, match="已在名单中"):
        services.unit_head_add(by=staff_user, report=hearing, name="李主任", unit="街道办事处")
    client = login(staff_user)
    client.post(reverse("activities:unit_head_attended", args=[head.pk]), {"attended": "1"})
    head.refresh_from_db()
    assert head.attended
    confirm = client.get(reverse("activities:unit_head_remove", args=[head.pk]))
    assert "确认从名单中移除" in confirm.content.decode()
    assert UnitHead.objects.filter(pk=head.pk).exists()
    client.post(reverse("activities:unit_head_remove", args=[head.pk]))
    assert not UnitHead.objects.filter(pk=head.pk).exists()


# --- Art 10: field visits ------------------------------------------------------------------------------------------
def test_issues_collected_on_a_visit_become_field_visit_cases(staff_user, visit, login):
    issue = services.visit_issue_add(
        by=staff_user, visit=visit, content="日间照料中心缺少护理员", proposer_name="王代表"
    )
    (case,) = opinions_for_source(visit)
    assert case.channel == Channel.FIELD_VISIT and issue.case_id == case.pk
    page = login(staff_user).get(reverse("activities:visit_detail", args=[visit.pk])).content.decode()
    assert "民政办主任" in page and "《湖南省养老服务条例》" in page
    assert reverse("supervision:opinion_detail", args=[case.pk]) in page


def test_a_visit_form_keeps_bad_input(login, staff_user):
    response = login(staff_user).post(
        reverse("activities:visit_add"),
        {
            "street": Street.objects.get(slug="wangchunmen").pk,
            "kind": "research",
            "topic": "保留的主题",
            "starts_on": "2026-05-02",
            "ends_on": "2026-05-01",
        },
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode() and "保留的主题" in response.content.decode()
    assert not FieldVisit.objects.filter(topic="保留的主题").exists()


# --- Art 9: appraisals ----------------------------------------------------------------------------------------------
@pytest.fixture
def council(street, staff_user):
    from committee import services as people

    members = [
        people.person_add(
            by=staff_user, street=street, full_name=f"议事员{i}", mobile=f"1390000{i:04d}", role=Role.COUNCIL_MEMBER
        )[0]
        for i in range(3)
    ]
    return members


def test_weights_must_sum_to_100(staff_user, street):
    common = {"year": 2026, "unit_name": "城管中队", "supervising_department": "城管局", "appraised_on": TODAY}
    with pytest.raises(ValidationError, match="合计应为100，现为90"):
        services.appraisal_create(by=staff_user, street=street, criteria=[("作风", 50), ("效率", 40)], **common)
    with pytest.raises(ValidationError, match="不能重复"):
        services.appraisal_create(by=staff_user, street=street, criteria=[("作风", 50), ("作风", 50)], **common)
    assert not WorkAppraisal.objects.filter(unit_name="城管中队").exists()


def test_scores_aggregate_to_the_weighted_result_and_the_result_is_filed(staff_user, street, council, login):
    appraisal = services.appraisal_create(
        by=staff_user,
        street=street,
        year=2026,
        unit_name="城管中队",
        supervising_department="湘乡市城市管理和综合执法局",
        appraised_on=TODAY,
        criteria=[("作风", 40), ("效率", 60)],
    )
    style, speed = appraisal.criteria.order_by("pk")
    with pytest.raises(ValidationError, match="还有评议项目没有得分"):
        services.appraisal_file(
            by=staff_user, appraisal=appraisal, summary="x", reported_to_party_on=TODAY, reported_to_department_on=TODAY
        )
    services.appraisal_scores_set(
        by=staff_user, appraisal=appraisal, member=council[0], scores={style.pk: 90, speed.pk: 80}
    )
    services.appraisal_scores_set(
        by=staff_user, appraisal=appraisal, member=council[1], scores={style.pk: 70, speed.pk: 100}
    )
    with pytest.raises(ValidationError, match="请为每个评议项目打分"):
        services.appraisal_scores_set(by=staff_user, appraisal=appraisal, member=council[2], scores={style.pk: 70})
    with pytest.raises(ValidationError, match="不是本街道的居民议事员"):
        services.appraisal_scores_set(
            by=staff_user, appraisal=appraisal, member=deputies(street, 1)[0], scores={style.pk: 1, speed.pk: 1}
        )
    with pytest.raises(ValidationError, match="不能再修改评议项目"):
        services.appraisal_criteria_set(by=staff_user, appraisal=appraisal, criteria=[("作风", 100)])
    # 0.4 × avg(90, 70) + 0.6 × avg(80, 100) = 32 + 54
    assert services.appraisal_result(appraisal) == Decimal("86.00")
    page = login(staff_user).get(reverse("activities:appraisal_detail", args=[appraisal.pk])).content.decode()
    assert "86.00" in page
    filed = services.appraisal_file(
        by=staff_user,
        appraisal=appraisal,
        summary="整体较好",
        reported_to_party_on=TODAY,
        reported_to_department_on=TODAY,
        background=False,
    )
    assert filed.state == AppraisalState.FILED and filed.result == Decimal("86.00")
    assert filed.filing_document.state == DocumentState.DONE
    with filed.filing_document.file.open("rb") as handle, _open(handle.read()) as pdf:
        text = re.sub(r"\s", "", pdf.pages[0].extract_text())
    assert "加权综合得分86.00分" in text and "湘乡市人大常委会：" in text
    with pytest.raises(ValidationError, match="不能再打分"):
        services.appraisal_scores_set(
            by=staff_user, appraisal=filed, member=council[2], scores={style.pk: 1, speed.pk: 1}
        )


def test_the_appraisal_form_parses_criteria_lines(login, staff_user):
    client = login(staff_user)
    data = {
        "street": Street.objects.get(slug="wangchunmen").pk,
        "year": 2026,
        "unit_name": "社区服务中心",
        "supervising_department": "民政局",
        "appraised_on": TODAY.isoformat(),
        "criteria": "工作 作风 60\n效率 30",
    }
    response = client.post(reverse("activities:appraisal_add"), data)
    assert "合计应为100，现为90" in response.content.decode()
    response = client.post(reverse("activities:appraisal_add"), {**data, "criteria": "工作 作风 60\n效率 40"})
    assert response.status_code == 302
    appraisal = WorkAppraisal.objects.get(unit_name="社区服务中心")
    assert [(c.name, c.weight) for c in appraisal.criteria.order_by("pk")] == [("工作 作风", 60), ("效率", 40)]


# --- Lists: search, pagination, a fixed number of queries ---------------------------------------------------------
@pytest.fixture
def many_records(staff_user, street):
    for i in range(30):
        services.visit_create(
            by=staff_user,
            street=street,
            participants=deputies(street, 4),
            kind=VisitKind.INSPECTION,
            topic=f"批量视察{i}",
            starts_on=D(2026, 1, 1) + datetime.timedelta(days=i),
            ends_on=D(2026, 1, 1) + datetime.timedelta(days=i),
        )
        inspection = services.inspection_create(
            by=staff_user,
            street=street,
            law=f"法规{i}",
            scope="s",
            origin=InspectionOrigin.SELF,
            starts_on=D(2026, 2, 1),
            ends_on=D(2026, 2, 2),
            deputies=deputies(street, 3),
        )
        services.report_create(
            by=staff_user,
            street=street,
            topic=ReportTopic.OTHER,
            title=f"报告{i}",
            reporting_unit="u",
            heard_on=D(2026, 3, 1),
            held=False,
            field_visit=None,
            summary="",
        )
        services.appraisal_create(
            by=staff_user,
            street=street,
            year=2026,
            unit_name=f"单位{i}",
            supervising_department="d",
            appraised_on=TODAY,
            criteria=[("a", 100)],
        )
    return inspection


# session, user, memberships, streets for the filter, the page's count and its rows
@pytest.mark.parametrize("username", ["wangchunmen_staff", "xiangxiang_city", "wangchunmen_deputy"])
@pytest.mark.parametrize("name", ["inspection_list", "report_list", "appraisal_list", "visit_list"])
def test_lists_have_a_fixed_query_count(client, many_records, django_assert_num_queries, username, name):
    client.force_login(User.objects.get(username=username), backend="committee.auth.MobileOrUsernameBackend")
    with django_assert_num_queries(6):
        response = client.get(reverse(f"activities:{name}"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 25  # two pages at least: the count is independent of rows
    with django_assert_num_queries(6):
        assert client.get(reverse(f"activities:{name}"), {"page": 2}).status_code == 200


def test_lists_search_and_scope(login, many_records, staff_user):
    client = login(staff_user)
    page = client.get(reverse("activities:visit_list"), {"q": "批量视察7"}).context["page"]
    assert [v.topic for v in page] == ["批量视察7"]
    page = client.get(reverse("activities:inspection_list"), {"q": "法规12", "state": "planned"}).context["page"]
    assert [i.law for i in page] == ["法规12"] and page[0].deputy_count == 3
    other = login(User.objects.get(username="xinxianglu_staff"))  # the same client, now another street's staff
    assert not other.get(reverse("activities:visit_list"), {"q": "批量视察"}).context["page"].paginator.count


# --- Compliance rules -------------------------------------------------------------------------------------------
def evaluate(rule_id, year, today, streets=None):
    streets = streets or list(Street.objects.order_by("pk"))
    rule = registry.rule(rule_id)
    window = registry.window(rule.period, year, 1)
    results = rule.evaluate(streets, window, today)
    return {street.slug: results[street.pk] for street in streets}


@pytest.mark.parametrize("rule_id", ["7(1)", "7(3)", "8(1)", "8(2)", "9(2)", "10(1)"])
def test_each_rule_costs_one_query_for_all_streets(demo_data, django_assert_max_num_queries, rule_id):
    streets = list(Street.objects.order_by("pk"))
    with django_assert_max_num_queries(1):
        evaluate(rule_id, 2025, D(2026, 1, 10), streets)


def test_the_rules_on_the_demo(demo_data):
    after_2025 = D(2026, 1, 10)
    for rule_id in ("7(1)", "7(3)", "8(1)", "8(2)", "9(2)", "10(1)"):
        results = evaluate(rule_id, 2025, after_2025)
        assert {r.status for r in results.values()} == {Status.MET}, rule_id
        rule = registry.rule(rule_id)
        year_2025 = registry.window(rule.period, 2025, 1)
        assert all(rule.list_evidence(s, year_2025, after_2025) for s in Street.objects.all()), rule_id
    late_2026 = D(2026, 11, 26)
    inspections = evaluate("7(1)", 2026, late_2026)
    assert inspections["wangchunmen"].status == Status.MET
    wangchunmen = Street.objects.get(slug="wangchunmen")
    evidence = registry.rule("7(1)").list_evidence(wangchunmen, registry.window(Period.YEAR, 2026, 1), late_2026)
    assert "/supervision/activities/inspections/" in evidence[0].url
    filed = evaluate("7(3)", 2026, late_2026)  # the 2026 inspection is in progress, the year in its last quarter
    assert filed["wangchunmen"].status == Status.AT_RISK and "0 / 1" in filed["wangchunmen"].summary
    assert evaluate("7(3)", 2026, D(2027, 1, 5))["dongshan"].status == Status.MISSED
    visits = evaluate("10(1)", 2026, late_2026)
    assert visits["kunlunqiao"].status == Status.AT_RISK and "2" in visits["kunlunqiao"].summary
    assert visits["wangchunmen"].status == Status.MET
    assert evaluate("10(1)", 2026, D(2027, 1, 5))["kunlunqiao"].status == Status.MISSED
    assert evaluate("9(2)", 2026, late_2026)["wangchunmen"].status == Status.NOT_YET_DUE  # none this year: optional


def test_rule_8_2_misses_a_hearing_without_a_field_visit_or_with_an_absent_head(staff_user, street, demo_data):
    report = services.report_create(
        by=staff_user,
        street=street,
        topic=ReportTopic.ECONOMY,
        title="关于经济运行情况的报告",
        reporting_unit="经发办",
        heard_on=D(2026, 10, 9),
        held=True,
        field_visit=None,
        summary="",
    )
    services.unit_head_add(by=staff_user, report=report, name="赵主任", unit="经发办", attended=False)
    result = evaluate("8(2)", 2026, TODAY)["wangchunmen"]
    assert result.status == Status.MISSED
    assert "1 次会前未组织视察调研" in result.summary and "1 次负责人未全部到会" in result.summary
    evidence = registry.rule("8(2)").list_evidence(street, registry.window(Period.YEAR, 2026, 1), TODAY)
    assert any("关于经济运行情况的报告" in e.label and "负责人到会 0 / 1" in e.label for e in evidence)


def test_rule_9_2_at_risk_when_a_result_is_left_unfiled(staff_user, street, demo_data):
    services.appraisal_create(
        by=staff_user,
        street=street,
        year=2026,
        unit_name="市场监管所",
        supervising_department="市场监管局",
        appraised_on=D(2026, 9, 1),
        criteria=[("a", 100)],
    )
    assert evaluate("9(2)", 2026, D(2026, 11, 26))["wangchunmen"].status == Status.AT_RISK
    assert evaluate("9(2)", 2026, D(2027, 1, 2))["wangchunmen"].status == Status.MISSED


def test_the_dashboard_cell_lists_the_evidence(login, director, demo_data):
    response = login(director).get(
        reverse("compliance:cell", args=[Street.objects.get(slug="wangchunmen").pk, "10(1)"]), {"year": 2025}
    )
    assert response.status_code == 200
    assert "/supervision/activities/visits/" in response.content.decode()


# --- Navigation, seed ----------------------------------------------------------------------------------------------
def test_the_supervision_menu_lists_the_four_activities(login, staff_user):
    page = login(staff_user).get(reverse("home")).content.decode()
    for name in ("inspection_list", "report_list", "appraisal_list", "visit_list"):
        assert reverse(f"activities:{name}") in page


def test_the_demo_is_idempotent_and_as_described(demo_data):
    models = [
        EnforcementInspection,
        StudySession,
        InspectionFinding,
        FieldVisit,
        SpecialWorkReport,
        UnitHead,
        CollectedIssue,
        WorkAppraisal,
        AppraisalCriterion,
        AppraisalScore,
    ]
    before = {m: sorted(m.objects.values_list("pk", flat=True)) for m in models}
    demo.seed()
    assert {m: sorted(m.objects.values_list("pk", flat=True)) for m in models} == before
    assert EnforcementInspection.objects.filter(state=InspectionState.IMPLEMENTATION_FILED).count() == 4
    assert EnforcementInspection.objects.filter(state=InspectionState.IN_PROGRESS).count() == 4
    assert FieldVisit.objects.filter(street__slug="kunlunqiao", starts_on__year=2026).count() == 2
    assert WorkAppraisal.objects.filter(state=AppraisalState.FILED).count() == 4
    for appraisal in WorkAppraisal.objects.all():  # scored by the council, not by one member
        assert AppraisalScore.objects.filter(criterion__appraisal=appraisal).values("member").distinct().count() >= 8


def test_detail_pages_show_their_history(login, staff_user, started, visit, hearing):
    client = login(staff_user)
    for url in (
        reverse("activities:inspection_detail", args=[started.pk]),
        reverse("activities:visit_detail", args=[visit.pk]),
        reverse("activities:report_detail", args=[hearing.pk]),
    ):
        page = client.get(url).content.decode()
        assert "操作记录" in page and staff_user.full_name in page, url
    page = client.get(reverse("activities:inspection_detail", args=[started.pk])).content.decode()
    assert "state" in page and "started_on" in page  # the start is an update of those fields


def test_the_edit_forms_save_through_the_services(login, staff_user, planned, visit, hearing):
    client = login(staff_user)
    people = deputies(planned.street, 2)
    response = client.post(
        reverse("activities:inspection_edit", args=[planned.pk]),
        {
            "law": "《中华人民共和国消防法》",
            "origin": "assigned",
            "scope": "改后的范围",
            "starts_on": planned.starts_on.isoformat(),
            "ends_on": planned.ends_on.isoformat(),
            "deputies": [m.pk for m in people],
        },
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.scope == "改后的范围" and list(planned.deputies.order_by("pk")) == people
    response = client.post(
        reverse("activities:visit_edit", args=[visit.pk]),
        {
            "kind": "inspection",
            "topic": "改后的主题",
            "starts_on": visit.starts_on.isoformat(),
            "ends_on": visit.ends_on.isoformat(),
            "participants": [people[0].pk],
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.topic == "改后的主题" and list(visit.participants.all()) == [people[0]]
    response = client.post(
        reverse("activities:report_edit", args=[hearing.pk]),
        {
            "topic": "other",
            "title": "改后的题目",
            "reporting_unit": "办事处",
            "heard_on": hearing.heard_on.isoformat(),
            "held": "on",
            "field_visit": visit.pk,
        },
    )
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.title == "改后的题目" and hearing.field_visit == visit
