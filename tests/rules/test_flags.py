"""Flags (rules.Flag): codes for callers, each with one sentence in the reasons."""

from pathlib import Path

import pytest

from assessments import rules
from assessments.rules import Flag, evaluate, evaluate_readings

CONFOUNDED = {"confounders": ["deep sedation"]}
# A scenario raising each flag, words of its sentence (found in the reasons), and a piece of
# the sentence's source text, which appears once in the package.
RAISED = {
    Flag.NOT_SUSTAINED: (
        lambda: evaluate(8, [(22, 1), (29, 6)]),
        "87.5 % at 22 min, 25 % at 29 min: relief not sustained.",
        "}: relief not sustained.",
    ),
    Flag.LOW_BASELINE: (
        lambda: evaluate(3, [(25, 0)]),
        "the baseline was low (3/10)",
        "so one point changes the percentage",
    ),
    Flag.STALE_BASELINE: (
        lambda: evaluate_readings([(-300, 8), (25, 1)]),
        "taken 5 h before the injection (more than 4 h)",
        "no longer be the patient's pain",
    ),
    Flag.CONTEXT_UNDERSTATED: (
        lambda: evaluate(6, [(25, 1, "provoked")], baseline_context="rest"),
        "so it understates relief",
        "so it understates relief",
    ),
    Flag.CONFOUNDED: (
        lambda: evaluate(8, [(25, 1)], **CONFOUNDED),
        "Confounders: deep sedation. They can make relief look larger",
        'f"Confounders: {named}{joint}',
    ),
    Flag.AT_THRESHOLD: (
        lambda: evaluate(8, [(25, 2)]),
        "Exactly 75 %",
        "not the configured 'more than {threshold} %' rule.",
    ),
    Flag.PROVISIONAL: (
        lambda: evaluate(8, [(22, 1)], minutes_elapsed=25),
        "Provisional:",
        'f"Provisional: the window',
    ),
    Flag.BELOW_MINIMUM_BASELINE: (
        lambda: evaluate(3, [(25, 0)], min_baseline=4),
        "a baseline of at least 4/10",
        "this rule is for moderate-to-severe pain",
    ),
    Flag.PATIENT_NOT_COUNTED: (
        lambda: evaluate(8, [(24, 1, None, "patient"), (25, 1)]),
        "1 patient-reported entry in the 20–30 minute window: listed, not counted",
        "patient-reported {which}",
    ),
}


def test_every_flag_has_a_scenario():
    assert set(RAISED) == set(Flag)


@pytest.mark.parametrize("flag", list(Flag), ids=str)
def test_each_flag_is_raised_with_its_sentence(flag):
    scenario, words, _ = RAISED[flag]
    result = scenario()
    assert flag in result.flags
    assert any(words in reason for reason in result.reasons), list(result.reasons)


@pytest.mark.parametrize("flag", list(Flag), ids=str)
def test_each_flags_sentence_is_written_once_in_the_package(flag):
    _, _, source = RAISED[flag]
    package = Path(rules.__file__).parent
    found = sum(path.read_text().count(source) for path in package.glob("*.py"))
    assert found == 1, source


def test_flags_are_codes_callers_can_compare_as_text():
    result = evaluate(8, [(22, 1), (29, 6)])
    assert "not_sustained" in result.flags
    assert isinstance(result.flags, frozenset)
    assert {flag.value for flag in Flag} == {
        "not_sustained",
        "low_baseline",
        "stale_baseline",
        "context_understated",
        "confounded",
        "at_threshold",
        "provisional",
        "below_minimum_baseline",
        "patient_not_counted",
    }


def test_a_plain_positive_has_no_flags():
    assert evaluate(8, [(25, 1)]).flags == frozenset()


def test_demotion_by_confounders_drops_the_at_threshold_and_provisional_flags():
    result = evaluate(
        8,
        [(22, 2)],
        confounders=["deep sedation"],
        confounder_policy="non_diagnostic",
        minutes_elapsed=25,
        inclusive=True,
    )
    assert result.flags == {Flag.CONFOUNDED}
