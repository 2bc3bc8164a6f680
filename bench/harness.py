"""What the benchmarks share: the environment of a measuring process, and timing pages
through the Django test client (median, p95 and the query count of each)."""

import os
import statistics
import time


def worker_environment(**extra):
    """A benchmark process's environment: production settings (DEBUG off, no HTTPS redirect
    on the test client), quiet logs; `extra` on top (DATABASE_URL, ALLOWED_HOSTS...)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-insecure-key"),
        "DEBUG": "0",
        "HTTPS": "0",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def time_pages(client, pages, *, runs, target_ms, warm_up=2):
    """Print one line per (label, url): median and p95 ms over `runs` GETs, the queries of
    one more, and whether the median is under `target_ms`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"  {'page':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in pages:
        for _ in range(warm_up):
            assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        median = statistics.median(timings)
        verdict = "ok" if median < target_ms else "SLOW"
        print(
            f"  {label:32} {median:10.1f} {percentile(timings, 0.95):8.1f} "
            f"{len(queries):8d}  {verdict}"
        )


def seeded_admin_client(injections):
    """In a measuring process (Django set up): migrate, make sure `injections` synthetic
    injections exist (seed_demo --patients, no history), ANALYZE on PostgreSQL, and return a
    test client signed in as a superuser."""
    import warnings
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from assessments.models import Patient

    warnings.filterwarnings("ignore", message="No directory at")
    call_command("migrate", verbosity=0)
    call_command("setup_roles", stdout=StringIO())
    have = Patient.objects.filter(mrn__startswith="SYN-").count()
    if have < injections:
        started = time.perf_counter()
        call_command(
            "seed_demo", "--patients", str(injections), "--skip-history", stdout=StringIO()
        )
        print(f"  seeded {injections - have} injections in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return client


def page_bench_arguments(description, *, runs):
    """The command line of a page benchmark: --injections, --runs, --backend, and the
    hidden --worker its measuring process runs with."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--injections", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()
