"""Reads shared by the services, the pages and the chapter features. Each costs a fixed number of queries."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.ballots import rules
from committee.ballots.models import (
    Ballot,
    Channel,
    CountSheet,
    PaperBallot,
    PaperMode,
    PaperState,
    Participation,
    Receipt,
    Result,
    Vote,
    Voter,
)
from committee.documents import rendering


def rule_of(name: str) -> rules.Rule:
    return rules.get(name)


def ballots_for(subject):
    """A record's ballots (a candidate round's vote, a project's evaluations), newest first."""
    return Ballot.objects.filter(content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk)


def current_result(ballot: Ballot) -> Result | None:
    return ballot.results.order_by("-version").first()


def participation_counts(ballot: Ballot) -> dict[str, int]:
    counts = dict(Participation.objects.filter(ballot=ballot).values_list("channel").annotate(n=Count("id")).order_by())
    return {channel: counts.get(channel, 0) for channel in Channel.values}


def latest_count_sheet(ballot: Ballot) -> CountSheet | None:
    return CountSheet.objects.filter(ballot=ballot).order_by("-version").first()


def reconcile(ballot: Ballot) -> dict:
    """The figures of the close: who took part by channel, votes, receipts, paper ballots issued / returned /
    valid / invalid. `problems` are figures that cannot be right (closing is refused); `mismatches` can happen
    (paper ballots issued but not returned) and need a written explanation."""
    by_channel = participation_counts(ballot)
    electronic = by_channel[Channel.PHONE] + by_channel[Channel.SLIP]
    issued = by_channel[Channel.PAPER]
    votes = Vote.objects.filter(ballot=ballot).count()
    receipts = Receipt.objects.filter(ballot=ballot).count()
    roll = Voter.objects.filter(ballot=ballot).count()
    problems, mismatches = [], []
    returned = paper_valid = paper_invalid = 0
    sheet = None
    if ballot.paper == PaperMode.BALLOTS:
        states = dict(
            PaperBallot.objects.filter(ballot=ballot)
            .exclude(state=PaperState.PRINTED)
            .values_list("state")
            .annotate(n=Count("id"))
            .order_by()
        )
        paper_valid, paper_invalid = states.get(PaperState.VALID, 0), states.get(PaperState.INVALID, 0)
        returned = paper_valid + paper_invalid
    elif ballot.paper == PaperMode.COUNT_SHEET:
        sheet = latest_count_sheet(ballot)
        if sheet is not None:
            returned, paper_valid, paper_invalid = sheet.returned, sheet.valid, sheet.invalid
        elif issued:
            problems.append(_("已发出纸质选票%(n)d张，请先录入计票单。") % {"n": issued})
    entered_votes = paper_valid if ballot.paper == PaperMode.BALLOTS else 0
    entered_receipts = returned if ballot.paper == PaperMode.BALLOTS else 0
    if votes != electronic + entered_votes:
        problems.append(
            _("数据不一致：选票%(v)d张，应为电子投票%(e)d张加录入的有效纸质选票%(p)d张。")
            % {"v": votes, "e": electronic, "p": entered_votes}
        )
    if receipts != electronic + entered_receipts:
        problems.append(_("数据不一致：回执码%(r)d个，与投票记录不符。") % {"r": receipts})
    if ballot.entitled is not None and roll != ballot.entitled:
        problems.append(_("数据不一致：选民名单与开始投票时的人数不符。"))
    if returned < issued and (sheet is not None or ballot.paper == PaperMode.BALLOTS):
        mismatches.append(
            _("发出纸质选票%(i)d张，收回%(r)d张，%(d)d张未收回。")
            % {"i": issued, "r": returned, "d": issued - returned}
        )
    participations = electronic + issued
    valid = votes + (sheet.valid if sheet is not None else 0)
    counts = {
        "entitled": ballot.entitled or roll,
        "participations": participations,
        "not_voted": (ballot.entitled or roll) - participations,
        "phone": by_channel[Channel.PHONE],
        "slip": by_channel[Channel.SLIP],
        "electronic": electronic,
        "paper_issued": issued,
        "paper_returned": returned,
        "paper_valid": paper_valid,
        "paper_invalid": paper_invalid,
        "votes": votes,
        "receipts": receipts,
        "valid": valid,
        "invalid": paper_invalid,
        "cast": valid + paper_invalid,
    }
    return {"counts": counts, "problems": problems, "mismatches": mismatches, "sheet": sheet}


def totals(ballot: Ballot) -> dict[str, dict[str, int]]:
    """Each option's votes per question: the stored votes, plus the latest count sheet."""
    codes = ballot.engine_rule.option_codes()
    result = {
        str(p): dict.fromkeys(codes, 0)
        for p in ballot.questions.order_by("position").values_list("position", flat=True)
    }
    for choices in Vote.objects.filter(ballot=ballot).values_list("choices", flat=True).iterator(chunk_size=2000):
        for position, code in choices.items():
            result[position][code] += 1
    if ballot.paper == PaperMode.COUNT_SHEET:
        sheet = latest_count_sheet(ballot)
        if sheet is not None:
            for position, counts in sheet.totals.items():
                for code, n in counts.items():
                    result[position][code] += n
    return result


def published_votes(ballot: Ballot) -> list[list]:
    """The anonymous votes as published: [uuid, choices], ordered by the random key (so in random order)."""
    return [
        [str(pk), choices]
        for pk, choices in Vote.objects.filter(ballot=ballot).order_by("id").values_list("id", "choices")
    ]


def published_receipts(ballot: Ballot) -> list[str]:
    return list(Receipt.objects.filter(ballot=ballot).order_by("code").values_list("code", flat=True))


def result_rows(ballot: Ballot, result: Result, questions) -> list[dict]:
    """One row per question for the pages and the announcement: its totals by option, its status and rank."""
    engine = ballot.engine_rule
    codes = engine.option_codes()
    rows = []
    for question in questions:
        key = str(question.position)
        outcome = result.outcome["questions"].get(key, {})
        status = outcome.get("status", "")
        rows.append(
            {
                "position": question.position,
                "label": question.label,
                "counts": [result.totals[key].get(code, 0) for code in codes],
                "status": status,
                "status_label": str(rules.Status.LABELS.get(status, status)),
                "rank": outcome.get("rank"),
            }
        )
    return rows


def result_url(ballot: Ballot) -> str:
    return settings.SITE_URL + reverse("ballots:result", args=[ballot.token])


def announcement_context(ballot: Ballot, result: Result) -> dict:
    engine = ballot.engine_rule
    url = result_url(ballot)
    counts = result.counts
    return {
        "rule_label": str(engine.label),
        "options": [str(o.label) for o in engine.options],
        "rows": result_rows(ballot, result, ballot.questions.order_by("position")),
        "counts": counts,
        "places": ballot.places,
        "outcome": {k: v for k, v in result.outcome.items() if k != "questions"},
        "opened": rendering.chinese_date(timezone.localdate(ballot.opened_at)),
        "version": result.version,
        "reason": result.reason,
        "explanation": ballot.explanation or "",
        "chain_hash": result.chain_hash,
        "result_url": url,
        "result_qr": rendering.qr_data_uri(url),
        "count_sheet": ballot.paper == PaperMode.COUNT_SHEET,
    }
