"""The patient's contact details and consent, the opt-out page, and the call list's view of
reminders."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assessments.models import Patient, Reminder
from assessments.reminders.messages import opt_out_token
from assessments.reminders.sending import run_round
from tests.reminder_fixtures import at
from tests.test_diary import CALLS_URL, days_ago

pytestmark = pytest.mark.django_db


def unsaved_patient(**fields):
    return Patient(
        mrn="M-1", family_name="A", given_name="B", date_of_birth=date(1970, 1, 1), **fields
    )


@pytest.mark.parametrize(
    ("typed", "region", "stored"),
    [
        ("+34 612 345 678", "", "+34612345678"),
        ("+44 (0)7911 123456", "", "+447911123456"),
        ("07911 123456", "GB", "+447911123456"),
        ("(201) 555-0123", "US", "+12015550123"),
        ("", "", ""),
    ],
)
def test_a_mobile_number_is_stored_as_e164(settings, typed, region, stored):
    settings.PHONE_REGION = region
    patient = unsaved_patient(mobile=typed)
    patient.full_clean()
    assert patient.mobile == stored


@pytest.mark.parametrize(
    ("typed", "region", "says"),
    [
        ("+44 20 7946 0958", "", "landline"),
        ("+34 12", "", "Enter a mobile number"),
        ("call me", "GB", "Enter a mobile number"),
        ("07911 123456", "", "PHONE_REGION"),
    ],
)
def test_a_bad_mobile_number_is_refused_on_its_field(settings, typed, region, says):
    settings.PHONE_REGION = region
    with pytest.raises(ValidationError) as refused:
        unsaved_patient(mobile=typed).full_clean()
    assert says in " ".join(refused.value.message_dict["mobile"])


def test_the_database_refuses_a_mobile_not_in_e164(make_patient):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        make_patient(mobile="07911 123456")


def patient_form(**fields):
    return {
        "mrn": "R-1",
        "family_name": "García",
        "given_name": "Lucía",
        "date_of_birth": "1966-04-23",
        "sex": "female",
        "phone": "",
        "email": "lucia@example.org",
        "mobile": "+34 612 345 678",
        "preferred_language": "es",
        "reminders": "on",
        "injections-TOTAL_FORMS": "0",
        "injections-INITIAL_FORMS": "0",
        "work_ups-TOTAL_FORMS": "0",
        "work_ups-INITIAL_FORMS": "0",
        **fields,
    }


def test_staff_record_consent_in_the_admin_with_who_and_when(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("admin:assessments_patient_add"), patient_form())
    assert response.status_code == 302
    patient = Patient.objects.get()
    assert (patient.mobile, patient.preferred_language) == ("+34612345678", "es")
    assert patient.reminder_consent_by == staff_user and patient.reminders_allowed
    page = client.get(reverse("admin:assessments_patient_change", args=[patient.pk]))
    assert "Agreed, recorded by nurse on" in page.content.decode()


def test_consent_needs_an_address(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:assessments_patient_add"), patient_form(email="", mobile="")
    )
    assert response.status_code == 200
    assert "Enter an email address or a mobile number first." in response.content.decode()
    assert not Patient.objects.exists()


@pytest.fixture
def sent(inbox, remindable, time_machine):
    """A reminder sent to Lucía (Spanish) at 11:05 on the injection day."""
    time_machine.move_to(at(3, 11, 5), tick=False)
    remindable([(15, 3), (30, 3), (45, 3), (60, 3)])
    run_round()
    return Reminder.objects.select_related("diary_link__injection__patient").get()


def test_opening_the_opt_out_link_changes_nothing(client, sent):
    url = reverse("reminders:opt_out", args=[opt_out_token(sent)])
    html = client.get(url).content.decode()
    assert "¿Dejar de recibir recordatorios del diario, Lucía?" in html
    assert Patient.objects.get().reminders_allowed


def test_one_tap_stops_reminders_without_login_or_csrf_and_says_so(sent, time_machine):
    client = Client(enforce_csrf_checks=True)
    url = reverse("reminders:opt_out", args=[opt_out_token(sent)])
    # A mail app's one-click unsubscribe (RFC 8058) posts just this.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 302
    patient = Patient.objects.get()
    assert not patient.reminders_allowed
    assert patient.history.first().history_change_reason.startswith("Opted out")
    html = client.get(url).content.decode()
    assert "Recordatorios desactivados, Lucía" in html
    assert "Clínica Sol no le enviará más recordatorios del diario." in html
    time_machine.move_to(at(3, 12, 5), tick=False)
    assert run_round().planned == 0


def test_the_opt_out_link_carries_no_patient_data_and_cannot_be_forged(client, sent):
    token = opt_out_token(sent)
    patient = sent.diary_link.injection.patient
    number, signature = token.split(":")
    assert number == str(sent.pk)
    for data in (patient.mrn, patient.given_name, patient.family_name, patient.email):
        assert data not in token
    forged = f"{sent.pk + 1}:{signature}"
    response = client.post(reverse("reminders:opt_out", args=[forged]))
    assert response.status_code == 404
    assert Patient.objects.get().reminders_allowed


def test_the_call_list_shows_who_was_reminded_and_who_has_no_contact(
    nurse_client, sent, make_injection, make_patient, time_machine
):
    time_machine.move_to(at(4, 11, 0), tick=False)
    make_injection([(-5, 8)], performed_at=days_ago(1), patient=make_patient(mrn="NC-1"))
    text = re.sub(r"<[^>]+>", "", nurse_client.get(CALLS_URL).content.decode())
    assert "Reminder sent 3 Mar 2026, 11:05 CET by email · reminders on" in text
    assert "No reminder sent · no email or mobile: no reminders" in text
    assert text.count("no email or mobile") == 1
