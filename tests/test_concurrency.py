"""Staff saving readings at the same moment lose nothing, on SQLite and PostgreSQL."""

import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, connections

from assessments import services
from assessments.models import Injection

ROOT = Path(__file__).resolve().parent.parent
needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (SQLite serialises all writers anyway)",
)


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_simultaneous_readings_are_all_kept_and_evaluated(make_injection, make_user, round_):
    injection = make_injection([(-5, 8)], minutes_ago=60)
    nurses = [make_user(), make_user()]
    scores = [(22, 1), (27, 1)]
    barrier = threading.Barrier(2)
    errors = []

    def save(nurse, minutes, score):
        try:
            barrier.wait(timeout=10)
            services.add_reading(
                Injection.objects.get(pk=injection.pk),
                entered_by=nurse,
                recorded_at=injection.performed_at + timedelta(minutes=minutes),
                score=score,
                context="provoked",
            )
        except Exception as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(nurse, *reading))
        for nurse, reading in zip(nurses, scores, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    injection.refresh_from_db()
    assert injection.readings.count() == 3
    assert injection.outcome == "positive"
    assert injection.decisive_score == 1
    assert injection.outcome == injection.evaluate().outcome.value


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_writers_through_gunicorn_are_all_saved(backend):
    """The short configuration of bench/concurrency.py: 8 writers, 2 gunicorn workers."""
    if backend == "postgresql" and connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL run of the suite covers PostgreSQL")
    result = subprocess.run(
        [sys.executable, "bench/concurrency.py", "--writers", "8", "--seconds", "2"]
        + ["--backend", backend],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT"))
    _, name, posts, saved, errors, stored = line.split()
    assert (name, int(errors)) == (backend, 0), result.stdout
    assert int(posts) > 8
    assert int(saved) == int(stored) == int(posts)
