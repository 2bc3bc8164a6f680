"""Every write a role could try (bedside and admin), and who may make it (the write matrix)."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    Amendment,
    DiaryLink,
    EnrolmentCode,
    FollowUpCall,
    Injection,
    PainReading,
    Patient,
    SignOff,
    WorkUp,
)
from tests import builders
from tests.access.world import (
    LOGIN,
    admin_injection_body,
    admin_patient_body,
    local_text,
    outcome,
)


def history_count(model, pk):
    return lambda: model.history.filter(id=pk).count()


def sign_off_draft(records):
    draft = records["draft"]
    url = reverse("admin:assessments_injection_sign", args=[draft.pk])
    return url, {"outcome": draft.evaluate().outcome.value, "reason": ""}, SignOff.objects.count


def amend_signed(records):
    url = reverse("admin:assessments_injection_amend", args=[records["signed"].pk])
    return url, {"reason": "Score typed into the wrong row."}, Amendment.objects.count


def bedside_quick_reading(records):
    url = reverse("assessments:quick_reading", args=[records["draft"].pk])
    body = {"score": "3", "recorded_at": local_text(timezone.now()), "context": "rest"}
    return url, body, PainReading.objects.count


def bedside_baseline(records):
    url = reverse("assessments:baseline_reading", args=[records["draft"].pk])
    moment = records["draft"].performed_at - timedelta(minutes=20)
    body = {"score": "7", "recorded_at": local_text(moment), "context": "provoked"}
    return url, body, PainReading.objects.count


def bedside_correct_reading(records):
    draft = records["draft"]
    reading = draft.readings.get(recorded_at__gt=draft.performed_at)
    url = reverse("assessments:correct_reading", args=[draft.pk, reading.pk])
    body = {"action": "withdraw", "reason": "Typed into the wrong record."}
    return url, body, PainReading.objects.filter(withdrawn_at__isnull=False).count


def bedside_sign_off(records):
    draft = records["draft"]
    url = reverse("assessments:sign_off", args=[draft.pk])
    return url, {"outcome": draft.evaluate().outcome.value, "reason": ""}, SignOff.objects.count


def bedside_new_injection(records):
    body = builders.new_injection_body(records["proceduralist"], mrn="NEW-0001")
    return reverse("assessments:new_injection"), body, Injection.objects.count


def bedside_work_up(records):
    url = reverse("assessments:work_up", args=[records["patient"].pk])
    body = {"side": "right", "examined_on": timezone.localdate().isoformat(), "usual_pain": "6"}
    return url, body, WorkUp.objects.count


def bedside_follow_up_entry(records):
    url = reverse("assessments:follow_up_week", args=[records["draft"].pk])
    body = {"target": "d1", "d1-recorded_at": "10:00", "d1-score": "4"}
    body.update({"d1-context": "rest", "d1-source": "patient"})
    return url, body, PainReading.objects.count


def bedside_diary_link(records):
    url = reverse("assessments:diary_link", args=[records["draft"].pk])
    return url, {}, DiaryLink.objects.count


def bedside_follow_up_call(records):
    body = {"injection": records["draft"].pk, "score": "", "note": "voicemail"}
    return reverse("assessments:call_list"), body, FollowUpCall.objects.count


def admin_add_patient(records):
    return (
        reverse("admin:assessments_patient_add"),
        admin_patient_body("NEW-0002"),
        (Patient.objects.count),
    )


def admin_add_injection(records):
    body = admin_injection_body(
        records["patient"], records["proceduralist"], timezone.now() - timedelta(hours=1)
    )
    return reverse("admin:assessments_injection_add"), body, Injection.objects.count


def admin_change_patient(records):
    patient = records["patient"]
    url = reverse("admin:assessments_patient_change", args=[patient.pk])
    return url, admin_patient_body(patient.mrn), history_count(Patient, patient.pk)


def admin_change_draft_injection(records):
    draft = records["draft"]
    url = reverse("admin:assessments_injection_change", args=[draft.pk])
    body = admin_injection_body(records["patient"], records["proceduralist"], draft.performed_at)
    return url, body, history_count(Injection, draft.pk)


def admin_change_signed_injection(records):
    signed = records["signed"]
    url = reverse("admin:assessments_injection_change", args=[signed.pk])
    body = admin_injection_body(records["patient"], records["proceduralist"], signed.performed_at)
    return url, body, history_count(Injection, signed.pk)


def admin_issue_enrolment_code(records):
    url = reverse("admin:assessments_enrolmentcode_add")
    return url, {"user": records["proceduralist"].pk}, EnrolmentCode.objects.count


def admin_delete_draft_injection(records):
    url = reverse("admin:assessments_injection_delete", args=[records["empty_draft"].pk])
    return url, {"post": "yes"}, Injection.objects.count


def admin_delete_patient(records):
    url = reverse("admin:assessments_patient_delete", args=[records["lonely_patient"].pk])
    return url, {"post": "yes"}, Patient.objects.count


def admin_revert_patient(records):
    patient = records["patient"]
    first = patient.history.earliest().history_id
    url = reverse("admin:assessments_patient_simple_history", args=[patient.pk, first])
    return url, admin_patient_body(patient.mrn), history_count(Patient, patient.pk)


def admin_revert_signed_injection(records):
    signed = records["signed"]
    first = signed.history.earliest().history_id
    url = reverse("admin:assessments_injection_simple_history", args=[signed.pk, first])
    body = admin_injection_body(records["patient"], records["proceduralist"], signed.performed_at)
    return url, body, history_count(Injection, signed.pk)


# SAVED: the write went through (a redirect, and the row counted by the case changed).
# Anything else: that status, and nothing written.
SAVED = "saved"


WRITE_MATRIX = {
    # write:                        (anonymous, outsider, nurse, clinician, auditor, superuser)
    sign_off_draft: (LOGIN, LOGIN, 403, SAVED, 403, SAVED),
    amend_signed: (LOGIN, LOGIN, 403, SAVED, 403, SAVED),
    bedside_quick_reading: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_baseline: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_correct_reading: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_sign_off: (LOGIN, 403, 403, SAVED, 403, SAVED),
    bedside_new_injection: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_work_up: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_follow_up_entry: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_diary_link: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_follow_up_call: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    admin_add_patient: (LOGIN, LOGIN, SAVED, SAVED, 403, SAVED),
    admin_add_injection: (LOGIN, LOGIN, SAVED, SAVED, 403, SAVED),
    admin_change_patient: (LOGIN, LOGIN, SAVED, SAVED, 403, SAVED),
    admin_change_draft_injection: (LOGIN, LOGIN, SAVED, SAVED, 403, SAVED),
    admin_change_signed_injection: (LOGIN, LOGIN, 403, 403, 403, 403),
    admin_delete_draft_injection: (LOGIN, LOGIN, 403, 403, 403, SAVED),
    # The code is shown once on the page that answers the POST, so no redirect.
    admin_issue_enrolment_code: (LOGIN, LOGIN, 403, 403, 403, "200, written"),
    admin_delete_patient: (LOGIN, LOGIN, 403, 403, 403, SAVED),
    # SIMPLE_HISTORY_REVERT_DISABLED is set: the history version pages are for reading only.
    admin_revert_patient: (LOGIN, LOGIN, 403, 403, 403, 403),
    admin_revert_signed_injection: (LOGIN, LOGIN, 403, 403, 403, 403),
}


def post_as(role_client, role, write, records):
    """POST one write as one role; the database is rolled back afterwards."""
    url, data, effect = write(records)
    with transaction.atomic():
        before = effect()
        response = role_client(role).post(url, data)
        written = effect() != before
        transaction.set_rollback(True)
    status = outcome(response)
    if written and response.status_code == 302 and status != LOGIN:
        return SAVED
    return f"{status}, written" if written else status
