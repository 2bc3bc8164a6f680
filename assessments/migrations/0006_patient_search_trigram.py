"""Trigram indexes for the admin's patient search (PostgreSQL only).

The injection changelist searches patient__mrn / family_name / given_name with icontains,
which PostgreSQL runs as UPPER(column) LIKE UPPER('%term%'): no b-tree index can serve
it, so every search scanned the whole patient table four times (count, rows, date range
twice), ~80 ms each with 100,000 patients. GIN trigram indexes on the same expressions
turn each into a bitmap index scan of a few milliseconds (bench/scale.py).

They are PostgreSQL expressions, so they cannot go in Meta.indexes (SQLite would fail to
build them); on SQLite this migration does nothing. pg_trgm is a trusted extension
(PostgreSQL 13+), so the database owner may create it without being a superuser.
"""

from django.db import migrations

COLUMNS = ["mrn", "family_name", "given_name"]
FORWARD = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
    f"CREATE INDEX IF NOT EXISTS assessments_patient_{column}_trgm "
    f"ON assessments_patient USING gin (UPPER({column}::text) gin_trgm_ops)"
    for column in COLUMNS
]
REVERSE = [f"DROP INDEX IF EXISTS assessments_patient_{column}_trgm" for column in COLUMNS]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_lock_every_clinical_column")]

    operations = [migrations.RunPython(run(FORWARD), run(REVERSE))]
