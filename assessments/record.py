"""The read model: an injection as the record says it, built once, drawn everywhere.

`build_record` turns one injection of `Injection.objects.for_record()` into a frozen
`InjectionRecord` (the readings, the sign-off in force, the evaluation in force, the result,
the criteria matrix, the duration of relief, the diary) without another query. The injection
page, the admin's result and sign-off pages, the PDF report and the exports all draw from it,
so none of them re-derives the baseline, the decisive reading or the profile in force.

The rule runs once for the clinic's primary profile, once more for each other built-in
profile when the criteria matrix is asked for (a page, the PDF; not the exports), and a
signed record adds the reproduction of its sign-off.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cached_property

from django.db.models import QuerySet

from . import rules
from .coverage_facts import Coverage, Series, coverage_for
from .models import (
    Amendment,
    Injection,
    PainReading,
    Patient,
    Result,
    SignedReport,
    SignOff,
    primary_profile,
)
from .rules.profiles import Criterion
from .rules.relief import Relief
from .rules.schedule import Completeness, Slot, completeness


@dataclass(frozen=True)
class RecordReading:
    """One reading that stands, as the rule in force read it."""

    reading: PainReading
    number: int  # 1, 2, … in time order within the injection
    minutes: Decimal  # exact minutes after the injection (negative before it)
    in_window: bool
    counted: bool  # the rule read it (in the window, in the baseline's context)
    decisive: bool
    baseline_used: bool
    not_counted_why: str  # why a reading near the window is listed but not counted
    after_signoff: bool  # added during the follow-up week after the sign-off
    correctable: bool  # a correction is allowed now (the sign-off does not lock it)

    @property
    def phase(self) -> str:
        return self.reading.phase

    @property
    def minutes_rounded(self) -> Decimal:
        """Minutes after the injection to one decimal at most: 25, -5, 23.8."""
        return rules.round_minutes(self.minutes)


@dataclass(frozen=True)
class InjectionRecord:
    injection: Injection
    now: datetime
    readings: tuple[RecordReading, ...]
    withdrawn: tuple[PainReading, ...]
    signoff: SignOff | None
    amendments: tuple[Amendment, ...]
    evaluation: rules.Evaluation  # in force: as signed, or the rule's now
    computed: rules.Evaluation  # the clinic's primary profile on the readings, now
    result: Result
    relief: Relief
    slots: tuple[Slot, ...]
    coverage: Coverage  # the work-up, the series and the coverage checklists

    @property
    def pain_readings(self) -> list[PainReading]:
        return [row.reading for row in self.readings]

    @property
    def patient(self) -> Patient:
        return self.injection.patient

    @property
    def profile(self) -> str:
        """The profile in force: the signed one, else the clinic's primary profile."""
        return self.signoff.profile if self.signoff else primary_profile().key

    @property
    def baseline(self) -> RecordReading | None:
        """The reading the rule in force took as the baseline."""
        return next((row for row in self.readings if row.baseline_used), None)

    @property
    def decisive(self) -> RecordReading | None:
        return next((row for row in self.readings if row.decisive), None)

    @cached_property
    def criteria(self) -> tuple[Criterion, ...]:
        """The criteria matrix (made when first asked: the exports do not print it), the
        primary profile's row from `computed`."""
        return self.injection.criteria(
            self.pain_readings, now=self.now, known={primary_profile().key: self.computed}
        )

    @cached_property
    def diary(self) -> Completeness:
        return completeness(self.slots)

    @property
    def confounders(self) -> tuple[str, ...]:
        return self.evaluation.confounders

    @property
    def signed_report(self) -> SignedReport | None:
        """The archived PDF of the sign-off in force (None while unsigned)."""
        if self.signoff is None:
            return None
        return getattr(self.signoff, "archived_report", None)

    def shown(self) -> list[PainReading]:
        """Every reading, withdrawn ones too (struck through), in time order."""
        every = [*self.pain_readings, *self.withdrawn]
        return sorted(every, key=lambda reading: (reading.recorded_at, reading.pk))


def is_prefetched(injection: Injection) -> bool:
    cache = getattr(injection, "_prefetched_objects_cache", {})
    return "amendments" in cache and hasattr(injection, "withdrawn_readings")


def build_record(
    injection: Injection,
    *,
    now: datetime,
    coverage: Coverage | None = None,
    series: Series | None = None,
) -> InjectionRecord:
    """`injection` as the record says it at `now`. One of `Injection.objects.for_record()`
    costs no query; any other is fetched again with it (five queries). The coverage reads
    the patient's work-ups and blocks (three queries), unless `coverage` or the `series` it
    comes from is given (records(): one series per chunk)."""
    if not is_prefetched(injection):
        injection = Injection.objects.for_record().get(pk=injection.pk)
    readings = list(injection.readings.all())
    signoff = injection.signoff_in_force(list(injection.signoffs.all()))
    computed = injection.evaluate(readings, now=now)
    evaluation = signoff.reproduce() if signoff else computed
    relief = injection.relief(readings, computed)
    if coverage is None:
        coverage = coverage_for(injection, readings, series=series, relief=relief)
    return InjectionRecord(
        injection=injection,
        now=now,
        readings=rows_of(injection, readings, evaluation, signoff, now),
        withdrawn=tuple(injection.withdrawn_readings),  # type: ignore[attr-defined]  # to_attr
        signoff=signoff,
        amendments=tuple(sorted(injection.amendments.all(), key=lambda a: a.opened_at)),
        evaluation=evaluation,
        computed=computed,
        result=injection.result_of(evaluation, signoff),
        relief=relief,
        slots=tuple(injection.diary(readings)),
        coverage=coverage,
    )


def rows_of(
    injection: Injection,
    readings: list[PainReading],
    evaluation: rules.Evaluation,
    signoff: SignOff | None,
    now: datetime,
) -> tuple[RecordReading, ...]:
    counted = set(evaluation.counted)
    rows = []
    for index, reading in enumerate(readings):
        minutes = injection.minutes_after(reading.recorded_at)
        rows.append(
            RecordReading(
                reading=reading,
                number=index + 1,
                minutes=minutes,
                in_window=rules.in_window(minutes),
                counted=index in counted,
                decisive=index == evaluation.decisive_index,
                baseline_used=index == evaluation.baseline_index,
                not_counted_why=reading.not_counted_reason(
                    counted=index in counted, baseline_context=evaluation.baseline_context
                ),
                after_signoff=signoff is not None and reading.created_at > signoff.signed_at,
                correctable=not injection.reading_lock_message(reading.recorded_at, now),
            )
        )
    return tuple(rows)


def records(
    selection: QuerySet[Injection], *, now: datetime, chunk_size: int = 500
) -> Iterator[InjectionRecord]:
    """An InjectionRecord for each injection of the `selection` queryset, in id order."""
    queryset = Injection.objects.for_record().filter(pk__in=selection.values("pk")).order_by("pk")
    chunk: list[Injection] = []
    for injection in queryset.iterator(chunk_size=chunk_size):
        chunk.append(injection)
        if len(chunk) == chunk_size:
            yield from chunk_records(chunk, now=now)
            chunk = []
    yield from chunk_records(chunk, now=now)


def chunk_records(chunk: list[Injection], *, now: datetime) -> Iterator[InjectionRecord]:
    """A chunk's records, the coverage of all its patients read at once."""
    series = Series(injection.patient_id for injection in chunk)
    for injection in chunk:
        yield build_record(injection, now=now, series=series)
