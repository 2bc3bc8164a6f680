"""The diary schedule (rules/schedule.py): pure."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from assessments.rules.schedule import completeness, due_slot, schedule

# --- the diary schedule ----------------------------------------------------------------------

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def minutes(*values):
    return [T0 + timedelta(minutes=value) for value in values]


def test_the_schedule_has_eleven_anaesthetic_hour_slots_and_seven_days():
    slots = schedule(T0, [], zone=LONDON)
    hours = [slot for slot in slots if slot.minutes is not None]
    assert [slot.minutes for slot in hours] == [15, 30, 45, 60, 120, 180, 240, 300, 360, 420, 480]
    days = [slot for slot in slots if slot.day is not None]
    assert [slot.at.date().isoformat() for slot in days][:2] == ["2026-03-04", "2026-03-05"]
    assert {slot.at.time() for slot in days} == {time(18, 0)}
    assert completeness(slots).text == "0 of 11 anaesthetic-hour slots, 0 of 7 days"


@pytest.mark.parametrize(
    "reading, filled",
    [
        (7.5, 15),
        (22.4, 15),
        (22.5, 30),
        (52.5, 60),
        (89.9, 60),
        (90, 120),
        (509.9, 480),
    ],
)
def test_a_reading_fills_the_nearest_slot(reading, filled):
    slots = schedule(T0, minutes(reading), zone=LONDON)
    assert [slot.minutes for slot in slots if slot.filled and slot.minutes] == [filled]


def test_completeness_counts_hours_and_days():
    readings = minutes(15, 30, 46, 61, 119, 185) + [
        datetime(2026, 3, 4, 20, 0, tzinfo=UTC),
        datetime(2026, 3, 6, 7, 0, tzinfo=UTC),
    ]
    assert completeness(schedule(T0, readings, zone=LONDON)).text == (
        "6 of 11 anaesthetic-hour slots, 2 of 7 days"
    )


def test_the_due_slot_is_the_latest_one_that_has_come_if_still_empty_else_the_next():
    slots = schedule(T0, minutes(15), zone=LONDON)
    assert due_slot(slots, T0 + timedelta(minutes=50)).minutes == 45
    assert due_slot(slots, T0 + timedelta(minutes=5)).minutes == 30
    filled = schedule(T0, minutes(15, 30, 45), zone=LONDON)
    assert due_slot(filled, T0 + timedelta(minutes=50)).minutes == 60
    # Two days on, the empty 8-hour slot of the first night is not asked about.
    two_days = T0 + timedelta(days=2, hours=1)
    due = due_slot(schedule(T0, minutes(15, 30, 45), zone=LONDON), two_days)
    assert (due.day, due.minutes) == (1, None)  # Yesterday evening's slot, still empty.


def test_daily_slots_keep_the_local_clock_across_a_clock_change():
    spring = datetime(2026, 3, 27, 9, 0, tzinfo=UTC)
    days = [slot for slot in schedule(spring, [], zone=LONDON) if slot.day]
    assert [slot.at.strftime("%d %H:%M %Z") for slot in days[:3]] == [
        "28 18:00 GMT",
        "29 18:00 BST",
        "30 18:00 BST",
    ]
