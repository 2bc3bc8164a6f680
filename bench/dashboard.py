"""The outcome dashboard at scale: time and query count of /stats/ with 100,000 injections.

    .venv/bin/python bench/dashboard.py                  # PostgreSQL (if it answers), SQLite
    .venv/bin/python bench/dashboard.py --injections 20000 --runs 10 --backend sqlite

Seeds a throwaway database each time (PostgreSQL: bench/databases.py's throwaway_postgres;
SQLite: a file in a temporary folder) with the bulk seeder (`seed_demo --patients N
--skip-history`: one injection each, spread over two years, about ten readings), then requests
the dashboard and its CSV through Django's test client and prints median and p95 ms and the
query count. Target: median < 300 ms; a query count that does not grow with the data.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import postgres_answers, throwaway_postgres  # noqa: E402
from bench.harness import (  # noqa: E402
    page_bench_arguments,
    seeded_admin_client,
    time_pages,
    worker_environment,
)  # noqa: E402

TARGET_MS = 300


def worker(args):
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from assessments.forms.statistics import last_complete_month, month_back

    client = seeded_admin_client(args.injections)
    last = last_complete_month(timezone.localdate())
    everything = f"start={month_back(last, 35):%Y-%m}&end={last:%Y-%m}"
    pages = [
        ("dashboard, last 12 months", "/stats/"),
        ("dashboard, 3 years (all)", f"/stats/?{everything}"),
        ("dashboard, ASPN-2024 profile", "/stats/?profile=ASPN-2024%401"),
        ("table as CSV, 12 months", "/stats/table.csv"),
    ]
    print(f"  {connection.vendor}: {args.runs} timed runs per page")
    time_pages(client, pages, runs=args.runs, target_ms=TARGET_MS, warm_up=2)


def main():
    args = page_bench_arguments(__doc__.splitlines()[0], runs=20)
    if args.worker:
        return worker(args)

    env = worker_environment(ALLOWED_HOSTS="testserver")
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
