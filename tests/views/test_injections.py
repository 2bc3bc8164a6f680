"""Registering an injection and the injection page (views/injections.py)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments import display
from assessments.models import Injection, PainReading, Patient
from tests.builders import local_input
from tests.views.pages import (
    BOARD_URL,
    NEW_URL,
    detail_url,
    field_errors,
)


def test_new_injection_creates_the_patient_injection_and_baseline(nurse_client, new_injection_body):
    response = nurse_client.post(NEW_URL, new_injection_body())

    assert response.status_code == 302 and response.url == BOARD_URL
    patient = Patient.objects.get(mrn="NEW-777")
    assert (patient.given_name, patient.date_of_birth) == ("Aiko", date(1961, 7, 4))
    injection = patient.injections.get()
    assert injection.side == "right" and injection.created_by.username == "ward-nurse"
    assert injection.baseline_score == 7
    baseline = injection.readings.get()
    assert baseline.is_baseline and baseline.context == "provoked"
    assert "Waiting" in nurse_client.get(BOARD_URL).content.decode()


def test_new_injection_uses_the_patient_on_file_for_a_known_mrn(
    nurse_client, new_injection_body, make_patient
):
    patient = make_patient(mrn="KNOWN-1", family_name="Okafor", given_name="Ada")
    body = new_injection_body(mrn="KNOWN-1", family_name="", given_name="", date_of_birth="")

    response = nurse_client.post(NEW_URL, body)

    assert response.status_code == 302
    assert patient.injections.count() == 1
    assert Patient.objects.count() == 1


def test_new_injection_finds_the_patient_whatever_the_mrn_case_and_spaces(
    nurse_client, new_injection_body, make_patient
):
    patient = make_patient(mrn="UX-001", family_name="Okafor", given_name="Ada")
    body = new_injection_body(
        mrn="  ux-001 ", family_name="okafor", given_name="", date_of_birth=""
    )

    response = nurse_client.post(NEW_URL, body)

    assert response.status_code == 302, response.context["form"].errors
    assert patient.injections.count() == 1
    assert Patient.objects.count() == 1


def test_new_injection_needs_names_to_create_a_patient(nurse_client, new_injection_body):
    body = new_injection_body(family_name="", given_name="", date_of_birth="")
    response = nurse_client.post(NEW_URL, body)
    assert response.status_code == 200
    for field in ["family_name", "given_name", "date_of_birth"]:
        assert "is not on file" in field_errors(response, "form", field)[0]
    assert not Patient.objects.exists() and not Injection.objects.exists()


def test_new_injection_refuses_details_that_contradict_the_record_on_file(
    nurse_client, new_injection_body, make_patient
):
    make_patient(mrn="KNOWN-2", date_of_birth=date(1950, 1, 1))
    response = nurse_client.post(NEW_URL, new_injection_body(mrn="KNOWN-2"))
    assert "different date of birth" in field_errors(response, "form", "date_of_birth")[0]
    assert not Injection.objects.exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"baseline_score": "11"}, "baseline_score", "Choose a whole number"),
        ({"baseline_score": ""}, "baseline_score", "Choose a score"),
        ({"side": "both"}, "side", "Select a valid choice"),
        ({"anaesthetic_concentration": "abc"}, "anaesthetic_concentration", "Enter a number"),
        ({"steroid_agent": "triamcinolone"}, "steroid_dose_mg", "Enter the corticosteroid dose"),
        ({"future_injection": 1}, "performed_at", "cannot be in the future"),
        ({"baseline_after": 1}, "baseline_at", "before the injection time"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "cannot be in the future"),
    ],
)
def test_new_injection_bad_input_shows_the_error_on_the_field_and_saves_nothing(
    nurse_client, new_injection_body, overrides, field, message
):
    now = timezone.now()
    if overrides.pop("future_injection", None):
        overrides["performed_at"] = local_input(now + timedelta(hours=1))
    if overrides.pop("baseline_after", None):
        overrides["baseline_at"] = local_input(now - timedelta(minutes=1))

    response = nurse_client.post(NEW_URL, new_injection_body(**overrides))

    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, "form", field))
    assert not Patient.objects.exists()
    assert not Injection.objects.exists() and not PainReading.objects.exists()


def test_injection_page_shows_timeline_evaluation_and_links(nurse_client, make_injection):
    injection = make_injection(
        [(-5, 8), (22, 2), (25, 1, "rest"), (27, 2), (60, 4)], minutes_ago=3 * 24 * 60
    )
    response = nurse_client.get(detail_url(injection))
    html = response.content.decode()
    # Sustained: the earliest of the two highest provoked readings decides; the rest one
    # in the window is listed but not counted.
    assert response.context["decisive"].score == 2
    assert response.context["decisive"] == injection.readings.order_by("recorded_at")[1]
    assert html.count("Decisive</span>") == 1
    assert html.count("Counted</span>") == 1 and "Not counted</span>" in html
    assert "Taken at rest, unlike the baseline" in html
    assert "Baseline" in html and "25 min after" in html
    assert "Exactly 75\u00a0%" in html
    assert reverse("admin:assessments_injection_change", args=[injection.pk]) in html
    assert reverse("assessments:injection_report", args=[injection.pk]) in html
    assert timezone.localtime(injection.performed_at).strftime("%H:%M %Z") in html
    for reason in injection.evaluate().reasons:
        assert escape(display.keep_together(reason)) in html


def test_injection_page_shows_the_criteria_matrix(nurse_client, make_injection):
    injection = make_injection([(-5, 8), (25, 2)], minutes_ago=3 * 24 * 60)
    html = nurse_client.get(detail_url(injection)).content.decode()
    for line in [
        "LEAFLET@3, reduction: no — reading at 25 min, 2/10, is 75.0 % (needs > 75 %)",
        "CMS-LCD-2023@2, reduction: yes — reading at 25 min, 2/10, is 75.0 %; duration of "
        "relief and coverage criteria are not part of this row",
        "Relief criteria: the 20–30 minute reduction under each published rule",
    ]:
        assert escape(display.keep_together(line)) in html


def test_injection_page_shows_a_pending_window_as_pending(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=10)
    html = nurse_client.get(detail_url(injection)).content.decode()
    assert 'data-outcome="pending"' in html and "Non-diagnostic" not in html


def test_a_clinician_is_offered_sign_off_once_the_result_is_final(
    client, make_role_user, make_injection
):
    closed = make_injection([(-5, 8), (25, 1)], minutes_ago=45)
    open_window = make_injection([(-5, 8), (22, 1)], minutes_ago=25)
    sign_url = reverse("assessments:sign_off", args=[closed.pk])
    client.force_login(make_role_user("Clinician"))
    assert sign_url in client.get(detail_url(closed)).content.decode()
    page = client.get(detail_url(open_window)).content.decode()
    assert reverse("assessments:sign_off", args=[open_window.pk]) not in page
    assert f"Sign-off from {display.clock(open_window.window_closes_at)}" in page
    client.force_login(make_role_user("Nurse"))
    assert sign_url not in client.get(detail_url(closed)).content.decode()
