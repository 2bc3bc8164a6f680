"""The data version (models/version.py): every write moves it on, whatever the path; the
board's cached cards follow it."""

import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments import services, signing
from assessments.models import DataVersion, Injection, PainReading, Patient
from assessments.views.injections import RECORD_PERMISSIONS
from tests import builders

# Session, user, permissions (2), data version, diary link: the record part is kept HTML.
CACHED_INJECTION_QUERIES = 6


def moved_on(write):
    before = DataVersion.current()
    write()
    return DataVersion.current() > before


def test_every_kind_of_write_moves_the_version_on(make_injection, make_patient, make_role_user):
    injection = make_injection([(-5, 8), (25, 1)])
    reading = injection.readings.first()
    assert moved_on(lambda: make_patient())
    assert moved_on(lambda: PainReading.objects.filter(pk=reading.pk).update(score=2))
    assert moved_on(lambda: Injection.objects.filter(pk=injection.pk).update(notes="x"))
    assert moved_on(lambda: Patient.objects.filter(pk=injection.patient_id).update(phone="1"))
    assert moved_on(lambda: services.refresh_evaluation(injection.pk))
    assert moved_on(lambda: signing.sign_off(injection.pk, make_role_user("Clinician")))
    other = make_injection([(-5, 8)])

    def raw_sql():
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM assessments_painreading WHERE injection_id = %s", [other.pk]
            )

    assert moved_on(raw_sql)


def test_reading_the_version_writes_nothing(db):
    assert not moved_on(DataVersion.current)
    assert not moved_on(lambda: list(Injection.objects.all()))


def test_the_board_shows_a_new_reading_at_once(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=25)
    board = reverse("assessments:board")
    assert "Due now" in nurse_client.get(board).content.decode()
    assert "Due now" in nurse_client.get(board).content.decode()  # From the cache.
    builders.add_reading(injection, 22, 1)
    page = nurse_client.get(board).content.decode()
    assert "Due now" not in page and "1/10" in page


def test_the_injection_page_is_kept_until_a_write(
    nurse_client, make_injection, django_assert_max_num_queries
):
    injection = make_injection([(-5, 8)], minutes_ago=40)
    page = reverse("assessments:injection_detail", args=[injection.pk])
    first = nurse_client.get(page).content.decode()
    assert "8/10" in first and "1/10" not in first
    with django_assert_max_num_queries(CACHED_INJECTION_QUERIES):
        kept = nurse_client.get(page).content.decode()
    assert "8/10" in kept and 'name="csrfmiddlewaretoken"' in kept
    builders.add_reading(injection, 22, 1)
    assert "1/10" in nurse_client.get(page).content.decode()


def test_the_injection_page_answers_404_for_an_unknown_injection_even_when_others_are_kept(
    nurse_client, make_injection
):
    injection = make_injection([(-5, 8)])
    nurse_client.get(reverse("assessments:injection_detail", args=[injection.pk]))
    missing = reverse("assessments:injection_detail", args=[injection.pk + 1])
    assert nurse_client.get(missing).status_code == 404


def test_the_kept_injection_page_follows_the_role(make_role_user, client, make_injection):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    page = reverse("assessments:injection_detail", args=[injection.pk])
    client.force_login(make_role_user("Nurse"))
    assert b"Enter score" in client.get(page).content
    client.force_login(make_role_user("Auditor"))
    seen = client.get(page).content
    assert b"Enter score" not in seen and b"Create a diary link" not in seen


def test_the_kept_injection_page_turns_final_the_moment_the_window_closes(
    client, make_role_user, make_injection, monkeypatch
):
    # Two visits in the same minute, either side of the window's close.
    moment = timezone.now().replace(second=10, microsecond=0) - timedelta(minutes=1)
    injection = make_injection(
        [(-5, 8), (25, 1)], performed_at=moment - timedelta(minutes=29, seconds=55)
    )
    client.force_login(make_role_user("Clinician"))
    page = reverse("assessments:injection_detail", args=[injection.pk])
    monkeypatch.setattr(timezone, "now", lambda: moment)
    open_page = client.get(page).content  # Provisional: the window is open.
    assert b'class="btn btn-success sign-off"' not in open_page and b"Sign-off from" in open_page
    monkeypatch.setattr(timezone, "now", lambda: moment + timedelta(seconds=20))
    assert b'class="btn btn-success sign-off"' in client.get(page).content


def test_the_kept_record_is_made_per_permission_the_template_asks_about():
    template = Path(settings.BASE_DIR, "templates/assessments/_injection_record.html")
    asked = set(re.findall(r"perms\.(\w+\.\w+)", template.read_text()))
    assert asked and asked <= set(RECORD_PERMISSIONS)
