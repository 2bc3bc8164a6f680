"""Confounders: what could have made relief look larger than the block gave.

Sedation beyond minimal confounds whatever the timing; it is given by name. Pain medicine is
given with the time it was taken, (words, minutes after the injection[, date and time in
words]), and the rule weighs it: taken after the baseline and no later than the readings
that decided, it could have enlarged relief and confounds; taken before the baseline, the
baseline already reflects it; taken after those readings, it changed nothing the rule read.
Either way it is named, with its date and time.

Confounders can only enlarge relief, so under the "non_diagnostic" policy they demote a
positive or indeterminate block, never a negative one, and a pending one stays pending
(rule 2.1; rule 2.0 demoted every outcome).
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from . import flags
from .terms import (
    WINDOW_END_MINUTES,
    Evaluation,
    Flag,
    Minutes,
    Outcome,
    Reasons,
    duration_words,
    minutes_text,
)


@dataclass(frozen=True)
class Medicine:
    words: str
    minutes: Decimal  # when it was taken, minutes after the injection (negative before)
    when: str = ""  # its date and time in words, e.g. "3 Mar 2026, 07:32 CET"

    @property
    def named(self) -> str:
        return f"{self.words} ({self.when})" if self.when else self.words


def as_medicine(raw: object) -> Medicine:
    if not isinstance(raw, list | tuple) or len(raw) not in (2, 3):
        raise ValueError(
            "A confounder is a name, or (what, minutes after the injection[, when]) for pain "
            f"medicine, got {raw!r}."
        )
    words, minutes, *when = raw
    if isinstance(minutes, bool):
        minutes = None
    try:
        taken = Decimal(str(minutes))
    except InvalidOperation:
        taken = Decimal("NaN")
    if not taken.is_finite():
        raise ValueError(f"When the medicine was taken must be a number of minutes, got {raw!r}.")
    return Medicine(str(words).strip(), taken, str(when[0]).strip() if when else "")


def split(confounders: Iterable[object]) -> tuple[tuple[str, ...], tuple[Medicine, ...]]:
    """Names (always confounding) and timed medicines, the empty ones dropped."""
    names, medicines = [], []
    for raw in confounders:
        if isinstance(raw, str):
            if raw.strip():
                names.append(raw.strip())
        else:
            medicine = as_medicine(raw)
            if medicine.words:
                medicines.append(medicine)
    return tuple(names), tuple(medicines)


def weigh(
    medicines: tuple[Medicine, ...],
    baseline_minutes: Minutes | None,
    read_until: Minutes | None,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(confounding medicines in words, sentences for those that do not confound).

    baseline_minutes: when the baseline was taken (None: unknown, so nothing is excused by
    it); read_until: the last reading the result depends on (None: the window's end).
    """
    until = Decimal(str(WINDOW_END_MINUTES if read_until is None else read_until))
    base = None if baseline_minutes is None else Decimal(str(baseline_minutes))
    confounding, context = [], []
    for medicine in medicines:
        taken = medicine.minutes
        when = f" ({medicine.when})" if medicine.when else ""
        if base is not None and taken <= base:
            before = (
                f"{duration_words(-taken)} before the injection"
                if taken < 0
                else f"{minutes_text(taken)} after the injection"
            )
            context.append(
                f"{medicine.words}: taken {before}{when}, before the baseline, which reflects "
                "it: not a confounder."
            )
        elif taken > until:
            context.append(
                f"{medicine.words}: taken {minutes_text(taken)} after the injection{when}, after "
                "the readings that decided the result: not a confounder."
            )
        else:
            confounding.append(medicine.named)
    return tuple(confounding), tuple(context)


def apply(
    evaluation: Evaluation,
    confounders: tuple[str, ...],
    policy: str,
    revision: str,
) -> Evaluation:
    """Name the confounders; under the "non_diagnostic" policy they decide what they could
    have caused (see the module's docstring)."""
    if not confounders:
        return evaluation
    named = "; ".join(confounders)
    reasons = evaluation.reasons
    marked = replace(
        evaluation, confounders=confounders, flags=evaluation.flags | {Flag.CONFOUNDED}
    )
    outcome = evaluation.outcome
    legacy = revision == "2.0"
    if policy == "warn" or (not legacy and outcome in (Outcome.NEGATIVE, Outcome.PENDING)):
        if outcome is Outcome.NEGATIVE and not legacy:
            consequence = "negative"
        elif outcome is Outcome.PENDING and policy != "warn":
            consequence = "pending"
        else:
            consequence = "warn"
        note = flags.confounded(named, consequence)
        return replace(marked, reasons=replace(reasons, confounders=(note,)))
    if outcome is Outcome.NON_DIAGNOSTIC:
        note = flags.confounded(named, "also")
        return replace(marked, reasons=replace(reasons, confounders=(note,)))
    provisional = flags.provisional(evaluation.method)
    return replace(
        marked,
        outcome=Outcome.NON_DIAGNOSTIC,
        at_threshold=False,
        provisional=False,
        flags=marked.flags - {Flag.AT_THRESHOLD, Flag.PROVISIONAL},
        reasons=Reasons(
            flags.confounded(named, "demoted"),
            confounders=(f"Without them the rule would have said: {reasons.headline}",),
            context=reasons.context,
            cautions=tuple(caution for caution in reasons.cautions if caution != provisional),
            short=f"confounded by {named}",
            cause="confounded",
        ),
    )
