"""Every write of the five lists. Keyword-only arguments, the acting user `by`, one transaction each, the capability
checked inside; refusals are `ValidationError`s in Chinese. The votes go through the ballot engine
(`committee.ballots.services`); its `ballot_closed` / `ballot_recounted` signals record the passed list and the
grades (`on_ballot_closed`, connected in apps.py)."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.ballots import services as ballots
from committee.ballots.models import Ballot, BallotState, PaperMode, Question
from committee.ballots.rules import Status
from committee.documents.models import DocumentKind
from committee.documents.services import document_issue
from committee.models import Membership, Street, User
from committee.notices.services import notice_send, reminder_done, reminder_set
from committee.permissions import require
from committee.roles import Capability, Role
from committee.workdays import working_days_between
from livelihood_votes.models import (
    Candidate,
    CheckPhoto,
    Decision,
    Evaluation,
    EvaluationGrade,
    Grade,
    LivelihoodProject,
    LivelihoodRound,
    Milestone,
    ProgressReport,
    ProjectState,
    ProposerKind,
    Rectification,
    SupervisionCheck,
)
from meetings.models import AgendaItem, Meeting, MeetingKind, MeetingState
from supervision.models import HandlingUnit, HandlingUnitMember

VOTE_RULE = "approval_majority_of_entitled"
EVALUATION_RULE = "satisfaction_grades"
VOTE_AGENDA_ITEM = "票决街道民生实事"  # Art 6(2)
ASSIGNMENT_TEMPLATE = "livelihood_votes/assignment_pdf.html"
FOLLOW_UP_TEMPLATE = "livelihood_votes/follow_up_pdf.html"
PROGRESS_DAY = 25  # the unit reports each month's progress by this day (reminded 3 working days before)
MANAGE, PROPOSE = Capability.MANAGE_LIVELIHOOD, Capability.PROPOSE_LIVELIHOOD


def _locked_round(round_: LivelihoodRound) -> LivelihoodRound:
    return LivelihoodRound.objects.select_for_update(of=("self",)).select_related("street").get(pk=round_.pk)


def _locked_project(project: LivelihoodProject) -> LivelihoodProject:
    return (
        LivelihoodProject.objects.select_for_update(of=("self",))
        .select_related("street__committee", "round", "unit")
        .get(pk=project.pk)
    )


def voters(street: Street, on: datetime.date):
    """Who votes and supervises (Art 17(1)–(2)): the street's deputies and residents' council members holding office
    on the day."""
    return User.objects.filter(
        pk__in=Membership.objects.active(on)
        .filter(street=street, role__in=(Role.DEPUTY, Role.COUNCIL_MEMBER))
        .values("user_id")
    ).order_by("full_name", "pk")


def unit_users(unit: HandlingUnit) -> list[User]:
    return [m.user for m in HandlingUnitMember.objects.filter(unit=unit).select_related("user")]


def is_unit_member(user: User, project: LivelihoodProject) -> bool:
    return (
        project.unit_id is not None
        and user.is_authenticated
        and HandlingUnitMember.objects.filter(user=user, unit_id=project.unit_id).exists()
    )


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


# --- 征集单: the round and its candidates ------------------------------------------------------------------------
@transaction.atomic
def round_create(
    *,
    by: User,
    street: Street,
    year: int,
    title: str,
    collection_starts: datetime.date,
    collection_ends: datetime.date,
    places: int,
) -> LivelihoodRound:
    require(by, MANAGE, street)
    if collection_ends < collection_starts:
        raise ValidationError({"collection_ends": _("征集截止日期不能早于开始日期。")})
    if collection_starts.year not in (year - 1, year):
        raise ValidationError({"collection_starts": _("征集应在本年度或上一年度开始。")})
    if LivelihoodRound.objects.filter(street=street, year=year).exists():
        raise ValidationError({"year": _("本街道该年度已有民生实事征集。")})
    if places < 1:
        raise ValidationError({"places": _("名额至少为1个。")})
    return LivelihoodRound.objects.create(
        street=street,
        year=year,
        title=title.strip() or _("%(year)d年度街道民生实事项目") % {"year": year},
        collection_starts=collection_starts,
        collection_ends=collection_ends,
        places=places,
        created_by=by,
    )


def _proposer_kind(by: User, street: Street) -> str:
    roles = {m.role for m in by.active_memberships if m.street_id == street.pk}
    if Role.DEPUTY in roles:
        return ProposerKind.DEPUTY
    return ProposerKind.COUNCIL_MEMBER


@transaction.atomic
def candidate_submit(
    *,
    round: LivelihoodRound,
    title: str,
    description: str,
    place: str = "",
    estimated_budget: Decimal | None = None,
    category: str = "other",
    proposer_name: str = "",
    proposer_kind: str = "",
    proposer_phone: str = "",
    by: User | None = None,
    today: datetime.date | None = None,
) -> Candidate:
    """A candidate: from the public form (`by=None`, a resident, within the collection window), from a deputy or
    council member (their own name and kind), or entered by committee staff for anyone (a community, a department)."""
    round_ = _locked_round(round)
    today = today or timezone.localdate()
    if round_.candidates_published_on is not None:
        raise ValidationError(_("候选项目清单已公布，征集已结束。"))
    if by is None:
        if not round_.is_collecting(today):
            raise ValidationError(_("当前不在征集期内（%(s)s至%(e)s）。") % _window(round_))
        kind = ProposerKind.RESIDENT
    elif by.has_capability(MANAGE, round_.street):
        kind = proposer_kind or ProposerKind.RESIDENT
    else:
        require(by, PROPOSE, round_.street)
        kind, proposer_name = _proposer_kind(by, round_.street), by.full_name
    if kind not in ProposerKind.values:
        raise ValidationError({"proposer_kind": _("请选择提出方。")})
    if not title.strip() or not description.strip():
        raise ValidationError(_("请填写项目名称和项目内容。"))
    if not proposer_name.strip():
        raise ValidationError({"proposer_name": _("请填写提出人或单位。")})
    if estimated_budget is not None and estimated_budget < 0:
        raise ValidationError({"estimated_budget": _("估算资金不能为负数。")})
    return Candidate.objects.create(
        street=round_.street,
        round=round_,
        title=title.strip(),
        description=description.strip(),
        place=place.strip(),
        estimated_budget=estimated_budget,
        category=category,
        proposer_kind=kind,
        proposer_name=proposer_name.strip(),
        proposer_phone=proposer_phone.strip(),
        submitted_by=by,
    )


def _window(round_: LivelihoodRound) -> dict:
    return {"s": f"{round_.collection_starts:%Y年%-m月%-d日}", "e": f"{round_.collection_ends:%Y年%-m月%-d日}"}


def _screenable(by: User, candidate: Candidate) -> LivelihoodRound:
    round_ = _locked_round(candidate.round)
    require(by, MANAGE, round_.street)
    if round_.candidates_published_on is not None:
        raise ValidationError(_("候选项目清单已公布，不能再筛选。"))
    return round_


@transaction.atomic
def candidate_screen(*, by: User, candidate: Candidate, decision: str, reason: str = "") -> Candidate:
    _screenable(by, candidate)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if decision not in (Decision.ACCEPTED, Decision.REJECTED, Decision.PENDING):
        raise ValidationError({"decision": _("请选择筛选结果。")})
    if candidate.decision == Decision.MERGED:
        raise ValidationError(_("该项目已合并，不能再筛选。"))
    if decision == Decision.REJECTED and not reason.strip():
        raise ValidationError({"reason": _("不予列入须说明理由。")})
    candidate.decision, candidate.reason = decision, reason.strip()
    candidate.screened_by, candidate.screened_at = by, timezone.now()
    candidate.save(update_fields=["decision", "reason", "screened_by", "screened_at"])
    return candidate


@transaction.atomic
def candidate_merge(*, by: User, candidate: Candidate, into: Candidate) -> Candidate:
    """A duplicate: merged into another candidate of the round, with whatever had been merged into it."""
    _screenable(by, candidate)
    if into.round_id != candidate.round_id or into.pk == candidate.pk:
        raise ValidationError({"into": _("只能合并到本轮征集的另一个项目。")})
    if into.decision == Decision.MERGED:
        raise ValidationError({"into": _("目标项目本身已被合并。")})
    Candidate.objects.filter(merged_into=candidate).update(merged_into=into)
    candidate.decision, candidate.merged_into, candidate.reason = Decision.MERGED, into, ""
    candidate.screened_by, candidate.screened_at = by, timezone.now()
    candidate.save(update_fields=["decision", "merged_into", "reason", "screened_by", "screened_at"])
    return candidate


@transaction.atomic
def candidates_publish(*, by: User, round: LivelihoodRound, today: datetime.date | None = None) -> LivelihoodRound:
    """The candidate list is published (public page): every candidate screened, more candidates than places."""
    round_ = _locked_round(round)
    require(by, MANAGE, round_.street)
    if round_.candidates_published_on is not None:
        return round_
    pending = round_.candidates.filter(decision=Decision.PENDING).count()
    if pending:
        raise ValidationError(_("还有 %(n)d 个项目尚未筛选。") % {"n": pending})
    accepted = round_.candidates.filter(decision=Decision.ACCEPTED).count()
    need = round_.places + ballots.default_min_extra()
    if accepted < need:
        raise ValidationError(
            _("差额票决：候选项目须比名额至少多%(extra)d个（名额%(p)d个，现有候选项目%(n)d个）。")
            % {"extra": ballots.default_min_extra(), "p": round_.places, "n": accepted}
        )
    round_.candidates_published_on = today or timezone.localdate()
    round_.save(update_fields=["candidates_published_on"])
    return round_


# --- 票决单: the vote at a council meeting ----------------------------------------------------------------------
def _check_council_meeting(round_: LivelihoodRound, meeting: Meeting, *, vote: bool) -> None:
    if meeting.street_id != round_.street_id or meeting.kind != MeetingKind.COUNCIL:
        raise ValidationError({"meeting": _("须在本街道的居民议事会会议上进行。")})
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError({"meeting": _("该会议已取消。")})
    if vote and not AgendaItem.objects.filter(meeting=meeting, title__contains=VOTE_AGENDA_ITEM).exists():
        raise ValidationError({"meeting": _("该会议议程中没有“票决街道民生实事”（第六条第二款）。")})


@transaction.atomic
def vote_create(*, by: User, round: LivelihoodRound, meeting: Meeting) -> Ballot:
    """票决单: a draft ballot (approve each candidate, at most `places` approvals, 差额) for the round's candidate
    list, voters the street's deputies and council members on the meeting's day, phones and paper ballots."""
    round_ = _locked_round(round)
    require(by, MANAGE, round_.street)
    if round_.candidates_published_on is None:
        raise ValidationError(_("请先筛选并公布候选项目清单。"))
    if round_.vote_ballot_id is not None:
        raise ValidationError(_("本轮已发起票决。"))
    _check_council_meeting(round_, meeting, vote=True)
    candidates = list(round_.candidates.filter(decision=Decision.ACCEPTED).order_by("created_at", "pk"))
    ballot = ballots.ballot_create(
        by=by,
        street=round_.street,
        subject=round_,
        title=_("%(title)s票决") % {"title": round_.title},
        rule=VOTE_RULE,
        questions=[(c.title, c) for c in candidates],
        voters=voters(round_.street, meeting.date),
        places=round_.places,
        paper=PaperMode.BALLOTS,
    )
    round_.vote_meeting, round_.vote_ballot = meeting, ballot
    round_.save(update_fields=["vote_meeting", "vote_ballot"])
    return ballot


@transaction.atomic
def runoff_create(*, by: User, round: LivelihoodRound, meeting: Meeting) -> Ballot:
    """另行票决: when candidates tied at the last place do not fit the places (status `runoff`), a draft ballot of
    those candidates alone for the places left, at a council meeting, under the vote's rule and roll. Its result
    is the round's: the elected become projects after the vote's, the others keep the run-off's status."""
    round_ = _locked_round(round)
    require(by, MANAGE, round_.street)
    if round_.runoff_ballot_id is not None:
        raise ValidationError(_("本轮已发起另行票决。"))
    if round_.vote_ballot_id is None or round_.vote_ballot.state != BallotState.CLOSED:
        raise ValidationError(_("票决结束后才能另行票决。"))
    tied = list(round_.candidates.filter(vote_status=Status.RUNOFF).order_by("created_at", "pk"))
    if not tied:
        raise ValidationError(_("本轮没有末位票数相同、须另行票决的项目。"))
    _check_council_meeting(round_, meeting, vote=True)
    places = round_.places - round_.projects.count()
    ballot = ballots.ballot_create(
        by=by,
        street=round_.street,
        subject=round_,
        title=_("%(title)s另行票决") % {"title": round_.title},
        rule=VOTE_RULE,
        questions=[(c.title, c) for c in tied],
        voters=voters(round_.street, meeting.date),
        places=max(places, 1),
        paper=PaperMode.BALLOTS,
        min_extra=0,
    )
    round_.runoff_ballot = ballot
    round_.save(update_fields=["runoff_ballot"])
    return ballot


def _record_vote(round_: LivelihoodRound, ballot: Ballot, result, *, runoff: bool = False) -> None:
    """The passed list (or its run-off): each candidate's status and yes votes; the elected become projects (a
    recount adds the newly elected; a project already under way stays, its candidate showing the recount's
    status). A run-off's elected rank after the vote's."""
    questions = {q.item_id: q.position for q in ballot.questions.all()}
    ahead = round_.projects.exclude(candidate_id__in=questions.keys()).count() if runoff else 0
    for candidate in Candidate.objects.filter(pk__in=questions.keys()):
        position = str(questions[candidate.pk])
        outcome = result.outcome["questions"][position]
        candidate.vote_status = outcome["status"]
        candidate.yes_votes = result.totals.get(position, {}).get("yes", 0)
        candidate.save(update_fields=["vote_status", "yes_votes"])
        if outcome["status"] == Status.ELECTED:
            LivelihoodProject.objects.get_or_create(
                candidate=candidate,
                defaults={
                    "street_id": round_.street_id,
                    "round": round_,
                    "title": candidate.title,
                    "rank": ahead + outcome["rank"],
                },
            )
    if not runoff:
        round_.passed_published_on = _decided_on(round_.vote_meeting)
        round_.save(update_fields=["passed_published_on"])


def _record_grades(evaluation: Evaluation, result) -> None:
    """测评单's result: 满意 / 基本满意 finish the project, 不满意 sends it to rectification."""
    today = _decided_on(evaluation.meeting)
    for question in evaluation.ballot.questions.all():
        grade = result.outcome["questions"][str(question.position)]["status"]
        EvaluationGrade.objects.update_or_create(
            evaluation=evaluation,
            project_id=question.item_id,
            defaults={"street_id": evaluation.street_id, "grade": grade},
        )
        project = LivelihoodProject.objects.get(pk=question.item_id)
        if grade == Grade.UNSATISFIED:
            project.state, project.finished_on = ProjectState.RECTIFYING, None
        else:
            project.state, project.finished_on = ProjectState.FINISHED, today
            reminder_done(key=_progress_key(project))
        project.save(update_fields=["state", "finished_on"])


def _decided_on(meeting: Meeting) -> datetime.date:
    """The day a vote's result counts from: its meeting's (a count finished later, or a record of an earlier
    meeting, is still that meeting's decision), never a day still to come."""
    return min(meeting.date, timezone.localdate())


def on_ballot_closed(sender, ballot: Ballot, result, **kwargs) -> None:
    """Connected to `ballot_closed` and `ballot_recounted`: runs inside the closing transaction."""
    round_ = LivelihoodRound.objects.filter(vote_ballot=ballot).select_related("vote_meeting").first()
    if round_ is not None:
        _record_vote(round_, ballot, result)
        return
    round_ = LivelihoodRound.objects.filter(runoff_ballot=ballot).first()
    if round_ is not None:
        _record_vote(round_, ballot, result, runoff=True)
        return
    evaluation = Evaluation.objects.filter(ballot=ballot).select_related("ballot", "meeting").first()
    if evaluation is not None:
        _record_grades(evaluation, result)


# --- 交办单: assignment -----------------------------------------------------------------------------------------
def _progress_key(project: LivelihoodProject) -> str:
    return f"livelihood-project:{project.pk}:progress"


def _remind_progress(project: LivelihoodProject, month: datetime.date) -> None:
    """The monthly reminder (committee.notices): the unit's people, 3 working days before the month's report day,
    then overdue notices until they report; each report moves it to the next month."""
    reminder_set(
        key=_progress_key(project),
        street=project.street,
        recipients=unit_users(project.unit),
        deadline=month.replace(day=PROGRESS_DAY),
        days_before=3,
        title=_("请报送民生实事项目月度进展：%(t)s") % {"t": project.title},
        body=_("请于每月%(d)d日前报送%(m)s进展情况。") % {"d": PROGRESS_DAY, "m": f"{month:%Y年%-m月}"},
        link=project.get_absolute_url(),
        subject=project,
    )


@transaction.atomic
def project_assign(
    *,
    by: User,
    project: LivelihoodProject,
    unit: HandlingUnit,
    plan: str,
    budget: Decimal | None,
    deadline: datetime.date,
    milestones: Iterable[tuple[str, datetime.date]],
    supervisors: Iterable[User] = (),
    featured: bool = False,
    background: bool = True,
    today: datetime.date | None = None,
) -> LivelihoodProject:
    """交办单: the unit, plan, budget, milestones and deadline; the supervisors (deputies, council members); the
    assignment as a PDF (a 函 to the unit) and a notice to the unit's people; the monthly progress reminder."""
    project = _locked_project(project)
    require(by, MANAGE, project.street)
    today = today or timezone.localdate()
    if project.state != ProjectState.PASSED:
        raise ValidationError(_("该项目已交办。"))
    if unit.street_id != project.street_id or not unit.active:
        raise ValidationError({"unit": _("请选择本街道在用的办理单位。")})
    if not plan.strip():
        raise ValidationError({"plan": _("请填写实施方案。")})
    if deadline < today:
        raise ValidationError({"deadline": _("完成时限不能早于今天。")})
    rows = [(title.strip(), due) for title, due in milestones if title.strip()]
    if not rows:
        raise ValidationError({"milestones": _("请至少填写一个项目节点。")})
    late = [title for title, due in rows if due > deadline]
    if late:
        raise ValidationError({"milestones": _("节点“%(t)s”晚于完成时限。") % {"t": late[0]}})
    people = list(supervisors)
    allowed = set(voters(project.street, today).values_list("pk", flat=True))
    if any(u.pk not in allowed for u in people):
        raise ValidationError({"supervisors": _("督办人须为本街道的人大代表或居民议事员。")})
    project.unit, project.plan, project.budget, project.deadline = unit, plan.strip(), budget, deadline
    project.assigned_on, project.featured, project.state = today, featured, ProjectState.ASSIGNED
    Milestone.objects.bulk_create(
        Milestone(street=project.street, project=project, position=n, title=title, due_on=due)
        for n, (title, due) in enumerate(sorted(rows, key=lambda r: r[1]), start=1)
    )
    project.supervisors.set(people)
    name = project.street.committee.name
    project.assignment_document = document_issue(
        by=by,
        street=project.street,
        kind=DocumentKind.LETTER,
        title=_("关于交办%(y)d年度街道%(k)s项目的函") % {"y": project.year, "k": project.get_kind_display()},
        template_name=ASSIGNMENT_TEMPLATE,
        context={
            "issuer": name,
            "signature": name,
            "recipient": unit.name,
            "project": project.title,
            "year": project.year,
            "micro": project.is_micro,
            "plan": project.plan,
            "budget": str(budget) if budget is not None else "",
            "deadline": f"{deadline:%Y年%-m月%-d日}",
            "milestones": [{"title": t, "due": f"{d:%Y年%-m月%-d日}"} for t, d in sorted(rows, key=lambda r: r[1])],
            "supervisors": "、".join(u.full_name for u in people),
            "progress_day": PROGRESS_DAY,
        },
        subject=project,
        view_capability=Capability.VIEW_LIVELIHOOD,
        background=background,
        issued_on=today,
    )
    project.save()
    notice_send(
        by=by,
        street=project.street,
        kind="livelihood_assignment",
        event_key=f"livelihood-project:{project.pk}:assigned",
        recipients=unit_users(unit),
        title=_("民生实事项目交办：%(t)s") % {"t": project.title},
        body=_("完成时限 %(d)s。请按节点实施，并于每月%(n)d日前报送进展。")
        % {"d": f"{deadline:%Y年%-m月%-d日}", "n": PROGRESS_DAY},
        link=project.get_absolute_url(),
        subject=project,
    )
    _remind_progress(project, _month(today))
    return project


# --- 督办单: progress, checks, milestones, 督办函 ------------------------------------------------------------------
def check_unit(by: User, project: LivelihoodProject) -> None:
    """Progress, milestones and rectification are the unit's to report (committee staff may enter them for it)."""
    if not (is_unit_member(by, project) or by.has_capability(MANAGE, project.street)):
        raise PermissionDenied


def check_supervisor(by: User, project: LivelihoodProject) -> None:
    if not project.supervisors.filter(pk=by.pk).exists():
        raise PermissionDenied


def _in_progress(project: LivelihoodProject) -> None:
    if project.state not in (ProjectState.ASSIGNED, ProjectState.RECTIFYING):
        raise ValidationError(_("该项目不在实施中。"))


@transaction.atomic
def progress_report(
    *, by: User, project: LivelihoodProject, percent: int, text: str, month: datetime.date | None = None
) -> ProgressReport:
    """The unit's report of a month (this month by default), once; the reminder moves on to next month."""
    project = _locked_project(project)
    check_unit(by, project)
    _in_progress(project)
    month = _month(month or timezone.localdate())
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": _("进度须在0到100之间。")})
    if not text.strip():
        raise ValidationError({"text": _("请填写进展情况。")})
    if ProgressReport.objects.filter(project=project, month=month).exists():
        raise ValidationError({"month": _("本月进展已报送。")})
    report = ProgressReport.objects.create(
        street=project.street, project=project, month=month, percent=percent, text=text.strip(), reported_by=by
    )
    _remind_progress(project, _next_month(month))
    return report


@transaction.atomic
def supervision_check_add(
    *, by: User, project: LivelihoodProject, checked_on: datetime.date, findings: str, photos=()
) -> SupervisionCheck:
    """A supervisor's check (a duty record of a deputy or council member), photos from the phone."""
    project = _locked_project(project)
    check_supervisor(by, project)
    _in_progress(project)
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": _("督查日期不能晚于今天。")})
    if not findings.strip():
        raise ValidationError({"findings": _("请填写督查情况。")})
    check = SupervisionCheck.objects.create(
        street=project.street, project=project, checked_on=checked_on, findings=findings.strip(), checked_by=by
    )
    for upload in photos:
        photo = CheckPhoto(street=project.street, check_record=check, name=upload.name[:200])
        photo.file.save(upload.name, upload, save=False)
        photo.save()
    return check


@transaction.atomic
def milestone_done(*, by: User, milestone: Milestone, done_on: datetime.date) -> Milestone:
    project = _locked_project(milestone.project)
    check_unit(by, project)
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("完成日期不能晚于今天。")})
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    return milestone


@transaction.atomic
def milestone_follow_up(*, by: User, milestone: Milestone, background: bool = True):
    """督办函 for an overdue milestone: a numbered letter to the unit and a notice to its people."""
    project = _locked_project(milestone.project)
    require(by, MANAGE, project.street)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if not milestone.is_overdue():
        raise ValidationError(_("只有逾期未完成的节点可以发督办函。"))
    if milestone.follow_up_document_id is not None:
        raise ValidationError(_("该节点已发督办函。"))
    name = project.street.committee.name
    today = timezone.localdate()
    document = document_issue(
        by=by,
        street=project.street,
        kind=DocumentKind.LETTER,
        title=_("关于督促推进民生实事项目的函"),
        template_name=FOLLOW_UP_TEMPLATE,
        context={
            "issuer": name,
            "signature": name,
            "recipient": project.unit.name,
            "project": project.title,
            "assigned_on": f"{project.assigned_on:%Y年%-m月%-d日}",
            "milestone": milestone.title,
            "due": f"{milestone.due_on:%Y年%-m月%-d日}",
            "overdue_days": working_days_between(milestone.due_on, today),
            "deadline": f"{project.deadline:%Y年%-m月%-d日}",
        },
        subject=project,
        view_capability=Capability.VIEW_LIVELIHOOD,
        background=background,
    )
    milestone.follow_up_document = document
    milestone.save(update_fields=["follow_up_document"])
    notice_send(
        by=by,
        street=project.street,
        kind="livelihood_follow_up",
        event_key=f"livelihood-milestone:{milestone.pk}:follow-up",
        recipients=unit_users(project.unit),
        title=_("督办函 %(n)s：%(t)s") % {"n": document.number, "t": project.title},
        body=_("节点“%(m)s”已逾期，请抓紧推进并报送进展。") % {"m": milestone.title},
        link=project.get_absolute_url(),
        subject=project,
    )
    return document


# --- 测评单: evaluation and rectification -------------------------------------------------------------------------
def evaluable(round_: LivelihoodRound):
    """Projects that can go to an evaluation: under way (a rectified project is under way again), and not on an
    evaluation still open."""
    open_items = Question.objects.filter(
        ballot__in=Evaluation.objects.filter(round=round_).exclude(ballot__state=BallotState.CLOSED).values("ballot")
    ).values("item_id")
    return round_.projects.filter(state=ProjectState.ASSIGNED).exclude(pk__in=open_items).order_by("rank", "pk")


@transaction.atomic
def evaluation_create(
    *,
    by: User,
    round: LivelihoodRound,
    meeting: Meeting,
    projects: Iterable[LivelihoodProject],
) -> Evaluation:
    """测评单: a draft satisfaction ballot (满意 / 基本满意 / 不满意 per project) at a council meeting after the vote."""
    round_ = _locked_round(round)
    require(by, MANAGE, round_.street)
    _check_council_meeting(round_, meeting, vote=False)
    if round_.vote_meeting_id is None or meeting.date <= round_.vote_meeting.date:
        raise ValidationError({"meeting": _("测评须在票决之后的居民议事会会议上进行。")})
    chosen = list(projects)
    allowed = {p.pk for p in evaluable(round_)}
    if not chosen:
        raise ValidationError({"projects": _("请选择要测评的项目。")})
    if any(p.pk not in allowed for p in chosen):
        raise ValidationError({"projects": _("所选项目须在实施中（不满意的须先完成整改），且不在进行中的测评里。")})
    n = Evaluation.objects.filter(round=round_).count() + 1
    ballot = ballots.ballot_create(
        by=by,
        street=round_.street,
        subject=round_,
        title=_("%(title)s满意度测评（第%(n)d次）") % {"title": round_.title, "n": n},
        rule=EVALUATION_RULE,
        questions=[(p.title, p) for p in chosen],
        voters=voters(round_.street, meeting.date),
        paper=PaperMode.BALLOTS,
    )
    return Evaluation.objects.create(street=round_.street, round=round_, meeting=meeting, ballot=ballot)


@transaction.atomic
def rectification_set(
    *, by: User, grade: EvaluationGrade, requirements: str, deadline: datetime.date, today: datetime.date | None = None
) -> Rectification:
    """不满意: what the unit must put right, by a new deadline (the unit is notified and reminded)."""
    project = _locked_project(grade.project)
    require(by, MANAGE, project.street)
    if grade.grade != Grade.UNSATISFIED or project.state != ProjectState.RECTIFYING:
        raise ValidationError(_("只有测评不满意的项目需要整改。"))
    if Rectification.objects.filter(grade=grade).exists():
        raise ValidationError(_("已提出整改要求。"))
    if not requirements.strip():
        raise ValidationError({"requirements": _("请填写整改要求。")})
    if deadline <= (today or timezone.localdate()):
        raise ValidationError({"deadline": _("整改期限须晚于今天。")})
    rectification = Rectification.objects.create(
        street=project.street,
        grade=grade,
        project=project,
        requirements=requirements.strip(),
        deadline=deadline,
        created_by=by,
    )
    project.deadline = deadline
    project.save(update_fields=["deadline"])
    notice_send(
        by=by,
        street=project.street,
        kind="livelihood_rectification",
        event_key=f"livelihood-rectification:{rectification.pk}",
        recipients=unit_users(project.unit),
        title=_("民生实事项目测评不满意，请整改：%(t)s") % {"t": project.title},
        body=_("整改期限 %(d)s。整改要求：%(r)s")
        % {"d": f"{deadline:%Y年%-m月%-d日}", "r": rectification.requirements},
        link=project.get_absolute_url(),
        subject=project,
    )
    return rectification


@transaction.atomic
def rectification_done(
    *, by: User, rectification: Rectification, report: str, today: datetime.date | None = None
) -> Rectification:
    project = _locked_project(rectification.project)
    check_unit(by, project)
    if rectification.done_on is not None:
        raise ValidationError(_("整改已完成。"))
    if not report.strip():
        raise ValidationError({"report": _("请填写整改情况。")})
    rectification.done_on, rectification.done_report = today or timezone.localdate(), report.strip()
    rectification.save(update_fields=["done_on", "done_report"])
    project.state = ProjectState.ASSIGNED  # under way again, ready for a new evaluation
    project.save(update_fields=["state"])
    return rectification
