"""The ballot engine (committee.ballots): secrecy (no column of a vote leads to a voter; table order and system
columns neither), one voter one vote across channels, paper ballots and count sheets, the atomic and repeatable
close, locked results (also against a direct UPDATE), recounts, the published data recounting to the result, the
pass and grade rules on DOMAIN.md's rules, the pages, and their query counts with thousands of voters."""

import io
import uuid

import pdfplumber
import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from committee.ballots import chain, demo, rules, selectors, services, signals
from committee.ballots.models import (
    Ballot,
    BallotState,
    Channel,
    CountSheet,
    LogEntry,
    PaperBallot,
    PaperMode,
    Participation,
    Receipt,
    Result,
    Vote,
    Voter,
)
from committee.ballots.rules import Status
from committee.documents.models import Document
from committee.documents.selectors import documents_for
from committee.models import ResidentsCouncil, User
from committee.roles import Role
from tests.conftest import account

CANDIDATES = ["老旧小区雨污分流改造", "农贸市场提质改造", "背街小巷路灯亮化", "社区养老服务站建设"]


def deputies(street, n=5):
    return list(User.objects.filter(username__startswith=f"{street.slug}_deputy1").order_by("username")[:n])


def make_ballot(staff, street, *, voters=None, rule="approval_majority_of_entitled", places=2, **kwargs):
    return services.ballot_create(
        by=staff,
        street=street,
        subject=ResidentsCouncil.objects.get(street=street),
        title=kwargs.pop("title", "2026年街道民生实事项目票决"),
        rule=rule,
        places=places,
        questions=kwargs.pop("questions", CANDIDATES),
        voters=deputies(street) if voters is None else voters,
        **kwargs,
    )


def opened(staff, street, **kwargs):
    return services.ballot_open(by=staff, ballot=make_ballot(staff, street, **kwargs))


def yes_to(*positions, count=4):
    return {p: "yes" if p in positions else "no" for p in range(1, count + 1)}


def slip_codes(ballot) -> dict[str, str]:
    document = documents_for(ballot).get(template=services.SLIPS_TEMPLATE)
    return {slip["name"]: slip["code"] for slip in document.context["slips"]}


def columns(model) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}


# --- The rules (DOMAIN.md "Livelihood projects") -----------------------------------------------------------

APPROVAL = rules.get("approval_majority_of_entitled")
SATISFACTION = rules.get("satisfaction_grades")


def approval(yes: list[int], *, entitled: int, places: int) -> dict:
    totals = {p: {"yes": n, "no": 0, "abstain": 0} for p, n in enumerate(yes, start=1)}
    return APPROVAL.outcome(totals=totals, valid=entitled, entitled=entitled, places=places)


def statuses(outcome: dict) -> list[str]:
    return [outcome["questions"][str(p)]["status"] for p in range(1, len(outcome["questions"]) + 1)]


def test_a_candidate_passes_with_more_than_half_of_all_entitled_voters():
    # 41 entitled: 21 yes is more than half, 20 is not (half of the entitled, not of those who voted).
    assert statuses(approval([21, 20, 30], entitled=41, places=3)) == [Status.ELECTED, Status.FAILED, Status.ELECTED]
    # 40 entitled: exactly half (20) is not enough.
    assert statuses(approval([20, 21], entitled=40, places=2)) == [Status.FAILED, Status.ELECTED]


def test_when_more_pass_than_places_the_most_yes_votes_take_them():
    outcome = approval([30, 25, 35, 28, 10], entitled=40, places=2)
    assert statuses(outcome) == [Status.ELECTED, Status.SURPLUS, Status.ELECTED, Status.SURPLUS, Status.FAILED]
    assert outcome["questions"]["3"]["rank"] == 1 and outcome["questions"]["1"]["rank"] == 2
    assert outcome["elected"] == 2 and not outcome["runoff"] and outcome["unfilled"] == 0


def test_a_tie_at_the_last_place_is_flagged_for_a_run_off():
    outcome = approval([30, 28, 28, 25], entitled=40, places=2)
    assert statuses(outcome) == [Status.ELECTED, Status.RUNOFF, Status.RUNOFF, Status.SURPLUS]
    assert outcome["runoff"] and outcome["runoff_places"] == 1 and outcome["elected"] == 1


def test_a_tie_that_fits_within_the_places_elects_both():
    outcome = approval([30, 28, 28, 25], entitled=40, places=3)
    assert statuses(outcome) == [Status.ELECTED, Status.ELECTED, Status.ELECTED, Status.SURPLUS]
    assert not outcome["runoff"]


def test_places_left_unfilled_when_too_few_pass():
    outcome = approval([30, 15, 12], entitled=40, places=2)
    assert statuses(outcome) == [Status.ELECTED, Status.FAILED, Status.FAILED]
    assert outcome["unfilled"] == 1


def test_more_candidates_than_places_is_required(staff_user, street):
    with pytest.raises(ValidationError, match="至少多1个"):
        make_ballot(staff_user, street, places=4)
    with pytest.raises(ValidationError, match="至少多2个"):
        make_ballot(staff_user, street, places=3, min_extra=2)
    assert make_ballot(staff_user, street, places=3).min_extra == 1


@pytest.mark.parametrize(
    ("satisfied", "basic", "unsatisfied", "grade"),
    [
        (6, 2, 2, Status.SATISFIED),  # 满意 exceed half
        (5, 1, 4, Status.BASIC),  # exactly half 满意 is not more than half; with 基本满意 6 of 10
        (3, 3, 4, Status.BASIC),
        (3, 2, 5, Status.UNSATISFIED),  # 满意 + 基本满意 exactly half: 不满意
        (0, 0, 0, Status.UNSATISFIED),
    ],
)
def test_satisfaction_grades(satisfied, basic, unsatisfied, grade):
    totals = {1: {"satisfied": satisfied, "basic": basic, "unsatisfied": unsatisfied}}
    outcome = SATISFACTION.outcome(totals=totals, valid=10, entitled=12, places=None)
    assert outcome["questions"]["1"]["status"] == grade


# --- Secrecy ------------------------------------------------------------------------------------------------


def test_no_column_of_a_vote_or_a_receipt_leads_to_a_voter(staff_user, street):
    assert columns(Vote) == {"id", "ballot_id", "choices"}
    assert columns(Receipt) == {"id", "ballot_id", "code"}
    for model in (Vote, Receipt):
        relations = {f.name for f in model._meta.get_fields() if f.is_relation}
        assert relations == {"ballot"}
        assert not [f for f in model._meta.get_fields() if f.get_internal_type() in ("DateTimeField", "DateField")]
    assert {f.name for f in Participation._meta.concrete_fields} == {
        "id",
        "street",
        "ballot",
        "voter",
        "channel",
        "issued_by",
    }
    ballot = opened(staff_user, street)
    services.ballot_cast(ballot=ballot, choices=yes_to(1), by=deputies(street)[0])
    vote = Vote.objects.get(ballot=ballot)
    assert isinstance(vote.pk, uuid.UUID) and vote.pk.version == 4
    assert set(vote.choices) == {"1", "2", "3", "4"}


def test_at_close_the_votes_lose_the_order_they_were_cast_in(staff_user, street):
    """Before close the votes sit in the table in the order they were cast (the order of the participations);
    the close rewrites them in random order. (Transaction ids: tests/test_ballots_concurrency.py.)"""
    voters = list(User.objects.filter(username__startswith=f"{street.slug}_deputy1").order_by("username"))
    ballot = opened(staff_user, street, voters=voters)
    for user in voters:
        services.ballot_cast(ballot=ballot, choices=yes_to(1), by=user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM ballots_vote WHERE ballot_id = %s ORDER BY ctid", [ballot.pk])
        before = [row[0] for row in cursor.fetchall()]
        services.ballot_close(by=staff_user, ballot=ballot)
        cursor.execute("SELECT id FROM ballots_vote WHERE ballot_id = %s ORDER BY ctid", [ballot.pk])
        after = [row[0] for row in cursor.fetchall()]
    assert sorted(before) == sorted(after) and len(after) == len(voters)
    assert after != before  # 24 votes: the same order again has odds of 1 in 24!
    published = [row[0] for row in selectors.published_votes(ballot)]
    assert published == sorted(published)  # published by the random key, not by time


def test_a_cast_writes_participation_vote_receipt_and_log_together(staff_user, street):
    ballot = opened(staff_user, street)
    voter = deputies(street)[0]
    receipt = services.ballot_cast(ballot=ballot, choices=yes_to(1, 2), by=voter)
    assert Participation.objects.get(ballot=ballot).voter.user == voter
    assert Receipt.objects.get(ballot=ballot).code == receipt
    assert Vote.objects.get(ballot=ballot).choices == {"1": "yes", "2": "yes", "3": "no", "4": "no"}
    assert list(LogEntry.objects.filter(ballot=ballot).values_list("kind", flat=True)) == ["open", "cast"]
    assert LogEntry.objects.get(ballot=ballot, kind="cast").payload == {"receipt": receipt}


def test_a_ballot_is_refused_when_incomplete_or_over_the_places(staff_user, street):
    ballot = opened(staff_user, street)
    voter = deputies(street)[0]
    with pytest.raises(ValidationError, match="请对每一项作出选择"):
        services.ballot_cast(ballot=ballot, choices={1: "yes"}, by=voter)
    with pytest.raises(ValidationError, match="最多只能对2个候选项目投赞成票"):
        services.ballot_cast(ballot=ballot, choices=yes_to(1, 2, 3), by=voter)
    assert not Participation.objects.filter(ballot=ballot).exists() and not Vote.objects.filter(ballot=ballot).exists()


def test_only_voters_on_the_roll_vote_and_only_once(staff_user, street, director):
    ballot = opened(staff_user, street)
    voter = deputies(street)[0]
    with pytest.raises(PermissionDenied):
        services.ballot_cast(ballot=ballot, choices=yes_to(1), by=director)
    services.ballot_cast(ballot=ballot, choices=yes_to(1), by=voter)
    with pytest.raises(ValidationError, match="您已投票"):
        services.ballot_cast(ballot=ballot, choices=yes_to(2), by=voter)
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_the_database_keeps_one_participation_per_voter(staff_user, street):
    """The unique (ballot, voter) row backs up the lock the services take."""
    ballot = opened(staff_user, street)
    voter = Voter.objects.filter(ballot=ballot).first()
    Participation.objects.create(street=street, ballot=ballot, voter=voter, channel=Channel.PHONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            street=street, ballot=ballot, voter=voter, channel=Channel.PAPER, issued_by=staff_user
        )


def test_closing_tells_the_chapter_features_once(staff_user, street):
    ballot = opened(staff_user, street)
    services.ballot_cast(ballot=ballot, choices=yes_to(1), by=deputies(street)[0])
    heard = []

    def receiver(sender, ballot, result, **kwargs):
        heard.append((ballot.pk, result.version, ballot.state))

    signals.ballot_closed.connect(receiver, sender=Ballot)
    try:
        services.ballot_close(by=staff_user, ballot=ballot)
        services.ballot_close(by=staff_user, ballot=ballot)
    finally:
        signals.ballot_closed.disconnect(receiver, sender=Ballot)
    assert heard == [(ballot.pk, 1, BallotState.CLOSED)]
    assert ballot in selectors.ballots_for(ResidentsCouncil.objects.get(street=street))


def test_the_roll_is_frozen_when_the_ballot_opens(staff_user, street):
    ballot = opened(staff_user, street)
    assert ballot.entitled == 5
    with pytest.raises(DatabaseError, match="refused"), transaction.atomic():
        Voter.objects.create(street=street, ballot=ballot, position=99, name="后加的人")


# --- One voter, one vote across channels ------------------------------------------------------------------


def test_a_paper_ballot_is_refused_to_a_voter_who_voted_on_the_phone(staff_user, street):
    ballot = opened(staff_user, street, paper=PaperMode.BALLOTS)
    user = deputies(street)[0]
    services.ballot_cast(ballot=ballot, choices=yes_to(1), by=user)
    with pytest.raises(ValidationError, match="已通过电子方式投票，不能再领取纸质选票"):
        services.paper_issue(by=staff_user, voter=Voter.objects.get(ballot=ballot, user=user))
    assert Participation.objects.filter(ballot=ballot).count() == 1


def test_a_voter_issued_a_paper_ballot_cannot_vote_on_the_phone(staff_user, street):
    ballot = opened(staff_user, street, paper=PaperMode.BALLOTS)
    user = deputies(street)[0]
    services.paper_issue(by=staff_user, voter=Voter.objects.get(ballot=ballot, user=user))
    with pytest.raises(ValidationError, match="您已领取纸质选票"):
        services.ballot_cast(ballot=ballot, choices=yes_to(1), by=user)
    with pytest.raises(ValidationError, match="已领取纸质选票"):
        services.paper_issue(by=staff_user, voter=Voter.objects.get(ballot=ballot, user=user))
    assert not Vote.objects.filter(ballot=ballot).exists()


def test_a_slip_code_votes_once_and_then_no_paper_ballot(staff_user, street):
    ballot = opened(staff_user, street, other_voters=["李堃"], paper=PaperMode.BALLOTS)
    code = slip_codes(ballot)["李堃"]
    receipt = services.ballot_cast(ballot=ballot, choices=yes_to(1), slip_code=code.lower().replace("-", " "))
    assert Participation.objects.get(ballot=ballot).channel == Channel.SLIP
    assert receipt != code
    with pytest.raises(ValidationError, match="您已投票"):
        services.ballot_cast(ballot=ballot, choices=yes_to(2), slip_code=code)
    with pytest.raises(ValidationError, match="投票码无效"):
        services.ballot_cast(ballot=ballot, choices=yes_to(2), slip_code="AAAA-BBBB-CCCC")
    with pytest.raises(ValidationError, match="已通过电子方式投票"):
        services.paper_issue(by=staff_user, voter=Voter.objects.get(ballot=ballot, name="李堃"))
    assert Voter.objects.get(ballot=ballot, name="李堃").slip_code_hash == chain.code_hash(code)


# --- Paper ballots, count sheets, the close ----------------------------------------------------------------


def _paper_ballot_counted(staff, street, *, issue=3, enter=3):
    ballot = opened(staff, street, paper=PaperMode.BALLOTS, electronic=True)
    users = deputies(street)
    services.ballot_cast(ballot=ballot, choices=yes_to(1, 2), by=users[0])
    for user in users[1 : 1 + issue]:
        services.paper_issue(by=staff, voter=Voter.objects.get(ballot=ballot, user=user))
    services.ballot_end_voting(by=staff, ballot=ballot)
    codes = list(PaperBallot.objects.filter(ballot=ballot).order_by("code").values_list("code", flat=True))
    for i, code in enumerate(codes[:enter]):
        services.paper_enter(by=staff, ballot=ballot, code=code, choices=yes_to(1, 3), invalid=i == 2)
    return ballot, codes


def test_paper_ballots_are_entered_once_each_and_never_more_than_issued(staff_user, street):
    ballot, codes = _paper_ballot_counted(staff_user, street, issue=3, enter=2)
    assert len(codes) == 5 + ballot.paper_spares
    with pytest.raises(ValidationError, match="已经录入"):
        services.paper_enter(by=staff_user, ballot=ballot, code=codes[0], choices=yes_to(1))
    with pytest.raises(ValidationError, match="没有这个选票编号"):
        services.paper_enter(by=staff_user, ballot=ballot, code="ZZZZ-ZZZZ", choices=yes_to(1))
    with pytest.raises(ValidationError, match="按无效票录入"):
        services.paper_enter(by=staff_user, ballot=ballot, code=codes[2], choices=yes_to(1, 2, 3))
    services.paper_enter(by=staff_user, ballot=ballot, code=codes[2], choices=yes_to(4))
    with pytest.raises(ValidationError, match="已达到发出的选票数（3张）"):
        services.paper_enter(by=staff_user, ballot=ballot, code=codes[3], choices=yes_to(4))


def test_close_reconciles_and_computes_the_result(staff_user, street):
    ballot, _codes = _paper_ballot_counted(staff_user, street)
    result = services.ballot_close(by=staff_user, ballot=ballot)
    counts = result.counts
    assert counts["entitled"] == 5 and counts["participations"] == 4 and counts["not_voted"] == 1
    assert (counts["paper_issued"], counts["paper_returned"], counts["paper_valid"], counts["paper_invalid"]) == (
        3,
        3,
        2,
        1,
    )
    assert counts["votes"] == 3 and counts["valid"] == 3 and counts["receipts"] == 4
    assert result.totals["1"] == {"yes": 3, "no": 0, "abstain": 0}
    assert result.totals["3"] == {"yes": 2, "no": 1, "abstain": 0}
    # 5 entitled: 3 yes votes pass, 2 do not; one of the two places stays unfilled.
    assert [result.outcome["questions"][p]["status"] for p in "1234"] == [
        Status.ELECTED,
        Status.FAILED,
        Status.FAILED,
        Status.FAILED,
    ]
    assert result.outcome["unfilled"] == 1
    ballot.refresh_from_db()
    assert ballot.state == BallotState.CLOSED
    assert LogEntry.objects.filter(ballot=ballot).order_by("-seq").first().hash == result.chain_hash


def test_closing_twice_gives_the_same_result(staff_user, street):
    ballot = opened(staff_user, street)
    services.ballot_cast(ballot=ballot, choices=yes_to(1), by=deputies(street)[0])
    first = services.ballot_close(by=staff_user, ballot=ballot)
    second = services.ballot_close(by=staff_user, ballot=ballot)
    assert first.pk == second.pk and Result.objects.filter(ballot=ballot).count() == 1
    with pytest.raises(ValidationError, match="投票已经结束"):
        services.ballot_cast(ballot=ballot, choices=yes_to(1), by=deputies(street)[1])


def test_a_paper_ballot_not_returned_needs_a_written_explanation(staff_user, street):
    ballot, _codes = _paper_ballot_counted(staff_user, street, issue=3, enter=2)
    with pytest.raises(ValidationError) as refused:
        services.ballot_close(by=staff_user, ballot=ballot)
    assert "发出纸质选票3张，收回2张，1张未收回。" in refused.value.messages
    assert Ballot.objects.get(pk=ballot.pk).state == BallotState.COUNTING
    result = services.ballot_close(by=staff_user, ballot=ballot, explanation="一名代表领票后因急事离场，未投票。")
    assert result.counts["cast"] == 3 and result.counts["participations"] == 4
    assert LogEntry.objects.get(ballot=ballot, kind="close").payload["explanation"].startswith("一名代表")


def test_votes_equal_participations_after_close(staff_user, street):
    ballot = opened(staff_user, street)
    for user in deputies(street)[:4]:
        services.ballot_cast(ballot=ballot, choices=yes_to(2), by=user)
    result = services.ballot_close(by=staff_user, ballot=ballot)
    assert Vote.objects.filter(ballot=ballot).count() == Participation.objects.filter(ballot=ballot).count() == 4
    assert result.counts["votes"] == result.counts["participations"] == 4


def _count_sheet_ballot(staff, street):
    ballot = opened(staff, street, paper=PaperMode.COUNT_SHEET, electronic=True)
    users = deputies(street)
    services.ballot_cast(ballot=ballot, choices=yes_to(1), by=users[0])
    for user in users[1:4]:
        services.paper_issue(by=staff, voter=Voter.objects.get(ballot=ballot, user=user))
    services.ballot_end_voting(by=staff, ballot=ballot)
    return ballot


SHEET = {
    "returned": 3,
    "valid": 3,
    "invalid": 0,
    "totals": {1: {"yes": 2, "no": 1}, 2: {"yes": 3}, 3: {"no": 3}, 4: {"abstain": 3}},
    "tellers": "王建国、李秀英",
    "scrutineers": "张喆",
}


def test_a_count_sheet_must_add_up(staff_user, street):
    ballot = _count_sheet_ballot(staff_user, street)
    with pytest.raises(ValidationError, match="多于发出的选票"):
        services.count_sheet_enter(by=staff_user, ballot=ballot, **{**SHEET, "returned": 4, "valid": 4})
    with pytest.raises(ValidationError, match="之和应等于收回的选票数"):
        services.count_sheet_enter(by=staff_user, ballot=ballot, **{**SHEET, "invalid": 1})
    with pytest.raises(ValidationError, match="各选项票数之和（2）应等于有效票数（3）"):
        services.count_sheet_enter(
            by=staff_user, ballot=ballot, **{**SHEET, "totals": {**SHEET["totals"], 3: {"no": 2}}}
        )
    with pytest.raises(ValidationError, match="请先录入计票单"):
        services.ballot_close(by=staff_user, ballot=ballot)
    services.count_sheet_enter(by=staff_user, ballot=ballot, **SHEET)
    with pytest.raises(ValidationError, match="更正计票单须说明原因"):
        services.count_sheet_enter(by=staff_user, ballot=ballot, **SHEET)
    result = services.ballot_close(by=staff_user, ballot=ballot)
    assert result.totals["1"] == {"yes": 3, "no": 1, "abstain": 0}  # 1 phone vote + the count sheet
    assert result.counts["valid"] == 4 and result.counts["paper_returned"] == 3


def test_a_locked_result_cannot_be_changed_even_by_sql(staff_user, street):
    ballot = opened(staff_user, street)
    services.ballot_cast(ballot=ballot, choices=yes_to(1), by=deputies(street)[0])
    result = services.ballot_close(by=staff_user, ballot=ballot)
    statements = [
        ("UPDATE ballots_result SET totals = '{}' WHERE id = %s", result.pk),
        ("DELETE FROM ballots_result WHERE id = %s", result.pk),
        ("UPDATE ballots_vote SET choices = '{}' WHERE ballot_id = %s", ballot.pk),
        ("DELETE FROM ballots_vote WHERE ballot_id = %s", ballot.pk),
        ("DELETE FROM ballots_receipt WHERE ballot_id = %s", ballot.pk),
        ("DELETE FROM ballots_participation WHERE ballot_id = %s", ballot.pk),
        ("UPDATE ballots_logentry SET payload = '{}' WHERE ballot_id = %s", ballot.pk),
        ("UPDATE ballots_ballot SET title = 'x' WHERE id = %s", ballot.pk),
        ("DELETE FROM ballots_voter WHERE ballot_id = %s", ballot.pk),
    ]
    for sql, pk in statements:
        with pytest.raises(DatabaseError, match="refused"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [pk])
    with pytest.raises(DatabaseError, match="refused"), transaction.atomic():
        Vote.objects.create(ballot=ballot, choices={"1": "yes"})
    result.refresh_from_db()
    assert result.totals["1"]["yes"] == 1


def test_a_recount_adds_a_result_with_its_reason(staff_user, street):
    ballot = _count_sheet_ballot(staff_user, street)
    services.count_sheet_enter(by=staff_user, ballot=ballot, **SHEET)
    first = services.ballot_close(by=staff_user, ballot=ballot)
    with pytest.raises(ValidationError, match="请填写重新计票的原因"):
        services.ballot_recount(by=staff_user, ballot=ballot, reason=" ")
    corrected = {**SHEET, "totals": {**SHEET["totals"], 1: {"yes": 1, "no": 2}}}
    second = services.ballot_recount(
        by=staff_user, ballot=ballot, reason="监票人复核发现第1项一张票误计为赞成。", count_sheet=corrected
    )
    assert (first.version, second.version) == (1, 2)
    assert second.totals["1"]["yes"] == 2 and Result.objects.get(pk=first.pk).totals["1"]["yes"] == 3
    assert CountSheet.objects.filter(ballot=ballot).count() == 2
    assert selectors.current_result(ballot) == second
    assert LogEntry.objects.filter(ballot=ballot).order_by("-seq").first().kind == "recount"
    assert chain.verify(
        list(
            LogEntry.objects.filter(ballot=ballot).order_by("seq").values("seq", "kind", "payload", "prev_hash", "hash")
        )
    )


# --- Verifiable: the published data -------------------------------------------------------------------------


def test_a_receipt_is_on_the_public_page_and_the_published_votes_recount_to_the_result(client, staff_user, street):
    ballot = opened(staff_user, street, other_voters=["赵玥"])
    receipts = [
        services.ballot_cast(ballot=ballot, choices=yes_to(i % 4 + 1), by=u) for i, u in enumerate(deputies(street))
    ]
    receipts.append(services.ballot_cast(ballot=ballot, choices=yes_to(1, 2), slip_code=slip_codes(ballot)["赵玥"]))
    url = reverse("ballots:result", args=[ballot.token])
    assert client.get(url).status_code == 404  # nothing is published before close
    result = services.ballot_close(by=staff_user, ballot=ballot)

    page = client.get(url).content.decode()
    assert receipts[0] in page and result.chain_hash in page
    found = client.get(url, {"receipt": receipts[3].lower()}).content.decode()
    assert "在已计入的选票中" in found
    assert "没有找到回执码" in client.get(url, {"receipt": "AAAA-AAAA-AAAA"}).content.decode()

    data = client.get(reverse("ballots:result_data", args=[ballot.token])).json()
    assert sorted(receipts) == data["receipts"]
    recount = {str(p): dict.fromkeys(data["ballot"]["options"], 0) for p in range(1, 5)}
    for _id, choices in data["votes"]:
        for position, code in choices.items():
            recount[position][code] += 1
    assert recount == data["results"][-1]["totals"] == result.totals
    assert chain.verify(data["log"]) and data["log"][-1]["hash"] == result.chain_hash
    assert data["log"][-1]["payload"]["votes"] == chain.digest(data["votes"])
    assert data["log"][-1]["payload"]["receipts"] == chain.digest(data["receipts"])
    # A receipt never shows the choice: no published vote carries a receipt, no receipt a choice.
    assert not any(code in str(data["votes"]) for code in receipts)
    votes_page = client.get(reverse("ballots:result_votes", args=[ballot.token])).content.decode()
    assert str(Vote.objects.filter(ballot=ballot).order_by("id").first().pk)[:8] in votes_page


def test_a_tampered_log_no_longer_verifies(staff_user, street):
    ballot = opened(staff_user, street)
    services.ballot_cast(ballot=ballot, choices=yes_to(1), by=deputies(street)[0])
    services.ballot_close(by=staff_user, ballot=ballot)
    entries = list(
        LogEntry.objects.filter(ballot=ballot).order_by("seq").values("seq", "kind", "payload", "prev_hash", "hash")
    )
    assert chain.verify(entries)
    entries[1]["payload"] = {"receipt": "AAAA-AAAA-AAAA"}
    assert not chain.verify(entries)
    assert not chain.verify([entries[0], entries[2]])  # an entry removed


def test_the_announcement_pdf_carries_the_final_hash(staff_user, street, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ballot = opened(staff_user, street)
    services.ballot_cast(ballot=ballot, choices=yes_to(1, 3), by=deputies(street)[0])
    result = services.ballot_close(by=staff_user, ballot=ballot, background=False)
    document = documents_for(ballot).get(template=services.ANNOUNCEMENT_TEMPLATE)
    assert document.state == "done", document.error
    with pdfplumber.open(io.BytesIO(document.file.read())) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
    assert result.chain_hash in text and "老旧小区雨污分流改造" in text


def test_slips_and_paper_ballots_are_issued_as_documents_for_the_tellers(staff_user, street):
    ballot = opened(staff_user, street, other_voters=["钱赟", "孙喆"], paper=PaperMode.BALLOTS)
    slips = documents_for(ballot).get(template=services.SLIPS_TEMPLATE)
    papers = documents_for(ballot).get(template=services.PAPERS_TEMPLATE)
    assert set(slip_codes(ballot)) == {"钱赟", "孙喆"}
    assert slips.view_capability == papers.view_capability == "manage_ballots"
    assert sorted(papers.context["papers"]) == sorted(
        PaperBallot.objects.filter(ballot=ballot).values_list("code", flat=True)
    )


# --- Pages --------------------------------------------------------------------------------------------------


def test_staff_create_and_open_a_ballot_from_the_page(client, login, staff_user, street):
    login(staff_user)
    good = {
        "street": street.pk,
        "title": "民生实事项目票决（测试）",
        "rule": "approval_majority_of_entitled",
        "places": "1",
        "questions": "项目甲\n项目乙\n",
        "roll_groups": ["deputy"],
        "other_voters": "周堃\n",
        "electronic": "on",
        "paper": PaperMode.BALLOTS,
        "paper_spares": "2",
    }
    response = client.post(reverse("ballots:add"), good)
    ballot = Ballot.objects.get(title="民生实事项目票决（测试）")
    assert response.status_code == 302 and ballot.subject == ResidentsCouncil.objects.get(street=street)
    assert ballot.voters.filter(user__isnull=True).get().name == "周堃"
    assert (
        ballot.voters.count()
        == User.objects.filter(
            memberships__street=street, memberships__role=Role.DEPUTY, memberships__ended_on__isnull=True
        ).count()
        + 1
    )
    bad = client.post(
        reverse("ballots:add"),
        {
            "street": street.pk,
            "title": "x",
            "rule": "approval_majority_of_entitled",
            "places": "2",
            "questions": "甲\n乙",
            "roll_groups": ["deputy"],
            "paper": "none",
            "paper_spares": "0",
            "electronic": "on",
        },
    )
    assert "差额票决" in bad.content.decode() and not Ballot.objects.filter(title="x").exists()
    elsewhere = ResidentsCouncil.objects.exclude(street=street).first()
    foreign = client.post(
        reverse("ballots:add") + f"?subject={ContentType.objects.get_for_model(elsewhere).pk}-{elsewhere.pk}",
        {**good, "title": "y"},
    )
    assert "不属于本街道" in foreign.content.decode() and not Ballot.objects.filter(title="y").exists()
    assert client.post(reverse("ballots:open", args=[ballot.pk])).status_code == 302
    ballot.refresh_from_db()
    assert ballot.state == BallotState.OPEN
    detail = client.get(reverse("ballots:detail", args=[ballot.pk])).content.decode()
    assert reverse("ballots:vote", args=[ballot.pk]) in detail and "投票凭条" in detail


def test_the_phone_page_shows_the_receipt_once(client, login, staff_user, street):
    ballot = opened(staff_user, street)
    voter = deputies(street)[0]
    login(voter)
    url = reverse("ballots:vote", args=[ballot.pk])
    form = client.get(url).content.decode()
    assert "提交投票" in form and "赞成最多 2 个" in form
    missing = client.post(url, {"cast": "1", "q1": "yes"}).content.decode()
    assert "请对这一项作出选择" in missing and not Participation.objects.filter(ballot=ballot).exists()
    response = client.post(url, {"cast": "1", "q1": "yes", "q2": "no", "q3": "abstain", "q4": "no"})
    receipt = Receipt.objects.get(ballot=ballot).code
    assert receipt in response.content.decode() and response["Cache-Control"] == "no-store"
    again = client.get(url).content.decode()
    assert "已投票" in again and receipt not in again
    # Nobody else sees it: not another voter, not the staff's pages.
    login(deputies(street)[1])
    assert receipt not in client.get(url).content.decode()
    login(staff_user)
    for name in ("ballots:detail", "ballots:roll"):
        assert receipt not in client.get(reverse(name, args=[ballot.pk])).content.decode()


def test_the_slip_page_takes_a_code_once_without_login(client, staff_user, street):
    ballot = opened(staff_user, street, other_voters=["吴玥"])
    code = slip_codes(ballot)["吴玥"]
    url = reverse("ballots:slip")
    assert "投票码无效" in client.post(url, {"code": "AAAA-AAAA-AAAA"}).content.decode()
    step = client.post(url, {"code": code}).content.decode()
    assert "提交投票" in step and "吴玥" in step
    done = client.post(url, {"code": code, "cast": "1", "q1": "yes", "q2": "yes", "q3": "no", "q4": "no"})
    assert Receipt.objects.get(ballot=ballot).code in done.content.decode()
    assert "此投票码已使用" in client.post(url, {"code": code}).content.decode()


def test_tellers_issue_enter_and_close_from_the_pages(client, login, staff_user, street):
    ballot = opened(staff_user, street, paper=PaperMode.BALLOTS)
    login(staff_user)
    voter = Voter.objects.get(ballot=ballot, position=1)
    client.post(reverse("ballots:issue_paper", args=[voter.pk]), {"next": reverse("ballots:roll", args=[ballot.pk])})
    assert Participation.objects.get(voter=voter).issued_by == staff_user
    again = client.post(reverse("ballots:issue_paper", args=[voter.pk]), follow=True).content.decode()
    assert "已领取纸质选票" in again
    client.post(reverse("ballots:end_voting", args=[ballot.pk]))
    code = PaperBallot.objects.filter(ballot=ballot).order_by("code").first().code
    client.post(
        reverse("ballots:paper_entry", args=[ballot.pk]),
        {"code": code.lower(), "q1": "yes", "q2": "no", "q3": "no", "q4": "abstain"},
    )
    assert Vote.objects.get(ballot=ballot).choices == {"1": "yes", "2": "no", "3": "no", "4": "abstain"}
    close = client.get(reverse("ballots:close", args=[ballot.pk])).content.decode()
    assert "清点无差异" in close
    client.post(reverse("ballots:close", args=[ballot.pk]), {"explanation": ""})
    ballot.refresh_from_db()
    assert ballot.state == BallotState.CLOSED
    assert code in client.get(reverse("ballots:result", args=[ballot.token])).content.decode()


def test_another_streets_ballot_is_404_and_a_voter_off_the_roll_403(client, login, staff_user, street, other_street):
    ballot = opened(staff_user, street)
    login(account("xinxianglu", Role.STAFF))
    for name in ("ballots:detail", "ballots:roll", "ballots:vote", "ballots:close"):
        assert client.get(reverse(name, args=[ballot.pk])).status_code == 404
    voter = Voter.objects.filter(ballot=ballot).first()
    assert client.post(reverse("ballots:issue_paper", args=[voter.pk])).status_code == 404
    login(staff_user)
    assert client.get(reverse("ballots:vote", args=[ballot.pk])).status_code == 403
    login(account("wangchunmen", Role.DEPUTY))
    assert client.get(reverse("ballots:detail", args=[ballot.pk])).status_code == 403


def test_the_demo_gives_every_street_a_closed_ballot_with_published_results(demo_data):
    demo.seed(background=True)  # the session's seed made them already: idempotent
    ballots = Ballot.objects.filter(title=demo.TITLE)
    assert ballots.count() == 4
    for ballot in ballots:
        result = selectors.current_result(ballot)
        assert (
            ballot.state == BallotState.CLOSED
            and result.counts["votes"] + result.counts["invalid"] == result.counts["participations"]
        )
        assert [result.outcome["questions"][p]["status"] for p in "123"] == [
            Status.SATISFIED,
            Status.BASIC,
            Status.UNSATISFIED,
        ]
        channels = set(Participation.objects.filter(ballot=ballot).values_list("channel", flat=True))
        assert channels == {Channel.PHONE, Channel.SLIP, Channel.PAPER}


# --- Query counts with thousands of voters and votes ----------------------------------------------------------


@pytest.fixture
def big_ballot(staff_user, street):
    """A closed ballot with 3,000 voters who all voted on their phones."""
    password = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"bulk-voter-{i}", full_name=f"选民{i}", password=password) for i in range(3000)
    )
    ballot = opened(staff_user, street, voters=users)
    voters = list(Voter.objects.filter(ballot=ballot))
    Participation.objects.bulk_create(
        Participation(street=street, ballot=ballot, voter=v, channel=Channel.PHONE) for v in voters
    )
    Vote.objects.bulk_create(
        Vote(ballot=ballot, choices={"1": "yes", "2": "no", "3": "abstain", "4": "yes"}) for _ in voters
    )
    Receipt.objects.bulk_create(Receipt(ballot=ballot, code=chain.new_code()) for _ in voters)
    services.ballot_close(by=staff_user, ballot=ballot)
    return ballot


# Queries: session, user, memberships (+ the page's own).
@pytest.mark.parametrize(
    ("name", "by_token", "queries"),
    [
        ("ballots:detail", False, 8),
        ("ballots:roll", False, 7),
        ("ballots:result", True, 8),
        ("ballots:result_votes", True, 7),
        ("ballots:list", False, 6),
        ("ballots:mine", False, 4),
    ],
)
def test_pages_keep_a_fixed_query_count_with_thousands_of_voters(
    client, login, staff_user, big_ballot, django_assert_num_queries, name, by_token, queries
):
    login(staff_user)
    args = [] if name in ("ballots:list", "ballots:mine") else [big_ballot.token if by_token else big_ballot.pk]
    with django_assert_num_queries(queries):
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert Document.objects.filter(object_id=big_ballot.pk, template=services.ANNOUNCEMENT_TEMPLATE).exists()
