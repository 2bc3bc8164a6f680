"""The one sentence of each flag (terms.Flag), written here and nowhere else.

The rule sets a flag and puts its sentence in the reasons; callers read the flag, never the
words. Figures in the sentences go through terms.minutes_text and short_percent.
"""

from collections.abc import Iterable
from decimal import Decimal

from .terms import (
    CONTEXT_WORDS,
    WINDOW_END_MINUTES,
    WINDOW_START_MINUTES,
    Minutes,
    at_threshold_sentence,
    duration_words,
    minutes_text,
    round_percent,
)


def short_percent(value: Decimal) -> str:
    """A reduction in a list of readings: "87.5 %", "25 %" (one decimal, none when whole)."""
    rounded = round_percent(value)
    whole = rounded.to_integral_value()
    return f"{whole if rounded == whole else rounded} %"


def reading_relief(percent: Decimal, minutes: Minutes) -> str:
    """ "87.5 % at 22 min"."""
    return f"{short_percent(percent)} at {minutes_text(minutes)}"


def not_sustained(listed: Iterable[tuple[Decimal, Minutes]]) -> str:
    """ "87.5 % at 22 min, 25 % at 29 min: relief not sustained." """
    readings = ", ".join(reading_relief(percent, minutes) for percent, minutes in listed)
    return f"{readings}: relief not sustained."


def low_baseline(baseline: int) -> str:
    return (
        f"Caution: the baseline was low ({baseline}/10), so one point changes the percentage a lot."
    )


def stale_baseline(baseline_minutes: Minutes) -> str:
    before = duration_words(abs(Decimal(str(baseline_minutes))))
    return (
        f"Caution: the baseline was taken {before} before the injection (more than 4 h): it may "
        "no longer be the patient's pain that day."
    )


def context_understated(count: int) -> str:
    which = "reading" if count == 1 else f"{count} readings"
    return (
        f"A provoked {which} in the window counted against a resting baseline: provoked pain is "
        "at least resting pain, so it understates relief; it can confirm the result, never "
        "refute it."
    )


def below_minimum_baseline(baseline: int, minimum: int) -> str:
    return (
        f"The baseline was {baseline}/10; this rule is for moderate-to-severe pain, a baseline "
        f"of at least {minimum}/10."
    )


def provisional(method: str) -> str:
    later = "lower" if method == "sustained" else "change"
    return (
        f"Provisional: the window is open until {WINDOW_END_MINUTES} minutes; "
        f"a later reading in it can still {later} the result."
    )


def patient_not_counted(count: int) -> str:
    which = "entry" if count == 1 else "entries"
    return (
        f"{count} patient-reported {which} in the {WINDOW_START_MINUTES}–{WINDOW_END_MINUTES} "
        "minute window: listed, not counted; the rule reads the baseline and the window from "
        "readings staff took (the diary is for the hours and days after)."
    )


def confounded(named: str, consequence: str) -> str:
    """The confounders and what they did: "warn" (a positive or partial result stands),
    "negative" (a negative stands under either policy), "pending" (the policy will apply
    once there is a result), "also" (already non-diagnostic), "demoted" (made non-diagnostic
    by the policy: the headline)."""
    if consequence == "demoted":
        return f"Non-diagnostic: confounded by {named} (the clinic's confounder policy)."
    if consequence == "also":
        return f"Also confounded: {named}."
    what = {
        "warn": "They can make relief look larger than the block gave; the outcome stands, "
        "read it with them in mind.",
        "negative": "they could only have enlarged relief, so the block is negative even so.",
        "pending": "Under the clinic's confounder policy a positive or partial result will be "
        "non-diagnostic; a negative one stands.",
    }[consequence]
    joint = "; " if consequence == "negative" else ". "
    return f"Confounders: {named}{joint}{what}"


def other_context(count: int, taken: str, matched: str) -> str:
    which = "reading" if count == 1 else "readings"
    return (
        f"{count} {which} in the window taken {CONTEXT_WORDS[taken]}, unlike the baseline "
        f"({CONTEXT_WORDS[matched]}): listed, not counted; a different context overstates or "
        "understates relief."
    )


__all__ = [
    "at_threshold_sentence",
    "below_minimum_baseline",
    "confounded",
    "context_understated",
    "low_baseline",
    "not_sustained",
    "other_context",
    "patient_not_counted",
    "provisional",
    "reading_relief",
    "short_percent",
    "stale_baseline",
]
