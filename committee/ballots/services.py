"""Every write to a ballot. Keyword-only arguments, the acting user `by`, one transaction each.

Every write that touches a ballot's roll, participations, votes, log or result first locks the ballot row
(`SELECT … FOR UPDATE`), so casting, issuing a paper ballot, entering one, and closing are serialised per ballot:
a vote either lands before the close (and is counted) or after it (and is refused), and two closers get the same
result. The database backs each rule up: one participation per voter (unique), no change once closed (triggers).

The API the chapter features build on:
    ballot_create(*, by, street, subject, title, rule, questions, voters=(), other_voters=(), places=None, …)
    ballot_open / ballot_end_voting / ballot_close / ballot_recount (…, by, ballot, …)
    ballot_cast(*, ballot, choices, by=None, slip_code="")  → the receipt code, shown once
    paper_issue(*, by, voter), paper_enter(*, by, ballot, code, choices=None, invalid=False)
    count_sheet_enter(*, by, ballot, returned, valid, invalid, totals, tellers, scrutineers, reason="")
and `committee.ballots.signals.ballot_closed` / `ballot_recounted` (sent inside the closing transaction)."""

import logging
import secrets
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.ballots import chain, selectors, signals
from committee.ballots.models import (
    Ballot,
    BallotState,
    Channel,
    CountSheet,
    LogEntry,
    PaperBallot,
    PaperMode,
    PaperState,
    Participation,
    Question,
    Receipt,
    Result,
    Vote,
    Voter,
)
from committee.documents import rendering
from committee.documents.models import DocumentKind
from committee.documents.services import document_issue
from committee.models import Street, User
from committee.permissions import require
from committee.roles import Capability

logger = logging.getLogger(__name__)

SLIPS_TEMPLATE = "ballots/slips_pdf.html"
PAPERS_TEMPLATE = "ballots/papers_pdf.html"
COUNT_SHEET_TEMPLATE = "ballots/count_sheet_pdf.html"
ANNOUNCEMENT_TEMPLATE = "ballots/announcement_pdf.html"

NOT_OPEN = _("投票尚未开始。")
CLOSED = _("投票已经结束。")


def default_min_extra() -> int:
    """差额: at least this many more candidates than places (setting BALLOT_MIN_EXTRA_CANDIDATES, default 1)."""
    return getattr(settings, "BALLOT_MIN_EXTRA_CANDIDATES", 1)


def _locked(ballot: Ballot) -> Ballot:
    return (
        Ballot.objects.select_for_update(of=("self",))
        .select_related("street__committee", "street__municipality")
        .get(pk=ballot.pk)
    )


def _log(ballot: Ballot, kind: str, payload: dict) -> LogEntry:
    """Append one entry to the ballot's hash chain (the caller holds the ballot's lock)."""
    last = LogEntry.objects.filter(ballot=ballot).order_by("-seq").only("seq", "hash").first()
    seq = last.seq + 1 if last else 1
    prev = last.hash if last else chain.GENESIS
    return LogEntry.objects.create(
        ballot=ballot,
        seq=seq,
        kind=kind,
        payload=payload,
        prev_hash=prev,
        hash=chain.entry_hash(prev, seq, kind, payload),
    )


def _minute(moment) -> str:
    """Times in the log go to the minute: the ballot's own times, never a vote's."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _committee_name(street: Street) -> str:
    committee = getattr(street, "committee", None)
    return committee.name if committee else f"{street.name}人大工委"


def _issue(ballot: Ballot, *, by: User, title: str, template: str, context: dict, capability: str, background: bool):
    name = _committee_name(ballot.street)
    return document_issue(
        by=by,
        street=ballot.street,
        kind=DocumentKind.LETTER,
        title=title,
        template_name=template,
        context={"issuer": name, "masthead": name, "signature": name, "ballot_title": ballot.title, **context},
        subject=ballot,
        view_capability=capability,
        background=background,
    )


# --- Setting up ---------------------------------------------------------------------------------------------


def _question_rows(questions: Iterable) -> list[tuple[str, models.Model | None]]:
    rows, seen = [], set()
    for question in questions:
        label, item = question if isinstance(question, tuple) else (question, None)
        label = str(label).strip()
        if not label:
            continue
        if label in seen:
            raise ValidationError(_("表决事项重复：%(label)s") % {"label": label})
        seen.add(label)
        rows.append((label, item))
    return rows


@transaction.atomic
def ballot_create(
    *,
    by: User,
    street: Street,
    subject: models.Model,
    title: str,
    rule: str,
    questions: Iterable[str | tuple[str, models.Model]],
    voters: Iterable[User] = (),
    other_voters: Iterable[str] = (),
    places: int | None = None,
    min_extra: int | None = None,
    electronic: bool = True,
    paper: str = PaperMode.NONE,
    paper_spares: int = 5,
) -> Ballot:
    """A draft ballot for `subject` (any saved record of the street: a meeting, a round of projects …).

    `questions`: labels, or (label, record) pairs linking each question to the caller's record. `rule`: a name in
    `committee.ballots.rules.RULES` (the caller usually takes it from its own setting); `places` for rules that
    fill places. `voters`: the entitled accounts; `other_voters`: names of entitled voters without an account
    (they get a one-time code on a printed slip). Channels: `electronic` (phones and slip codes) and `paper`
    (a `PaperMode`). Nothing is frozen until `ballot_open`."""
    require(by, Capability.MANAGE_BALLOTS, street)
    subject_street = subject.pk if isinstance(subject, Street) else getattr(subject, "street_id", None)
    if subject.pk is None or subject_street != street.pk:
        raise ValidationError(_("表决所属的事项不属于本街道。"))
    title = title.strip()
    if not title:
        raise ValidationError(_("请填写表决事项名称。"))
    engine = selectors.rule_of(rule)
    rows = _question_rows(questions)
    min_extra = default_min_extra() if min_extra is None else min_extra
    places = places if engine.uses_places else None
    engine.check_setup(questions=len(rows), places=places, min_extra=min_extra)
    if paper not in PaperMode.values:
        raise ValidationError(_("纸质选票方式不正确。"))
    if not electronic and paper == PaperMode.NONE:
        raise ValidationError(_("请至少选择一种投票方式（电子投票或纸质选票）。"))
    accounts = list({user.pk: user for user in voters}.values())
    names = [name.strip() for name in other_voters if name.strip()]
    if not accounts and not names:
        raise ValidationError(_("选民名单为空：请选择或填写有权参加投票的人员。"))
    ballot = Ballot.objects.create(
        street=street,
        title=title,
        rule=engine.name,
        places=places,
        min_extra=min_extra,
        electronic=electronic,
        paper=paper,
        paper_spares=paper_spares,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        created_by=by,
    )
    Question.objects.bulk_create(
        Question(
            street=street,
            ballot=ballot,
            position=position,
            label=label,
            item_type=ContentType.objects.get_for_model(item) if item is not None else None,
            item_id=item.pk if item is not None else None,
        )
        for position, (label, item) in enumerate(rows, start=1)
    )
    roll = [(user, user.full_name or user.username) for user in accounts] + [(None, name) for name in names]
    Voter.objects.bulk_create(
        Voter(street=street, ballot=ballot, position=position, user=user, name=name)
        for position, (user, name) in enumerate(roll, start=1)
    )
    return ballot


@transaction.atomic
def ballot_discard(*, by: User, ballot: Ballot) -> None:
    """Delete a ballot that has not opened."""
    require(by, Capability.MANAGE_BALLOTS, ballot.street)
    ballot = _locked(ballot)
    if ballot.state != BallotState.DRAFT:
        raise ValidationError(_("投票已经开始，不能删除。"))
    ballot.delete()


def _unique_codes(count: int, groups: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(chain.new_code(groups))
    return list(codes)


@transaction.atomic
def ballot_open(*, by: User, ballot: Ballot, papers: int | None = None, background: bool = True) -> Ballot:
    """Open the vote: the roll is frozen, voters without an account get a slip code (printed slips, a PDF), paper
    ballots are printed with their codes (a PDF: `papers` of them, by default one per voter plus the ballot's
    spares), and the log starts with what was put to the vote."""
    require(by, Capability.MANAGE_BALLOTS, ballot.street)
    ballot = _locked(ballot)
    if ballot.state != BallotState.DRAFT:
        raise ValidationError(_("投票已经开始。"))
    questions = list(ballot.questions.order_by("position"))
    voters = list(ballot.voters.order_by("position"))
    if not voters:
        raise ValidationError(_("选民名单为空，不能开始投票。"))
    engine = ballot.engine_rule
    engine.check_setup(questions=len(questions), places=ballot.places, min_extra=ballot.min_extra)
    slips = []
    if ballot.electronic:
        without_account = [v for v in voters if v.user_id is None]
        for voter, code in zip(without_account, _unique_codes(len(without_account), 3), strict=True):
            voter.slip_code_hash = chain.code_hash(code)
            slips.append({"name": voter.name, "position": voter.position, "code": code})
        Voter.objects.bulk_update(without_account, ["slip_code_hash"])
    printed: list[str] = []
    if ballot.uses_paper:
        count = len(voters) + ballot.paper_spares if papers is None else papers
        if count < 1:
            raise ValidationError(_("请至少印制一张纸质选票。"))
        printed = sorted(_unique_codes(count, 2))
        PaperBallot.objects.bulk_create(PaperBallot(ballot=ballot, code=code) for code in printed)
    now = timezone.now()
    ballot.state = BallotState.OPEN
    ballot.opened_at = now
    ballot.opened_by = by
    ballot.entitled = len(voters)
    ballot.save(update_fields=["state", "opened_at", "opened_by", "entitled"])
    _log(
        ballot,
        "open",
        {
            "ballot": ballot.token,
            "street": ballot.street.name,
            "title": ballot.title,
            "rule": ballot.rule,
            "places": ballot.places,
            "min_extra": ballot.min_extra,
            "electronic": ballot.electronic,
            "paper": ballot.paper,
            "options": engine.option_codes(),
            "questions": [{"position": q.position, "label": q.label} for q in questions],
            "entitled": len(voters),
            "roll": chain.digest([[v.position, v.name] for v in voters]),
            "paper_ballots": chain.digest(printed) if printed else None,
            "opened_at": _minute(now),
        },
    )
    context = _paper_context(ballot, questions)
    if slips:
        slip_url = settings.SITE_URL + reverse("ballots:slip")
        for slip in slips:
            slip["qr"] = rendering.qr_data_uri(f"{slip_url}#{slip['code']}")
        _issue(
            ballot,
            by=by,
            title=_("%(title)s投票凭条") % {"title": ballot.title},
            template=SLIPS_TEMPLATE,
            context={**context, "slips": slips, "slip_url": slip_url},
            capability=Capability.MANAGE_BALLOTS,
            background=background,
        )
    if printed:
        _issue(
            ballot,
            by=by,
            title=_("%(title)s选票") % {"title": ballot.title},
            template=PAPERS_TEMPLATE,
            context={**context, "papers": printed},
            capability=Capability.MANAGE_BALLOTS,
            background=background,
        )
    return ballot


def _paper_context(ballot: Ballot, questions: list[Question]) -> dict:
    engine = ballot.engine_rule
    return {
        "rule_label": str(engine.label),
        "places": ballot.places,
        "options": [str(o.label) for o in engine.options],
        "questions": [{"position": q.position, "label": q.label} for q in questions],
    }


# --- Voting -------------------------------------------------------------------------------------------------


def _check_choices(ballot: Ballot, choices: Mapping) -> dict[str, str]:
    """Every question answered with one of the rule's options, and the rule's own limit; stored with string keys."""
    engine = ballot.engine_rule
    labels = dict(ballot.questions.values_list("position", "label"))
    given = {int(k): v for k, v in choices.items() if v}
    missing = [labels[p] for p in sorted(labels) if p not in given]
    if missing:
        raise ValidationError(_("请对每一项作出选择：%(items)s") % {"items": "、".join(missing)})
    if set(given) - set(labels) or any(code not in engine.option_codes() for code in given.values()):
        raise ValidationError(_("选票内容不正确。"))
    engine.check_choices(given, places=ballot.places)
    return {str(p): given[p] for p in sorted(given)}


def _refuse_second_channel(participation: Participation, *, paper: bool) -> None:
    """The policy (docs/architecture.md "Ballots"): the first channel a voter uses is the one; any other is refused."""
    if participation.channel == Channel.PAPER:
        raise ValidationError(
            _("该选民已领取纸质选票。") if paper else _("您已领取纸质选票，请在纸质选票上投票，不能再用电子方式投票。")
        )
    raise ValidationError(
        _("该选民已通过电子方式投票，不能再领取纸质选票。") if paper else _("您已投票，不能重复投票。")
    )


def ballot_cast(*, ballot: Ballot, choices: Mapping, by: User | None = None, slip_code: str = "") -> str:
    """An electronic vote: by an account on the roll (`by`), or with a slip's one-time code (`slip_code`, no
    account). Writes the participation, the anonymous vote, the receipt and the log entry in one transaction, and
    returns the receipt code, which is shown once and stored nowhere that leads back to the voter or the vote."""
    try:
        return _cast(ballot=ballot, choices=choices, by=by, slip_code=slip_code)
    except IntegrityError:  # the unique participation: a second vote that got past the lock (it cannot)
        raise ValidationError(_("您已投票，不能重复投票。")) from None


@transaction.atomic
def _cast(*, ballot: Ballot, choices: Mapping, by: User | None, slip_code: str) -> str:
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.state == BallotState.DRAFT:
        raise ValidationError(NOT_OPEN)
    if ballot.state != BallotState.OPEN:
        raise ValidationError(CLOSED)
    if not ballot.electronic:
        raise ValidationError(_("本次表决只使用纸质选票。"))
    if slip_code:
        voter = Voter.objects.filter(ballot=ballot, slip_code_hash=chain.code_hash(slip_code)).first()
        if voter is None:
            raise ValidationError(_("投票码无效，请核对凭条上的投票码。"))
        channel = Channel.SLIP
    else:
        voter = Voter.objects.filter(ballot=ballot, user=by).first() if by is not None else None
        if voter is None:
            raise PermissionDenied(_("您不在本次投票的选民名单中。"))
        channel = Channel.PHONE
    existing = Participation.objects.filter(voter=voter).first()
    if existing is not None:
        _refuse_second_channel(existing, paper=False)
    stored = _check_choices(ballot, choices)
    receipt = chain.new_code(3)
    Participation.objects.create(street_id=ballot.street_id, ballot=ballot, voter=voter, channel=channel)
    Vote.objects.create(ballot=ballot, choices=stored)
    Receipt.objects.create(ballot=ballot, code=receipt)
    _log(ballot, "cast", {"receipt": receipt})
    return receipt


def paper_issue(*, by: User, voter: Voter) -> Participation:
    """A teller hands a voter a paper ballot and marks it on the roll: that mark is the voter's participation, so
    the voter can no longer vote electronically, and a voter who has voted electronically gets no paper ballot."""
    try:
        return _issue_paper(by=by, voter=voter)
    except IntegrityError:
        raise ValidationError(_("该选民已参加投票。")) from None


@transaction.atomic
def _issue_paper(*, by: User, voter: Voter) -> Participation:
    require(by, Capability.MANAGE_BALLOTS, voter.street)
    ballot = Ballot.objects.select_for_update().get(pk=voter.ballot_id)
    if ballot.state == BallotState.DRAFT:
        raise ValidationError(NOT_OPEN)
    if ballot.state != BallotState.OPEN:
        raise ValidationError(CLOSED)
    if not ballot.uses_paper:
        raise ValidationError(_("本次表决不使用纸质选票。"))
    existing = Participation.objects.filter(voter=voter).first()
    if existing is not None:
        _refuse_second_channel(existing, paper=True)
    return Participation.objects.create(
        street_id=ballot.street_id, ballot=ballot, voter=voter, channel=Channel.PAPER, issued_by=by
    )


@transaction.atomic
def ballot_end_voting(*, by: User, ballot: Ballot) -> Ballot:
    """The chair declares voting over: no more votes or paper ballots; the tellers count the paper ballots."""
    require(by, Capability.MANAGE_BALLOTS, ballot.street)
    ballot = _locked(ballot)
    if ballot.state != BallotState.OPEN:
        raise ValidationError(NOT_OPEN if ballot.state == BallotState.DRAFT else _("投票已经结束。"))
    ballot.state = BallotState.COUNTING
    ballot.voting_ended_at = timezone.now()
    ballot.save(update_fields=["state", "voting_ended_at"])
    _log(
        ballot, "end_voting", {"participations": selectors.participation_counts(ballot), "at": _minute(timezone.now())}
    )
    return ballot


def _require_counting(ballot: Ballot, mode: str) -> None:
    if ballot.paper != mode:
        raise ValidationError(_("本次表决的纸质选票不按此方式计票。"))
    if ballot.state in (BallotState.DRAFT, BallotState.OPEN):
        raise ValidationError(_("请先宣布投票结束，再开始计票。"))
    if ballot.state == BallotState.CLOSED:
        raise ValidationError(CLOSED)


@transaction.atomic
def paper_enter(
    *, by: User, ballot: Ballot, code: str, choices: Mapping | None = None, invalid: bool = False
) -> PaperState:
    """The tellers enter one paper ballot: its printed code (published with the receipts, so the voter finds their
    stub) and its choices, or that it is invalid. Each printed code once; never more ballots than were issued."""
    require(by, Capability.MANAGE_BALLOTS, ballot.street)
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    _require_counting(ballot, PaperMode.BALLOTS)
    code = chain.normalise_code(code)
    paper = PaperBallot.objects.filter(ballot=ballot, code=code).first()
    if paper is None:
        raise ValidationError(_("没有这个选票编号，请核对选票上印的编号。"))
    if paper.state != PaperState.PRINTED:
        raise ValidationError(_("编号为 %(code)s 的选票已经录入。") % {"code": code})
    issued = Participation.objects.filter(ballot=ballot, channel=Channel.PAPER).count()
    entered = PaperBallot.objects.filter(ballot=ballot).exclude(state=PaperState.PRINTED).count()
    if entered >= issued:
        raise ValidationError(_("已录入的纸质选票已达到发出的选票数（%(n)d张），不能再录入。") % {"n": issued})
    if invalid:
        state = PaperState.INVALID
    else:
        try:
            stored = _check_choices(ballot, choices or {})
        except ValidationError as error:
            raise ValidationError(
                _("%(error)s 如选票确实如此，请按无效票录入。") % {"error": " ".join(error.messages)}
            ) from None
        Vote.objects.create(ballot=ballot, choices=stored)
        state = PaperState.VALID
    PaperBallot.objects.filter(pk=paper.pk).update(state=state)
    Receipt.objects.create(ballot=ballot, code=code)
    _log(ballot, "paper", {"receipt": code})
    return state


def _clean_sheet(
    ballot: Ballot, *, returned: int, valid: int, invalid: int, totals: Mapping, tellers: str, scrutineers: str
) -> dict[str, dict[str, int]]:
    """A count sheet that adds up: valid + invalid = returned ≤ issued; each question's totals = valid ballots."""
    engine = ballot.engine_rule
    issued = Participation.objects.filter(ballot=ballot, channel=Channel.PAPER).count()
    if min(returned, valid, invalid) < 0:
        raise ValidationError(_("票数不能为负数。"))
    if valid + invalid != returned:
        raise ValidationError(
            _("有效票（%(v)d）与无效票（%(i)d）之和应等于收回的选票数（%(r)d）。")
            % {"v": valid, "i": invalid, "r": returned}
        )
    if returned > issued:
        raise ValidationError(
            _("收回的选票（%(r)d张）多于发出的选票（%(n)d张），本次投票无效，须重新投票。")
            % {"r": returned, "n": issued}
        )
    if not tellers.strip() or not scrutineers.strip():
        raise ValidationError(_("请填写计票人和监票人。"))
    labels = dict(ballot.questions.values_list("position", "label"))
    clean: dict[str, dict[str, int]] = {}
    for position, label in sorted(labels.items()):
        row = totals.get(position, totals.get(str(position), {}))
        counts = {code: int(row.get(code, 0) or 0) for code in engine.option_codes()}
        if min(counts.values()) < 0:
            raise ValidationError(_("票数不能为负数。"))
        if sum(counts.values()) != valid:
            raise ValidationError(
                _("第%(p)d项“%(label)s”各选项票数之和（%(sum)d）应等于有效票数（%(v)d）。")
                % {"p": position, "label": label, "sum": sum(counts.values()), "v": valid}
            )
        clean[str(position)] = counts
    if engine.uses_places:
        approvals = sum(c.get("yes", 0) for c in clean.values())
        if approvals > ballot.places * valid:
            raise ValidationError(
                _("赞成票总数（%(n)d）超过有效票数与名额之积（%(max)d）：每张有效票最多赞成%(places)d项。")
                % {"n": approvals, "max": ballot.places * valid, "places": ballot.places}
            )
    return clean


def _sheet_row(
    ballot: Ballot, *, by, returned, valid, invalid, totals, tellers, scrutineers, reason, background
) -> CountSheet:
    clean = _clean_sheet(
        ballot,
        returned=returned,
        valid=valid,
        invalid=invalid,
        totals=totals,
        tellers=tellers,
        scrutineers=scrutineers,
    )
    last = ballot.count_sheets.order_by("-version").first()
    version = last.version + 1 if last else 1
    if version > 1 and not reason.strip():
        raise ValidationError(_("更正计票单须说明原因。"))
    sheet = CountSheet.objects.create(
        street_id=ballot.street_id,
        ballot=ballot,
        version=version,
        returned=returned,
        valid=valid,
        invalid=invalid,
        totals=clean,
        tellers=tellers.strip(),
        scrutineers=scrutineers.strip(),
        reason=reason.strip(),
        entered_by=by,
    )
    _log(
        ballot,
        "count_sheet",
        {
            "version": version,
            "returned": returned,
            "valid": valid,
            "invalid": invalid,
            "totals": clean,
            "tellers": sheet.tellers,
            "scrutineers": sheet.scrutineers,
            "reason": sheet.reason,
        },
    )
    questions = list(ballot.questions.order_by("position"))
    engine = ballot.engine_rule
    _issue(
        ballot,
        by=by,
        title=_("%(title)s计票单") % {"title": ballot.title},
        template=COUNT_SHEET_TEMPLATE,
        context={
            **_paper_context(ballot, questions),
            "version": version,
            "issued": Participation.objects.filter(ballot=ballot, channel=Channel.PAPER).count(),
            "returned": returned,
            "valid": valid,
            "invalid": invalid,
            "rows": [
                {
                    "position": q.position,
                    "label": q.label,
                    "counts": [clean[str(q.position)][c] for c in engine.option_codes()],
                }
                for q in questions
            ],
            "tellers": sheet.tellers,
            "scrutineers": sheet.scrutineers,
            "reason": sheet.reason,
        },
        capability=Capability.VIEW_BALLOTS,
        background=background,
    )
    return sheet


@transaction.atomic
def count_sheet_enter(
    *,
    by: User,
    ballot: Ballot,
    returned: int,
    valid: int,
    invalid: int,
    totals: Mapping,
    tellers: str,
    scrutineers: str,
    reason: str = "",
    background: bool = True,
) -> CountSheet:
    """The tellers' count sheet of the paper ballots (`totals`: {position: {option code: n}}); printed as a PDF
    for their signatures. Entering it again before close records a corrected version with its reason."""
    require(by, Capability.MANAGE_BALLOTS, ballot.street)
    ballot = _locked(ballot)
    _require_counting(ballot, PaperMode.COUNT_SHEET)
    return _sheet_row(
        ballot,
        by=by,
        returned=returned,
        valid=valid,
        invalid=invalid,
        totals=totals,
        tellers=tellers,
        scrutineers=scrutineers,
        reason=reason,
        background=background,
    )


# --- Closing ------------------------------------------------------------------------------------------------


def _shuffle_votes(ballot: Ballot) -> None:
    """Rewrite the ballot's votes in a random order: new physical places and one transaction id for all of them,
    so neither the table's order nor its system columns line a vote up with a participation any more."""
    rows = list(Vote.objects.filter(ballot=ballot).values_list("id", "choices"))
    secrets.SystemRandom().shuffle(rows)
    Vote.objects.filter(ballot=ballot).delete()
    Vote.objects.bulk_create([Vote(id=pk, ballot=ballot, choices=choices) for pk, choices in rows], batch_size=1000)


def _vacuum_votes() -> None:
    """After the rewrite commits, let PostgreSQL drop the old row versions (best effort)."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {Vote._meta.db_table}")
    except DatabaseError:
        logger.exception("VACUUM of the votes table failed")


def _result(ballot: Ballot, *, by: User, kind: str, reason: str, extra: dict, version: int, background: bool):
    figures = selectors.reconcile(ballot)
    counts = figures["counts"]
    totals = selectors.totals(ballot)
    outcome = ballot.engine_rule.outcome(
        totals={int(k): v for k, v in totals.items()},
        valid=counts["valid"],
        entitled=ballot.entitled,
        places=ballot.places,
    )
    entry = _log(
        ballot,
        kind,
        {
            "version": version,
            "counts": counts,
            "totals": totals,
            "outcome": outcome,
            "votes": chain.digest(selectors.published_votes(ballot)),
            "receipts": chain.digest(selectors.published_receipts(ballot)),
            "reason": reason,
            **extra,
        },
    )
    result = Result.objects.create(
        street_id=ballot.street_id,
        ballot=ballot,
        version=version,
        counts=counts,
        totals=totals,
        outcome=outcome,
        chain_hash=entry.hash,
        reason=reason,
        computed_by=by,
    )
    _issue(
        ballot,
        by=by,
        title=_("关于%(title)s结果的公告") % {"title": ballot.title},
        template=ANNOUNCEMENT_TEMPLATE,
        context=selectors.announcement_context(ballot, result),
        capability=Capability.VIEW_BALLOTS,
        background=background,
    )
    return result


@transaction.atomic
def ballot_close(*, by: User, ballot: Ballot, explanation: str = "", background: bool = True) -> Result:
    """Reconcile, count and lock, in one step that is safe to repeat: closing a closed ballot returns its result.

    Refused while the figures cannot be right (votes ≠ electronic participations + valid paper ballots entered; a
    count sheet missing); a mismatch that can happen (paper ballots issued but not returned) needs a written
    `explanation`. The votes are rewritten in random order, the result computed by the rule, the log closed with
    the digests of the published votes and receipts, and the announcement issued as a PDF."""
    require(by, Capability.MANAGE_BALLOTS, ballot.street)
    ballot = _locked(ballot)
    if ballot.state == BallotState.CLOSED:
        return ballot.results.order_by("-version").first()
    if ballot.state == BallotState.DRAFT:
        raise ValidationError(NOT_OPEN)
    figures = selectors.reconcile(ballot)
    if figures["problems"]:
        raise ValidationError(figures["problems"])
    explanation = explanation.strip()
    if figures["mismatches"] and not explanation:
        raise ValidationError([_("清点结果有差异，须填写书面说明后才能结束：")] + figures["mismatches"])
    _shuffle_votes(ballot)
    now = timezone.now()
    ballot.explanation = explanation
    result = _result(
        ballot,
        by=by,
        kind="close",
        reason="",
        extra={"explanation": explanation, "closed_at": _minute(now)},
        version=1,
        background=background,
    )
    ballot.state = BallotState.CLOSED
    ballot.closed_at = now
    ballot.closed_by = by
    if ballot.voting_ended_at is None:
        ballot.voting_ended_at = now
    ballot.save(update_fields=["state", "closed_at", "closed_by", "explanation", "voting_ended_at"])
    signals.ballot_closed.send(sender=Ballot, ballot=ballot, result=result)
    transaction.on_commit(_vacuum_votes)
    return result


@transaction.atomic
def ballot_recount(
    *, by: User, ballot: Ballot, reason: str, count_sheet: Mapping | None = None, background: bool = True
) -> Result:
    """An audited recount: a new result version computed again from the stored votes and, for a count-sheet
    ballot, a corrected count sheet (`count_sheet`: returned, valid, invalid, totals, tellers, scrutineers) from
    recounting the paper ballots. The earlier result stays; the log records the recount and its reason."""
    require(by, Capability.MANAGE_BALLOTS, ballot.street)
    ballot = _locked(ballot)
    if ballot.state != BallotState.CLOSED:
        raise ValidationError(_("只有已结束的投票可以重新计票。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("请填写重新计票的原因。"))
    if count_sheet is not None:
        if ballot.paper != PaperMode.COUNT_SHEET:
            raise ValidationError(_("本次表决没有计票单。"))
        _sheet_row(ballot, by=by, reason=reason, background=background, **count_sheet)
    previous = ballot.results.order_by("-version").first()
    result = _result(
        ballot,
        by=by,
        kind="recount",
        reason=reason,
        extra={"previous": previous.version},
        version=previous.version + 1,
        background=background,
    )
    signals.ballot_recounted.send(sender=Ballot, ballot=ballot, result=result)
    return result
