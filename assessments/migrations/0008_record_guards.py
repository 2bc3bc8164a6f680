"""The record guards in their current definition, from assessments/triggers.py.

Replaces the lock triggers of 0003, 0005 and 0007: the same lock, now comparing every
concrete column on both databases, plus the rules that only an amendment unlocks and only
a sign-off locks, and append-only sign-offs, archived reports, amendments, access log and
history. Reversing puts back what 0003, 0005 and 0007 installed.
"""

from importlib import import_module

from django.db import migrations

from assessments import triggers

LEGACY = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS assessments_{name}"
        for name in (
            "reading_locked_insert",
            "reading_locked_update",
            "reading_locked_delete",
            "injection_locked_update",
            "injection_locked_delete",
        )
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS assessments_reading_locked ON assessments_painreading",
        "DROP TRIGGER IF EXISTS assessments_injection_locked ON assessments_injection",
        "DROP FUNCTION IF EXISTS assessments_refuse_locked()",
    ],
}
LEGACY_MIGRATIONS = [
    "0003_lock_triggers",
    "0005_lock_every_clinical_column",
    "0007_lock_trigger_direct_lookup",
]


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    triggers.check_vendor(connection)
    for statement in LEGACY[connection.vendor]:
        schema_editor.execute(statement)
    triggers.install(connection, apps.get_model("assessments", "Injection"))


def backwards(apps, schema_editor):
    triggers.uninstall(schema_editor.connection)
    for name in LEGACY_MIGRATIONS:
        operation = import_module(f"assessments.migrations.{name}").Migration.operations[0]
        operation.code(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0007_lock_trigger_direct_lookup")]

    operations = [migrations.RunPython(forwards, backwards)]
