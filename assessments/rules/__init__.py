"""The reduction rule for diagnostic SI joint injections (rule 2.1).

Pure Python on purpose: forms, admin, views, the PDF and the exports all ask this package,
and nothing else computes a percentage. Arithmetic at the threshold and the bands is integer
cross-multiplication, so "exactly 75 %" is never lost to a float.

How several readings are read (see the README's rule section):
- The baseline: the latest staff reading before the injection; the latest provoked one when
  a window reading was provoked (the index pain), or the profile's context when it asks.
- method "sustained" (default): positive only when every counted reading 20–30 minutes after
  the injection meets the threshold, negative only when every one shows less than
  `negative_below` (default 50 %), otherwise indeterminate; the highest score is decisive.
  "best": the lowest decides (rule 1.0).
- Readings in the baseline's context (or of unknown context) count; a provoked reading
  against a resting baseline counts when it meets the threshold (it understates relief).
  Patient-reported readings are never the baseline and never counted in the window.
- While the window is open a missing reading is pending, and a result is provisional.
- Confounders (sedation, pain medicine taken between the baseline and the readings) warn,
  or make a positive or indeterminate block non-diagnostic; a negative stays negative.
- Flags (terms.Flag) say the same as codes; `revision="2.0"` reproduces old sign-offs.
"""

from .evaluation import (
    Options,
    as_reading,
    awaits_window,
    choose_baseline,
    evaluate,
    evaluate_readings,
)
from .terms import (
    CONFOUNDER_POLICIES,
    CONTEXT_WORDS,
    CONTEXTS,
    CURRENT_REVISION,
    DEFAULT_NEGATIVE_BELOW,
    DEFAULT_THRESHOLD,
    EXTRA_ARTICULAR,
    FINAL_OUTCOMES,
    FOLLOW_UP_DAYS,
    LOW_BASELINE,
    METHODS,
    NON_DIAGNOSTIC_CAUSES,
    OUTCOME_LABELS,
    REVISIONS,
    SOURCES,
    STALE_BASELINE_MINUTES,
    WINDOW_END_MINUTES,
    WINDOW_START_MINUTES,
    Evaluation,
    Flag,
    Minutes,
    Outcome,
    Reading,
    ReadingRow,
    Reasons,
    at_threshold_sentence,
    comparator_words,
    duration_words,
    format_minutes,
    in_window,
    meets,
    meets_at_score,
    minutes_text,
    percent_reduction,
    round_minutes,
    round_percent,
    rule_text,
)

__all__ = [
    "CURRENT_REVISION",
    "REVISIONS",
    "SOURCES",
    "STALE_BASELINE_MINUTES",
    "Flag",
    "choose_baseline",
    "minutes_text",
    "round_minutes",
    "CONFOUNDER_POLICIES",
    "CONTEXTS",
    "CONTEXT_WORDS",
    "DEFAULT_NEGATIVE_BELOW",
    "DEFAULT_THRESHOLD",
    "EXTRA_ARTICULAR",
    "FINAL_OUTCOMES",
    "FOLLOW_UP_DAYS",
    "LOW_BASELINE",
    "METHODS",
    "NON_DIAGNOSTIC_CAUSES",
    "OUTCOME_LABELS",
    "Minutes",
    "WINDOW_END_MINUTES",
    "WINDOW_START_MINUTES",
    "Evaluation",
    "Options",
    "Outcome",
    "Reading",
    "ReadingRow",
    "Reasons",
    "as_reading",
    "awaits_window",
    "at_threshold_sentence",
    "comparator_words",
    "evaluate",
    "evaluate_readings",
    "duration_words",
    "format_minutes",
    "in_window",
    "meets",
    "meets_at_score",
    "percent_reduction",
    "round_percent",
    "rule_text",
]
