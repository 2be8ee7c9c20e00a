"""Demo ballots: per street, one closed satisfaction evaluation (满意度测评) by the residents' council with its results
published: the council members and the street's demo deputy vote on their phones, one voter without an account
with the code on a printed slip, one with a paper ballot entered by the tellers, one council member with a paper
ballot. The three projects come out 满意, 基本满意 and 不满意. Deterministic in its choices (not in its random
codes) and idempotent: a street that has the demo ballot is left as it is.

A demo step (committee.demo): it reads the council members and the demo deputy the core's step creates;
`background=True` leaves the PDFs to the worker."""

import datetime

from django.db import transaction

from committee import demo
from committee.ballots import services
from committee.ballots.models import Ballot, PaperBallot, PaperMode, PaperState, Voter
from committee.documents.selectors import documents_for
from committee.models import Membership, ResidentsCouncil, Street, User
from committee.roles import Role

TITLE = "2025年度民生实事项目满意度测评（演示）"
HELD_ON = datetime.date(2026, 1, 16)  # the council's first meeting of the year
PROJECTS = ["老旧小区雨污分流改造", "农贸市场提质改造", "背街小巷路灯亮化"]
OTHER_VOTERS = ["居民代表（无账号，凭条投票）", "居民代表（无账号，纸质选票）"]


def _graded_choices(index: int) -> dict[int, str]:
    """The voter at `index` votes along a fixed pattern, so each project's grade is the intended one whatever
    the roll's size: 满意 for the first project, 基本满意 for the second, 不满意 for the third (mostly)."""
    pattern = [
        {1: "satisfied", 2: "basic", 3: "unsatisfied"},
        {1: "satisfied", 2: "satisfied", 3: "basic"},
        {1: "satisfied", 2: "basic", 3: "unsatisfied"},
        {1: "basic", 2: "unsatisfied", 3: "unsatisfied"},
    ]
    return pattern[index % len(pattern)]


@demo.step()
@transaction.atomic
def seed(*, background: bool = False) -> None:
    for street in (
        Street.objects.select_related("committee", "municipality").filter(slug__in=demo.STREET_SLUGS).order_by("pk")
    ):
        if Ballot.objects.filter(street=street, title=TITLE).exists():
            continue
        staff = User.objects.filter(username=f"{street.slug}_staff").first()
        council = ResidentsCouncil.objects.filter(street=street).first()
        if staff is None or council is None:
            continue
        members = list(
            User.objects.filter(
                pk__in=Membership.objects.active().filter(street=street, role=Role.COUNCIL_MEMBER).values("user_id")
            ).order_by("username")
        )
        deputy = User.objects.filter(username=f"{street.slug}_deputy").first()
        voters = members + ([deputy] if deputy else [])
        if not voters:
            continue
        ballot = services.ballot_create(
            by=staff,
            street=street,
            subject=council,
            title=TITLE,
            rule="satisfaction_grades",
            questions=PROJECTS,
            voters=voters,
            other_voters=OTHER_VOTERS,
            electronic=True,
            paper=PaperMode.BALLOTS,
            paper_spares=0,
        )
        # Two voters take paper ballots: print just those (a real ballot prints one per voter plus spares).
        services.ballot_open(by=staff, ballot=ballot, papers=2, background=background)
        demo.ballot_opened_on(ballot, HELD_ON)
        paper_member = members[-1] if len(members) > 1 else None
        index = 0
        for user in voters:
            if user == paper_member:
                continue
            services.ballot_cast(ballot=ballot, choices=_graded_choices(index), by=user)
            index += 1
        slips = documents_for(ballot).filter(template=services.SLIPS_TEMPLATE).first()
        slip_code = next(s["code"] for s in slips.context["slips"] if s["name"] == OTHER_VOTERS[0])
        services.ballot_cast(ballot=ballot, choices=_graded_choices(index), slip_code=slip_code)
        index += 1
        paper_voters = list(Voter.objects.filter(ballot=ballot, name=OTHER_VOTERS[1]))
        if paper_member is not None:
            paper_voters += list(Voter.objects.filter(ballot=ballot, user=paper_member))
        for voter in paper_voters:
            services.paper_issue(by=staff, voter=voter)
        services.ballot_end_voting(by=staff, ballot=ballot)
        codes = PaperBallot.objects.filter(ballot=ballot, state=PaperState.PRINTED).order_by("code")
        for code in list(codes.values_list("code", flat=True))[: len(paper_voters)]:
            services.paper_enter(by=staff, ballot=ballot, code=code, choices=_graded_choices(index))
            index += 1
        services.ballot_close(by=staff, ballot=ballot, background=background)
