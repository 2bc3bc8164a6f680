"""The outcome dashboard: figures from a small hand-made clinic, suppression, the form, CSV.

The clock is frozen (tests/clock.py, 15 June 2026 at noon): the clinic's injections are all
in June, the month the figures are asked for."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from assessments import signing
from assessments.models import Injection
from assessments.rules.profiles import ASPN_2024, CMS_LCD_2023, LEAFLET, RESEARCH_80
from assessments.statistics.figures import computable_profiles, outcome_under, statistics
from tests import builders
from tests.clock import FROZEN_AT, frozen


@pytest.fixture(autouse=True)
def clock():
    with frozen():
        yield FROZEN_AT


def window():
    """The month of the frozen clock, June 2026 (the function takes the month in progress;
    the page does not)."""
    return date(2026, 6, 1), date(2026, 6, 1)


@pytest.fixture
def clinic(db):
    """Nine patients, one injection each, under the primary profile (LEAFLET, > 75 %)."""
    proceduralist = builders.create_user(first_name="Ada", last_name="Quill")
    make = lambda readings, **fields: builders.create_injection(  # noqa: E731
        readings, proceduralist=proceduralist, **fields
    )
    for _ in range(3):
        make([(-5, 8), (25, 1)])  # 87.5 %: positive
    make([(-5, 8), (25, 3)])  # 62.5 %: indeterminate
    make([(-5, 8), (25, 7)])  # 12.5 %: negative
    make([(-5, 8), (60, 2)])  # no reading in the window
    make([(25, 2)])  # no baseline
    make([(-5, 8)], minutes_ago=5)  # pending: the window is open
    overridden = make([(-5, 8), (25, 3)])  # indeterminate, signed positive
    clinician = builders.create_role_user("Clinician")
    signing.sign_off(overridden.pk, clinician, outcome="positive", reason="Fully relieved.")
    return proceduralist


def test_rates_count_the_result_in_force_and_leave_pending_out(clinic):
    figures = statistics(*window(), LEAFLET)
    total = figures.total
    assert (total.injections, total.patients, total.pending, total.decided) == (9, 9, 1, 8)
    assert (total.positive, total.indeterminate, total.negative, total.non_diagnostic) == (
        4,
        1,
        1,
        2,
    )
    cells = total.cells
    assert cells["positive"] == "50.0\u00a0%"  # the signed override counts as positive
    assert cells["non_diagnostic"] == "25.0\u00a0%"  # 2 of 8: the pending one is not counted
    assert cells["signed"] == "11.1\u00a0%"
    assert cells["overridden"] == "100.0\u00a0%"


def test_non_diagnostic_causes_are_counted_by_kind(clinic):
    total = statistics(*window(), LEAFLET).total
    assert (total.cause_no_baseline, total.cause_no_window_reading) == (1, 1)
    assert total.cause_confounded == total.cause_signed == total.cause_not_recorded == 0


def test_a_cause_of_fewer_than_five_injections_shows_as_small(clinic):
    causes = {words: (n, share) for words, n, share, _ in statistics(*window(), LEAFLET).causes}
    assert causes == {"no baseline": ("< 5", "—"), "no reading in the window": ("< 5", "—")}


def test_another_profile_reads_the_stored_scores_as_its_rule_would(clinic):
    aspn = statistics(*window(), ASPN_2024).total  # > 50 %: 62.5 % is positive
    assert (aspn.positive, aspn.indeterminate, aspn.negative, aspn.non_diagnostic) == (5, 0, 1, 2)
    research = statistics(*window(), RESEARCH_80).total  # ≥ 80 %; signed outcome not used
    assert (research.positive, research.indeterminate) == (3, 2)


def test_only_profiles_decided_by_the_same_reading_are_offered(settings):
    assert computable_profiles() == [LEAFLET, ASPN_2024, RESEARCH_80]
    assert CMS_LCD_2023 not in computable_profiles()


@pytest.mark.parametrize("profile", [LEAFLET, ASPN_2024, RESEARCH_80], ids=lambda p: p.code)
def test_the_sql_outcome_of_each_offered_profile_is_the_rules(db, profile):
    proceduralist = builders.create_user()
    scores = [(b, d) for b in (1, 3, 4, 5, 8, 10) for d in range(0, min(b + 2, 11))]
    for baseline, decisive in scores:
        builders.create_injection([(-5, baseline), (25, decisive)], proceduralist=proceduralist)
    builders.create_injection([(-5, 0), (25, 0)], proceduralist=proceduralist)
    for injection in Injection.objects.annotate(**outcome_under(profile)):
        expected = injection.evaluate(profile=profile, window_closed=True).outcome.value
        scores = (injection.baseline_score, injection.decisive_score)
        assert injection.profile_outcome == expected, scores


def test_patients_are_counted_once_per_group_whatever_their_injections(db):
    proceduralist = builders.create_user()
    twice, both, *single = (builders.create_patient() for _ in range(5))
    injections = [(twice, "ct"), (twice, "ct"), (both, "ct"), (both, "fluoroscopy")]
    injections += [(patient, "fluoroscopy") for patient in single]
    for patient, guidance in injections:
        builders.create_injection(
            [(-5, 8), (25, 1)], patient=patient, guidance=guidance, proceduralist=proceduralist
        )
    figures = statistics(*window(), LEAFLET)
    assert (figures.total.patients, figures.total.injections) == (5, 7)
    patients = {group.key: group.patients for group in figures.groupings["guidance"]}
    assert patients == {"ct": 2, "fluoroscopy": 4}


def test_months_are_the_clinics(db, settings):
    settings.TIME_ZONE = "Europe/Paris"
    first_of_april = timezone.make_aware(datetime(2026, 4, 1, 0, 30))  # 22:30 UTC on 31 March
    builders.create_injection([(-5, 8), (25, 1)], performed_at=first_of_april)
    months = statistics(date(2026, 3, 1), date(2026, 4, 30), LEAFLET).groupings["month"]
    assert [(group.label, group.injections) for group in months] == [
        ("Mar 2026", 0),
        ("Apr 2026", 1),
    ]


@pytest.mark.parametrize("profile", [LEAFLET, ASPN_2024, RESEARCH_80], ids=lambda p: p.code)
def test_the_sql_outcome_reads_a_mixed_response_as_the_rule_does(db, profile):
    """Rule 2.1: negative only when every counted reading is, so a strong reading beside a
    weak one is indeterminate under every offered profile, whatever the decisive score."""
    proceduralist = builders.create_user()
    for scores in [(1, 6), (3, 5), (1, 3), (5, 6), (0, 1), (2, 4)]:
        readings = [(-5, 8), (22, scores[0]), (28, scores[1])]
        builders.create_injection(readings, proceduralist=proceduralist)
    for injection in Injection.objects.annotate(**outcome_under(profile)):
        expected = injection.evaluate(profile=profile, window_closed=True).outcome.value
        assert injection.profile_outcome == expected, injection.decisive_score
