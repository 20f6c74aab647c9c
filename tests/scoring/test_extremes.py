"""Extreme magnitudes: never a silently wrong ranking.

Every method here is unchanged when a column is divided by a positive number (ELECTRE II
when the whole matrix is), so bibvalg's answer on any finite matrix must be scikit-
criteria's answer on the scaled matrix, or a refusal that says why.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.batch import rank_batch
from scoring.methods import ProblemError, rank_problem
from tests.scoring import skcriteria_reference
from tests.scoring.problems import make

ALL_METHODS = ["wsm", "wpm", "topsis", "vikor", "electre2"]
HIGHER_IS_BETTER = {"wsm": True, "wpm": True, "topsis": True, "vikor": False, "electre2": False}
# bibvalg ties scores closer than 1e-9 (README: ties); scikit-criteria parts any two that
# differ at all. Pairs further apart than this must come in scikit-criteria's order.
APART = 1e-8


def assert_same_order(ranks: np.ndarray, expected: np.ndarray, higher_is_better: bool) -> None:
    """Alternatives clearly apart in scikit-criteria's scores are in its order; exactly
    equal ones tie; ranks are dense from 1."""
    keyed = expected if higher_is_better else -expected
    for i in range(len(keyed)):
        for j in range(len(keyed)):
            if keyed[i] - keyed[j] > APART:
                assert ranks[i] < ranks[j], (i, j, expected, ranks)
            if keyed[i] == keyed[j]:
                assert ranks[i] == ranks[j], (i, j, expected, ranks)
    assert sorted(set(ranks.tolist())) == list(range(1, len(set(ranks.tolist())) + 1))


def test_a_column_near_the_largest_float_is_ranked_right_by_the_weighted_sum():
    # The column sum 1.7e308 + 2e307 overflows. By hand, each column over its sum: a has
    # 1.7 / 1.9 = 0.895 of the first and 1 / 2.1 = 0.476 of the second, b 0.105 and 0.524;
    # with equal weights a scores 0.685 and b 0.315: a first.
    result = rank_problem(make([[1.7e308, 1], [2e307, 1.1]], [1, 1]), "wsm")
    first = np.array([(1.7 / 1.9 + 1 / 2.1) / 2, (0.2 / 1.9 + 1.1 / 2.1) / 2])
    np.testing.assert_allclose(result.scores, first, rtol=1e-12)
    assert result.ranks.tolist() == [1, 2]
    _, ranks = rank_batch("wsm", np.array([[1.7e308, 1], [2e307, 1.1]]), np.ones((1, 2)))
    assert ranks.tolist() == [[1, 2]]


def test_topsis_with_squares_beyond_the_largest_float_is_ranked_right():
    # [[1e160, 1], [1e159, 2]], weights 3 : 1 -> scaled [[1, 1], [0.1, 2]]: a first.
    matrix = np.array([[1e160, 1], [1e159, 2]])
    expected, expected_ranks = skcriteria_reference.run("topsis", [[1, 1], [0.1, 2]], [3, 1])
    result = rank_problem(make(matrix, [3, 1]), "topsis")
    np.testing.assert_allclose(result.scores, expected, rtol=0, atol=1e-12)
    assert result.ranks.tolist() == expected_ranks == [1, 2]
    _, ranks = rank_batch("topsis", matrix, np.array([[3.0, 1.0]]))
    assert ranks.tolist() == [[1, 2]]


@pytest.mark.parametrize("method", ["wsm", "wpm"])
def test_a_tiny_value_on_a_minimised_criterion_is_refused_or_ranked(method):
    # 1/5e-324 overflows. The weighted sum scales by the column's smallest value first
    # (5e-324 and 2 are 4e323 apart: too far for a float), the product refuses outright.
    problem = make([[5e-324, 1.0], [2.0, 1.1]], [1, 1], ["min", "max"])
    with pytest.raises(ProblemError, match="orders of magnitude|inverse"):
        rank_problem(problem, method)


def test_a_tiny_value_within_range_is_ranked_after_scaling():
    # 1e-310 and 1e-300 on a minimised criterion: 1/x overflows for neither once the column
    # is divided by its smallest value (-> 1 and 1e10): the first is far better.
    problem = make([[1e-310, 1.0], [1e-300, 1.0]], [1, 1], ["min", "max"])
    result = rank_problem(problem, "wsm")
    np.testing.assert_allclose(
        result.scores, [0.5 * (1 / (1 + 1e-10)) + 0.25, 0.5 * (1e-10 / (1 + 1e-10)) + 0.25]
    )
    assert result.ranks.tolist() == [1, 2]
    _, ranks = rank_batch("wsm", problem.matrix, np.ones((1, 2)), ["min", "max"])
    assert ranks.tolist() == [[1, 2]]


def scaled_as_documented(method: str, matrix: np.ndarray) -> np.ndarray:
    """The column scaling the module promises: by the largest absolute value per column,
    the whole matrix for ELECTRE II, none for the weighted product."""
    if method == "wpm":
        return matrix
    if method == "electre2":
        return matrix / np.abs(matrix).max()
    return matrix / np.abs(matrix).max(axis=0)


magnitudes = st.builds(
    lambda mantissa, exponent: mantissa * 10.0**exponent,
    st.floats(1.0, 9.99),
    st.integers(-300, 300),
)


@st.composite
def extreme_problems(draw):
    n = draw(st.integers(2, 5))
    m = draw(st.integers(1, 4))
    matrix = np.array([[draw(magnitudes) for _ in range(m)] for _ in range(n)])
    weights = [draw(st.floats(0.05, 1.0)) for _ in range(m)]
    objectives = [draw(st.sampled_from(["max", "min"])) for _ in range(m)]
    return matrix, weights, objectives


def spans_beyond_a_float(matrix: np.ndarray) -> bool:
    """Some column's largest value over its smallest beyond what a float holds, or a
    value whose inverse does not fit."""
    with np.errstate(over="ignore", divide="ignore"):
        ratio = matrix.max(axis=0) / matrix.min(axis=0)
        return bool((~np.isfinite(ratio)).any() or (~np.isfinite(1 / matrix)).any())


@pytest.mark.parametrize("method", ALL_METHODS)
@settings(
    max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(problem=extreme_problems())
def test_extreme_magnitudes_match_scikit_criteria_on_the_scaled_matrix_or_are_refused(
    method, problem
):
    matrix, weights, objectives = problem
    try:
        ours = rank_problem(make(matrix, weights, objectives), method)
    except ProblemError:
        assert spans_beyond_a_float(matrix), "refused a problem a float can hold"
        return
    assert np.isfinite(ours.scores).all()
    try:
        expected, _ = skcriteria_reference.run(
            method, scaled_as_documented(method, matrix), weights, objectives
        )
    except ValueError:  # TOPSIS on alternatives alike everywhere: 0/0 (bibvalg ties them)
        assert (matrix == matrix[0]).all() and (ours.ranks == 1).all()
        return
    if np.isfinite(expected).all():
        np.testing.assert_allclose(ours.scores, expected, rtol=1e-9, atol=1e-9)
        assert_same_order(ours.ranks, expected, HIGHER_IS_BETTER[method])


@pytest.mark.parametrize("method", ["wsm", "topsis"])
@settings(max_examples=60, deadline=None, database=None)
@given(problem=extreme_problems())
def test_the_batch_engine_agrees_with_rank_problem_at_extreme_magnitudes(method, problem):
    matrix, weights, objectives = problem
    try:
        expected = rank_problem(make(matrix, weights, objectives), method)
    except ProblemError:
        with pytest.raises(ProblemError):
            rank_batch(method, matrix, np.array([weights]), objectives)
        return
    scores, ranks = rank_batch(method, matrix, np.array([weights]), objectives)
    np.testing.assert_allclose(scores[0], expected.scores, rtol=1e-9, atol=1e-9)
    assert ranks[0].tolist() == expected.ranks.tolist()
