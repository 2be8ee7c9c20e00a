"""Make the audit log append-only in the database (PostgreSQL): updates and deletes are refused,
except the SET NULL Django issues on `actor` when a user row is deleted."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION committee_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'the audit log is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER committee_auditentry_append_only
    BEFORE UPDATE OR DELETE ON committee_auditentry
    FOR EACH ROW EXECUTE FUNCTION committee_auditentry_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS committee_auditentry_append_only ON committee_auditentry;
DROP FUNCTION IF EXISTS committee_auditentry_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("committee", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
