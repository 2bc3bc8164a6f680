"""Online database backups: SQLite's backup API, or pg_dump for PostgreSQL."""

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.db.backends.utils import CursorWrapper

READINGS_SQL = (
    "SELECT id, injection_id, recorded_at, score, context, source "
    "FROM assessments_painreading ORDER BY id"
)


def backup_database(path: Path) -> None:
    """Write a consistent copy of the default database to `path` while it stays online."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        pg_dump(path)
    else:
        raise RuntimeError(f"No backup method for the {connection.vendor} database.")


def libpq_environment() -> dict[str, str]:
    params = connection.get_connection_params()
    mapping = {
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "dbname": "PGDATABASE",
    }
    env = dict(os.environ)
    env.update({mapping[k]: str(v) for k, v in params.items() if k in mapping and v})
    return env


def pg_dump(path: Path) -> None:
    executable = shutil.which("pg_dump")
    if executable is None:
        raise RuntimeError("pg_dump is not installed (Debian: apt-get install postgresql-client).")
    subprocess.run(
        [executable, "--format=custom", "--no-owner", "--file", str(path)],
        env=libpq_environment(),
        check=True,
    )


def readings_checksum(cursor: CursorWrapper) -> str:
    """SHA-256 over every reading's identity and values, to compare two databases."""
    cursor.execute(READINGS_SQL)
    digest = hashlib.sha256()
    for row in cursor.fetchall():
        digest.update(repr(tuple(str(value) for value in row)).encode())
    return digest.hexdigest()
