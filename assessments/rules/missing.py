"""Why a block has no figure yet, or none at all: the reasons that name what is missing."""

from decimal import Decimal

from . import flags
from .terms import (
    CONTEXT_WORDS,
    CONTEXTS,
    WINDOW_END_MINUTES,
    WINDOW_START_MINUTES,
    Minutes,
    Outcome,
    Reasons,
    minutes_text,
)


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def missing_reading(
    window_open: bool, minutes_elapsed: Minutes | None, other: list[int], matched: str | None
) -> tuple[Outcome, Reasons]:
    """No reading counts: pending while the window is open, else non-diagnostic."""
    window = f"The {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minute window"
    if window_open and minutes_elapsed is not None:
        if minutes_elapsed < WINDOW_START_MINUTES:
            until = Decimal(WINDOW_START_MINUTES) - Decimal(str(minutes_elapsed))
            return Outcome.PENDING, Reasons(
                f"{window} opens in {minutes_text(until)}; the result comes from the readings "
                "taken in it.",
                short="window not open yet",
            )
        left = Decimal(WINDOW_END_MINUTES) - Decimal(str(minutes_elapsed))
        return Outcome.PENDING, Reasons(
            f"{window} is open for {minutes_text(left)} more, and no reading in it counts yet.",
            short="window open",
        )
    if other and matched is not None:
        return Outcome.NON_DIAGNOSTIC, Reasons(
            f"No reading {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minutes after the "
            f"injection was taken {CONTEXT_WORDS[matched]}, as the baseline was: record one "
            "during the same activity, on the same scale.",
            short="no window reading in the baseline's context",
            cause="no_context_reading",
        )
    return Outcome.NON_DIAGNOSTIC, Reasons(
        f"No reading was recorded {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} minutes "
        "after the injection.",
        short="no reading in the window",
        cause="no_window_reading",
    )


def baseline_problem(
    baseline: int | None,
    baseline_context: str | None,
    required_context: str | None,
    min_baseline: int | None = None,
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
    if min_baseline and baseline < min_baseline:
        return Reasons(
            flags.below_minimum_baseline(baseline, min_baseline),
            short=f"baseline below {min_baseline}/10",
            cause="baseline_below_minimum",
        )
    return None


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
        taken = next(c for c in CONTEXTS if c != matched)
        notes.append(flags.other_context(len(other), taken, matched))
    return tuple(notes)
