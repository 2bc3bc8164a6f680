"""Rule 2.1 (issue 19): the scenarios where rule 2.0 said more, or less, than the readings
support, each read as a careful reviewer reads it. Duration of relief: test_relief.py;
the pages and the PDF: tests/test_rule_pages.py."""

import pytest

from assessments.rules import Flag, Outcome, evaluate, evaluate_readings
from assessments.rules import profiles as prof

P, IND, N, X, WAIT = (
    Outcome.POSITIVE,
    Outcome.INDETERMINATE,
    Outcome.NEGATIVE,
    Outcome.NON_DIAGNOSTIC,
    Outcome.PENDING,
)


def test_a_fluctuating_response_is_not_negative():
    result = evaluate(8, [(22, 1, "provoked"), (25, 1, "provoked"), (29, 6, "provoked")])
    assert result.outcome == IND
    assert (result.decisive_minutes, result.decisive_score) == (29, 6)
    assert result.percent_reduction == 25
    assert Flag.NOT_SUSTAINED in result.flags
    assert "87.5 % at 22 min, 25 % at 29 min: relief not sustained." in result.reasons.cautions
    assert "unlikely" not in " ".join(result.reasons)


def test_relief_that_is_partial_then_small_is_indeterminate_not_negative():
    result = evaluate(8, [(22, 3), (28, 5)])
    assert (result.outcome, result.decisive_score, result.percent_reduction) == (IND, 5, 37.5)
    assert Flag.NOT_SUSTAINED not in result.flags  # neither reading met the threshold
    assert "unlikely" not in result.reasons.headline
    assert "62.5 % at 22 min, 37.5 % at 28 min" in result.reasons.headline


@pytest.mark.parametrize(
    "scores, outcome",
    [
        ([1, 1], P),  # every reading meets > 75 %
        ([5, 6], N),  # every reading below 50 %
        ([4, 3], IND),  # every reading partial
        ([1, 3], IND),  # met, then partial: not sustained
        ([3, 5], IND),  # partial, then small
        ([1, 8], IND),  # full relief, then none
        ([8, 9], N),  # no change, then worse
    ],
    ids=str,
)
def test_sustained_reads_every_counted_reading_both_ways(scores, outcome):
    assert evaluate(8, [(22, scores[0]), (28, scores[1])]).outcome == outcome


def test_best_and_rule_two_point_zero_still_read_one_reading():
    readings = [(22, 1), (25, 1), (29, 6)]
    assert evaluate(8, readings, method="best").outcome == P
    assert evaluate(8, readings, revision="2.0").outcome == N


@pytest.mark.parametrize("policy", ["warn", "non_diagnostic"])
def test_a_negative_sedated_block_stays_negative(policy):
    result = evaluate(8, [(25, 7)], confounders=["deep sedation"], confounder_policy=policy)
    assert result.outcome == N
    assert Flag.CONFOUNDED in result.flags
    assert result.confounders == ("deep sedation",)
    [note] = result.reasons.confounders
    assert "deep sedation" in note and "could only have enlarged relief" in note


def test_a_pending_confounded_block_stays_pending():
    result = evaluate(
        8, [], confounders=["deep sedation"], confounder_policy="non_diagnostic", minutes_elapsed=10
    )
    assert result.outcome == WAIT
    assert Flag.CONFOUNDED in result.flags


def test_the_provoked_baseline_is_read_when_the_patient_repeats_the_provoking_activity():
    readings = [(-15, 8, "provoked"), (-5, 3, "rest"), (25, 1, "provoked")]
    result = evaluate_readings(readings)
    assert (result.outcome, result.baseline, result.baseline_index) == (P, 8, 0)
    assert result.percent_reduction == 87.5
    for profile in prof.BUILT_IN:
        assert prof.evaluate_profile(profile, readings).outcome == P, profile.key
    # Rule 2.0 took the latest (resting) baseline: non-diagnostic everywhere.
    assert evaluate_readings(readings, revision="2.0").outcome == X


@pytest.mark.parametrize(
    "readings, index",
    [
        # Only resting window readings: the latest baseline overall (today's rule).
        ([(-15, 8, "provoked"), (-5, 3, "rest"), (25, 1, "rest")], 1),
        # No provoked baseline: the latest one.
        ([(-15, 8, "rest"), (-5, 6, "rest"), (25, 1, "provoked")], 1),
        # Within a context, the latest.
        ([(-30, 9, "provoked"), (-15, 8, "provoked"), (-5, 3, "rest"), (25, 1, "provoked")], 1),
    ],
    ids=["rest readings", "no provoked baseline", "latest provoked"],
)
def test_which_baseline_is_used(readings, index):
    assert evaluate_readings(readings).baseline_index == index


def test_a_profile_that_requires_a_context_uses_that_contexts_baseline():
    readings = [(-15, 8, "provoked"), (-5, 3, "rest"), (25, 1, "rest"), (27, 1, "provoked")]
    cms = prof.evaluate_profile(prof.CMS_LCD_2023, readings)
    assert (cms.baseline_index, cms.baseline_context, cms.outcome) == (0, "provoked", P)


@pytest.mark.parametrize("minutes, stale", [(-240, False), (-241, True), (-20 * 60, True)])
def test_a_baseline_taken_hours_before_the_injection_is_flagged_stale(minutes, stale):
    result = evaluate_readings([(minutes, 8, "provoked"), (25, 1, "provoked")])
    assert result.outcome == P
    assert (Flag.STALE_BASELINE in result.flags) is stale
    assert any("may no longer be the patient's pain" in c for c in result.reasons.cautions) is stale


def test_a_provoked_reading_against_a_resting_baseline_can_confirm():
    result = evaluate_readings([(-10, 6, "rest"), (25, 1, "provoked")])
    assert (result.outcome, result.counted, result.decisive_index) == (P, (1,), 1)
    assert result.percent_reduction.quantize(1) == 83
    assert Flag.CONTEXT_UNDERSTATED in result.flags
    assert any("understates relief" in note for note in result.reasons.context)
    # CMS asks for a provoked baseline: still non-diagnostic there.
    cms = prof.evaluate_profile(prof.CMS_LCD_2023, [(-10, 6, "rest"), (25, 1, "provoked")])
    assert cms.reasons.cause == "baseline_context"


def test_a_provoked_reading_against_a_resting_baseline_never_refutes():
    result = evaluate_readings([(-10, 6, "rest"), (25, 4, "provoked")])
    assert (result.outcome, result.counted) == (X, ())
    assert result.reasons.cause == "no_context_reading"
    assert Flag.CONTEXT_UNDERSTATED not in result.flags
    # Beside a resting reading it is listed, not counted.
    both = evaluate_readings([(-10, 6, "rest"), (22, 1, "rest"), (25, 4, "provoked")])
    assert (both.outcome, both.counted) == (P, (1,))


def test_a_resting_reading_against_a_provoked_baseline_is_never_counted():
    result = evaluate_readings([(-10, 8, "provoked"), (25, 0, "rest")])
    assert (result.outcome, result.counted) == (X, ())


@pytest.mark.parametrize("baseline, flagged", [(1, True), (3, True), (4, False)])
def test_a_low_baseline_is_below_the_medicare_minimum_and_cautioned_everywhere(baseline, flagged):
    readings = [(-10, baseline, "provoked"), (25, 0, "provoked")]
    matrix = {c.profile.code: c.evaluation for c in prof.criteria_matrix(readings)}
    cms = matrix["CMS-LCD-2023"]
    if flagged:
        assert (cms.outcome, cms.reasons.cause) == (X, "baseline_below_minimum")
        assert Flag.BELOW_MINIMUM_BASELINE in cms.flags
    else:
        assert cms.outcome == P
    for evaluation in matrix.values():
        assert (Flag.LOW_BASELINE in evaluation.flags) is flagged
    assert matrix["LEAFLET"].outcome == P


def test_a_baseline_of_one_is_not_called_consistent_with_si_joint_pain_by_the_payer_row():
    cms = next(
        c
        for c in prof.criteria_matrix([(-10, 1, "provoked"), (25, 0, "provoked")])
        if c.profile is prof.CMS_LCD_2023
    )
    assert cms.meets is False
    assert "baseline below 4/10" in cms.why


def test_an_analgesic_taken_before_the_baseline_is_context_not_a_confounder():
    medicine = ("Paracetamol 1 g", -1200, "2 Mar 2026, 07:32 UTC")
    result = evaluate_readings(
        [(-10, 8, "provoked"), (25, 1, "provoked")],
        confounders=[medicine],
        confounder_policy="non_diagnostic",
    )
    assert result.outcome == P
    assert Flag.CONFOUNDED not in result.flags
    assert result.confounders == ()
    assert (
        "Paracetamol 1 g: taken 20 h before the injection (2 Mar 2026, 07:32 UTC), before the "
        "baseline, which reflects it: not a confounder."
    ) in result.reasons.context


@pytest.mark.parametrize(
    "taken, confounds",
    [(-10, False), (-9.5, True), (5, True), (25, True), (26, False), (40, False)],
)
def test_an_analgesic_confounds_only_between_the_baseline_and_the_deciding_reading(
    taken, confounds
):
    medicine = ("oxycodone 5 mg", taken, "3 Mar 2026, 09:10 UTC")
    result = evaluate_readings([(-10, 8, "provoked"), (25, 1, "provoked")], confounders=[medicine])
    assert (Flag.CONFOUNDED in result.flags) is confounds
    if confounds:
        assert result.confounders == ("oxycodone 5 mg (3 Mar 2026, 09:10 UTC)",)


def test_under_sustained_every_counted_reading_decides_so_a_medicine_before_the_last_confounds():
    # The 22 min 2/10 decides; the 28 min reading after the medicine could have read higher.
    readings = [(-10, 8, "provoked"), (22, 2, "provoked"), (28, 1, "provoked")]
    sustained = evaluate_readings(readings, confounders=[("rescue analgesic: ibuprofen", 25)])
    assert Flag.CONFOUNDED in sustained.flags
    best = evaluate_readings(
        readings, confounders=[("rescue analgesic: ibuprofen", 29)], method="best"
    )
    assert Flag.CONFOUNDED not in best.flags


def test_a_patient_entry_is_never_the_baseline_and_never_counted_in_the_window():
    readings = [
        (-10, 8, "provoked", "staff"),
        (-2, 3, "provoked", "patient"),
        (24, 10, "provoked", "patient"),
        (25, 1, "provoked", "staff"),
    ]
    result = evaluate_readings(readings)
    assert (result.baseline_index, result.counted, result.outcome) == (0, (3,), P)
    assert Flag.PATIENT_NOT_COUNTED in result.flags
    assert any("patient-reported entry" in note for note in result.reasons.context)


def test_a_block_with_only_patient_entries_in_the_window_says_what_to_record():
    readings = [(-10, 8, "provoked"), (25, 1, "provoked", "patient")]
    result = evaluate_readings(readings)
    assert (result.outcome, result.counted) == (X, ())
    assert Flag.PATIENT_NOT_COUNTED in result.flags
    assert evaluate_readings([(-10, 8, "provoked", "patient"), (25, 1)]).outcome == X


def test_a_reading_with_seconds_is_written_to_one_decimal():
    result = evaluate(8, [(23.766666666666666, 2)])
    assert "2/10 at 23.8 min" in result.reasons.headline
    criterion = prof.criteria_matrix([(-5, 8), (23.766666666666666, 2)])[0]
    assert "reading at 23.8 min" in criterion.why
