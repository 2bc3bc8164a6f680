"""The board's status of an injection: a pure function of the injection time and `now`."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from assessments import board

T0 = datetime(2026, 3, 3, 9, 0, tzinfo=timezone.get_fixed_timezone(0))


@pytest.mark.parametrize(
    "minutes_after, status, countdown",
    [
        (0, board.Status.WAITING, "opens in 20 min"),
        (19.9, board.Status.WAITING, "opens in 1 min"),
        (20, board.Status.DUE, "closes in 10 min"),
        (25, board.Status.DUE, "closes in 5 min"),
        (29.5, board.Status.DUE, "closes in 1 min"),
        (29.9, board.Status.DUE, "closes in 1 min"),
        (30, board.Status.MISSED, "closed 1 min ago"),
        (30.1, board.Status.MISSED, "closed 1 min ago"),
        (31.9, board.Status.MISSED, "closed 1 min ago"),
        (45, board.Status.MISSED, "closed 15 min ago"),
    ],
)
def test_window_status_boundaries(minutes_after, status, countdown):
    now = T0 + timedelta(minutes=minutes_after)
    window = board.window_status(T0, now, window_reading_recorded=False)
    assert window.status is status
    assert window.countdown_text == countdown
    assert window.opens_at == T0 + timedelta(minutes=20)
    assert window.closes_at == T0 + timedelta(minutes=30)


@pytest.mark.parametrize(
    "minutes_after, status",
    [
        (10, board.Status.WAITING),
        (20, board.Status.RECORDED),
        (25, board.Status.RECORDED),
        (29.9, board.Status.RECORDED),
        (30, board.Status.DONE),
        (300, board.Status.DONE),
    ],
)
def test_a_counted_reading_is_done_only_once_the_window_has_closed(minutes_after, status):
    now = T0 + timedelta(minutes=minutes_after)
    window = board.window_status(T0, now, window_reading_recorded=True)
    assert window.status is status
    if status is board.Status.DONE:
        assert window.countdown_text == "" and window.changes_at is None


def test_window_status_names_the_moment_it_changes():
    def changes(minutes, recorded=False):
        now = T0 + timedelta(minutes=minutes)
        return board.window_status(T0, now, window_reading_recorded=recorded).changes_at

    assert changes(5) == T0 + timedelta(minutes=20)
    assert changes(25) == changes(25, recorded=True) == T0 + timedelta(minutes=30)
    assert changes(35) is None


def test_urgency_puts_due_first_then_in_window_then_waiting_then_missed_then_done():
    now = T0 + timedelta(minutes=60)
    performed = {
        "done": now - timedelta(minutes=35),
        "missed_long_ago": now - timedelta(minutes=55),
        "waiting_later": now - timedelta(minutes=2),
        "due_closing_late": now - timedelta(minutes=21),
        "recorded": now - timedelta(minutes=25),
        "missed_recent": now - timedelta(minutes=31),
        "waiting_soon": now - timedelta(minutes=15),
        "due_closing_soon": now - timedelta(minutes=29),
    }

    def key(name):
        recorded = name in ("done", "recorded")
        window = board.window_status(performed[name], now, window_reading_recorded=recorded)
        return board.urgency_key(window, performed[name])

    assert sorted(performed, key=key) == [
        "due_closing_soon",
        "due_closing_late",
        "recorded",
        "waiting_soon",
        "waiting_later",
        "missed_recent",
        "missed_long_ago",
        "done",
    ]
