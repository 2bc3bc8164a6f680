"""Export speed and memory with many injections: records/s and peak memory per format.

    .venv/bin/python bench/exports.py                        # 100,000; SQLite and PostgreSQL
    .venv/bin/python bench/exports.py --injections 10000 --backend sqlite

SQLite: the database under var/ that bench/scale.py seeds and keeps (seeded here when
missing). PostgreSQL: a throwaway database (bench/databases.py), seeded with the bulk seeder
and dropped at the end. Each format then runs in its own process, streaming every injection
through assessments/exports into a byte counter, and prints injections/s, MB written, and
the process's peak resident memory (ru_maxrss) before and after the export: flat memory
means the "after" figure does not grow with the number of injections.
"""

import argparse
import resource
import subprocess
import sys
import time
import warnings
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.databases import postgres_answers, throwaway_postgres  # noqa: E402
from bench.harness import worker_environment  # noqa: E402

FORMATS = ["csv", "csv-wide", "redcap", "fhir"]


def peak_mb():
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    warnings.filterwarnings("ignore", message="No directory at")
    call_command("migrate", verbosity=0)
    from assessments.models import Patient

    have = Patient.objects.filter(mrn__startswith="SYN-").count()
    if have < args.injections:
        started = time.perf_counter()
        call_command(
            "seed_demo", "--patients", str(args.injections), "--skip-history", stdout=StringIO()
        )
        took = time.perf_counter() - started
        print(f"  seeded {args.injections - have} injections in {took:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(args):
    import django

    django.setup()
    from django.db import connection

    from assessments.exports.service import export_chunks
    from assessments.models import Injection, PainReading

    injections = Injection.objects.all()
    total, readings = injections.count(), PainReading.objects.count()
    before = peak_mb()
    started = time.perf_counter()
    written = 0
    for chunk in export_chunks(args.measure, injections):
        written += len(chunk)
    took = time.perf_counter() - started
    print(
        f"  {connection.vendor:10} {args.measure:9} {total:8d} {readings:9d} "
        f"{total / took:9.0f} {took:7.1f} {written / 1e6:8.1f} {before:7.0f} {peak_mb():7.0f}",
        flush=True,
    )


def run_database(url, args, env):
    env = {**env, "DATABASE_URL": url}
    base = [sys.executable, __file__, "--injections", str(args.injections)]
    subprocess.run([*base, "--seed"], env=env, check=True, cwd=ROOT)
    for key in args.formats:
        subprocess.run([*base, "--measure", key], env=env, check=True, cwd=ROOT)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--injections", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=FORMATS)
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", choices=FORMATS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        return seed(args)
    if args.measure:
        return measure(args)

    env = worker_environment()
    print(
        f"  {'database':10} {'format':9} {'inj.':>8} {'readings':>9} {'inj./s':>9} "
        f"{'s':>7} {'MB out':>8} {'RSS MB':>7} {'peak':>7}"
    )
    if args.backend in ("sqlite", "both"):
        (ROOT / "var").mkdir(exist_ok=True)
        run_database(f"sqlite:///{ROOT / 'var' / f'bench-{args.injections}.sqlite3'}", args, env)
    if args.backend in ("postgres", "both"):
        if not postgres_answers():
            print("PostgreSQL: skipped, no server answers on 127.0.0.1:5432")
            return None
        with throwaway_postgres("si_bench_exports") as url:
            run_database(url, args, env)
    return None


if __name__ == "__main__":
    main()
