"""The rule's vocabulary: outcomes, readings, reasons, evaluations, and the exact arithmetic.

Pure Python; see the package's docstring for how the rule reads the readings.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

# Minutes after the injection: whole, float or exact Decimal (the models give Decimal).
Minutes = int | float | Decimal
# A reading as the database gives it: (minutes, score[, context[, source]]); checked by
# evaluation.as_reading, which names the shape in its error.
ReadingRow = tuple[Any, ...]

WINDOW_START_MINUTES = 20
WINDOW_END_MINUTES = 30
DEFAULT_THRESHOLD = 75
DEFAULT_NEGATIVE_BELOW = 50


def negative_band(threshold: int, negative_below: int | None) -> int:
    """Below this reduction (%) a block reads negative: the profile's band, or by default
    50 % (the threshold when that is lower)."""
    return min(DEFAULT_NEGATIVE_BELOW, threshold) if negative_below is None else negative_below


LOW_BASELINE = 3
METHODS = ("sustained", "best")
CONTEXTS = ("rest", "provoked")
# Who took a reading: staff at the bedside, or the patient (diary link, paper diary).
SOURCES = ("staff", "patient")
# The rule's revisions: "2.0" reproduces sign-offs made before 2.1 (stored without one).
REVISIONS = ("2.0", "2.1")
CURRENT_REVISION = "2.1"
# A baseline taken longer than this before the injection may not be the pain of the day.
STALE_BASELINE_MINUTES = 4 * 60
CONFOUNDER_POLICIES = ("warn", "non_diagnostic")
# The follow-up week: days 1 to 7 after the injection day, counted in the clinic's zone.
FOLLOW_UP_DAYS = 7
CONTEXT_WORDS = {"rest": "at rest", "provoked": "during the provoking activity"}
EXTRA_ARTICULAR = "An intra-articular block does not exclude extra-articular SI joint complex pain."


class Outcome(StrEnum):
    POSITIVE = "positive"
    INDETERMINATE = "indeterminate"
    NEGATIVE = "negative"
    NON_DIAGNOSTIC = "non_diagnostic"
    PENDING = "pending"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.POSITIVE: "Positive (single block): consistent with SI joint pain",
    Outcome.INDETERMINATE: "Indeterminate: partial relief",
    Outcome.NEGATIVE: "Negative: intra-articular SI joint pain unlikely",
    Outcome.NON_DIAGNOSTIC: "Non-diagnostic",
    Outcome.PENDING: "Pending: the 20–30 minute reading is not in yet",
}
# What a finished record can be: never pending once the window has closed.
FINAL_OUTCOMES = tuple(outcome for outcome in Outcome if outcome is not Outcome.PENDING)


class Flag(StrEnum):
    """What a reviewer should know about a result, as codes: no caller matches words. Each
    has one sentence in the reasons, written in rules/flags.py."""

    NOT_SUSTAINED = "not_sustained"
    LOW_BASELINE = "low_baseline"
    STALE_BASELINE = "stale_baseline"
    CONTEXT_UNDERSTATED = "context_understated"
    CONFOUNDED = "confounded"
    AT_THRESHOLD = "at_threshold"
    PROVISIONAL = "provisional"
    BELOW_MINIMUM_BASELINE = "below_minimum_baseline"
    PATIENT_NOT_COUNTED = "patient_not_counted"


@dataclass(frozen=True)
class Reading:
    minutes: Minutes
    score: int
    context: str | None = None
    # "staff" or "patient"; None is staff. A patient's entry is never the baseline and never
    # counted in the window (the diary is for the hours and days after it).
    source: str | None = None

    @property
    def by_patient(self) -> bool:
        return self.source == "patient"


# Why the rule found a block non-diagnostic: a stored key and its words for a table.
NON_DIAGNOSTIC_CAUSES = {
    "no_baseline": "no baseline",
    "baseline_zero": "baseline 0/10",
    "baseline_context": "baseline not in the profile's context",
    "baseline_below_minimum": "baseline below the profile's minimum",
    "no_window_reading": "no reading in the window",
    "no_context_reading": "no window reading in the baseline's context",
    "confounded": "confounded (the clinic's confounder policy)",
}


@dataclass(frozen=True)
class Reasons:
    """Why the rule said what it said, by kind, so no caller matches strings."""

    headline: str
    at_threshold: str = ""
    confounders: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    # A few words for a table cell, e.g. "no baseline", "no reading in the window".
    short: str = ""
    # Why a block is non-diagnostic, as a key of NON_DIAGNOSTIC_CAUSES (stored, counted).
    cause: str = ""

    def __iter__(self) -> Iterator[str]:
        if self.headline:
            yield self.headline
        if self.at_threshold:
            yield self.at_threshold
        yield from self.confounders
        yield from self.context
        yield from self.cautions

    def __len__(self) -> int:
        return sum(1 for _ in self)

    @property
    def details(self) -> tuple[str, ...]:
        """Everything after the headline and the at-threshold sentence."""
        return self.confounders + self.context + self.cautions


@dataclass(frozen=True)
class Evaluation:
    outcome: Outcome
    percent_reduction: Decimal | None
    at_threshold: bool
    decisive_index: int | None
    decisive_minutes: Minutes | None
    decisive_score: int | None
    reasons: Reasons
    provisional: bool = False
    baseline: int | None = None
    baseline_context: str | None = None
    threshold: int = DEFAULT_THRESHOLD
    inclusive: bool = False
    method: str = "sustained"
    negative_below: int = DEFAULT_NEGATIVE_BELOW
    # Indexes (into the readings as given) of the in-window readings that counted.
    counted: tuple[int, ...] = field(default=())
    # The reading taken as the baseline (evaluate_readings; None from evaluate()).
    baseline_index: int | None = None
    flags: frozenset[Flag] = frozenset()
    # The confounders that could have enlarged this result, in words (also in the reasons).
    confounders: tuple[str, ...] = ()
    min_baseline: int | None = None
    revision: str = CURRENT_REVISION

    @property
    def percent_display(self) -> str:
        """The reduction to one decimal, e.g. "87.5 %", or "—" when there is none."""
        if self.percent_reduction is None:
            return "—"
        return f"{round_percent(self.percent_reduction)} %"

    @property
    def rule_text(self) -> str:
        return rule_text(
            self.threshold,
            self.inclusive,
            self.method,
            self.negative_below,
            min_baseline=self.min_baseline,
            revision=self.revision,
        )

    @property
    def at_threshold_sentence(self) -> str:
        return self.reasons.at_threshold

    @property
    def meets_at_score(self) -> int | None:
        """The highest window score that meets the rule, for this baseline (None without)."""
        return meets_at_score(self.baseline, self.threshold, self.inclusive)


def comparator_words(inclusive: bool) -> str:
    return "at least" if inclusive else "more than"


def rule_text(
    threshold: int = DEFAULT_THRESHOLD,
    inclusive: bool = False,
    method: str = "sustained",
    negative_below: int = DEFAULT_NEGATIVE_BELOW,
    *,
    min_baseline: int | None = None,
    revision: str = CURRENT_REVISION,
) -> str:
    readings = (
        "at every reading" if method == "sustained" else "at the best reading"
    ) + f" {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minutes after the injection"
    both_ways = method == "sustained" and revision != "2.0"
    negative = (
        f"below {negative_below} %{' at every reading' if both_ways else ''} is negative"
        if negative_below
        else "no reduction is negative"
    )
    between = "in between or mixed" if both_ways else "in between"
    minimum = f" A baseline below {min_baseline}/10 is non-diagnostic." if min_baseline else ""
    return (
        f"Positive when pain falls by {comparator_words(inclusive)} {threshold} % {readings}; "
        f"{negative}, {between} is indeterminate.{minimum}"
    )


def at_threshold_sentence(threshold: int, inclusive: bool) -> str:
    if inclusive:
        return (
            f"Exactly {threshold} %: meets the configured 'at least {threshold} %' rule, "
            f"but not a 'more than {threshold} %' rule."
        )
    return (
        f"Exactly {threshold} %: meets 'at least {threshold} %' criteria, "
        f"not the configured 'more than {threshold} %' rule."
    )


def round_percent(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def check_score(score: object, what: str = "Score") -> int:
    # bool is an int subclass; True is not a pain score.
    if isinstance(score, bool) or not isinstance(score, int):
        raise ValueError(f"{what} must be a whole number from 0 to 10, got {score!r}.")
    if not 0 <= score <= 10:
        raise ValueError(f"{what} must be from 0 to 10, got {score}.")
    return score


def check_percent(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{what} must be a whole percentage from {low} to {high}, got {value!r}.")
    return value


def check_threshold(threshold: object) -> int:
    return check_percent(threshold, "Threshold", 1, 99)


def check_choice(value: object, allowed: Sequence[str], what: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}, got {value!r}.")
    return value


def check_context(context: object) -> str | None:
    return None if context is None else check_choice(context, CONTEXTS, "Context")


def in_window(minutes: Minutes) -> bool:
    return WINDOW_START_MINUTES <= minutes <= WINDOW_END_MINUTES


def round_minutes(minutes: Minutes) -> Decimal:
    """Minutes to one decimal at most, half up: 23.7666… → 23.8, 25.0 → 25, -5 → -5."""
    value = Decimal(str(minutes)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return value.to_integral_value() + 0  # + 0: no "-0"
    return value


def format_minutes(minutes: Minutes) -> str:
    """A minute count as a number in words: "23.8", "25", "-5" (one decimal at most)."""
    return f"{round_minutes(minutes):f}"


def minutes_text(minutes: Minutes) -> str:
    """A minute count in words, the one way every page, report and export writes one:
    "23.8 min", "25 min"."""
    return f"{format_minutes(minutes)} min"


def duration_words(minutes: Minutes | None) -> str:
    """Minutes after the injection in words: 23.77 → "23.8 min" (minutes_text, under an
    hour), 130 → "2 h 10 min", 180 → "3 h" (whole minutes from an hour on)."""
    if minutes is None:
        return "?"
    if abs(round_minutes(minutes)) < 60:
        return minutes_text(minutes)
    whole = int(Decimal(str(minutes)).to_integral_value(rounding=ROUND_HALF_UP))
    hours, rest = divmod(whole, 60)
    return f"{hours} h" + (f" {rest} min" if rest else "")


def percent_reduction(baseline: int | None, score: int) -> Decimal | None:
    """(baseline − score) × 100 / baseline, exactly; None without a measurable baseline."""
    if not baseline:
        return None
    return Decimal((baseline - score) * 100) / Decimal(baseline)


def meets(baseline: int, score: int, threshold: int, inclusive: bool) -> bool:
    scaled, bar = (baseline - score) * 100, threshold * baseline
    return scaled >= bar if inclusive else scaled > bar


def meets_at_score(baseline: int | None, threshold: int, inclusive: bool) -> int | None:
    """The highest score that meets the rule for `baseline`, or None if none can."""
    if not baseline:
        return None
    passing = [s for s in range(11) if meets(baseline, s, threshold, inclusive)]
    return max(passing, default=None)
