"""evaluate(): the rule applied to one injection's readings (see the package docstring)."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from numbers import Real
from typing import Any

from .terms import (
    CONFOUNDER_POLICIES,
    CONTEXT_WORDS,
    CONTEXTS,
    DEFAULT_NEGATIVE_BELOW,
    DEFAULT_THRESHOLD,
    EXTRA_ARTICULAR,
    LOW_BASELINE,
    METHODS,
    WINDOW_END_MINUTES,
    WINDOW_START_MINUTES,
    Evaluation,
    Minutes,
    Outcome,
    Reading,
    Reasons,
    at_threshold_sentence,
    check_choice,
    check_context,
    check_percent,
    check_score,
    check_threshold,
    comparator_words,
    format_minutes,
    in_window,
    meets,
    round_percent,
)


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
    def checked(
        cls,
        threshold: int,
        inclusive: bool,
        method: str,
        negative_below: int | None,
        confounder_policy: str,
    ) -> "Options":
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
    minutes_elapsed: Minutes | None = None,
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
    parsed = [as_reading(raw) for raw in readings]
    named = tuple(str(c).strip() for c in confounders if str(c).strip())
    left = None if minutes_elapsed is None else WINDOW_END_MINUTES - minutes_elapsed
    window_open = left is not None and left > 0
    matched = required_context or baseline_context

    windowed = [i for i, r in enumerate(parsed) if in_window(r.minutes)]
    counted = tuple(i for i in windowed if matched is None or parsed[i].context in (None, matched))
    other = [i for i in windowed if i not in counted]
    context_reasons = context_notes(len(parsed), windowed, other, matched)

    def finish(
        outcome: Outcome,
        reasons: Reasons,
        *,
        percent: Decimal | None = None,
        exactly: bool = False,
        decisive: int | None = None,
    ) -> Evaluation:
        reading = parsed[decisive] if decisive is not None else None
        return Evaluation(
            outcome,
            percent,
            exactly,
            decisive,
            reading.minutes if reading else None,
            reading.score if reading else None,
            replace(reasons, context=context_reasons),
            baseline=baseline,
            baseline_context=baseline_context,
            threshold=options.threshold,
            inclusive=options.inclusive,
            method=options.method,
            negative_below=options.negative_below,
            counted=counted,
        )

    problem = baseline_problem(baseline, baseline_context, required_context)
    if problem is not None or baseline is None:
        evaluation = finish(Outcome.NON_DIAGNOSTIC, problem or Reasons(""))
        return with_confounders(evaluation, named, options)

    if not counted:
        if window_open and left is not None and minutes_elapsed is not None:
            window = f"The {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minute window"
            if minutes_elapsed < WINDOW_START_MINUTES:
                until = WINDOW_START_MINUTES - minutes_elapsed
                reasons = Reasons(
                    f"{window} opens in {format_minutes(round(Decimal(str(until)), 1))} "
                    "minutes; the result comes from the readings taken in it.",
                    short="window not open yet",
                )
            else:
                reasons = Reasons(
                    f"{window} is open for {format_minutes(round(Decimal(str(left)), 1))} "
                    "more minutes, and no reading in it counts yet.",
                    short="window open",
                )
            return with_confounders(finish(Outcome.PENDING, reasons), named, options)
        if other and matched is not None:
            reasons = Reasons(
                f"No reading {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minutes after the "
                f"injection was taken {CONTEXT_WORDS[matched]}, as the baseline was: record one "
                "during the same activity, on the same scale.",
                short="no window reading in the baseline's context",
                cause="no_context_reading",
            )
        else:
            reasons = Reasons(
                f"No reading was recorded {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minutes "
                "after the injection.",
                short="no reading in the window",
                cause="no_window_reading",
            )
        return with_confounders(finish(Outcome.NON_DIAGNOSTIC, reasons), named, options)

    if options.method == "sustained":
        decisive = max(counted, key=lambda i: (parsed[i].score, -parsed[i].minutes))
    else:
        decisive = min(counted, key=lambda i: (parsed[i].score, parsed[i].minutes))
    score = parsed[decisive].score
    percent = Decimal((baseline - score) * 100) / Decimal(baseline)
    outcome, headline, cautions = read_result(
        baseline,
        score,
        percent,
        decisive_phrase(parsed[decisive], len(counted), options.method),
        options,
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
    exactly = (baseline - score) * 100 == options.threshold * baseline
    reasons = Reasons(
        headline,
        at_threshold=(
            at_threshold_sentence(options.threshold, options.inclusive) if exactly else ""
        ),
        cautions=tuple(cautions),
    )
    evaluation = finish(outcome, reasons, percent=percent, exactly=exactly, decisive=decisive)
    return with_confounders(replace(evaluation, provisional=window_open), named, options)


def baseline_problem(
    baseline: int | None, baseline_context: str | None, required_context: str | None
) -> Reasons | None:
    """Why the baseline cannot anchor a reduction, or None when it can."""
    if baseline is None:
        return Reasons(
            "No baseline score was recorded before the injection.",
            short="no baseline",
            cause="no_baseline",
        )
    if baseline == 0:
        return Reasons(
            "Baseline pain is 0/10, so a reduction cannot be measured.",
            short="baseline 0/10",
            cause="baseline_zero",
        )
    if required_context and baseline_context != required_context:
        taken = CONTEXT_WORDS.get(baseline_context or "", "in no recorded context")
        return Reasons(
            f"The baseline was taken {taken}; this rule needs one "
            f"{CONTEXT_WORDS[required_context]}.",
            short=f"needs a {required_context} baseline",
            cause="baseline_context",
        )
    return None


def read_result(
    baseline: int, score: int, percent: Decimal, phrase: str, options: Options
) -> tuple[Outcome, str, list[str]]:
    """The band a decisive score falls in: (outcome, headline, cautions)."""
    drop = baseline - score
    shown = f"{round_percent(percent)} %"
    comparator = comparator_words(options.inclusive)
    if drop <= 0 or drop * 100 < options.negative_below * baseline:
        if drop <= 0:
            change = "did not fall" if drop == 0 else "rose"
            headline = f"Pain {change}: {baseline}/10 before, {phrase} (reduction {shown})"
        else:
            headline = (
                f"Pain fell from {baseline}/10 to {phrase}: a reduction of {shown}, "
                f"less than {options.negative_below} %"
            )
        return (
            Outcome.NEGATIVE,
            headline + ": intra-articular SI joint pain is unlikely.",
            [EXTRA_ARTICULAR],
        )
    if meets(baseline, score, options.threshold, options.inclusive):
        return (
            Outcome.POSITIVE,
            f"Pain fell from {baseline}/10 to {phrase}: a reduction of {shown}, {comparator} "
            f"{options.threshold} %: consistent with SI joint pain (a single block).",
            [],
        )
    return (
        Outcome.INDETERMINATE,
        f"Pain fell from {baseline}/10 to {phrase}: a reduction of {shown}, "
        f"{options.negative_below} % or more but not {comparator} {options.threshold} %: "
        "partial relief.",
        [],
    )


def context_notes(
    count: int, windowed: list[int], other: list[int], matched: str | None
) -> tuple[str, ...]:
    notes = []
    outside = count - len(windowed)
    if outside:
        notes.append(
            f"{plural(outside, 'reading', 'readings')} outside the {WINDOW_START_MINUTES}–"
            f"{WINDOW_END_MINUTES} minute window {'is' if outside == 1 else 'are'} shown but "
            "never decisive."
        )
    if other and matched is not None:
        taken = CONTEXT_WORDS[next(c for c in CONTEXTS if c != matched)]
        notes.append(
            f"{plural(len(other), 'reading', 'readings')} in the window taken {taken}, unlike "
            f"the baseline ({CONTEXT_WORDS[matched]}): listed, not counted; a different context "
            "overstates or understates relief."
        )
    return tuple(notes)


def with_confounders(
    evaluation: Evaluation, confounders: tuple[str, ...], options: Options
) -> Evaluation:
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
            cause="confounded",
        ),
    )


def evaluate_readings(readings: Iterable[Reading | tuple], **options: Any) -> Evaluation:
    """Evaluate every reading of an injection, the baseline taken from those before it.

    The baseline is the latest reading before the injection (negative minutes), and its
    context is the one the others must match; indexes in the result refer to `readings`.
    """
    parsed = [as_reading(raw) for raw in readings]
    before = [i for i, r in enumerate(parsed) if r.minutes < 0]
    after = [i for i, r in enumerate(parsed) if r.minutes >= 0]
    latest = max(before, key=lambda i: parsed[i].minutes, default=None)
    baseline = parsed[latest] if latest is not None else None
    options.setdefault("baseline_context", baseline.context if baseline else None)
    evaluation = evaluate(
        baseline.score if baseline else None, [parsed[i] for i in after], **options
    )
    decisive = evaluation.decisive_index
    return replace(
        evaluation,
        decisive_index=None if decisive is None else after[decisive],
        counted=tuple(after[i] for i in evaluation.counted),
    )
