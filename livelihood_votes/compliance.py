"""Chapter 7 rules (Art 17, 6(2)): the five lists completed in their year, deputies and council members in every
stage, a featured project supervised to the end, the vote at a council meeting. Each rule reads the window's rounds
with one query for all streets (`_rounds`) and judges each street's round with a small function."""

from types import SimpleNamespace

from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.ballots.models import BallotState, Participation
from committee.ballots.rules import Status as VoteStatus
from committee.compliance.registry import Evidence, Period, Result, Status, count_status, register
from livelihood_votes.models import (
    Candidate,
    Evaluation,
    EvaluationGrade,
    Grade,
    LivelihoodProject,
    LivelihoodRound,
    ProgressReport,
    ProjectState,
    ProposerKind,
    SupervisionCheck,
)
from meetings.models import MeetingKind

FINISHED_GRADES = (Grade.SATISFIED, Grade.BASIC)
RUNOFF = VoteStatus.RUNOFF


def _n(queryset):
    """The number of a round's rows as a subquery (no join: counts stay right and cheap however many rows)."""
    counted = queryset.filter(round=OuterRef("pk")).order_by().values("round").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


def _rounds(streets, window):
    """The round of the window's year per street, with what the rules count (one query)."""
    projects = LivelihoodProject.objects.all()
    under_way = projects.exclude(state=ProjectState.PASSED)
    rows = (
        LivelihoodRound.objects.filter(street__in=streets, year=window.start.year)
        .annotate(
            vote_state=F("vote_ballot__state"),
            meeting_kind=F("vote_meeting__kind"),
            meeting_date=F("vote_meeting__date"),
            project_count=_n(projects),
            unassigned=_n(projects.filter(state=ProjectState.PASSED)),
            unreported=_n(projects.filter(~Exists(ProgressReport.objects.filter(project=OuterRef("pk"))))),
            ungraded=_n(projects.filter(~Exists(EvaluationGrade.objects.filter(project=OuterRef("pk"))))),
            unchecked=_n(under_way.filter(~Exists(SupervisionCheck.objects.filter(project=OuterRef("pk"))))),
            runoff_pending=_n(Candidate.objects.filter(vote_status=RUNOFF)),
            member_candidates=_n(
                Candidate.objects.filter(proposer_kind__in=(ProposerKind.DEPUTY, ProposerKind.COUNCIL_MEMBER))
            ),
            evaluated=_n(Evaluation.objects.filter(ballot__state=BallotState.CLOSED)),
            featured=_n(projects.filter(featured=True)),
            featured_finished=_n(
                projects.filter(featured=True, state=ProjectState.FINISHED, grades__grade__in=FINISHED_GRADES)
            ),
            voted=Exists(Participation.objects.filter(ballot_id=OuterRef("vote_ballot_id"))),
        )
        .values(
            "street_id",
            "vote_ballot_id",
            "candidates_published_on",
            "passed_published_on",
            "vote_state",
            "meeting_kind",
            "meeting_date",
            "project_count",
            "unassigned",
            "unreported",
            "ungraded",
            "unchecked",
            "member_candidates",
            "runoff_pending",
            "evaluated",
            "featured",
            "featured_finished",
            "voted",
        )
    )
    # Plain values, no model instances: the grid judges hundreds of streets (committee/compliance, "summary").
    return {row["street_id"]: SimpleNamespace(**row) for row in rows}


def round_evidence(street, window, today) -> list[Evidence]:
    """The evidence part of every chapter 7 rule: the street's round of the year (its page shows each list)."""
    rounds = LivelihoodRound.objects.filter(street=street, year=window.start.year)
    return [Evidence(str(r), r.get_absolute_url(), r.candidates_published_on) for r in rounds]


def _vote_closed(round_) -> bool:
    return round_.vote_state == BallotState.CLOSED


def stages(round_) -> list[tuple[str, bool]]:
    """17(1): the five lists, each done or not."""
    has = round_.project_count > 0
    return [
        (_("征集单"), round_.candidates_published_on is not None),
        # A tie at the last place that did not fit leaves the list open until its run-off is held and counted.
        (_("票决单"), _vote_closed(round_) and round_.passed_published_on is not None and not round_.runoff_pending),
        (_("交办单"), has and round_.unassigned == 0),
        (_("督办单"), has and round_.unreported == 0),
        (_("测评单"), has and round_.ungraded == 0),
    ]


def participation(round_) -> list[tuple[str, bool]]:
    """17(2): deputies and council members in every stage (they propose, vote, supervise and evaluate)."""
    has = round_.project_count > 0
    return [
        (_("提出候选项目"), round_.member_candidates > 0),
        (_("票决"), bool(round_.voted)),
        (_("督查"), has and round_.unchecked == 0 and round_.unassigned == 0),
        (_("测评"), round_.evaluated > 0),
    ]


def _judge(streets, window, today, steps, none_message):
    rounds = _rounds(streets, window)
    results = {}
    for street in streets:
        round_ = rounds.get(street.pk)
        if round_ is None:
            results[street.pk] = Result(count_status(0, 1, window, today), none_message)
            continue
        marks = steps(round_)
        done = sum(1 for _label, ok in marks if ok)
        summary = "；".join(f"{label}{'✓' if ok else '✗'}" for label, ok in marks)
        results[street.pk] = Result(count_status(done, len(marks), window, today), summary)
    return results


@register(
    id="17(1)",
    description=gettext_lazy("民生实事项目按征集、票决、交办、督办、测评“五单”流程在本年度完成"),
    period=Period.YEAR,
)
def five_lists_each_year(streets, window, today):
    return _judge(streets, window, today, stages, _("本年度尚未发起民生实事征集"))


five_lists_each_year.evidence(round_evidence)


@register(
    id="17(2)",
    description=gettext_lazy("人大代表和居民议事员参与民生实事项目的每个环节"),
    period=Period.YEAR,
)
def deputies_and_members_take_part(streets, window, today):
    return _judge(streets, window, today, participation, _("本年度尚未发起民生实事征集"))


deputies_and_members_take_part.evidence(round_evidence)


@register(
    id="17(3)",
    description=gettext_lazy("每年至少打造1个有特色、有成效的民生实事项目并跟踪督办到底"),
    period=Period.YEAR,
)
def featured_project(streets, window, today):
    rounds = _rounds(streets, window)
    results = {}
    for street in streets:
        round_ = rounds.get(street.pk)
        done = round_.featured_finished if round_ else 0
        if done:
            summary = _("特色项目已办结并通过测评")
        elif round_ and round_.featured:
            summary = _("已确定特色项目，尚未办结测评")
        else:
            summary = _("尚未确定特色项目")
        results[street.pk] = Result(count_status(done, 1, window, today), summary)
    return results


featured_project.evidence(round_evidence)


@register(
    id="6(2)",
    description=gettext_lazy("在居民议事会会议上票决街道民生实事"),
    period=Period.YEAR,
)
def vote_at_council_meeting(streets, window, today):
    rounds = _rounds(streets, window)
    results = {}
    for street in streets:
        round_ = rounds.get(street.pk)
        held = bool(
            round_
            and round_.meeting_kind == MeetingKind.COUNCIL
            and window.contains(round_.meeting_date)
            and _vote_closed(round_)
        )
        if held:
            results[street.pk] = Result(
                Status.MET,
                _("%(d)s居民议事会会议票决") % {"d": f"{round_.meeting_date:%Y年%-m月%-d日}"},
            )
        else:
            summary = _("已发起票决，尚未完成") if round_ and round_.vote_ballot_id else _("本年度尚未票决")
            results[street.pk] = Result(count_status(0, 1, window, today), summary)
    return results


@vote_at_council_meeting.evidence
def vote_at_council_meeting_evidence(street, window, today):
    rounds = LivelihoodRound.objects.filter(street=street, year=window.start.year).select_related("vote_meeting")
    evidence = []
    for round_ in rounds:
        meeting = round_.vote_meeting
        if meeting is not None:
            evidence.append(Evidence(str(meeting), meeting.get_absolute_url(), meeting.date))
        evidence.append(Evidence(str(round_), round_.get_absolute_url(), round_.candidates_published_on))
    return evidence
