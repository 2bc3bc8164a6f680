"""The PostgreSQL lock check looks the injection up by `id = NEW.injection_id` directly.

0003/0005 collected the ids in an array and searched `id = ANY(ids)`, which the planner
re-planned for every inserted reading. Same rule, cheaper on every insert.
"""

from importlib import import_module

from django.db import migrations

MESSAGE = "injection is signed and locked; open an amendment to change it"

FUNCTION = f"""
CREATE OR REPLACE FUNCTION assessments_refuse_locked() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'assessments_injection' THEN
        IF TG_OP = 'DELETE' AND OLD.locked_at IS NOT NULL
           OR TG_OP = 'UPDATE' AND OLD.locked_at IS NOT NULL AND (
                NEW.locked_at IS NOT NULL
                OR (to_jsonb(NEW) - 'locked_at' - 'updated_at')
                   IS DISTINCT FROM (to_jsonb(OLD) - 'locked_at' - 'updated_at')) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    ELSE
        IF TG_OP <> 'INSERT' AND EXISTS (
            SELECT 1 FROM assessments_injection
            WHERE id = OLD.injection_id AND locked_at IS NOT NULL) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP <> 'DELETE' AND EXISTS (
            SELECT 1 FROM assessments_injection
            WHERE id = NEW.injection_id AND locked_at IS NOT NULL) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def replace_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def restore_0005(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        previous = import_module("assessments.migrations.0005_lock_every_clinical_column")
        for statement in previous.POSTGRES:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_patient_search_trigram")]

    operations = [migrations.RunPython(replace_function, restore_0005)]
