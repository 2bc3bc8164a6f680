"""Every write path leaves a history row naming who did it."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments import services, signing
from assessments.audit import audit_trail
from assessments.models import Injection, PainReading, Patient
from tests.builders import injection_post


def test_admin_add_records_history_for_the_injection_and_each_inline_reading(
    client, staff_user, make_patient
):
    client.force_login(staff_user)
    body = injection_post(
        make_patient(),
        staff_user,
        timezone.now() - timedelta(hours=1),
        readings=[{"minutes_after": "-5", "score": "7"}, {"minutes_after": "25", "score": "1"}],
    )
    assert client.post(reverse("admin:assessments_injection_add"), body).status_code == 302
    injection = Injection.objects.get()
    assert [h.history_user for h in injection.history.all()] == [staff_user]
    rows = PainReading.history.filter(injection_id=injection.pk)
    assert rows.count() == 2
    assert {row.history_user for row in rows} == {staff_user}


def test_admin_patient_edit_records_old_and_new_values(client, staff_user, make_patient):
    patient = make_patient(family_name="Smith")
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:assessments_patient_change", args=[patient.pk]),
        {
            "mrn": patient.mrn,
            "family_name": "Smyth",
            "given_name": patient.given_name,
            "date_of_birth": "1970-01-01",
            "sex": "",
            "injections-TOTAL_FORMS": "0",
            "injections-INITIAL_FORMS": "0",
            "work_ups-TOTAL_FORMS": "0",
            "work_ups-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    latest = patient.history.latest()
    change = latest.diff_against(latest.prev_record).changes[0]
    assert (change.field, change.old, change.new) == ("family_name", "Smith", "Smyth")
    assert latest.history_user == staff_user


def test_service_reading_records_history(make_injection, staff_user):
    injection = make_injection([(-5, 7)], minutes_ago=60)
    reading = services.add_reading(
        injection,
        entered_by=staff_user,
        recorded_at=injection.performed_at + timedelta(minutes=25),
        score=2,
    ).reading
    assert reading.history.count() == 1


def test_sign_off_and_amendment_record_history_with_reasons(make_injection, make_role_user):
    clinician = make_role_user("Clinician")
    injection = make_injection([(-5, 8), (25, 1)])
    signing.sign_off(injection.pk, clinician)
    signing.open_amendment(injection.pk, clinician, "Late diary")
    reasons = list(
        Injection.history.filter(id=injection.pk).values_list("history_change_reason", flat=True)
    )
    assert "Signed off (version 1)" in reasons
    assert "Amendment opened: Late diary" in reasons


def test_seed_demo_records_history_including_the_bulk_path(db):
    call_command("seed_demo", "--patients", "30", stdout=StringIO())
    assert Patient.history.count() == Patient.objects.count() == 53
    assert PainReading.history.count() == PainReading.objects.count()


def test_seed_demo_skips_bulk_history_only_when_asked(db):
    call_command("seed_demo", "--patients", "30", "--skip-history", stdout=StringIO())
    assert Patient.history.filter(mrn__startswith="SYN-").count() == 0
    assert Patient.history.filter(mrn__startswith="DEMO-").count() == 23


def test_audit_trail_lists_injection_and_reading_changes_readably(
    client, staff_user, make_injection
):
    injection = make_injection([(-5, 8), (25, 1)])
    reading = injection.readings.order_by("recorded_at").last()
    reading.score = 3
    reading.save()
    entries = audit_trail(injection.pk)
    changed = [e for e in entries if e.action == "Changed"]
    assert changed[0].record == f"Reading #{reading.pk}"
    assert changed[0].changes == (("score", "1", "3"),)
    client.force_login(staff_user)
    page = client.get(reverse("admin:assessments_injection_history", args=[injection.pk]))
    assert "score: 1 → 3" in page.content.decode()
    assert f"Injection #{injection.pk}" in page.content.decode()


def test_audit_trail_shows_what_a_deleted_reading_held(client, staff_user, make_injection):
    injection = make_injection([(-5, 8), (25, 1)])
    reading = injection.readings.order_by("recorded_at").last()
    services.delete_reading(reading)
    deleted = [e for e in audit_trail(injection.pk) if e.action == "Deleted"]
    assert len(deleted) == 1
    assert ("score", "1", "") in deleted[0].changes
    client.force_login(staff_user)
    page = client.get(reverse("admin:assessments_injection_history", args=[injection.pk]))
    assert "score was 1" in page.content.decode()


def test_audit_trail_leaves_out_saves_that_changed_nothing_shown(make_injection):
    injection = make_injection([(-5, 8), (25, 1)])
    before = len(audit_trail(injection.pk))
    Injection.objects.get(pk=injection.pk).save()  # Nothing changed.
    assert len(audit_trail(injection.pk)) == before


def test_audit_trail_names_the_patient_by_mrn(make_injection, make_patient):
    injection = make_injection([(-5, 8)], patient=make_patient(mrn="TRAIL-1"))
    created = [e for e in audit_trail(injection.pk) if e.record == f"Injection #{injection.pk}"]
    assert ("patient", "", "MRN TRAIL-1") in created[0].changes
