"""Nothing silently changes a patient's result (issue 18): readings say what they are before
they are saved, the patient's diary never writes the result, and a reading is corrected or
withdrawn with a reason, never lost."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import display, services
from assessments.audit import audit_trail
from assessments.models import DiaryLink, PainReading
from tests.builders import injection_post, local_input, pdf_text


def quick_url(injection):
    return reverse("assessments:quick_reading", args=[injection.pk])


def detail_url(injection):
    return reverse("assessments:injection_detail", args=[injection.pk])


def quick_body(injection, minutes, score, **more):
    moment = injection.performed_at + timedelta(minutes=minutes)
    return {"score": str(score), "recorded_at": local_input(moment), "context": "provoked", **more}


def errors(response, field):
    return " ".join(response.context["form"].errors.get(field, []))


# --- 1. a mistyped time ----------------------------------------------------------------------


def test_a_time_before_the_injection_is_refused_on_the_after_form(nurse_client, make_injection):
    """Item 1: 3/10 typed at 03:31 for a 03:35 injection became a second baseline."""
    injection = make_injection([(-5, 7)], minutes_ago=40)
    response = nurse_client.post(quick_url(injection), quick_body(injection, -4, 3))
    assert response.status_code == 200
    message = errors(response, "recorded_at")
    assert f"This is before the injection ({display.clock(injection.performed_at)})" in message
    page = response.content.decode()
    assert reverse("assessments:baseline_reading", args=[injection.pk]) in page
    assert injection.readings.count() == 1
    injection.refresh_from_db()
    assert injection.baseline_score == 7


@pytest.mark.parametrize("minutes", [0, 4, 19.9, 30.1, 90])
def test_a_reading_just_outside_the_window_is_saved_only_once_confirmed(
    nurse_client, make_injection, minutes
):
    injection = make_injection([(-5, 8)], minutes_ago=120)
    body = quick_body(injection, minutes, 2)
    asked = nurse_client.post(quick_url(injection), body)
    assert asked.status_code == 200 and injection.readings.count() == 1
    assert "listed, not counted" in errors(asked, "recorded_at")
    assert 'name="confirmed"' in asked.content.decode()
    stamp = (injection.performed_at + timedelta(minutes=minutes)).replace(microsecond=0)
    confirmed = {**body, "confirmed": "on", "confirm_time": stamp.isoformat()}
    assert nurse_client.post(quick_url(injection), confirmed).status_code == 302
    assert injection.readings.count() == 2


def test_a_confirmation_holds_only_for_the_time_it_was_given_for(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=120)
    first = injection.performed_at + timedelta(minutes=4)
    body = quick_body(injection, 5, 2, confirmed="on", confirm_time=first.isoformat())
    assert nurse_client.post(quick_url(injection), body).status_code == 200
    assert injection.readings.count() == 1


@pytest.mark.parametrize("minutes", [20, 25, 30, 90.5, 300])
def test_window_and_later_follow_up_readings_save_at_once(nurse_client, make_injection, minutes):
    injection = make_injection([(-5, 8)], minutes_ago=400)
    response = nurse_client.post(quick_url(injection), quick_body(injection, minutes, 2))
    assert response.status_code == 302
    assert injection.readings.count() == 2


def test_a_baseline_is_recorded_on_its_own_page(nurse_client, make_injection):
    injection = make_injection([(-5, 7)], minutes_ago=40)
    url = reverse("assessments:baseline_reading", args=[injection.pk])
    after = quick_body(injection, 3, 6)
    refused = nurse_client.post(url, after)
    assert "A baseline is before the injection" in errors(refused, "recorded_at")
    assert nurse_client.post(url, quick_body(injection, -2, 6)).status_code == 302
    injection.refresh_from_db()
    assert injection.baseline_score == 6


# --- 2. the admin inline ---------------------------------------------------------------------


@pytest.mark.parametrize("context", ["rest", "provoked"])
def test_a_new_admin_reading_row_takes_the_baselines_context(
    client, clinician, make_injection, context
):
    """Item 2: a new row defaulted to "At rest" against a provoked baseline."""
    injection = make_injection([(-5, 8, context)], minutes_ago=60)
    client.force_login(clinician)
    page = client.get(reverse("admin:assessments_injection_change", args=[injection.pk]))
    formsets = page.context["inline_admin_formsets"]
    formset = next(f for f in formsets if f.formset.prefix == "readings")
    extra = [form for form in formset.formset.forms if form.instance.pk is None]
    assert extra and all(form.initial["context"] == context for form in extra)
    assert formset.formset.empty_form.initial["context"] == context


def admin_change_body(injection, *new_rows):
    """The admin change form as saved with the injection's readings plus `new_rows`."""
    existing = [
        {
            "id": reading.pk,
            "injection": injection.pk,
            "recorded_at": local_input(reading.recorded_at),
            "score": reading.score,
            "context": reading.context,
            "source": reading.source,
        }
        for reading in injection.readings.order_by("recorded_at")
    ]
    body = injection_post(
        injection.patient,
        injection.proceduralist,
        injection.performed_at,
        readings=[*existing, *new_rows],
    )
    body["readings-INITIAL_FORMS"] = str(len(existing))
    return body


def test_an_admin_reading_listed_but_not_counted_is_a_warning(client, clinician, make_injection):
    injection = make_injection([(-5, 8), (22, 1)], minutes_ago=60)
    client.force_login(clinician)
    url = reverse("admin:assessments_injection_change", args=[injection.pk])
    body = admin_change_body(injection, {"minutes_after": "28", "score": "2", "context": "rest"})
    response = client.post(url, body, follow=True)
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert any(
        "is listed, not counted: Taken at rest, unlike the baseline" in text for text in shown
    ), shown
    assert injection.readings.count() == 3


# --- 5. the patient's diary does not write the result ----------------------------------------


@pytest.fixture
def diary_injection(make_injection):
    return make_injection([(-5, 8), (25, 2)], minutes_ago=3 * 60)


def diary_post(client, injection, minutes, score):
    link = DiaryLink.current(injection) or DiaryLink.issue(injection)
    moment = injection.performed_at + timedelta(minutes=minutes)
    body = {"score": str(score), "context": "provoked", "recorded_at": local_input(moment)[:16]}
    body.update(medication="", medication_at="")
    return client.post(reverse("diary:entry", args=[link.token]), body)


@pytest.mark.parametrize("minutes, score", [(-2, 3), (24, 10), (30, 10)])
def test_the_diary_refuses_a_time_in_the_clinics_part_of_the_record(
    client, diary_injection, minutes, score
):
    """Item 5: a diary entry 2 minutes before the injection became the baseline, and one 24
    minutes after it was counted in the window: indeterminate turned negative."""
    before = (diary_injection.outcome, diary_injection.baseline_score)
    response = diary_post(client, diary_injection, minutes, score)
    assert response.status_code == 200
    assert "your diary starts after the clinic's own readings" in errors(response, "recorded_at")
    assert not diary_injection.readings.filter(source="patient").exists()
    diary_injection.refresh_from_db()
    assert (
        (diary_injection.outcome, diary_injection.baseline_score)
        == before
        == (
            "indeterminate",
            8,
        )
    )


def test_the_diary_takes_entries_from_the_windows_close(client, diary_injection):
    assert diary_post(client, diary_injection, 31, 4).status_code == 302
    diary_injection.refresh_from_db()
    assert diary_injection.outcome == "indeterminate" and diary_injection.decisive_score == 2


def test_before_the_window_closes_the_diary_says_when_it_starts(client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=10)
    link = DiaryLink.issue(injection)
    page = client.get(reverse("diary:entry", args=[link.token])).content.decode()
    starts = display.patient_date_time(injection.window_closes_at)
    assert f"Your diary starts at <strong>{starts}</strong>" in page
    assert 'id="diary-entry"' not in page


# --- correcting and withdrawing --------------------------------------------------------------


def correct_url(injection, reading):
    return reverse("assessments:correct_reading", args=[injection.pk, reading.pk])


def test_a_reading_is_corrected_with_a_reason_and_the_original_stays(nurse_client, make_injection):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    original = injection.readings.get(score=1)
    body = {
        "action": "correct",
        "score": "4",
        "recorded_at": local_input(original.recorded_at),
        "context": "provoked",
        "reason": "Typed 1, the patient said 4.",
    }
    assert nurse_client.post(correct_url(injection, original), body).status_code == 302
    original.refresh_from_db()
    correction = original.replaced_by
    assert original.withdrawn_reason == "Typed 1, the patient said 4."
    assert original.withdrawn_by.username == "ward-nurse"
    assert (correction.score, correction.recorded_at) == (4, original.recorded_at)
    injection.refresh_from_db()
    assert (injection.outcome, injection.decisive_score) == ("indeterminate", 4)
    html = nurse_client.get(detail_url(injection)).content.decode()
    assert "<del>1/10</del>" in html and "Typed 1, the patient said 4." in html
    from assessments.reports import render_report

    text = pdf_text(render_report(injection))
    assert "Withdrawn reading: 1/10 at" in text and "Typed 1, the patient said 4." in text
    trail = [e for e in audit_trail(injection.pk) if e.record == f"Reading #{original.pk}"]
    assert any(e.reason == "Withdrawn: Typed 1, the patient said 4." for e in trail)
    assert any(e.who == display.person(original.withdrawn_by) for e in trail)


def test_a_reading_is_withdrawn_and_the_result_recomputes(nurse_client, make_injection):
    injection = make_injection([(-5, 8), (22, 1), (27, 6)], minutes_ago=60)
    wrong = injection.readings.get(score=6)
    body = {"action": "withdraw", "reason": "Another patient's score."}
    assert nurse_client.post(correct_url(injection, wrong), body).status_code == 302
    injection.refresh_from_db()
    assert (injection.outcome, injection.decisive_score) == ("positive", 1)
    assert PainReading.objects.filter(pk=wrong.pk).exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"action": "withdraw", "reason": ""}, "reason"),
        ({"action": "correct", "score": "", "reason": "x"}, "score"),
        ({"action": "correct", "score": "12", "reason": "x"}, "score"),
        ({"action": "correct", "score": "3", "recorded_at": "", "reason": "x"}, "recorded_at"),
    ],
)
def test_a_bad_correction_is_refused_on_its_field(nurse_client, make_injection, body, field):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    reading = injection.readings.get(score=1)
    full = {"context": "provoked", "recorded_at": local_input(reading.recorded_at), **body}
    response = nurse_client.post(correct_url(injection, reading), full)
    assert response.status_code == 200 and errors(response, field)
    assert not PainReading.objects.filter(withdrawn_at__isnull=False).exists()


def test_a_baseline_stays_a_baseline_when_corrected(nurse_client, make_injection):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    baseline = injection.readings.get(score=8)
    moved = local_input(injection.performed_at + timedelta(minutes=2))
    body = {"action": "correct", "score": "8", "recorded_at": moved, "context": "provoked"}
    response = nurse_client.post(correct_url(injection, baseline), {**body, "reason": "time"})
    assert "A baseline stays before the injection" in errors(response, "recorded_at")
    assert not PainReading.objects.filter(withdrawn_at__isnull=False).exists()


def test_an_auditor_cannot_correct(client, make_role_user, make_injection):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    reading = injection.readings.get(score=1)
    client.force_login(make_role_user("Auditor"))
    body = {"action": "withdraw", "reason": "no"}
    assert client.post(correct_url(injection, reading), body).status_code == 403
    assert not PainReading.objects.filter(withdrawn_at__isnull=False).exists()


def test_a_withdrawn_reading_cannot_be_withdrawn_again(make_injection, clinician):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    reading = injection.readings.get(score=1)
    services.withdraw_reading(reading, user=clinician, reason="Wrong patient.")
    with pytest.raises(Exception, match="kept as it was"):
        services.withdraw_reading(reading, user=clinician, reason="Again.")


def test_the_page_offers_correction_only_where_it_can_be_made(nurse_client, signed, make_injection):
    html = nurse_client.get(detail_url(signed)).content.decode()
    assert "correct-link" not in html  # the signed block: an amendment is the way
    draft = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    html = nurse_client.get(detail_url(draft)).content.decode()
    assert html.count("correct-link") == 2


def test_an_extremely_early_baseline_time_is_answered_not_a_500(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=60)
    url = reverse("assessments:baseline_reading", args=[injection.pk])
    for value in ("0001-01-01T00:00:00", "9999-12-31T23:59:59", "x" * 5000):
        body = {"score": "5", "recorded_at": value, "context": "rest"}
        assert nurse_client.post(url, body).status_code == 200
    assert injection.readings.count() == 1


def test_the_kept_page_is_made_again_when_the_follow_up_week_ends(
    client, make_role_user, make_injection, clinician, monkeypatch
):
    from assessments import signing

    nurse = make_role_user("Nurse")
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=3 * 24 * 60)
    signing.sign_off(injection.pk, clinician)
    client.force_login(nurse)
    assert b"Enter score" in client.get(detail_url(injection)).content
    injection.refresh_from_db()
    after_the_week = injection.follow_up_ends_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: after_the_week)
    client.force_login(nurse)  # a new session: the idle limit counts on the moved clock
    page = client.get(detail_url(injection)).content.decode()
    assert "Enter score" not in page and "The follow-up week ended" in page


def test_long_reasons_fit_the_history_on_every_database(make_injection, clinician):
    """The history keeps a change's reason in 100 characters (PostgreSQL refuses more): a
    300-character withdrawal and a 5,000-character amendment are kept whole on the record."""
    from assessments import signing

    injection = make_injection([(-5, 8), (25, 1), (40, 2)], minutes_ago=60)
    reading = injection.readings.get(score=2)
    services.withdraw_reading(reading, user=clinician, reason="W" * 300)
    assert reading.history.latest().history_change_reason == "Withdrawn: " + "W" * 88 + "…"
    assert PainReading.objects.get(pk=reading.pk).withdrawn_reason == "W" * 300
    signing.sign_off(injection.pk, clinician)
    amendment = signing.open_amendment(injection.pk, clinician, "A" * 5000)
    assert amendment.reason == "A" * 5000
    latest = injection.history.latest().history_change_reason
    assert len(latest) == 100 and latest.endswith("…")
