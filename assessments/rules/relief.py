"""Duration of relief: when relief meeting the rule began and ended, from the first 8 hours.

Pure Python, like the rest of the rule. The diary is read as interval-censored data: relief
ended somewhere between the last reading that still met the rule and the first that did not.
It is compared with how long the local anaesthetic is expected to last (EXPECTED_MINUTES,
the one table): consistent, shorter or longer than expected — a flag, never a failure.

- Relief that still meets the rule at the last reading, past the agent's upper bound, lasted
  longer than expected (at least until that reading); short of it, it is not assessable.
- Relief that begins only after the agent's upper bound is a late onset: not the block's.
- Relief that meets the rule again after a failing reading has returned: not constant.
- It is not assessable with a gap over 90 minutes between readings across the relief, unless
  relief had already outlasted the agent before the gap (then it lasted at least that long).
- Readings at or after a rescue analgesic say nothing about the block and are left out.
- The onset is a staff reading; patient-reported readings count only after the window
  (the diary is for the hours after it). A provoked reading against a resting baseline that
  meets the rule counts (it understates relief); one that does not is left out.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from .evaluation import as_reading
from .terms import (
    WINDOW_END_MINUTES,
    Minutes,
    Reading,
    ReadingRow,
    duration_words,
    format_minutes,
    meets,
)

WITHIN_MINUTES = 8 * 60
MAX_GAP_MINUTES = 90
# Expected duration of the local anaesthetic, in minutes: practice conventions (the settings'
# defaults, LIDOCAINE_MINUTES and the others, come from here).
EXPECTED_MINUTES = {
    "lidocaine": (60, 120),
    "bupivacaine": (180, 480),
    "levobupivacaine": (180, 480),
    "ropivacaine": (180, 360),
}
LONGER = "longer than expected"
LATE_ONSET = "late onset"
NOT_CONSTANT = "not constant"


@dataclass(frozen=True)
class Relief:
    status: str  # "assessed", "no relief", "not assessable", "no baseline"
    began: Minutes | None = None
    last_meeting: Minutes | None = None
    # None when assessed: relief still met the rule at the last reading (longer than expected).
    first_failing: Minutes | None = None
    expected: tuple[int, int] | None = None
    excluded_after_rescue: int = 0
    reason: str = ""
    # Relief met the rule again after a failing reading (at `returned_at`): not constant.
    returned: bool = False
    returned_at: Minutes | None = None
    steroid: bool = False

    @property
    def assessed(self) -> bool:
        return self.status == "assessed"

    @property
    def late_onset(self) -> bool:
        return (
            self.expected is not None and self.began is not None and self.began > self.expected[1]
        )

    @property
    def ended_between(self) -> tuple[Minutes, Minutes] | None:
        """(last meeting, first failing) of relief attributed to the block, or None: what the
        outcome statistics count as when relief ended."""
        if not self.assessed or self.late_onset or self.first_failing is None:
            return None
        assert self.last_meeting is not None
        return self.last_meeting, self.first_failing

    @property
    def consistency(self) -> str | None:
        """ "consistent", "shorter than expected", "longer than expected", "late onset" or
        "not constant" (None when not assessed or the agent's duration is unknown)."""
        if not self.assessed or self.expected is None:
            return None
        low, high = self.expected
        if self.late_onset:
            return LATE_ONSET
        if self.returned:
            return NOT_CONSTANT
        if self.first_failing is None:
            return LONGER
        if self.first_failing < low:
            return "shorter than expected"
        if self.last_meeting is not None and self.last_meeting > high:
            return LONGER
        return "consistent"

    @property
    def text(self) -> str:
        """What the relief was, for a page under a "Duration of relief" heading: "Relief began
        20 min after the injection and ended between 2 h 10 min and 3 h 5 min: consistent
        for the anaesthetic (3–8 h expected)." """
        if not self.assessed:
            status = self.status[:1].upper() + self.status[1:]
            return f"{status}" + (f" ({self.reason})." if self.reason else ".")
        expected = hours_span(*self.expected) if self.expected else ""
        began = duration_words(self.began)
        if self.late_onset:
            text = (
                f"Relief began only {began} after the injection, after the anaesthetic's "
                f"expected {expected}: late onset, not attributed to the block"
            )
        elif self.first_failing is None:
            text = (
                f"Relief began {began} after the injection and lasted at least "
                f"{duration_words(self.last_meeting)} (it still met the rule at the last reading)"
            )
        else:
            text = (
                f"Relief began {began} after the injection and ended between "
                f"{duration_words(self.last_meeting)} and {duration_words(self.first_failing)}"
            )
        if self.returned:
            text += f"; relief returned at {duration_words(self.returned_at)}: not constant"
        elif self.consistency and not self.late_onset:
            text += f": {self.consistency} for the anaesthetic ({expected} expected)"
        if self.steroid and self.consistency == LONGER:
            text += (
                "; a corticosteroid was injected too, so relief beyond the anaesthetic's hours "
                "may be the steroid's"
            )
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


def readings_for_relief(
    readings: Iterable[Reading | ReadingRow],
    passes: "Passes",
    baseline_context: str | None,
    within: int,
) -> list[Reading]:
    """The readings relief is read from, in time order (see the module's docstring)."""
    kept = []
    for reading in map(as_reading, readings):
        if not 0 <= reading.minutes <= within:
            continue
        if reading.by_patient and reading.minutes <= WINDOW_END_MINUTES:
            continue
        context = reading.context
        if baseline_context is not None and context not in (None, baseline_context):
            understates = baseline_context == "rest" and context == "provoked"
            if not (understates and passes(reading)):
                continue
        kept.append(replace(reading, minutes=Decimal(str(reading.minutes))))
    return sorted(kept, key=lambda r: r.minutes)


class Passes:
    def __init__(self, baseline: int, threshold: int, inclusive: bool):
        self.baseline, self.threshold, self.inclusive = baseline, threshold, inclusive

    def __call__(self, reading: Reading) -> bool:
        return meets(self.baseline, reading.score, self.threshold, self.inclusive)


def duration_of_relief(
    baseline: int | None,
    readings: Iterable[Reading | ReadingRow],
    *,
    threshold: int,
    inclusive: bool,
    baseline_context: str | None = None,
    rescue_at: Minutes | None = None,
    agent: str | None = None,
    expected: Mapping[str, tuple[int, int]] = EXPECTED_MINUTES,
    within: int = WITHIN_MINUTES,
    max_gap: int = MAX_GAP_MINUTES,
    steroid: bool = False,
) -> Relief:
    """Relief meeting the rule (threshold, comparator) in the first `within` minutes.

    readings: (minutes after the injection, score[, context[, source]]); see the module's
    docstring for which count. steroid: a corticosteroid was injected with the anaesthetic.
    """
    window = expected.get(agent or "")
    if not baseline:
        return Relief("no baseline", expected=window, reason="a baseline above 0 is needed")
    passes = Passes(baseline, threshold, inclusive)
    parsed = readings_for_relief(readings, passes, baseline_context, within)
    kept = [r for r in parsed if rescue_at is None or r.minutes < rescue_at]
    base = Relief(
        "", expected=window, excluded_after_rescue=len(parsed) - len(kept), steroid=steroid
    )

    onset = next((i for i, r in enumerate(kept) if passes(r) and not r.by_patient), None)
    if onset is None:
        reason = "no reading met the rule"
        if any(passes(r) for r in kept):
            reason = "only patient-reported readings met the rule; the onset is a staff reading"
        return replace(base, status="no relief", reason=reason)
    last = onset
    while last + 1 < len(kept) and passes(kept[last + 1]):
        last += 1
    span = [Decimal(str(r.minutes)) for r in kept[onset : last + 2]]
    found = replace(base, began=kept[onset].minutes, last_meeting=kept[last].minutes)
    pairs = zip(span, span[1:], strict=False)
    gap = next((i for i, (earlier, later) in enumerate(pairs) if later - earlier > max_gap), None)
    if gap is not None:
        # Relief is known to have held until the reading before the gap, no further.
        held = replace(found, last_meeting=kept[onset + gap].minutes)
        if held.late_onset or (window is not None and kept[onset + gap].minutes > window[1]):
            return replace(held, status="assessed")
        return replace(
            found,
            status="not assessable",
            last_meeting=None,
            reason=f"a gap of more than {max_gap} minutes between readings",
        )
    if last + 1 >= len(kept):
        beyond = window is not None and kept[last].minutes > window[1]
        if found.late_onset or beyond:
            return replace(found, status="assessed")
        reason = f"no reading failed the rule before {format_minutes(within // 60)} hours"
        if found.excluded_after_rescue:
            reason = "readings after a rescue analgesic are left out, and " + reason
        return replace(found, status="not assessable", reason=reason)
    back = next((r for r in kept[last + 2 :] if passes(r)), None)
    return replace(
        found,
        status="assessed",
        first_failing=kept[last + 1].minutes,
        returned=back is not None,
        returned_at=back.minutes if back else None,
    )
