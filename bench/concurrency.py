"""Concurrent writers: staff posting quick readings at the same time, through gunicorn.

    .venv/bin/python bench/concurrency.py                       # 20 writers, 60 s, both databases
    .venv/bin/python bench/concurrency.py --writers 2 --seconds 10 --backend sqlite

For each database (a throwaway SQLite file, and a throwaway PostgreSQL database when
127.0.0.1:5432 answers) it migrates, makes one logged-in nurse session per writer and one
injection per writer, starts gunicorn (2 workers, DEBUG off) and lets every writer post
quick readings as fast as the server answers. Then it prints, per database: posts, the
302s (saved), form re-displays (200), server errors (5xx), other failures, and the rows
actually stored. Target: 0 errors, and every 302 stored.

The last line per database is machine-readable (`RESULT backend posts saved errors stored`);
tests/test_concurrency.py runs a short configuration and asserts on it.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.databases import (  # noqa: E402
    create_database,
    drop_database,
    free_port,
    postgres_answers,
    postgres_url,
)

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


SETUP = """
import json, sys
from datetime import timedelta
from decimal import Decimal
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from assessments.models import Injection, PainReading, Patient

writers = int(sys.argv[1])
nurse = get_user_model().objects.create_user("bench-nurse", is_staff=True)
nurse.groups.add(Group.objects.get(name="Nurse"))
start = timezone.now() - timedelta(days=13)
out = []
for number in range(writers):
    patient = Patient.objects.create(
        mrn=f"CONC-{number:03d}", family_name="Writer", given_name="Bench",
        date_of_birth="1970-01-01",
    )
    injection = Injection.objects.create(
        patient=patient, performed_at=start, side="left", proceduralist=nurse,
        guidance="fluoroscopy", anaesthetic_agent="lidocaine",
        anaesthetic_concentration=Decimal("2"), anaesthetic_volume_ml=Decimal("2"),
    )
    PainReading.objects.create(
        injection=injection, recorded_at=start - timedelta(minutes=10), score=8,
        context="provoked",
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(nurse.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = nurse.get_session_auth_hash()
    store.save()
    out.append({"injection": injection.pk, "session": store.session_key,
                "performed_at": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M:%S")})
print("SETUP " + json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "writers": out}))
"""

COUNT = """
from django.db.models import F
from assessments.models import PainReading
print("STORED", PainReading.objects.filter(
    injection__patient__mrn__startswith="CONC-", recorded_at__gt=F("injection__performed_at")
).count())
"""


def shell(env, code, *args):
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}", *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "clinic.settings", "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {"posts": 0, "saved": 0, "redisplayed": 0, "server_errors": 0, "failed": 0}
        self.samples = []

    def add(self, key, sample=None):
        with self.lock:
            self.counts["posts"] += 1
            self.counts[key] += 1
            if sample and len(self.samples) < 3:
                self.samples.append(sample)


def writer(port, cookie, spec, seconds, ready, tally):
    """Open the quick-entry form, wait for every writer to have it (`ready`, a barrier: the
    workers' first requests are not counted), then post readings one after another for
    `seconds`, each at its own minute after the injection."""
    from datetime import datetime

    headers = {"Cookie": f"{cookie}={spec['session']}"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    path = f"/injections/{spec['injection']}/reading/"
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    page = response.read().decode()
    token = CSRF_INPUT.search(page).group(1)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    headers["Cookie"] += f"; csrftoken={csrf_cookie.group(1)}" if csrf_cookie else ""
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Referer"] = f"http://127.0.0.1:{port}{path}"
    performed = datetime.fromisoformat(spec["performed_at"])
    # Follow-up readings, past the hour after the window that asks for a confirmation.
    minute = 90
    ready.wait(timeout=120)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        minute += 1
        recorded = performed + timedelta(minutes=minute)
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "score": minute % 11,
                "recorded_at": recorded.strftime("%Y-%m-%dT%H:%M:%S"),
                "context": "provoked",
            }
        )
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read()
        except (OSError, http.client.HTTPException) as error:
            tally.add("failed", repr(error))
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        if response.status == 302:
            tally.add("saved")
        elif response.status == 200:
            tally.add("redisplayed", text[:300])
        elif response.status >= 500:
            tally.add("server_errors", text[:300])
        else:
            tally.add("failed", f"status {response.status}")
    connection.close()


def run_backend(backend, writers, seconds, workers):
    work = Path(tempfile.mkdtemp(prefix="si-conc-"))
    database = f"si_conc_{os.getpid()}"
    if backend == "sqlite":
        url = f"sqlite:///{work}/conc.sqlite3"
    else:
        url = postgres_url(database)
        drop_database(database)
        create_database(database)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "concurrency-bench-only-insecure-key",
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "OTP_REQUIRED": "0",
    }
    port = free_port()
    gunicorn = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "setup_roles")
        setup = shell(env, SETUP, str(writers))
        import json

        spec = json.loads(setup.split("SETUP ", 1)[1])
        gunicorn = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "clinic.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(work / "gunicorn.log", "w"),  # noqa: SIM115
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        tally = Tally()
        ready = threading.Barrier(len(spec["writers"]))
        threads = [
            threading.Thread(target=writer, args=(port, spec["cookie"], one, seconds, ready, tally))
            for one in spec["writers"]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stored = int(shell(env, COUNT).split()[-1])
        counts = tally.counts
        errors = counts["server_errors"] + counts["failed"]
        print(
            f"  {backend:<10} {counts['posts']:>7} {counts['saved']:>7} "
            f"{counts['redisplayed']:>11} {counts['server_errors']:>6} {counts['failed']:>7} "
            f"{stored:>7}"
        )
        for sample in tally.samples:
            print(f"    sample failure: {sample!r}")
        print(f"RESULT {backend} {counts['posts']} {counts['saved']} {errors} {stored}")
        return errors == 0 and stored == counts["saved"]
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=30)
        if backend == "postgresql":
            drop_database(database)
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    options = parser.parse_args()
    backends = ["sqlite", "postgresql"] if options.backend == "both" else [options.backend]
    if "postgresql" in backends and not postgres_answers():
        print("PostgreSQL does not answer on 127.0.0.1:5432: skipping it.")
        backends.remove("postgresql")
    print(
        f"{options.writers} writers for {options.seconds:g} s against gunicorn "
        f"({options.workers} workers), one injection per writer"
    )
    print(
        f"  {'database':<10} {'posts':>7} {'saved':>7} {'redisplayed':>11} {'5xx':>6} "
        f"{'failed':>7} {'stored':>7}"
    )
    ok = all([run_backend(b, options.writers, options.seconds, options.workers) for b in backends])
    print("Target: 0 errors (5xx + failed) and every saved (302) reading stored.")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
