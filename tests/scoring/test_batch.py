"""The batch engine against scikit-criteria run one sample at a time, and its edge cases."""

from __future__ import annotations

import numpy as np
import pytest
import skcriteria as skc
from skcriteria.agg.simple import WeightedSumModel

from scoring.batch import batch_scores, make_scorer, rank_batch
from scoring.methods import Problem, ProblemError, rank_problem
from scoring.ranks import dense_rank, dense_ranks
from tests.scoring import skcriteria_reference


def skcriteria_one(method, matrix, weights, objectives):
    """scikit-criteria's own pipeline on one weight vector: scores and ranks."""
    scores, ranks = skcriteria_reference.run(method, matrix, weights, objectives)
    return scores, np.asarray(ranks)


@pytest.mark.parametrize("method", ["wsm", "topsis"])
@pytest.mark.parametrize("seed", range(8))
def test_agrees_with_scikit_criteria_sample_by_sample(method, seed):
    rng = np.random.default_rng(100 + seed)
    n, m, samples = int(rng.integers(2, 9)), int(rng.integers(1, 15)), 12
    matrix = rng.uniform(0.5, 100.0, size=(n, m))
    objectives = rng.choice(["max", "min"], size=m).tolist()
    weights = rng.dirichlet(np.ones(m), size=samples)
    weights[0] = rng.uniform(0.1, 5.0, size=m)  # weights need not add up to 1
    scores, ranks = rank_batch(method, matrix, weights, objectives)
    for s in range(samples):
        expected_scores, expected_ranks = skcriteria_one(method, matrix, weights[s], objectives)
        np.testing.assert_allclose(scores[s], expected_scores, rtol=0, atol=1e-9)
        assert ranks[s].tolist() == expected_ranks.tolist()


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_one_matrix_per_sample_agrees_with_scikit_criteria(method):
    rng = np.random.default_rng(7)
    samples, n, m = 10, 5, 6
    matrices = rng.uniform(0.5, 10.0, size=(samples, n, m))
    weights = rng.dirichlet(np.ones(m), size=samples)
    objectives = ["max", "min", "max", "max", "min", "max"]
    scores = batch_scores(method, matrices, weights, objectives)
    for s in range(samples):
        expected, _ = skcriteria_one(method, matrices[s], weights[s], objectives)
        np.testing.assert_allclose(scores[s], expected, rtol=0, atol=1e-9)


def test_points_are_scikit_criteria_weighted_sum_without_scaling():
    # The published model: the plain weighted sum of points, shown on 0–100.
    rng = np.random.default_rng(3)
    points = rng.integers(0, 11, size=(4, 7)).astype(float)
    weights = rng.dirichlet(np.ones(7), size=5)
    scores, ranks = rank_batch("points", points, weights)
    for s in range(5):
        dm = skc.mkdm(matrix=points, objectives=[max] * 7, weights=weights[s])
        result = WeightedSumModel().evaluate(dm)
        np.testing.assert_allclose(scores[s], 10 * result.e_.score, rtol=0, atol=1e-9)
        assert ranks[s].tolist() == dense_rank(10 * result.e_.score).tolist()


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_a_column_where_everyone_scores_zero_matches_rank_problem(method):
    # scikit-criteria itself gives NaN here (0/0); bibvalg leaves the column out.
    rng = np.random.default_rng(11)
    matrix = rng.uniform(1.0, 10.0, size=(4, 5))
    matrix[:, 2] = 0.0
    weights = rng.dirichlet(np.ones(5), size=6)
    scores, ranks = rank_batch(method, matrix, weights)
    assert not np.isnan(scores).any()
    names = [f"c{j}" for j in range(5)]
    for s in range(6):
        problem = Problem(("a", "b", "c", "d"), tuple(names), matrix, weights[s], ("max",) * 5)
        expected = rank_problem(problem, method)
        np.testing.assert_allclose(scores[s], expected.scores, rtol=0, atol=1e-12)
        assert ranks[s].tolist() == expected.ranks.tolist()


@pytest.mark.parametrize("method", ["points", "wsm", "topsis"])
def test_zero_weights_everywhere_tie_everyone_without_nan(method):
    matrix = np.array([[1.0, 2.0], [3.0, 1.0], [2.0, 2.0]])
    scores, ranks = rank_batch(method, matrix, np.zeros((3, 2)))
    assert scores.tolist() == [[0.0, 0.0, 0.0]] * 3
    assert ranks.tolist() == [[1, 1, 1]] * 3


def test_weight_only_on_an_all_zero_column_ties_everyone():
    matrix = np.array([[1.0, 0.0], [3.0, 0.0]])
    scores, ranks = rank_batch("wsm", matrix, np.array([[0.0, 1.0], [0.5, 0.5]]))
    assert scores[0].tolist() == [0.0, 0.0] and ranks[0].tolist() == [1, 1]
    np.testing.assert_allclose(scores[1], [0.25, 0.75])  # the zero column is left out


def test_topsis_with_identical_alternatives_ties_everyone():
    matrix = np.array([[2.0, 5.0], [2.0, 5.0], [2.0, 5.0]])
    scores, ranks = rank_batch("topsis", matrix, np.array([[0.3, 0.7]]))
    assert not np.isnan(scores).any()
    assert ranks.tolist() == [[1, 1, 1]]


def test_dense_ranks_share_and_follow_on():
    scores = np.array([[0.9, 0.5, 0.5, 0.1], [0.1 + 0.2, 0.3, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0]])
    assert dense_ranks(scores).tolist() == [[1, 2, 2, 3], [1, 1, 2, 2], [4, 3, 2, 1]]


def test_dense_ranks_equal_the_one_at_a_time_ranks_with_many_ties():
    rng = np.random.default_rng(5)
    scores = rng.integers(0, 4, size=(200, 6)).astype(float) / 3.0
    batch = dense_ranks(scores)
    for row, ranks in zip(scores, batch, strict=True):
        assert ranks.tolist() == dense_rank(row).tolist()


def test_a_single_weight_vector_gives_one_row():
    scorer = make_scorer("wsm", np.array([[1.0, 2.0], [3.0, 1.0]]))
    np.testing.assert_allclose(
        scorer.scores(np.array([1.0, 1.0])), [0.5 * (0.25 + 2 / 3), 0.5 * (0.75 + 1 / 3)]
    )


@pytest.mark.parametrize(
    "matrix, objectives, message",
    [
        ([[-1.0, 2.0], [1.0, 1.0]], ["max", "max"], "zero or more"),
        ([[0.0, 2.0], [1.0, 1.0]], ["min", "max"], "minimised"),
    ],
)
def test_the_weighted_sum_refuses_what_rank_problem_refuses(matrix, objectives, message):
    with pytest.raises(ProblemError, match=message):
        rank_batch("wsm", np.array(matrix), np.ones((1, 2)), objectives)


def test_unknown_method_is_refused():
    with pytest.raises(ProblemError, match="unknown method"):
        rank_batch("astrology", np.ones((2, 2)), np.ones((1, 2)))
