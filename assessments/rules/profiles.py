"""Criteria profiles: named, versioned sets of the rule's options, and the criteria matrix.

The same readings meet one published rule and not another. The clinic picks a primary
profile (SI_PROFILE); every injection page and report also shows the 20–30 minute reduction
under each built-in profile, one row each, saying what the row tested and what the source
asks for that the row did not check. A profile's options never change under the same
version: a change is a new version, and a sign-off keeps the code@version it was signed
with. Earlier versions stay findable (`find("LEAFLET@2")`) and read the readings as they did.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import (
    CURRENT_REVISION,
    Evaluation,
    Flag,
    Minutes,
    Outcome,
    Reading,
    ReadingRow,
    as_reading,
    choose_baseline,
    evaluate_readings,
    minutes_text,
)
from .terms import negative_band


@dataclass(frozen=True)
class Profile:
    code: str
    version: int
    title: str
    source: str
    threshold: int
    inclusive: bool
    method: str = "sustained"
    negative_below: int | None = None
    match_context: bool = True
    required_context: str | None = None
    # The lowest baseline the source's rule is for (None: no minimum).
    min_baseline: int | None = None
    # "2.1", or "2.0" for the versions made before it.
    revision: str = CURRENT_REVISION
    # What the source asks for beyond the 20–30 minute reduction, which its row does not check:
    # (in a few words, what that is).
    not_checked: tuple[str, str] = ("", "")
    # The source's diagnostic criterion is for an anaesthetic-only block (no steroid).
    anaesthetic_only: bool = False

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"

    @property
    def band(self) -> int:
        """Below this reduction (%) the block reads negative."""
        return negative_band(self.threshold, self.negative_below)

    @property
    def criterion(self) -> str:
        """ "≥ 75 % reduction, sustained, provoked, baseline ≥ 4/10": what its row tests."""
        words = [f"{'≥' if self.inclusive else '>'} {self.threshold} % reduction", self.method]
        if self.required_context:
            words.append(self.required_context)
        elif self.match_context:
            words.append("same context")
        if self.min_baseline:
            words.append(f"baseline ≥ {self.min_baseline}/10")
        return ", ".join(words)

    def options(self) -> dict[str, Any]:
        """evaluate()'s keyword arguments for this profile."""
        options: dict[str, Any] = {
            "threshold": self.threshold,
            "inclusive": self.inclusive,
            "method": self.method,
            "negative_below": self.negative_below,
            "required_context": self.required_context,
            "revision": self.revision,
        }
        if self.min_baseline:
            options["min_baseline"] = self.min_baseline
        return options


MEDICARE_ALSO = (
    "duration of relief and coverage criteria are not part of this row",
    "relief for the anaesthetic's duration, image guidance with contrast, the work-up before "
    "the block",
)
ASPN_ALSO = (
    "duration of relief is not part of this row",
    "relief consistent with the agent's duration",
)

LEAFLET = Profile(
    "LEAFLET",
    3,
    "Patient leaflet",
    "The clinic's patient leaflet: relief of more than 75 %, read as a careful reviewer "
    "reads it (rule 2.1)",
    threshold=75,
    inclusive=False,
)
CMS_LCD_2023 = Profile(
    "CMS-LCD-2023",
    2,
    "US Medicare LCD (2023)",
    "Medicare LCD L39402: at least 75 % relief, sustained, provoked pain on the same scale, "
    "for moderate-to-severe pain",
    threshold=75,
    inclusive=True,
    required_context="provoked",
    min_baseline=4,
    not_checked=MEDICARE_ALSO,
)
ASPN_2024 = Profile(
    "ASPN-2024",
    2,
    "ASPN guideline (2024)",
    "American Society of Pain and Neuroscience 2024: more than 50 % relief from an "
    "anaesthetic-only block",
    threshold=50,
    inclusive=False,
    not_checked=ASPN_ALSO,
    anaesthetic_only=True,
)
RESEARCH_80 = Profile(
    "RESEARCH-80",
    2,
    "Research protocol (80 %)",
    "Research protocols: at least 80 % relief",
    threshold=80,
    inclusive=True,
)
BUILT_IN = (LEAFLET, CMS_LCD_2023, ASPN_2024, RESEARCH_80)

# Earlier versions, kept so that sign-offs made under them stay findable and reproducible.
EARLIER = (
    Profile(
        "LEAFLET",
        2,
        "Patient leaflet",
        "The clinic's patient leaflet: relief of more than 75 %, read conservatively (rule 2.0)",
        threshold=75,
        inclusive=False,
        revision="2.0",
    ),
    Profile(
        "CMS-LCD-2023",
        1,
        "US Medicare LCD (2023)",
        "Medicare LCD L39402: at least 75 % relief, sustained, provoked pain on the same scale",
        threshold=75,
        inclusive=True,
        required_context="provoked",
        revision="2.0",
    ),
    Profile(
        "ASPN-2024",
        1,
        "ASPN guideline (2024)",
        "American Society of Pain and Neuroscience 2024: more than 50 % relief",
        threshold=50,
        inclusive=False,
        revision="2.0",
    ),
    Profile(
        "RESEARCH-80",
        1,
        "Research protocol (80 %)",
        "Research protocols: at least 80 % relief",
        threshold=80,
        inclusive=True,
        revision="2.0",
    ),
)


def decided_by_the_same_reading(primary: Profile, other: Profile) -> bool:
    """Whether `other`'s outcome follows from `primary`'s stored evaluation: its outcome, the
    baseline and the decisive (highest) score.

    The same method picks the same reading from the same counted ones, and the same context
    demand counts the same ones; with the same negative band, minimum baseline and revision
    a block is negative under both or neither (rule 2.1: every counted reading below the
    band), so only the threshold and comparator differ, and the decisive reading meets a
    threshold exactly when every counted one does. (A provoked reading counted against a
    resting baseline only when it meets the threshold is the one case this misses.)
    """

    return (
        other.method == primary.method
        and other.match_context == primary.match_context
        and other.required_context == primary.required_context
        and other.min_baseline == primary.min_baseline
        and other.revision == primary.revision
        and other.band == primary.band
    )


def profile_baseline(
    profile: Profile, readings: Iterable[Reading | tuple[Any, ...]]
) -> tuple[int | None, str | None]:
    """The baseline score `profile` reads `readings` from, and the context the readings after
    it must match (None when the profile does not match contexts): what `evaluate_profile`
    takes, without evaluating."""
    parsed = [as_reading(raw) for raw in readings]
    index = choose_baseline(parsed, context=profile.required_context, revision=profile.revision)
    if index is None:
        return None, None
    baseline = parsed[index]
    return baseline.score, baseline.context if profile.match_context else None


def computable_profiles(primary: Profile) -> list[Profile]:
    """The profiles whose results a stored evaluation under `primary` gives exactly (the
    primary first): those decided by the same reading."""
    others = [p for p in BUILT_IN if p != primary and decided_by_the_same_reading(primary, p)]
    return [primary, *others]


def legacy_profile(threshold: int, inclusive: bool) -> Profile:
    """Rule 1.0, for sign-offs made before profiles: the lowest window reading decided,
    any relief short of the threshold was indeterminate, and context was not matched."""
    return Profile(
        "RULE-1",
        1,
        "Rule 1.0",
        "The rule before version 2.0 (lowest reading decides)",
        threshold=threshold,
        inclusive=inclusive,
        method="best",
        negative_below=0,
        match_context=False,
        revision="2.0",
    )


def find(key: str) -> Profile:
    """A built-in profile by "CODE@version" (earlier versions too), or by "CODE" for its
    current version."""
    code, _, version = key.partition("@")
    for profile in (*BUILT_IN, *EARLIER):
        if profile.code == code and (not version or str(profile.version) == version):
            return profile
    known = ", ".join(profile.code for profile in BUILT_IN)
    raise ValueError(f"Unknown criteria profile {key!r}; the built-in ones are {known}.")


def rule_options(
    profile: Profile, *, confounders: Iterable[Any] = (), confounder_policy: str = "warn"
) -> dict[str, Any]:
    """evaluate_readings()'s keyword arguments (JSON-ready): what a sign-off keeps.

    confounders: names, or [what, minutes taken (as text), when] for pain medicine.
    """
    options = {
        **profile.options(),
        "confounders": [c if isinstance(c, str) else list(c) for c in confounders],
        "confounder_policy": confounder_policy,
    }
    if not profile.match_context:
        options["baseline_context"] = None
    return options


def evaluate_profile(
    profile: Profile,
    readings: Iterable[Reading | ReadingRow],
    *,
    confounders: Iterable[Any] = (),
    confounder_policy: str = "warn",
    minutes_elapsed: Minutes | None = None,
) -> Evaluation:
    """All of an injection's readings (baselines at negative minutes) under one profile."""
    options = rule_options(profile, confounders=confounders, confounder_policy=confounder_policy)
    return evaluate_readings(readings, **options, minutes_elapsed=minutes_elapsed)


@dataclass(frozen=True)
class Criterion:
    """One row of the criteria matrix: does the 20–30 minute reduction meet this profile?"""

    profile: Profile
    evaluation: Evaluation
    # A corticosteroid was injected: a profile for anaesthetic-only blocks does not apply.
    steroid: bool = False

    @property
    def applicable(self) -> bool:
        return not (self.steroid and self.profile.anaesthetic_only)

    @property
    def meets(self) -> bool | None:
        """True or False; None while the result can still change (pending or provisional).
        A row that does not apply does not meet."""
        if not self.applicable:
            return False
        if self.evaluation.outcome is Outcome.PENDING or self.evaluation.provisional:
            return None
        return self.evaluation.outcome is Outcome.POSITIVE

    @property
    def answer(self) -> str:
        if not self.applicable:
            return "not applicable"
        return {True: "yes", False: "no", None: "not yet"}[self.meets]

    @property
    def status(self) -> str:
        """For markup: "yes", "no", "pending" or "not-applicable"."""
        if not self.applicable:
            return "not-applicable"
        return {True: "yes", False: "no", None: "pending"}[self.meets]

    @property
    def tested(self) -> str:
        return self.profile.criterion

    @property
    def not_checked(self) -> str:
        """ "duration of relief and coverage criteria are not part of this row"."""
        return self.profile.not_checked[0] if self.applicable else ""

    @property
    def not_checked_detail(self) -> str:
        """What those are: "relief for the anaesthetic's duration, image guidance …"."""
        return self.profile.not_checked[1] if self.applicable else ""

    @property
    def why(self) -> str:
        """ "reading at 28 min, 3/10, is 62.5 % (needs ≥ 75 %)"."""
        evaluation = self.evaluation
        if not self.applicable:
            return (
                "a steroid was injected; this rule's diagnostic criterion is for an "
                "anaesthetic-only block"
            )
        if evaluation.outcome is Outcome.PENDING:
            return "the window is still open"
        minutes = evaluation.decisive_minutes
        if minutes is None or evaluation.outcome is Outcome.NON_DIAGNOSTIC:
            return f"non-diagnostic: {evaluation.reasons.short or evaluation.reasons.headline}"
        reading = (
            f"reading at {minutes_text(minutes)}, "
            f"{evaluation.decisive_score}/10, is {evaluation.percent_display}"
        )
        if self.meets:
            return reading
        if self.meets is None and evaluation.outcome is Outcome.POSITIVE:
            # Provisional: "(needs > 75 %)" after 87.5 % read like a fail.
            return f"{reading}, meeting it so far (the window is still open)"
        needs = f"{'≥' if self.profile.inclusive else '>'} {self.profile.threshold} %"
        if Flag.NOT_SUSTAINED in evaluation.flags:
            return f"{reading} (needs {needs} at every reading: relief not sustained)"
        return f"{reading} (needs {needs})"

    @property
    def sentence(self) -> str:
        """ "CMS-LCD-2023@2, reduction: no — reading at 28 min, 3/10, is 62.5 % (needs ≥ 75 %);
        duration of relief and coverage criteria are not part of this row (…)"."""
        if not self.applicable:
            return f"{self.profile.key}: not applicable: {self.why}"
        sentence = f"{self.profile.key}, reduction: {self.answer} — {self.why}"
        if not self.not_checked:
            return sentence
        return f"{sentence}; {self.not_checked} ({self.not_checked_detail})"


MATRIX_TITLE = "Relief criteria: the 20–30 minute reduction under each published rule"


def criteria_matrix(
    readings: Iterable[Reading | ReadingRow],
    *,
    confounders: Iterable[Any] = (),
    confounder_policy: str = "warn",
    minutes_elapsed: Minutes | None = None,
    profiles: Iterable[Profile] = BUILT_IN,
    steroid: bool = False,
    known: dict[str, Evaluation] | None = None,
) -> tuple[Criterion, ...]:
    """Each profile's row. `known`: evaluations already made of the same readings and
    arguments, by profile key, reused instead of evaluated again."""
    readings = list(readings)
    confounders = tuple(confounders)
    known = known or {}
    return tuple(
        Criterion(
            profile,
            known.get(profile.key)
            or evaluate_profile(
                profile,
                readings,
                confounders=confounders,
                confounder_policy=confounder_policy,
                minutes_elapsed=minutes_elapsed,
            ),
            steroid=steroid,
        )
        for profile in profiles
    )
