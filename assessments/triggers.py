"""The database triggers that guard signed records and the audit: one definition, both databases.

The services check first and give people a message they can act on; these triggers make
sure no other path (the shell, a bulk update, raw SQL, a history "revert") gets round it:

- A signed injection (locked_at set) cannot change; every concrete column of the injection
  is compared, the list taken from the model when the migration runs. Its locked outcome is
  its latest sign-off's.
- Its readings up to the window's close (the signed block) cannot change. Later readings (the
  follow-up week) can be added and corrected until the end of follow-up day 7, when they
  are locked too; both moments are stored on the latest sign-off, and the database's own
  clock decides, so no job has to run for the week to close. The columns the week's
  readings feed (duration of relief, diary completeness) may change while it is open.
- A withdrawn reading is kept as it was; a withdrawn or correcting reading is never deleted.
- Only an amendment unlocks: clearing locked_at needs an amendment of the latest sign-off,
  so every unlock leaves a reason. Only a new sign-off locks.
- A sign-off is the next version of an unlocked injection; an amendment reopens the latest
  sign-off of a locked one.
- A work-up that a signed block uses cannot change (the checklist it fed is signed).
- Sign-offs, archived reports, amendments, the report access log and the history tables are
  append-only: UPDATE, DELETE (and TRUNCATE on PostgreSQL) are refused.

Each guard is a condition in plain SQL that both SQLite and PostgreSQL read the same way;
only "is distinct from" and "now" are spelt differently. Migrations call install(); a database other
than these two fails loudly instead of running unguarded.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from django.db import NotSupportedError, migrations
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import StateApps
from django.db.models import Model

LOCKED = "injection is signed and locked; open an amendment to change it"
READING_LOCKED = (
    "reading is part of a signed record (the block, or a follow-up week that has ended); "
    "open an amendment to change it"
)
WITHDRAWN = "a withdrawn or correcting reading is kept as it is: never changed or deleted"
SIGNED_OUTCOME = "a locked injection carries the outcome of its latest sign-off"
UNLOCK = "only an amendment of the latest sign-off unlocks a signed injection"
LOCK = "an injection is locked only by a new sign-off"
SIGNOFF_ORDER = "a sign-off is the next version of an unlocked injection"
AMENDMENT_ORDER = "an amendment reopens the latest sign-off of a signed injection"
WORK_UP_IN_USE = "a signed block uses this work-up: record a new work-up instead"
APPEND_ONLY = "is append-only: rows are never changed or deleted"

APPEND_ONLY_TABLES = [
    "assessments_signoff",
    "assessments_signedreport",
    "assessments_amendment",
    "assessments_reportaccess",
    "assessments_dataexport",
    "assessments_historicalpatient",
    "assessments_historicalinjection",
    "assessments_historicalpainreading",
    "assessments_historicalsignoff",
    "assessments_historicalamendment",
    "assessments_followupcall",
    "assessments_historicaldiarylink",
    "assessments_historicalfollowupcall",
    "assessments_remindersend",
]
# Writes to these move assessments_dataversion on (models/version.py): the board's cache key.
VERSIONED_TABLES = [
    "assessments_patient",
    "assessments_injection",
    "assessments_painreading",
    "assessments_signoff",
    "assessments_amendment",
    "assessments_workup",
]
VERSION_TABLE = "assessments_dataversion"
# An upsert, so an emptied table (a test's flush) starts counting again.
BUMP = (
    f"INSERT INTO {VERSION_TABLE} (id, number) VALUES (1, 1) "
    f"ON CONFLICT (id) DO UPDATE SET number = {VERSION_TABLE}.number + 1"
)
# Columns an unlock may touch besides locked_at itself (the signed outcome goes with the lock).
UNLOCK_MAY_CHANGE = {"locked_at", "signed_outcome", "updated_at"}
# Columns the follow-up week's readings feed: they may change on a signed injection while
# its week is open (the signed result's columns never do).
FOLLOW_UP_COLUMNS = {"relief_last_met", "relief_first_failed", "diary_slots_filled", "diary_slots"}
VENDORS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Guard:
    name: str
    table: str
    event: str  # INSERT, UPDATE or DELETE
    condition: str  # refuse the row when true; {distinct} is the null-safe "differs"
    message: str


def injection_locked(column: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM assessments_injection "
        f"WHERE id = {column} AND locked_at IS NOT NULL)"
    )


LATEST_VERSION = "(SELECT MAX(version) FROM assessments_signoff WHERE injection_id = {id})"


def latest_signoff(injection_id: str, condition: str) -> str:
    """The injection's latest sign-off exists and meets `condition` (columns as s.*)."""
    latest = LATEST_VERSION.format(id=injection_id)
    return (
        f"EXISTS (SELECT 1 FROM assessments_signoff s WHERE s.injection_id = {injection_id} "
        f"AND s.version = {latest} AND {condition})"
    )


def week_open(injection_id: str) -> str:
    return latest_signoff(injection_id, "{now} < s.follow_up_until")


def follow_up_writable(row: str) -> str:
    """A reading row (NEW or OLD) of a signed injection that may still be written: after the
    signed block, while the follow-up week is open."""
    return latest_signoff(
        f"{row}.injection_id",
        f"{row}.recorded_at > s.locks_through AND {{now}} < s.follow_up_until",
    )


def reading_locked(row: str, follow_up_week: bool = True) -> str:
    locked = injection_locked(f"{row}.injection_id")
    if not follow_up_week:  # a schema from before the follow-up week (a migration's)
        return locked
    return f"({locked} AND NOT {follow_up_writable(row)})"


def latest_amended(injection_id: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM assessments_amendment WHERE injection_id = {id} "
        f"AND amends_version = {LATEST_VERSION})"
    ).format(id=injection_id)


def any_changed(columns: Iterable[str]) -> str:
    return "(" + " OR ".join(f"NEW.{column} {{distinct}} OLD.{column}" for column in columns) + ")"


def guards(
    injection_columns: Sequence[str], *, follow_up_week: bool = True, withdrawals: bool = True
) -> list[Guard]:
    """Every guard. A migration that runs before the sign-off's follow-up columns or the
    readings' withdrawal columns exist installs the guards that schema supports."""
    changed = any_changed([c for c in injection_columns if c not in UNLOCK_MAY_CHANGE])
    week = [c for c in injection_columns if c in FOLLOW_UP_COLUMNS] if follow_up_week else []
    frozen = any_changed([c for c in injection_columns if c not in UNLOCK_MAY_CHANGE | set(week)])
    while_open = f" OR ({any_changed(week)} AND NOT {week_open('OLD.id')})" if week else ""
    reading = "assessments_painreading"
    injection = "assessments_injection"
    found = [
        Guard(
            "reading_insert",
            reading,
            "INSERT",
            reading_locked("NEW", follow_up_week),
            READING_LOCKED,
        ),
        Guard(
            "reading_update",
            reading,
            "UPDATE",
            f"{reading_locked('OLD', follow_up_week)} OR {reading_locked('NEW', follow_up_week)}",
            READING_LOCKED,
        ),
        Guard("reading_delete", reading, "DELETE", injection_locked("OLD.injection_id"), LOCKED),
        Guard("injection_insert", injection, "INSERT", "NEW.locked_at IS NOT NULL", LOCK),
        Guard(
            "injection_locked_update",
            injection,
            "UPDATE",
            "OLD.locked_at IS NOT NULL AND ("
            f"(NEW.locked_at IS NULL AND {changed}) OR (NEW.locked_at IS NOT NULL AND ("
            "NEW.locked_at {distinct} OLD.locked_at OR NEW.signed_outcome {distinct} "
            f"OLD.signed_outcome OR {frozen}{while_open})))",
            LOCKED,
        ),
        Guard(
            "injection_signed_outcome",
            injection,
            "UPDATE",
            "NEW.locked_at IS NOT NULL AND NOT "
            + latest_signoff("NEW.id", "s.signed_outcome = NEW.signed_outcome"),
            SIGNED_OUTCOME,
        ),
        Guard(
            "injection_unlock",
            injection,
            "UPDATE",
            "OLD.locked_at IS NOT NULL AND NEW.locked_at IS NULL "
            f"AND NOT {latest_amended('OLD.id')}",
            UNLOCK,
        ),
        Guard(
            "injection_lock",
            injection,
            "UPDATE",
            "OLD.locked_at IS NULL AND NEW.locked_at IS NOT NULL AND ("
            f"{LATEST_VERSION.format(id='OLD.id')} IS NULL OR {latest_amended('OLD.id')})",
            LOCK,
        ),
        Guard("injection_delete", injection, "DELETE", "OLD.locked_at IS NOT NULL", LOCKED),
        Guard(
            "signoff_insert",
            "assessments_signoff",
            "INSERT",
            f"{injection_locked('NEW.injection_id')} OR NEW.version {{distinct}} "
            f"COALESCE({LATEST_VERSION.format(id='NEW.injection_id')}, 0) + 1",
            SIGNOFF_ORDER,
        ),
        Guard(
            "amendment_insert",
            "assessments_amendment",
            "INSERT",
            f"NOT {injection_locked('NEW.injection_id')} OR NEW.amends_version {{distinct}} "
            f"{LATEST_VERSION.format(id='NEW.injection_id')}",
            AMENDMENT_ORDER,
        ),
    ]
    in_use = (
        "EXISTS (SELECT 1 FROM assessments_injection "
        "WHERE work_up_id = OLD.id AND locked_at IS NOT NULL)"
    )
    for event in ("UPDATE", "DELETE"):
        found.append(
            Guard(f"workup_{event.lower()}", "assessments_workup", event, in_use, WORK_UP_IN_USE)
        )
    if withdrawals:
        kept = "(OLD.withdrawn_at IS NOT NULL OR OLD.replaces_id IS NOT NULL)"
        found += [
            Guard(
                "reading_withdrawn_update",
                reading,
                "UPDATE",
                "OLD.withdrawn_at IS NOT NULL",
                WITHDRAWN,
            ),
            Guard("reading_kept_delete", reading, "DELETE", kept, WITHDRAWN),
        ]
    for table in APPEND_ONLY_TABLES:
        short = table.removeprefix("assessments_")
        for event in ("UPDATE", "DELETE"):
            found.append(Guard(f"{short}_{event.lower()}", table, event, "1 = 1", APPEND_ONLY))
    return found


def trigger_name(guard: Guard) -> str:
    return f"assessments_guard_{guard.name}"


SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"  # as Django stores times there (UTC)


def sqlite_statements(guard: Guard) -> list[str]:
    condition = guard.condition.replace("{distinct}", "IS NOT").replace("{now}", SQLITE_NOW)
    message = guard.message if guard.message != APPEND_ONLY else f"{guard.table} {APPEND_ONLY}"
    return [
        f"DROP TRIGGER IF EXISTS {trigger_name(guard)}",
        f"CREATE TRIGGER {trigger_name(guard)} BEFORE {guard.event} ON {guard.table} "
        f"WHEN {condition} BEGIN SELECT RAISE(ABORT, '{message}'); END",
    ]


def postgres_statements(guard: Guard) -> list[str]:
    # A row trigger's WHEN clause may not hold a subquery, so the test lives in the function.
    name = trigger_name(guard)
    condition = guard.condition.replace("{distinct}", "IS DISTINCT FROM").replace("{now}", "now()")
    message = guard.message if guard.message != APPEND_ONLY else f"{guard.table} {APPEND_ONLY}"
    returned = "OLD" if guard.event == "DELETE" else "NEW"
    return [
        f"DROP TRIGGER IF EXISTS {name} ON {guard.table}",
        f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
        BEGIN
            IF {condition} THEN
                RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN {returned};
        END;
        $$ LANGUAGE plpgsql""",
        f"CREATE TRIGGER {name} BEFORE {guard.event} ON {guard.table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def postgres_truncate_statements(tables: Collection[str] | None = None) -> list[str]:
    statements = [
        """CREATE OR REPLACE FUNCTION assessments_guard_no_truncate() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: it is never truncated', TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END;
        $$ LANGUAGE plpgsql"""
    ]
    for table in APPEND_ONLY_TABLES:
        if tables is not None and table not in tables:
            continue
        name = f"assessments_guard_{table.removeprefix('assessments_')}_truncate"
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION assessments_guard_no_truncate()",
        ]
    return statements


def version_trigger_name(table: str, event: str = "") -> str:
    short = table.removeprefix("assessments_")
    return f"assessments_version_{short}" + (f"_{event.lower()}" if event else "")


def version_statements(
    connection: BaseDatabaseWrapper, tables: Collection[str] | None = None
) -> list[str]:
    """Triggers that move the data version on with every write (after the row is written,
    in the same transaction). SQLite: one per table and event, per row; PostgreSQL: one per
    table, per statement."""
    wanted = [
        table
        for table in VERSIONED_TABLES
        if tables is None or (table in tables and VERSION_TABLE in tables)
    ]
    if connection.vendor == "sqlite":
        return [
            statement
            for table in wanted
            for event in ("INSERT", "UPDATE", "DELETE")
            for statement in (
                f"DROP TRIGGER IF EXISTS {version_trigger_name(table, event)}",
                f"CREATE TRIGGER {version_trigger_name(table, event)} AFTER {event} ON {table} "
                f"BEGIN {BUMP}; END",
            )
        ]
    statements = [
        f"""CREATE OR REPLACE FUNCTION assessments_version_bump() RETURNS trigger AS $$
        BEGIN
            {BUMP};
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql"""
    ]
    for table in wanted:
        name = version_trigger_name(table)
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION assessments_version_bump()",
        ]
    return statements


def version_uninstall_statements(
    connection: BaseDatabaseWrapper, tables: Collection[str] | None = None
) -> list[str]:
    wanted = [table for table in VERSIONED_TABLES if tables is None or table in tables]
    if connection.vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {version_trigger_name(table, event)}"
            for table in wanted
            for event in ("INSERT", "UPDATE", "DELETE")
        ]
    return [
        f"DROP TRIGGER IF EXISTS {version_trigger_name(table)} ON {table}" for table in wanted
    ] + ["DROP FUNCTION IF EXISTS assessments_version_bump()"]


def check_vendor(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor not in VENDORS:
        raise NotSupportedError(
            f"The record guards are written for SQLite and PostgreSQL, not {connection.vendor}: "
            "a signed record would not be protected on this database."
        )


def install_statements(
    connection: BaseDatabaseWrapper,
    injection_columns: Sequence[str],
    tables: Collection[str] | None = None,
    **schema: bool,
) -> list[str]:
    """Every guard's SQL; with `tables`, only the guards of tables that exist (a migration
    that runs before a table is created installs its guards later). `schema`: guards()'s
    flags for the columns that exist."""
    check_vendor(connection)
    statements = []
    for guard in guards(injection_columns, **schema):
        if tables is not None and guard.table not in tables:
            continue
        if connection.vendor == "sqlite":
            statements += sqlite_statements(guard)
        else:
            statements += postgres_statements(guard)
    if connection.vendor == "postgresql":
        statements += postgres_truncate_statements(tables)
    return statements + version_statements(connection, tables)


def uninstall_statements(
    connection: BaseDatabaseWrapper, tables: Collection[str] | None = None
) -> list[str]:
    check_vendor(connection)
    statements = []
    for guard in guards(["id"]):
        if tables is not None and guard.table not in tables:
            continue
        name = trigger_name(guard)
        if connection.vendor == "sqlite":
            statements.append(f"DROP TRIGGER IF EXISTS {name}")
        else:
            statements += [
                f"DROP TRIGGER IF EXISTS {name} ON {guard.table}",
                f"DROP FUNCTION IF EXISTS {name}()",
            ]
    if connection.vendor == "postgresql":
        for table in APPEND_ONLY_TABLES:
            if tables is not None and table not in tables:
                continue
            name = f"assessments_guard_{table.removeprefix('assessments_')}_truncate"
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        statements.append("DROP FUNCTION IF EXISTS assessments_guard_no_truncate()")
    return statements + version_uninstall_statements(connection, tables)


def concrete_columns(model: type[Model]) -> list[str]:
    return [field.column for field in model._meta.concrete_fields]


def table_columns(connection: BaseDatabaseWrapper, table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {
            column.name for column in connection.introspection.get_table_description(cursor, table)
        }


def schema_flags(connection: BaseDatabaseWrapper, tables: Collection[str]) -> dict[str, bool]:
    """Which of guards()'s later guards the database's columns support (a migration may run
    on an older schema)."""
    signoff = "assessments_signoff"
    reading = "assessments_painreading"
    return {
        "follow_up_week": signoff in tables
        and "follow_up_until" in table_columns(connection, signoff),
        "withdrawals": reading in tables and "withdrawn_at" in table_columns(connection, reading),
    }


def install(connection: BaseDatabaseWrapper, injection_model: type[Model]) -> None:
    """(Re)create every guard; the injection's columns come from `injection_model`."""
    tables = set(connection.introspection.table_names())
    statements = install_statements(
        connection,
        concrete_columns(injection_model),
        tables,
        **schema_flags(connection, tables),
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for statement in uninstall_statements(connection, tables):
            cursor.execute(statement)


def installed_names(connection: BaseDatabaseWrapper) -> set[str]:
    """The guard triggers present in the database, for tests and checks."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'assessments_guard_%'"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgname LIKE 'assessments_guard_%'"
            )
        return {row[0] for row in cursor.fetchall()}


def install_version_for_migration(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    check_vendor(schema_editor.connection)
    tables = set(schema_editor.connection.introspection.table_names())
    with schema_editor.connection.cursor() as cursor:
        for statement in version_statements(schema_editor.connection, tables):
            cursor.execute(statement)


def uninstall_version_for_migration(
    apps: StateApps, schema_editor: BaseDatabaseSchemaEditor
) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in version_uninstall_statements(schema_editor.connection):
            cursor.execute(statement)


def install_for_migration(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    install(schema_editor.connection, apps.get_model("assessments", "Injection"))


def uninstall_for_migration(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    uninstall(schema_editor.connection)


def around(*operations: Operation) -> list[Operation]:
    """A migration's operations with the guards lifted before them and put back after.

    SQLite rebuilds a table to alter it: the rebuilt table has lost its triggers, and the
    rename refuses while another table's trigger names the one being rebuilt. A new column
    must also join the lock's column list. So: lift, change, put back, in both directions.
    """
    return [
        migrations.RunPython(uninstall_for_migration, install_for_migration),
        *operations,
        migrations.RunPython(install_for_migration, uninstall_for_migration),
    ]
