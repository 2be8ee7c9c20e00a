"""Demo livelihood projects: per street a 2025 round finished (collected, screened, voted at the first 2025 council
meeting, assigned, reported on monthly, checked by the supervisors, evaluated at the next council meeting; one
project 不满意, rectified and evaluated 满意 at the 2026 meeting) and a 2026 round in progress (voted at the 2026
council meeting, assigned, monthly progress to November, one milestone overdue with its 督办函, one overdue without).

Reads what other steps made from the database (council meetings, the street office's unit, the deputies and
council members); per street five 民生微实事 of 2026, one in each state (proposed, approved, under way, finished and
rated by its proposer, declined); idempotent: a street that has its 2025 round (its micro projects) is left as it
is."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from committee import demo
from committee.ballots import services as ballots
from committee.ballots.models import PaperBallot, PaperState, Voter
from committee.models import Street, User
from committee.roles import Role
from livelihood_votes import micro, services
from livelihood_votes.models import (
    Decision,
    LivelihoodProject,
    LivelihoodRound,
    ProgressReport,
    ProjectKind,
    ProposerKind,
)
from meetings.models import Meeting, MeetingKind
from supervision.models import HandlingUnit, UnitKind

D = datetime.date
# (title, description, place, budget, category, proposer kind, proposer name)
CANDIDATES = {
    2025: [
        (
            "老旧小区雨污分流改造",
            "对辖区3个老旧小区实施雨污分流，解决雨天污水外溢问题。",
            "建设路社区",
            "180",
            "infrastructure",
        ),
        ("农贸市场提质改造", "改造农贸市场排水、照明和摊位，规范经营秩序。", "中心农贸市场", "120", "environment"),
        ("背街小巷路灯亮化", "为12条背街小巷安装太阳能路灯。", "辖区背街小巷", "45", "safety"),
        ("社区居家养老服务站", "新建1个居家养老服务站，提供助餐、日间照料。", "东风社区", "90", "elderly"),
        ("社区健身广场", "建设小型健身广场一处，配置健身器材。", "湘乡路口", "60", "education"),
        ("老旧小区雨污分流", "小区下雨就污水外溢，希望改造管网。", "建设路", "", "infrastructure"),  # a duplicate
        ("修建地下停车场", "在街道中心区修建大型地下停车场。", "中心区", "5000", "infrastructure"),  # rejected
    ],
    2026: [
        ("学校周边交通安全设施", "在两所小学周边设置护栏、减速带和信号灯。", "第一小学、第二小学周边", "70", "safety"),
        ("老旧小区加装电梯试点", "选择2栋老旧住宅试点加装电梯。", "望春门社区", "150", "infrastructure"),
        ("社区卫生服务站提质", "改造社区卫生服务站，增设慢病管理室。", "新街社区", "80", "health"),
        ("河道沿岸环境整治", "清理河道沿岸垃圾，修建步道。", "涟水河沿岸", "110", "environment"),
        ("社区图书室", "建设社区图书室并配置图书。", "红旗社区", "30", "education"),
    ],
}
KINDS = [
    ProposerKind.RESIDENT,
    ProposerKind.DEPUTY,
    ProposerKind.COUNCIL_MEMBER,
    ProposerKind.COMMUNITY,
    ProposerKind.DEPARTMENT,
]
MILESTONES = [
    ("完成方案设计和预算评审", 7, 31),
    ("完成招标和施工准备", 8, 31),
    ("完成施工", 10, 31),
    ("竣工验收", 12, 31),
]
PHOTO = (  # a 1×1 PNG: the check's photo in the demo
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00"
    b"\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


@demo.step(after=["supervision", "meetings", "ballots"])
@transaction.atomic
def seed(*, background: bool = False) -> None:
    for street in Street.objects.select_related("committee").filter(slug__in=demo.STREET_SLUGS).order_by("pk"):
        council = list(
            Meeting.objects.filter(street=street, kind=MeetingKind.COUNCIL, date__year__lte=2026).order_by("date")
        )
        staff = User.objects.get(username=f"{street.slug}_{Role.STAFF}")
        people = {
            "staff": staff,
            "deputy": User.objects.get(username=f"{street.slug}_{Role.DEPUTY}"),
            "council": User.objects.get(username=f"{street.slug}_{Role.COUNCIL_MEMBER}"),
            "unit_user": User.objects.get(username=f"{street.slug}_{Role.HANDLING_UNIT}"),
        }
        office = HandlingUnit.objects.filter(street=street, kind=UnitKind.OFFICE).order_by("pk").first()
        if not LivelihoodProject.objects.filter(street=street, kind=ProjectKind.MICRO).exists():
            _micro(street, people, office, background)
        if len(council) < 3 or LivelihoodRound.objects.filter(street=street, year=2025).exists():
            continue
        other = HandlingUnit.objects.filter(street=street, kind=UnitKind.DEPARTMENT).order_by("pk").first()
        units = [office, other or office]
        first = _round(street, people, 2025, council[0], units, background)
        _evaluate(first, people, council[1], background, unsatisfied_last=True)
        rectifying = first.projects.get(state="rectifying")
        grade = rectifying.grades.get()
        rectification = services.rectification_set(
            by=staff,
            grade=grade,
            requirements="路面修复不到位，部分管网接口仍有渗漏，请返工并补齐验收资料。",
            deadline=D(2026, 4, 30),
            today=D(2025, 12, 25),
        )
        services.rectification_done(
            by=people["unit_user"] if rectifying.unit == office else staff,
            rectification=rectification,
            report="已完成返工和管网检测，验收资料已补齐。",
            today=D(2026, 4, 20),
        )
        _evaluate(first, people, council[2], background, unsatisfied_last=False)
        _round(street, people, 2026, council[2], units, background)


# 民生微实事 of 2026, one in each state: (title, description, place, proposer, how far it got)
MICRO = [
    ("小区门口增设休闲座椅", "小区门口老人多，希望增设3张休闲座椅。", "东风社区东风小区", "resident", "proposed"),
    ("楼道安装声控灯", "3栋楼道没有照明，晚上上下楼不安全。", "建设路社区3栋", "deputy", "passed"),
    ("修建小区门前台阶扶手", "门前台阶陡，老人上下不便，建议加装扶手。", "红旗社区", "council", "assigned"),
    ("社区广场增设晾晒架", "居民晾晒被褥没有地方，建议在广场边增设晾晒架。", "望春门社区广场", "community", "finished"),
    ("在主干道设置临时摊位", "希望在主干道两侧设置夜市摊位。", "解放路", "resident", "declined"),
]


def _micro(street, people, unit, background) -> None:
    staff = people["staff"]
    for n, (title, description, place, proposer, stage) in enumerate(MICRO):
        proposed_on = D(2026, 3 + n, 10)
        common = {"street": street, "title": title, "description": description, "place": place, "today": proposed_on}
        if proposer == "resident":
            project = micro.micro_propose(proposer_name="居民李先生", proposer_phone="13807320000", **common)
        elif proposer == "community":
            project = micro.micro_propose(by=staff, proposer_name=f"{street.name}社区居委会", **common)
        else:
            project = micro.micro_propose(by=people[proposer], **common)
        if stage == "proposed":
            continue
        if stage == "declined":
            micro.micro_decline(by=staff, project=project, reason="占用主干道，存在交通安全隐患，不符合微实事范围。")
            continue
        micro.micro_approve(by=staff, project=project, budget=Decimal("2.5") + n)
        if stage == "passed":
            continue
        assigned_on = proposed_on + datetime.timedelta(days=20)
        services.project_assign(
            by=staff,
            project=project,
            unit=unit,
            plan=f"{description}由承办单位采购安装，完工后报人大街道工委验收。",
            budget=project.budget,
            deadline=assigned_on + datetime.timedelta(days=90),
            milestones=[("完成采购", assigned_on + datetime.timedelta(days=30))],
            supervisors=[people["deputy"]],
            background=background,
            today=assigned_on,
        )
        reporter = people["unit_user"] if services.is_unit_member(people["unit_user"], project) else staff
        month = services._next_month(assigned_on)
        if stage == "finished":
            services.progress_report(
                by=reporter, project=project, month=month, percent=100, text="已安装完成，居民已在使用。"
            )
        # Under way: reported every month up to the last one, so its reminder waits for this month's report.
        this_month = timezone.localdate().replace(day=1)
        while stage == "assigned" and month < this_month:
            percent = min(90, 40 + 10 * ProgressReport.objects.filter(project=project).count())
            services.progress_report(
                by=reporter, project=project, month=month, percent=percent, text="已完成采购，正在安装。"
            )
            month = services._next_month(month)
        services.supervision_check_add(
            by=people["deputy"],
            project=project,
            checked_on=assigned_on + datetime.timedelta(days=35),
            findings="现场查看，施工质量良好，居民反映满意。",
            photos=[ContentFile(PHOTO, name="现场.png")],
        )
        if stage == "finished":
            micro.micro_finish(by=staff, project=project, today=assigned_on + datetime.timedelta(days=60))
            micro.micro_rate(project=project, rating=5, comment="晾晒方便多了，谢谢！")


def _round(street, people, year, meeting, units, background) -> LivelihoodRound:
    staff = people["staff"]
    round_ = services.round_create(
        by=staff,
        street=street,
        year=year,
        title=f"{year}年度{street.name}民生实事项目",
        collection_starts=D(year, 1, 5),
        collection_ends=D(year, 3, 31),
        places=3,
    )
    candidates = []
    for n, (title, description, place, budget, category) in enumerate(CANDIDATES[year]):
        kind = KINDS[n % len(KINDS)]
        common = {
            "round": round_,
            "title": title,
            "description": description,
            "place": place,
            "estimated_budget": Decimal(budget) if budget else None,
            "category": category,
        }
        if kind == ProposerKind.RESIDENT:  # through the public form
            candidate = services.candidate_submit(proposer_name="居民张女士", today=D(year, 2, 10), **common)
        elif kind == ProposerKind.DEPUTY:
            candidate = services.candidate_submit(by=people["deputy"], **common)
        elif kind == ProposerKind.COUNCIL_MEMBER:
            candidate = services.candidate_submit(by=people["council"], **common)
        else:
            name = "建设路社区居委会" if kind == ProposerKind.COMMUNITY else "街道社会事务办公室"
            candidate = services.candidate_submit(by=staff, proposer_kind=kind, proposer_name=name, **common)
        candidates.append(candidate)
    if year == 2025:
        services.candidate_merge(by=staff, candidate=candidates[5], into=candidates[0])
        services.candidate_screen(
            by=staff,
            candidate=candidates[6],
            decision=Decision.REJECTED,
            reason="投资规模超出街道财力，建议转市级部门研究。",
        )
    for candidate in candidates[:5]:
        services.candidate_screen(by=staff, candidate=candidate, decision=Decision.ACCEPTED)
    services.candidates_publish(by=staff, round=round_, today=D(year, 4, 10))
    ballot = services.vote_create(by=staff, round=round_, meeting=meeting)
    _vote(ballot, staff, day=meeting.date, approve=lambda i: {1, 2, 3} if i % 4 else {1, 2, 4}, background=background)
    round_.refresh_from_db()
    assigned_on = meeting.date + datetime.timedelta(days=7)
    for n, project in enumerate(round_.projects.order_by("rank")):
        services.project_assign(
            by=staff,
            project=project,
            unit=units[0] if n < 2 else units[1],
            plan=f"{project.candidate.description}由承办单位组织实施，按节点推进，每月报送进展。",
            budget=project.candidate.estimated_budget,
            deadline=D(year, 12, 31),
            milestones=[(title, D(year, month, day)) for title, month, day in MILESTONES],
            supervisors=[people["deputy"], people["council"]],
            featured=n == 0,
            background=background,
            today=assigned_on,
        )
    _progress(round_, people, background)
    return round_


def _vote(ballot, staff, *, day, approve, background, grade=None):
    """Everyone on the roll votes on their phone except one deputy without an account, on a paper ballot."""
    ballots.ballot_open(by=staff, ballot=ballot, papers=1, background=background)
    demo.ballot_opened_on(ballot, day)
    positions = list(ballot.questions.order_by("position").values_list("position", flat=True))
    roll = list(Voter.objects.filter(ballot=ballot).select_related("user").order_by("position"))
    paper = roll[-1]

    def choices(i):
        if grade is not None:
            return {p: grade(i, p) for p in positions}
        yes = approve(i)
        return {p: "yes" if p in yes else "no" for p in positions}

    for i, voter in enumerate(roll[:-1]):
        ballots.ballot_cast(ballot=ballot, choices=choices(i), by=voter.user)
    ballots.paper_issue(by=staff, voter=paper)
    ballots.ballot_end_voting(by=staff, ballot=ballot)
    code = PaperBallot.objects.filter(ballot=ballot, state=PaperState.PRINTED).values_list("code", flat=True).first()
    ballots.paper_enter(by=staff, ballot=ballot, code=code, choices=choices(len(roll)))
    ballots.ballot_close(by=staff, ballot=ballot, background=background)


def _progress(round_, people, background):
    """Monthly reports from the month after the assignment to November (2026: up to last month), and the checks."""
    staff, unit_user = people["staff"], people["unit_user"]
    for project in round_.projects.select_related("unit").order_by("rank"):
        reporter = unit_user if services.is_unit_member(unit_user, project) else staff
        month = services._next_month(project.assigned_on)
        last = D(round_.year, 11, 1)
        percent = 10
        while month <= last:
            services.progress_report(
                by=reporter,
                project=project,
                month=month,
                percent=min(percent, 100),
                text=f"{month:%-m}月：按计划推进，完成{'设计' if percent < 30 else '施工'}相关工作。",
            )
            percent += 20
            month = services._next_month(month)
        services.supervision_check_add(
            by=people["deputy"],
            project=project,
            checked_on=project.assigned_on + datetime.timedelta(days=40),
            findings="现场查看施工进度，质量总体良好；提醒做好施工围挡和噪音控制。",
            photos=[ContentFile(PHOTO, name="现场.png")],
        )
        for milestone in project.milestones.order_by("position"):
            if round_.year == 2025 or milestone.position == 1:
                services.milestone_done(by=reporter, milestone=milestone, done_on=milestone.due_on)
        if round_.year == 2026 and project.rank == 1:
            overdue = project.milestones.get(position=2)
            services.milestone_follow_up(by=staff, milestone=overdue, background=background)


def _evaluate(round_, people, meeting, background, *, unsatisfied_last):
    projects = list(services.evaluable(round_))
    evaluation = services.evaluation_create(by=people["staff"], round=round_, meeting=meeting, projects=projects)
    last = max(q.position for q in evaluation.ballot.questions.all())

    def grade(i, position):
        if position == last and unsatisfied_last:
            return "unsatisfied" if i % 3 else "basic"
        return "satisfied" if i % 4 else "basic"

    _vote(evaluation.ballot, people["staff"], day=meeting.date, approve=None, background=background, grade=grade)
