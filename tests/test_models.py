from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from assessments.models import Injection, PainReading, Patient


def integrity_error(action):
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


@pytest.mark.parametrize("score", [11, 99])
def test_database_rejects_a_score_above_10(make_injection, score):
    injection = make_injection()
    integrity_error(
        lambda: PainReading.objects.create(
            injection=injection, recorded_at=injection.performed_at, score=score
        )
    )


@pytest.mark.parametrize(
    "field, value",
    [("context", "sitting"), ("source", "neighbour")],
)
def test_database_rejects_unknown_choices_on_readings(make_injection, field, value):
    injection = make_injection()
    integrity_error(
        lambda: PainReading.objects.create(
            injection=injection, recorded_at=injection.performed_at, score=3, **{field: value}
        )
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"side": "both"},
        {"guidance": "xray"},
        {"sedation": "general"},
        {"contrast": "maybe"},
        {"anaesthetic_volume_ml": Decimal("0")},
        {"steroid_agent": "triamcinolone", "steroid_dose_mg": None},
        {"steroid_agent": "none", "steroid_dose_mg": Decimal("40")},
        {"outcome": "probably"},
    ],
)
def test_database_rejects_an_inconsistent_injection(make_injection, changes):
    injection = make_injection()
    integrity_error(lambda: Injection.objects.filter(pk=injection.pk).update(**changes))


def test_database_rejects_an_empty_or_duplicate_mrn(make_patient):
    make_patient(mrn="A1")
    integrity_error(lambda: make_patient(mrn="A1"))
    integrity_error(lambda: make_patient(mrn=""))


def test_database_requires_the_injection_time(make_injection):
    injection = make_injection()
    integrity_error(lambda: Injection.objects.filter(pk=injection.pk).update(performed_at=None))


def test_clinical_rows_are_protected_from_cascading_deletes(make_injection):
    injection = make_injection([(-5, 7), (25, 1)])
    with pytest.raises(ProtectedError):
        injection.patient.delete()
    with pytest.raises(ProtectedError):
        injection.delete()


def test_patient_clean_strips_the_mrn_and_refuses_a_future_birth(db):
    patient = Patient(mrn="  X9  ", family_name="A", given_name="B", date_of_birth=date(1980, 1, 1))
    patient.full_clean()
    assert patient.mrn == "X9"
    patient.date_of_birth = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        patient.full_clean()
    assert "date_of_birth" in raised.value.message_dict


@pytest.mark.parametrize(
    "offset, message",
    [
        (timedelta(hours=-24, seconds=-1), "more than 24 hours before the injection"),
        (timedelta(days=14, seconds=1), "more than 14 days after the injection"),
    ],
)
def test_reading_clean_refuses_readings_far_from_the_injection(make_injection, offset, message):
    injection = make_injection(minutes_ago=20 * 24 * 60)
    reading = PainReading(injection=injection, recorded_at=injection.performed_at + offset, score=3)
    with pytest.raises(ValidationError) as raised:
        reading.full_clean()
    assert message in raised.value.message_dict["recorded_at"][0]


@pytest.mark.parametrize("offset", [timedelta(hours=-24), timedelta(days=14)])
def test_reading_clean_accepts_the_limits_themselves(make_injection, offset):
    injection = make_injection(minutes_ago=20 * 24 * 60)
    PainReading(
        injection=injection, recorded_at=injection.performed_at + offset, score=3
    ).full_clean()


def test_reading_clean_refuses_a_future_reading(make_injection):
    injection = make_injection(minutes_ago=5)
    reading = PainReading(
        injection=injection, recorded_at=timezone.now() + timedelta(minutes=1), score=3
    )
    with pytest.raises(ValidationError) as raised:
        reading.full_clean()
    assert raised.value.message_dict["recorded_at"] == ["A reading cannot be in the future."]


def test_reading_clean_refuses_a_score_out_of_range(make_injection):
    injection = make_injection()
    reading = PainReading(injection=injection, recorded_at=injection.performed_at, score=11)
    with pytest.raises(ValidationError) as raised:
        reading.full_clean()
    assert "score" in raised.value.message_dict


def test_injection_clean_requires_a_dose_with_a_steroid(make_injection):
    injection = make_injection()
    injection.steroid_agent = "triamcinolone"
    with pytest.raises(ValidationError) as raised:
        injection.full_clean()
    assert raised.value.message_dict["steroid_dose_mg"] == ["Enter the corticosteroid dose."]


def test_str_names_no_patient(make_injection):
    injection = make_injection(patient=None)
    patient = injection.patient
    assert str(patient) == f"MRN {patient.mrn}"
    for text in (str(patient), str(injection), str(injection.readings.first())):
        assert patient.family_name not in text and patient.given_name not in text


def test_minutes_after_is_exact(make_injection):
    injection = make_injection()
    moment = injection.performed_at + timedelta(minutes=19, seconds=54)
    assert injection.minutes_after(moment) == Decimal("19.9")


def test_follow_up_day_counts_calendar_days_in_the_clinic_time_zone(make_injection, settings):
    settings.TIME_ZONE = "America/New_York"
    performed = timezone.make_aware(
        timezone.datetime(2026, 3, 1, 23, 30), timezone.get_fixed_timezone(-300)
    )
    injection = make_injection(performed_at=performed)
    reading = PainReading(injection=injection, recorded_at=performed + timedelta(hours=1), score=2)
    assert reading.follow_up_day == 1
    assert reading.phase == "1 h after"
    later = PainReading(injection=injection, recorded_at=performed + timedelta(days=3), score=2)
    assert later.phase == "Day 3"


def test_patient_age_on_a_day():
    patient = Patient(date_of_birth=date(1980, 6, 15))
    assert patient.age_on(date(2026, 6, 14)) == 45
    assert patient.age_on(date(2026, 6, 15)) == 46
