"""The seeded snapshot that transactional tests end with (tests/snapshot.py): putting it back gives every row and
every sequence the seed left, whatever the test committed."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test import TransactionTestCase

from committee.models import Membership, Street, User
from tests.markers import transactional_db
from tests.snapshot import SCHEMA

pytestmark = transactional_db


def contents(snapshot, schema: str) -> dict[str, str]:
    """Each table's rows in `schema` (the test database's own or the snapshot's), as one digest a table."""
    digests = {}
    with connection.cursor() as cursor:
        for table, columns in snapshot.tables:
            cursor.execute(
                f"SELECT md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), '')) "  # noqa: S608
                f"FROM (SELECT {columns} FROM {schema}.{table}) r"
            )
            digests[table] = cursor.fetchone()[0]
    return digests


def sequences() -> dict[str, int | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()")
        return dict(cursor.fetchall())


def test_a_transactional_test_starts_from_the_seeded_demo(django_db_setup, demo_data):
    """Whatever transactional test ran before this one on the same worker ended by putting the snapshot back."""
    assert Street.objects.count() == 4
    assert contents(django_db_setup, "public") == contents(django_db_setup, SCHEMA)


def test_restoring_puts_back_every_row_and_sequence_the_seed_left(django_db_setup, demo_data):
    seeded, seeded_sequences = contents(django_db_setup, SCHEMA), sequences()
    assert len(seeded) > 50 and any(last for last in seeded_sequences.values())

    Street.objects.filter(slug="wangchunmen").update(name="改过名的街道")
    Membership.objects.filter(user__username="wangchunmen_deputy100").delete()
    user = User.objects.create(username="snapshot-test", full_name="快照测试")
    Membership.objects.create(
        user=user, street=Street.objects.get(slug="dongshan"), role="deputy", started_on=datetime.date(2026, 1, 1)
    )
    changed = contents(django_db_setup, "public")
    assert {table for table in seeded if changed[table] != seeded[table]} >= {
        "committee_street",
        "committee_user",
        "committee_membership",
    }
    assert sequences() != seeded_sequences

    django_db_setup.restore()

    assert contents(django_db_setup, "public") == seeded
    assert sequences() == seeded_sequences
    assert Street.objects.get(slug="wangchunmen").name == "望春门街道"


def test_django_teardown_of_a_transactional_test_puts_the_seed_back_and_empties_redis(demo_data):
    Street.objects.filter(slug="wangchunmen").update(name="改过名的街道")
    cache.set("test-snapshot-probe", 1, timeout=60)

    TransactionTestCase._fixture_teardown(None)  # what pytest-django's teardown calls after a transactional test

    assert Street.objects.get(slug="wangchunmen").name == "望春门街道"
    assert cache.get("test-snapshot-probe") is None
