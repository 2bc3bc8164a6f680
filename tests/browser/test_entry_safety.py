"""Issue 18 in a real browser: a mistyped time, the sign-off from the injection page, and the
patient's week after it, as a nurse, a clinician and a patient would meet them."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from assessments import display
from assessments.models import DiaryLink, SignOff
from tests.browser.pages import DESKTOP, PHONE, log_in, shot, sideways_overflow
from tests.builders import local_input

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_a_nurse_cannot_turn_a_mistyped_time_into_a_baseline(
    page_for, live_server, nurse, make_injection, make_patient
):
    """Item 1: 3/10 at 03:31 for a 03:35 injection (meaning 03:51) became the baseline."""
    injection = make_injection([(-10, 7)], minutes_ago=45, patient=make_patient(mrn="ES-1"))
    page = page_for(*PHONE, mobile=True)
    log_in(page, live_server, nurse, f"/injections/{injection.pk}/reading/")

    page.locator("label[for=id_score_3]").click()
    page.fill("#id_recorded_at", local_input(injection.performed_at - timedelta(minutes=4)))
    page.get_by_role("button", name="Save reading").click()
    error = page.locator(".invalid-feedback, .errorlist").filter(has_text="before the injection")
    expect(error).to_be_visible()
    expect(error.get_by_role("link", name="Record a baseline")).to_be_visible()
    assert sideways_overflow(page) <= 0
    shot(page, "18-1-before-the-injection")
    injection.refresh_from_db()
    assert (injection.baseline_score, injection.readings.count()) == (7, 1)

    # Four minutes after the injection: outside the window, saved only once confirmed.
    page.locator("label[for=id_score_3]").click()
    page.fill("#id_recorded_at", local_input(injection.performed_at + timedelta(minutes=4)))
    page.get_by_role("button", name="Save reading").click()
    confirm = page.locator(".confirm-time")
    expect(confirm).to_contain_text("4 min after the injection")
    shot(page, "18-1-confirm-the-time")
    assert injection.readings.count() == 1
    page.locator("label[for=id_score_3]").click()
    confirm.get_by_label(re.compile("is right")).check()
    page.get_by_role("button", name="Save reading").click()
    expect(page.locator(".alert-warning")).to_contain_text("Not counted: 4 min after")
    assert injection.readings.count() == 2


def test_a_clinician_signs_from_the_injection_page_and_the_patients_week_goes_on(
    page_for, live_server, make_role_user, make_injection, make_patient
):
    """Items 3 and 4: sign-off lived only in the admin, was offered while the window was
    open, and closed the patient's diary."""
    clinician = make_role_user("Clinician")
    waiting = make_injection([(-5, 8), (22, 1)], minutes_ago=25, patient=make_patient(mrn="ES-W"))
    ready = make_injection([(-5, 8), (25, 1)], minutes_ago=50, patient=make_patient(mrn="ES-R"))
    page = page_for(*DESKTOP)
    log_in(page, live_server, clinician, f"/injections/{waiting.pk}/")
    expect(page.locator(".sign-off-wait")).to_contain_text(
        f"Sign-off from {display.clock(waiting.window_closes_at)}"
    )
    expect(page.get_by_role("link", name="Sign off")).to_have_count(0)

    page.goto(f"{live_server.url}/injections/{ready.pk}/")
    page.get_by_role("link", name="Sign off").click()
    facts = page.locator(".sign-off-facts")
    expect(facts.locator(".signed-readings")).to_contain_text("1/10")
    expect(facts.locator(".criteria")).to_contain_text("CMS-LCD-2023@2, reduction: yes")
    expect(page.locator(".locks")).to_contain_text("The follow-up week goes on")
    shot(page, "18-4-sign-off-page")
    page.get_by_role("button", name="Sign off").click()
    expect(page).to_have_url(f"{live_server.url}/injections/{ready.pk}/")
    expect(page.locator(".signed")).to_contain_text("Signed v1")
    expect(page.locator(".signed-locks")).to_contain_text("until the end of day 7")
    assert SignOff.objects.get().injection_id == ready.pk

    # The patient's diary still takes entries after the window closed.
    page.get_by_role("button", name="Create a diary link").click()
    link = DiaryLink.current(ready)
    patient = page_for(*PHONE, mobile=True)
    patient.goto(f"{live_server.url}{link.get_absolute_url()}")
    expect(patient.get_by_role("heading", name=re.compile("Hello"))).to_be_visible()
    patient.locator("label[for=id_score_2]").click()
    patient.get_by_role("button", name="Send").click()
    expect(patient.locator(".alert-success")).to_contain_text("reached the clinic")
    shot(patient, "18-3-diary-after-sign-off")
    page.reload()
    expect(page.locator(".after-signoff")).to_have_count(1)
