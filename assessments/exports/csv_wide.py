"""CSV, one row per injection: the procedure, the rule's reading of it and the sign-off."""

from collections.abc import Iterable, Iterator

from .. import display
from .cells import Cell, csv_chunks, yes_no
from .coverage_columns import Column
from .coverage_columns import columns as coverage_columns
from .rows import InjectionFacts, rounded_minutes, rounded_percent

HEADER = [
    "injection_id",
    "mrn",
    "performed_at",
    "side",
    "proceduralist",
    "guidance",
    "contrast",
    "sedation",
    "anaesthetic_agent",
    "anaesthetic_concentration_percent",
    "anaesthetic_volume_ml",
    "steroid_agent",
    "steroid_dose_mg",
    "analgesic",
    "analgesic_at",
    "readings",
    "baseline_score",
    "baseline_at",
    "baseline_context",
    "decisive_score",
    "decisive_at",
    "decisive_minutes_after_injection",
    "readings_counted",
    "percent_reduction",
    "at_threshold",
    "profile",
    "computed_outcome",
    "result",
    "provisional",
    "signed",
    "signed_outcome",
    "override",
    "override_reason",
    "signed_by",
    "signed_at",
    "confounders",
    "diary_hour_slots_filled",
    "diary_hour_slots",
    "diary_days_filled",
    "diary_days",
    "relief_status",
    "relief_began_minutes",
    "relief_last_meeting_minutes",
    "relief_first_failing_minutes",
    "relief_consistency",
    *(column.name for column in coverage_columns()),
    "notes",
]


def injection_row(facts: InjectionFacts) -> list[Cell]:
    injection, evaluation, result = facts.injection, facts.evaluation, facts.result
    baseline, decisive, signoff = facts.baseline, facts.decisive, facts.signoff
    relief = facts.relief
    return [
        injection.pk,
        facts.patient.mrn,
        display.iso_local(injection.performed_at),
        injection.side,
        display.person(injection.proceduralist),
        injection.guidance,
        injection.contrast,
        injection.sedation,
        injection.anaesthetic_agent,
        display.amount(injection.anaesthetic_concentration),
        display.amount(injection.anaesthetic_volume_ml),
        injection.steroid_agent,
        display.amount(injection.steroid_dose_mg),
        injection.analgesic,
        display.iso_local(injection.analgesic_at),
        len(facts.readings),
        evaluation.baseline,
        display.iso_local(baseline.reading.recorded_at) if baseline else "",
        evaluation.baseline_context,
        decisive.reading.score if decisive else None,
        display.iso_local(decisive.reading.recorded_at) if decisive else "",
        decisive.minutes_rounded if decisive else None,
        len(evaluation.counted),
        rounded_percent(result.percent_reduction),
        yes_no(result.at_threshold),
        facts.profile,
        result.computed.value,
        result.outcome.value,
        yes_no(result.provisional),
        yes_no(result.signed),
        signoff.signed_outcome if signoff else "",
        yes_no(result.is_override),
        signoff.override_reason if signoff else "",
        display.person(signoff.signed_by) if signoff else "",
        display.iso_local(signoff.signed_at) if signoff else "",
        "; ".join(facts.confounders),
        facts.diary.hours_filled,
        facts.diary.hours_total,
        facts.diary.days_filled,
        facts.diary.days_total,
        relief.status,
        rounded_minutes(relief.began),
        rounded_minutes(relief.last_meeting),
        rounded_minutes(relief.first_failing),
        relief.consistency or "",
        *(csv_value(column, facts) for column in coverage_columns()),
        injection.notes,
    ]


def csv_value(column: Column, facts: InjectionFacts) -> Cell:
    value = column.value(facts)
    return yes_no(value) if column.kind == "yesno" and value is not None else value


def chunks(all_facts: Iterable[InjectionFacts]) -> Iterator[bytes]:
    return csv_chunks(HEADER, ([injection_row(facts)] for facts in all_facts))
