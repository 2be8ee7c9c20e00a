"""The ballot engine under concurrency, on PostgreSQL with real threads (one connection each): one voter submitting
20 times at once, 100 voters at once, closers racing the last votes; and what the database's system columns show
before and after the close. These tests commit, so they build their own street (the demo is not needed)."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import connection, connections

from committee.ballots import chain, services
from committee.ballots.models import LogEntry, Participation, Receipt, Result, Vote
from committee.models import Membership, Municipality, ResidentsCouncil, Street, StreetCommittee, User
from committee.roles import Role
from tests.markers import transactional_db

pytestmark = transactional_db

CANDIDATES = ["项目甲", "项目乙", "项目丙"]
CHOICES = {1: "yes", 2: "no", 3: "abstain"}
WORKERS = 20  # the database server is shared: stay well under its connection limit


@pytest.fixture
def setting():
    """A street of its own with a staff member and `n` voters with accounts."""
    city, _ = Municipality.objects.get_or_create(
        name="并发测试市", defaults={"standing_committee_name": "并发测试市人大常委会", "short_name": "并发人大"}
    )
    street = Street.objects.create(municipality=city, name="并发测试街道", slug="ballot-concurrency", abbreviation="并")
    StreetCommittee.objects.create(street=street, name="并发测试街道人大工委")
    council = ResidentsCouncil.objects.create(street=street, name="并发测试街道居民议事会")
    staff = User.objects.create(username="ballot-concurrency-staff", full_name="计票员")
    Membership.objects.create(
        user=staff, street=street, role=Role.STAFF, started_on=datetime.date.today() - datetime.timedelta(days=1)
    )

    def make(n: int):
        password = make_password(None)
        voters = User.objects.bulk_create(
            User(username=f"ballot-concurrency-voter-{i}", full_name=f"选民{i}", password=password) for i in range(n)
        )
        ballot = services.ballot_create(
            by=staff,
            street=street,
            subject=council,
            title="并发测试票决",
            rule="approval_majority_of_entitled",
            places=1,
            questions=CANDIDATES,
            voters=voters,
        )
        return staff, services.ballot_open(by=staff, ballot=ballot), voters

    return make


def in_threads(tasks, workers=WORKERS):
    """Run the callables at once (released together), each on its own connection; return what each returned or
    the ValidationError it raised."""
    gate = threading.Event()

    def run(task):
        gate.wait()
        try:
            return task()
        except ValidationError as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run, task) for task in tasks]
        gate.set()
        return [f.result() for f in futures]


def test_twenty_concurrent_submissions_by_one_voter_make_one_vote(setting):
    _staff, ballot, (voter,) = setting(1)
    outcomes = in_threads([lambda: services.ballot_cast(ballot=ballot, choices=CHOICES, by=voter)] * 20)
    receipts = [o for o in outcomes if isinstance(o, str)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(receipts) == 1 and len(refused) == 19
    assert all("您已投票" in " ".join(e.messages) for e in refused)
    assert Vote.objects.filter(ballot=ballot).count() == 1
    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert list(Receipt.objects.filter(ballot=ballot).values_list("code", flat=True)) == receipts


def test_a_hundred_concurrent_voters_make_a_hundred_votes(setting):
    staff, ballot, voters = setting(100)
    outcomes = in_threads(
        [lambda user=user: services.ballot_cast(ballot=ballot, choices=CHOICES, by=user) for user in voters]
    )
    assert all(isinstance(o, str) for o in outcomes), [o for o in outcomes if not isinstance(o, str)][:3]
    assert len(set(outcomes)) == 100
    assert Vote.objects.filter(ballot=ballot).count() == 100
    assert Participation.objects.filter(ballot=ballot).count() == 100
    entries = list(
        LogEntry.objects.filter(ballot=ballot).order_by("seq").values("seq", "kind", "payload", "prev_hash", "hash")
    )
    assert len(entries) == 101 and chain.verify(entries)
    result = services.ballot_close(by=staff, ballot=ballot)
    assert result.counts["votes"] == result.counts["participations"] == 100
    assert result.totals["1"] == {"yes": 100, "no": 0, "abstain": 0}


def test_closers_racing_the_last_votes_all_get_the_same_count(setting):
    staff, ballot, voters = setting(60)
    casts = [lambda user=user: services.ballot_cast(ballot=ballot, choices=CHOICES, by=user) for user in voters]
    closers = [lambda: services.ballot_close(by=staff, ballot=ballot) for _ in range(4)]
    outcomes = in_threads(casts[:20] + closers + casts[20:], workers=16)
    results = [o for o in outcomes if isinstance(o, Result)]
    cast = [o for o in outcomes if isinstance(o, str)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(results) == 4 and len({r.pk for r in results}) == 1
    assert {r.counts["votes"] for r in results} == {len(cast)}
    assert len(cast) + len(refused) == 60 and refused
    assert all("投票已经结束" in " ".join(e.messages) for e in refused)
    assert (
        Vote.objects.filter(ballot=ballot).count() == Participation.objects.filter(ballot=ballot).count() == len(cast)
    )
    assert Result.objects.filter(ballot=ballot).count() == 1


def _xmins(table: str, ballot) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {table} WHERE ballot_id = %s", [ballot.pk])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def test_after_close_no_transaction_id_lines_a_vote_up_with_a_participation(setting):
    """Written in one transaction, a vote and its participation carry the same transaction id (xmin) until the
    close rewrites the votes: then every vote carries the close's transaction id, which is no participation's."""
    staff, ballot, voters = setting(10)
    for user in voters:
        services.ballot_cast(ballot=ballot, choices=CHOICES, by=user)
    participations = _xmins("ballots_participation", ballot)
    assert sorted(_xmins("ballots_vote", ballot)) == sorted(participations)  # linkable while open
    services.ballot_close(by=staff, ballot=ballot)
    after = set(_xmins("ballots_vote", ballot))
    assert len(after) == 1 and not after & set(participations)
