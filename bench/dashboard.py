"""The outcome dashboard at scale: time and query count of /stats/ with 100,000 injections.

    .venv/bin/python bench/dashboard.py                  # PostgreSQL (if it answers), SQLite
    .venv/bin/python bench/dashboard.py --injections 20000 --runs 10 --backend sqlite

Seeds a throwaway database each time (PostgreSQL: bench/databases.py's throwaway_postgres;
SQLite: a file in a temporary folder) with the bulk seeder (`seed_demo --patients N
--skip-history`: one injection each, spread over two years, about ten readings), then requests
the dashboard and its CSV through Django's test client and prints median and p95 ms and the
query count. Target: median < 300 ms; a query count that does not grow with the data.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import postgres_answers, throwaway_postgres  # noqa: E402

TARGET_MS = 300


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def worker(args):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from assessments.models import Injection

    warnings.filterwarnings("ignore", message="No directory at")
    call_command("migrate", verbosity=0)
    call_command("setup_roles", stdout=StringIO())
    started = time.perf_counter()
    call_command(
        "seed_demo", "--patients", str(args.injections), "--skip-history", stdout=StringIO()
    )
    seconds = time.perf_counter() - started
    print(f"  seeded {Injection.objects.count()} injections in {seconds:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    today = timezone.localdate()
    everything = f"start={today.replace(year=today.year - 3).isoformat()}&end={today.isoformat()}"
    pages = [
        ("dashboard, last 12 months", "/stats/"),
        ("dashboard, 3 years (all)", f"/stats/?{everything}"),
        ("dashboard, ASPN-2024 profile", "/stats/?profile=ASPN-2024%401"),
        ("table as CSV, 12 months", "/stats/table.csv"),
    ]
    print(f"  {connection.vendor}: {args.runs} timed runs per page")
    print(f"  {'page':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in pages:
        for _ in range(2):
            assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        median = statistics.median(timings)
        verdict = "ok" if median < TARGET_MS else "SLOW"
        print(
            f"  {label:32} {median:10.1f} {percentile(timings, 0.95):8.1f} "
            f"{len(queries):8d}  {verdict}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--injections", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-insecure-key"),
        "DEBUG": "0",
        "HTTPS": "0",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "testserver",
    }
    command = [sys.executable, __file__, "--worker"]
    command += ["--injections", str(args.injections), "--runs", str(args.runs)]

    def run(url):
        print(f"\n{url.split(':')[0]}:", flush=True)
        subprocess.run(command, env={**env, "DATABASE_URL": url}, check=True, cwd=ROOT)

    if args.backend in ("postgres", "both"):
        if postgres_answers():
            with throwaway_postgres("si_stats_bench") as url:
                run(url)
        else:
            print("PostgreSQL: skipped, no server answers on 127.0.0.1:5432")
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{Path(folder) / 'stats-bench.sqlite3'}")


if __name__ == "__main__":
    main()
