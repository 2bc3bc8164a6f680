"""A signed injection may only be unlocked, never changed on the way.

0003 refused an update that kept the lock, but one that cleared the lock and changed other
columns in the same statement slipped through (a history "revert" did exactly that). Now,
while locked, the only update allowed clears locked_at (and touches updated_at) and nothing
else: PostgreSQL compares the whole row; SQLite compares the clinical columns one by one.
"""

from django.db import migrations

MESSAGE = "injection is signed and locked; open an amendment to change it"
COLUMNS = [
    "patient_id",
    "performed_at",
    "side",
    "proceduralist_id",
    "guidance",
    "contrast",
    "anaesthetic_agent",
    "anaesthetic_concentration",
    "anaesthetic_volume_ml",
    "steroid_agent",
    "steroid_dose_mg",
    "sedation",
    "notes",
    "created_at",
    "created_by_id",
    "outcome",
    "percent_reduction",
    "at_threshold",
    "baseline_score",
    "decisive_score",
    "evaluated_threshold",
    "evaluated_inclusive",
]
CHANGED = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in COLUMNS)

SQLITE = [
    "DROP TRIGGER IF EXISTS assessments_injection_locked_update",
    f"""
    CREATE TRIGGER assessments_injection_locked_update
    BEFORE UPDATE ON assessments_injection
    WHEN OLD.locked_at IS NOT NULL AND (NEW.locked_at IS NOT NULL OR {CHANGED})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS assessments_injection_locked_update",
    f"""
    CREATE TRIGGER assessments_injection_locked_update
    BEFORE UPDATE ON assessments_injection
    WHEN OLD.locked_at IS NOT NULL AND NEW.locked_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]


def postgres_function(update_rule):
    return f"""
    CREATE OR REPLACE FUNCTION assessments_refuse_locked() RETURNS trigger AS $$
    DECLARE
        ids bigint[];
    BEGIN
        IF TG_TABLE_NAME = 'assessments_injection' THEN
            IF TG_OP = 'DELETE' AND OLD.locked_at IS NOT NULL
               OR TG_OP = 'UPDATE' AND OLD.locked_at IS NOT NULL AND ({update_rule}) THEN
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
    """


POSTGRES = [
    postgres_function(
        "NEW.locked_at IS NOT NULL OR (to_jsonb(NEW) - 'locked_at' - 'updated_at') "
        "IS DISTINCT FROM (to_jsonb(OLD) - 'locked_at' - 'updated_at')"
    )
]
POSTGRES_REVERSE = [postgres_function("NEW.locked_at IS NOT NULL")]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        # Another database would run unguarded: refuse it loudly.
        for statement in statements_by_vendor[schema_editor.connection.vendor]:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_performed_at_index")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
