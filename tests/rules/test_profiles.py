"""Criteria profiles (rules/profiles.py): versions, their options and the criteria matrix."""

import pytest

from assessments.rules import Outcome, evaluate_readings
from assessments.rules import profiles as prof

P, IND, N, X = Outcome.POSITIVE, Outcome.INDETERMINATE, Outcome.NEGATIVE, Outcome.NON_DIAGNOSTIC


def test_built_in_profiles_are_found_by_code_and_version():
    assert prof.find("LEAFLET") is prof.LEAFLET
    assert prof.find("CMS-LCD-2023@2") is prof.CMS_LCD_2023
    with pytest.raises(ValueError, match="Unknown criteria profile 'LEAFLET@9'"):
        prof.find("LEAFLET@9")
    with pytest.raises(ValueError, match="the built-in ones are LEAFLET, CMS-LCD-2023"):
        prof.find("NICE")


@pytest.mark.parametrize(
    "key", ["LEAFLET@3", "ASPN-2024@2", "RESEARCH-80@2", "CMS-LCD-2023@2"], ids=str
)
def test_the_current_versions_read_by_rule_two_point_one(key):
    profile = prof.find(key)
    assert profile in prof.BUILT_IN
    assert prof.find(profile.code) is profile
    assert (profile.key, profile.revision) == (key, "2.1")


@pytest.mark.parametrize(
    "key", ["LEAFLET@2", "ASPN-2024@1", "RESEARCH-80@1", "CMS-LCD-2023@1"], ids=str
)
def test_earlier_versions_stay_findable_and_read_as_they_did(key):
    profile = prof.find(key)
    assert profile not in prof.BUILT_IN
    assert (profile.key, profile.revision, profile.min_baseline) == (key, "2.0", None)
    # 87.5 % then 25 %: rule 2.0 read the 25 % alone; 2.1 calls it indeterminate.
    readings = [(-10, 8, "provoked"), (22, 1, "provoked"), (29, 6, "provoked")]
    assert prof.evaluate_profile(profile, readings).outcome == N
    assert prof.evaluate_profile(prof.find(profile.code), readings).outcome == IND


def test_a_version_keeps_its_options():
    """A profile's options never change under a version: these are what sign-offs stored."""
    assert prof.find("LEAFLET@2").options() == {
        "threshold": 75,
        "inclusive": False,
        "method": "sustained",
        "negative_below": None,
        "required_context": None,
        "revision": "2.0",
    }
    assert prof.find("CMS-LCD-2023@2").options() == {
        "threshold": 75,
        "inclusive": True,
        "method": "sustained",
        "negative_below": None,
        "required_context": "provoked",
        "revision": "2.1",
        "min_baseline": 4,
    }


def test_the_medicare_profile_is_for_moderate_to_severe_pain():
    assert prof.CMS_LCD_2023.min_baseline == 4
    assert {p.min_baseline for p in prof.BUILT_IN if p is not prof.CMS_LCD_2023} == {None}
    below = prof.evaluate_profile(prof.CMS_LCD_2023, [(-10, 3, "provoked"), (25, 0, "provoked")])
    assert (below.outcome, below.reasons.cause) == (X, "baseline_below_minimum")
    at = prof.evaluate_profile(prof.CMS_LCD_2023, [(-10, 4, "provoked"), (25, 1, "provoked")])
    assert at.outcome == P


def test_each_row_says_what_it_tested():
    assert prof.CMS_LCD_2023.criterion == "≥ 75 % reduction, sustained, provoked, baseline ≥ 4/10"
    assert prof.LEAFLET.criterion == "> 75 % reduction, sustained, same context"
    assert prof.ASPN_2024.criterion == "> 50 % reduction, sustained, same context"


def test_the_criteria_matrix_says_what_each_row_tested_and_did_not_check():
    readings = [(-10, 8, "provoked"), (28, 3, "provoked")]
    matrix = {c.profile.code: c for c in prof.criteria_matrix(readings)}
    assert matrix["CMS-LCD-2023"].sentence == (
        "CMS-LCD-2023@2, reduction: no — reading at 28 min, 3/10, is 62.5 % (needs ≥ 75 %); "
        "duration of relief and coverage criteria are not part of this row (relief for the "
        "anaesthetic's duration, image guidance with contrast, the work-up before the block)"
    )
    assert matrix["ASPN-2024"].sentence == (
        "ASPN-2024@2, reduction: yes — reading at 28 min, 3/10, is 62.5 %; duration of relief "
        "is not part of this row (relief consistent with the agent's duration)"
    )
    assert matrix["LEAFLET"].sentence == (
        "LEAFLET@3, reduction: no — reading at 28 min, 3/10, is 62.5 % (needs > 75 %)"
    )
    assert [c.meets for c in matrix.values()] == [False, False, True, False]


def test_a_payer_row_never_claims_more_than_the_reduction():
    readings = [(-10, 8, "provoked"), (25, 1, "provoked")]
    cms = next(c for c in prof.criteria_matrix(readings) if c.profile is prof.CMS_LCD_2023)
    assert (cms.meets, cms.answer) == (True, "yes")
    assert cms.sentence.startswith("CMS-LCD-2023@2, reduction: yes")
    assert "duration of relief and coverage criteria are not part of this row" in cms.sentence
    assert "Meets" not in cms.sentence


def test_the_aspn_row_does_not_apply_when_a_steroid_was_injected():
    readings = [(-10, 8, "provoked"), (25, 1, "provoked")]
    matrix = {c.profile.code: c for c in prof.criteria_matrix(readings, steroid=True)}
    aspn = matrix["ASPN-2024"]
    assert (aspn.applicable, aspn.meets, aspn.answer, aspn.status) == (
        False,
        False,
        "not applicable",
        "not-applicable",
    )
    assert "not applicable: a steroid was injected" in aspn.sentence
    assert matrix["LEAFLET"].meets is True
    plain = {c.profile.code: c for c in prof.criteria_matrix(readings)}["ASPN-2024"]
    assert (plain.applicable, plain.meets) == (True, True)


def test_a_row_whose_relief_was_not_sustained_says_so():
    readings = [(-10, 8, "provoked"), (22, 1, "provoked"), (29, 3, "provoked")]
    leaflet = prof.criteria_matrix(readings)[0]
    assert leaflet.why == (
        "reading at 29 min, 3/10, is 62.5 % (needs > 75 % at every reading: relief not sustained)"
    )


def test_exactly_75_meets_the_medicare_profile_but_not_the_leaflet():
    readings = [(-10, 8, "provoked"), (25, 2, "provoked")]
    meets = {c.profile.code: c.meets for c in prof.criteria_matrix(readings)}
    assert meets == {
        "LEAFLET": False,
        "CMS-LCD-2023": True,
        "ASPN-2024": True,
        "RESEARCH-80": False,
    }


def test_the_medicare_profile_needs_a_provoked_baseline():
    readings = [(-10, 8, "rest"), (25, 1, "rest")]
    cms = next(c for c in prof.criteria_matrix(readings) if c.profile is prof.CMS_LCD_2023)
    assert cms.meets is False
    assert "non-diagnostic" in cms.sentence


def test_a_pending_block_meets_nothing_yet():
    matrix = prof.criteria_matrix([(-10, 8, "provoked")], minutes_elapsed=5)
    assert {c.meets for c in matrix} == {None}
    assert all("not yet" in c.sentence for c in matrix)


def test_rule_options_reproduce_the_profile_exactly():
    readings = [(-10, 8, "provoked"), (25, 1, "rest"), (27, 2, "provoked")]
    medicine = ("paracetamol 1 g", "5", "3 Mar 2026, 09:05 UTC")
    options = prof.rule_options(prof.LEAFLET, confounders=["moderate sedation", medicine])
    assert options["confounders"] == ["moderate sedation", list(medicine)]
    assert options["revision"] == "2.1"
    assert evaluate_readings(readings, **options) == prof.evaluate_profile(
        prof.LEAFLET, readings, confounders=["moderate sedation", medicine]
    )


def test_the_legacy_profile_is_rule_one_point_zero():
    readings = [(-10, 8, "provoked"), (22, 4, "rest"), (25, 2, "provoked")]
    legacy = prof.evaluate_profile(prof.legacy_profile(75, False), readings)
    assert (legacy.decisive_score, legacy.outcome) == (2, IND)
    assert prof.evaluate_profile(prof.legacy_profile(75, False), [(-5, 10), (25, 9)]).outcome == IND


@pytest.mark.parametrize(
    "other, same",
    [(prof.ASPN_2024, True), (prof.RESEARCH_80, True), (prof.CMS_LCD_2023, False)],
    ids=lambda value: getattr(value, "key", str(value)),
)
def test_profiles_decided_by_the_same_reading_share_method_context_band_and_revision(other, same):
    assert prof.decided_by_the_same_reading(prof.LEAFLET, other) is same
    assert not prof.decided_by_the_same_reading(prof.LEAFLET, prof.find("ASPN-2024@1"))


def test_a_provisional_reading_that_meets_the_rule_says_so_so_far():
    matrix = prof.criteria_matrix([(-10, 8, "provoked"), (21, 1, "provoked")], minutes_elapsed=22)
    leaflet = matrix[0]

    assert leaflet.meets is None
    assert leaflet.why == (
        "reading at 21 min, 1/10, is 87.5 %, meeting it so far (the window is still open)"
    )
    assert "needs" not in leaflet.sentence
