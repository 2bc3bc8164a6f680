"""Properties of the rule over generated readings (hypothesis)."""

from hypothesis import given
from hypothesis import strategies as st

from assessments.rules import Outcome, evaluate

P, IND, N = Outcome.POSITIVE, Outcome.INDETERMINATE, Outcome.NEGATIVE


RANK = {P: 3, IND: 2, N: 1}


@given(
    baseline=st.integers(1, 10),
    low=st.integers(0, 10),
    high=st.integers(0, 10),
    minutes=st.floats(20, 30),
    threshold=st.integers(1, 99),
    inclusive=st.booleans(),
)
def test_outcome_never_improves_when_the_decisive_score_rises(
    baseline, low, high, minutes, threshold, inclusive
):
    low, high = sorted((low, high))
    options = {"threshold": threshold, "inclusive": inclusive}
    better = evaluate(baseline, [(minutes, low)], **options)
    worse = evaluate(baseline, [(minutes, high)], **options)
    assert RANK[worse.outcome] <= RANK[better.outcome]
    assert worse.percent_reduction <= better.percent_reduction


@given(
    baseline=st.integers(1, 10),
    scores=st.lists(st.integers(0, 10), min_size=1, max_size=6),
    extra=st.integers(0, 10),
)
def test_sustained_is_never_more_positive_than_best_and_another_reading_never_makes_it_so(
    baseline, scores, extra
):
    readings = [(20 + index, score) for index, score in enumerate(scores)]
    sustained = evaluate(baseline, readings)
    best = evaluate(baseline, readings, method="best")
    assert RANK[sustained.outcome] <= RANK[best.outcome]
    more = evaluate(baseline, [*readings, (29, extra)])
    # Rule 2.1 reads both ways: another reading can never make a block positive, and never
    # negative unless it already was (a strong reading beside weak ones is indeterminate).
    assert more.outcome != P or sustained.outcome == P
    assert more.outcome != N or sustained.outcome == N
    assert more.percent_reduction <= sustained.percent_reduction


@given(
    baseline=st.integers(1, 10),
    scores=st.lists(st.integers(0, 10), min_size=1, max_size=6),
)
def test_sustained_is_positive_or_negative_only_when_every_counted_reading_agrees(baseline, scores):
    readings = [(20 + index, score) for index, score in enumerate(scores)]
    outcome = evaluate(baseline, readings).outcome
    alone = {evaluate(baseline, [reading]).outcome for reading in readings}
    if outcome in (P, N):
        assert alone == {outcome}
    else:
        assert alone != {P} and alone != {N}
