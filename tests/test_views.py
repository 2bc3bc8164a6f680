"""Bedside pages: the today board, quick entry, new injection, follow-up week, injection page."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments import display, services
from assessments.models import Injection, PainReading, Patient
from tests.builders import local_input

BOARD_URL = reverse("assessments:board")
NEW_URL = reverse("assessments:new_injection")
# Session and user; the user's and the groups' permissions; the injections with their
# patients; their readings; then the session is saved as an UPDATE inside a savepoint pair
# (force_login leaves no activity stamp, so this first request writes one; requests within
# the next minute would not: assessments/idle_sessions.py).
PAGE_QUERIES = 9
# The board also reads the data version (views/board.py), and from its cache reads nothing
# else: session, user, the two permission queries, the version.
BOARD_QUERIES = PAGE_QUERIES + 1
CACHED_BOARD_QUERIES = 5


@pytest.fixture(autouse=True)
def clinic_zone(settings):
    # Not UTC, so a missing conversion to clinic time shows up as a wrong hour.
    settings.TIME_ZONE = "Europe/Paris"


def quick_url(injection):
    return reverse("assessments:quick_reading", args=[injection.pk])


def week_url(injection):
    return reverse("assessments:follow_up_week", args=[injection.pk])


def detail_url(injection):
    return reverse("assessments:injection_detail", args=[injection.pk])


def field_errors(response, form_name, field):
    return response.context[form_name].errors.get(field, [])


# --- access --------------------------------------------------------------------------------


@pytest.fixture
def page_urls(make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=3 * 24 * 60)
    return [BOARD_URL, NEW_URL, quick_url(injection), week_url(injection), detail_url(injection)]


def test_every_page_renders_for_staff(nurse_client, page_urls):
    for url in page_urls:
        response = nurse_client.get(url)
        assert response.status_code == 200, url
        assert b'name="viewport"' in response.content
        assert b"vendor/bootstrap/bootstrap.min.css" in response.content


def test_anonymous_users_are_sent_to_the_login_page(client, page_urls):
    login = reverse("admin:login")
    for url in page_urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(f"{login}?next=")


def test_signed_in_non_staff_are_refused(client, make_user, page_urls):
    client.force_login(make_user("visitor", is_staff=False))
    for url in page_urls:
        assert client.get(url).status_code == 403, url
    assert client.post(NEW_URL, {}).status_code == 403


def test_pages_carry_no_inline_script(nurse_client, page_urls):
    for url in page_urls:
        html = nurse_client.get(url).content.decode()
        assert "<script>" not in html
        assert " onclick=" not in html and " onload=" not in html


# --- board ---------------------------------------------------------------------------------


def test_board_lists_todays_injections_by_urgency(
    clinic_clock, nurse_client, make_injection, make_patient
):
    due = make_injection([(-5, 8)], minutes_ago=25, patient=make_patient(mrn="DUE-1"))
    waiting = make_injection([(-5, 8)], minutes_ago=5, patient=make_patient(mrn="WAIT-1"))
    done = make_injection([(-5, 8), (22, 1)], minutes_ago=40, patient=make_patient(mrn="DONE-1"))
    missed = make_injection([(-5, 6)], minutes_ago=45, patient=make_patient(mrn="MISS-1"))
    make_injection([(-5, 8)], minutes_ago=3 * 24 * 60, patient=make_patient(mrn="OLD-1"))

    response = nurse_client.get(BOARD_URL)

    rows = response.context["rows"]
    assert [row[0].pk for row in rows] == [due.pk, waiting.pk, missed.pk, done.pk]
    html = response.content.decode()
    assert "OLD-1" not in html
    assert "Due now" in html and "closes in 5 min" in html
    assert "opens in 15 min" in html
    assert "closed 15 min ago" in html
    assert "1/10" in html and "Positive" in html
    assert f'href="{quick_url(due)}"' in html


def test_board_shows_an_in_window_result_as_provisional_not_done(nurse_client, make_injection):
    injection = make_injection([(-5, 8), (21, 1)], minutes_ago=25)

    html = nurse_client.get(BOARD_URL).content.decode()

    card = html[html.index(f'id="injection-{injection.pk}"') :]
    card = card[: card.index("</article>")]
    assert 'data-status="recorded"' in card and "In window" in card
    assert "provisional" in card and "Done" not in card


def test_board_says_pending_never_non_diagnostic_before_the_window(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=5)
    html = nurse_client.get(BOARD_URL).content.decode()
    card = html[html.index(f'id="injection-{injection.pk}"') :]
    card = card[: card.index("</article>")]
    assert "Non-diagnostic" not in card and "Waiting" in card


def test_board_gives_the_browser_iso_times_to_count_down_from(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=25)
    html = nurse_client.get(BOARD_URL).content.decode()
    closes = injection.window_closes_at.isoformat(timespec="milliseconds")
    assert f'data-countdown-to="{closes}"' in html
    assert 'data-countdown="closes in {n} min"' in html
    assert "data-server-now=" in html


def test_board_shows_window_times_in_clinic_time_with_zone(nurse_client, make_injection):
    performed = timezone.now() - timedelta(minutes=10)
    injection = make_injection([(-5, 8)], performed_at=performed)
    html = nurse_client.get(BOARD_URL).content.decode()
    closes = timezone.localtime(injection.window_closes_at)
    assert closes.strftime("%H:%M %Z") in html
    assert closes.strftime("%Z") in ("CET", "CEST")


def test_board_flags_a_missing_baseline(nurse_client, make_injection):
    make_injection([], minutes_ago=5)
    assert "Not recorded" in nurse_client.get(BOARD_URL).content.decode()


@pytest.mark.parametrize("count", [10, 50])
def test_board_runs_a_constant_number_of_queries(
    clinic_clock, nurse_client, make_injection, make_user, count, django_assert_max_num_queries
):
    # The clock is stopped: on a busy machine a window opening between the two visits would
    # rightly make the board again.
    proceduralist = make_user()
    for number in range(count):
        make_injection(
            [(-5, 8), (25, 2)] if number % 2 else [(-5, 7)],
            minutes_ago=number % 180,
            proceduralist=proceduralist,
        )
    with django_assert_max_num_queries(BOARD_QUERIES):
        response = nurse_client.get(BOARD_URL)
    assert len(response.context["rows"]) == count
    with django_assert_max_num_queries(CACHED_BOARD_QUERIES):
        cached = nurse_client.get(BOARD_URL)
    assert cached.content.count(b'class="card h-100 board-card') == count


# --- quick entry ---------------------------------------------------------------------------


def test_quick_entry_defaults_to_now_in_clinic_time(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=25)
    response = nurse_client.get(quick_url(injection))
    initial = response.context["form"].initial["recorded_at"]
    assert abs(initial - timezone.now()) < timedelta(seconds=5)
    html = response.content.decode()
    assert 'type="datetime-local"' in html
    assert "Europe/Paris" in html
    for score in range(11):
        assert f'id="id_score_{score}"' in html


def test_quick_entry_saves_the_reading_and_the_outcome(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=25)
    assert injection.outcome == "non_diagnostic"

    response = nurse_client.post(
        quick_url(injection),
        {"score": "1", "recorded_at": local_input(timezone.now()), "context": "provoked"},
    )

    assert response.status_code == 302 and response.url == BOARD_URL
    injection.refresh_from_db()
    assert injection.outcome == "positive"
    assert injection.decisive_score == 1
    assert injection.percent_reduction == Decimal("87.5")
    reading = injection.readings.get(score=1)
    assert reading.source == "staff" and reading.entered_by.username == "ward-nurse"
    page = nurse_client.get(response.url).content.decode()
    assert "Result: Positive (single block): consistent with SI joint pain (provisional" in page
    assert "In window" in page


def test_quick_entry_message_names_the_at_threshold_result(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=25)
    response = nurse_client.post(
        quick_url(injection),
        {"score": "2", "recorded_at": local_input(timezone.now()), "context": "provoked"},
        follow=True,
    )
    text = response.content.decode()
    assert "Result: Indeterminate: partial relief (provisional" in text
    assert "Exactly 75 %" in text


def test_quick_entry_defaults_the_context_to_the_baselines(nurse_client, make_injection):
    rest = make_injection([(-5, 8, "rest")], minutes_ago=25)
    provoked = make_injection([(-5, 8, "provoked")], minutes_ago=25)
    assert nurse_client.get(quick_url(rest)).context["form"].initial["context"] == "rest"
    assert nurse_client.get(quick_url(provoked)).context["form"].initial["context"] == "provoked"


def test_quick_entry_says_when_a_reading_in_another_context_does_not_count(
    nurse_client, make_injection
):
    injection = make_injection([(-5, 8, "provoked")], minutes_ago=25)
    response = nurse_client.post(
        quick_url(injection),
        {"score": "1", "recorded_at": local_input(timezone.now()), "context": "rest"},
        follow=True,
    )
    text = response.content.decode()
    assert "Not counted: Taken at rest, unlike the baseline (during the provoking" in text
    assert "alert-warning" in text  # listed but not counted: a warning, not a success
    assert "Result: Pending" in text


def test_quick_entry_outside_the_window_is_saved_once_confirmed(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=40)
    moment = timezone.now().replace(microsecond=0)
    body = {"score": "1", "recorded_at": local_input(moment), "context": "provoked"}
    asked = nurse_client.post(quick_url(injection), body)
    assert asked.status_code == 200 and injection.readings.count() == 1
    assert "after the window closed" in " ".join(field_errors(asked, "form", "recorded_at"))
    confirmed = {**body, "confirmed": "on", "confirm_time": moment.isoformat()}
    response = nurse_client.post(quick_url(injection), confirmed, follow=True)
    assert "outside the 20–30 minute window" in response.content.decode()
    injection.refresh_from_db()
    assert injection.readings.count() == 2 and injection.outcome == "non_diagnostic"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"score": "11"}, "score", "Choose a whole number from 0 to 10."),
        ({"score": "-1"}, "score", "Choose a whole number from 0 to 10."),
        ({"score": "abc"}, "score", "Choose a whole number from 0 to 10."),
        ({"score": ""}, "score", "Choose a score from 0 to 10."),
        ({"recorded_at": ""}, "recorded_at", "This field is required."),
        ({"recorded_at": "yesterday"}, "recorded_at", "Enter a valid date/time."),
        ({"future": 1}, "recorded_at", "A reading cannot be in the future."),
        ({"context": "sitting"}, "context", "Select a valid choice."),
    ],
)
def test_quick_entry_bad_input_shows_the_error_on_the_field_and_saves_nothing(
    nurse_client, make_injection, changes, field, message
):
    injection = make_injection([(-5, 8)], minutes_ago=25)
    body = {"score": "3", "recorded_at": local_input(timezone.now()), "context": "provoked"}
    if changes.pop("future", None):
        body["recorded_at"] = local_input(timezone.now() + timedelta(minutes=10))
    body.update(changes)

    response = nurse_client.post(quick_url(injection), body)

    assert response.status_code == 200
    assert any(error.startswith(message) for error in field_errors(response, "form", field))
    assert message in response.content.decode()
    assert injection.readings.count() == 1
    injection.refresh_from_db()
    assert injection.outcome == "non_diagnostic"


def test_quick_entry_requires_csrf(make_role_user, make_injection):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_role_user("Nurse"))
    injection = make_injection([(-5, 8)], minutes_ago=25)
    body = {"score": "2", "recorded_at": local_input(timezone.now()), "context": "rest"}
    assert client.post(quick_url(injection), body).status_code == 403
    assert injection.readings.count() == 1


# --- new injection -------------------------------------------------------------------------


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


# --- follow-up week ------------------------------------------------------------------------


@pytest.fixture
def week_injection(make_injection):
    # Ten days ago at 10:00 clinic time, so all seven follow-up days are in the past.
    day = timezone.localdate() - timedelta(days=10)
    performed = timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))
    return make_injection([(-5, 8), (25, 2)], performed_at=performed)


def entry_body(target, time="08:30", score="4", context="rest", source="patient"):
    return {
        "target": target,
        f"{target}-recorded_at": time,
        f"{target}-score": score,
        f"{target}-context": context,
        f"{target}-source": source,
    }


def test_week_page_adds_entries_on_a_day(nurse_client, week_injection):
    url = week_url(week_injection)
    assert nurse_client.post(url, entry_body("d3", "08:30", "4")).status_code == 302
    response = nurse_client.post(url, entry_body("d3", "20:15", "6", context="provoked"))
    assert response.url == f"{url}#add-d4"  # On to the next day's form.

    day3 = [r for r in week_injection.readings.all() if r.follow_up_day == 3]
    assert sorted((timezone.localtime(r.recorded_at).strftime("%H:%M"), r.score) for r in day3) == [
        ("08:30", 4),
        ("20:15", 6),
    ]
    page = nurse_client.get(url).content.decode()
    assert "1 of 7 days with a score" in page
    assert "2 entries" in page


@pytest.mark.parametrize("typed", ["08:30", "0830", "8:30", "830", "08.30"])
def test_week_page_takes_the_time_as_typed_on_a_keypad(nurse_client, week_injection, typed):
    assert nurse_client.post(week_url(week_injection), entry_body("d2", typed)).status_code == 302
    reading = week_injection.readings.get(source="patient")
    assert timezone.localtime(reading.recorded_at).strftime("%H:%M") == "08:30"


@pytest.mark.parametrize("typed", ["25:00", "8", "0860", "half eight"])
def test_week_page_explains_the_time_format(nurse_client, week_injection, typed):
    response = nurse_client.post(week_url(week_injection), entry_body("d2", typed))
    form = response.context["days"][1]["add_form"]
    assert form.errors["recorded_at"] == ["Enter the time as HH:MM, e.g. 08:30 or 0830."]


def test_week_page_stays_on_day_7_after_its_last_entry(nurse_client, week_injection):
    response = nurse_client.post(week_url(week_injection), entry_body("d7"))
    assert response.url.endswith("#add-d7")


def test_week_page_edits_an_entry_in_place(nurse_client, week_injection):
    reading = PainReading.objects.create(
        injection=week_injection,
        recorded_at=week_injection.performed_at + timedelta(days=2, hours=1),
        score=5,
        source="patient",
    )
    target = f"r{reading.pk}"
    response = nurse_client.post(week_url(week_injection), entry_body(target, "12:00", "3"))
    assert response.status_code == 302
    reading.refresh_from_db()
    assert reading.score == 3
    local = timezone.localtime(reading.recorded_at)
    assert local.strftime("%H:%M") == "12:00" and reading.follow_up_day == 2


@pytest.mark.parametrize(
    "score, message",
    [
        ("11", "Choose a whole number from 0 to 10"),
        ("-1", "Choose a whole number from 0 to 10"),
        ("abc", "Choose a whole number from 0 to 10"),
        ("", "Choose a score from 0 to 10"),
    ],
)
def test_week_page_bad_score_shows_the_error_and_saves_nothing(
    nurse_client, week_injection, score, message
):
    response = nurse_client.post(week_url(week_injection), entry_body("d4", score=score))
    assert response.status_code == 200
    days = response.context["days"]
    assert any(message in error for error in days[3]["add_form"].errors["score"])
    assert message in response.content.decode()
    assert week_injection.readings.count() == 2


def test_week_page_refuses_a_future_entry_on_the_time_field(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=24 * 60 + 5)
    local_now = timezone.localtime()
    day = (local_now.date() - timezone.localdate(injection.performed_at)).days
    later = (local_now + timedelta(minutes=30)).strftime("%H:%M")
    if (local_now + timedelta(minutes=30)).date() != local_now.date():
        pytest.skip("Too close to midnight to type a later time today.")
    response = nurse_client.post(week_url(injection), entry_body(f"d{day}", later))
    assert response.status_code == 200
    form = response.context["days"][day - 1]["add_form"]
    assert form.errors["recorded_at"] == ["A reading cannot be in the future."]
    assert injection.readings.count() == 1


def test_week_page_offers_no_entry_form_for_days_still_to_come(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=5)
    days = nurse_client.get(week_url(injection)).context["days"]
    assert all(day["add_form"] is None for day in days)


def test_week_page_marks_recalled_entries(nurse_client, week_injection):
    services.add_reading(
        week_injection,
        entered_by=None,
        recorded_at=week_injection.performed_at + timedelta(days=1),
        score=4,
    )
    page = nurse_client.get(week_url(week_injection)).content.decode()
    assert "Recalled</span>" in page.split('id="day-1"')[1].split('id="day-2"')[0]


def test_week_page_rejects_entries_of_another_injection(
    nurse_client, week_injection, make_injection
):
    other = make_injection([(-5, 8), (24 * 60 * 2, 5)], minutes_ago=5 * 24 * 60)
    foreign = other.readings.get(score=5)
    response = nurse_client.post(week_url(week_injection), entry_body(f"r{foreign.pk}"))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.score == 5


def test_week_page_runs_a_constant_number_of_queries(
    nurse_client, week_injection, django_assert_max_num_queries
):
    for day in range(1, 8):
        for hour in (8, 20):
            PainReading.objects.create(
                injection=week_injection,
                recorded_at=week_injection.performed_at + timedelta(days=day, hours=hour - 10),
                score=day % 11,
            )
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = nurse_client.get(week_url(week_injection))
    assert "7 of 7 days with a score" in response.content.decode()


# --- injection page ------------------------------------------------------------------------


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


def test_an_auditor_sees_the_pages_but_cannot_record(client, make_role_user, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=25)
    client.force_login(make_role_user("Auditor"))
    assert client.get(reverse("assessments:board")).status_code == 200
    assert client.get(quick_url(injection)).status_code == 200
    body = {"score": "2", "recorded_at": local_input(timezone.now()), "context": "rest"}
    assert client.post(quick_url(injection), body).status_code == 403
    assert client.get(reverse("assessments:new_injection")).status_code == 403
    assert injection.readings.count() == 1


def test_a_staff_user_without_permissions_is_refused(client, make_user, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=25)
    client.force_login(make_user("no-perms"))
    assert client.get(reverse("assessments:board")).status_code == 403
    assert (
        client.get(reverse("assessments:injection_detail", args=[injection.pk])).status_code == 403
    )


def test_bedside_writes_leave_history_naming_the_nurse(
    nurse_client, week_injection, new_injection_body
):
    from assessments.models import Injection, Patient

    nurse = week_injection.proceduralist.__class__.objects.get(username="ward-nurse")
    assert (
        nurse_client.post(week_url(week_injection), entry_body("d3", "08:30", "4")).status_code
        == 302
    )
    added = week_injection.readings.get(score=4)
    assert [row.history_user for row in added.history.all()] == [nurse]
    assert (
        nurse_client.post(
            week_url(week_injection), entry_body(f"r{added.pk}", "09:00", "2")
        ).status_code
        == 302
    )
    assert added.history.count() == 2 and added.history.latest().history_user == nurse

    assert nurse_client.post(NEW_URL, new_injection_body()).status_code == 302
    patient = Patient.objects.get(mrn="NEW-777")
    injection = Injection.objects.get(patient=patient)
    assert patient.history.get().history_user == nurse
    assert injection.history.get().history_user == nurse
    assert injection.readings.get().history.get().history_user == nurse


def test_bedside_forms_refuse_the_signed_block_and_take_the_week(
    nurse_client, make_injection, make_role_user
):
    from assessments import signing

    injection = make_injection([(-5, 8), (25, 2)], minutes_ago=3 * 24 * 60)
    signing.sign_off(injection.pk, make_role_user("Clinician"))
    in_block = injection.performed_at + timedelta(minutes=26)
    body = {"score": "1", "recorded_at": local_input(in_block), "context": "provoked"}
    response = nurse_client.post(quick_url(injection), body)
    assert response.status_code == 200
    assert "part of the signed block result" in response.content.decode()
    # The follow-up week goes on after the sign-off: day 2 is added and corrected.
    assert nurse_client.post(week_url(injection), entry_body("d2", "08:30", "4")).status_code == 302
    reading = injection.readings.get(score=4)
    nurse_client.post(week_url(injection), entry_body(f"r{reading.pk}", "08:30", "3"))
    assert sorted(injection.readings.values_list("score", flat=True)) == [2, 3, 8]
    injection.refresh_from_db()
    assert (injection.signed_outcome, injection.decisive_score) == ("indeterminate", 2)


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
