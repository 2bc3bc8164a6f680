"""Database triggers that keep a signed injection and its readings unchanged.

While assessments_injection.locked_at is set, the database refuses to insert, update or
delete the injection's readings and to update the injection itself (other than clearing
the lock, which only an amendment does). The service layer checks first to give a clear
message; these triggers make sure no other path (shell, bulk update, raw SQL) gets round it.
"""

from django.db import migrations

MESSAGE = "injection is signed and locked; open an amendment to change it"

SQLITE = [
    f"""
    CREATE TRIGGER assessments_reading_locked_insert
    BEFORE INSERT ON assessments_painreading
    WHEN (SELECT locked_at FROM assessments_injection WHERE id = NEW.injection_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER assessments_reading_locked_update
    BEFORE UPDATE ON assessments_painreading
    WHEN (SELECT locked_at FROM assessments_injection WHERE id = OLD.injection_id) IS NOT NULL
      OR (SELECT locked_at FROM assessments_injection WHERE id = NEW.injection_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER assessments_reading_locked_delete
    BEFORE DELETE ON assessments_painreading
    WHEN (SELECT locked_at FROM assessments_injection WHERE id = OLD.injection_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER assessments_injection_locked_update
    BEFORE UPDATE ON assessments_injection
    WHEN OLD.locked_at IS NOT NULL AND NEW.locked_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
    f"""
    CREATE TRIGGER assessments_injection_locked_delete
    BEFORE DELETE ON assessments_injection
    WHEN OLD.locked_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS assessments_{name}"
    for name in (
        "reading_locked_insert",
        "reading_locked_update",
        "reading_locked_delete",
        "injection_locked_update",
        "injection_locked_delete",
    )
]

POSTGRES = [
    f"""
    CREATE FUNCTION assessments_refuse_locked() RETURNS trigger AS $$
    DECLARE
        ids bigint[];
    BEGIN
        IF TG_TABLE_NAME = 'assessments_injection' THEN
            IF TG_OP = 'DELETE' AND OLD.locked_at IS NOT NULL
               OR TG_OP = 'UPDATE' AND OLD.locked_at IS NOT NULL AND NEW.locked_at IS NOT NULL THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        ELSE
            IF TG_OP IN ('UPDATE', 'DELETE') THEN ids := ids || OLD.injection_id; END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN ids := ids || NEW.injection_id; END IF;
            IF EXISTS (SELECT 1 FROM assessments_injection
                       WHERE id = ANY(ids) AND locked_at IS NOT NULL) THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER assessments_reading_locked
    BEFORE INSERT OR UPDATE OR DELETE ON assessments_painreading
    FOR EACH ROW EXECUTE FUNCTION assessments_refuse_locked();
    """,
    """
    CREATE TRIGGER assessments_injection_locked
    BEFORE UPDATE OR DELETE ON assessments_injection
    FOR EACH ROW EXECUTE FUNCTION assessments_refuse_locked();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS assessments_reading_locked ON assessments_painreading",
    "DROP TRIGGER IF EXISTS assessments_injection_locked ON assessments_injection",
    "DROP FUNCTION IF EXISTS assessments_refuse_locked()",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        # Another database would run unguarded: refuse it loudly.
        for statement in statements_by_vendor[schema_editor.connection.vendor]:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_audit_trail_signoff")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
