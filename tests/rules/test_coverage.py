"""Coverage checklists (rules/coverage.py): pure, a table per policy."""

import ast
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from assessments.rules import coverage, series
from assessments.rules.coverage import Facts, Prior, check
from assessments.rules.series import concordance, series_result

THREE_POSITIVE = {
    "distraction": "positive",
    "thigh_thrust": "positive",
    "compression": "positive",
    "sacral_thrust": "negative",
    "gaenslen": "not_done",
    "faber": "negative",
}

# A diagnostic lidocaine block with everything Medicare and eviCore ask for.
COMPLETE = Facts(
    purpose="diagnostic",
    pain_region=True,
    pain_months=6,
    baseline=7,
    provocation=THREE_POSITIVE,
    conservative_weeks=6,
    active_rehab=True,
    other_causes_excluded=True,
    guidance="fluoroscopy",
    contrast=True,
    contrast_contraindicated=False,
    steroid=False,
    same_day_spine_block=False,
    agent="lidocaine",
    relief_percent=80,
    relief_duration="consistent",
)
FIRST_POSITIVE = Prior(
    days_ago=14,
    purpose="diagnostic",
    relief_percent=90,
    agent="lidocaine",
    relief_duration="consistent",
    steroid=False,
)
THERAPEUTIC = replace(
    COMPLETE,
    purpose="therapeutic",
    steroid=True,
    relief_percent=None,
    relief_duration=None,
    prior=(FIRST_POSITIVE,),
)
MEDICARE_CODES = [
    "pain_region",
    "pain_severity",
    "pain_duration",
    "provocation",
    "conservative_care",
    "other_causes",
    "image_guidance",
    "session_limit",
    "prior_positive",
    "relief",
    "relief_duration",
]


def item(policy, facts, code):
    return check(policy, facts).item(code).status


@pytest.mark.parametrize("module", [coverage, series])
def test_the_modules_import_no_django(module):
    tree = ast.parse(Path(module.__file__).read_text())
    nodes = list(ast.walk(tree))
    imported = {a.name for n in nodes if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in nodes if isinstance(n, ast.ImportFrom)}
    assert not any(name.startswith("django") for name in imported)


def test_a_complete_diagnostic_block_meets_medicare_with_every_item_in_order():
    checklist = check("CMS-L39402", COMPLETE)
    assert checklist.policy == "CMS-L39402@1"
    assert checklist.status == "met"
    assert [i.code for i in checklist.items] == MEDICARE_CODES
    statuses = {i.code: i.status for i in checklist.items}
    assert statuses["prior_positive"] == "not_applicable"
    assert all(s == "met" for c, s in statuses.items() if c != "prior_positive")


def test_evicore_has_medicare_items_plus_its_own():
    codes = [i.code for i in check("EVICORE-CMM-203@1", COMPLETE).items]
    assert set(codes) == set(MEDICARE_CODES) | {"active_rehab", "same_day_block", "interval"}
    assert check("EVICORE-CMM-203", COMPLETE).status == "met"


def test_nothing_recorded_is_incomplete_never_unmet():
    for policy in ("CMS-L39402@1", "EVICORE-CMM-203@1"):
        checklist = check(policy, Facts())
        assert checklist.status == "incomplete"
        assert "unmet" not in {i.status for i in checklist.items}


@pytest.mark.parametrize("policy", ["NOPE", "CMS-L39402@9", "", "cms-l39402"])
def test_an_unknown_policy_is_refused(policy):
    with pytest.raises(ValueError):
        check(policy, COMPLETE)


def test_an_unknown_purpose_is_refused():
    with pytest.raises(ValueError):
        check("CMS-L39402", replace(COMPLETE, purpose="curative"))


@pytest.mark.parametrize(
    "change, code, status",
    [
        ({"pain_region": None}, "pain_region", "unknown"),
        ({"pain_region": False}, "pain_region", "unmet"),
        ({"baseline": None}, "pain_severity", "unknown"),
        ({"baseline": 3}, "pain_severity", "unmet"),
        ({"baseline": 4}, "pain_severity", "met"),
        ({"baseline": 0}, "pain_severity", "unmet"),
        ({"pain_months": None}, "pain_duration", "unknown"),
        ({"pain_months": 2}, "pain_duration", "unmet"),
        ({"pain_months": Decimal("2.9")}, "pain_duration", "unmet"),
        ({"pain_months": 3}, "pain_duration", "met"),
        ({"conservative_weeks": None}, "conservative_care", "unknown"),
        ({"conservative_weeks": 3}, "conservative_care", "unmet"),
        ({"conservative_weeks": 4}, "conservative_care", "met"),
        ({"conservative_weeks": 0}, "conservative_care", "unmet"),
        ({"other_causes_excluded": None}, "other_causes", "unknown"),
        ({"other_causes_excluded": False}, "other_causes", "unmet"),
        ({"relief_percent": None}, "relief", "unknown"),
        ({"relief_percent": 75}, "relief", "met"),
        ({"relief_percent": Decimal("74.9")}, "relief", "unmet"),
        ({"relief_percent": 0}, "relief", "unmet"),
        ({"relief_duration": None}, "relief_duration", "unknown"),
        ({"relief_duration": "longer than expected"}, "relief_duration", "met"),
        ({"relief_duration": "shorter than expected"}, "relief_duration", "unmet"),
        ({"relief_duration": "late onset"}, "relief_duration", "unmet"),
        ({"relief_duration": "not constant"}, "relief_duration", "unmet"),
    ],
)
def test_medicare_items_at_their_boundaries(change, code, status):
    assert item("CMS-L39402", replace(COMPLETE, **change), code) == status


@pytest.mark.parametrize(
    "results, status",
    [
        ({}, "unknown"),
        (THREE_POSITIVE, "met"),
        ({"distraction": "positive", "faber": "positive", "gaenslen": "positive"}, "met"),
        ({"distraction": "positive", "thigh_thrust": "positive"}, "unknown"),
        # Not done never counts as negative: three could still be positive.
        (dict.fromkeys(coverage.MANOEUVRES, "not_done"), "unknown"),
        (
            {"distraction": "negative", "thigh_thrust": "negative", "compression": "negative"},
            "unknown",
        ),
        (
            {
                "distraction": "negative",
                "thigh_thrust": "negative",
                "compression": "negative",
                "sacral_thrust": "negative",
            },
            "unmet",
        ),
        (
            {
                "distraction": "positive",
                "thigh_thrust": "negative",
                "compression": "negative",
                "sacral_thrust": "negative",
                "gaenslen": "negative",
                "faber": "not_done",
            },
            "unmet",
        ),
        (
            {
                "distraction": "positive",
                "thigh_thrust": "positive",
                "compression": "negative",
                "sacral_thrust": "negative",
                "gaenslen": "negative",
                "faber": "not_done",
            },
            "unknown",
        ),
        (dict.fromkeys(coverage.MANOEUVRES, "negative"), "unmet"),
    ],
)
def test_provocation_needs_three_positive_and_is_unmet_only_when_out_of_reach(results, status):
    facts = replace(COMPLETE, provocation=results)
    assert item("CMS-L39402", facts, "provocation") == status
    assert item("EVICORE-CMM-203", facts, "provocation") == status


@pytest.mark.parametrize(
    "guidance, contrast, contraindicated, medicare, evicore",
    [
        ("fluoroscopy", True, None, "met", "met"),
        ("ct", True, None, "met", "met"),
        ("fluoroscopy", False, None, "unmet", "unmet"),
        ("fluoroscopy", False, False, "unmet", "unmet"),
        ("fluoroscopy", False, True, "met", "met"),
        ("CT", True, None, "met", "met"),
        ("ct", None, None, "unknown", "unknown"),
        ("ultrasound", None, True, "met", "unmet"),
        ("ultrasound", None, False, "unmet", "unmet"),
        ("ultrasound", None, None, "unknown", "unmet"),
        ("none", None, None, "unmet", "unmet"),
        (None, True, None, "unknown", "unknown"),
    ],
)
def test_image_guidance(guidance, contrast, contraindicated, medicare, evicore):
    facts = replace(
        COMPLETE, guidance=guidance, contrast=contrast, contrast_contraindicated=contraindicated
    )
    assert item("CMS-L39402", facts, "image_guidance") == medicare
    assert item("EVICORE-CMM-203", facts, "image_guidance") == evicore


def diag(days, relief=90, **kwargs):
    return Prior(days_ago=days, purpose="diagnostic", relief_percent=relief, **kwargs)


def ther(days, **kwargs):
    return Prior(days_ago=days, purpose="therapeutic", **kwargs)


@pytest.mark.parametrize(
    "purpose, prior, session_limit, prior_positive",
    [
        # Diagnostic: fewer than 2 earlier diagnostic sessions in 365 days.
        ("diagnostic", (), "met", "not_applicable"),
        ("diagnostic", (diag(30),), "met", "met"),
        ("diagnostic", (diag(30, relief=60),), "met", "unmet"),
        ("diagnostic", (diag(30, relief=75),), "met", "met"),
        ("diagnostic", (diag(30, relief=None),), "met", "unknown"),
        ("diagnostic", (diag(30), diag(60)), "unmet", "met"),
        # The same day (the other side) is the same session; two sides one day are one.
        ("diagnostic", (diag(0),), "met", "not_applicable"),
        ("diagnostic", (diag(30), diag(30)), "met", "met"),
        # Older than 365 days no longer counts.
        ("diagnostic", (diag(30), diag(365)), "unmet", "met"),
        ("diagnostic", (diag(30), diag(366)), "met", "met"),
        ("diagnostic", (diag(366),), "met", "not_applicable"),
        # Therapeutic blocks do not use up diagnostic sessions.
        ("diagnostic", (ther(30), ther(100)), "met", "not_applicable"),
        # Therapeutic: fewer than 4 earlier therapeutic sessions, after a positive diagnostic.
        ("therapeutic", (diag(200),), "met", "met"),
        ("therapeutic", (), "met", "unmet"),
        ("therapeutic", (diag(200, relief=50),), "met", "unmet"),
        ("therapeutic", (diag(200, relief=None),), "met", "unknown"),
        ("therapeutic", (diag(500),), "met", "met"),
        ("therapeutic", (diag(300), ther(60), ther(120), ther(180)), "met", "met"),
        ("therapeutic", (diag(300), ther(60), ther(120), ther(180), ther(240)), "unmet", "met"),
        ("therapeutic", (diag(300), ther(60), ther(60), ther(180), ther(240)), "met", "met"),
    ],
)
def test_sessions_in_the_rolling_year(purpose, prior, session_limit, prior_positive):
    facts = replace(COMPLETE, purpose=purpose, prior=prior)
    for policy in ("CMS-L39402", "EVICORE-CMM-203"):
        assert item(policy, facts, "session_limit") == session_limit
        assert item(policy, facts, "prior_positive") == prior_positive


def test_a_therapeutic_block_has_no_relief_items():
    checklist = check("CMS-L39402", THERAPEUTIC)
    assert checklist.item("relief").status == "not_applicable"
    assert checklist.item("relief_duration").status == "not_applicable"
    assert checklist.status == "met"


@pytest.mark.parametrize(
    "prior, status",
    [
        ((FIRST_POSITIVE,), "not_applicable"),
        ((FIRST_POSITIVE, ther(60)), "met"),
        ((FIRST_POSITIVE, ther(59)), "unmet"),
        ((FIRST_POSITIVE, ther(59), ther(0)), "unmet"),
        ((FIRST_POSITIVE, ther(400)), "met"),
    ],
)
def test_evicore_therapeutic_interval_is_two_months(prior, status):
    facts = replace(THERAPEUTIC, prior=prior)
    assert item("EVICORE-CMM-203", facts, "interval") == status
    assert item("EVICORE-CMM-203", COMPLETE, "interval") == "not_applicable"


@pytest.mark.parametrize(
    "change, code, status",
    [
        ({"active_rehab": None}, "active_rehab", "unknown"),
        ({"active_rehab": False}, "active_rehab", "unmet"),
        ({"same_day_spine_block": None}, "same_day_block", "unknown"),
        ({"same_day_spine_block": True}, "same_day_block", "unmet"),
    ],
)
def test_evicore_own_items(change, code, status):
    facts = replace(COMPLETE, **change)
    assert item("EVICORE-CMM-203", facts, code) == status
    assert check("EVICORE-CMM-203", facts).status == {"unknown": "incomplete"}.get(status, status)
    assert check("CMS-L39402", facts).status == "met"


def test_an_unmet_item_outweighs_an_unknown_one():
    facts = replace(COMPLETE, baseline=None, pain_region=False)
    assert check("CMS-L39402", facts).status == "unmet"


@pytest.mark.parametrize(
    "first, second, expected",
    [
        (("lidocaine", "consistent"), ("bupivacaine", "consistent"), "concordant"),
        (("lidocaine", "consistent"), ("bupivacaine", "longer than expected"), "concordant"),
        (("bupivacaine", "consistent"), ("lidocaine", "consistent"), "concordant"),
        (("lidocaine", "consistent"), ("ropivacaine", "consistent"), "concordant"),
        (
            ("lidocaine", "longer than expected"),
            ("bupivacaine", "longer than expected"),
            "prolonged both",
        ),
        (("lidocaine", "longer than expected"), ("bupivacaine", "consistent"), "discordant"),
        (("lidocaine", "consistent"), ("bupivacaine", "shorter than expected"), "discordant"),
        (("lidocaine", "not constant"), ("bupivacaine", "consistent"), "discordant"),
        (("lidocaine", None), ("bupivacaine", "consistent"), "not assessable"),
        (("lidocaine", "consistent"), ("lidocaine", "consistent"), "not assessable"),
        (("bupivacaine", "consistent"), ("ropivacaine", "consistent"), "not assessable"),
        ((None, "consistent"), ("bupivacaine", "consistent"), "not assessable"),
    ],
)
def test_concordance_of_a_comparative_pair(first, second, expected):
    assert concordance(*first, *second) == expected


CONFIRMING = replace(COMPLETE, agent="bupivacaine", relief_percent=85, relief_duration="consistent")


@pytest.mark.parametrize(
    "facts, status, items",
    [
        (CONFIRMING, "incomplete", {"prior_block": "unknown", "concordance": "unknown"}),
        (replace(CONFIRMING, prior=(FIRST_POSITIVE,)), "met", {"concordance": "met"}),
        (
            replace(CONFIRMING, prior=(replace(FIRST_POSITIVE, steroid=True),)),
            "unmet",
            {"anaesthetic_only": "unmet", "concordance": "met"},
        ),
        (
            replace(CONFIRMING, prior=(replace(FIRST_POSITIVE, steroid=None),)),
            "incomplete",
            {"anaesthetic_only": "unknown"},
        ),
        (
            replace(CONFIRMING, agent="lidocaine", prior=(FIRST_POSITIVE,)),
            "unmet",
            {"different_agents": "unmet", "concordance": "unmet"},
        ),
        (
            replace(CONFIRMING, relief_percent=60, prior=(FIRST_POSITIVE,)),
            "unmet",
            {"both_positive": "unmet"},
        ),
        (
            replace(CONFIRMING, relief_duration="shorter than expected", prior=(FIRST_POSITIVE,)),
            "unmet",
            {"concordance": "unmet"},
        ),
        (
            replace(CONFIRMING, relief_duration=None, prior=(FIRST_POSITIVE,)),
            "incomplete",
            {"concordance": "unknown"},
        ),
        # The comparator is an earlier diagnostic block within 365 days.
        (replace(CONFIRMING, prior=(replace(FIRST_POSITIVE, days_ago=366),)), "incomplete", {}),
        (replace(CONFIRMING, prior=(ther(30),)), "incomplete", {"prior_block": "unknown"}),
        # The latest earlier diagnostic block is the one compared.
        (
            replace(
                CONFIRMING, prior=(FIRST_POSITIVE, diag(100, agent="bupivacaine", steroid=False))
            ),
            "met",
            {"prior_block": "met"},
        ),
        # A first block that already fails cannot be confirmed.
        (replace(CONFIRMING, steroid=True), "unmet", {"anaesthetic_only": "unmet"}),
    ],
)
def test_comparative_blocks(facts, status, items):
    checklist = check("COMPARATIVE", facts)
    assert checklist.policy == "COMPARATIVE@1"
    assert [i.code for i in checklist.items] == [
        "prior_block",
        "anaesthetic_only",
        "different_agents",
        "both_positive",
        "concordance",
    ]
    assert checklist.status == status
    for code, expected in items.items():
        assert checklist.item(code).status == expected


def test_the_series_result_in_words():
    met = check("COMPARATIVE", replace(CONFIRMING, prior=(FIRST_POSITIVE,)))
    assert series_result(met.status) == "confirmed by comparative blocks"
    unmet = check("COMPARATIVE", replace(CONFIRMING, relief_percent=10, prior=(FIRST_POSITIVE,)))
    assert series_result(unmet.status) == "not confirmed"
    assert series_result(check("COMPARATIVE", CONFIRMING).status) == "awaiting a confirming block"


def test_every_item_says_why():
    for policy in coverage.POLICIES:
        for facts in (COMPLETE, Facts(), THERAPEUTIC):
            for entry in check(policy, facts).items:
                assert entry.status in coverage.ITEM_STATUSES
                assert entry.why
