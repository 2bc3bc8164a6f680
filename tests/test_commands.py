import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Injection, Patient
from assessments.rules import Outcome


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_seed_demo_covers_every_result_and_runs_twice_without_duplicates(db):
    run("setup_roles")
    assert "23 new patient(s)" in run("seed_demo")
    counts = (Patient.objects.count(), Injection.objects.count())
    assert "0 new patient(s)" in run("seed_demo")
    assert (Patient.objects.count(), Injection.objects.count()) == counts == (23, 24)
    results = {injection.result() for injection in Injection.objects.all()}
    assert {result.outcome for result in results} == set(Outcome)
    assert any(result.provisional for result in results)
    assert any(result.is_override for result in results)
    assert Injection.objects.filter(at_threshold=True, percent_reduction=75).exists()


def test_seed_demo_shows_a_met_an_incomplete_and_an_unmet_medicare_checklist(db):
    from assessments.coverage_facts import coverage_for

    run("seed_demo")
    statuses = {
        injection.patient.mrn: coverage_for(injection)
        for injection in Injection.objects.filter(confirms__isnull=True).select_related("patient")
        if not injection.confirmed_by.exists()
    }
    confirming = Injection.objects.get(confirms__isnull=False)
    pair = coverage_for(confirming)
    assert pair.checklists[0].status == "met"
    assert pair.series == "confirmed by comparative blocks"
    assert statuses["DEMO-003"].checklists[0].status == "unmet"
    assert statuses["DEMO-002"].checklists[0].status == "incomplete"


def test_seed_demo_has_one_injection_performed_minutes_ago(db):
    from django.utils import timezone

    run("seed_demo")
    recent = Injection.objects.filter(
        performed_at__gte=timezone.now() - timezone.timedelta(minutes=15)
    )
    assert recent.count() == 1
    assert recent.get().result().outcome is Outcome.PENDING


def test_seed_demo_stores_the_same_evaluation_the_rule_gives(db):
    run("seed_demo", "--patients", "300")
    assert Injection.objects.count() == 324
    for injection in Injection.objects.filter(locked_at__isnull=True).prefetch_related("readings"):
        evaluation = injection.evaluate(injection.readings.all(), window_closed=True)
        assert injection.outcome == evaluation.outcome.value


def test_seed_demo_bulk_mode_tops_up_to_the_requested_size(db):
    run("seed_demo", "--patients", "50")
    run("seed_demo", "--patients", "80")
    assert Patient.objects.filter(mrn__startswith="SYN-").count() == 80


def test_demo_login_prints_a_fresh_working_password_every_run(db, settings):
    settings.DEBUG = True
    run("setup_roles")
    first = run("demo_login", "--url", "http://127.0.0.1:9000/")
    second = run("demo_login")
    password = re.search(r"as  demo / (\S+)", second).group(1)
    assert "http://127.0.0.1:9000/" in first and password not in first
    users = get_user_model().objects
    assert users.get(username="demo").check_password(password)
    assert users.get(username="demo.nurse").check_password(password)
    nurse = get_user_model().objects.get(username="demo.nurse")
    assert [g.name for g in nurse.groups.all()] == ["Nurse"] and not nurse.is_superuser
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_demo_login_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG=1"):
        run("demo_login")
    assert not get_user_model().objects.exists()


def test_recompute_evaluations_applies_changed_rule_settings(make_injection, settings):
    injection = make_injection([(-5, 8), (25, 2)])
    unchanged = make_injection([(-5, 8), (25, 1)])
    assert injection.outcome == "indeterminate"
    settings.SI_PROFILE = "CMS-LCD-2023"
    output = run("recompute_evaluations")
    assert "Recomputed 2 injection(s) under CMS-LCD-2023@2" in output
    assert "1 outcome(s) changed" in output and "indeterminate → positive: 1" in output
    injection.refresh_from_db()
    assert (injection.outcome, injection.evaluated_rule) == ("positive", "CMS-LCD-2023@2/warn")
    assert Injection.objects.get(pk=unchanged.pk).outcome == "positive"
    assert "Recomputed 0 injection(s)" in run("recompute_evaluations")
    assert "Recomputed 2 injection(s)" in run("recompute_evaluations", "--all")


def test_recompute_evaluations_lists_each_injection_that_moved(make_injection):
    """After rule 2.1 arrives: a fluctuating response stored as negative by rule 2.0."""
    moved = make_injection([(-5, 8), (22, 1), (29, 6)])
    kept = make_injection([(-5, 8), (25, 1)])
    Injection.objects.filter(pk__in=[moved.pk, kept.pk]).update(evaluated_rule="LEAFLET@2/warn")
    Injection.objects.filter(pk=moved.pk).update(outcome="negative")
    output = run("recompute_evaluations")
    assert "Recomputed 2 injection(s) under LEAFLET@3" in output
    assert "negative → indeterminate: 1" in output
    assert f"{moved}: negative (25.0 %) → indeterminate (25.0 %) (was LEAFLET@2/warn)" in output
    assert str(kept) not in output
    assert moved.patient.family_name not in output


def test_recompute_evaluations_moves_rule_one_outcomes_to_rule_two(make_injection):
    """Stored before rule 2.0 (evaluated_rule empty): the lowest reading had decided."""
    injection = make_injection([(-5, 8), (22, 4), (25, 1)])
    Injection.objects.filter(pk=injection.pk).update(outcome="positive", evaluated_rule="")
    output = run("recompute_evaluations")
    assert "positive → indeterminate: 1" in output
    assert Injection.objects.get(pk=injection.pk).outcome == "indeterminate"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEBUG": "0", "SECRET_KEY": ""}, "SECRET_KEY is required when DEBUG is off."),
        ({"DEBUG": "maybe", "SECRET_KEY": "x"}, "DEBUG must be 1/0"),
        ({"SECRET_KEY": "x", "SI_PROFILE": "NICE"}, "SI_PROFILE: Unknown criteria profile"),
        ({"SECRET_KEY": "x", "SI_CONFOUNDER_POLICY": "ignore"}, "SI_CONFOUNDER_POLICY must be"),
        ({"SECRET_KEY": "x", "SI_THRESHOLD_PERCENT": "80"}, "was replaced by SI_PROFILE"),
    ],
)
def test_settings_fail_closed_on_bad_environment(env, message):
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr
