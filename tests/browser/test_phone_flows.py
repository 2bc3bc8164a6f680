"""Issue 22's items 1-3 and quick entry by keyboard, on a 390×844 phone in Chromium."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import FollowUpCall, Injection
from tests.browser.pages import PHONE, log_in, shot, sideways_overflow

pytestmark = pytest.mark.usefixtures("transactional_db")


def phone_page(page_for):
    return page_for(*PHONE, mobile=True)


def days_ago(days):
    moment = timezone.localtime() - timedelta(days=days)
    return moment.replace(hour=10, minute=0, second=0, microsecond=0)


def test_new_injection_errors_come_at_once_in_a_focused_summary(page_for, live_server, nurse):
    page = phone_page(page_for)
    log_in(page, live_server, nurse, "/injections/new/")
    page.fill("#id_mrn", "NEW-PHONE-1")  # Not on file: the name and birth date are needed.
    page.get_by_role("button", name="Register injection").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    # Side, proceduralist and score (the form) with name and birth date (the record) at once.
    for field in ["side", "proceduralist", "baseline_score", "family_name", "date_of_birth"]:
        expect(summary.locator(f'a[href="#div_id_{field}"]')).to_have_count(1)
    shot(page, "phone-new-injection-errors")
    summary.locator('a[href="#div_id_family_name"]').click()
    expect(page.locator("#id_family_name")).to_be_focused()
    assert not Injection.objects.exists()


def test_the_diary_link_fits_the_phone_and_has_a_copy_button(
    page_for, live_server, nurse, make_injection
):
    injection = make_injection([(-5, 8)], minutes_ago=40)
    page = phone_page(page_for)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, live_server, nurse, f"/injections/{injection.pk}/")
    page.get_by_role("button", name="Create a diary link").click()

    expect(page.locator(".alert-success")).to_contain_text("Diary link ready")
    assert sideways_overflow(page) <= 0
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("[data-copy-status]")).to_have_text("Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#diary-url").inner_text().strip() and "/diary/" in copied
    shot(page, "phone-diary-link")


def test_the_call_list_saves_a_score_only_when_asked_and_takes_a_phone_number(
    page_for, live_server, nurse, make_injection, make_patient
):
    reachable = make_patient(mrn="CALL-1", phone="01632 960 001")
    called = make_injection([(-5, 8)], performed_at=days_ago(2), patient=reachable)
    silent = make_injection([(-5, 8)], performed_at=days_ago(2), patient=make_patient(mrn="C-2"))
    page = phone_page(page_for)
    log_in(page, live_server, nurse, "/follow-up/")
    row = page.locator(f"#call-{called.pk}")

    row.locator("label.call-score", has_text="4").click()
    assert not FollowUpCall.objects.exists()  # A tap only chooses.
    ten = row.locator("label.call-score", has_text="10").bounding_box()
    no_answer = row.get_by_role("button", name="No answer").bounding_box()
    assert no_answer["y"] >= ten["y"] + ten["height"]  # On its own line, not beside "10".
    shot(page, "phone-call-list")
    row.get_by_role("button", name="Save score").click()
    expect(page.locator(".alert-success")).to_contain_text("score 4/10 saved")
    assert called.readings.filter(score=4).exists()

    page.locator(f"#phone-{silent.pk}").fill("01632 960 002")
    page.get_by_role("button", name="Save phone number").click()
    expect(page).to_have_url(f"{live_server.url}/follow-up/#call-{silent.pk}")
    expect(
        page.locator(f"#call-{silent.pk}").get_by_role("button", name="Save score")
    ).to_be_visible()
    assert sideways_overflow(page) <= 0


def test_quick_entry_opens_on_the_score_and_takes_a_digit(
    page_for, live_server, nurse, make_injection
):
    due = make_injection([(-10, 8)], minutes_ago=25)
    page = phone_page(page_for)
    log_in(page, live_server, nurse, f"/injections/{due.pk}/reading/")

    expect(page.locator("#id_score_0")).to_be_focused()
    page.keyboard.press("3")
    expect(page.locator("#id_score_3")).to_be_checked()
    page.keyboard.press("1")
    page.keyboard.press("0")
    expect(page.locator("#id_score_10")).to_be_checked()
