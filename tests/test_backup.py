import shutil
import sqlite3
import subprocess
import uuid
from io import StringIO

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from assessments.backups import libpq_environment, readings_checksum


def counts(cursor):
    tables = ["assessments_patient", "assessments_injection", "assessments_painreading"]
    result = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed names
        result[table] = cursor.fetchone()[0]
    return result


@pytest.fixture
def seeded(transactional_db):
    call_command("seed_demo", "--patients", "40", stdout=StringIO())
    with connection.cursor() as cursor:
        return counts(cursor), readings_checksum(cursor)


def test_backup_round_trip_keeps_every_row_and_reading(seeded, tmp_path):
    expected_counts, expected_checksum = seeded
    assert expected_counts["assessments_painreading"] > 300
    target = tmp_path / "backup.dump"
    out = StringIO()
    call_command("backup", str(target), stdout=out)
    assert "Backed up the" in out.getvalue()
    if connection.vendor == "sqlite":
        restored = sqlite3.connect(target)
        cursor = restored.cursor()
        assert counts(cursor) == expected_counts
        assert readings_checksum(cursor) == expected_checksum
        restored.close()
        return
    # PostgreSQL: restore the dump into a throwaway database, as the README describes.
    name = f"si_restore_{uuid.uuid4().hex[:8]}"
    env = libpq_environment()
    admin = psycopg.connect(
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        subprocess.run(
            [shutil.which("pg_restore"), "--no-owner", "-d", name, str(target)],
            env=env,
            check=True,
        )
        with psycopg.connect(
            host=env.get("PGHOST"), port=env.get("PGPORT"), user=env.get("PGUSER"), dbname=name
        ) as restored:
            cursor = restored.cursor()
            assert counts(cursor) == expected_counts
            assert readings_checksum(cursor) == expected_checksum
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def test_backup_refuses_to_overwrite(db, tmp_path):
    target = tmp_path / "exists.db"
    target.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="never overwritten"):
        call_command("backup", str(target), stdout=StringIO())
    assert target.read_bytes() == b"keep me"
