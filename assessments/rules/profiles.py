"""Criteria profiles: named, versioned sets of the rule's options, and the criteria matrix.

The same readings meet one published rule and not another. The clinic picks a primary
profile (SI_PROFILE); every injection page and report also shows the result under each
built-in profile, one line each, so a payer's reviewer or a surgeon sees which rules the
block meets. A profile's options never change under the same version: a change is a new
version, and a sign-off keeps the code@version it was signed with.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from . import (
    Evaluation,
    Minutes,
    Outcome,
    Reading,
    evaluate_readings,
    format_minutes,
)


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

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"

    @property
    def criterion(self) -> str:
        """ "≥ 75 %, sustained, provoked": the profile in a few words."""
        words = [f"{'≥' if self.inclusive else '>'} {self.threshold} %", self.method]
        if self.required_context:
            words.append(self.required_context)
        elif self.match_context:
            words.append("same context")
        return ", ".join(words)

    def options(self) -> dict:
        """evaluate()'s keyword arguments for this profile."""
        return {
            "threshold": self.threshold,
            "inclusive": self.inclusive,
            "method": self.method,
            "negative_below": self.negative_below,
            "required_context": self.required_context,
        }


LEAFLET = Profile(
    "LEAFLET",
    2,
    "Patient leaflet",
    "The clinic's patient leaflet: relief of more than 75 %, read conservatively (rule 2.0)",
    threshold=75,
    inclusive=False,
)
CMS_LCD_2023 = Profile(
    "CMS-LCD-2023",
    1,
    "US Medicare LCD (2023)",
    "Medicare LCD L39402: at least 75 % relief, sustained, provoked pain on the same scale",
    threshold=75,
    inclusive=True,
    required_context="provoked",
)
ASPN_2024 = Profile(
    "ASPN-2024",
    1,
    "ASPN guideline (2024)",
    "American Society of Pain and Neuroscience 2024: more than 50 % relief",
    threshold=50,
    inclusive=False,
)
RESEARCH_80 = Profile(
    "RESEARCH-80",
    1,
    "Research protocol (80 %)",
    "Research protocols: at least 80 % relief",
    threshold=80,
    inclusive=True,
)
BUILT_IN = (LEAFLET, CMS_LCD_2023, ASPN_2024, RESEARCH_80)


def decided_by_the_same_reading(primary: Profile, other: Profile) -> bool:
    """Whether `other` reads an injection through the same decisive reading as `primary`.

    Then its outcome is a function of the stored baseline and decisive scores alone (and
    whether the primary found the block non-diagnostic, which the threshold cannot change):
    the same method picks the same reading from the same counted ones, and the same context
    demand counts the same ones. Only the threshold, comparator and bands differ.
    """
    return (
        other.method == primary.method
        and other.match_context == primary.match_context
        and other.required_context == primary.required_context
    )


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
    )


def find(key: str) -> Profile:
    """A built-in profile by "CODE@version", or by "CODE" for its current version."""
    code, _, version = key.partition("@")
    for profile in BUILT_IN:
        if profile.code == code and (not version or str(profile.version) == version):
            return profile
    known = ", ".join(profile.code for profile in BUILT_IN)
    raise ValueError(f"Unknown criteria profile {key!r}; the built-in ones are {known}.")


def rule_options(
    profile: Profile, *, confounders: Iterable[str] = (), confounder_policy: str = "warn"
) -> dict:
    """evaluate_readings()'s keyword arguments (JSON-ready): what a sign-off keeps."""
    options = {
        **profile.options(),
        "confounders": list(confounders),
        "confounder_policy": confounder_policy,
    }
    if not profile.match_context:
        options["baseline_context"] = None
    return options


def evaluate_profile(
    profile: Profile,
    readings: Iterable[Reading | tuple],
    *,
    confounders: Iterable[str] = (),
    confounder_policy: str = "warn",
    minutes_elapsed: Minutes | None = None,
) -> Evaluation:
    """All of an injection's readings (baselines at negative minutes) under one profile."""
    options = rule_options(profile, confounders=confounders, confounder_policy=confounder_policy)
    return evaluate_readings(readings, **options, minutes_elapsed=minutes_elapsed)


@dataclass(frozen=True)
class Criterion:
    """One line of the criteria matrix: does the block meet this profile?"""

    profile: Profile
    evaluation: Evaluation

    @property
    def meets(self) -> bool | None:
        """True or False; None while the result can still change (pending or provisional)."""
        if self.evaluation.outcome is Outcome.PENDING or self.evaluation.provisional:
            return None
        return self.evaluation.outcome is Outcome.POSITIVE

    @property
    def answer(self) -> str:
        return {True: "yes", False: "no", None: "not yet"}[self.meets]

    @property
    def why(self) -> str:
        """ "reading at 28 min, 3/10, is 62.5 % (needs ≥ 75 %)"."""
        evaluation = self.evaluation
        if evaluation.outcome is Outcome.PENDING:
            return "the window is still open"
        minutes = evaluation.decisive_minutes
        if minutes is None or evaluation.outcome is Outcome.NON_DIAGNOSTIC:
            return f"non-diagnostic: {evaluation.reasons.short or evaluation.reasons.headline}"
        reading = (
            f"reading at {format_minutes(round(Decimal(str(minutes)), 1))} min, "
            f"{evaluation.decisive_score}/10, is {evaluation.percent_display}"
        )
        if self.meets:
            return reading
        needs = f"{'≥' if self.profile.inclusive else '>'} {self.profile.threshold} %"
        return f"{reading} (needs {needs})"

    @property
    def sentence(self) -> str:
        """ "Meets CMS-LCD-2023: no — reading at 28 min, 3/10, is 62.5 % (needs ≥ 75 %)"."""
        return f"Meets {self.profile.code}: {self.answer} — {self.why}"


def criteria_matrix(
    readings: Iterable[Reading | tuple],
    *,
    confounders: Iterable[str] = (),
    confounder_policy: str = "warn",
    minutes_elapsed: Minutes | None = None,
    profiles: Iterable[Profile] = BUILT_IN,
) -> tuple[Criterion, ...]:
    readings = list(readings)
    confounders = tuple(confounders)
    return tuple(
        Criterion(
            profile,
            evaluate_profile(
                profile,
                readings,
                confounders=confounders,
                confounder_policy=confounder_policy,
                minutes_elapsed=minutes_elapsed,
            ),
        )
        for profile in profiles
    )
