"""What the coverage checklists read about an injection: its work-up, its series, its relief.

The one place that turns records into `rules.coverage.Facts`; the injection page, the PDF,
the exports and the statistics ask `coverage_for` and never rebuild the facts themselves.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from .models import Injection, PainReading, WorkUp
from .rules import coverage
from .rules.coverage import Checklist, Facts, Prior

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


def local_day(moment) -> date:
    return timezone.localdate(moment)


def work_up_for(injection: Injection) -> WorkUp | None:
    """The injection's own work-up, else the patient's latest on that side in 12 months."""
    if injection.work_up_id is not None:
        return injection.work_up
    day = local_day(injection.performed_at)
    return (
        WorkUp.objects.filter(
            patient_id=injection.patient_id,
            side=injection.side,
            examined_on__lte=day,
            examined_on__gt=day - timedelta(days=coverage.WINDOW_DAYS),
        )
        .order_by("-examined_on", "-id")
        .first()
    )


def relief_percent(injection: Injection):
    return injection.percent_reduction


def relief_consistency(injection: Injection, readings=None) -> str | None:
    if readings is None:
        readings = injection.readings.live()
    return injection.relief(list(readings)).consistency


def prior_of(injection: Injection, earlier: Injection) -> Prior:
    return Prior(
        days_ago=(local_day(injection.performed_at) - local_day(earlier.performed_at)).days,
        purpose=earlier.purpose,
        relief_percent=relief_percent(earlier),
        agent=earlier.anaesthetic_agent,
        relief_duration=relief_consistency(earlier, earlier.live_readings),
        steroid=earlier.has_steroid,
    )


def earlier_injections(injection: Injection) -> list[Injection]:
    """The patient's blocks up to the same day (either side), newest first, with their live
    readings (two queries)."""
    next_day = local_day(injection.performed_at) + timedelta(days=1)
    day_end = timezone.make_aware(datetime.combine(next_day, time.min))
    since = injection.performed_at - timedelta(days=coverage.WINDOW_DAYS + 1)
    return list(
        Injection.objects.filter(
            patient_id=injection.patient_id, performed_at__gte=since, performed_at__lt=day_end
        )
        .exclude(pk=injection.pk)
        .prefetch_related(
            Prefetch(
                "readings",
                queryset=PainReading.objects.live().order_by("recorded_at"),
                to_attr="live_readings",
            )
        )
        .order_by("-performed_at")
    )


def facts_for(injection: Injection, readings=None, *, work_up=None, earlier=None) -> Facts:
    """The facts of one block for the clinic's policies: priors are the patient's blocks of
    either side before it (a block on the same day is the same session)."""
    if work_up is None:
        work_up = work_up_for(injection)
    if earlier is None:
        earlier = earlier_injections(injection)
    day = local_day(injection.performed_at)
    same_day_or_before = [
        other
        for other in earlier
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
        relief_percent=relief_percent(injection),
        relief_duration=relief_consistency(injection, readings),
        prior=tuple(prior_of(injection, other) for other in same_day_or_before),
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


def comparative_facts(injection: Injection, facts: Facts, earlier: list[Injection]) -> Facts:
    """A comparative pair is one side's: the block it confirms, else its side's earlier
    diagnostic blocks."""
    if injection.confirms_id is not None:
        pair = [other for other in earlier if other.pk == injection.confirms_id]
    else:
        pair = [
            other
            for other in earlier
            if other.side == injection.side and other.performed_at < injection.performed_at
        ]
    return replace(facts, prior=tuple(prior_of(injection, other) for other in pair))


def retest_text(injection: Injection) -> str:
    """ "2 of 4 manoeuvres still positive after the block", or ""."""
    if injection.retest_tested is None:
        return ""
    return (
        f"{injection.retest_positive} of {injection.retest_tested} manoeuvres still positive "
        "after the block"
    )


def coverage_for(injection: Injection, readings=None, *, policies=None) -> Coverage:
    """Everything the pages, the PDF and the exports say about coverage (a few queries)."""
    work_up = work_up_for(injection)
    earlier = earlier_injections(injection)
    facts = facts_for(injection, readings, work_up=work_up, earlier=earlier)
    if policies is None:
        policies = settings.SI_COVERAGE_POLICIES
    checklists = [coverage.check(policy, facts) for policy in policies]
    confirmed_by = tuple(
        Injection.objects.filter(confirms_id=injection.pk).order_by("performed_at")
        if injection.pk
        else ()
    )
    series = None
    confirms = injection.confirms if injection.confirms_id else None
    if injection.purpose == coverage.DIAGNOSTIC and (confirms or confirmed_by):
        pair_facts = comparative_facts(injection, facts, earlier)
        if confirms is None:
            # The first block of a pair reads the series from its confirming block.
            later = confirmed_by[-1]
            pair_facts = comparative_facts(later, facts_for(later), earlier_injections(later))
        comparative = coverage.check(COMPARATIVE, pair_facts)
        checklists.append(comparative)
        series = coverage.series_result(comparative)
    day = local_day(injection.performed_at)
    bilateral = any(
        other.side != injection.side and local_day(other.performed_at) == day for other in earlier
    )
    return Coverage(
        work_up=work_up,
        coding=coverage.coding_hints(
            injection.side, bilateral=bilateral, icd10=settings.SI_ICD10_CODE
        ),
        retest=retest_text(injection),
        facts=facts,
        checklists=tuple(checklists),
        series=series,
        confirms=confirms,
        confirmed_by=confirmed_by,
    )
