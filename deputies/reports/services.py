"""Writes for deputies' reports to constituents (Art 12(2)). Staff (`MANAGE_DEPUTIES`) record a report, its
constituents' comments and start its satisfaction survey; the survey itself runs on the ballot engine's pages
(`committee.ballots`), and its close records the grade here (`on_ballot_closed`, connected in apps.py)."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committee.ballots import services as ballots
from committee.ballots.models import Ballot, PaperMode, Participation, Voter
from committee.models import User
from committee.permissions import require
from committee.roles import Capability
from deputies.models import Constituency, Deputy
from deputies.reports.models import ConstituentComment, ConstituentReport
from supervision.models import Channel, Opinion, ProposerKind
from supervision.services import opinion_register

MANAGE = Capability.MANAGE_DEPUTIES
SURVEY_RULE = "satisfaction_grades"
# Cases from a report's comments: no channel of the loop names reports to constituents; the case's source (the
# comment, hence the report) says where it came from.
COMMENT_CHANNEL = Channel.OTHER
FIELDS = ("date", "place", "expected", "present", "text", "file")


def _check(*, deputy: Deputy, constituency: Constituency, text: str, file) -> None:
    if constituency.street_id != deputy.street_id:
        raise ValidationError({"constituency": _("选区须属于代表所在街道。")})
    if not (text or "").strip() and not file:
        raise ValidationError({"text": _("请填写述职报告内容或上传报告文件。")})


@transaction.atomic
def report_record(
    *,
    by: User,
    deputy: Deputy,
    constituency: Constituency,
    date: datetime.date,
    place: str,
    expected: int,
    present: int,
    text: str = "",
    file=None,
) -> ConstituentReport:
    """Record a report given (述职): who, before which constituency, when, where, how many came, what was said."""
    require(by, MANAGE, deputy.street)
    _check(deputy=deputy, constituency=constituency, text=text, file=file)
    report = ConstituentReport(
        street=deputy.street,
        deputy=deputy,
        constituency=constituency,
        date=date,
        place=place.strip(),
        expected=expected,
        present=present,
        text=(text or "").strip(),
        recorded_by=by,
    )
    if file:
        report.file = file
    report.save()
    return report


@transaction.atomic
def report_update(*, by: User, report: ConstituentReport, constituency: Constituency, **values) -> ConstituentReport:
    """Correct a recorded report (`values`: any of FIELDS; a `file` of None keeps the one uploaded)."""
    require(by, MANAGE, report.street)
    report = ConstituentReport.objects.select_for_update().select_related("deputy").get(pk=report.pk)
    file = values.pop("file", None)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    _check(
        deputy=report.deputy, constituency=constituency, text=values.get("text", report.text), file=file or report.file
    )
    report.constituency = constituency
    for name, value in values.items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    if file:
        report.file = file
    report.save()
    return report


@transaction.atomic
def comment_add(*, by: User, report: ConstituentReport, content: str, name: str = "") -> ConstituentComment:
    require(by, MANAGE, report.street)
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": _("请填写意见内容。")})
    return ConstituentComment.objects.create(street=report.street, report=report, name=name.strip(), content=content)


@transaction.atomic
def comment_to_case(
    *, by: User, comment: ConstituentComment, category: str = "", registered_at: datetime.datetime | None = None
) -> Opinion:
    """Pass a constituent's comment into the opinion-handling loop as a case, the deputy as its proposer
    (`registered_at`: now by default)."""
    require(by, MANAGE, comment.street)
    comment = ConstituentComment.objects.select_for_update().select_related("report__deputy__user").get(pk=comment.pk)
    if comment.case_id:
        raise ValidationError(_("该意见已转入办理。"))
    comment.case = opinion_register(
        by=by,
        street=comment.street,
        channel=COMMENT_CHANNEL,
        content=comment.content,
        category=category,
        proposer_user=comment.report.deputy.user,
        proposer_kind=ProposerKind.DEPUTY,
        source=comment,
        registered_at=registered_at,
    )
    comment.save(update_fields=["case"])
    return comment.case


def survey_question(report: ConstituentReport) -> str:
    return _("对%(deputy)s履职情况的满意度") % {"deputy": report.deputy}


@transaction.atomic
def survey_start(
    *, by: User, report: ConstituentReport, other_voters: Iterable[str] = (), paper: str = PaperMode.NONE
) -> Ballot:
    """满意度测评: a draft `satisfaction_grades` ballot with one question. Voter representatives have no accounts:
    `other_voters` are their names (each gets a one-time slip code when the ballot opens); `paper` =
    `PaperMode.COUNT_SHEET` for paper ballots counted by the tellers at the venue. Without names the roll is the
    voter representatives present, numbered."""
    require(by, MANAGE, report.street)
    report = ConstituentReport.objects.select_for_update().select_related("deputy__user", "street").get(pk=report.pk)
    if report.survey_id:
        raise ValidationError(_("该次述职已有满意度测评。"))
    names = [name.strip() for name in other_voters if name.strip()] or [
        _("选民代表%(n)d") % {"n": n} for n in range(1, report.present + 1)
    ]
    ballot = ballots.ballot_create(
        by=by,
        street=report.street,
        subject=report,
        title=_("%(deputy)s述职满意度测评（%(date)s）") % {"deputy": report.deputy, "date": report.date},
        rule=SURVEY_RULE,
        questions=[survey_question(report)],
        other_voters=names,
        electronic=paper == PaperMode.NONE,
        paper=paper,
    )
    report.survey = ballot
    report.save(update_fields=["survey"])
    return ballot


@transaction.atomic
def survey_issue_papers(*, by: User, report: ConstituentReport) -> int:
    """The tellers hand every voter representative on the roll a paper survey ballot: each not yet marked is marked
    issued on the engine's roll (one by one through `paper_issue`, so the engine's rules hold). Returns how many."""
    require(by, MANAGE, report.street)
    report = ConstituentReport.objects.get(pk=report.pk)
    if report.survey_id is None:
        raise ValidationError(_("尚未建立满意度测评。"))
    marked = Participation.objects.filter(ballot_id=report.survey_id).values("voter_id")
    voters = list(Voter.objects.filter(ballot_id=report.survey_id).exclude(pk__in=marked).order_by("position"))
    for voter in voters:
        ballots.paper_issue(by=by, voter=voter)
    return len(voters)


def on_ballot_closed(sender, ballot: Ballot, result, **kwargs) -> None:
    """Connected to `ballot_closed` and `ballot_recounted`: the survey's grade goes onto the report."""
    report = ConstituentReport.objects.filter(survey=ballot).first()
    if report is not None:
        report.grade = result.outcome["questions"]["1"]["status"]
        report.save(update_fields=["grade"])
