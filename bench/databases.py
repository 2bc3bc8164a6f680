"""Databases for the benchmarks and CI scripts: is PostgreSQL there, make one, drop one.

PostgreSQL is the local server the README names (127.0.0.1:5432, user postgres, trust auth);
the databases are made and dropped through psycopg (no client programs needed).
"""

import os
import socket
from contextlib import contextmanager

HOST, PORT, USER = "127.0.0.1", 5432, "postgres"


def postgres_answers():
    try:
        socket.create_connection((HOST, PORT), timeout=2).close()
        return True
    except OSError:
        return False


def postgres_url(name):
    return f"postgres://{USER}@{HOST}:{PORT}/{name}"


def _admin():
    import psycopg

    return psycopg.connect(host=HOST, port=PORT, user=USER, dbname="postgres", autocommit=True)


def create_database(name, *, exist_ok=False):
    with _admin() as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if found and exist_ok:
            return
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(name):
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def throwaway_postgres(prefix):
    """A new, empty PostgreSQL database for the duration; its URL."""
    name = f"{prefix}_{os.getpid()}"
    drop_database(name)
    create_database(name)
    try:
        yield postgres_url(name)
    finally:
        drop_database(name)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
