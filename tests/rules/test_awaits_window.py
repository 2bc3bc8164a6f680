"""awaits_window: the stored "pending while the window is open" flag, from the evaluation as
if the window had closed, agrees with evaluating the block at the injection's moment."""

from decimal import Decimal
from itertools import product

import pytest

from assessments.rules import Outcome, awaits_window, evaluate_readings

READINGS = {
    "baseline only": [(-5, 8, "provoked")],
    "no baseline": [(25, 2, "provoked")],
    "baseline 0": [(-5, 0, "provoked"), (25, 0, "provoked")],
    "window reading": [(-5, 8, "provoked"), (25, 1, "provoked")],
    "other context only": [(-5, 8, "provoked"), (25, 2, "rest")],
    "late reading only": [(-5, 8, "provoked"), (45, 2, "provoked")],
    "patient entry only": [(-5, 8, "provoked"), (25, 2, "provoked", "patient")],
    "below minimum": [(-5, 2, "provoked")],
}
CONFOUNDERS = {
    "none": [],
    "sedation": ["deep sedation"],
    "medicine": [["oxycodone 5 mg", "-30", "7 Dec 2026 09:00"]],
}


def as_readings(rows):
    return [(Decimal(minutes), *rest) for minutes, *rest in rows]


@pytest.mark.parametrize(
    ("case", "revision", "policy", "confounders", "min_baseline"),
    list(product(READINGS, ["2.0", "2.1"], ["warn", "non_diagnostic"], CONFOUNDERS, [None, 4])),
)
def test_it_agrees_with_the_block_read_at_the_injection(
    case, revision, policy, confounders, min_baseline
):
    options = {
        "revision": revision,
        "confounder_policy": policy,
        "confounders": CONFOUNDERS[confounders],
        "min_baseline": min_baseline,
    }
    readings = as_readings(READINGS[case])
    closed = evaluate_readings(readings, **options)
    at_start = evaluate_readings(readings, **options, minutes_elapsed=0)
    assert awaits_window(closed, policy) is (at_start.outcome is Outcome.PENDING)


def test_a_block_with_a_counted_reading_never_waits():
    closed = evaluate_readings(as_readings(READINGS["window reading"]))
    assert closed.outcome is Outcome.POSITIVE
    assert not awaits_window(closed)
