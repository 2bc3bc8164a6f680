"""System checks.

`manage.py check --database default` (run by `make serve`) fails when a record guard is
missing, e.g. after a hand-written migration rebuilt a table on SQLite; `check --deploy`
warns when the proxy setting would let a client forge its address.
"""

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

# The guards come with version 2's one migration (or version 1's 0008, which it replaces).
GUARDS_MIGRATIONS = {
    ("assessments", "0001_squashed_0016_exports_and_statistics"),
    ("assessments", "0008_record_guards"),
}


@register(Tags.database)
def record_guards_installed(app_configs, databases=None, **kwargs):
    from . import triggers
    from .models import Injection

    errors = []
    for alias in databases or ():
        connection = connections[alias]
        applied = MigrationRecorder(connection).applied_migrations()
        if not GUARDS_MIGRATIONS & set(applied):
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


LOOPBACK = ("127.", "localhost", "[::1]", "::1", "unix:")


@register(Tags.security, deploy=True)
def trusted_proxy_only_behind_a_proxy(app_configs, **kwargs):
    """TRUSTED_PROXY_COUNT trusts X-Forwarded-For: safe only when gunicorn cannot be reached
    except through that proxy, or anyone could pick the address the lockout sees."""
    bind = os.environ.get("BIND", "127.0.0.1:8000")
    if settings.TRUSTED_PROXY_COUNT and not bind.startswith(LOOPBACK):
        return [
            Warning(
                f"TRUSTED_PROXY_COUNT={settings.TRUSTED_PROXY_COUNT} trusts X-Forwarded-For, "
                f"but gunicorn binds {bind}, beyond loopback: a client that reaches it "
                "directly can forge its address for the login lockout.",
                hint="Bind gunicorn to 127.0.0.1 (or a private address only the proxy "
                "reaches, then firewall it) and set BIND accordingly.",
                id="assessments.W001",
            )
        ]
    return []
