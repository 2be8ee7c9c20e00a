"""The seeded test database, put back after each transactional test in a fraction of a second.

A test whose code runs outside its transaction (a live server, a Celery worker, threads) commits for real, so it
cannot be rolled back. Django empties the database after such a test (flush), and the demo took 15-20 s to seed
again. Instead, right after seeding, the session copies every table of the test database into the schema
`seeded_snapshot` and notes every sequence's value (`take`); a transactional test ends with `restore`: in one
transaction, DELETE every table's rows, INSERT ... SELECT the copied rows back and set each sequence to its noted
value, so the next test finds the database exactly as the seed left it. DELETE, not TRUNCATE: on tables this small
it takes 0.15 s where TRUNCATE, creating new files for every table and index, takes 2 s.

While the rows go back, triggers and foreign-key checks do not fire (`session_replication_role = replica`, which
needs a superuser, as the test run's PostgreSQL account is): they are the very rows that passed them when the demo
was seeded, and a closed ballot's guard triggers would refuse its votes otherwise. `django_migrations` is left
alone (only `migrate` writes it).
"""

from dataclasses import dataclass
from functools import cached_property

from django.db import connection, transaction

SCHEMA = "seeded_snapshot"

TABLES = """
SELECT quote_ident(c.relname), string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND c.relname <> 'django_migrations'
GROUP BY c.relname
ORDER BY c.relname
"""

SEQUENCES = """
SELECT quote_literal(quote_ident(schemaname) || '.' || quote_ident(sequencename)), last_value, start_value
FROM pg_sequences
WHERE schemaname = current_schema()
ORDER BY sequencename
"""


@dataclass(frozen=True)
class Snapshot:
    tables: list[tuple[str, str]]  # (quoted name, its quoted columns)
    sequences: list[tuple[str, int | None, int]]  # (quoted name as a literal, last value or None, start value)

    @cached_property
    def restore_sql(self) -> str:
        # Names come from the catalog, quoted there (quote_ident, quote_literal); values are integers.
        setvals = (
            f"setval({name}, {start}, false)" if last is None else f"setval({name}, {last}, true)"
            for name, last, start in self.sequences
        )
        return ";\n".join(
            [
                "SET LOCAL session_replication_role = replica",
                *(f"DELETE FROM {table}" for table, _ in self.tables),  # noqa: S608
                *(
                    f"INSERT INTO {table} ({columns}) OVERRIDING SYSTEM VALUE SELECT {columns} FROM {SCHEMA}.{table}"  # noqa: S608
                    for table, columns in self.tables
                ),
                *([f"SELECT {', '.join(setvals)}"] if self.sequences else []),
            ]
        )

    def restore(self):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(self.restore_sql)


def take() -> Snapshot:
    """Copy every table into SCHEMA (made anew) and note every sequence's value."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(TABLES)
        tables = cursor.fetchall()
        cursor.execute(SEQUENCES)
        sequences = cursor.fetchall()
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
        for table, columns in tables:
            cursor.execute(f"CREATE TABLE {SCHEMA}.{table} AS SELECT {columns} FROM {table}")  # noqa: S608
    return Snapshot(tables=tables, sequences=sequences)
