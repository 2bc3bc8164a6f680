"""Writes that span models, each in one transaction."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import display, rules
from .coverage_facts import coverages_for
from .models import CoverageStatus, Injection, PainReading, Patient, WorkUp, evaluated_rule
from .models.limits import change_reason


def live(readings: Iterable[Any]) -> list[Any]:
    """The readings that stand (a withdrawn one is shown struck through, never evaluated)."""
    return [reading for reading in readings if getattr(reading, "withdrawn_at", None) is None]


def follow_up_fields(
    injection: Injection, readings: list[Any], evaluation: rules.Evaluation
) -> dict[str, Any]:
    """The stored columns the follow-up week feeds: duration of relief, diary completeness.
    They may change after a sign-off while the week is open (triggers.FOLLOW_UP_COLUMNS).
    `evaluation`: the primary profile's, of the same readings (relief starts from its
    baseline)."""
    ended = injection.relief(readings, evaluation).ended_between
    slots = injection.diary(readings)
    return {
        "relief_last_met": math.floor(ended[0]) if ended else None,
        "relief_first_failed": math.ceil(ended[1]) if ended else None,
        "diary_slots_filled": sum(slot.filled for slot in slots),
        "diary_slots": len(slots),
    }


def evaluated(injection: Injection, readings: Iterable[Any]) -> tuple[dict[str, Any], Any]:
    """The stored columns of an injection's evaluation, as if its window had closed, and that
    evaluation (the rule runs once).

    `awaits_window_reading` says whether, while the window is open, it is pending instead;
    models/result.py decides that with the clock, so nothing stored goes stale.
    """
    readings = live(readings)
    closed = injection.evaluate(readings, window_closed=True)
    percent = closed.percent_reduction
    fields = {
        "outcome": closed.outcome.value,
        "awaits_window_reading": rules.awaits_window(closed, settings.SI_CONFOUNDER_POLICY),
        "percent_reduction": None if percent is None else rules.round_percent(percent),
        "at_threshold": closed.at_threshold,
        "baseline_score": closed.baseline,
        "decisive_score": closed.decisive_score,
        "evaluated_rule": evaluated_rule(),
        "non_diagnostic_cause": closed.reasons.cause
        if closed.outcome is rules.Outcome.NON_DIAGNOSTIC
        else "",
        **follow_up_fields(injection, readings, closed),
    }
    return fields, closed


def evaluation_fields(injection: Injection, readings: Iterable[Any]) -> dict[str, Any]:
    """The stored columns of an injection's evaluation (see `evaluated`)."""
    return evaluated(injection, readings)[0]


@dataclass(frozen=True)
class Refreshed:
    """An injection's readings that stand, in time order, and the primary profile's
    evaluation of them as if the window had closed (which readings count does not depend on
    the clock; the result in force comes from the stored columns, models/result.py)."""

    readings: list[PainReading]
    evaluation: rules.Evaluation

    def not_counted_why(self, reading: PainReading) -> str:
        index = next((i for i, other in enumerate(self.readings) if other.pk == reading.pk), None)
        if index is None:
            return ""
        return reading.not_counted_reason(
            counted=index in self.evaluation.counted,
            baseline_context=self.evaluation.baseline_context,
        )


@transaction.atomic
def refresh_evaluation(injection_id: int) -> Refreshed | None:
    """Recompute and store an injection's evaluation from its readings that stand, and
    return what it read (None when nothing was refreshed: a signed record after its
    follow-up week).

    The row lock serialises concurrent writers on the same injection, so the last
    one to commit always evaluates every reading the others saved. A signed injection
    keeps the result it was signed with; while its follow-up week is open, the duration of
    relief and the diary's completeness follow the week's readings.
    """
    injection = Injection.objects.select_for_update().get(pk=injection_id)
    readings = list(
        PainReading.objects.live().filter(injection_id=injection_id).order_by("recorded_at", "pk")
    )
    if not injection.is_locked:
        fields, closed = evaluated(injection, readings)
    elif injection.follow_up_open():
        closed = injection.evaluate(readings, window_closed=True)
        fields = follow_up_fields(injection, readings, closed)
    else:
        closed = None
        fields = {}
    if fields:
        Injection.objects.filter(pk=injection_id).update(**fields)
    refresh_coverage(
        Injection.objects.filter(
            patient_id=injection.patient_id, performed_at__gte=injection.performed_at
        )
    )
    return Refreshed(readings, closed) if closed is not None else None


def refresh_coverage(injections: Iterable[Injection]) -> None:
    """Store the checklists' status of each injection (a later block's priors include the
    earlier ones, so a change refreshes the patient's blocks from it on)."""
    policies = ",".join(settings.SI_COVERAGE_POLICIES)
    for injection_id, found in coverages_for(injections).items():
        CoverageStatus.objects.update_or_create(
            injection_id=injection_id, defaults={"status": found.status, "policies": policies}
        )


@dataclass(frozen=True)
class SavedReading:
    """A reading just saved, its injection as now stored, and what the rule read."""

    reading: PainReading
    injection: Injection
    refreshed: Refreshed | None

    @property
    def not_counted_why(self) -> str:
        return self.refreshed.not_counted_why(self.reading) if self.refreshed else ""

    @property
    def evaluation(self) -> rules.Evaluation | None:
        return self.refreshed.evaluation if self.refreshed else None


STAYS_BEFORE = (
    "A baseline stays before the injection ({time}): to record a reading after it, withdraw "
    "this one and use Enter score."
)
STAYS_AFTER = "This reading stays after the injection ({time}): record a baseline as a baseline."
KEPT_MESSAGE = "A withdrawn reading is kept as it was: it cannot be changed or withdrawn again."


def ensure_writable(injection: Injection, reading: PainReading) -> None:
    """Refuse a write the sign-off locks, or to a withdrawn reading, in words staff can act on.
    The database's triggers refuse the same writes whatever the path."""
    stored = None
    if reading.pk is not None:
        values = PainReading.objects.filter(pk=reading.pk).values("recorded_at", "withdrawn_at")
        stored = values.first()
        if stored and stored["withdrawn_at"] is not None:
            raise ValidationError(KEPT_MESSAGE, code="withdrawn")
    injection.ensure_reading_editable(
        reading.recorded_at, stored["recorded_at"] if stored else None
    )


@transaction.atomic
def save_reading(reading: PainReading) -> SavedReading:
    """Validate and save one reading (new or changed), then refresh the evaluation; returns
    what a page says about it (the rule runs once).

    Every write of a reading comes here: the bedside pages and the admin alike. The
    injection's row lock is taken first, so concurrent writers wait for each other.
    """
    injection = Injection.objects.select_for_update().get(pk=reading.injection_id)
    ensure_writable(injection, reading)
    reading.full_clean()
    reading.save()
    return saved(reading)


def saved(reading: PainReading) -> SavedReading:
    refreshed = refresh_evaluation(reading.injection_id)
    injection = Injection.objects.select_related("patient").get(pk=reading.injection_id)
    return SavedReading(reading, injection, refreshed)


def add_reading(injection: Injection, *, entered_by: Any, **fields: Any) -> SavedReading:
    """Save a new reading of `injection`."""
    return save_reading(PainReading(injection=injection, entered_by=entered_by, **fields))


@transaction.atomic
def delete_reading(reading: PainReading) -> None:
    """Delete one reading (superusers only, in the admin), then refresh the evaluation.
    A withdrawn reading and its correction are kept: they are the record's trail."""
    Injection.objects.select_for_update().get(pk=reading.injection_id).ensure_editable()
    if reading.withdrawn_at is not None or reading.replaces_id is not None:
        raise ValidationError(
            "A withdrawn or corrected reading is kept on the record; withdraw it instead.",
            code="withdrawn",
        )
    reading.delete()
    refresh_evaluation(reading.injection_id)


def withdrawal(reading: PainReading, user: Any, reason: str) -> PainReading:
    """`reading`, marked withdrawn by `user` for `reason` (saved by the caller)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the reading is withdrawn or corrected."})
    reading.withdrawn_at = timezone.now()
    reading.withdrawn_by = user
    reading.withdrawn_reason = reason
    reading._change_reason = change_reason(f"Withdrawn: {reason}")
    return reading


@transaction.atomic
def withdraw_reading(reading: PainReading, *, user: Any, reason: str) -> PainReading:
    """Withdraw a reading with a reason: it stays on the record, struck through, and the
    result is recomputed without it."""
    injection = Injection.objects.select_for_update().get(pk=reading.injection_id)
    ensure_writable(injection, reading)
    withdrawal(reading, user, reason)
    reading.full_clean()
    reading.save()
    refresh_evaluation(reading.injection_id)
    return reading


@transaction.atomic
def correct_reading(reading: PainReading, *, user: Any, reason: str, **fields: Any) -> SavedReading:
    """Withdraw `reading` with a reason and record its correction (`fields`: score,
    recorded_at, context) as a new reading that replaces it. A baseline stays a baseline
    and a reading after the injection stays after it. Returns the correction."""
    injection = Injection.objects.select_for_update().get(pk=reading.injection_id)
    ensure_writable(injection, reading)
    withdrawal(reading, user, reason)
    correction = PainReading(
        injection=injection,
        replaces=reading,
        entered_by=user,
        source=reading.source,
        diary_link=reading.diary_link,
        note=reading.note,
        medication=reading.medication,
        medication_at=reading.medication_at,
        **fields,
    )
    new_time = correction.recorded_at
    if new_time is not None:
        was_baseline = reading.recorded_at < injection.performed_at
        if was_baseline != (new_time < injection.performed_at):
            template = STAYS_BEFORE if was_baseline else STAYS_AFTER
            raise ValidationError(
                {"recorded_at": template.format(time=display.clock(injection.performed_at))}
            )
    injection.ensure_reading_editable(new_time)
    reading.full_clean()
    reading.save()
    correction._change_reason = change_reason(
        f"Correction of reading #{reading.pk}: {reading.withdrawn_reason}"
    )
    correction.full_clean()
    correction.save()
    return saved(correction)


def stale_injections() -> "QuerySet[Injection, int]":
    """Unsigned injections evaluated with another profile or policy than the clinic's now."""
    return (
        Injection.objects.filter(locked_at__isnull=True)
        .exclude(evaluated_rule=evaluated_rule())
        .values_list("pk", flat=True)
    )


# The baseline reading's errors are reported under register_injection's own argument names.
BASELINE_ERROR_FIELDS = {
    "recorded_at": "baseline_at",
    "score": "baseline_score",
    "context": "baseline_context",
}
NEW_PATIENT_REQUIRED = {
    "family_name": "family name",
    "given_name": "given name",
    "date_of_birth": "date of birth",
}


def _patient_for_registration(
    mrn: str, details: dict[str, Any], errors: dict[str, list[str]]
) -> Patient:
    """The patient with this MRN, or a new unsaved one built from `details`.

    Details typed for a known MRN must match the record: a mismatch usually means a
    mistyped MRN, and the reading would land on someone else's chart.
    """
    details = {name: value for name, value in details.items() if value not in (None, "")}
    patient = Patient.objects.filter(mrn__iexact=mrn).first()
    if patient is not None:
        # Phones change: a different one is not a sign of the wrong chart (edit it there).
        details.pop("phone", None)
        for name, value in details.items():
            stored = getattr(patient, name)
            if stored in (None, ""):
                continue  # Nothing on file to contradict; the record is not changed here.
            same = (
                stored.casefold() == value.casefold() if isinstance(value, str) else stored == value
            )
            if not same:
                errors.setdefault(name, []).append(
                    f"MRN {mrn} is on file with a different {name.replace('_', ' ')}; "
                    "check the MRN, or leave this empty to use the record on file."
                )
        return patient
    patient = Patient(mrn=mrn, **details)
    for name, words in NEW_PATIENT_REQUIRED.items():
        if name not in details:
            errors.setdefault(name, []).append(
                f"MRN {mrn} is not on file: enter the {words} to create the patient, "
                "or check the MRN (Find a patient searches by name)."
            )
    try:
        patient.full_clean(exclude=[name for name in NEW_PATIENT_REQUIRED if name not in details])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    return patient


def latest_diagnostic(injection: Injection) -> Injection | None:
    """The patient's latest diagnostic block on the injection's side before it."""
    if injection.patient.pk is None or injection.performed_at is None:
        return None
    return (
        Injection.objects.filter(
            patient_id=injection.patient.pk,
            side=injection.side,
            purpose=Injection.Purpose.DIAGNOSTIC,
            performed_at__lt=injection.performed_at,
        )
        .order_by("-performed_at")
        .first()
    )


@transaction.atomic
def _registration(
    *,
    mrn: str,
    patient_details: dict[str, Any],
    injection_fields: dict[str, Any],
    baseline_score: int | None,
    baseline_at: datetime | None,
    baseline_context: str | None,
    created_by: Any,
    confirms_latest: bool = False,
) -> tuple[Patient, Injection, PainReading, dict[str, list[str]]]:
    """The unsaved rows of a registration and every error they have, keyed by form field."""
    errors: dict[str, list[str]] = {}
    mrn = (mrn or "").strip()
    patient = _patient_for_registration(mrn, patient_details, errors)
    injection = Injection(patient=patient, created_by=created_by, **injection_fields)
    if confirms_latest:
        injection.confirms = latest_diagnostic(injection)
        if injection.confirms is None:
            errors["confirms_latest"] = [
                "No earlier diagnostic block of this patient on this side to confirm."
            ]
    try:
        injection.full_clean(exclude=["patient"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    # What was typed, None where it was wrong: full_clean() names each problem.
    baseline = PainReading(  # type: ignore[misc]
        recorded_at=baseline_at,
        score=baseline_score,
        context=baseline_context,
        source=PainReading.Source.STAFF,
        entered_by=created_by,
    )
    try:
        baseline.check_against(injection)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(BASELINE_ERROR_FIELDS.get(name, NON_FIELD_ERRORS), []).extend(
                messages
            )
    performed_at = injection.performed_at
    if baseline_at and performed_at and baseline_at >= performed_at:
        errors.setdefault("baseline_at", []).append(
            "The baseline is taken before the injection time."
        )
    return patient, injection, baseline, errors


def registration_errors(**registration: Any) -> dict[str, list[str]]:
    """What register_injection would refuse, without saving: the bedside form asks this
    even when some fields are already wrong, so every error shows in one round trip."""
    return _registration(**registration)[3]


def register_injection(
    *,
    mrn: str,
    patient_details: dict[str, Any],
    injection_fields: dict[str, Any],
    baseline_score: int,
    baseline_at: datetime,
    baseline_context: str,
    created_by: Any,
    confirms_latest: bool = False,
) -> Injection:
    """Save an injection and its baseline reading, finding or creating the patient by MRN.

    Every row is full_clean()ed before anything is written, and all errors come back
    together in one ValidationError keyed by field (baseline ones as baseline_*), so
    nothing is saved unless everything is valid.
    """
    patient, injection, baseline, errors = _registration(
        mrn=mrn,
        patient_details=patient_details,
        injection_fields=injection_fields,
        baseline_score=baseline_score,
        baseline_at=baseline_at,
        baseline_context=baseline_context,
        created_by=created_by,
        confirms_latest=confirms_latest,
    )
    if errors:
        raise ValidationError(errors)
    if patient.pk is None:
        patient.save()
    injection.patient = patient
    injection.save()
    baseline.injection = injection
    baseline.save()
    refresh_evaluation(injection.pk)
    return injection


def update_reading(reading: PainReading, **fields: Any) -> SavedReading:
    """Save changes to one reading."""
    for name, value in fields.items():
        setattr(reading, name, value)
    return save_reading(reading)


@transaction.atomic
def save_work_up(work_up: WorkUp, *, examined_by: Any = None) -> WorkUp:
    """Save a work-up once it is valid; one that a signed block uses is refused with a
    message (the database refuses it too, triggers.py)."""
    if work_up.pk is not None:
        WorkUp.objects.select_for_update().filter(pk=work_up.pk).first()
        work_up.ensure_editable()
    work_up.full_clean()
    if work_up.pk is None and examined_by is not None:
        work_up.examined_by = examined_by
    work_up.save()
    refresh_coverage(
        Injection.objects.filter(patient=work_up.patient, side=work_up.side).order_by(
            "performed_at"
        )
    )
    return work_up
