"""What the coverage checklists read about an injection: its work-up, its series, its relief.

The one place that turns records into `rules.coverage.Facts`; the injection page, the PDF,
the exports and the stored status ask `coverage_for` and never rebuild the facts themselves.
A `Series` holds the patients' work-ups and blocks (two queries, however many injections),
so an export reads a whole chunk's coverage without a query per injection.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from .models import Injection, PainReading, WorkUp
from .rules import coverage
from .rules.coverage import Checklist, Facts, Prior
from .rules.relief import Relief
from .rules.series import coding_hints
from .rules.series import series_result as series_words

CONTRAST = {"yes": True, "no": False}
COMPARATIVE = "COMPARATIVE"


@dataclass(frozen=True)
class Coverage:
    """An injection's work-up, its checklists (the clinic's policies, then the comparative
    one when the block is part of a comparative series) and the series in words."""

    work_up: WorkUp | None
    facts: Facts
    checklists: tuple[Checklist, ...]
    series: str | None  # "confirmed by comparative blocks", "not confirmed", … or None
    confirms: Injection | None
    confirmed_by: tuple[Injection, ...]
    coding: str
    retest: str

    @property
    def clinic_checklists(self) -> tuple[Checklist, ...]:
        return tuple(c for c in self.checklists if not c.policy.startswith(COMPARATIVE + "@"))

    @property
    def status(self) -> str:
        """The worst of the clinic's checklists: unmet, incomplete or met."""
        statuses = {checklist.status for checklist in self.clinic_checklists}
        for status in (coverage.UNMET, coverage.INCOMPLETE):
            if status in statuses:
                return status
        return coverage.MET


def local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


class Series:
    """The work-ups and blocks of some patients, with each block's live readings."""

    def __init__(self, patient_ids: Iterable[int]):
        ids = set(patient_ids)
        self.work_ups: dict[int, list[WorkUp]] = defaultdict(list)
        for work_up in WorkUp.objects.filter(patient_id__in=ids).order_by("-examined_on", "-id"):
            self.work_ups[work_up.patient_id].append(work_up)
        self.blocks: dict[int, list[Injection]] = defaultdict(list)
        readings = PainReading.objects.live().order_by("recorded_at", "pk")
        blocks = (
            Injection.objects.filter(patient_id__in=ids)
            .prefetch_related(Prefetch("readings", queryset=readings, to_attr="live_readings"))
            .order_by("-performed_at")
        )
        for block in blocks:
            self.blocks[block.patient_id].append(block)

    def of(self, injection: Injection) -> list[Injection]:
        return self.blocks.get(injection.patient_id, [])

    def work_up_for(self, injection: Injection) -> WorkUp | None:
        """The injection's own work-up, else the patient's latest on that side within 12
        months before the block."""
        day = local_day(injection.performed_at)
        for work_up in self.work_ups.get(injection.patient_id, []):
            if injection.work_up_id is not None:
                if work_up.pk == injection.work_up_id:
                    return work_up
            elif work_up.side == injection.side and work_up.usable_for(day):
                return work_up
        return None

    def earlier(self, injection: Injection) -> list[Injection]:
        """The patient's other blocks up to the end of the block's day, in the 365 days
        before it, newest first (either side: sessions are the patient's)."""
        day = local_day(injection.performed_at)
        return [
            block
            for block in self.of(injection)
            if block.pk != injection.pk
            and 0 <= (day - local_day(block.performed_at)).days <= coverage.WINDOW_DAYS
        ]

    def confirmed_by(self, injection: Injection) -> tuple[Injection, ...]:
        return tuple(
            sorted(
                (block for block in self.of(injection) if block.confirms_id == injection.pk),
                key=lambda block: block.performed_at,
            )
        )

    def block(self, injection: Injection, pk: int | None) -> Injection | None:
        return next((block for block in self.of(injection) if block.pk == pk), None)


def work_up_in_use(injection: Injection) -> WorkUp | None:
    """The work-up the block reads now (its own, else the side's latest in 12 months): a
    sign-off pins it, so the signed checklist keeps it and it is locked with the block."""
    return Series([injection.patient_id]).work_up_for(injection)


def relief_consistency(
    injection: Injection, readings: Iterable[PainReading] | None = None
) -> str | None:
    if readings is None:
        readings = getattr(injection, "live_readings", None)
    if readings is None:
        readings = injection.readings.live()
    return injection.relief(list(readings)).consistency


def prior_of(injection: Injection, earlier: Injection) -> Prior:
    return Prior(
        days_ago=(local_day(injection.performed_at) - local_day(earlier.performed_at)).days,
        purpose=earlier.purpose,
        relief_percent=earlier.percent_reduction,
        agent=earlier.anaesthetic_agent,
        relief_duration=relief_consistency(earlier),
        steroid=earlier.has_steroid,
    )


def facts_for(
    injection: Injection,
    readings: "Iterable[PainReading] | None" = None,
    *,
    series: Series | None = None,
    relief: Relief | None = None,
) -> Facts:
    """The facts of one block for the clinic's policies: priors are the patient's blocks of
    either side before it (a block on the same day is the same session)."""
    if series is None:
        series = Series([injection.patient_id])
    if readings is None:
        readings = getattr(series.block(injection, injection.pk), "live_readings", None)
    work_up = series.work_up_for(injection)
    day = local_day(injection.performed_at)
    earlier = [
        other
        for other in series.earlier(injection)
        if other.performed_at < injection.performed_at or local_day(other.performed_at) == day
    ]
    baseline = injection.baseline_score
    if baseline is None and work_up is not None:
        baseline = work_up.usual_pain
    facts = Facts(
        purpose=injection.purpose,
        baseline=baseline,
        guidance=injection.guidance,
        contrast=CONTRAST.get(injection.contrast),
        contrast_contraindicated=injection.contrast_contraindicated,
        steroid=injection.has_steroid,
        same_day_spine_block=injection.same_day_spine_block,
        agent=injection.anaesthetic_agent,
        relief_percent=injection.percent_reduction,
        relief_duration=(
            relief.consistency if relief is not None else relief_consistency(injection, readings)
        ),
        prior=tuple(prior_of(injection, other) for other in earlier),
    )
    if work_up is None:
        return facts
    return replace(
        facts,
        pain_region=work_up.pain_over_si_joint,
        pain_months=work_up.pain_months(day),
        provocation=work_up.provocation,
        conservative_weeks=work_up.conservative_weeks,
        active_rehab=work_up.active_rehab,
        other_causes_excluded=work_up.other_causes_excluded,
    )


def comparative_facts(injection: Injection, series: Series) -> Facts:
    """A comparative pair is one side's: the block it confirms, else its side's earlier
    diagnostic blocks."""
    facts = facts_for(injection, series=series)
    if injection.confirms_id is not None:
        pair = [block for block in series.of(injection) if block.pk == injection.confirms_id]
    else:
        pair = [
            block
            for block in series.earlier(injection)
            if block.side == injection.side and block.performed_at < injection.performed_at
        ]
    return replace(facts, prior=tuple(prior_of(injection, block) for block in pair))


def retest_text(injection: Injection) -> str:
    """ "2 of 4 manoeuvres still positive after the block", or ""."""
    if injection.retest_tested is None:
        return ""
    return (
        f"{injection.retest_positive} of {injection.retest_tested} manoeuvres still positive "
        "after the block"
    )


def coverage_for(
    injection: Injection,
    readings: "Iterable[PainReading] | None" = None,
    *,
    series: Series | None = None,
    policies: Iterable[str] | None = None,
    relief: Relief | None = None,
) -> Coverage:
    """Everything the pages, the PDF and the exports say about coverage (two queries, none
    with a `Series` of the injection's patient). `relief`: the block's duration of relief,
    when the caller has it (the read model)."""
    if series is None:
        series = Series([injection.patient_id])
    facts = facts_for(injection, readings, series=series, relief=relief)
    if policies is None:
        policies = settings.SI_COVERAGE_POLICIES
    checklists = [coverage.check(policy, facts) for policy in policies]
    confirmed_by = series.confirmed_by(injection)
    confirms = series.block(injection, injection.confirms_id)
    series_result = None
    if injection.purpose == coverage.DIAGNOSTIC and (confirms or confirmed_by):
        # The first block of a pair reads the series from its latest confirming block.
        later = injection if confirms is not None else confirmed_by[-1]
        comparative = coverage.check(COMPARATIVE, comparative_facts(later, series))
        checklists.append(comparative)
        series_result = series_words(comparative.status)
    day = local_day(injection.performed_at)
    bilateral = any(
        other.side != injection.side and local_day(other.performed_at) == day
        for other in series.earlier(injection)
    )
    return Coverage(
        work_up=series.work_up_for(injection),
        facts=facts,
        checklists=tuple(checklists),
        series=series_result,
        confirms=confirms,
        confirmed_by=confirmed_by,
        coding=coding_hints(injection.side, bilateral=bilateral, icd10=settings.SI_ICD10_CODE),
        retest=retest_text(injection),
    )


def coverages_for(injections: Iterable[Injection]) -> dict[int, Coverage]:
    """{injection id: Coverage} for many injections, in two queries."""
    injections = list(injections)
    series = Series(injection.patient_id for injection in injections)
    return {injection.pk: coverage_for(injection, series=series) for injection in injections}
