"""Speed at scale: response times and query counts with 100,000 injections.

    .venv/bin/python bench/scale.py                  # SQLite, and PostgreSQL if it answers
    .venv/bin/python bench/scale.py --injections 20000 --runs 15 --backend sqlite

Seeds (once; the databases are kept under var/ and in PostgreSQL database si_bench)
synthetic patients with one injection and about ten readings each, then requests each
page through Django's test client and prints median and p95 milliseconds and the query
count. Targets: median < 150 ms, query counts that do not grow with the data.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import warnings
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.databases import create_database, postgres_answers, postgres_url  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def worker(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    warnings.filterwarnings("ignore", message="No directory at")
    call_command("migrate", verbosity=0)
    call_command("setup_roles", stdout=StringIO())

    from django.contrib.auth import get_user_model

    from assessments.models import Injection, Patient

    have = Patient.objects.filter(mrn__startswith="SYN-").count()
    if have < args.injections:
        started = time.perf_counter()
        call_command(
            "seed_demo",
            "--patients",
            str(args.injections),
            "--skip-history",
            stdout=StringIO(),
        )
        print(
            f"  seeded {args.injections - have} injections in {time.perf_counter() - started:.0f} s"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    sample = Injection.objects.filter(patient__mrn__startswith="SYN-").order_by("-pk").first()
    mrn = sample.patient.mrn
    pages = [
        ("changelist, first page", "/admin/assessments/injection/"),
        ("changelist, outcome=positive", "/admin/assessments/injection/?outcome__exact=positive"),
        ("changelist, search by MRN", f"/admin/assessments/injection/?q={mrn}"),
        ("today board", "/"),
        ("one PDF report", f"/injections/{sample.pk}/report.pdf"),
    ]
    total = Injection.objects.count()
    print(f"  {connection.vendor}: {total} injections, {args.runs} timed runs per page")
    print(f"  {'page':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in pages:
        for _ in range(3):
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
        verdict = "ok" if median < 150 else "SLOW"
        print(
            f"  {label:32} {median:10.1f} {percentile(timings, 0.95):8.1f} "
            f"{len(queries):8d}  {verdict}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--injections", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
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
        # The test client's host; no setup_test_environment(), which slows template rendering.
        "ALLOWED_HOSTS": "testserver",
    }
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
