"""Two staff saving readings for one injection at the same moment lose nothing."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from assessments import services
from assessments.models import Injection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (SQLite serialises all writers anyway)",
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_simultaneous_readings_are_all_kept_and_evaluated(make_injection, make_user, round_):
    injection = make_injection([(-5, 8)], minutes_ago=60)
    nurses = [make_user(), make_user()]
    scores = [(22, 1), (27, 5)]
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
