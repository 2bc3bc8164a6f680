"""The data version (models/version.py): every write moves it on, whatever the path; the
board's cached cards follow it."""

from datetime import timedelta

from django.db import connection
from django.urls import reverse

from assessments import services, signing
from assessments.models import DataVersion, Injection, PainReading, Patient


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
    services.add_reading(
        injection,
        entered_by=None,
        recorded_at=injection.performed_at + timedelta(minutes=22),
        score=1,
        context="provoked",
    )
    page = nurse_client.get(board).content.decode()
    assert "Due now" not in page and "1/10" in page
