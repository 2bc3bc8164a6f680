"""The facts every export format writes, read in one planned pass over the injections.

Injections are read in id order, `CHUNK_SIZE` at a time (iterator(chunk_size) with the
readings and sign-offs prefetched per chunk: three queries a chunk, and two for the chunk's
coverage: coverage_facts.Series), so memory stays flat
whatever the selection. Results come from the rule and `decide`, as on the PDF report: a
signed injection is read as signed (SignOff.reproduce), an unsigned one with today's rule.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch

from .. import rules
from ..coverage_facts import Coverage, coverage_for, coverages_for
from ..diary.schedule import Completeness, completeness
from ..models import Injection, PainReading, Patient, Result, SignOff, primary_profile
from ..rules.relief import Relief

CHUNK_SIZE = 500


def rounded_minutes(minutes) -> Decimal | None:
    """Minutes to one decimal at most, as a number, as every page writes them: 25, -5, 23.8
    (None stays None)."""
    return None if minutes is None else rules.round_minutes(minutes)


def rounded_percent(percent: Decimal | None) -> Decimal | None:
    """A reduction to one decimal, as the rule rounds it (None stays None)."""
    return None if percent is None else rules.round_percent(percent)


@dataclass(frozen=True)
class ReadingFacts:
    reading: PainReading
    number: int  # 1, 2, … in time order within the injection
    minutes: Decimal  # exact minutes after the injection (negative before it)
    phase: str
    in_window: bool
    counted: bool  # in the window and in the baseline's context: the rule read it
    decisive: bool

    @property
    def minutes_rounded(self) -> Decimal:
        """Minutes after the injection to one decimal at most: 25, -5, 23.8."""
        return rounded_minutes(self.minutes)


@dataclass(frozen=True)
class InjectionFacts:
    injection: Injection
    readings: tuple[ReadingFacts, ...]
    signoff: SignOff | None
    evaluation: rules.Evaluation
    result: Result
    profile: str
    relief: Relief
    diary: Completeness
    confounders: tuple[str, ...]
    coverage: Coverage | None = None

    @property
    def patient(self) -> Patient:
        return self.injection.patient

    @property
    def baseline(self) -> ReadingFacts | None:
        """The reading the rule took as the baseline."""
        index = self.evaluation.baseline_index
        return None if index is None else self.readings[index]

    @property
    def decisive(self) -> ReadingFacts | None:
        return next((facts for facts in self.readings if facts.decisive), None)

    @property
    def signed_report(self):
        """The archived PDF of the sign-off in force (None while unsigned)."""
        if self.signoff is None:
            return None
        return getattr(self.signoff, "archived_report", None)


def export_queryset():
    """Injections with everything an export writes (three queries per chunk)."""
    return Injection.objects.select_related("patient", "proceduralist").prefetch_related(
        # Withdrawn readings stay on the record and its page, not in research exports.
        Prefetch("readings", queryset=PainReading.objects.live().order_by("recorded_at", "pk")),
        Prefetch(
            "signoffs", queryset=SignOff.objects.select_related("signed_by", "archived_report")
        ),
    )


def injection_facts(
    injection: Injection, *, now: datetime, coverage: Coverage | None = None
) -> InjectionFacts:
    """One injection of `export_queryset()` as export facts (no query)."""
    readings = list(injection.readings.all())
    signoff = injection.signoff_in_force(list(injection.signoffs.all()))
    evaluation = injection.evaluation_in_force(signoff, readings, now=now)
    rows = []
    for index, reading in enumerate(readings):
        minutes = injection.minutes_after(reading.recorded_at)
        rows.append(
            ReadingFacts(
                reading=reading,
                number=index + 1,
                minutes=minutes,
                phase=reading.phase,
                in_window=rules.in_window(minutes),
                counted=index in evaluation.counted,
                decisive=index == evaluation.decisive_index,
            )
        )
    return InjectionFacts(
        injection=injection,
        readings=tuple(rows),
        signoff=signoff,
        evaluation=evaluation,
        result=injection.result_of(evaluation, signoff),
        profile=signoff.profile if signoff else primary_profile().key,
        relief=injection.relief(readings),
        diary=completeness(injection.diary(readings)),
        confounders=evaluation.confounders,
        coverage=coverage_for(injection, readings) if coverage is None else coverage,
    )


def export_facts(selection, *, now: datetime, chunk_size: int = CHUNK_SIZE):
    """InjectionFacts for each injection of the `selection` queryset, in id order."""
    queryset = export_queryset().filter(pk__in=selection.values("pk")).order_by("pk")
    chunk: list[Injection] = []
    for injection in queryset.iterator(chunk_size=chunk_size):
        chunk.append(injection)
        if len(chunk) == chunk_size:
            yield from chunk_facts(chunk, now=now)
            chunk = []
    yield from chunk_facts(chunk, now=now)


def chunk_facts(chunk: list[Injection], *, now: datetime):
    """A chunk's facts, with the coverage of all its injections read at once (two queries)."""
    found = coverages_for(chunk)
    for injection in chunk:
        yield injection_facts(injection, now=now, coverage=found[injection.pk])
