"""Sign-off signs the block; the week goes on (issue 18, items 3 and 4).

A sign-off locks the procedure, the baseline and every reading up to the window's close (and
the result); follow-up readings can be added until the end of follow-up day 7 in the clinic's
zone, then they are locked too. The database's guards compare with the database's own clock,
so these tests place records days from the real clock (never hours), and none stops it.
"""

import io
import zipfile
from datetime import timedelta
from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments import display, services, signing
from assessments.models import (
    Amendment,
    DiaryLink,
    Injection,
    PainReading,
    ReportAccess,
    SignOff,
)
from tests.builders import add_reading, pdf_text

DAY = 24 * 60


@pytest.fixture
def signed_on_day_3(make_injection, clinician):
    """Performed three days ago, lidocaine, signed: its week is open for four more days."""
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=3 * DAY)
    signing.sign_off(injection.pk, clinician)
    injection.refresh_from_db()
    return injection


@pytest.fixture
def signed_last_week(make_injection, clinician):
    """Performed ten days ago and signed: its week is over."""
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=10 * DAY)
    signing.sign_off(injection.pk, clinician)
    injection.refresh_from_db()
    return injection


def refused(match):
    class Refused:
        def __enter__(self):
            self.raises = pytest.raises(IntegrityError, match=match)
            self.raises.__enter__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()

        def __exit__(self, *exc):
            self.atomic.__exit__(*exc)
            return self.raises.__exit__(*exc)

    return Refused()


def raw_reading(injection, minutes, score=3):
    return PainReading.objects.create(
        injection=injection,
        recorded_at=injection.performed_at + timedelta(minutes=minutes),
        score=score,
    )


# --- what the sign-off stores and says -------------------------------------------------------


def test_a_sign_off_stores_what_it_locks(signed_on_day_3):
    signoff = signed_on_day_3.signoffs.get()
    assert signoff.locks_through == signed_on_day_3.window_closes_at
    ends = display.local(signoff.follow_up_until)
    performed_on = display.local(signed_on_day_3.performed_at).date()
    assert (ends.date() - performed_on).days == 8 and (ends.hour, ends.minute) == (0, 0)


def test_the_injection_page_says_what_is_locked_and_until_when(nurse_client, signed_on_day_3):
    html = nurse_client.get(
        reverse("assessments:injection_detail", args=[signed_on_day_3.pk])
    ).content.decode()
    assert "Follow-up readings can be added until the end of day 7" in html
    assert "Enter score" in html and "Transcribe a paper diary" in html


# --- the week goes on after a sign-off -------------------------------------------------------


def test_follow_up_readings_are_added_after_the_sign_off_and_audited(signed_on_day_3, clinician):
    reading = add_reading(signed_on_day_3, 2 * DAY, 3, entered_by=clinician)
    assert reading.history.get().entered_by == clinician
    signed_on_day_3.refresh_from_db()
    assert (signed_on_day_3.signed_outcome, signed_on_day_3.outcome) == ("positive", "positive")


def test_duration_of_relief_follows_the_week_without_touching_the_signed_result(
    signed_on_day_3, clinician
):
    for minutes, score in ((45, 1), (60, 1), (120, 6)):
        add_reading(signed_on_day_3, minutes, score, entered_by=clinician)
    signed_on_day_3.refresh_from_db()
    assert (signed_on_day_3.relief_last_met, signed_on_day_3.relief_first_failed) == (60, 120)
    assert signed_on_day_3.signed_outcome == "positive"
    assert signed_on_day_3.decisive_score == 1 and signed_on_day_3.is_locked
    # The archived PDF is the one signed; the live report shows the follow-up after it.
    archived = signed_on_day_3.signoffs.get().archived_report
    assert "Relief began" not in pdf_text(archived.file.read())
    from assessments.reports import render_report

    live = pdf_text(render_report(signed_on_day_3))
    assert "Follow-up after sign-off: 3 reading(s) were recorded after the signature" in live
    assert "After sign-off" in live and "Relief began" in live


def test_a_signed_patient_stays_on_the_call_list(nurse_client, signed_on_day_3):
    html = nurse_client.get(reverse("assessments:call_list")).content.decode()
    assert signed_on_day_3.patient.mrn in html


def test_the_week_page_keeps_its_entry_forms_after_the_sign_off(nurse_client, signed_on_day_3):
    url = reverse("assessments:follow_up_week", args=[signed_on_day_3.pk])
    html = nurse_client.get(url).content.decode()
    assert 'name="d1-recorded_at"' in html and 'name="d3-recorded_at"' in html


def test_a_diary_link_and_handout_are_made_for_a_signed_record_in_its_week(
    nurse_client, signed_on_day_3
):
    response = nurse_client.post(reverse("assessments:handout", args=[signed_on_day_3.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert DiaryLink.current(signed_on_day_3) is not None


# --- and then the week ends ------------------------------------------------------------------


def test_after_the_week_a_signed_record_takes_no_more_readings(signed_last_week, clinician):
    with pytest.raises(Exception, match="follow-up week of this signed record ended"):
        add_reading(signed_last_week, 8 * DAY, 3, entered_by=clinician)
    assert signed_last_week.readings.count() == 2


def test_after_the_week_no_diary_link_is_made_and_the_page_says_why(nurse_client, signed_last_week):
    url = reverse("assessments:diary_link", args=[signed_last_week.pk])
    response = nurse_client.post(url, follow=True)
    assert response.status_code == 200
    assert "The diary's week ended" in unescape(response.content.decode())
    handout = nurse_client.post(reverse("assessments:handout", args=[signed_last_week.pk]))
    assert handout.status_code == 302
    assert not DiaryLink.objects.exists()


def test_the_handout_action_leaves_out_and_names_injections_past_their_week(
    client, clinician, signed_last_week, signed_on_day_3
):
    """A handout for an injection past its diary's week answered 500 (an IntegrityError) and
    cut the zip off; now it is left out before streaming, and only the others are logged."""
    client.force_login(clinician)
    changelist = reverse("admin:assessments_injection_changelist")
    chosen = [signed_last_week.pk, signed_on_day_3.pk]
    body = {"action": "download_handouts", "_selected_action": chosen}
    response = client.post(changelist, body)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert len(names) == 2 and "HANDOUTS-NOT-INCLUDED.txt" in names
    assert f"Injection #{signed_last_week.pk}" in archive.read("HANDOUTS-NOT-INCLUDED.txt").decode()
    logged = set(ReportAccess.objects.values_list("injection_id", flat=True))
    assert logged == {signed_on_day_3.pk}
    only_old = {"action": "download_handouts", "_selected_action": [signed_last_week.pk]}
    page = client.post(changelist, only_old, follow=True)
    assert page.status_code == 200 and "the diary's week is over" in unescape(page.content.decode())


# --- the database holds the same line --------------------------------------------------------


def test_the_database_takes_a_follow_up_reading_on_a_signed_record_in_its_week(signed_on_day_3):
    reading = raw_reading(signed_on_day_3, DAY)
    PainReading.objects.filter(pk=reading.pk).update(score=2)
    assert PainReading.objects.get(pk=reading.pk).score == 2


@pytest.mark.parametrize("minutes", [-3, 0, 22, 30])
def test_the_database_refuses_a_reading_in_the_signed_block(signed_on_day_3, minutes):
    with refused("part of a signed record"):
        raw_reading(signed_on_day_3, minutes)


def test_the_database_refuses_moving_a_follow_up_reading_into_the_block(signed_on_day_3):
    reading = raw_reading(signed_on_day_3, DAY)
    with refused("part of a signed record"):
        PainReading.objects.filter(pk=reading.pk).update(
            recorded_at=signed_on_day_3.performed_at + timedelta(minutes=25)
        )


def test_the_database_refuses_follow_up_after_the_week(signed_last_week):
    with refused("part of a signed record"):
        raw_reading(signed_last_week, 6 * DAY)
    with refused("part of a signed record"):
        PainReading.objects.filter(injection=signed_last_week).update(note="late")


def test_the_week_columns_change_only_while_the_week_is_open(signed_on_day_3, signed_last_week):
    Injection.objects.filter(pk=signed_on_day_3.pk).update(diary_slots_filled=9)
    assert Injection.objects.get(pk=signed_on_day_3.pk).diary_slots_filled == 9
    with refused("signed and locked"):
        Injection.objects.filter(pk=signed_last_week.pk).update(diary_slots_filled=9)


def test_a_relock_carries_the_latest_sign_offs_outcome(signed_on_day_3, clinician):
    """Issue 20, item 4: five raw statements relocked a record with another outcome than its
    latest sign-off's, so the lists and the PDF disagreed."""
    injection = signed_on_day_3
    Amendment.objects.create(
        injection=injection, amends_version=1, reason="raw", opened_by=clinician
    )
    Injection.objects.filter(pk=injection.pk).update(locked_at=None, signed_outcome=None)
    PainReading.objects.filter(injection=injection, score=1).update(score=7)
    signoff = injection.signoffs.get()
    SignOff.objects.create(
        injection=injection,
        version=2,
        signed_by=clinician,
        computed_outcome="positive",
        signed_outcome="positive",
        profile=signoff.profile,
        rule_options=signoff.rule_options,
        threshold=75,
        inclusive=False,
        at_threshold=False,
        inputs=signoff.inputs,
        locks_through=signoff.locks_through,
        follow_up_until=signoff.follow_up_until,
    )
    with refused("outcome of its latest sign-off"):
        Injection.objects.filter(pk=injection.pk).update(
            locked_at=timezone.now(), signed_outcome="negative"
        )
    Injection.objects.filter(pk=injection.pk).update(
        locked_at=timezone.now(), signed_outcome="positive"
    )


def test_a_withdrawn_reading_is_kept_by_the_database(make_injection, clinician):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    reading = injection.readings.get(score=1)
    correction = services.correct_reading(
        reading,
        user=clinician,
        reason="The patient said 2.",
        score=2,
        recorded_at=reading.recorded_at,
        context="provoked",
    ).reading
    with refused("kept as it is"):
        PainReading.objects.filter(pk=reading.pk).update(score=1, withdrawn_at=None)
    with refused("kept as it is"):
        PainReading.objects.filter(pk=reading.pk)._raw_delete("default")
    with refused("kept as it is"):
        PainReading.objects.filter(pk=correction.pk)._raw_delete("default")


# --- 4. sign-off from the injection page -----------------------------------------------------


def sign_url(injection):
    return reverse("assessments:sign_off", args=[injection.pk])


def test_the_sign_off_page_shows_what_it_signs(client, clinician, make_injection):
    injection = make_injection([(-5, 8), (22, 1), (27, 2)], minutes_ago=60)
    client.force_login(clinician)
    html = client.get(sign_url(injection)).content.decode().replace("\xa0", " ")
    assert "Readings signed" in html and "1/10" in html and "2/10" in html and "8/10" in html
    assert "CMS-LCD-2023@2, reduction" in html and "The follow-up week goes on" in html
    assert 'name="outcome"' in html and 'name="reason"' in html


def test_no_sign_off_while_the_window_is_open(client, clinician, make_injection):
    """Item 4: the button was offered while the window was open, refused after submitting."""
    injection = make_injection([(-5, 8), (22, 1)], minutes_ago=25)
    client.force_login(clinician)
    html = client.get(sign_url(injection)).content.decode()
    assert 'name="outcome"' not in html
    assert (
        f"sign-off is possible from <strong>{display.date_time(injection.window_closes_at)}" in html
    )
    response = client.post(sign_url(injection), {"outcome": "positive", "reason": ""})
    assert response.status_code == 200 and not SignOff.objects.exists()


def test_a_clinician_signs_from_the_injection_page(client, clinician, make_injection):
    injection = make_injection([(-5, 8), (25, 2)], minutes_ago=60)
    client.force_login(clinician)
    refused_override = client.post(sign_url(injection), {"outcome": "positive", "reason": ""})
    assert "Give the reason for overriding" in refused_override.content.decode()
    response = client.post(sign_url(injection), {"outcome": "indeterminate", "reason": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:injection_detail", args=[injection.pk])
    assert SignOff.objects.get().signed_by == clinician


def test_a_nurse_has_no_sign_off_page(nurse_client, make_injection):
    injection = make_injection([(-5, 8), (25, 2)], minutes_ago=60)
    assert nurse_client.get(sign_url(injection)).status_code == 403
    assert nurse_client.post(sign_url(injection), {"outcome": "negative"}).status_code == 403
    assert not SignOff.objects.exists()
