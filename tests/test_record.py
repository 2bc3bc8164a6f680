"""The read model: one InjectionRecord per request, the rule evaluated once per profile."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import rules, signing
from assessments.models import Injection, primary_profile
from assessments.record import build_record, records
from assessments.rules import evaluation as rule_evaluation
from assessments.rules.profiles import BUILT_IN


@pytest.fixture
def evaluations(monkeypatch):
    """Each evaluation the rule runs, as the options it ran with."""
    seen = []
    real = rule_evaluation.evaluate

    def counting(baseline, readings, **options):
        seen.append(tuple(sorted((name, repr(value)) for name, value in options.items())))
        return real(baseline, readings, **options)

    monkeypatch.setattr(rule_evaluation, "evaluate", counting)
    return seen


def once_each(seen):
    return len(seen) == len(set(seen))


def test_the_injection_page_evaluates_each_profile_once(make_injection, nurse_client, evaluations):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    url = reverse("assessments:injection_detail", args=[injection.pk])
    evaluations.clear()
    assert nurse_client.get(url).status_code == 200
    assert len(evaluations) == len(BUILT_IN)
    assert once_each(evaluations)


def test_a_signed_page_adds_only_the_reproduction_of_its_sign_off(
    signed, nurse_client, evaluations
):
    url = reverse("assessments:injection_detail", args=[signed.pk])
    evaluations.clear()
    assert nurse_client.get(url).status_code == 200
    assert len(evaluations) == len(BUILT_IN) + 1


def test_the_pdf_evaluates_each_profile_once(make_injection, nurse_client, evaluations):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    evaluations.clear()
    response = nurse_client.get(reverse("assessments:injection_report", args=[injection.pk]))
    assert response.status_code == 200
    assert len(evaluations) == len(BUILT_IN)
    assert once_each(evaluations)


@pytest.mark.parametrize("minutes_ago", [24, 60])
def test_a_reading_post_evaluates_once_and_says_the_result(
    make_injection, nurse_client, evaluations, minutes_ago
):
    injection = make_injection([(-5, 8)], minutes_ago=minutes_ago)
    at = timezone.localtime(injection.performed_at + timedelta(minutes=22))
    evaluations.clear()
    response = nurse_client.post(
        reverse("assessments:quick_reading", args=[injection.pk]),
        {"score": "1", "recorded_at": at.strftime("%Y-%m-%dT%H:%M"), "context": "provoked"},
        follow=False,
    )
    assert response.status_code == 302
    assert len(evaluations) == 1
    message = [str(m) for m in response.wsgi_request._messages]
    words = "provisional" if minutes_ago < 30 else "Positive"
    assert words in message[0] and "reduction 87.5 %" in message[0]


def test_the_matrix_takes_the_primary_evaluation_from_the_record(make_injection):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    now = timezone.now()
    record = build_record(injection, now=now)
    primary = next(row for row in record.criteria if row.profile.key == primary_profile().key)
    assert primary.evaluation is record.computed
    assert record.evaluation == injection.evaluate(now=now)
    assert record.result.outcome is rules.Outcome.POSITIVE
    assert record.baseline.reading.score == 8 and record.decisive.reading.score == 1


def test_a_profile_outside_the_matrix_is_evaluated_once_more(make_injection, settings, evaluations):
    settings.SI_PROFILE = "LEAFLET@2"
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    evaluations.clear()
    record = build_record(injection, now=timezone.now())
    assert record.profile == "LEAFLET@2"
    assert len(evaluations) == 1
    assert len(record.criteria) == len(BUILT_IN)
    assert len(evaluations) == len(BUILT_IN) + 1


def test_a_signed_record_reads_as_signed_with_the_follow_up_after_it(make_injection, clinician):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=90)
    signing.sign_off(injection.pk, clinician, outcome="negative", reason="Sedated.")
    record = build_record(injection, now=timezone.now())
    assert record.result.is_override and record.result.outcome is rules.Outcome.NEGATIVE
    assert record.signoff.version == 1 and record.profile == record.signoff.profile


def test_an_export_evaluates_each_injection_once(make_injection, evaluations):
    for _ in range(3):
        make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    evaluations.clear()
    outcomes = [
        record.result.outcome for record in records(Injection.objects.all(), now=timezone.now())
    ]
    assert outcomes == [rules.Outcome.POSITIVE] * 3
    assert len(evaluations) == 3
