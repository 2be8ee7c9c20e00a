"""`manage.py migrate_quickstart`: bring the database to the current schema, quickly on a new quick-start database.

On PostgreSQL, or on a SQLite database that has any table already, this is `manage.py migrate`: existing
installations upgrade through their migrations as always.

On a new, empty SQLite database (a fresh `make run`), replaying the migrations is slow: every operation makes Django
re-render the state of every model related to the one it changes, and here every model is related to every other
through the user and the street, so a `migrate` spends ~40 s of CPU building model states for ~75 migrations. There
the tables are created from the models at once instead (what Django's test runner does with `MIGRATE: False`), and
every migration is recorded as applied, so later migrations apply on top as usual. The models and the migrations
describe the same schema (CI runs `makemigrations --check`; tests/test_quickstart.py compares the two schemas); what
the models cannot create is the migrations' data operations, so the quick path is taken only when every one of them
is listed in NOTHING_TO_DO_ON_A_NEW_DATABASE with why it does nothing there. A new data migration that is not listed
makes this command migrate (slowly, and correctly) and tests/test_quickstart.py fail until it is listed or left so.
"""

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython, RunSQL, SeparateDatabaseAndState

# (app label, migration): why its data operation does nothing on a new, empty SQLite database.
NOTHING_TO_DO_ON_A_NEW_DATABASE = {
    ("contenttypes", "0002_remove_content_type_name"): "its forward operation is a no-op",
    ("auth", "0011_update_proxy_permissions"): "moves existing permissions of proxy models: there are none",
    ("axes", "0007_alter_accessattempt_unique_together"): "removes duplicate access attempts: there are none",
    ("committee", "0002_audit_append_only"): "installs a PostgreSQL trigger; nothing on SQLite",
    ("ballots", "0002_ballot_guards"): "installs PostgreSQL triggers; nothing on SQLite",
    ("party_reports", "0002_party_report_signed_off_by"): "backfills existing party reports: there are none",
    ("stations", "0002_rota"): "turns existing receptions' themed flag into their kind: there are none",
}
DATA_OPERATIONS = (RunPython, RunSQL, SeparateDatabaseAndState)


def unlisted_data_migrations(executor: MigrationExecutor) -> list[tuple[str, str]]:
    """The migrations still to apply whose data operations are not known to do nothing on a new database."""
    return [
        (migration.app_label, migration.name)
        for migration, _ in full_plan(executor)
        if any(isinstance(operation, DATA_OPERATIONS) for operation in migration.operations)
        and (migration.app_label, migration.name) not in NOTHING_TO_DO_ON_A_NEW_DATABASE
    ]


def full_plan(executor: MigrationExecutor):
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


class Command(BaseCommand):
    help = (
        "Migrate the database; a new, empty SQLite database (the quick start's) gets its tables from the models at "
        "once and every migration recorded as applied."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        migrate = {"database": options["database"], "interactive": False, "skip_checks": True}
        migrate["verbosity"] = options["verbosity"]
        if connection.vendor != "sqlite" or connection.introspection.table_names():
            call_command("migrate", **migrate)
            return
        executor = MigrationExecutor(connection)
        if unlisted := unlisted_data_migrations(executor):
            self.stdout.write(f"Data migrations that may matter on a new database, migrating one by one: {unlisted}")
            call_command("migrate", **migrate)
            return
        plan = full_plan(executor)
        modules = getattr(settings, "MIGRATION_MODULES", {})
        settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
        try:  # every app without migrations: migrate creates the tables from the models (and runs post_migrate)
            call_command("migrate", run_syncdb=True, **migrate)
        finally:
            settings.MIGRATION_MODULES = modules
        executor.recorder.ensure_schema()  # the table of applied migrations, which no app's models create
        with transaction.atomic(using=options["database"]):
            for migration, _ in plan:
                executor.record_migration(migration)
        if options["verbosity"]:
            self.stdout.write(f"New SQLite database: tables created from the models, {len(plan)} migrations recorded.")
