"""Duration of relief (rules/relief.py) and the diary schedule (diary/schedule.py): pure."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from assessments.diary.schedule import completeness, due_slot, schedule
from assessments.rules.relief import duration_of_relief

RULE = {"threshold": 75, "inclusive": False}


def relief(readings, **options):
    return duration_of_relief(8, readings, **{**RULE, **options})


@pytest.mark.parametrize(
    "readings, options, status, began, last, first",
    [
        # Relief from 20 min, still at 130, gone by 185: ended between 2:10 and 3:05.
        ([(20, 1), (60, 1), (130, 1), (185, 5)], {}, "assessed", 20, 130, 185),
        # Onset is the first reading that meets the rule, not the first reading.
        ([(15, 6), (30, 1), (90, 1), (150, 4)], {}, "assessed", 30, 90, 150),
        # A gap of exactly 90 minutes is fine; 91 is not.
        ([(20, 1), (110, 1), (200, 5)], {}, "assessed", 20, 110, 200),
        ([(20, 1), (111, 1), (200, 5)], {}, "not assessable", 20, None, None),
        ([(20, 1), (100, 1), (191, 5)], {}, "not assessable", 20, None, None),
        # Never failing before 8 hours: censored, not assessable; a reading after 8 h is ignored.
        (
            [(20, 1), (90, 1), (160, 1), (240, 1), (320, 0), (400, 1), (470, 1)],
            {},
            "not assessable",
            20,
            470,
            None,
        ),
        (
            [(20, 1), (90, 1), (170, 1), (250, 1), (330, 1), (410, 1), (480, 1), (500, 7)],
            {},
            "not assessable",
            20,
            480,
            None,
        ),
        # Exactly 75 % meets "at least" only.
        ([(20, 2), (60, 2), (120, 6)], {}, "no relief", None, None, None),
        ([(20, 2), (60, 2), (120, 6)], {"inclusive": True}, "assessed", 20, 60, 120),
        # Readings in another context than the baseline's do not count.
        (
            [(20, 1, "rest"), (60, 1, "provoked"), (120, 6, "provoked")],
            {"baseline_context": "provoked"},
            "assessed",
            60,
            60,
            120,
        ),
        # Readings at or after a rescue analgesic say nothing about the block.
        (
            [(20, 1), (60, 1), (100, 1), (140, 1)],
            {"rescue_at": 100},
            "not assessable",
            20,
            60,
            None,
        ),
        ([(20, 1), (60, 6), (100, 1)], {"rescue_at": 100}, "assessed", 20, 20, 60),
    ],
)
def test_duration_of_relief_at_its_boundaries(readings, options, status, began, last, first):
    result = relief(readings, **options)
    assert (result.status, result.began, result.last_meeting, result.first_failing) == (
        status,
        began,
        last,
        first,
    )


def test_the_sentence_gives_onset_and_the_censored_end_as_durations():
    result = relief([(20, 1), (60, 1), (130, 1), (185, 5)], agent="bupivacaine")
    assert (
        result.sentence
        == result.text
        == (
            "Relief began 20 min after the injection and ended between 2 h 10 min and 3 h 5 min: "
            "consistent for the anaesthetic (3–8\u00a0h expected)."
        )
    )


@pytest.mark.parametrize(
    "minutes, words", [(0, "0 min"), (59, "59 min"), (60, "1 h"), (61, "1 h 1 min"), (480, "8 h")]
)
def test_durations_read_as_hours_and_minutes(minutes, words):
    from assessments.rules import duration_words

    assert duration_words(minutes) == words


@pytest.mark.parametrize(
    "readings, agent, consistency",
    [
        ([(20, 1), (60, 1), (130, 1), (185, 5)], "bupivacaine", "consistent"),
        ([(20, 1), (60, 1), (130, 1), (185, 5)], "lidocaine", "longer than expected"),
        ([(20, 1), (45, 5)], "lidocaine", "shorter than expected"),
        ([(20, 1), (60, 1), (120, 5)], "lidocaine", "consistent"),
        ([(20, 1), (100, 1), (175, 5)], "ropivacaine", "shorter than expected"),
        ([(20, 1), (60, 1), (130, 1), (185, 5)], None, None),
    ],
)
def test_relief_is_compared_with_the_anaesthetics_expected_duration(readings, agent, consistency):
    assert relief(readings, agent=agent).consistency == consistency


def test_a_rescue_analgesic_is_named_and_what_is_left_out_counted():
    result = relief([(20, 1), (60, 6), (100, 1), (150, 1)], rescue_at=100)
    assert result.excluded_after_rescue == 2
    assert "2 reading(s) after a rescue analgesic were left out." in result.sentence


def test_without_a_baseline_or_relief_it_says_so():
    assert duration_of_relief(None, [(20, 1)], **RULE).status == "no baseline"
    assert duration_of_relief(0, [(20, 0)], **RULE).status == "no baseline"
    none = relief([(20, 7), (60, 8)])
    assert none.sentence == "Duration of relief: no relief (no reading met the rule)."
    assert none.text == "No relief (no reading met the rule)."


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
