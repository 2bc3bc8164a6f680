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

from .evaluation import Options, as_reading, evaluate, evaluate_readings
from .terms import (
    CONFOUNDER_POLICIES,
    CONTEXT_WORDS,
    CONTEXTS,
    DEFAULT_NEGATIVE_BELOW,
    DEFAULT_THRESHOLD,
    EXTRA_ARTICULAR,
    FINAL_OUTCOMES,
    FOLLOW_UP_DAYS,
    LOW_BASELINE,
    METHODS,
    NON_DIAGNOSTIC_CAUSES,
    OUTCOME_LABELS,
    WINDOW_END_MINUTES,
    WINDOW_START_MINUTES,
    Evaluation,
    Minutes,
    Outcome,
    Reading,
    Reasons,
    at_threshold_sentence,
    comparator_words,
    duration_words,
    format_minutes,
    in_window,
    meets,
    meets_at_score,
    percent_reduction,
    round_percent,
    rule_text,
)

__all__ = [
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
    "Reasons",
    "as_reading",
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
