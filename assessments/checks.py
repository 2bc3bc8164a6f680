"""System checks.

`manage.py check --database default` (run by `make serve`) fails when a record guard is
missing, e.g. after a hand-written migration rebuilt a table on SQLite; `check --deploy`
warns when the proxy setting would let a client forge its address.
"""

import os
from collections.abc import Iterable, Sequence
from importlib import import_module
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

SCHEMA_V2 = "0001_squashed_0016_exports_and_statistics"
# The guards come with version 2's one migration (or version 1's 0008, which it replaces).
GUARDS_MIGRATIONS = {("assessments", SCHEMA_V2), ("assessments", "0008_record_guards")}
# The last commit that still has version 1's migrations (README, "Upgrading").
LAST_V1_MIGRATIONS = "8e1aa56"


def part_way_through_version_one(applied: Iterable[tuple[str, str]]) -> bool:
    """Some of version 1's migrations applied, not all: version 2's migration cannot take
    over (Django would skip the app's migrations without a word)."""
    module = import_module(f"assessments.migrations.{SCHEMA_V2}")
    replaced = set(module.Migration.replaces)
    done = replaced & set(applied)
    return bool(done) and done != replaced and ("assessments", SCHEMA_V2) not in applied


@register(Tags.database)
def schema_can_be_migrated(
    app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for alias in databases or ():
        if part_way_through_version_one(MigrationRecorder(connections[alias]).applied_migrations()):
            errors.append(
                Error(
                    f"Database {alias!r} is part-way through version 1's migrations, which "
                    "version 2's single migration cannot continue.",
                    hint=f"Migrate it with version 1's last migrations first: `git checkout "
                    f"{LAST_V1_MIGRATIONS} && python manage.py migrate`, then come back "
                    "(README, Upgrading).",
                    id="assessments.E002",
                )
            )
    return errors


@register(Tags.database)
def record_guards_installed(
    app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    from . import triggers
    from .models import Injection

    errors: list[CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        applied = MigrationRecorder(connection).applied_migrations()
        if not GUARDS_MIGRATIONS & set(applied) or part_way_through_version_one(applied):
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
def trusted_proxy_only_behind_a_proxy(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
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
