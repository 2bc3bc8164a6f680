"""Writes of the reminders that are not sending: the patient's opt-out, consent by staff."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import Patient


@transaction.atomic
def stop_reminders(patient: Patient) -> Patient:
    """The patient opted out (the link in a reminder): no more reminders until staff record
    consent again. Kept in the patient's history."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.reminders_allowed:
        patient.reminders_stopped_at = timezone.now()
        patient._change_reason = "Opted out of reminders (link in a reminder)"
        patient.save(update_fields=["reminders_stopped_at", "updated_at"])
    return patient


def record_consent(patient: Patient, *, consents: bool, user: Any) -> None:
    """Set the consent fields on `patient` (saved by the caller): who recorded it, when.
    Consent recorded again after an opt-out starts the reminders again."""
    if consents and not patient.reminders_allowed:
        patient.reminder_consent_at = timezone.now()
        patient.reminder_consent_by = user
    elif not consents:
        patient.reminder_consent_at = None
        patient.reminder_consent_by = None
