"""Exports while serving: does /health/ answer while eight full FHIR exports run?

    .venv/bin/python bench/export_while_serving.py                   # both databases
    .venv/bin/python bench/export_while_serving.py --backend sqlite --injections 1000

For each database (a throwaway SQLite file, and a throwaway PostgreSQL database when
127.0.0.1:5432 answers) it migrates, seeds N synthetic injections (seed_demo --patients N
--skip-history) and signs in an auditor. Then, twice, it starts gunicorn as `make serve`
does (gunicorn.conf.py: 2 workers x 4 threads, DEBUG off), once without a bound on
concurrent downloads (EXPORTS_PER_WORKER=0) and once with the default (1 per worker), starts
8 full FHIR exports ("Export these" with no filter) at the same moment, and probes /health/
every 0.2 s until the last export has finished. It prints, side by side: the exports served
(200) and refused (429) and the longest, and the probes' p50 / p95 / max latency and how
many took over 1 s. Target with the bound: /health/ max under 1 s.

The last line per database and mode is machine-readable:
`RESULT backend mode exports_ok exports_refused probes p50_ms p95_ms max_ms over_1s`.
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.databases import (  # noqa: E402
    create_database,
    drop_database,
    free_port,
    postgres_answers,
    postgres_url,
)
from bench.harness import percentile, worker_environment  # noqa: E402

EXPORT_PATH = "/admin/assessments/injection/export/fhir/"
PROBE_EVERY = 0.2

SESSION = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
auditor = get_user_model().objects.create_user("bench-auditor", is_staff=True)
auditor.groups.add(Group.objects.get(name="Auditor"))
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(auditor.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = auditor.get_session_auth_hash()
store.save()
print("SESSION " + json.dumps({"name": settings.SESSION_COOKIE_NAME, "key": store.session_key}))
"""


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def session_cookie(env):
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{SESSION}"],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(result.stdout.split("SESSION ", 1)[1])
    return f"{found['name']}={found['key']}"


def start_gunicorn(env, port, log):
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**env, "BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start; see its log")


def get(port, path, headers=None, timeout=600):
    """(status, body bytes counted, seconds) of one GET on a new connection."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        size = 0
        while chunk := response.read(256 * 1024):
            size += len(chunk)
        return response.status, size, time.perf_counter() - started
    finally:
        connection.close()


def run_mode(env, cookie, bound, exports, workdir):
    """Start gunicorn with EXPORTS_PER_WORKER=`bound`, run the exports and the probes."""
    port = free_port()
    log = open(workdir / f"gunicorn-{bound}.log", "w")  # noqa: SIM115
    server = start_gunicorn({**env, "EXPORTS_PER_WORKER": str(bound)}, port, log)
    try:
        for _ in range(4):  # each worker loads the app and opens its database connection
            get(port, "/health/")
            get(port, "/account/whoami/", {"Cookie": cookie})
        results, lock = [], threading.Lock()
        start = threading.Barrier(exports + 1)

        def export():
            start.wait()
            outcome = get(port, EXPORT_PATH, {"Cookie": cookie})
            with lock:
                results.append(outcome)

        threads = [threading.Thread(target=export) for _ in range(exports)]
        for thread in threads:
            thread.start()
        start.wait()
        probes = []
        while any(thread.is_alive() for thread in threads) or len(probes) < 5:
            status, _, seconds = get(port, "/health/", timeout=120)
            probes.append((status, seconds * 1000))
            time.sleep(PROBE_EVERY)
        for thread in threads:
            thread.join()
        return results, probes
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        log.close()


def report(backend, mode, results, probes):
    served = [seconds for status, _, seconds in results if status == 200]
    refused = sum(1 for status, _, _ in results if status == 429)
    latencies = [ms for _, ms in probes]
    failed_probes = sum(1 for status, _ in probes if status != 200)
    p50, p95, worst = statistics.median(latencies), percentile(latencies, 0.95), max(latencies)
    over = sum(1 for ms in latencies if ms > 1000)
    longest = f"{max(served):.1f} s" if served else "—"
    print(
        f"  {backend:<10} {mode:<22} {len(served):>3} ok {refused:>3} refused  longest "
        f"{longest:>8}   /health/: {len(latencies):>4} probes  p50 {p50:7.1f}  p95 {p95:7.1f}  "
        f"max {worst:8.1f} ms  >1 s: {over}  failed: {failed_probes}"
    )
    print(
        f"RESULT {backend} {mode.split()[0]} {len(served)} {refused} {len(latencies)} "
        f"{p50:.1f} {p95:.1f} {worst:.1f} {over}"
    )
    return worst < 1000 and not failed_probes


def run_backend(backend, injections, exports):
    workdir = Path(tempfile.mkdtemp(prefix="si-export-serving-"))
    database = f"si_export_serving_{os.getpid()}"
    if backend == "sqlite":
        url = f"sqlite:///{workdir}/bench.sqlite3"
    else:
        url = postgres_url(database)
        drop_database(database)
        create_database(database)
    env = worker_environment(
        DATABASE_URL=url,
        ALLOWED_HOSTS="127.0.0.1",
        OTP_REQUIRED="0",
        MEDIA_ROOT=str(workdir / "media"),
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="4",
    )
    try:
        started = time.perf_counter()
        manage(env, "migrate", "--noinput")
        manage(env, "setup_roles")
        manage(env, "seed_demo", "--patients", str(injections), "--skip-history")
        seconds = time.perf_counter() - started
        print(f"  {backend}: seeded {injections} injections in {seconds:.0f} s")
        cookie = session_cookie(env)
        ok = True
        for bound, mode in ((0, "no bound"), (1, "1 export per worker")):
            results, probes = run_mode(env, cookie, bound, exports, workdir)
            met = report(backend, mode, results, probes)
            ok = ok and (met or not bound)
        return ok
    finally:
        if backend == "postgresql":
            drop_database(database)
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--injections", type=int, default=3000)
    parser.add_argument("--exports", type=int, default=8)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    options = parser.parse_args()
    backends = ["sqlite", "postgresql"] if options.backend == "both" else [options.backend]
    if "postgresql" in backends and not postgres_answers():
        print("PostgreSQL does not answer on 127.0.0.1:5432: skipping it.")
        backends.remove("postgresql")
    print(
        f"{options.exports} full FHIR exports of {options.injections} injections at once through "
        "gunicorn (2 workers x 4 threads), /health/ probed every "
        f"{PROBE_EVERY:g} s until they end"
    )
    ok = all([run_backend(backend, options.injections, options.exports) for backend in backends])
    print("Target: with the bound, every /health/ probe answers 200 in under 1 s.")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
