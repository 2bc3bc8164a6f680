"""The work-up and the series (models/workup.py, coverage_facts.py), on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import services, signing
from assessments.coverage_facts import coverage_for, coverages_for, facts_for
from assessments.models import Injection, WorkUp

POSITIVE_BLOCK = [(-5, 8), (25, 1), (60, 1), (100, 1), (150, 6)]  # lidocaine: 1–2 h
LONG_BLOCK = [(-5, 8), (25, 1), (100, 1), (180, 1), (260, 1), (340, 7)]  # bupivacaine: 3–8 h


def work_up(patient, **fields):
    fields.setdefault("side", "left")
    fields.setdefault("examined_on", timezone.localdate() - timedelta(days=7))
    fields.setdefault("pain_over_si_joint", True)
    fields.setdefault("pain_onset", fields["examined_on"] - timedelta(days=200))
    fields.setdefault("usual_pain", 7)
    for name in ("distraction", "thigh_thrust", "compression"):
        fields.setdefault(name, "positive")
    fields.setdefault("conservative_care", "physiotherapy")
    fields.setdefault("conservative_weeks", 6)
    fields.setdefault("other_causes_excluded", True)
    return WorkUp.objects.create(patient=patient, **fields)


def refused(match=None):
    return pytest.raises(IntegrityError, match=match)


@pytest.mark.parametrize(
    "fields",
    [
        {"usual_pain": 11},
        {"distraction": "maybe"},
        {"side": "both"},
        {"conservative_weeks": 999},
        {"examined_on": date(1999, 1, 1)},
        {"pain_onset": date(2030, 1, 1)},
    ],
)
def test_the_database_refuses_an_impossible_work_up(make_patient, fields):
    patient = make_patient()
    with refused(), transaction.atomic():
        work_up(patient, **fields)


def test_a_bad_work_up_gets_a_message_on_its_field_and_nothing_is_saved(make_patient):
    patient = make_patient()
    record = WorkUp(
        patient=patient,
        side="left",
        examined_on=timezone.localdate(),
        pain_onset=timezone.localdate() + timedelta(days=3),
        usual_pain=12,
        conservative_weeks=5,
    )
    with pytest.raises(ValidationError) as error:
        services.save_work_up(record)
    assert set(error.value.message_dict) == {"pain_onset", "usual_pain", "conservative_care"}
    assert not WorkUp.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"retest_positive": 3, "retest_tested": 2},
        {"retest_positive": 1},
        {"retest_tested": 7, "retest_positive": 1},
        {"purpose": "curative"},
    ],
)
def test_the_database_refuses_an_impossible_series(make_injection, fields):
    with refused(), transaction.atomic():
        make_injection(**fields)


def test_a_block_cannot_confirm_itself_or_be_therapeutic_and_confirm(make_injection):
    first = make_injection(POSITIVE_BLOCK)
    with refused(), transaction.atomic():
        Injection.objects.filter(pk=first.pk).update(confirms=first)
    second = make_injection(patient=first.patient, minutes_ago=60)
    with refused(), transaction.atomic():
        Injection.objects.filter(pk=second.pk).update(confirms=first, purpose="therapeutic")


def test_confirming_another_patients_block_is_a_field_error(make_injection):
    first = make_injection(POSITIVE_BLOCK)
    other = make_injection(minutes_ago=60, confirms=None)
    other.confirms = first
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "confirms" in error.value.message_dict


def test_a_work_up_locks_when_a_block_using_it_is_signed(make_injection, clinician):
    injection = make_injection(POSITIVE_BLOCK)
    record = work_up(injection.patient)
    Injection.objects.filter(pk=injection.pk).update(work_up=record)
    record.usual_pain = 6
    services.save_work_up(record)  # still editable
    signing.sign_off(injection.pk, clinician)
    record.usual_pain = 5
    with pytest.raises(ValidationError, match="signed block uses this work-up"):
        services.save_work_up(record)
    with refused("signed block uses this work-up"), transaction.atomic():
        WorkUp.objects.filter(pk=record.pk).update(usual_pain=2)
    assert WorkUp.objects.get(pk=record.pk).usual_pain == 6


def test_a_block_reads_the_latest_work_up_of_its_side_in_12_months(clinic_clock, make_injection):
    injection = make_injection(POSITIVE_BLOCK)
    patient = injection.patient
    today = timezone.localdate()
    work_up(patient, examined_on=today - timedelta(days=400), usual_pain=9)
    recent = work_up(patient, examined_on=today - timedelta(days=30))
    work_up(patient, side="right", examined_on=today - timedelta(days=2))
    facts = facts_for(injection)
    assert coverage_for(injection).work_up == recent
    assert facts.pain_region is True
    assert facts.provocation == dict.fromkeys(
        ["distraction", "thigh_thrust", "compression"], "positive"
    )
    assert facts.conservative_weeks == 6
    assert facts.relief_percent == injection.percent_reduction
    assert facts.relief_duration == "consistent"


def test_without_a_work_up_the_medicare_checklist_is_incomplete(make_injection):
    injection = make_injection(POSITIVE_BLOCK)
    checklist = coverage_for(injection).checklists[0]
    assert checklist.policy == "CMS-L39402@1"
    assert checklist.status == "incomplete"
    assert checklist.item("provocation").status == "unknown"
    assert checklist.item("relief").status == "met"


def comparative_pair(make_injection, **second):
    first = make_injection(POSITIVE_BLOCK, minutes_ago=14 * 24 * 60, contrast="yes")
    work_up(first.patient, examined_on=timezone.localdate() - timedelta(days=20))
    second.setdefault("anaesthetic_agent", "bupivacaine")
    second.setdefault("contrast", "yes")
    confirming = make_injection(
        LONG_BLOCK, patient=first.patient, minutes_ago=24 * 60, confirms=first, **second
    )
    return first, confirming


def test_comparative_blocks_confirm_on_both_injections(clinic_clock, make_injection):
    first, confirming = comparative_pair(make_injection)
    for injection in (first, confirming):
        result = coverage_for(injection)
        assert result.series == "confirmed by comparative blocks"
        assert [c.policy for c in result.checklists] == ["CMS-L39402@1", "COMPARATIVE@1"]
    medicare = coverage_for(confirming).checklists[0]
    assert medicare.status == "met", medicare.items
    assert medicare.item("prior_positive").status == "met"


def test_comparative_blocks_with_the_same_agent_are_not_confirmed(make_injection):
    _, confirming = comparative_pair(make_injection, anaesthetic_agent="lidocaine")
    assert coverage_for(confirming).series == "not confirmed"


def test_a_bilateral_day_is_one_session(clinic_clock, make_injection):
    left = make_injection(POSITIVE_BLOCK, minutes_ago=30 * 24 * 60)
    make_injection(
        POSITIVE_BLOCK, patient=left.patient, side="right", minutes_ago=30 * 24 * 60 - 10
    )
    later = make_injection(POSITIVE_BLOCK, patient=left.patient, minutes_ago=24 * 60)
    facts = facts_for(later)
    assert {prior.days_ago for prior in facts.prior} == {29}
    assert coverage_for(later).checklists[0].item("session_limit").status == "met"


def test_coverage_reads_work_ups_blocks_and_readings_in_three_queries(
    make_injection, django_assert_num_queries
):
    first, confirming = comparative_pair(make_injection)
    others = [make_injection(POSITIVE_BLOCK) for _ in range(3)]
    fresh = list(Injection.objects.filter(pk__in=[confirming.pk, *(o.pk for o in others)]))
    with django_assert_num_queries(3):
        found = coverages_for(fresh)
    assert found[confirming.pk].series == "confirmed by comparative blocks"


def test_an_unmet_checklist_never_stops_signing(make_injection, clinician):
    injection = make_injection(POSITIVE_BLOCK, guidance="ultrasound")
    work_up(
        injection.patient,
        distraction="negative",
        thigh_thrust="negative",
        compression="negative",
        sacral_thrust="negative",
    )
    assert coverage_for(injection).status == "unmet"
    signing.sign_off(injection.pk, clinician)
    injection.refresh_from_db()
    assert injection.is_locked


def test_recompute_evaluations_stores_coverage_when_the_policies_change(make_injection, settings):
    from io import StringIO

    from django.core.management import call_command

    from assessments.models import CoverageStatus

    injection = make_injection(POSITIVE_BLOCK)
    assert CoverageStatus.objects.get(injection=injection).policies == "CMS-L39402@1"
    settings.SI_COVERAGE_POLICIES = ["CMS-L39402@1", "EVICORE-CMM-203@1"]
    out = StringIO()
    call_command("recompute_evaluations", stdout=out)
    assert "stored for 1 injection(s)" in out.getvalue()
    stored = CoverageStatus.objects.get(injection=injection)
    assert stored.policies == "CMS-L39402@1,EVICORE-CMM-203@1"
    out = StringIO()
    call_command("recompute_evaluations", stdout=out)
    assert "stored for 0 injection(s)" in out.getvalue()


def test_a_sign_off_pins_the_work_up_the_block_read_and_locks_it(make_injection, clinician):
    injection = make_injection(POSITIVE_BLOCK)
    record = work_up(injection.patient)
    signing.sign_off(injection.pk, clinician)
    injection.refresh_from_db()
    assert injection.work_up == record
    record.usual_pain = 2
    with pytest.raises(ValidationError, match="signed block uses this work-up"):
        services.save_work_up(record)
    # A newer work-up does not change what the signed block reads.
    newer = work_up(
        injection.patient, examined_on=timezone.localdate() - timedelta(days=3), usual_pain=3
    )
    assert coverage_for(injection).work_up == record != newer
