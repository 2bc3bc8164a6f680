"""The bedside pages in a real browser, step by step as a nurse and a patient use them."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Injection, PainReading
from tests.browser.pages import DESKTOP, PHONE, log_in, shot, sideways_overflow
from tests.builders import local_input

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_nurse_logs_in_and_enters_the_due_score_from_the_board(
    page_for, live_server, nurse, make_injection, make_patient
):
    due = make_injection([(-10, 8)], minutes_ago=25, patient=make_patient(mrn="BR-DUE"))
    make_injection([(-5, 6)], minutes_ago=4, patient=make_patient(mrn="BR-WAIT"))
    make_injection([(-5, 7), (21, 6)], minutes_ago=50, patient=make_patient(mrn="BR-DONE"))
    page = page_for()

    log_in(page, live_server, nurse)

    card = page.locator(f"#injection-{due.pk}")
    expect(page.locator("article.board-card").first).to_have_id(f"injection-{due.pk}")
    expect(card.locator(".status-badge")).to_have_text("Due now")
    expect(card.locator(".countdown")).to_have_text(re.compile(r"closes in [45] min"))
    shot(page, "01-board-due-now")

    card.get_by_role("link", name="Enter score").click()
    expect(page.get_by_role("heading", name=re.compile("MRN BR-DUE"))).to_be_visible()
    page.locator("label[for=id_score_1]").click()
    expect(page.locator("#id_score_1")).to_be_checked()
    expect(page.locator("[data-minutes-after]")).to_contain_text("in the 20–30 min window")
    shot(page, "02-quick-entry")
    page.get_by_role("button", name="Save reading").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".alert-success")).to_contain_text("Result: Positive")
    # The window is still open: the result is provisional, and the card is not "Done" yet.
    expect(card.locator(".status-badge")).to_have_text("In window")
    expect(card.locator(".card-header")).to_contain_text("1/10")
    expect(card.locator(".outcome-badge")).to_have_text("Positive")
    expect(card.locator(".result-mark")).to_have_text("provisional")
    shot(page, "03-board-after-entry")
    due.refresh_from_db()
    assert (due.outcome, due.decisive_score) == ("positive", 1)


def test_a_future_time_shows_its_error_and_saves_nothing(
    page_for, live_server, nurse, make_injection
):
    injection = make_injection([(-10, 8)], minutes_ago=24)
    page = page_for()
    log_in(page, live_server, nurse, f"/injections/{injection.pk}/reading/")

    page.locator("label[for=id_score_3]").click()
    page.fill("#id_recorded_at", local_input(timezone.now() + timedelta(hours=1)))
    page.get_by_role("button", name="Save reading").click()

    error = page.locator("#div_id_recorded_at .invalid-feedback")
    expect(error).to_have_text("A reading cannot be in the future.")
    expect(page.locator("#id_recorded_at")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_score_3")).to_be_checked()  # the other answers are kept
    shot(page, "04-quick-entry-future-error")
    assert injection.readings.count() == 1
    injection.refresh_from_db()
    assert injection.outcome == "non_diagnostic"


def test_the_board_turns_waiting_into_due_by_itself(
    page_for, live_server, nurse, make_injection, monkeypatch
):
    """No waiting on the real clock: the browser's clock (Playwright) and the server's (the
    live server runs in this process) move on together by 31 seconds."""
    page = page_for()
    page.clock.install()
    log_in(page, live_server, nurse)
    # Made once the browser is up and signed in (slow on a busy machine): 30 s to spare.
    performed = timezone.now() - timedelta(minutes=19, seconds=30)
    injection = make_injection([(-10, 8)], performed_at=performed)
    page.reload()
    card = page.locator(f"#injection-{injection.pk}")
    expect(card.locator(".status-badge")).to_have_text("Waiting")
    expect(card.locator(".countdown")).to_have_text("opens in 1 min")

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=31))
    page.clock.fast_forward(31_000)

    # No click: the countdown script reloads the board once the window opens.
    expect(card.locator(".status-badge")).to_have_text("Due now")
    expect(card.locator(".countdown")).to_have_text("closes in 10 min")


def test_follow_up_week_takes_several_day_3_entries_and_edits_in_place(
    page_for, live_server, nurse, make_injection
):
    day = timezone.localdate() - timedelta(days=10)
    performed = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=9))
    injection = make_injection([(-10, 8), (25, 1)], performed_at=performed)
    page = page_for()
    log_in(page, live_server, nurse, f"/injections/{injection.pk}/week/")
    expect(page.locator(".completeness")).to_have_text("0 of 7 days with a score")

    day3 = page.locator("#day-3")
    day3.locator("#id_d3-recorded_at").fill("08:30")
    day3.locator("label[for=id_d3-score_4]").click()
    day3.get_by_role("button", name="Add").click()
    expect(page.locator(".alert-success")).to_contain_text("Day 3: 4/10")

    day3.locator("#id_d3-recorded_at").fill("20:15")
    day3.locator("label[for=id_d3-score_6]").click()
    day3.locator("#id_d3-context").select_option("provoked")
    day3.get_by_role("button", name="Add").click()
    expect(day3.locator(".entry")).to_have_count(2)
    expect(page.locator(".completeness")).to_have_text("1 of 7 days with a score")
    expect(day3.locator(".entry").first).to_contain_text("Recalled")

    # A time that is not one is refused on its field; the entry keeps its score.
    second = day3.locator(".entry").nth(1)
    second.get_by_role("button", name="Edit").click()
    second.locator("input[name$=-recorded_at]").fill("25:00")
    second.get_by_role("button", name="Save").click()
    second = page.locator("#day-3 .entry").nth(1)
    expect(second.locator(".invalid-feedback")).to_contain_text("Enter the time as HH:MM")
    expect(second.locator(".entry-score")).to_have_text("6/10")
    shot(page, "05-week-edit-refused")

    second.locator("input[name$=-recorded_at]").fill("20:15")
    second.locator("label[for$=-score_5]").click()
    second.get_by_role("button", name="Save").click()
    expect(page.locator("#day-3 .entry").nth(1).locator(".entry-score")).to_have_text("5/10")
    shot(page, "06-week-day-3")
    scores = sorted(
        reading.score
        for reading in PainReading.objects.filter(injection=injection)
        if reading.follow_up_day == 3
    )
    assert scores == [4, 5]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_follow_up_week_by_keyboard_alone(page_for, live_server, nurse, make_injection, size):
    """Time, Tab, a digit, Enter: saved, and the next day's time box has the focus."""
    day = timezone.localdate() - timedelta(days=10)
    performed = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=9))
    injection = make_injection([(-10, 8), (25, 1)], performed_at=performed)
    page = page_for(*(PHONE if size == "phone" else DESKTOP), mobile=size == "phone")
    log_in(page, live_server, nurse, f"/injections/{injection.pk}/week/")

    page.locator("#id_d1-recorded_at").focus()  # The first click; the keyboard does the rest.
    for number, (typed, digits) in enumerate([("0830", "4"), ("2015", "10"), ("1200", "0")], 1):
        expect(page.locator(f"#id_d{number}-recorded_at")).to_be_focused()
        page.keyboard.type(typed)
        page.keyboard.press("Tab")
        for digit in digits:
            page.keyboard.press(digit)
        page.keyboard.press("Enter")
        expect(page.locator(".alert-success")).to_contain_text(f"Day {number}: {digits}/10")
    expect(page.locator("#id_d4-recorded_at")).to_be_focused()
    assert sideways_overflow(page) <= 0
    shot(page, f"11-week-keyboard-{size}")

    entered = sorted(
        (
            reading.follow_up_day,
            timezone.localtime(reading.recorded_at).strftime("%H:%M"),
            reading.score,
        )
        for reading in injection.readings.all()
        if reading.follow_up_day
    )
    assert entered == [(1, "08:30", 4), (2, "20:15", 10), (3, "12:00", 0)]


def test_the_board_fits_a_phone(page_for, live_server, nurse, make_injection, make_patient):
    for number, minutes_ago in enumerate([25, 12, 45]):
        make_injection(
            [(-10, 7)], minutes_ago=minutes_ago, patient=make_patient(mrn=f"PH-{number}")
        )
    page = page_for(*PHONE, mobile=True)
    log_in(page, live_server, nurse)

    expect(page.locator("article.board-card")).to_have_count(3)
    expect(page.locator(".navbar-toggler")).to_be_visible()
    first = page.locator("article.board-card").first
    expect(first.locator(".status-badge")).to_have_text("Due now")
    button = first.get_by_role("link", name="Enter score")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["height"] >= 44, "the main button should be easy to tap"
    assert sideways_overflow(page) <= 0, "nothing should scroll sideways on a phone"
    shot(page, "07-board-phone")

    button.click()
    expect(page.locator("label[for=id_score_10]")).to_be_visible()
    assert sideways_overflow(page) <= 0
    shot(page, "08-quick-entry-phone")
    assert Injection.objects.count() == 3


def test_new_injection_for_a_new_patient_lands_on_the_board_and_its_page(
    page_for, live_server, nurse, make_role_user
):
    make_role_user("Clinician", first_name="Ines", last_name="Duarte")
    page = page_for()
    log_in(page, live_server, nurse, "/injections/new/")

    page.fill("#id_mrn", "BR-NEW-1")
    page.locator("#id_proceduralist").select_option(label="Ines Duarte")
    page.locator("label[for=id_side_1]").click()
    page.locator("#id_guidance").select_option("fluoroscopy")
    page.locator("#id_anaesthetic_agent").select_option("bupivacaine")
    page.fill("#id_anaesthetic_concentration", "0.5")
    page.fill("#id_anaesthetic_volume_ml", "2")
    page.locator("label[for=id_baseline_score_7]").click()
    page.locator("input[type=submit][name=register]").click()
    # A new MRN needs the patient's details; the server says so beside each field.
    expect(page.locator("#div_id_family_name .invalid-feedback")).to_contain_text("not on file")
    expect(page.locator("#id_baseline_score_7")).to_be_checked()
    assert not Injection.objects.exists()
    shot(page, "09-new-injection-errors")

    page.fill("#id_family_name", "Ferreira")
    page.fill("#id_given_name", "Inês")
    page.fill("#id_date_of_birth", "1972-05-17")
    page.locator("input[type=submit][name=register]").click()

    expect(page.locator(".alert-success")).to_contain_text("Injection registered for MRN BR-NEW-1")
    injection = Injection.objects.get(patient__mrn="BR-NEW-1")
    card = page.locator(f"#injection-{injection.pk}")
    expect(card.locator(".status-badge")).to_have_text("Waiting")
    expect(card).to_contain_text("7/10")

    card.get_by_role("link", name="Details").click()
    expect(page.locator(".headline")).to_contain_text("The 20–30 minute window opens in")
    expect(page.locator(".result-in-force")).to_contain_text("Pending")
    expect(page.locator(".timeline")).to_contain_text("Baseline")
    shot(page, "10-injection-page")
    assert (injection.side, injection.baseline_score) == ("right", 7)


def test_a_patient_keeps_the_diary_on_a_phone(
    page_for, live_server, nurse, make_injection, make_patient, make_role_user
):
    from assessments import signing
    from assessments.models import DiaryLink

    patient = make_patient(mrn="BR-DIARY", family_name="Quenneville", given_name="Ottilie")
    injection = make_injection([(-5, 8), (22, 1)], minutes_ago=3 * 60, patient=patient)
    link = DiaryLink.issue(injection)
    url = f"{live_server.url}/diary/{link.token}/"
    phone = page_for(*PHONE, mobile=True)

    for _ in range(2):  # opening it twice records nothing
        phone.goto(url)
    expect(phone.get_by_role("heading", name="Hello Ottilie, how is your pain?")).to_be_visible()
    assert "Quenneville" not in phone.content() and "BR-DIARY" not in phone.content()
    assert injection.readings.count() == 2
    assert sideways_overflow(phone) <= 0
    shot(phone, "20-diary-phone")

    for score in ("3", "5"):
        phone.locator(f"label[for=id_score_{score}]").click()
        if score == "5":
            # The patient types minutes (step 60): no seconds in the box.
            phone.fill("#id_recorded_at", local_input(timezone.now() - timedelta(minutes=30))[:16])
        phone.get_by_role("button", name="Send").click()
        expect(phone.get_by_role("heading", name="Thank you, Ottilie.")).to_be_visible()
        phone.get_by_role("link", name="Add another entry").click()
    shot(phone, "21-diary-thanks")
    assert sorted(injection.readings.filter(source="patient").values_list("score", flat=True)) == [
        3,
        5,
    ]

    staff = page_for()
    log_in(staff, live_server, nurse, f"/injections/{injection.pk}/")
    expect(staff.locator(".timeline")).to_contain_text("Patient-reported")
    expect(staff.locator(".timeline .badge", has_text="Diary link")).to_have_count(2)

    # Signing the block does not end the patient's week: the diary still takes entries.
    signing.sign_off(injection.pk, make_role_user("Clinician"))
    phone.goto(url)
    expect(phone.get_by_role("button", name="Send")).to_be_visible()
    ended = timezone.now() - timedelta(seconds=1)
    DiaryLink.objects.filter(pk=link.pk).update(
        created_at=ended - timedelta(days=9), expires_at=ended
    )
    phone.goto(url)
    expect(phone.locator(".closed-message")).to_contain_text("has ended")
    shot(phone, "22-diary-closed")
    assert injection.readings.count() == 4
