"""The quick start's speed-ups keep what `make run` gives: the schema of a new SQLite database, the demo's accounts
first (a login works before the rest of the demo exists), the rest step by step, and the compliance grid's bumps."""

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.migrations.loader import MigrationLoader

from committee.management.commands import migrate_quickstart
from tests.test_seed_demo import snapshot
from tests.test_settings import quickstart_environment

ROOT = Path(__file__).resolve().parent.parent


def manage(tmp_path, *args: str, database: str = "committee.sqlite3") -> str:
    env = quickstart_environment(tmp_path) | {"DATABASE_URL": f"sqlite:///{tmp_path / database}"}
    result = subprocess.run(  # noqa: S603 - the test's own commands
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


# --- migrate_quickstart -------------------------------------------------------------------------------------------
def schema(path: Path) -> dict:
    """Every table's columns and constraints (the parts of its CREATE TABLE, in any order: migrations add columns
    at the end), every index and trigger, and the migrations recorded as applied."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
        applied = set(connection.execute("SELECT app, name FROM django_migrations").fetchall())
    tables = {name: sorted(_parts(sql)) for kind, name, sql in rows if kind == "table"}
    others = {(kind, name): sql for kind, name, sql in rows if kind != "table"}
    return {"tables": tables, "indexes and triggers": others, "applied": applied}


def _parts(create_table: str) -> list[str]:
    """The comma-separated items between the outer parentheses of a CREATE TABLE statement."""
    body = create_table[create_table.index("(") + 1 : create_table.rindex(")")]
    parts, depth, current = [], 0, ""
    for char in body:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [*parts, re.sub(r"\s+", " ", current.strip())]


def test_a_new_sqlite_database_gets_the_schema_the_migrations_give(tmp_path):
    """The quick path (tables from the models, migrations recorded) and replaying every migration give the same
    tables, columns, constraints, indexes and applied migrations; a second run migrates as usual (nothing to do)."""
    out = manage(tmp_path, "migrate_quickstart", database="quick.sqlite3")
    assert "tables created from the models" in out  # the quick path was taken: no unlisted data migration
    manage(tmp_path, "migrate", "--no-input", database="migrated.sqlite3")
    quick, migrated = schema(tmp_path / "quick.sqlite3"), schema(tmp_path / "migrated.sqlite3")
    # A swapped-out model's migrations create its table, which nothing uses (auditlog's LogEntry: committee.AuditEntry)
    for model in apps.get_models(include_swapped=True):
        if model._meta.swapped:
            migrated["tables"].pop(model._meta.db_table, None)
            migrated["indexes and triggers"] = {
                (kind, name): sql
                for (kind, name), sql in migrated["indexes and triggers"].items()
                if f'ON "{model._meta.db_table}"' not in sql
            }
    assert quick["tables"].keys() == migrated["tables"].keys()
    for table, parts in migrated["tables"].items():
        assert quick["tables"][table] == parts, table
    assert quick["indexes and triggers"] == migrated["indexes and triggers"]
    assert quick["applied"] == migrated["applied"] and len(quick["applied"]) > 70
    assert "No migrations to apply" in manage(tmp_path, "migrate_quickstart", database="quick.sqlite3")


def test_every_data_migration_is_known_to_do_nothing_on_a_new_database():
    """A new RunPython / RunSQL migration must be judged: listed (it does nothing on a new database), or the quick
    start migrates one by one (slowly). Nothing listed is stale."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    with_data = {
        key
        for key, migration in loader.disk_migrations.items()
        if any(isinstance(op, migrate_quickstart.DATA_OPERATIONS) for op in migration.operations)
    }
    assert with_data == set(migrate_quickstart.NOTHING_TO_DO_ON_A_NEW_DATABASE)


def test_postgresql_is_migrated_as_usual(db, capsys):
    call_command("migrate_quickstart")
    assert "No migrations to apply" in capsys.readouterr().out


# --- seed_demo --accounts, then --rest ----------------------------------------------------------------------------
PAGES = """
import django
django.setup()
from django.test import Client
from committee.models import Street
from meetings.models import Meeting
assert not Meeting.objects.exists()  # only the accounts so far
for username in ("wangchunmen_director", "wangchunmen_staff", "wangchunmen_deputy", "xiangxiang_city"):
    client = Client(SERVER_NAME="127.0.0.1")
    login = client.post("/accounts/login/", {"username": username, "password": "Renda@2025"})
    assert login.status_code == 302, (username, login.status_code)
    for path in ("/", "/dashboard/", "/meetings/", "/opinions/", "/deputies/", "/livelihood/", "/notices/", "/duties/"):
        page = client.get(path)
        print(username, path, page.status_code)
"""


def test_the_accounts_come_first_and_pages_answer_before_the_rest_of_the_demo(tmp_path):
    """`make run` serves once the streets and accounts exist: a login works and the main pages answer (no error
    page) while the rest of the demo is still being seeded."""
    manage(tmp_path, "collectstatic", "--no-input", "-v", "0")
    manage(tmp_path, "migrate_quickstart")
    out = manage(tmp_path, "seed_demo", "--accounts", "--skip-checks")
    assert "演示账号已就绪" in out and "wangchunmen_director" in out and "Renda@2025" in out
    env = quickstart_environment(tmp_path) | {"DATABASE_URL": f"sqlite:///{tmp_path / 'committee.sqlite3'}"}
    result = subprocess.run(  # noqa: S603 - the test's own command
        [sys.executable, "-c", PAGES], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    statuses = [line.rsplit(" ", 1)[1] for line in result.stdout.splitlines()]
    assert len(statuses) == 32 and set(statuses) <= {"200", "302", "403"}, result.stdout
    assert statuses.count("200") >= 16, result.stdout


def test_seed_demo_accounts_then_rest_gives_the_same_demo(demo_data, capsys, monkeypatch):
    from committee.management.commands import seed_demo

    monkeypatch.setattr(seed_demo, "PAUSE_BETWEEN_STEPS", 0)  # the pause lets waiting requests write (make run)
    first = snapshot()
    call_command("seed_demo", "--accounts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", "--rest")
    out = capsys.readouterr().out
    assert snapshot() == first
    assert "演示数据：livelihood_votes 已生成" in out and "演示数据已全部就绪" in out


def test_seed_rest_delivers_each_steps_notices_before_it_commits(demo_data):
    """Each step is committed on its own: its notices are the demo's past by then, so the worker that runs while
    `make run` seeds never sends one to the demo's made-up people."""
    from committee import demo
    from committee.notices.models import Notice, NoticeState

    Notice.objects.filter(street__slug__in=demo.STREET_SLUGS).delete()  # every step writes its notices again
    committed = []
    for name in demo.seed_rest(background=True):
        assert not Notice.objects.filter(state=NoticeState.PENDING).exists(), name
        committed.append(name)
    assert committed == [name for name, _ in demo.steps()][1:]
    assert Notice.objects.filter(street__slug__in=demo.STREET_SLUGS).exists()


def test_seed_demo_rest_needs_the_accounts_first(db, monkeypatch):
    from committee import demo

    monkeypatch.setattr(demo, "STREET_SLUGS", ["nowhere"])
    with pytest.raises(CommandError, match="seed_demo --accounts"):
        call_command("seed_demo", "--rest")


# --- The compliance grid's versions, bumped once per block ----------------------------------------------------------
def test_bumps_deferred_bumps_each_changed_street_once_at_the_end(demo_data, street):
    from django.core.cache import cache

    from committee.compliance import cache as grid
    from committee.models import StreetCommittee

    version = cache.get(grid._street_key(street.pk))
    committee = StreetCommittee.objects.get(street=street)
    with grid.bumps_deferred():
        committee.save()
        committee.save()
        assert cache.get(grid._street_key(street.pk)) == version  # not yet
        with grid.bumps_deferred():  # nested: the outer block bumps
            committee.save()
        assert cache.get(grid._street_key(street.pk)) == version
    assert cache.get(grid._street_key(street.pk)) != version
    bumped = cache.get(grid._street_key(street.pk))
    committee.save()  # outside a block: at once, as before
    assert cache.get(grid._street_key(street.pk)) != bumped
