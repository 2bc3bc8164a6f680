"""Payer coverage checklists for an SI joint block: pure, versioned documentation checks.

`check("CMS-L39402", facts)` answers item by item whether what was recorded meets a policy.
A value that was not recorded (None) is *unknown*, never *unmet*: the checklist is then
incomplete. Unmet means the record shows the policy's condition cannot be met. These are
warnings for the clinician and the billing reviewer; nothing here blocks saving or signing.

Policies (each version frozen once published; a new reading of a policy is a new version):
- CMS-L39402@1: Medicare LCD L39402 "Sacroiliac Joint Injections and Procedures" (2023) and
  its twins (e.g. L39455).
- EVICORE-CMM-203@1: eviCore Musculoskeletal guideline CMM-203 "Sacroiliac Joint Injections".
- COMPARATIVE@1: comparative (dual) diagnostic blocks, a short- then a long-acting anaesthetic,
  anaesthetic only (Barnsley 1993; 2025 multisociety SI joint guideline); the pair's
  concordance and the series in words are series.py's.

Sessions are counted in the rolling 365 days before the block; blocks on the block's own day
(the other side) are the same session, and several earlier blocks on one day are one session.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .series import CONCORDANT, DURATION_MET, NOT_ASSESSABLE, acting, concordance

MET, UNMET, UNKNOWN, NOT_APPLICABLE = "met", "unmet", "unknown", "not_applicable"
ITEM_STATUSES = (MET, UNMET, UNKNOWN, NOT_APPLICABLE)
INCOMPLETE = "incomplete"
CHECKLIST_STATUSES = (MET, UNMET, INCOMPLETE)

DIAGNOSTIC, THERAPEUTIC = "diagnostic", "therapeutic"
PURPOSES = (DIAGNOSTIC, THERAPEUTIC)

MANOEUVRES = ("distraction", "thigh_thrust", "compression", "sacral_thrust", "gaenslen", "faber")
POSITIVE, NEGATIVE, NOT_DONE = "positive", "negative", "not_done"
PROVOCATION_RESULTS = (POSITIVE, NEGATIVE, NOT_DONE)
PROVOCATION_NEEDED = 3

RELIEF_PERCENT = 75
SEVERITY_MIN = 4
PAIN_MONTHS_MIN = 3
CONSERVATIVE_WEEKS_MIN = 4
WINDOW_DAYS = 365
DIAGNOSTIC_SESSIONS_MAX = 2
THERAPEUTIC_SESSIONS_MAX = 4
THERAPEUTIC_INTERVAL_DAYS = 60

FLUOROSCOPY, CT, ULTRASOUND = "fluoroscopy", "ct", "ultrasound"


# How pages, the PDF and the exports name the items and statuses.
ITEM_LABELS = {
    "pain_region": "Pain over the SI joint",
    "pain_severity": "Moderate-to-severe pain",
    "pain_duration": "Pain for 3 months or more",
    "provocation": "Provocation manoeuvres",
    "conservative_care": "Conservative care",
    "active_rehab": "Active rehabilitation",
    "other_causes": "Other causes excluded",
    "image_guidance": "Image guidance",
    "same_day_block": "No other spinal block that day",
    "session_limit": "Sessions in 12 months",
    "prior_positive": "Earlier positive diagnostic block",
    "interval": "Interval since the last therapeutic",
    "relief": "Relief",
    "relief_duration": "Duration of relief",
    "prior_block": "Earlier diagnostic block",
    "anaesthetic_only": "Anaesthetic only",
    "different_agents": "Short- and long-acting agents",
    "both_positive": "Both blocks positive",
    "concordance": "Concordance",
}
STATUS_WORDS = {
    MET: "met",
    UNMET: "unmet",
    UNKNOWN: "unknown",
    NOT_APPLICABLE: "not applicable",
    INCOMPLETE: "incomplete",
}
STATUS_MARKS = {MET: "✓", UNMET: "✗", UNKNOWN: "?", NOT_APPLICABLE: "–"}


@dataclass(frozen=True)
class Prior:
    """An earlier block of the same patient and side, `days_ago` days before this one."""

    days_ago: int
    purpose: str
    relief_percent: Decimal | int | None = None
    agent: str | None = None
    relief_duration: str | None = None
    steroid: bool | None = None


@dataclass(frozen=True)
class Facts:
    """What is recorded about one block and its work-up; None is "not recorded"."""

    purpose: str = DIAGNOSTIC
    pain_region: bool | None = None
    pain_months: Decimal | int | None = None
    baseline: int | None = None
    provocation: Mapping[str, str] = field(default_factory=dict)
    conservative_weeks: Decimal | int | None = None
    active_rehab: bool | None = None
    other_causes_excluded: bool | None = None
    guidance: str | None = None
    contrast: bool | None = None
    contrast_contraindicated: bool | None = None
    steroid: bool | None = None
    same_day_spine_block: bool | None = None
    agent: str | None = None
    relief_percent: Decimal | int | None = None
    relief_duration: str | None = None
    prior: tuple[Prior, ...] = ()


@dataclass(frozen=True)
class Item:
    code: str
    status: str
    why: str

    @property
    def label(self) -> str:
        return ITEM_LABELS.get(self.code, self.code)

    @property
    def mark(self) -> str:
        return STATUS_MARKS[self.status]

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]


@dataclass(frozen=True)
class Checklist:
    policy: str  # "CODE@version"
    title: str
    source: str
    status: str
    items: tuple[Item, ...]

    def item(self, code: str) -> Item:
        return next(item for item in self.items if item.code == code)

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]

    @property
    def counts(self) -> dict[str, int]:
        return {status: sum(i.status == status for i in self.items) for status in ITEM_STATUSES}


def status_of(items: tuple[Item, ...]) -> str:
    statuses = {item.status for item in items}
    if UNMET in statuses:
        return UNMET
    if UNKNOWN in statuses:
        return INCOMPLETE
    return MET


# -- the items ---------------------------------------------------------------------------------


def recorded(code: str, value: bool | None, *, unknown: str, met: str, unmet: str) -> Item:
    """An item that is a recorded yes or no: unknown while not recorded."""
    if value is None:
        return Item(code, UNKNOWN, unknown)
    return Item(code, MET, met) if value else Item(code, UNMET, unmet)


def pain_region(facts: Facts) -> Item:
    return recorded(
        "pain_region",
        facts.pain_region,
        unknown="pain location not recorded",
        met="pain primarily over the SI joint, below L5",
        unmet="pain not primarily over the SI joint region",
    )


def pain_severity(facts: Facts) -> Item:
    if facts.baseline is None:
        return Item("pain_severity", UNKNOWN, "no baseline pain score")
    if facts.baseline >= SEVERITY_MIN:
        return Item("pain_severity", MET, f"baseline {facts.baseline}/10 (≥ {SEVERITY_MIN})")
    return Item(
        "pain_severity", UNMET, f"baseline {facts.baseline}/10: below moderate ({SEVERITY_MIN})"
    )


def pain_duration(facts: Facts) -> Item:
    if facts.pain_months is None:
        return Item("pain_duration", UNKNOWN, "pain onset not recorded")
    months = facts.pain_months
    if months >= PAIN_MONTHS_MIN:
        return Item("pain_duration", MET, f"pain for {months} months (≥ {PAIN_MONTHS_MIN})")
    return Item("pain_duration", UNMET, f"pain for {months} months (< {PAIN_MONTHS_MIN})")


def provocation(facts: Facts) -> Item:
    results = {name: (facts.provocation or {}).get(name) for name in MANOEUVRES}
    positive = sum(result == POSITIVE for result in results.values())
    # "Not done" never counts as negative: a manoeuvre not done can still be done.
    reachable = sum(result != NEGATIVE for result in results.values())
    why = f"{positive} of {len(MANOEUVRES)} provocation manoeuvres positive"
    if positive >= PROVOCATION_NEEDED:
        return Item("provocation", MET, why)
    if reachable < PROVOCATION_NEEDED:
        return Item("provocation", UNMET, f"{why}; {PROVOCATION_NEEDED} can no longer be reached")
    if not any(results.values()):
        return Item("provocation", UNKNOWN, "provocation manoeuvres not recorded")
    return Item("provocation", UNKNOWN, f"{why}; {PROVOCATION_NEEDED} needed")


def conservative_care(facts: Facts) -> Item:
    weeks = facts.conservative_weeks
    if weeks is None:
        return Item("conservative_care", UNKNOWN, "conservative care not recorded")
    if weeks >= CONSERVATIVE_WEEKS_MIN:
        return Item("conservative_care", MET, f"{weeks} weeks of conservative care")
    return Item(
        "conservative_care",
        UNMET,
        f"{weeks} weeks of conservative care (< {CONSERVATIVE_WEEKS_MIN})",
    )


def active_rehab(facts: Facts) -> Item:
    return recorded(
        "active_rehab",
        facts.active_rehab,
        unknown="active rehabilitation not recorded",
        met="active rehabilitation tried",
        unmet="no active rehabilitation",
    )


def other_causes(facts: Facts) -> Item:
    return recorded(
        "other_causes",
        facts.other_causes_excluded,
        unknown="exclusion of other causes not recorded",
        met="other causes excluded (examination and imaging)",
        unmet="other causes not excluded",
    )


def image_guidance(facts: Facts, *, ultrasound_allowed: bool) -> Item:
    guidance = facts.guidance.lower() if facts.guidance else facts.guidance
    if guidance is None:
        return Item("image_guidance", UNKNOWN, "image guidance not recorded")
    if guidance in (FLUOROSCOPY, CT):
        name = "fluoroscopy" if guidance == FLUOROSCOPY else "CT"
        if facts.contrast is None:
            return Item("image_guidance", UNKNOWN, f"{name}; contrast not recorded")
        if facts.contrast:
            return Item("image_guidance", MET, f"{name} with contrast")
        # Both policies waive the contrast, not the guidance, when it is contraindicated
        # (LCD L39402: contrast allergy or pregnancy; CMM-203: "absent allergy to contrast").
        if facts.contrast_contraindicated:
            return Item("image_guidance", MET, f"{name}, contrast contraindicated")
        return Item("image_guidance", UNMET, f"{name} without contrast")
    if guidance == ULTRASOUND:
        if not ultrasound_allowed:
            return Item("image_guidance", UNMET, "ultrasound guidance is not covered")
        if facts.contrast_contraindicated is None:
            return Item(
                "image_guidance", UNKNOWN, "ultrasound; whether contrast is contraindicated?"
            )
        if facts.contrast_contraindicated:
            return Item("image_guidance", MET, "ultrasound, contrast contraindicated")
        return Item("image_guidance", UNMET, "ultrasound only when contrast is contraindicated")
    return Item("image_guidance", UNMET, f"guidance '{guidance}': fluoroscopy or CT needed")


def earlier(facts: Facts, purpose: str, within: int | None = WINDOW_DAYS) -> list[Prior]:
    """Earlier blocks of a purpose (not the block's own day: that is the same session)."""
    return [
        prior
        for prior in facts.prior
        if prior.purpose == purpose
        and prior.days_ago > 0
        and (within is None or prior.days_ago <= within)
    ]


def sessions(priors: list[Prior]) -> int:
    return len({prior.days_ago for prior in priors})


def session_limit(facts: Facts) -> Item:
    if facts.purpose == THERAPEUTIC:
        count, limit = sessions(earlier(facts, THERAPEUTIC)), THERAPEUTIC_SESSIONS_MAX
    else:
        count, limit = sessions(earlier(facts, DIAGNOSTIC)), DIAGNOSTIC_SESSIONS_MAX
    why = f"{count} earlier {facts.purpose} session(s) in {WINDOW_DAYS} days (at most {limit})"
    return Item("session_limit", MET if count < limit else UNMET, why)


def positive(relief: Decimal | int | None) -> bool | None:
    return None if relief is None else relief >= RELIEF_PERCENT


def prior_positive(facts: Facts) -> Item:
    if facts.purpose == THERAPEUTIC:
        diagnostic = earlier(facts, DIAGNOSTIC, within=None)
        if not diagnostic:
            return Item("prior_positive", UNMET, "no earlier diagnostic block")
    else:
        diagnostic = earlier(facts, DIAGNOSTIC)
        if not diagnostic:
            return Item("prior_positive", NOT_APPLICABLE, "first diagnostic block")
    results = [positive(prior.relief_percent) for prior in diagnostic]
    if any(results):
        return Item(
            "prior_positive", MET, f"an earlier diagnostic block gave ≥ {RELIEF_PERCENT} % relief"
        )
    if None in results:
        return Item("prior_positive", UNKNOWN, "earlier diagnostic block's relief not recorded")
    return Item(
        "prior_positive", UNMET, f"no earlier diagnostic block gave ≥ {RELIEF_PERCENT} % relief"
    )


def relief(facts: Facts) -> Item:
    if facts.purpose != DIAGNOSTIC:
        return Item("relief", NOT_APPLICABLE, "therapeutic block")
    if facts.relief_percent is None:
        return Item("relief", UNKNOWN, "relief not yet known")
    if positive(facts.relief_percent):
        return Item("relief", MET, f"{facts.relief_percent} % relief (≥ {RELIEF_PERCENT} %)")
    return Item("relief", UNMET, f"{facts.relief_percent} % relief (< {RELIEF_PERCENT} %)")


def relief_duration(facts: Facts) -> Item:
    if facts.purpose != DIAGNOSTIC:
        return Item("relief_duration", NOT_APPLICABLE, "therapeutic block")
    duration = facts.relief_duration
    if duration is None:
        return Item("relief_duration", UNKNOWN, "duration of relief not assessed")
    if duration in DURATION_MET:
        return Item("relief_duration", MET, f"relief {duration} for the anaesthetic")
    return Item("relief_duration", UNMET, f"relief {duration}: not sustained for the anaesthetic")


def same_day_block(facts: Facts) -> Item:
    if facts.same_day_spine_block is None:
        return Item("same_day_block", UNKNOWN, "other blocks the same day not recorded")
    if facts.same_day_spine_block:
        return Item("same_day_block", UNMET, "a facet, epidural or sympathetic block the same day")
    return Item("same_day_block", MET, "no other spinal block the same day")


def interval(facts: Facts) -> Item:
    if facts.purpose != THERAPEUTIC:
        return Item("interval", NOT_APPLICABLE, "diagnostic block")
    therapeutic = earlier(facts, THERAPEUTIC, within=None)
    if not therapeutic:
        return Item("interval", NOT_APPLICABLE, "first therapeutic block")
    days = min(prior.days_ago for prior in therapeutic)
    why = f"{days} days since the last therapeutic block"
    if days >= THERAPEUTIC_INTERVAL_DAYS:
        return Item("interval", MET, why)
    return Item("interval", UNMET, f"{why} (< {THERAPEUTIC_INTERVAL_DAYS})")


# -- comparative blocks ------------------------------------------------------------------------


def comparator(facts: Facts) -> Prior | None:
    """The block this one is compared with: the latest earlier diagnostic block in 365 days."""
    diagnostic = earlier(facts, DIAGNOSTIC)
    return min(diagnostic, key=lambda prior: prior.days_ago) if diagnostic else None


def comparative_items(facts: Facts) -> tuple[Item, ...]:
    codes = ("prior_block", "anaesthetic_only", "different_agents", "both_positive", "concordance")
    if facts.purpose != DIAGNOSTIC:
        return tuple(Item(code, NOT_APPLICABLE, "therapeutic block") for code in codes)
    prior = comparator(facts)
    if prior is None:
        prior_block = Item("prior_block", UNKNOWN, "the confirming block is still to come")
        prior = Prior(days_ago=0, purpose=DIAGNOSTIC)
    else:
        prior_block = Item("prior_block", MET, f"diagnostic block {prior.days_ago} days earlier")

    steroids = (facts.steroid, prior.steroid)
    if True in steroids:
        anaesthetic_only = Item("anaesthetic_only", UNMET, "a corticosteroid was injected")
    elif None in steroids:
        anaesthetic_only = Item("anaesthetic_only", UNKNOWN, "corticosteroid not recorded")
    else:
        anaesthetic_only = Item("anaesthetic_only", MET, "anaesthetic only in both blocks")

    kinds = (acting(facts.agent), acting(prior.agent))
    if None in kinds:
        different = Item("different_agents", UNKNOWN, "an anaesthetic not recorded or known")
    elif kinds[0] != kinds[1]:
        different = Item("different_agents", MET, f"{prior.agent}, then {facts.agent}")
    else:
        different = Item("different_agents", UNMET, f"both {kinds[0]}-acting agents")

    results = (positive(facts.relief_percent), positive(prior.relief_percent))
    if False in results:
        both = Item("both_positive", UNMET, f"a block gave < {RELIEF_PERCENT} % relief")
    elif None in results:
        both = Item("both_positive", UNKNOWN, "relief of both blocks not yet known")
    else:
        both = Item("both_positive", MET, f"both blocks ≥ {RELIEF_PERCENT} % relief")

    pair = concordance(prior.agent, prior.relief_duration, facts.agent, facts.relief_duration)
    if pair == CONCORDANT:
        concordant = Item("concordance", MET, "concordant: longer relief with the longer agent")
    elif pair != NOT_ASSESSABLE:
        concordant = Item("concordance", UNMET, pair)
    elif different.status == UNMET:
        concordant = Item("concordance", UNMET, "not assessable: agents of the same duration")
    else:
        concordant = Item("concordance", UNKNOWN, "durations of relief not both assessed")
    return (prior_block, anaesthetic_only, different, both, concordant)


# -- the policies ------------------------------------------------------------------------------


def medicare_items(facts: Facts) -> tuple[Item, ...]:
    return (
        pain_region(facts),
        pain_severity(facts),
        pain_duration(facts),
        provocation(facts),
        conservative_care(facts),
        other_causes(facts),
        image_guidance(facts, ultrasound_allowed=True),
        session_limit(facts),
        prior_positive(facts),
        relief(facts),
        relief_duration(facts),
    )


def evicore_items(facts: Facts) -> tuple[Item, ...]:
    return (
        pain_region(facts),
        pain_severity(facts),
        pain_duration(facts),
        provocation(facts),
        conservative_care(facts),
        active_rehab(facts),
        other_causes(facts),
        image_guidance(facts, ultrasound_allowed=False),
        same_day_block(facts),
        session_limit(facts),
        prior_positive(facts),
        interval(facts),
        relief(facts),
        relief_duration(facts),
    )


@dataclass(frozen=True)
class Policy:
    code: str
    version: str
    title: str
    source: str
    items: Callable[[Facts], tuple[Item, ...]]

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"


POLICIES = {
    policy.key: policy
    for policy in (
        Policy(
            "CMS-L39402",
            "1",
            "Medicare LCD L39402",
            "CMS Local Coverage Determination L39402, Sacroiliac Joint Injections and "
            "Procedures (2023)",
            medicare_items,
        ),
        Policy(
            "EVICORE-CMM-203",
            "1",
            "eviCore CMM-203",
            "eviCore Musculoskeletal Guidelines CMM-203, Sacroiliac Joint Injections",
            evicore_items,
        ),
        Policy(
            "COMPARATIVE",
            "1",
            "Comparative blocks",
            "Comparative local anaesthetic blocks (Barnsley 1993; 2025 multisociety SI "
            "joint guideline)",
            comparative_items,
        ),
    )
}
DEFAULT_POLICIES = ("CMS-L39402",)


def find(policy: str) -> Policy:
    """ "CODE@version", or "CODE" for its latest version; ValueError when unknown."""
    if "@" in policy:
        if policy not in POLICIES:
            raise ValueError(f"unknown coverage policy {policy!r}")
        return POLICIES[policy]
    versions = [p for p in POLICIES.values() if p.code == policy]
    if not versions:
        raise ValueError(f"unknown coverage policy {policy!r}")
    return max(versions, key=lambda p: int(p.version))


def check(policy: str, facts: Facts) -> Checklist:
    found = find(policy)
    if facts.purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {PURPOSES}, not {facts.purpose!r}")
    items = found.items(facts)
    return Checklist(found.key, found.title, found.source, status_of(items), items)
