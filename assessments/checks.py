"""System checks: `manage.py check --database default` (run by `make serve`) fails when a
record guard is missing, e.g. after a hand-written migration rebuilt a table on SQLite."""

from django.core.checks import Error, Tags, register
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

GUARDS_MIGRATION = "0008_record_guards"


@register(Tags.database)
def record_guards_installed(app_configs, databases=None, **kwargs):
    from . import triggers
    from .models import Injection

    errors = []
    for alias in databases or ():
        connection = connections[alias]
        applied = MigrationRecorder(connection).applied_migrations()
        if ("assessments", GUARDS_MIGRATION) not in applied:
            continue  # Not migrated that far yet: migrate installs them.
        columns = triggers.concrete_columns(Injection)
        expected = {triggers.trigger_name(guard) for guard in triggers.guards(columns)}
        missing = sorted(expected - triggers.installed_names(connection))
        if missing:
            errors.append(
                Error(
                    f"{len(missing)} record guard trigger(s) are missing on database "
                    f"{alias!r}: {', '.join(missing)}. Signed records are not protected.",
                    hint="Run `python manage.py install_guards` (or migrate again).",
                    id="assessments.E001",
                )
            )
    return errors
