"""Speed at scale: response times and query counts with 100,000 injections.

    .venv/bin/python bench/scale.py                  # SQLite, and PostgreSQL if it answers
    .venv/bin/python bench/scale.py --injections 20000 --runs 15 --backend sqlite

Seeds (once; the databases are kept under var/ and in PostgreSQL database si_bench)
synthetic patients with one injection and about ten readings each, then requests each
page through Django's test client and prints median and p95 milliseconds and the query
count. Targets: median < 150 ms, query counts that do not grow with the data.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.databases import create_database, postgres_answers, postgres_url  # noqa: E402
from bench.harness import (  # noqa: E402
    page_bench_arguments,
    seeded_admin_client,
    time_pages,
    worker_environment,
)  # noqa: E402


def worker(args):
    import django

    django.setup()
    from django.db import connection

    from assessments.models import Injection

    client = seeded_admin_client(args.injections)
    sample = Injection.objects.filter(patient__mrn__startswith="SYN-").order_by("-pk").first()
    mrn = sample.patient.mrn
    pages = [
        ("changelist, first page", "/admin/assessments/injection/"),
        ("changelist, result=positive", "/admin/assessments/injection/?result=positive"),
        ("changelist, search by MRN", f"/admin/assessments/injection/?q={mrn}"),
        ("today board", "/"),
        ("one PDF report", f"/injections/{sample.pk}/report.pdf"),
    ]
    total = Injection.objects.count()
    print(f"  {connection.vendor}: {total} injections, {args.runs} timed runs per page")
    time_pages(client, pages, runs=args.runs, target_ms=150, warm_up=3)


def main():
    args = page_bench_arguments(__doc__.splitlines()[0], runs=30)
    if args.worker:
        return worker(args)

    # The test client's host; no setup_test_environment(), which slows template rendering.
    env = worker_environment(ALLOWED_HOSTS="testserver")
    targets = []
    if args.backend in ("sqlite", "both"):
        (ROOT / "var").mkdir(exist_ok=True)
        targets.append(f"sqlite:///{ROOT / 'var' / f'bench-{args.injections}.sqlite3'}")
    if args.backend in ("postgres", "both"):
        if postgres_answers():
            create_database(f"si_bench_{args.injections}", exist_ok=True)
            targets.append(postgres_url(f"si_bench_{args.injections}"))
        else:
            print("PostgreSQL: skipped, no server answers on 127.0.0.1:5432")
    for url in targets:
        print(f"\n{url.split(':')[0]}:")
        command = [
            sys.executable,
            __file__,
            "--worker",
            "--injections",
            str(args.injections),
            "--runs",
            str(args.runs),
        ]
        subprocess.run(command, env={**env, "DATABASE_URL": url}, check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
