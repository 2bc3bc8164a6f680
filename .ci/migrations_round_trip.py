"""Migrate a throwaway database up, down to zero and up again, on SQLite and PostgreSQL.

Every migration must reverse (the record guards included). Run by `make check-migrations`,
which .ci/run calls; PostgreSQL is used when a server answers on 127.0.0.1:5432.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.databases import postgres_answers, throwaway_postgres  # noqa: E402

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


def main():
    with tempfile.TemporaryDirectory() as work:
        round_trip(f"sqlite:///{work}/round-trip.sqlite3", "SQLite")
    if not postgres_answers():
        print("PostgreSQL: SKIPPED, no server answers on 127.0.0.1:5432")
        return
    with throwaway_postgres("si_migrations") as url:
        round_trip(url, "PostgreSQL")


if __name__ == "__main__":
    main()
