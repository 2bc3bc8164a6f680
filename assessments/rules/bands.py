"""Which band the counted window readings put a block in, and the headline that says so.

Rule 2.1, method "sustained": positive only when every counted reading meets the threshold,
negative only when every one shows less than the negative band (or no relief), otherwise
indeterminate; a response that met the threshold and then did not is "not sustained". The
decisive reading is the highest score (the least relief) either way. Method "best" and rule
2.0 read the band of the decisive reading alone.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from . import flags
from .terms import (
    EXTRA_ARTICULAR,
    Flag,
    Minutes,
    Outcome,
    comparator_words,
    meets,
    minutes_text,
    round_percent,
)

if TYPE_CHECKING:
    from .evaluation import Options


@dataclass(frozen=True)
class Counted:
    index: int
    minutes: Minutes
    score: int


@dataclass
class Band:
    outcome: Outcome
    headline: str
    decisive: int
    cautions: list[str] = field(default_factory=list)
    flags: set[Flag] = field(default_factory=set)


def percent_of(baseline: int, score: int) -> Decimal:
    return Decimal((baseline - score) * 100) / Decimal(baseline)


def shown(percent: Decimal) -> str:
    return f"{round_percent(percent)} %"


def decisive_phrase(reading: Counted, counted: int, method: str) -> str:
    at = f"{reading.score}/10 at {minutes_text(reading.minutes)}"
    if counted < 2:
        return at
    which = "the least relief" if method == "sustained" else "the most relief"
    return f"{at} ({which} of {counted} readings in the window)"


def is_negative(baseline: int, score: int, negative_below: int) -> bool:
    drop = baseline - score
    return drop <= 0 or drop * 100 < negative_below * baseline


def read_band(baseline: int, counted: list[Counted], options: "Options") -> Band:
    if options.method == "sustained":
        decisive = max(counted, key=lambda r: (r.score, -r.minutes))
    else:
        decisive = min(counted, key=lambda r: (r.score, r.minutes))
    phrase = decisive_phrase(decisive, len(counted), options.method)
    if options.method == "best" or options.legacy:
        return band_of(baseline, decisive, phrase, options)
    met = [r for r in counted if meets(baseline, r.score, options.threshold, options.inclusive)]
    low = [r for r in counted if is_negative(baseline, r.score, options.negative_below)]
    if len(met) == len(counted) or len(low) == len(counted) or not (met or low):
        return band_of(baseline, decisive, phrase, options)
    # Mixed bands: neither every reading met the threshold nor every one showed little relief.
    by_time = sorted(counted, key=lambda r: r.minutes)
    listing = ", ".join(
        flags.reading_relief(percent_of(baseline, r.score), r.minutes) for r in by_time
    )
    comparator = comparator_words(options.inclusive)
    band = Band(
        Outcome.INDETERMINATE,
        f"Relief varied across the window from a baseline of {baseline}/10 ({listing}): not "
        f"every reading showed {comparator} {options.threshold} %, nor every one less than "
        f"{options.negative_below} %: indeterminate; the least relief "
        f"({decisive.score}/10 at {minutes_text(decisive.minutes)}) gives the figure.",
        decisive.index,
    )
    if met:
        best = min(met, key=lambda r: (r.score, r.minutes))
        failing = [r for r in by_time if r not in met]
        listed = sorted([best, *failing], key=lambda r: r.minutes)
        band.cautions.append(
            flags.not_sustained((percent_of(baseline, r.score), r.minutes) for r in listed)
        )
        band.flags.add(Flag.NOT_SUSTAINED)
    return band


def band_of(baseline: int, decisive: Counted, phrase: str, options: "Options") -> Band:
    """The band a decisive score falls in."""
    score = decisive.score
    drop = baseline - score
    percent = shown(percent_of(baseline, score))
    comparator = comparator_words(options.inclusive)
    if is_negative(baseline, score, options.negative_below):
        if drop <= 0:
            change = "did not fall" if drop == 0 else "rose"
            headline = f"Pain {change}: {baseline}/10 before, {phrase} (reduction {percent})"
        else:
            headline = (
                f"Pain fell from {baseline}/10 to {phrase}: a reduction of {percent}, "
                f"less than {options.negative_below} %"
            )
        return Band(
            Outcome.NEGATIVE,
            headline + ": intra-articular SI joint pain is unlikely.",
            decisive.index,
            [EXTRA_ARTICULAR],
        )
    if meets(baseline, score, options.threshold, options.inclusive):
        return Band(
            Outcome.POSITIVE,
            f"Pain fell from {baseline}/10 to {phrase}: a reduction of {percent}, {comparator} "
            f"{options.threshold} %: consistent with SI joint pain (a single block).",
            decisive.index,
        )
    return Band(
        Outcome.INDETERMINATE,
        f"Pain fell from {baseline}/10 to {phrase}: a reduction of {percent}, "
        f"{options.negative_below} % or more but not {comparator} {options.threshold} %: "
        "partial relief.",
        decisive.index,
    )
