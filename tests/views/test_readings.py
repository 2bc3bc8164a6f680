"""Quick entry and the follow-up week (views/readings.py), and what their writes leave."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import services
from assessments.models import Injection, PainReading, Patient
from tests.builders import local_input
from tests.views.pages import (
    BOARD_URL,
    NEW_URL,
    PAGE_QUERIES,
    field_errors,
    quick_url,
    week_url,
)


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


def test_bedside_writes_leave_history_naming_the_nurse(
    nurse_client, week_injection, new_injection_body
):

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
