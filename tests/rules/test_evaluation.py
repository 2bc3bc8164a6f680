"""The rule (assessments/rules): the contract of evaluate() over its whole boundary table.

The scenarios of rule 2.1 (issue 19) are in test_scenarios.py; flags in test_flags.py."""

from decimal import Decimal

import pytest

from assessments import rules
from assessments.rules import Outcome, evaluate, evaluate_readings

P, IND, N, X, WAIT = (
    Outcome.POSITIVE,
    Outcome.INDETERMINATE,
    Outcome.NEGATIVE,
    Outcome.NON_DIAGNOSTIC,
    Outcome.PENDING,
)


@pytest.mark.parametrize(
    "baseline, readings, options, outcome, percent, at_threshold",
    [
        # Exactly 75 % at baselines 4 and 8: not "more than", but "at least".
        (8, [(25, 2)], {}, IND, Decimal(75), True),
        (4, [(25, 1)], {}, IND, Decimal(75), True),
        (8, [(25, 2)], {"inclusive": True}, P, Decimal(75), True),
        (4, [(25, 1)], {"inclusive": True}, P, Decimal(75), True),
        # Just above and below the threshold.
        (8, [(25, 1)], {}, P, Decimal("87.5"), False),
        (8, [(25, 3)], {"inclusive": True}, IND, Decimal("62.5"), False),
        # The window: 20 and 30 inclusive, 19.9 and 30.1 outside.
        (8, [(19.9, 0)], {}, X, None, False),
        (8, [(20, 0)], {}, P, Decimal(100), False),
        (8, [(30, 0)], {}, P, Decimal(100), False),
        (8, [(30.1, 0)], {}, X, None, False),
        (8, [(Decimal("19.99"), 0), (25, 4)], {}, IND, Decimal(50), False),
        # Sustained (default): the highest in-window score decides; best: the lowest.
        (8, [(22, 4), (25, 3), (28, 2)], {}, IND, Decimal(50), False),
        (8, [(22, 4), (25, 3), (28, 2)], {"method": "best"}, IND, Decimal(75), True),
        (8, [(20, 2), (25, 1), (30, 1)], {}, IND, Decimal(75), True),
        (8, [(20, 1), (25, 0), (30, 1)], {}, P, Decimal("87.5"), False),
        # Out-of-window lows never decide.
        (8, [(10, 0), (25, 3), (45, 0), (-5, 0)], {}, IND, Decimal("62.5"), False),
        # Bands: below 50 % is negative, 50 % up to the threshold indeterminate.
        (10, [(25, 9)], {}, N, Decimal(10), False),
        (7, [(25, 4)], {}, N, Decimal(300) / 7, False),
        (8, [(25, 4)], {}, IND, Decimal(50), False),
        (6, [(25, 3)], {}, IND, Decimal(50), False),
        (10, [(25, 9)], {"negative_below": 0}, IND, Decimal(10), False),
        (10, [(25, 7)], {"negative_below": 30}, IND, Decimal(30), False),
        (10, [(25, 8)], {"negative_below": 30}, N, Decimal(20), False),
        # No change and pain up.
        (6, [(25, 6)], {}, N, Decimal(0), False),
        (5, [(25, 7)], {}, N, Decimal(-40), False),
        (6, [(25, 6)], {"negative_below": 0}, N, Decimal(0), False),
        # Baseline 0 and no baseline.
        (0, [(25, 0)], {}, X, None, False),
        (None, [(25, 1)], {}, X, None, False),
        (8, [], {}, X, None, False),
        # Other thresholds; the negative band follows a lower threshold down.
        (10, [(25, 5)], {"threshold": 50}, IND, Decimal(50), True),
        (10, [(25, 5)], {"threshold": 50, "inclusive": True}, P, Decimal(50), True),
        (10, [(25, 6)], {"threshold": 50}, N, Decimal(40), False),
        (10, [(25, 7)], {"threshold": 30}, IND, Decimal(30), True),
        (10, [(25, 8)], {"threshold": 30}, N, Decimal(20), False),
        (10, [(25, 2)], {"threshold": 80}, IND, Decimal(80), True),
        (10, [(25, 1)], {"threshold": 80}, P, Decimal(90), False),
        # 1/3 reduction stays exact: no float rounding at the threshold.
        (3, [(25, 2)], {"threshold": 34, "negative_below": 0}, IND, Decimal(100) / 3, False),
        (3, [(25, 2)], {"threshold": 33}, P, Decimal(100) / 3, False),
    ],
)
def test_evaluate_applies_the_rule_at_every_boundary(
    baseline, readings, options, outcome, percent, at_threshold
):
    result = evaluate(baseline, readings, **options)
    assert result.outcome == outcome
    assert result.percent_reduction == percent
    assert result.at_threshold is at_threshold
    assert result.reasons.headline


def test_sustained_decides_by_the_highest_score_and_the_earliest_among_equals():
    result = evaluate(9, [(21, 3), (24, 3), (27, 2), (35, 0)], threshold=80)
    assert (result.decisive_index, result.decisive_minutes, result.decisive_score) == (0, 21, 3)
    assert result.counted == (0, 1, 2)
    assert "the least relief of 3 readings in the window" in result.reasons.headline
    # A mixed response (77.8 % met, 66.7 % did not) keeps the same decisive reading.
    mixed = evaluate(9, [(21, 3), (24, 2), (27, 3), (35, 0)])
    assert (mixed.decisive_index, mixed.decisive_score, mixed.outcome) == (0, 3, IND)


def test_best_decides_by_the_lowest_score_and_the_earliest_among_equals():
    result = evaluate(9, [(21, 3), (24, 2), (27, 2), (35, 0)], method="best")
    assert (result.decisive_index, result.decisive_score) == (1, 2)


def test_every_extra_reading_can_only_lower_a_sustained_result():
    assert evaluate(8, [(22, 1)]).outcome == P
    assert evaluate(8, [(22, 1), (28, 3)]).outcome == IND


@pytest.mark.parametrize(
    "readings, outcome, counted",
    [
        ([(25, 1, "rest")], X, ()),
        ([(25, 1, "provoked")], P, (0,)),
        ([(25, 1, None)], P, (0,)),
        ([(22, 1, "rest"), (25, 3, "provoked")], IND, (1,)),
    ],
    ids=["other context only", "same context", "unknown context", "mixed"],
)
def test_only_readings_in_the_baselines_context_count(readings, outcome, counted):
    result = evaluate(8, readings, baseline_context="provoked")
    assert result.outcome == outcome
    assert result.counted == counted


def test_a_rest_reading_against_a_provoked_baseline_says_what_to_record():
    result = evaluate(8, [(25, 1, "rest")], baseline_context="provoked")
    assert result.outcome == X
    assert "record one during the same activity" in result.reasons.headline
    assert any("unlike the baseline" in note for note in result.reasons.context)


def test_without_a_baseline_context_every_context_counts():
    assert evaluate(8, [(25, 1, "rest")]).outcome == P


@pytest.mark.parametrize(
    "elapsed, readings, outcome, provisional",
    [
        (0, [], WAIT, False),
        (10, [], WAIT, False),
        (19.9, [], WAIT, False),
        (29.9, [], WAIT, False),
        (30, [], X, False),
        (None, [], X, False),
        (25, [(22, 1)], P, True),
        (25, [(22, 3)], IND, True),
        (Decimal("29.99"), [(22, 1)], P, True),
        (30, [(22, 1)], P, False),
        (25, [(15, 1)], WAIT, False),
    ],
)
def test_a_missing_reading_is_pending_and_a_result_provisional_until_the_window_closes(
    elapsed, readings, outcome, provisional
):
    result = evaluate(8, readings, minutes_elapsed=elapsed)
    assert result.outcome == outcome
    assert result.provisional is provisional
    if provisional:
        assert any(caution.startswith("Provisional") for caution in result.reasons.cautions)


@pytest.mark.parametrize(
    "elapsed, words",
    [
        (0, "window opens in 20 min;"),
        (Decimal("19.9"), "window opens in 0.1 min;"),
        (20, "window is open for 10 min more"),
        (Decimal("29.9"), "window is open for 0.1 min more"),
    ],
)
def test_pending_says_whether_the_window_has_opened(elapsed, words):
    headline = evaluate(8, [], minutes_elapsed=elapsed).reasons.headline
    assert words in headline, headline


def test_a_reading_in_another_context_leaves_it_pending_while_the_window_is_open():
    result = evaluate(8, [(22, 1, "rest")], baseline_context="provoked", minutes_elapsed=25)
    assert result.outcome == WAIT


def test_a_missing_baseline_is_non_diagnostic_even_while_the_window_is_open():
    assert evaluate(None, [], minutes_elapsed=5).outcome == X


def test_confounders_warn_by_default_and_keep_the_outcome():
    result = evaluate(8, [(25, 1)], confounders=["moderate sedation", "oxycodone at 09:10"])
    assert result.outcome == P
    [note] = result.reasons.confounders
    assert "moderate sedation; oxycodone at 09:10" in note


@pytest.mark.parametrize(
    "readings, elapsed", [([(25, 1)], None), ([(25, 3)], None), ([(22, 1)], 25)], ids=str
)
def test_confounders_make_a_positive_or_partial_block_non_diagnostic_under_that_policy(
    readings, elapsed
):
    result = evaluate(
        8,
        readings,
        confounders=["deep sedation"],
        confounder_policy="non_diagnostic",
        minutes_elapsed=elapsed,
    )
    assert result.outcome == X
    assert result.reasons.cause == "confounded"
    assert "deep sedation" in result.reasons.headline
    assert not result.provisional


@pytest.mark.parametrize(
    "readings, elapsed", [([(25, 1)], None), ([(25, 6)], None), ([], 10)], ids=str
)
def test_rule_two_point_zero_made_every_confounded_block_non_diagnostic(readings, elapsed):
    result = evaluate(
        8,
        readings,
        confounders=["deep sedation"],
        confounder_policy="non_diagnostic",
        minutes_elapsed=elapsed,
        revision="2.0",
    )
    assert result.outcome == X
    assert "deep sedation" in result.reasons.headline


def test_a_profile_can_require_a_provoked_baseline():
    result = evaluate(8, [(25, 1)], baseline_context="rest", required_context="provoked")
    assert result.outcome == X
    assert "needs one during the provoking activity" in result.reasons.headline
    good = evaluate(
        8, [(25, 1, "provoked")], baseline_context="provoked", required_context="provoked"
    )
    assert good.outcome == P


def test_exactly_at_threshold_is_called_out_in_words():
    result = evaluate(8, [(25, 2)])
    assert result.at_threshold_sentence == (
        "Exactly 75 %: meets 'at least 75 %' criteria, not the configured 'more than 75 %' rule."
    )
    assert result.reasons.at_threshold == result.at_threshold_sentence
    assert not evaluate(8, [(25, 1)]).reasons.at_threshold


def test_inclusive_at_threshold_sentence_names_the_configured_rule():
    result = evaluate(4, [(25, 1)], inclusive=True)
    assert "meets the configured 'at least 75 %' rule" in result.at_threshold_sentence


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
    assert result.outcome == X
    assert result.reasons.headline == reason


def test_a_negative_block_names_intra_articular_pain_only():
    result = evaluate(8, [(25, 7)])
    assert "intra-articular SI joint pain is unlikely" in result.reasons.headline
    assert rules.EXTRA_ARTICULAR in result.reasons.cautions


def test_a_positive_block_is_called_a_single_block():
    assert "(a single block)" in evaluate(8, [(25, 1)]).reasons.headline
    assert "(single block)" in Outcome.POSITIVE.label


def test_out_of_window_readings_are_mentioned_but_never_decisive():
    result = evaluate(8, [(10, 0), (25, 4)])
    assert result.decisive_score == 4
    assert "1 reading outside the 20–30 minute window is shown but never decisive." in (
        result.reasons.context
    )


def test_low_baseline_adds_a_caution():
    assert any("baseline was low" in r for r in evaluate(3, [(25, 0)]).reasons.cautions)
    assert not any("baseline was low" in r for r in evaluate(4, [(25, 0)]).reasons)


def test_reasons_iterate_in_order_headline_first():
    result = evaluate(
        8,
        [(25, 2, "provoked"), (26, 1, "rest")],
        baseline_context="provoked",
        confounders=["minimal fuss"],
    )
    reasons = list(result.reasons)
    assert reasons[0] == result.reasons.headline
    assert reasons[1] == result.reasons.at_threshold
    assert reasons[2:] == list(result.reasons.details)


@pytest.mark.parametrize(
    "baseline, readings, options, message",
    [
        (11, [], {}, "Baseline score must be from 0 to 10, got 11."),
        (-1, [], {}, "Baseline score must be from 0 to 10, got -1."),
        (True, [], {}, "Baseline score must be a whole number from 0 to 10, got True."),
        (7.5, [], {}, "Baseline score must be a whole number from 0 to 10, got 7.5."),
        ("7", [], {}, "Baseline score must be a whole number from 0 to 10, got '7'."),
        (7, [(25, 11)], {}, "Score must be from 0 to 10, got 11."),
        (7, [(25, 2.0)], {}, "Score must be a whole number from 0 to 10, got 2.0."),
        (7, [(25, False)], {}, "Score must be a whole number from 0 to 10, got False."),
        (7, [(25, 2, "walking")], {}, "Context must be one of rest, provoked, got 'walking'."),
        (7, [("25", 2)], {}, "Minutes after the injection must be a number, got '25'."),
        (7, [(25,)], {}, "A reading is (minutes, score), (minutes, score, context) or"),
        (7, [(25, 2, "rest", "nurse")], {}, "Source must be one of staff, patient, got 'nurse'."),
        (7, [], {"revision": "3.0"}, "Revision must be one of 2.0, 2.1, got '3.0'."),
        (7, [], {"min_baseline": 11}, "The minimum baseline must be from 0 to 10, got 11."),
        (7, [], {"confounders": [("paracetamol",)]}, "A confounder is a name, or (what"),
        (7, [], {"confounders": [("paracetamol", "soon")]}, "must be a number of minutes"),
        (7, [], {"method": "lowest"}, "Method must be one of sustained, best, got 'lowest'."),
        (7, [], {"confounder_policy": "ignore"}, "Confounder policy must be one of warn"),
        (7, [], {"negative_below": -1}, "negative band must be a whole percentage from 0 to 75"),
        (7, [], {"negative_below": 76}, "negative band must be a whole percentage from 0 to 75"),
        (7, [], {"negative_below": True}, "negative band must be a whole percentage"),
        (7, [], {"threshold": 50, "negative_below": 60}, "from 0 to 50, got 60"),
        (7, [], {"baseline_context": "lying"}, "Context must be one of rest, provoked"),
    ],
)
def test_evaluate_rejects_what_it_cannot_read(baseline, readings, options, message):
    with pytest.raises(ValueError) as raised:
        evaluate(baseline, readings, **options)
    assert message in str(raised.value)


@pytest.mark.parametrize("threshold", [0, 100, 75.0, True])
def test_evaluate_rejects_an_impossible_threshold(threshold):
    with pytest.raises(ValueError, match="Threshold"):
        evaluate(8, [(25, 1)], threshold=threshold)


def test_negative_band_may_equal_the_threshold():
    assert evaluate(8, [(25, 2)], negative_below=75).outcome == IND
    assert evaluate(8, [(25, 3)], negative_below=75).outcome == N


def test_evaluation_is_frozen():
    result = evaluate(8, [(25, 1)])
    with pytest.raises(AttributeError):
        result.outcome = Outcome.NEGATIVE


def test_evaluate_readings_takes_the_latest_baseline_and_its_context():
    readings = [(-30, 9, "rest"), (-5, 8, "provoked"), (25, 1, "rest"), (26, 2, "provoked")]
    result = evaluate_readings(readings)
    assert (result.baseline, result.baseline_context) == (8, "provoked")
    assert (result.decisive_index, result.counted) == (3, (3,))
    assert result.outcome == IND


def test_evaluate_readings_without_a_baseline_is_non_diagnostic():
    assert evaluate_readings([(0, 6), (25, 1)]).outcome == X


def test_percent_display_has_one_decimal():
    assert evaluate(7, [(25, 1)]).percent_display == "85.7 %"
    assert evaluate(None, [(25, 1)]).percent_display == "—"


@pytest.mark.parametrize(
    "baseline, inclusive, score",
    [
        (8, False, 1),
        (8, True, 2),
        (4, False, 0),
        (4, True, 1),
        (10, False, 2),
        (1, True, 0),
        (0, False, None),
        (None, True, None),
    ],
)
def test_meets_at_score_is_the_highest_score_that_meets_the_rule(baseline, inclusive, score):
    assert rules.meets_at_score(baseline, 75, inclusive) == score


def test_percent_reduction_is_exact():
    assert rules.percent_reduction(3, 2) == Decimal(100) / 3
    assert rules.percent_reduction(0, 0) is None
    assert rules.percent_reduction(None, 3) is None
