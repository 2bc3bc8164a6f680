"""The statistics' stored inputs: written with the evaluation, filled by migration 0017."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from assessments import services
from assessments.models import Injection, PainReading
from assessments.rules.profiles import LEAFLET
from assessments.statistics.figures import median_of_counts, statistics
from tests import builders

# Lidocaine: relief from 15 minutes, last met at 60, gone at 120 (one slot each 15 min).
RELIEF_READINGS = [(-5, 8), (15, 1), (30, 1), (45, 1), (60, 1), (120, 6)]


@pytest.mark.parametrize(
    "readings, fields, cause",
    [
        ([(-5, 8), (25, 1)], {}, ""),
        ([(25, 1)], {}, "no_baseline"),
        ([(-5, 0), (25, 0)], {}, "baseline_zero"),
        ([(-5, 8), (60, 1)], {}, "no_window_reading"),
        ([(-5, 8), (25, 1, "rest")], {}, "no_context_reading"),
        ([(-5, 8), (25, 1)], {"sedation": "deep"}, "confounded"),
    ],
)
def test_the_cause_of_a_non_diagnostic_block_is_stored(db, settings, readings, fields, cause):
    settings.SI_CONFOUNDER_POLICY = "non_diagnostic"
    injection = builders.create_injection(readings, **fields)
    assert injection.non_diagnostic_cause == cause
    assert (injection.outcome == "non_diagnostic") == bool(cause)


def test_relief_and_the_diary_are_stored_with_the_evaluation(clinic_clock, db):
    injection = builders.create_injection(RELIEF_READINGS, minutes_ago=3 * 24 * 60)
    assert (injection.relief_last_met, injection.relief_first_failed) == (60, 120)
    assert injection.diary_slots == 11 + 7
    assert injection.diary_slots_filled == 5  # 15, 30, 45, 60 and 120 minutes


def test_relief_not_assessed_is_stored_as_none(db):
    injection = builders.create_injection([(-5, 8), (25, 1)])
    assert injection.relief_last_met is None and injection.relief_first_failed is None


def test_migration_0017_fills_the_columns_of_existing_injections(db):
    migration = importlib.import_module("assessments.migrations.0017_stored_statistics_inputs")
    relief = builders.create_injection(RELIEF_READINGS)
    missing = builders.create_injection([(25, 1)])
    disagreeing = builders.create_injection([(-5, 8), (60, 1)])
    blank = dict(
        non_diagnostic_cause="",
        relief_last_met=None,
        relief_first_failed=None,
        diary_slots=0,
        diary_slots_filled=0,
    )
    Injection.objects.update(**blank)
    # A stored outcome the rule no longer gives (e.g. signed under another profile).
    Injection.objects.filter(pk=disagreeing.pk).update(outcome="negative")
    migration.fill_statistics_inputs(apps, None)
    relief.refresh_from_db(), missing.refresh_from_db(), disagreeing.refresh_from_db()
    assert (relief.relief_last_met, relief.relief_first_failed, relief.diary_slots) == (60, 120, 18)
    assert missing.non_diagnostic_cause == "no_baseline"
    assert disagreeing.non_diagnostic_cause == "" and disagreeing.outcome == "negative"


def test_migration_0017_leaves_out_readings_after_a_rescue_analgesic(db):
    migration = importlib.import_module("assessments.migrations.0017_stored_statistics_inputs")
    injection = builders.create_injection(RELIEF_READINGS[:-2])  # relief at 15–45 minutes
    PainReading.objects.create(
        injection=injection,
        recorded_at=injection.performed_at + timedelta(minutes=60),
        score=1,
        context="provoked",
        medication="oxycodone 5 mg",
        medication_at=injection.performed_at + timedelta(minutes=50),
    )
    PainReading.objects.create(
        injection=injection,
        recorded_at=injection.performed_at + timedelta(minutes=120),
        score=6,
        context="provoked",
    )
    services.refresh_evaluation(injection.pk)
    Injection.objects.update(relief_last_met=60, relief_first_failed=120)
    migration.fill_statistics_inputs(apps, None)
    injection.refresh_from_db()
    # Without the readings from 50 minutes on, no reading failed: not assessable.
    assert (injection.relief_last_met, injection.relief_first_failed) == (None, None)


@pytest.mark.parametrize(
    "counts, median",
    [
        ([], None),
        ([(5, 3)], 5),
        ([(1, 1), (3, 1)], 2),
        ([(1, 2), (4, 1)], 1),
        ([(0, 1), (9, 2)], 9),
    ],
)
def test_median_of_counted_values(counts, median):
    assert median_of_counts(counts) == (None if median is None else Decimal(median))


def test_median_relief_by_agent_needs_five_patients(db):
    proceduralist = builders.create_user()
    performed_at = timezone.now() - timedelta(days=1)  # one moment: one clinic month
    for _ in range(5):
        builders.create_injection(
            RELIEF_READINGS, proceduralist=proceduralist, performed_at=performed_at
        )
    for readings in [RELIEF_READINGS] * 4 + [[(-5, 8), (25, 1)]] * 3:  # 4 of 7 assessed
        builders.create_injection(
            readings,
            proceduralist=proceduralist,
            anaesthetic_agent="ropivacaine",
            performed_at=performed_at,
        )
    month = timezone.localdate(performed_at)
    agents = statistics(month, month, LEAFLET).groupings["anaesthetic_agent"]
    relief = {group.key: group.relief for group in agents}
    assert relief == {"ropivacaine": None, "lidocaine": (Decimal(60), Decimal(120))}


def test_a_sign_off_after_a_profile_change_stores_the_outcome_it_signed(db, settings):
    from assessments import signing
    from assessments.rules.profiles import find

    injection = builders.create_injection([(-5, 8), (25, 2)])  # 75 %: indeterminate
    assert injection.outcome == "indeterminate"
    for _ in range(4):  # a month of five patients: shown
        builders.create_injection([(-5, 8), (25, 2)], performed_at=injection.performed_at)
    settings.SI_PROFILE = "ASPN-2024"  # > 50 %: positive; not recomputed yet
    signoff = signing.sign_off(injection.pk, builders.create_role_user("Clinician"))
    assert (signoff.computed_outcome, signoff.signed_outcome) == ("positive", "positive")
    injection.refresh_from_db()
    assert injection.outcome == "positive"
    month = timezone.localdate(injection.performed_at)
    figures = statistics(month, month, find("ASPN-2024")).total
    assert (figures.signed, figures.overridden) == (1, 0)
