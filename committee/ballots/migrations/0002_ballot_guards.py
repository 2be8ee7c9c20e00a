"""Lock ballots in the database (PostgreSQL), like the audit log (committee/0002):

- a closed ballot's row is never updated or deleted;
- questions and the roll change only while the ballot is a draft (the roll is frozen when it opens);
- participations, votes, receipts and paper ballots change no more once it is closed;
- votes, participations and receipts are never updated; results, log entries and count sheets are append-only
  (a recount adds a version)."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION ballots_guard() RETURNS trigger AS $$
DECLARE
    target bigint;
    ballot_state text;
BEGIN
    IF TG_OP = 'DELETE' THEN target := OLD.ballot_id; ELSE target := NEW.ballot_id; END IF;
    SELECT state INTO ballot_state FROM ballots_ballot WHERE id = target;
    IF ballot_state = ANY (TG_ARGV) THEN
        RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ': ' || TG_OP || ' refused, the ballot is ' || ballot_state;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION ballots_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION ballots_closed_ballot_locked() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'closed' THEN
        RAISE EXCEPTION USING MESSAGE = 'a closed ballot is locked: ' || TG_OP || ' refused';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ballots_ballot_locked BEFORE UPDATE OR DELETE ON ballots_ballot
    FOR EACH ROW EXECUTE FUNCTION ballots_closed_ballot_locked();

CREATE TRIGGER ballots_question_frozen BEFORE INSERT OR UPDATE OR DELETE ON ballots_question
    FOR EACH ROW EXECUTE FUNCTION ballots_guard('open', 'counting', 'closed');
CREATE TRIGGER ballots_voter_frozen BEFORE INSERT OR UPDATE OR DELETE ON ballots_voter
    FOR EACH ROW EXECUTE FUNCTION ballots_guard('open', 'counting', 'closed');

CREATE TRIGGER ballots_participation_closed BEFORE INSERT OR DELETE ON ballots_participation
    FOR EACH ROW EXECUTE FUNCTION ballots_guard('closed');
CREATE TRIGGER ballots_vote_closed BEFORE INSERT OR DELETE ON ballots_vote
    FOR EACH ROW EXECUTE FUNCTION ballots_guard('closed');
CREATE TRIGGER ballots_receipt_closed BEFORE INSERT OR DELETE ON ballots_receipt
    FOR EACH ROW EXECUTE FUNCTION ballots_guard('closed');
CREATE TRIGGER ballots_paperballot_closed BEFORE INSERT OR UPDATE OR DELETE ON ballots_paperballot
    FOR EACH ROW EXECUTE FUNCTION ballots_guard('closed');

CREATE TRIGGER ballots_participation_no_update BEFORE UPDATE ON ballots_participation
    FOR EACH ROW EXECUTE FUNCTION ballots_append_only();
CREATE TRIGGER ballots_vote_no_update BEFORE UPDATE ON ballots_vote
    FOR EACH ROW EXECUTE FUNCTION ballots_append_only();
CREATE TRIGGER ballots_receipt_no_update BEFORE UPDATE ON ballots_receipt
    FOR EACH ROW EXECUTE FUNCTION ballots_append_only();
CREATE TRIGGER ballots_result_append_only BEFORE UPDATE OR DELETE ON ballots_result
    FOR EACH ROW EXECUTE FUNCTION ballots_append_only();
CREATE TRIGGER ballots_logentry_append_only BEFORE UPDATE OR DELETE ON ballots_logentry
    FOR EACH ROW EXECUTE FUNCTION ballots_append_only();
CREATE TRIGGER ballots_countsheet_append_only BEFORE UPDATE OR DELETE ON ballots_countsheet
    FOR EACH ROW EXECUTE FUNCTION ballots_append_only();
"""

TABLE_TRIGGERS = [
    ("ballots_ballot", "ballots_ballot_locked"),
    ("ballots_question", "ballots_question_frozen"),
    ("ballots_voter", "ballots_voter_frozen"),
    ("ballots_participation", "ballots_participation_closed"),
    ("ballots_vote", "ballots_vote_closed"),
    ("ballots_receipt", "ballots_receipt_closed"),
    ("ballots_paperballot", "ballots_paperballot_closed"),
    ("ballots_participation", "ballots_participation_no_update"),
    ("ballots_vote", "ballots_vote_no_update"),
    ("ballots_receipt", "ballots_receipt_no_update"),
    ("ballots_result", "ballots_result_append_only"),
    ("ballots_logentry", "ballots_logentry_append_only"),
    ("ballots_countsheet", "ballots_countsheet_append_only"),
]

BACKWARD = (
    "".join(f"DROP TRIGGER IF EXISTS {trigger} ON {table};\n" for table, trigger in TABLE_TRIGGERS)
    + """
DROP FUNCTION IF EXISTS ballots_guard();
DROP FUNCTION IF EXISTS ballots_append_only();
DROP FUNCTION IF EXISTS ballots_closed_ballot_locked();
"""
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("ballots", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
