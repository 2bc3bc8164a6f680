"""The 75 % reduction rule for diagnostic SI joint injections.

Pure Python on purpose: forms, admin, views and the PDF report all ask this
module, and nothing else computes a percentage. Arithmetic at the threshold is
integer cross-multiplication, so "exactly 75 %" is never lost to a float.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from numbers import Real

WINDOW_START_MINUTES = 20
WINDOW_END_MINUTES = 30
DEFAULT_THRESHOLD = 75
LOW_BASELINE = 3


class Outcome(StrEnum):
    POSITIVE = "positive"
    INDETERMINATE = "indeterminate"
    NEGATIVE = "negative"
    NON_DIAGNOSTIC = "non_diagnostic"

    @property
    def label(self):
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.POSITIVE: "Positive: consistent with SI joint involvement",
    Outcome.INDETERMINATE: "Indeterminate: partial relief, not confirmed",
    Outcome.NEGATIVE: "Negative: SI joint unlikely to be the source",
    Outcome.NON_DIAGNOSTIC: "Non-diagnostic",
}


@dataclass(frozen=True)
class Evaluation:
    outcome: Outcome
    percent_reduction: Decimal | None
    at_threshold: bool
    decisive_minutes: Real | None
    decisive_score: int | None
    reasons: tuple[str, ...]
    baseline: int | None = None
    threshold: int = DEFAULT_THRESHOLD
    inclusive: bool = False

    @property
    def percent_display(self):
        """The reduction to one decimal, e.g. "87.5 %", or "—" when there is none."""
        if self.percent_reduction is None:
            return "—"
        return f"{round_percent(self.percent_reduction)} %"

    @property
    def rule_text(self):
        return rule_text(self.threshold, self.inclusive)

    @property
    def at_threshold_sentence(self):
        if not self.at_threshold:
            return ""
        return at_threshold_sentence(self.threshold, self.inclusive)


def comparator_words(inclusive):
    return "at least" if inclusive else "more than"


def rule_text(threshold=DEFAULT_THRESHOLD, inclusive=False):
    return (
        f"Positive when pain falls by {comparator_words(inclusive)} {threshold} % "
        f"at {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minutes after the injection."
    )


def at_threshold_sentence(threshold, inclusive):
    if inclusive:
        return (
            f"Exactly {threshold} %: meets the configured 'at least {threshold} %' rule, "
            f"but not a 'more than {threshold} %' rule."
        )
    return (
        f"Exactly {threshold} %: meets 'at least {threshold} %' criteria, "
        f"not the configured 'more than {threshold} %' rule."
    )


def round_percent(value):
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def check_score(score, what="Score"):
    # bool is an int subclass; True is not a pain score.
    if isinstance(score, bool) or not isinstance(score, int):
        raise ValueError(f"{what} must be a whole number from 0 to 10, got {score!r}.")
    if not 0 <= score <= 10:
        raise ValueError(f"{what} must be from 0 to 10, got {score}.")
    return score


def check_threshold(threshold):
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 0 < threshold < 100:
        raise ValueError(f"Threshold must be a whole percentage from 1 to 99, got {threshold!r}.")
    return threshold


def in_window(minutes):
    return WINDOW_START_MINUTES <= minutes <= WINDOW_END_MINUTES


def latest_baseline(readings):
    """The score of the latest reading before the injection (negative minutes), or None."""
    before = [(minutes, score) for minutes, score in readings if minutes < 0]
    if not before:
        return None
    return max(before, key=lambda reading: reading[0])[1]


def format_minutes(minutes):
    value = Decimal(str(minutes)).normalize()
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def evaluate(baseline, readings, *, threshold=DEFAULT_THRESHOLD, inclusive=False):
    """Apply the rule to a baseline score and (minutes_after_injection, score) readings."""
    check_threshold(threshold)
    if baseline is not None:
        check_score(baseline, "Baseline score")
    readings = [(minutes, check_score(score)) for minutes, score in readings]
    settings = {"baseline": baseline, "threshold": threshold, "inclusive": inclusive}

    in_window_readings = [(m, s) for m, s in readings if in_window(m)]
    outside = len(readings) - len(in_window_readings)
    outside_note = ()
    if outside:
        outside_note = (
            f"{outside} reading{'s' if outside != 1 else ''} outside the "
            f"{WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minute window "
            f"{'are' if outside != 1 else 'is'} shown but never decisive.",
        )

    missing = []
    if baseline is None:
        missing.append("No baseline score was recorded before the injection.")
    elif baseline == 0:
        missing.append("Baseline pain is 0/10, so a reduction cannot be measured.")
    if not in_window_readings:
        missing.append(
            f"No reading was recorded {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minutes "
            "after the injection."
        )
    decisive_minutes, decisive_score = (None, None)
    if in_window_readings:
        # Lowest score wins; among equals, the earliest reading.
        decisive_minutes, decisive_score = min(in_window_readings, key=lambda r: (r[1], r[0]))
    if missing:
        return Evaluation(
            Outcome.NON_DIAGNOSTIC,
            None,
            False,
            decisive_minutes,
            decisive_score,
            tuple(missing) + outside_note,
            **settings,
        )

    drop = baseline - decisive_score
    percent = Decimal(drop * 100) / Decimal(baseline)
    # Cross-multiplied: drop/baseline vs threshold/100, all integers.
    scaled, bar = drop * 100, threshold * baseline
    at_threshold = scaled == bar
    meets = scaled >= bar if inclusive else scaled > bar
    shown = f"{round_percent(percent)} %"
    at = f"at {format_minutes(decisive_minutes)} minutes"
    if drop <= 0:
        outcome = Outcome.NEGATIVE
        change = "did not fall" if drop == 0 else "rose"
        headline = (
            f"Pain {change}: {baseline}/10 before, {decisive_score}/10 {at} "
            f"(reduction {shown}): the SI joint is unlikely to be the source."
        )
    elif meets:
        outcome = Outcome.POSITIVE
        headline = (
            f"Pain fell from {baseline}/10 to {decisive_score}/10 {at}: a reduction of {shown}, "
            f"{comparator_words(inclusive)} {threshold} %, consistent with SI joint involvement."
        )
    else:
        outcome = Outcome.INDETERMINATE
        headline = (
            f"Pain fell from {baseline}/10 to {decisive_score}/10 {at}: a reduction of {shown}, "
            f"not {comparator_words(inclusive)} {threshold} %; partial relief, not confirmed."
        )
    reasons = (headline,)
    if at_threshold:
        reasons += (at_threshold_sentence(threshold, inclusive),)
    if baseline <= LOW_BASELINE:
        reasons += (
            f"Caution: the baseline was low ({baseline}/10), so one point changes the "
            "percentage a lot.",
        )
    return Evaluation(
        outcome,
        percent,
        at_threshold,
        decisive_minutes,
        decisive_score,
        reasons + outside_note,
        **settings,
    )


def evaluate_readings(readings, *, threshold=DEFAULT_THRESHOLD, inclusive=False):
    """Evaluate all of an injection's readings, taking the baseline from those before it."""
    readings = list(readings)
    return evaluate(
        latest_baseline(readings),
        [(m, s) for m, s in readings if m >= 0],
        threshold=threshold,
        inclusive=inclusive,
    )
