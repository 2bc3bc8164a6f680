from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import rules
from assessments.rules import Outcome, evaluate

P, IND, N, X = (
    Outcome.POSITIVE,
    Outcome.INDETERMINATE,
    Outcome.NEGATIVE,
    Outcome.NON_DIAGNOSTIC,
)


@pytest.mark.parametrize(
    "baseline, readings, threshold, inclusive, outcome, percent, at_threshold",
    [
        # Exactly 75 % at baselines 4 and 8: not "more than", but "at least".
        (8, [(25, 2)], 75, False, IND, Decimal(75), True),
        (4, [(25, 1)], 75, False, IND, Decimal(75), True),
        (8, [(25, 2)], 75, True, P, Decimal(75), True),
        (4, [(25, 1)], 75, True, P, Decimal(75), True),
        # Just above and below the threshold.
        (8, [(25, 1)], 75, False, P, Decimal("87.5"), False),
        (8, [(25, 3)], 75, True, IND, Decimal("62.5"), False),
        # The window: 20 and 30 inclusive, 19.9 and 30.1 outside.
        (8, [(19.9, 0)], 75, False, X, None, False),
        (8, [(20, 0)], 75, False, P, Decimal(100), False),
        (8, [(30, 0)], 75, False, P, Decimal(100), False),
        (8, [(30.1, 0)], 75, False, X, None, False),
        (8, [(Decimal("19.99"), 0), (25, 6)], 75, False, IND, Decimal(25), False),
        # Several in-window readings: the lowest decides.
        (8, [(20, 5), (25, 1), (30, 4)], 75, False, P, Decimal("87.5"), False),
        # Out-of-window lows never decide.
        (8, [(10, 0), (25, 6), (45, 0), (-5, 0)], 75, False, IND, Decimal(25), False),
        # No change and pain up.
        (6, [(25, 6)], 75, False, N, Decimal(0), False),
        (5, [(25, 7)], 75, False, N, Decimal(-40), False),
        # Baseline 0 and no baseline.
        (0, [(25, 0)], 75, False, X, None, False),
        (None, [(25, 1)], 75, False, X, None, False),
        (8, [], 75, False, X, None, False),
        # Other thresholds.
        (10, [(25, 5)], 50, False, IND, Decimal(50), True),
        (10, [(25, 5)], 50, True, P, Decimal(50), True),
        (10, [(25, 2)], 80, False, IND, Decimal(80), True),
        (10, [(25, 1)], 80, False, P, Decimal(90), False),
        # 1/3 reduction stays exact: no float rounding at the threshold.
        (3, [(25, 2)], 34, False, IND, Decimal(100) / 3, False),
        (3, [(25, 2)], 33, False, P, Decimal(100) / 3, False),
    ],
)
def test_evaluate_applies_the_rule_at_every_boundary(
    baseline, readings, threshold, inclusive, outcome, percent, at_threshold
):
    result = evaluate(baseline, readings, threshold=threshold, inclusive=inclusive)
    assert result.outcome == outcome
    assert result.percent_reduction == percent
    assert result.at_threshold is at_threshold
    assert result.reasons


def test_exactly_at_threshold_is_called_out_in_words():
    result = evaluate(8, [(25, 2)])
    assert result.at_threshold_sentence == (
        "Exactly 75 %: meets 'at least 75 %' criteria, not the configured 'more than 75 %' rule."
    )
    assert result.at_threshold_sentence in result.reasons
    assert "Exactly 75 %" not in " ".join(evaluate(8, [(25, 1)]).reasons)


def test_inclusive_at_threshold_sentence_names_the_configured_rule():
    result = evaluate(4, [(25, 1)], inclusive=True)
    assert "meets the configured 'at least 75 %' rule" in result.at_threshold_sentence


def test_decisive_reading_is_the_lowest_in_window_and_earliest_among_equals():
    result = evaluate(9, [(21, 3), (24, 2), (27, 2), (35, 0)])
    assert (result.decisive_minutes, result.decisive_score) == (24, 2)


@pytest.mark.parametrize(
    "baseline, readings, reason",
    [
        (None, [(25, 1)], "No baseline score was recorded before the injection."),
        (0, [(25, 0)], "Baseline pain is 0/10, so a reduction cannot be measured."),
        (7, [(35, 1)], "No reading was recorded 20–30 minutes after the injection."),
    ],
)
def test_non_diagnostic_reason_says_which_part_is_missing(baseline, readings, reason):
    result = evaluate(baseline, readings)
    assert result.outcome == Outcome.NON_DIAGNOSTIC
    assert reason in result.reasons


def test_out_of_window_readings_are_mentioned_but_never_decisive():
    result = evaluate(8, [(10, 0), (25, 4)])
    assert result.decisive_score == 4
    assert "1 reading outside the 20–30 minute window is shown but never decisive." in (
        result.reasons
    )


def test_low_baseline_adds_a_caution():
    assert any("baseline was low" in r for r in evaluate(3, [(25, 0)]).reasons)
    assert not any("baseline was low" in r for r in evaluate(4, [(25, 0)]).reasons)


@pytest.mark.parametrize(
    "baseline, readings, message",
    [
        (11, [], "Baseline score must be from 0 to 10, got 11."),
        (-1, [], "Baseline score must be from 0 to 10, got -1."),
        (True, [], "Baseline score must be a whole number from 0 to 10, got True."),
        (7.5, [], "Baseline score must be a whole number from 0 to 10, got 7.5."),
        ("7", [], "Baseline score must be a whole number from 0 to 10, got '7'."),
        (7, [(25, 11)], "Score must be from 0 to 10, got 11."),
        (7, [(25, 2.0)], "Score must be a whole number from 0 to 10, got 2.0."),
        (7, [(25, False)], "Score must be a whole number from 0 to 10, got False."),
    ],
)
def test_evaluate_rejects_what_is_not_a_score(baseline, readings, message):
    with pytest.raises(ValueError) as raised:
        evaluate(baseline, readings)
    assert str(raised.value) == message


@pytest.mark.parametrize("threshold", [0, 100, 75.0, True])
def test_evaluate_rejects_an_impossible_threshold(threshold):
    with pytest.raises(ValueError, match="Threshold"):
        evaluate(8, [(25, 1)], threshold=threshold)


def test_evaluation_is_frozen():
    result = evaluate(8, [(25, 1)])
    with pytest.raises(AttributeError):
        result.outcome = Outcome.NEGATIVE


def test_latest_baseline_takes_the_last_reading_before_the_injection():
    assert rules.latest_baseline([(-60, 9), (-5, 6), (25, 1)]) == 6
    assert rules.latest_baseline([(0, 6), (25, 1)]) is None


def test_evaluate_readings_splits_baseline_from_after_readings():
    result = rules.evaluate_readings([(-30, 9), (-5, 8), (25, 2)])
    assert result.baseline == 8
    assert result.outcome == Outcome.INDETERMINATE


def test_percent_display_has_one_decimal():
    assert evaluate(7, [(25, 1)]).percent_display == "85.7 %"
    assert evaluate(None, [(25, 1)]).percent_display == "—"


RANK = {Outcome.POSITIVE: 3, Outcome.INDETERMINATE: 2, Outcome.NEGATIVE: 1}


@given(
    baseline=st.integers(1, 10),
    low=st.integers(0, 10),
    high=st.integers(0, 10),
    minutes=st.floats(20, 30),
    threshold=st.integers(1, 99),
    inclusive=st.booleans(),
)
def test_outcome_never_improves_when_the_decisive_score_rises(
    baseline, low, high, minutes, threshold, inclusive
):
    low, high = sorted((low, high))
    better = evaluate(baseline, [(minutes, low)], threshold=threshold, inclusive=inclusive)
    worse = evaluate(baseline, [(minutes, high)], threshold=threshold, inclusive=inclusive)
    assert RANK[worse.outcome] <= RANK[better.outcome]
    assert worse.percent_reduction <= better.percent_reduction
