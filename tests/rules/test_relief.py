"""Duration of relief (rules/relief.py): pure."""

import pytest

from assessments.rules.relief import EXPECTED_MINUTES, duration_of_relief

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


HOURLY = [(20, 1), *((60 * hour, 1) for hour in range(1, 9))]


def test_relief_still_holding_at_eight_hours_is_longer_than_expected():
    result = relief(HOURLY, agent="lidocaine")
    assert (result.status, result.first_failing, result.consistency) == (
        "assessed",
        None,
        "longer than expected",
    )
    assert result.last_meeting == 480
    assert "lasted at least 8 h" in result.text
    assert result.ended_between is None  # right-censored: not an end of relief


@pytest.mark.parametrize(
    "agent, last, status",
    [("lidocaine", 180, "assessed"), ("lidocaine", 120, "not assessable"), (None, 480, None)],
    ids=str,
)
def test_relief_that_never_fails_is_longer_only_past_the_agents_upper_bound(agent, last, status):
    readings = [r for r in HOURLY if r[0] <= last]
    result = relief(readings, agent=agent)
    assert result.status == (status or "not assessable")


def test_a_steroid_is_named_when_relief_outlasts_the_anaesthetic():
    result = relief(HOURLY, agent="lidocaine", steroid=True)
    assert "a corticosteroid was injected too" in result.text
    consistent = relief([(20, 1), (60, 1), (120, 5)], agent="lidocaine", steroid=True)
    assert consistent.consistency == "consistent"
    assert "corticosteroid" not in consistent.text


def test_relief_that_begins_after_the_anaesthetic_wore_off_is_a_late_onset():
    readings = [(25, 6), (60, 6), (120, 6), (180, 1), (240, 1), (300, 6)]
    result = relief(readings, agent="lidocaine")
    assert (result.status, result.began, result.consistency) == ("assessed", 180, "late onset")
    assert "not attributed to the block" in result.text
    assert result.ended_between is None
    # Within bupivacaine's 3–8 h the same relief is the block's.
    assert relief(readings, agent="bupivacaine").consistency == "consistent"


@pytest.mark.parametrize("onset, late", [(120, False), (121, True)])
def test_late_onset_starts_after_the_upper_bound(onset, late):
    result = relief([(25, 6), (onset, 1), (onset + 60, 6)], agent="lidocaine")
    assert (result.consistency == "late onset") is late


def test_relief_that_returns_after_failing_is_not_constant():
    result = relief([(20, 1), (60, 1), (120, 6), (180, 1), (240, 6)], agent="bupivacaine")
    assert (result.status, result.returned, result.returned_at) == ("assessed", True, 180)
    assert (result.last_meeting, result.first_failing) == (60, 120)
    assert result.consistency == "not constant"
    assert "relief returned at 3 h: not constant" in result.text
    assert "consistent for" not in result.text
    steady = relief([(20, 1), (60, 1), (120, 6), (180, 6)], agent="bupivacaine")
    assert (steady.returned, steady.returned_at) == (False, None)


def test_patient_entries_never_start_relief_but_carry_it_after_the_window():
    readings = [(25, 1, "provoked", "staff"), (60, 1, None, "patient"), (120, 6, None, "patient")]
    result = relief(readings, agent="lidocaine")
    assert (result.status, result.began, result.last_meeting, result.first_failing) == (
        "assessed",
        25,
        60,
        120,
    )
    only_patient = relief([(25, 1, "provoked", "patient"), (60, 1, None, "patient")])
    assert only_patient.status == "no relief"
    assert "the onset is a staff reading" in only_patient.reason


def test_a_patient_entry_in_the_window_is_not_read():
    result = relief([(22, 7, "provoked", "patient"), (25, 1, "provoked"), (60, 6, "provoked")])
    assert (result.status, result.began, result.first_failing) == ("assessed", 25, 60)


def test_a_provoked_reading_meeting_the_rule_against_a_resting_baseline_counts():
    readings = [(25, 1, "provoked"), (60, 4, "provoked"), (100, 6, "rest")]
    result = relief(readings, baseline_context="rest")
    # 60 min: 4/10 provoked does not meet the rule against rest, so it says nothing.
    assert (result.status, result.began, result.last_meeting, result.first_failing) == (
        "assessed",
        25,
        25,
        100,
    )


def test_the_expected_durations_are_one_table():
    from django.conf import settings

    assert EXPECTED_MINUTES == {
        "lidocaine": (60, 120),
        "bupivacaine": (180, 480),
        "levobupivacaine": (180, 480),
        "ropivacaine": (180, 360),
    }
    assert settings.ANAESTHETIC_MINUTES == EXPECTED_MINUTES


def test_relief_known_to_outlast_the_agent_before_a_gap_is_longer_than_expected():
    readings = [(20, 1), (60, 1), (120, 1), (180, 1), (240, 1), (480, 1)]
    result = relief(readings, agent="lidocaine")
    assert (result.status, result.last_meeting, result.first_failing) == ("assessed", 240, None)
    assert result.consistency == "longer than expected"
    assert "lasted at least 4 h" in result.text
    # Within bupivacaine's 8 h the gap leaves it unknown.
    assert relief(readings, agent="bupivacaine").status == "not assessable"
