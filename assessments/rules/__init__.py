"""The reduction rule for diagnostic SI joint injections (rule 2.0).

Pure Python on purpose: forms, admin, views, the PDF and the exports all ask this package,
and nothing else computes a percentage. Arithmetic at the threshold and the bands is integer
cross-multiplication, so "exactly 75 %" is never lost to a float.

How several readings are read (see the README's rule section):
- method "sustained" (default): every counted reading 20–30 minutes after the injection must
  meet the threshold, so the highest score decides; "best": the lowest decides (rule 1.0).
- Only readings in the baseline's context (rest or provoked), or of unknown context, count.
- Bands: no reduction or less than `negative_below` (default 50 %) is negative; from it up to
  the threshold is indeterminate; meeting the rule is positive.
- While the window is open a missing reading is pending, and a result is provisional.
- Confounders (sedation, an analgesic) warn, or make the block non-diagnostic.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from numbers import Real

WINDOW_START_MINUTES = 20
WINDOW_END_MINUTES = 30
DEFAULT_THRESHOLD = 75
DEFAULT_NEGATIVE_BELOW = 50
LOW_BASELINE = 3
METHODS = ("sustained", "best")
CONTEXTS = ("rest", "provoked")
CONFOUNDER_POLICIES = ("warn", "non_diagnostic")
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


@dataclass(frozen=True)
class Reading:
    minutes: Real
    score: int
    context: str | None = None


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
    decisive_minutes: Real | None
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

    @property
    def percent_display(self) -> str:
        """The reduction to one decimal, e.g. "87.5 %", or "—" when there is none."""
        if self.percent_reduction is None:
            return "—"
        return f"{round_percent(self.percent_reduction)} %"

    @property
    def rule_text(self) -> str:
        return rule_text(self.threshold, self.inclusive, self.method, self.negative_below)

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
) -> str:
    readings = (
        "at every reading" if method == "sustained" else "at the best reading"
    ) + f" {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minutes after the injection"
    negative = (
        f"below {negative_below} % is negative" if negative_below else "no reduction is negative"
    )
    return (
        f"Positive when pain falls by {comparator_words(inclusive)} {threshold} % {readings}; "
        f"{negative}, in between is indeterminate."
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
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}, got {value!r}.")
    return value


def check_context(context: object) -> str | None:
    return None if context is None else check_choice(context, CONTEXTS, "Context")


def in_window(minutes: Real) -> bool:
    return WINDOW_START_MINUTES <= minutes <= WINDOW_END_MINUTES


def format_minutes(minutes: Real) -> str:
    value = Decimal(str(minutes)).normalize()
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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


def as_reading(raw: Reading | tuple) -> Reading:
    if isinstance(raw, Reading):
        minutes, score, context = raw.minutes, raw.score, raw.context
    elif isinstance(raw, tuple) and len(raw) in (2, 3):
        minutes, score, context = (*raw, None) if len(raw) == 2 else raw
    else:
        raise ValueError(
            f"A reading is (minutes, score) or (minutes, score, context), got {raw!r}."
        )
    if isinstance(minutes, bool) or not isinstance(minutes, Real | Decimal):
        raise ValueError(f"Minutes after the injection must be a number, got {minutes!r}.")
    return Reading(minutes, check_score(score), check_context(context))


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def decisive_phrase(reading: Reading, counted: int, method: str) -> str:
    at = f"{reading.score}/10 at {format_minutes(reading.minutes)} minutes"
    if counted < 2:
        return at
    which = "the least relief" if method == "sustained" else "the most relief"
    return f"{at} ({which} of {counted} readings in the window)"


@dataclass(frozen=True)
class Options:
    """The rule's settings, checked once."""

    threshold: int = DEFAULT_THRESHOLD
    inclusive: bool = False
    method: str = "sustained"
    negative_below: int = DEFAULT_NEGATIVE_BELOW
    confounder_policy: str = "warn"

    @classmethod
    def checked(cls, threshold, inclusive, method, negative_below, confounder_policy) -> "Options":
        check_threshold(threshold)
        check_choice(method, METHODS, "Method")
        check_choice(confounder_policy, CONFOUNDER_POLICIES, "Confounder policy")
        if negative_below is None:
            negative_below = min(DEFAULT_NEGATIVE_BELOW, threshold)
        check_percent(negative_below, "The negative band", 0, threshold)
        return cls(threshold, bool(inclusive), method, negative_below, confounder_policy)


def evaluate(
    baseline: int | None,
    readings: Iterable[Reading | tuple],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    inclusive: bool = False,
    method: str = "sustained",
    negative_below: int | None = None,
    baseline_context: str | None = None,
    confounders: Iterable[str] = (),
    confounder_policy: str = "warn",
    minutes_elapsed: Real | None = None,
    required_context: str | None = None,
) -> Evaluation:
    """Apply the rule to a baseline score and the readings after the injection.

    readings: (minutes_after_injection, score) or (minutes, score, context) tuples.
    minutes_elapsed: time since the injection now; None when the window has closed.
    required_context: a profile's demand on the baseline (CMS: a provoked baseline).
    """
    options = Options.checked(threshold, inclusive, method, negative_below, confounder_policy)
    if baseline is not None:
        check_score(baseline, "Baseline score")
    baseline_context = check_context(baseline_context)
    check_context(required_context)
    readings = [as_reading(raw) for raw in readings]
    confounders = tuple(str(c).strip() for c in confounders if str(c).strip())
    window_open = minutes_elapsed is not None and minutes_elapsed < WINDOW_END_MINUTES
    matched = required_context or baseline_context

    windowed = [i for i, r in enumerate(readings) if in_window(r.minutes)]
    counted = tuple(
        i for i in windowed if matched is None or readings[i].context in (None, matched)
    )
    other = [i for i in windowed if i not in counted]
    context_reasons = context_notes(readings, windowed, other, matched)

    common = {
        "baseline": baseline,
        "baseline_context": baseline_context,
        "threshold": options.threshold,
        "inclusive": options.inclusive,
        "method": options.method,
        "negative_below": options.negative_below,
        "counted": counted,
    }

    def finish(outcome, headline, *, percent=None, exactly=False, decisive=None, **reason_parts):
        reading = readings[decisive] if decisive is not None else None
        reasons = Reasons(headline, context=context_reasons, **reason_parts)
        return Evaluation(
            outcome,
            percent,
            exactly,
            decisive,
            reading.minutes if reading else None,
            reading.score if reading else None,
            reasons,
            **common,
        )

    missing, short = "", ""
    if baseline is None:
        missing, short = "No baseline score was recorded before the injection.", "no baseline"
    elif baseline == 0:
        missing = "Baseline pain is 0/10, so a reduction cannot be measured."
        short = "baseline 0/10"
    elif required_context and baseline_context != required_context:
        taken = CONTEXT_WORDS.get(baseline_context, "in no recorded context")
        missing = (
            f"The baseline was taken {taken}; this rule needs one "
            f"{CONTEXT_WORDS[required_context]}."
        )
        short = f"needs a {required_context} baseline"
    if missing:
        evaluation = finish(Outcome.NON_DIAGNOSTIC, missing, short=short)
        return with_confounders(evaluation, confounders, options)

    if not counted:
        if window_open:
            left = WINDOW_END_MINUTES - minutes_elapsed
            pending = finish(
                Outcome.PENDING,
                f"The {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minute window is open for "
                f"{format_minutes(round(Decimal(str(left)), 1))} more minutes, and no reading "
                "in it counts yet.",
                short="window open",
            )
            return with_confounders(pending, confounders, options)
        if other:
            headline = (
                f"No reading {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minutes after the "
                f"injection was taken {CONTEXT_WORDS[matched]}, as the baseline was: record one "
                "during the same activity, on the same scale."
            )
            short = "no window reading in the baseline's context"
        else:
            headline = (
                f"No reading was recorded {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minutes "
                "after the injection."
            )
            short = "no reading in the window"
        evaluation = finish(Outcome.NON_DIAGNOSTIC, headline, short=short)
        return with_confounders(evaluation, confounders, options)

    if options.method == "sustained":
        decisive = max(counted, key=lambda i: (readings[i].score, -readings[i].minutes))
    else:
        decisive = min(counted, key=lambda i: (readings[i].score, readings[i].minutes))
    score = readings[decisive].score
    percent = percent_reduction(baseline, score)
    drop = baseline - score
    at_threshold = drop * 100 == options.threshold * baseline
    shown = f"{round_percent(percent)} %"
    phrase = decisive_phrase(readings[decisive], len(counted), options.method)
    comparator = comparator_words(options.inclusive)
    cautions = []
    if drop <= 0 or drop * 100 < options.negative_below * baseline:
        outcome = Outcome.NEGATIVE
        if drop <= 0:
            change = "did not fall" if drop == 0 else "rose"
            headline = f"Pain {change}: {baseline}/10 before, {phrase} (reduction {shown})"
        else:
            headline = (
                f"Pain fell from {baseline}/10 to {phrase}: a reduction of {shown}, "
                f"less than {options.negative_below} %"
            )
        headline += ": intra-articular SI joint pain is unlikely."
        cautions.append(EXTRA_ARTICULAR)
    elif meets(baseline, score, options.threshold, options.inclusive):
        outcome = Outcome.POSITIVE
        headline = (
            f"Pain fell from {baseline}/10 to {phrase}: a reduction of {shown}, {comparator} "
            f"{options.threshold} %: consistent with SI joint pain (a single block)."
        )
    else:
        outcome = Outcome.INDETERMINATE
        headline = (
            f"Pain fell from {baseline}/10 to {phrase}: a reduction of {shown}, "
            f"{options.negative_below} % or more but not {comparator} {options.threshold} %: "
            "partial relief."
        )
    if window_open:
        cautions.append(
            f"Provisional: the window is open until {WINDOW_END_MINUTES} minutes; "
            + (
                "a later reading in it can still lower the result."
                if options.method == "sustained"
                else "a later reading in it can still change the result."
            )
        )
    if baseline <= LOW_BASELINE:
        cautions.append(
            f"Caution: the baseline was low ({baseline}/10), so one point changes the "
            "percentage a lot."
        )
    evaluation = finish(
        outcome,
        headline,
        percent=percent,
        exactly=at_threshold,
        decisive=decisive,
        at_threshold=(
            at_threshold_sentence(options.threshold, options.inclusive) if at_threshold else ""
        ),
        cautions=tuple(cautions),
    )
    evaluation = replace(evaluation, provisional=window_open)
    return with_confounders(evaluation, confounders, options)


def context_notes(readings, windowed, other, matched) -> tuple[str, ...]:
    notes = []
    outside = len(readings) - len(windowed)
    if outside:
        notes.append(
            f"{plural(outside, 'reading', 'readings')} outside the {WINDOW_START_MINUTES}–"
            f"{WINDOW_END_MINUTES} minute window {'is' if outside == 1 else 'are'} shown but "
            "never decisive."
        )
    if other:
        taken = CONTEXT_WORDS[next(c for c in CONTEXTS if c != matched)]
        notes.append(
            f"{plural(len(other), 'reading', 'readings')} in the window taken {taken}, unlike "
            f"the baseline ({CONTEXT_WORDS[matched]}): listed, not counted; a different context "
            "overstates or understates relief."
        )
    return tuple(notes)


def with_confounders(evaluation: Evaluation, confounders: tuple[str, ...], options: Options):
    """Name the confounders; under the "non_diagnostic" policy they decide the outcome."""
    if not confounders:
        return evaluation
    named = "; ".join(confounders)
    if options.confounder_policy == "warn":
        note = (
            f"Confounders: {named}. They can make relief look larger than the block gave; "
            "the outcome stands, read it with them in mind."
        )
        return replace(evaluation, reasons=replace(evaluation.reasons, confounders=(note,)))
    if evaluation.outcome is Outcome.NON_DIAGNOSTIC:
        note = f"Also confounded: {named}."
        return replace(evaluation, reasons=replace(evaluation.reasons, confounders=(note,)))
    computed = evaluation.reasons.headline
    return replace(
        evaluation,
        outcome=Outcome.NON_DIAGNOSTIC,
        at_threshold=False,
        provisional=False,
        reasons=Reasons(
            f"Non-diagnostic: confounded by {named} (the clinic's confounder policy).",
            confounders=(f"Without them the rule would have said: {computed}",),
            context=evaluation.reasons.context,
            short=f"confounded by {named}",
        ),
    )


def evaluate_readings(readings: Iterable[Reading | tuple], **options) -> Evaluation:
    """Evaluate every reading of an injection, the baseline taken from those before it.

    The baseline is the latest reading before the injection (negative minutes), and its
    context is the one the others must match; indexes in the result refer to `readings`.
    """
    readings = [as_reading(raw) for raw in readings]
    before = [i for i, r in enumerate(readings) if r.minutes < 0]
    after = [i for i, r in enumerate(readings) if r.minutes >= 0]
    latest = max(before, key=lambda i: readings[i].minutes, default=None)
    baseline = readings[latest] if latest is not None else None
    options.setdefault("baseline_context", baseline.context if baseline else None)
    evaluation = evaluate(
        baseline.score if baseline else None, [readings[i] for i in after], **options
    )
    decisive = evaluation.decisive_index
    return replace(
        evaluation,
        decisive_index=None if decisive is None else after[decisive],
        counted=tuple(after[i] for i in evaluation.counted),
    )
