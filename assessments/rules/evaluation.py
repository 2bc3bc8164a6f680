"""evaluate(): the rule applied to one injection's readings (see the package docstring)."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from numbers import Real
from typing import Any

from . import confounders as confounding
from . import flags
from .bands import Counted, read_band
from .missing import baseline_problem, context_notes, missing_reading
from .terms import (
    CONFOUNDER_POLICIES,
    CURRENT_REVISION,
    DEFAULT_NEGATIVE_BELOW,
    DEFAULT_THRESHOLD,
    LOW_BASELINE,
    METHODS,
    REVISIONS,
    SOURCES,
    STALE_BASELINE_MINUTES,
    WINDOW_END_MINUTES,
    Evaluation,
    Flag,
    Minutes,
    Outcome,
    Reading,
    ReadingRow,
    Reasons,
    at_threshold_sentence,
    check_choice,
    check_context,
    check_percent,
    check_score,
    check_threshold,
    in_window,
    meets,
    negative_band,
)


def as_reading(raw: Reading | ReadingRow) -> Reading:
    if isinstance(raw, Reading):
        minutes, score, context, source = raw.minutes, raw.score, raw.context, raw.source
    elif isinstance(raw, tuple) and 2 <= len(raw) <= 4:
        minutes, score, context, source = (*raw, None, None)[:4]
    else:
        raise ValueError(
            "A reading is (minutes, score), (minutes, score, context) or (minutes, score, "
            f"context, source), got {raw!r}."
        )
    if isinstance(minutes, bool) or not isinstance(minutes, Real | Decimal):
        raise ValueError(f"Minutes after the injection must be a number, got {minutes!r}.")
    if source is not None:
        check_choice(source, SOURCES, "Source")
    return Reading(minutes, check_score(score), check_context(context), source)


@dataclass(frozen=True)
class Options:
    """The rule's settings, checked once."""

    threshold: int = DEFAULT_THRESHOLD
    inclusive: bool = False
    method: str = "sustained"
    negative_below: int = DEFAULT_NEGATIVE_BELOW
    confounder_policy: str = "warn"
    min_baseline: int | None = None
    revision: str = CURRENT_REVISION

    @property
    def legacy(self) -> bool:
        """Rule 2.0, for sign-offs made before 2.1."""
        return self.revision == "2.0"

    @classmethod
    def checked(
        cls,
        threshold: int,
        inclusive: bool,
        method: str,
        negative_below: int | None,
        confounder_policy: str,
        min_baseline: int | None = None,
        revision: str = CURRENT_REVISION,
    ) -> "Options":
        check_threshold(threshold)
        check_choice(method, METHODS, "Method")
        check_choice(confounder_policy, CONFOUNDER_POLICIES, "Confounder policy")
        check_choice(revision, REVISIONS, "Revision")
        negative_below = negative_band(threshold, negative_below)
        check_percent(negative_below, "The negative band", 0, threshold)
        if min_baseline is not None:
            check_score(min_baseline, "The minimum baseline")
        return cls(
            threshold,
            bool(inclusive),
            method,
            negative_below,
            confounder_policy,
            min_baseline or None,
            revision,
        )


def evaluate(
    baseline: int | None,
    readings: Iterable[Reading | ReadingRow],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    inclusive: bool = False,
    method: str = "sustained",
    negative_below: int | None = None,
    baseline_context: str | None = None,
    confounders: Iterable[str | tuple[Any, ...] | list[Any]] = (),
    confounder_policy: str = "warn",
    minutes_elapsed: Minutes | None = None,
    required_context: str | None = None,
    min_baseline: int | None = None,
    baseline_minutes: Minutes | None = None,
    revision: str = CURRENT_REVISION,
) -> Evaluation:
    """Apply the rule to a baseline score and the readings after the injection.

    readings: (minutes_after_injection, score[, context[, source]]) tuples or Readings.
    minutes_elapsed: time since the injection now; None when the window has closed.
    required_context: a profile's demand on the baseline (CMS: a provoked baseline).
    min_baseline: a profile's lowest baseline (CMS: 4/10); below it, non-diagnostic.
    baseline_minutes: when the baseline was taken (negative), if known.
    confounders: names (sedation), or (what, minutes taken[, when]) for pain medicine.
    revision: "2.1" (default), or "2.0" to reproduce a sign-off made before it.
    """
    options = Options.checked(
        threshold, inclusive, method, negative_below, confounder_policy, min_baseline, revision
    )
    if baseline is not None:
        check_score(baseline, "Baseline score")
    baseline_context = check_context(baseline_context)
    check_context(required_context)
    parsed = [as_reading(raw) for raw in readings]
    names, medicines = confounding.split(confounders)
    left = None if minutes_elapsed is None else WINDOW_END_MINUTES - minutes_elapsed
    window_open = left is not None and left > 0
    matched = required_context or baseline_context

    windowed = [i for i, r in enumerate(parsed) if in_window(r.minutes)]
    by_patient = [i for i in windowed if parsed[i].by_patient]
    understated, other = [], []
    counted_list = []
    for i in windowed:
        reading = parsed[i]
        if reading.by_patient:
            continue
        if matched is None or reading.context in (None, matched):
            counted_list.append(i)
        elif (
            not options.legacy
            and matched == "rest"
            and baseline
            and meets(baseline, reading.score, options.threshold, options.inclusive)
        ):
            # Provoked pain is at least resting pain: this reading understates relief.
            counted_list.append(i)
            understated.append(i)
        else:
            other.append(i)
    counted = tuple(counted_list)

    found: set[Flag] = set()
    context = list(context_notes(len(parsed), windowed, other, matched))
    if by_patient:
        found.add(Flag.PATIENT_NOT_COUNTED)
        context.append(flags.patient_not_counted(len(by_patient)))
    if understated:
        found.add(Flag.CONTEXT_UNDERSTATED)
        context.append(flags.context_understated(len(understated)))
    if baseline is not None and 0 < baseline <= LOW_BASELINE:
        found.add(Flag.LOW_BASELINE)
    if baseline_minutes is not None and baseline_minutes < -STALE_BASELINE_MINUTES:
        found.add(Flag.STALE_BASELINE)

    def finish(
        outcome: Outcome,
        reasons: Reasons,
        *,
        percent: Decimal | None = None,
        exactly: bool = False,
        decisive: int | None = None,
        more: Iterable[Flag] = (),
    ) -> Evaluation:
        reading = parsed[decisive] if decisive is not None else None
        marks = found | set(more)
        notes = list(reasons.cautions)
        if Flag.LOW_BASELINE in marks and baseline is not None:
            notes.append(flags.low_baseline(baseline))
        if Flag.STALE_BASELINE in marks and baseline_minutes is not None:
            notes.append(flags.stale_baseline(baseline_minutes))
        evaluation = Evaluation(
            outcome,
            percent,
            exactly,
            decisive,
            reading.minutes if reading else None,
            reading.score if reading else None,
            replace(reasons, context=tuple(context), cautions=tuple(notes)),
            provisional=Flag.PROVISIONAL in marks,
            baseline=baseline,
            baseline_context=baseline_context,
            threshold=options.threshold,
            inclusive=options.inclusive,
            method=options.method,
            negative_below=options.negative_below,
            counted=counted,
            flags=frozenset(marks),
            min_baseline=options.min_baseline,
            revision=options.revision,
        )
        read_until: Minutes | None = reading.minutes if reading else None
        if options.method == "sustained" and counted:
            read_until = max(parsed[i].minutes for i in counted)
        named, excused = confounding.weigh(medicines, baseline_minutes, read_until)
        if excused:
            evaluation = replace(
                evaluation,
                reasons=replace(evaluation.reasons, context=evaluation.reasons.context + excused),
            )
        return confounding.apply(
            evaluation, names + named, options.confounder_policy, options.revision
        )

    problem = baseline_problem(baseline, baseline_context, required_context, options.min_baseline)
    if problem is not None or baseline is None:
        below = problem is not None and problem.cause == "baseline_below_minimum"
        return finish(
            Outcome.NON_DIAGNOSTIC,
            problem or Reasons(""),
            more={Flag.BELOW_MINIMUM_BASELINE} if below else set(),
        )

    if not counted:
        return finish(*missing_reading(window_open, minutes_elapsed, other, matched))

    band = read_band(
        baseline,
        [Counted(i, parsed[i].minutes, parsed[i].score) for i in counted],
        options,
    )
    if window_open:
        band.cautions.append(flags.provisional(options.method))
    decisive = band.decisive
    score = parsed[decisive].score
    exactly = (baseline - score) * 100 == options.threshold * baseline
    marks = set(band.flags)
    if exactly:
        marks.add(Flag.AT_THRESHOLD)
    if window_open:
        marks.add(Flag.PROVISIONAL)
    reasons = Reasons(
        band.headline,
        at_threshold=(
            at_threshold_sentence(options.threshold, options.inclusive) if exactly else ""
        ),
        cautions=tuple(band.cautions),
    )
    percent = Decimal((baseline - score) * 100) / Decimal(baseline)
    return finish(
        band.outcome, reasons, percent=percent, exactly=exactly, decisive=decisive, more=marks
    )


def choose_baseline(
    parsed: list[Reading],
    *,
    context: str | None = None,
    revision: str = CURRENT_REVISION,
) -> int | None:
    """The index of the baseline reading: staff readings before the injection only.

    Rule 2.1: with `context` (a profile's demand), the latest in that context; otherwise the
    latest provoked one when any staff window reading was provoked (the index pain is what
    the block is meant to relieve); otherwise, and under rule 2.0, the latest of all.
    """
    before = [i for i, r in enumerate(parsed) if r.minutes < 0 and not r.by_patient]
    latest = max(before, key=lambda i: parsed[i].minutes, default=None)
    if revision == "2.0" or latest is None:
        return latest
    if context is None and any(
        in_window(r.minutes) and r.context == "provoked" and not r.by_patient for r in parsed
    ):
        context = "provoked"
    if context is None:
        return latest
    in_context = [i for i in before if parsed[i].context == context]
    return max(in_context, key=lambda i: parsed[i].minutes, default=latest)


def evaluate_readings(readings: Iterable[Reading | ReadingRow], **options: Any) -> Evaluation:
    """Evaluate every reading of an injection, the baseline taken from those before it.

    The baseline is chosen by `choose_baseline`; its context is the one the others must
    match (unless `baseline_context` is given: None matches every context, as rule 1.0
    did). Indexes in the result refer to `readings`.
    """
    parsed = [as_reading(raw) for raw in readings]
    wanted = options.get("required_context") or options.get("baseline_context")
    latest = choose_baseline(
        parsed, context=wanted, revision=options.get("revision", CURRENT_REVISION)
    )
    after = [i for i, r in enumerate(parsed) if r.minutes >= 0]
    baseline = parsed[latest] if latest is not None else None
    options.setdefault("baseline_context", baseline.context if baseline else None)
    options.setdefault("baseline_minutes", baseline.minutes if baseline else None)
    evaluation = evaluate(
        baseline.score if baseline else None, [parsed[i] for i in after], **options
    )
    decisive = evaluation.decisive_index
    return replace(
        evaluation,
        decisive_index=None if decisive is None else after[decisive],
        counted=tuple(after[i] for i in evaluation.counted),
        baseline_index=latest,
    )


MISSING_READING_CAUSES = ("no_window_reading", "no_context_reading")


def awaits_window(closed: Evaluation, confounder_policy: str = "warn") -> bool:
    """Whether the block reads pending while its window is open, from `closed`, its
    evaluation as if the window had closed: no reading counts yet and the baseline can
    anchor one. Rule 2.0 made a pending block with confounders non-diagnostic under the
    "non_diagnostic" policy, so it never waited."""
    if closed.reasons.cause not in MISSING_READING_CAUSES:
        return False
    demoted = closed.revision == "2.0" and bool(closed.confounders)
    return not (demoted and confounder_policy != "warn")
