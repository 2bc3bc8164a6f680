"""Migrate a throwaway database up, down to zero and up again, on SQLite and PostgreSQL.

Every migration must reverse (the record guards included). Run by `make check-migrations`,
which .ci/run calls; PostgreSQL is used when a server answers on 127.0.0.1:5432.
"""

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS = [
    ["migrate"],
    ["migrate", "assessments", "zero"],
    ["migrate"],
    ["check", "--database", "default"],
]


def manage(url, *args):
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "SECRET_KEY": "ci-migrations"}
    subprocess.run([sys.executable, "manage.py", *args, "-v", "0"], cwd=ROOT, env=env, check=True)


def round_trip(url, name):
    for step in STEPS:
        manage(url, *step)
    print(f"{name}: migrated up, down to zero and up again; guards checked")


def postgres_answers():
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
        return True
    except OSError:
        return False


def main():
    with tempfile.TemporaryDirectory() as work:
        round_trip(f"sqlite:///{work}/round-trip.sqlite3", "SQLite")
    if not postgres_answers():
        print("PostgreSQL: SKIPPED, no server answers on 127.0.0.1:5432")
        return
    import psycopg

    name = f"si_migrations_{os.getpid()}"
    with psycopg.connect(
        host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        round_trip(f"postgres://postgres@127.0.0.1:5432/{name}", "PostgreSQL")
    finally:
        with psycopg.connect(
            host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
