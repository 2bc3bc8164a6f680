"""Duration of relief: when relief meeting the rule began and ended, from the first 8 hours.

Pure Python, like the rest of the rule. The diary is read as interval-censored data: relief
ended somewhere between the last reading that still met the rule and the first that did not.
It is "not assessable" when the readings leave a gap over 90 minutes across that span, or when
no reading failed before 8 hours. Readings at or after a rescue analgesic say nothing about the
block and are left out. The result is compared with how long the local anaesthetic is
expected to last: consistent, shorter or longer than expected — a flag, never a failure.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from .evaluation import as_reading
from .terms import Minutes, Reading, duration_words, format_minutes, meets

WITHIN_MINUTES = 8 * 60
MAX_GAP_MINUTES = 90
# Expected duration of the local anaesthetic, in minutes: practice conventions.
EXPECTED_MINUTES = {
    "lidocaine": (60, 120),
    "bupivacaine": (180, 480),
    "levobupivacaine": (180, 480),
    "ropivacaine": (180, 360),
}


@dataclass(frozen=True)
class Relief:
    status: str  # "assessed", "no relief", "not assessable", "no baseline"
    began: Minutes | None = None
    last_meeting: Minutes | None = None
    first_failing: Minutes | None = None
    expected: tuple[int, int] | None = None
    excluded_after_rescue: int = 0
    reason: str = ""

    @property
    def assessed(self) -> bool:
        return self.status == "assessed"

    @property
    def consistency(self) -> str | None:
        """ "consistent", "shorter than expected" or "longer than expected" (or None)."""
        if not self.assessed or self.expected is None:
            return None
        low, high = self.expected
        if self.first_failing is not None and self.first_failing < low:
            return "shorter than expected"
        if self.last_meeting is not None and self.last_meeting > high:
            return "longer than expected"
        return "consistent"

    @property
    def text(self) -> str:
        """What the relief was, for a page under a "Duration of relief" heading: "Relief began
        20 min after the injection and ended between 2 h 10 min and 3 h 5 min: consistent
        with the anaesthetic (3–8 h expected)." """
        if not self.assessed:
            status = self.status[:1].upper() + self.status[1:]
            return f"{status}" + (f" ({self.reason})." if self.reason else ".")
        text = (
            f"Relief began {duration_words(self.began)} after the injection and ended between "
            f"{duration_words(self.last_meeting)} and {duration_words(self.first_failing)}"
        )
        if self.consistency and self.expected:
            low, high = self.expected
            text += f": {self.consistency} for the anaesthetic ({hours_span(low, high)} expected)"
        text += "."
        if self.excluded_after_rescue:
            text += (
                f" {self.excluded_after_rescue} reading(s) after a rescue analgesic were left out."
            )
        return text

    @property
    def sentence(self) -> str:
        """The same, standing alone (the report's summary): labelled when not assessed."""
        return (
            self.text
            if self.assessed
            else f"Duration of relief: {self.status}"
            + (f" ({self.reason})." if self.reason else ".")
        )


def hours_span(low: int, high: int) -> str:
    """An expected duration in minutes as hours: (180, 480) → "3–8 h", (60, 90) → "1–1.5 h"."""

    def hours(minutes: int) -> str:
        return f"{minutes / 60:g}"

    return f"{hours(low)}–{hours(high)}\u00a0h"


def duration_of_relief(
    baseline: int | None,
    readings: Iterable[Reading | tuple],
    *,
    threshold: int,
    inclusive: bool,
    baseline_context: str | None = None,
    rescue_at: Minutes | None = None,
    agent: str | None = None,
    expected: Mapping[str, tuple[int, int]] = EXPECTED_MINUTES,
    within: int = WITHIN_MINUTES,
    max_gap: int = MAX_GAP_MINUTES,
) -> Relief:
    """Relief meeting the rule (threshold, comparator) in the first `within` minutes.

    readings: (minutes after the injection, score[, context]); only those in the baseline's
    context (or of unknown context), from 0 to `within` minutes, before any rescue analgesic.
    """
    window = expected.get(agent or "")
    if not baseline:
        return Relief("no baseline", expected=window, reason="a baseline above 0 is needed")
    parsed = sorted(
        (
            Reading(Decimal(str(r.minutes)), r.score, r.context)
            for r in map(as_reading, readings)
            if 0 <= r.minutes <= within
        ),
        key=lambda r: r.minutes,
    )
    parsed = [
        r for r in parsed if baseline_context is None or r.context in (None, baseline_context)
    ]
    kept = [r for r in parsed if rescue_at is None or r.minutes < rescue_at]
    base = Relief("", expected=window, excluded_after_rescue=len(parsed) - len(kept))

    def passes(reading: Reading) -> bool:
        return meets(baseline, reading.score, threshold, inclusive)

    onset = next((i for i, r in enumerate(kept) if passes(r)), None)
    if onset is None:
        return replace(base, status="no relief", reason="no reading met the rule")
    last = onset
    while last + 1 < len(kept) and passes(kept[last + 1]):
        last += 1
    span = [Decimal(str(r.minutes)) for r in kept[onset : last + 2]]
    found = replace(base, began=kept[onset].minutes, last_meeting=kept[last].minutes)
    if any(later - earlier > max_gap for earlier, later in zip(span, span[1:], strict=False)):
        return replace(
            found,
            status="not assessable",
            last_meeting=None,
            reason=f"a gap of more than {max_gap} minutes between readings",
        )
    if last + 1 >= len(kept):
        reason = f"no reading failed the rule before {format_minutes(within // 60)} hours"
        if found.excluded_after_rescue:
            reason = "readings after a rescue analgesic are left out, and " + reason
        return replace(found, status="not assessable", reason=reason)
    return replace(found, status="assessed", first_failing=kept[last + 1].minutes)
