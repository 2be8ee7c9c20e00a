"""Demo reports to constituents: per demo street, three deputies reported — the street's demo deputy in November
2025 (paper ballots counted by the tellers: 满意), a second deputy in June 2026 (paper: 基本满意) with three
constituents' comments, one of them passed into the loop, and a third in September 2026 before too few voter
representatives (flagged), surveyed by slip codes on phones (满意). Idempotent: a deputy's report on that day is
left as it is. A demo step (committee.demo), after the roster and the loop."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction

from committee import demo
from committee.ballots import services as ballots
from committee.ballots.models import PaperMode, Voter
from committee.documents.selectors import documents_for
from committee.models import Street, User
from deputies.models import Deputy
from deputies.reports import services
from deputies.reports.models import ConstituentReport

TEXT = (
    "一、履职基本情况：本届以来参加人大会议和常委会组织的视察调研、执法检查，联系选民，反映群众意见。\n"
    "二、为民办实事：推动背街小巷路灯亮化、老旧小区雨污分流改造。\n"
    "三、存在不足和今后打算：联系选民还不够经常，今后每季度至少到联络站接待一次。"
)
COMMENTS = [
    ("选民代表", "希望代表多到小区走走，听听老年人的意见。", False),
    ("选民代表", "小区门口的道路破损严重，雨天积水，请代表督促有关部门尽快修复。", True),
    ("", "代表的报告很实在，支持继续推进路灯亮化。", False),
]
# (index of the deputy, date, place, expected, present, mode, {option: votes})
REPORTS = [
    (
        0,
        datetime.date(2025, 11, 20),
        "社区党群服务中心会议室",
        60,
        56,
        PaperMode.COUNT_SHEET,
        {"satisfied": 42, "basic": 11, "unsatisfied": 1},
    ),
    (
        1,
        datetime.date(2026, 6, 18),
        "人大代表联络站",
        55,
        52,
        PaperMode.COUNT_SHEET,
        {"satisfied": 20, "basic": 24, "unsatisfied": 6},
    ),
    (
        2,
        datetime.date(2026, 9, 24),
        "社区居委会二楼会议室",
        50,
        38,
        PaperMode.NONE,
        {"satisfied": 7, "basic": 3, "unsatisfied": 1},
    ),
]


def _deputies(street):
    rows = Deputy.objects.filter(street=street, end_reason="", constituency__isnull=False).select_related("user")
    own = [d for d in rows if d.user.username == f"{street.slug}_deputy"]
    return own + [d for d in rows.order_by("pk") if d not in own]


def _survey(staff, report, mode, votes, background):
    ballot = services.survey_start(by=staff, report=report, paper=mode)
    ballots.ballot_open(
        by=staff, ballot=ballot, papers=report.present if mode != PaperMode.NONE else None, background=background
    )
    demo.ballot_opened_on(ballot, report.date, hour=15)
    cast = sum(votes.values())
    choices = [code for code, n in votes.items() for _ in range(n)]
    voters = list(Voter.objects.filter(ballot=ballot).order_by("position")[:cast])
    if mode == PaperMode.NONE:
        slips = documents_for(ballot).filter(template=ballots.SLIPS_TEMPLATE).first()
        codes = {s["name"]: s["code"] for s in slips.context["slips"]}
        for voter, choice in zip(voters, choices, strict=True):
            ballots.ballot_cast(ballot=ballot, choices={1: choice}, slip_code=codes[voter.name])
        ballots.ballot_end_voting(by=staff, ballot=ballot)
        explanation = ""
    else:
        services.survey_issue_papers(by=staff, report=report)
        ballots.ballot_end_voting(by=staff, ballot=ballot)
        ballots.count_sheet_enter(
            by=staff,
            ballot=ballot,
            returned=cast,
            valid=cast,
            invalid=0,
            totals={1: votes},
            tellers="王敏、李娜",
            scrutineers="张伟",
            background=background,
        )
        explanation = "部分选民代表测评前提前离场，未交回测评票。" if cast < report.present else ""
    ballots.ballot_close(by=staff, ballot=ballot, explanation=explanation, background=background)


@demo.step(after=["ballots", "deputies", "supervision"])
@transaction.atomic
def seed(*, background: bool = False) -> None:
    for street in Street.objects.filter(slug__in=demo.STREET_SLUGS).order_by("pk"):
        staff = User.objects.filter(username=f"{street.slug}_staff").first()
        deputies = _deputies(street)
        if staff is None or len(deputies) < len(REPORTS):
            continue
        for index, day, place, expected, present, mode, votes in REPORTS:
            deputy = deputies[index]
            if ConstituentReport.objects.filter(deputy=deputy, date=day).exists():
                continue
            report = services.report_record(
                by=staff,
                deputy=deputy,
                constituency=deputy.constituency,
                date=day,
                place=place,
                expected=expected,
                present=present,
                text=TEXT,
                file=ContentFile(TEXT.encode(), name="述职报告.txt") if index == 2 else None,
            )
            if index == 1:
                for name, content, to_case in COMMENTS:
                    comment = services.comment_add(by=staff, report=report, content=content, name=name)
                    if to_case:
                        services.comment_to_case(
                            by=staff, comment=comment, category="市政设施", registered_at=demo.past(day, 17)
                        )
            _survey(staff, report, mode, votes, background)
