"""Several app servers behind a load balancer: two gunicorns on different ports, one
PostgreSQL, one Redis. A reading saved through one is on the other's pages at once, and the
other serves the page the first kept in Redis (views/fragments.py)."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection

from bench.databases import free_port, postgres_answers, throwaway_postgres

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PER_REQUEST = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]+"')

SETUP = """
import json
from datetime import timedelta
from decimal import Decimal
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from assessments.models import Injection, PainReading, Patient

nurse = get_user_model().objects.create_user("two-servers-nurse", is_staff=True)
nurse.groups.add(Group.objects.get(name="Nurse"))
performed = timezone.now().replace(microsecond=0) - timedelta(minutes=25)
patient = Patient.objects.create(
    mrn="TWO-001", family_name="Servers", given_name="Two", date_of_birth="1970-01-01"
)
injection = Injection.objects.create(
    patient=patient, performed_at=performed, side="left", proceduralist=nurse,
    guidance="fluoroscopy", anaesthetic_agent="lidocaine",
    anaesthetic_concentration=Decimal("2"), anaesthetic_volume_ml=Decimal("2"),
)
PainReading.objects.create(
    injection=injection, recorded_at=performed - timedelta(minutes=10), score=8,
    context="provoked",
)
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(nurse.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = nurse.get_session_auth_hash()
store.save()
local = timezone.localtime(performed)
print("SETUP " + json.dumps({
    "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
    "injection": injection.pk,
    "day": local.date().isoformat(),
    "reading_at": (local + timedelta(minutes=22)).strftime("%Y-%m-%dT%H:%M:%S"),
}))
"""


def redis_answers():
    parts = urlsplit(REDIS_URL)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=2).close()
        return True
    except OSError:
        return False


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout


@contextmanager
def gunicorn(env, port, log):
    """One app server as `make serve` runs it (gunicorn.conf.py), on `port`."""
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2"},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def request(port, method, path, cookie, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{port}{path}"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    return response, text


def page(port, path, cookie):
    response, text = request(port, "GET", path, cookie)
    assert response.status == 200, (path, response.status, text[:500])
    return text


@contextmanager
def commands_seen(redis_client, marker):
    """The Redis commands any client sends inside the block (MONITOR), as text."""
    seen: list[str] = []
    with redis_client.monitor() as monitor:
        yield seen
        redis_client.echo(marker)
        for command in monitor.listen():
            if marker in command["command"]:
                break
            seen.append(command["command"])


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL run of the suite runs it"
)
@pytest.mark.skipif(not postgres_answers(), reason="PostgreSQL does not answer on 127.0.0.1:5432")
@pytest.mark.skipif(not redis_answers(), reason=f"Redis does not answer at {REDIS_URL}")
def test_a_reading_saved_through_one_app_server_is_on_the_others_pages_at_once(tmp_path):
    import redis

    with ExitStack() as stack:
        database = stack.enter_context(throwaway_postgres("si_two_servers"))
        env = {
            **os.environ,
            "DATABASE_URL": database,
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": "two-servers-test-only-insecure-key",
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "OTP_REQUIRED": "0",
        }
        manage(env, "migrate", "--noinput")
        manage(env, "setup_roles")
        facts = json.loads(manage(env, "shell", "-c", SETUP).split("SETUP ", 1)[1])
        log = stack.enter_context(open(tmp_path / "gunicorn.log", "w"))  # noqa: SIM115
        first = stack.enter_context(gunicorn(env, free_port(), log))
        second = stack.enter_context(gunicorn(env, free_port(), log))
        cookie, pk = facts["cookie"], facts["injection"]
        board = f"/?day={facts['day']}"
        record = f"/injections/{pk}/"

        # The second server has the pages kept before the reading.
        assert "Due now" in page(second, board, cookie)
        assert "1/10" not in page(second, record, cookie)

        form_page = f"/injections/{pk}/reading/"
        response, text = request(first, "GET", form_page, cookie)
        csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        assert csrf, "the reading form sets a CSRF cookie"
        body = {"score": 1, "recorded_at": facts["reading_at"], "context": "provoked"}
        body["csrfmiddlewaretoken"] = CSRF_INPUT.search(text).group(1)
        saved, _ = request(
            first, "POST", form_page, f"{cookie}; csrftoken={csrf.group(1)}", urlencode(body)
        )
        assert saved.status == 302, (tmp_path / "gunicorn.log").read_text()[-2000:]

        on_second = page(second, board, cookie)
        assert "Due now" not in on_second and "1/10" in on_second
        assert "1/10" in page(second, record, cookie)

        # A page one server kept is served by the other from Redis, not made again.
        seen_first = page(first, record, cookie)
        client = redis.Redis.from_url(REDIS_URL)
        with commands_seen(client, f"two-servers-{pk}-done") as seen:
            seen_second = page(second, record, cookie)
        ours = [command for command in seen if f":injection:{pk}:" in command]
        assert ours and all(command.split()[0] == "GET" for command in ours), seen
        assert PER_REQUEST.sub("", seen_second) == PER_REQUEST.sub("", seen_first)
