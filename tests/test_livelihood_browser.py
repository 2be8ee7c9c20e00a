"""The five lists on a 375-px phone: candidates collected (one from the public form without logging in, one by a
deputy) → screened (one rejected with its reason) → the list published → voted at a council meeting on phones and on
paper → the passed project assigned → the unit's monthly progress → evaluated 不满意 → rectified → evaluated 满意.
The voters besides the demo deputy and the paper voter vote through the engine's service (they would be on their own
phones in the room)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from committee.ballots import services as ballots
from committee.ballots.models import Ballot, PaperBallot, Voter
from committee.models import Street, User
from livelihood_votes import services
from livelihood_votes.models import Decision, Evaluation, LivelihoodRound, ProjectState, ProposerKind
from meetings.models import Meeting, MeetingKind
from supervision.models import HandlingUnit, UnitKind
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def _as(phone, url, username):
    phone.context.clear_cookies()
    log_in(phone, url, username)


def _fits(phone):
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def _others_vote(ballot, choices, *, skip):
    for voter in Voter.objects.filter(ballot=ballot).select_related("user").order_by("position"):
        if voter.user is not None and voter.user.username not in skip:
            ballots.ballot_cast(ballot=ballot, choices=choices, by=voter.user)


def _council_meeting(day):
    return Meeting.objects.get(street__slug="wangchunmen", kind=MeetingKind.COUNCIL, date=day)


def _close(phone, url, ballot):
    phone.goto(f"{url}/ballots/{ballot.pk}/close/")
    phone.get_by_role("button", name="确认结束计票并公布结果").click()
    expect(phone.get_by_text("计票结束，结果已锁定并公布")).to_be_visible()


def _evaluate(phone, url, project_title, grade):
    """Staff start a 测评 at the 2026 council meeting; everyone grades the project `grade`; staff close it."""
    phone.get_by_role("link", name="在居民议事会会议上测评").click()
    phone.get_by_label("居民议事会会议").select_option(value=str(_council_meeting(datetime.date(2026, 6, 24)).pk))
    phone.get_by_label(project_title).check()
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("已生成满意度测评")).to_be_visible()
    phone.get_by_role("link", name="开始投票").click()
    phone.get_by_role("button", name="确认开始投票").click()
    ballot = Evaluation.objects.latest("pk").ballot
    _others_vote(ballot, {1: grade}, skip=())
    _close(phone, url, ballot)


def test_the_five_lists_on_a_phone(phone, live_server, demo_data):
    url = live_server.url
    phone.on("dialog", lambda dialog: dialog.accept())
    street = Street.objects.get(slug="wangchunmen")
    today = datetime.date.today()

    # 征集单: staff open the 2027 round; its page shows the QR code of the public form.
    _as(phone, url, "wangchunmen_staff")
    phone.goto(f"{url}/livelihood/")
    _fits(phone)
    phone.get_by_role("link", name="发起年度征集").click()
    phone.get_by_label("年度").fill("2027")
    phone.get_by_label("征集开始日期").fill(today.isoformat())
    phone.get_by_label("征集截止日期").fill((today + datetime.timedelta(days=20)).isoformat())
    phone.get_by_label("拟票决项目数（名额）").fill("1")
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_alt_text("公开征集二维码")).to_be_visible()
    round_ = LivelihoodRound.objects.get(street=street, year=2027)

    # A resident scans it: no login.
    phone.context.clear_cookies()
    phone.goto(f"{url}/p/livelihood/{round_.token}/propose/")
    _fits(phone)
    phone.get_by_label("项目名称").fill("小区加装电动车充电桩")
    phone.get_by_label("项目内容").fill("楼道里充电有火灾隐患，希望集中建设充电棚。")
    phone.get_by_label("您的姓名").fill("李先生")
    phone.wait_for_timeout(3100)  # a person takes longer than 3 s (the signed time stamp)
    phone.get_by_role("button", name="提交建议").click()
    expect(phone.locator("#candidate-received")).to_be_visible()

    # A deputy proposes in their own name.
    _as(phone, url, "wangchunmen_deputy")
    phone.goto(f"{url}/livelihood/{round_.pk}/")
    phone.get_by_role("link", name="提出候选项目").click()
    phone.get_by_label("项目名称").fill("背街小巷照明改造")
    phone.get_by_label("项目内容").fill("三条小巷夜间无照明。")
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("已提出候选项目：背街小巷照明改造")).to_be_visible()
    staff = User.objects.get(username="wangchunmen_staff")
    services.candidate_submit(
        by=staff,
        round=round_,
        title="修建大型停车场",
        description="投资大",
        proposer_kind=ProposerKind.DEPARTMENT,
        proposer_name="城管办",
    )

    # Staff screen: the two accepted, the car park rejected with its reason; then publish.
    _as(phone, url, "wangchunmen_staff")
    phone.goto(f"{url}/livelihood/{round_.pk}/candidates/")
    _fits(phone)
    for title in ("小区加装电动车充电桩", "背街小巷照明改造"):
        phone.get_by_role("link", name=re.compile(title)).click()
        phone.get_by_label("筛选结果").select_option(label="列入候选")
        phone.get_by_role("button", name="保存筛选结果").click()
        expect(phone.get_by_text(f"已筛选：{title}")).to_be_visible()
    phone.get_by_role("link", name=re.compile("修建大型停车场")).click()
    phone.get_by_label("筛选结果").select_option(label="不予列入")
    phone.get_by_role("button", name="保存筛选结果").click()
    expect(phone.get_by_text("不予列入须说明理由")).to_be_visible()
    phone.get_by_label("理由").fill("超出街道财力")
    phone.get_by_role("button", name="保存筛选结果").click()
    expect(phone.get_by_text("理由：超出街道财力")).to_be_visible()
    phone.goto(f"{url}/livelihood/{round_.pk}/")
    phone.get_by_role("button", name="公布候选项目清单").click()
    expect(phone.get_by_text("候选项目清单已公布。")).to_be_visible()

    # 票决单 at the council meeting (agenda "票决街道民生实事"): the deputy on the phone, one deputy on paper.
    phone.get_by_role("link", name="在居民议事会会议上票决").click()
    phone.get_by_label("居民议事会会议").select_option(value=str(_council_meeting(datetime.date(2025, 12, 24)).pk))
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("已生成票决")).to_be_visible()
    phone.get_by_role("link", name="开始投票").click()
    phone.get_by_role("button", name="确认开始投票").click()
    ballot = Ballot.objects.get(pk=LivelihoodRound.objects.get(pk=round_.pk).vote_ballot_id)
    first = ballot.questions.get(label="小区加装电动车充电桩").position
    yes_first = {q.position: "yes" if q.position == first else "no" for q in ballot.questions.all()}
    _others_vote(ballot, yes_first, skip={"wangchunmen_deputy", "wangchunmen_deputy100"})
    _as(phone, url, "wangchunmen_deputy")
    phone.goto(f"{url}/ballots/{ballot.pk}/vote/")
    _fits(phone)
    phone.locator("fieldset").nth(first - 1).locator("label", has_text=re.compile("^赞成$")).click()
    phone.locator("fieldset").nth(2 - first).locator("label", has_text=re.compile("^反对$")).click()
    phone.get_by_role("button", name="提交投票").click()
    expect(phone.get_by_text("投票成功")).to_be_visible()
    _as(phone, url, "wangchunmen_staff")
    paper_voter = Voter.objects.get(ballot=ballot, user__username="wangchunmen_deputy100")
    ballots.paper_issue(by=staff, voter=paper_voter)  # marked on the roll at the table
    phone.goto(f"{url}/ballots/{ballot.pk}/")
    phone.get_by_role("link", name="宣布投票结束").click()
    phone.get_by_role("button", name="确认宣布投票结束").click()
    phone.get_by_role("link", name="录入纸质选票").click()
    phone.get_by_label("选票编号").fill(PaperBallot.objects.filter(ballot=ballot).order_by("code").first().code)
    phone.locator("fieldset").nth(first - 1).locator("label", has_text="赞成").click()
    phone.locator("fieldset").nth(2 - first).locator("label", has_text="反对").click()
    phone.get_by_role("button", name="录入这张选票").click()
    _close(phone, url, ballot)
    phone.goto(f"{url}/livelihood/{round_.pk}/")
    phone.get_by_role("link", name=re.compile("小区加装电动车充电桩")).click()
    project = round_.projects.get()
    assert project.candidate.vote_status == "elected"

    # 交办单: the street office, plan, budget, milestones, deadline, supervisors.
    phone.get_by_role("link", name="交办").click()
    office = HandlingUnit.objects.get(street=street, kind=UnitKind.OFFICE)
    phone.get_by_label("承办单位").select_option(value=str(office.pk))
    phone.get_by_label("完成时限").fill((today + datetime.timedelta(days=90)).isoformat())
    phone.get_by_label("项目节点").fill(
        f"{today + datetime.timedelta(days=30)} 完成选址和设计\n{today + datetime.timedelta(days=80)} 建成投用"
    )
    deputy = User.objects.get(username="wangchunmen_deputy")
    phone.get_by_label("督办人（人大代表、居民议事员）").select_option(value=str(deputy.pk))
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("已交办")).to_be_visible()
    expect(phone.get_by_text("完成选址和设计")).to_be_visible()

    # 督办单: the unit finds the month's progress on its home page and reports it.
    _as(phone, url, "wangchunmen_handling_unit")
    phone.get_by_role("link", name=re.compile("报送民生实事项目月度进展：小区加装电动车充电桩")).click()
    phone.get_by_role("link", name="报送本月进展").click()
    _fits(phone)
    phone.get_by_label("完成进度（%）").fill("40")
    phone.get_by_label("本月进展情况").fill("已完成选址，正在设计。")
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("已报送本月进展。")).to_be_visible()
    expect(phone.get_by_role("link", name="报送本月进展")).to_have_count(0)

    # 测评单: 不满意 → rectification → 满意.
    _as(phone, url, "wangchunmen_staff")
    phone.goto(f"{url}/livelihood/{round_.pk}/")
    _evaluate(phone, url, "小区加装电动车充电桩", "unsatisfied")
    project.refresh_from_db()
    assert project.state == ProjectState.RECTIFYING
    phone.goto(f"{url}/livelihood/projects/{project.pk}/")
    expect(phone.get_by_text("不满意").first).to_be_visible()
    phone.get_by_role("link", name="提出整改要求").click()
    phone.get_by_label("整改要求").fill("充电棚未设置消防设施，请补齐。")
    phone.get_by_label("整改期限").fill((today + datetime.timedelta(days=30)).isoformat())
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("已提出整改要求")).to_be_visible()
    _as(phone, url, "wangchunmen_handling_unit")
    phone.goto(f"{url}/livelihood/projects/{project.pk}/")
    phone.get_by_role("link", name="整改完成").click()
    phone.get_by_label("整改情况").fill("已安装灭火器和烟感报警。")
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("整改已完成，可再次测评。")).to_be_visible()
    _as(phone, url, "wangchunmen_staff")
    phone.goto(f"{url}/livelihood/{round_.pk}/")
    _evaluate(phone, url, "小区加装电动车充电桩", "satisfied")
    project.refresh_from_db()
    assert project.state == ProjectState.FINISHED
    assert list(project.grades.order_by("pk").values_list("grade", flat=True)) == ["unsatisfied", "satisfied"]

    # Anyone follows the project on its public page.
    phone.context.clear_cookies()
    phone.goto(f"{url}/p/livelihood/projects/{project.token}/")
    _fits(phone)
    expect(phone.get_by_text("已完成选址，正在设计。")).to_be_visible()
    expect(phone.get_by_text("已办结").first).to_be_visible()
    assert round_.candidates.filter(decision=Decision.REJECTED, reason="超出街道财力").exists()
    assert not phone.console_errors
