"""The facts a PDF report prints, gathered with a fixed number of queries.

No drawing here: `gather_report` turns an injection into plain frozen dataclasses, and
`document.py` draws them. Every outcome and percentage comes from `rules.py`.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone

from .. import display, rules
from ..coverage_facts import Coverage
from ..models import Amendment, Injection, PainReading, Result, SignOff
from ..models.result import InjectionQuerySet
from ..record import InjectionRecord, build_record
from ..rules.profiles import Criterion
from ..rules.relief import Relief
from ..rules.schedule import Completeness

# Only readings this close to the window could be mistaken for it, so only they are marked.
EARLY_MINUTES = 120


@dataclass(frozen=True)
class Signature:
    signed_by: str
    signed_at: str
    version: int = 1
    signed_outcome: str = ""
    override_reason: str = ""


@dataclass(frozen=True)
class ReadingRow:
    phase: str
    local_time: str
    minutes: Decimal
    score: int
    change_points: str
    reduction: str
    context: str
    source: str
    is_baseline: bool
    is_decisive: bool
    in_window: bool
    counted: bool
    recalled: bool
    note: str
    after_signoff: bool = False
    correction: bool = False
    baseline_used: bool = False
    by_patient: bool = False
    # A rescue analgesic recorded with the reading: what, and its date and time.
    rescue: str = ""

    @property
    def marks(self) -> str:
        """Short words for the table's last column, most important first."""
        words = []
        if self.is_decisive:
            words.append("Decisive")
        elif self.baseline_used:
            words.append("Baseline used")
        elif self.in_window and not self.is_baseline and not self.counted:
            words.append("Patient entry, not counted" if self.by_patient else "Not counted")
        elif not self.is_baseline and not self.in_window and self.minutes < EARLY_MINUTES:
            words.append("Outside window")
        if self.correction:
            words.append("Correction")
        if self.after_signoff:
            words.append("After sign-off")
        if self.recalled:
            words.append("Recalled")
        if self.rescue:
            words.append(f"Rescue analgesic: {self.rescue}")
        return ", ".join(words)


@dataclass(frozen=True)
class FollowUpDay:
    day: int
    entries: int
    mean: str
    lowest: int | None


@dataclass(frozen=True)
class ReportFacts:
    report_id: str
    generated: str
    archival: bool
    clinic_name: str
    clinic_address: str
    time_zone: str
    injection_id: int
    patient_name: str
    mrn: str
    date_of_birth: str
    age_at_injection: int
    sex: str
    performed_at: str
    performed_on: date
    side: str
    proceduralist: str
    guidance: str
    contrast: str
    anaesthetic: str
    steroid: str
    sedation: str
    analgesic: str
    notes: str
    evaluation: rules.Evaluation
    result: Result
    criteria: tuple[Criterion, ...]
    profile: str
    relief: Relief
    diary: Completeness
    readings: tuple[ReadingRow, ...]
    follow_up: tuple[FollowUpDay, ...]
    signature: Signature | None = None
    addenda: tuple[str, ...] = ()
    # Readings withdrawn (struck through on the page), one sentence each.
    withdrawn: tuple[str, ...] = ()
    # The work-up, series and coverage checklists (coverage_facts.Coverage).
    coverage: Coverage | None = None
    purpose: str = "Diagnostic"

    @property
    def follow_up_days_with_data(self) -> int:
        return sum(1 for day in self.follow_up if day.entries)

    @property
    def outcome_label(self) -> str:
        return self.result.outcome.label

    @property
    def meets_rule_score(self) -> int | None:
        return self.evaluation.meets_at_score


def report_queryset() -> InjectionQuerySet:
    """Injections with everything a report prints (the read model's queryset)."""
    return Injection.objects.for_record()


def signature_of(latest: SignOff | None) -> Signature | None:
    """The signature block's facts for the sign-off in force; None while a draft."""
    if latest is None:
        return None
    return Signature(
        signed_by=display.person(latest.signed_by),
        signed_at=display.date_time(latest.signed_at),
        version=latest.version,
        signed_outcome=display.outcome_label(latest.signed_outcome),
        override_reason=latest.override_reason if latest.is_override else "",
    )


def addenda_of(amendments: Iterable[Amendment]) -> tuple[str, ...]:
    return tuple(
        f"{display.date_time(amendment.opened_at)}, {display.person(amendment.opened_by)} "
        f"(amending version {amendment.amends_version}): {amendment.reason}"
        for amendment in sorted(amendments, key=lambda amendment: amendment.opened_at)
    )


def report_filename(
    mrn: str, performed_on: date, injection_id: int | None, extension: str = "pdf"
) -> str:
    """MRN, date and id only: a file name never carries the patient's name."""
    safe_mrn = re.sub(r"[^A-Za-z0-9._-]+", "-", mrn).strip("-.") or "no-mrn"
    return f"si-report-{safe_mrn}-{performed_on:%Y-%m-%d}-injection-{injection_id}.{extension}"


def withdrawn_lines(withdrawn: Iterable[PainReading]) -> tuple[str, ...]:
    return tuple(
        f"{reading.score}/10 at {display.short_date_time(reading.recorded_at)} "
        f"({reading.get_source_display().lower()}) withdrawn "
        f"{display.date_time(reading.withdrawn_at)} by {display.person(reading.withdrawn_by)}: "
        f"{reading.withdrawn_reason}"
        for reading in sorted(withdrawn, key=lambda reading: (reading.recorded_at, reading.pk))
    )


def reading_rows(record: InjectionRecord) -> tuple[ReadingRow, ...]:
    evaluation = record.evaluation
    rows = []
    for row in record.readings:
        reading = row.reading
        baseline = reading.is_baseline
        compared = not baseline and evaluation.baseline is not None
        percent = rules.percent_reduction(evaluation.baseline, reading.score)
        rows.append(
            ReadingRow(
                phase=reading.phase,
                local_time=display.short_date_time(reading.recorded_at),
                minutes=row.minutes,
                score=reading.score,
                # compared: the baseline is known.
                change_points=f"{reading.score - evaluation.baseline:+d}"  # type: ignore[operator]
                if compared
                else "",
                reduction=(
                    f"{rules.round_percent(percent)} %" if compared and percent is not None else ""
                ),
                context=reading.get_context_display(),
                source=reading.get_source_display(),
                is_baseline=baseline,
                is_decisive=row.decisive,
                in_window=row.in_window,
                counted=row.counted,
                recalled=reading.recalled,
                note=reading.note,
                after_signoff=row.after_signoff,
                correction=reading.replaces_id is not None,
                baseline_used=row.baseline_used,
                by_patient=reading.source != reading.Source.STAFF,
                rescue=(
                    f"{reading.medication}, {display.date_time(reading.medication_at)}"
                    if reading.rescue_at
                    else ""
                ),
            )
        )
    return tuple(rows)


def follow_up_summary(readings: Iterable[PainReading]) -> tuple[FollowUpDay, ...]:
    """Entries, mean and lowest score of each day of the follow-up week."""
    scores: dict[int, list[int]] = {day: [] for day in range(1, rules.FOLLOW_UP_DAYS + 1)}
    for reading in readings:
        if not reading.is_baseline and reading.follow_up_day in scores:
            scores[reading.follow_up_day].append(reading.score)
    return tuple(
        FollowUpDay(
            day=day,
            entries=len(values),
            mean=(
                str((Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP))
                if values
                else "—"
            ),
            lowest=min(values) if values else None,
        )
        for day, values in scores.items()
    )


def medication(injection: Injection) -> tuple[str, str]:
    anaesthetic = (
        f"{injection.get_anaesthetic_agent_display()} "
        f"{display.amount(injection.anaesthetic_concentration)} %, "
        f"{display.amount(injection.anaesthetic_volume_ml)} mL"
    )
    steroid = injection.get_steroid_agent_display()
    if injection.steroid_dose_mg is not None:
        steroid += f" {display.amount(injection.steroid_dose_mg)} mg"
    return anaesthetic, steroid


def gather_report(
    injection: Injection,
    *,
    generated_at: datetime | None = None,
    archival: bool = False,
    signature: Signature | None = None,
) -> ReportFacts:
    """Everything the report prints about `injection`, drawn from its InjectionRecord.

    An injection loaded through `report_queryset()` costs no query; any other is fetched
    again with it, whatever the number of readings. A signed injection prints its sign-off
    and the evaluation as signed (its stored settings), so a later change of the rule
    settings does not alter a signed report.
    """
    now = generated_at or timezone.now()
    record = build_record(injection, now=now)
    injection = record.injection
    if signature is None:
        signature = signature_of(record.signoff)
    patient = injection.patient
    performed_local = display.local(injection.performed_at)
    # An archival copy must be byte-identical when re-rendered, so it is stamped with
    # the record's last change instead of the clock.
    stamp = injection.updated_at if archival else now
    anaesthetic, steroid = medication(injection)
    return ReportFacts(
        report_id=f"SIR-{injection.pk}-{display.local(stamp):%Y%m%d%H%M%S}",
        generated=display.date_time(stamp),
        archival=archival,
        clinic_name=settings.CLINIC_NAME,
        clinic_address=settings.CLINIC_ADDRESS,
        time_zone=str(timezone.get_default_timezone()),
        injection_id=injection.pk,
        patient_name=f"{patient.family_name.upper()}, {patient.given_name}",
        mrn=patient.mrn,
        date_of_birth=display.day_text(patient.date_of_birth),
        age_at_injection=patient.age_on(performed_local.date()),
        sex=patient.get_sex_display() or "Not recorded",
        performed_at=display.date_time(injection.performed_at, weekday=True),
        performed_on=performed_local.date(),
        side=injection.get_side_display(),
        proceduralist=display.person(injection.proceduralist),
        guidance=injection.get_guidance_display(),
        contrast=injection.get_contrast_display(),
        anaesthetic=anaesthetic,
        steroid=steroid,
        sedation=injection.get_sedation_display(),
        analgesic=(
            f"{injection.analgesic}, {display.date_time(injection.analgesic_at)}"
            if injection.analgesic
            else "None recorded"
        ),
        notes=injection.notes,
        evaluation=record.evaluation,
        result=record.result,
        criteria=record.criteria,
        profile=record.profile,
        relief=record.relief,
        diary=record.diary,
        readings=reading_rows(record),
        follow_up=follow_up_summary(record.pain_readings),
        signature=signature,
        addenda=addenda_of(record.amendments),
        withdrawn=withdrawn_lines(record.withdrawn),
        coverage=record.coverage,
        purpose=injection.get_purpose_display(),
    )
