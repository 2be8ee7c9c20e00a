"""Deputies' reports to constituents (Art 12(2), 4(3)): recording, comments into the loop, the satisfaction survey on
the ballot engine (slip codes or the tellers' count sheet) and its grade on the report and the public page, the duty
source, rule 12(2) with its evidence, the pages and their query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committee.ballots import services as ballots
from committee.ballots.models import PaperMode, Voter
from committee.compliance import registry
from committee.compliance.registry import Period, Status
from committee.documents.selectors import documents_for
from committee.duties import registry as duties
from deputies.models import Constituency, Deputy, Rating
from deputies.reports import services
from deputies.reports.models import ConstituentComment, ConstituentReport
from supervision.models import Channel, ProposerKind

D = datetime.date


@pytest.fixture
def own_deputy(demo_data):
    return Deputy.objects.select_related("user", "street", "constituency").get(user__username="wangchunmen_deputy")


@pytest.fixture
def other_deputy(demo_data):
    return Deputy.objects.select_related("user", "street", "constituency").get(user__username="wangchunmen_deputy100")


def _record(staff, deputy, *, present=55, day=None, **kwargs):
    values = {"place": "联络站", "expected": 60, "present": present, "text": "本届履职情况。"} | kwargs
    return services.report_record(
        by=staff, deputy=deputy, constituency=deputy.constituency, date=day or D(2026, 10, 15), **values
    )


def slip_codes(ballot) -> dict[str, str]:
    document = documents_for(ballot).get(template=ballots.SLIPS_TEMPLATE)
    return {slip["name"]: slip["code"] for slip in document.context["slips"]}


# --- The demo ---------------------------------------------------------------------------------------------------
def test_the_demo_has_surveyed_reports_a_flagged_one_and_a_comment_in_the_loop(street):
    reports = list(ConstituentReport.objects.filter(street=street).select_related("survey").order_by("date"))
    assert [r.date.year for r in reports] == [2025, 2026, 2026]
    assert [r.grade for r in reports] == [Rating.SATISFIED, Rating.BASIC, Rating.SATISFIED]
    assert [r.too_few_present for r in reports] == [False, False, True]
    assert reports[0].deputy.user.username == "wangchunmen_deputy"
    comments = ConstituentComment.objects.filter(report=reports[1])
    assert comments.count() == 3
    case = comments.get(case__isnull=False).case
    assert (case.channel, case.proposer_user, case.source) == (
        Channel.OTHER,
        reports[1].deputy.user,
        comments.get(case__isnull=False),
    )


# --- Recording --------------------------------------------------------------------------------------------------
def test_a_report_needs_its_text_or_a_file_and_a_constituency_of_its_street(staff_user, own_deputy, other_street):
    with pytest.raises(ValidationError) as error:
        _record(staff_user, own_deputy, text="  ")
    assert "text" in error.value.message_dict
    foreign = Constituency.objects.filter(street=other_street).first()
    with pytest.raises(ValidationError) as error:
        services.report_record(
            by=staff_user,
            deputy=own_deputy,
            constituency=foreign,
            date=D(2026, 10, 1),
            place="联络站",
            expected=50,
            present=50,
            text="报告",
        )
    assert "constituency" in error.value.message_dict
    report = _record(staff_user, own_deputy, text="", file=SimpleUploadedFile("述职报告.pdf", b"%PDF-1.4"))
    assert report.file and not report.too_few_present


def test_only_staff_record_and_too_few_present_is_flagged(staff_user, own_deputy, settings):
    with pytest.raises(PermissionDenied):
        _record(own_deputy.user, own_deputy)
    settings.CONSTITUENT_REPORT_MIN_PRESENT = 50
    assert _record(staff_user, own_deputy, present=49).too_few_present
    assert not _record(staff_user, own_deputy, present=50, day=D(2026, 10, 16)).too_few_present


def test_a_comment_becomes_a_case_with_the_deputy_as_proposer_once(staff_user, own_deputy):
    report = _record(staff_user, own_deputy)
    comment = services.comment_add(by=staff_user, report=report, content="楼道灯坏了，请帮忙反映。", name="李大爷")
    case = services.comment_to_case(by=staff_user, comment=comment)
    assert (case.proposer_user, case.proposer_kind, case.source) == (own_deputy.user, ProposerKind.DEPUTY, comment)
    with pytest.raises(ValidationError):
        services.comment_to_case(by=staff_user, comment=comment)
    with pytest.raises(ValidationError):
        services.comment_add(by=staff_user, report=report, content=" ")


# --- The survey ---------------------------------------------------------------------------------------------------
def test_a_survey_by_slip_codes_grades_the_report_when_it_closes(client, staff_user, own_deputy):
    report = _record(staff_user, own_deputy, present=6)
    ballot = services.survey_start(by=staff_user, report=report, other_voters=["甲", "乙", "丙", "丁"])
    question = ballot.questions.get()
    assert question.label == f"对{own_deputy}履职情况的满意度"
    assert (ballot.rule, ballot.electronic, ballot.paper) == ("satisfaction_grades", True, PaperMode.NONE)
    with pytest.raises(ValidationError):
        services.survey_start(by=staff_user, report=report)
    ballots.ballot_open(by=staff_user, ballot=ballot, background=False)
    codes = slip_codes(ballot)
    for name, choice in zip(["甲", "乙", "丙"], ["satisfied", "basic", "basic"], strict=True):
        ballots.ballot_cast(ballot=ballot, choices={1: choice}, slip_code=codes[name])
    ballots.ballot_close(by=staff_user, ballot=ballot, background=False)
    report.refresh_from_db()
    assert report.grade == Rating.BASIC  # 满意 1 of 3 is not more than half; 满意 + 基本满意 3 of 3 is
    assert documents_for(ballot).filter(template=ballots.ANNOUNCEMENT_TEMPLATE).exists()
    page = client.get(own_deputy.public_url()).content.decode()
    assert "基本满意" in page and reverse("ballots:result", args=[ballot.token]) in page


def test_a_survey_on_paper_numbers_the_voters_present_and_takes_the_count_sheet(staff_user, own_deputy):
    report = _record(staff_user, own_deputy, present=5)
    ballot = services.survey_start(by=staff_user, report=report, paper=PaperMode.COUNT_SHEET)
    assert (ballot.electronic, ballot.paper) == (False, PaperMode.COUNT_SHEET)
    assert list(Voter.objects.filter(ballot=ballot).values_list("name", flat=True).order_by("position")) == [
        f"选民代表{n}" for n in range(1, 6)
    ]
    ballots.ballot_open(by=staff_user, ballot=ballot, background=False)
    assert services.survey_issue_papers(by=staff_user, report=report) == 5
    assert services.survey_issue_papers(by=staff_user, report=report) == 0  # each voter once
    ballots.ballot_end_voting(by=staff_user, ballot=ballot)
    ballots.count_sheet_enter(
        by=staff_user,
        ballot=ballot,
        returned=5,
        valid=5,
        invalid=0,
        totals={1: {"satisfied": 3, "basic": 1, "unsatisfied": 1}},
        tellers="甲",
        scrutineers="乙",
        background=False,
    )
    ballots.ballot_close(by=staff_user, ballot=ballot, background=False)
    report.refresh_from_db()
    assert report.grade == Rating.SATISFIED


def test_the_database_keeps_a_grade_to_surveyed_reports(staff_user, own_deputy):
    from django.db import IntegrityError, transaction

    report = _record(staff_user, own_deputy)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConstituentReport.objects.filter(pk=report.pk).update(grade=Rating.SATISFIED)


# --- Duty records and rule 12(2) ----------------------------------------------------------------------------------
def test_a_report_given_is_a_duty_record_of_its_deputy(staff_user, own_deputy):
    report = _record(staff_user, own_deputy)
    items = duties.items(
        people=[own_deputy.user_id], streets=[own_deputy.street_id], start=D(2026, 10, 1), end=D(2026, 10, 31)
    )
    mine = [i for i in items if i.kind == "constituent_report"]
    assert [(i.source, i.url, i.date) for i in mine] == [(report, report.get_absolute_url(), report.date)]


def test_rule_12_2_every_deputy_in_office_reported_this_term(street, staff_user):
    rule = registry.rule("12(2)")
    term = registry.window(Period.TERM, 2026, 4)
    in_office = Deputy.objects.in_office(on=D(2026, 11, 1)).filter(street=street)
    reported = in_office.filter(constituent_reports__date__range=term.range).distinct().count()
    assert 0 < reported < in_office.count()  # the demo: three reported, the others not yet
    result = rule.evaluate([street], term, D(2026, 11, 1))[street.pk]
    assert result.status == Status.AT_RISK  # the term's last year
    assert result.summary == f"{reported}/{in_office.count()}名代表已报告"
    assert rule.evaluate([street], term, D(2024, 6, 1))[street.pk].status == Status.NOT_YET_DUE
    assert rule.evaluate([street], term, D(2027, 1, 5))[street.pk].status == Status.MISSED
    evidence = rule.list_evidence(street, term, D(2026, 11, 1))
    assert len(evidence) == in_office.count()
    assert sum("尚未报告" in e.label for e in evidence) == in_office.count() - reported
    for deputy in in_office.exclude(constituent_reports__date__range=term.range):
        _record(staff_user, deputy)
    assert rule.evaluate([street], term, D(2026, 11, 1))[street.pk].status == Status.MET


# --- Pages -----------------------------------------------------------------------------------------------------------
def test_staff_record_a_report_from_the_form(client, login, staff_user, own_deputy):
    login(staff_user)
    response = client.post(
        reverse("constituent_reports:add"),
        {
            "deputy": own_deputy.pk,
            "constituency": own_deputy.constituency_id,
            "date": "2026-11-12",
            "place": "社区会议室",
            "expected": 50,
            "present": 40,
            "text": "报告内容",
        },
    )
    report = ConstituentReport.objects.get(deputy=own_deputy, date=D(2026, 11, 12))
    assert response.url == report.get_absolute_url()
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="too-few"' in page and "建立满意度测评" in page
    response = client.post(
        reverse("constituent_reports:survey_start", args=[report.pk]), {"mode": "slips", "names": "甲\n乙"}
    )
    report.refresh_from_db()
    assert response.url == report.survey.get_absolute_url()
    client.post(reverse("constituent_reports:comment_add", args=[report.pk]), {"content": "希望多来社区。"})
    comment = report.comments.get()
    client.post(reverse("constituent_reports:comment_case", args=[comment.pk]))
    comment.refresh_from_db()
    assert comment.case.proposer_user == own_deputy.user


def test_a_form_without_text_or_file_keeps_what_was_typed(client, login, staff_user, own_deputy):
    login(staff_user)
    data = {"deputy": own_deputy.pk, "constituency": own_deputy.constituency_id, "date": "2026-11-12"}
    response = client.post(
        reverse("constituent_reports:add"), data | {"place": "会议室", "expected": 50, "present": 50}
    )
    assert response.status_code == 200
    assert "请填写述职报告内容或上传报告文件" in response.content.decode()
    assert not ConstituentReport.objects.filter(deputy=own_deputy, date=D(2026, 11, 12)).exists()


def test_a_deputy_sees_their_own_reports_only(client, login, own_deputy, other_deputy, staff_user):
    mine = ConstituentReport.objects.get(deputy=own_deputy)
    theirs = _record(staff_user, other_deputy)
    login(own_deputy.user)
    rows = list(client.get(reverse("constituent_reports:list")).context["page"])
    assert rows == [mine]
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(reverse("constituent_reports:edit", args=[mine.pk])).status_code == 403


def test_the_list_searches_and_flags(client, login, staff_user, street):
    login(staff_user)
    flagged = client.get(reverse("constituent_reports:list"), {"flagged": "1"}).context["page"]
    assert [r.present for r in flagged] == [38]
    name = ConstituentReport.objects.filter(street=street).first().deputy.user.full_name
    found = client.get(reverse("constituent_reports:list"), {"q": name}).context["page"]
    assert {r.deputy.user.full_name for r in found} == {name}


@pytest.fixture
def many_reports(street, own_deputy):
    ConstituentReport.objects.bulk_create(
        ConstituentReport(
            street=street,
            deputy=own_deputy,
            constituency=own_deputy.constituency,
            date=D(2024, 1, 1) + datetime.timedelta(days=n),
            place="会议室",
            expected=50,
            present=40 + n % 20,
            text="报告",
        )
        for n in range(600)
    )


def test_list_query_count_is_fixed(client, login, staff_user, many_reports, django_assert_num_queries):
    login(staff_user)
    client.get(reverse("constituent_reports:list"))
    with django_assert_num_queries(6):
        response = client.get(reverse("constituent_reports:list"), {"page": 3})
    assert len(response.context["page"]) == 25


def test_detail_query_count(client, login, staff_user, street, django_assert_num_queries):
    login(staff_user)
    report = ConstituentReport.objects.filter(street=street, comments__isnull=False).first()
    client.get(report.get_absolute_url())
    with django_assert_num_queries(8):  # 7, and the deputy's station receptions (Art 15(3))
        response = client.get(report.get_absolute_url())
    assert response.status_code == 200 and len(response.context["comments"]) == 3


def test_staff_issue_the_paper_survey_ballots_from_the_report_page(client, login, staff_user, own_deputy):
    report = _record(staff_user, own_deputy, present=4)
    ballot = services.survey_start(by=staff_user, report=report, paper=PaperMode.COUNT_SHEET)
    ballots.ballot_open(by=staff_user, ballot=ballot, background=False)
    login(staff_user)
    assert "向选民代表发放测评票" in client.get(report.get_absolute_url()).content.decode()
    client.post(reverse("constituent_reports:survey_issue_papers", args=[report.pk]))
    assert ballot.participations.count() == 4
    login(own_deputy.user)
    assert client.post(reverse("constituent_reports:survey_issue_papers", args=[report.pk])).status_code == 403


def test_the_deputys_home_shows_my_reports_with_their_grades(client, login, own_deputy, staff_user):
    login(own_deputy.user)
    page = client.get(reverse("home")).content.decode()
    assert 'id="my-reports"' in page and "满意" in page
    login(staff_user)
    assert 'id="my-reports"' not in client.get(reverse("home")).content.decode()
