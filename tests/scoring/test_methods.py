"""The MCDA methods against hand-computed examples and against scikit-criteria itself."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scoring.methods import Problem, ProblemError, rank_problem
from scoring.ranks import dense_rank
from tests.scoring import skcriteria_reference
from tests.scoring.problems import TWO_BY_TWO, make


def test_weighted_sum_by_hand():
    # SumScaler: column 1 -> 1/4, 3/4; column 2 -> 2/3, 1/3; weights 1/2 each.
    result = rank_problem(make([[1, 2], [3, 1]], [1, 1]), "wsm")
    assert result.scores == pytest.approx([0.5 * (0.25 + 2 / 3), 0.5 * (0.75 + 1 / 3)], abs=1e-12)
    assert result.ranks.tolist() == [2, 1]


def test_weighted_sum_inverts_a_minimised_criterion_by_hand():
    # Cost column [2, 4] -> 1/x = [1/2, 1/4] -> scaled [2/3, 1/3].
    result = rank_problem(make([[2], [4]], [1], ["min"]), "wsm")
    assert result.scores == pytest.approx([2 / 3, 1 / 3], abs=1e-12)
    assert result.ranks.tolist() == [1, 2]


def test_topsis_by_hand():
    # Vector-scaled and weighted, the two alternatives mirror each other; closeness of the
    # first is sqrt(2) - 1 and of the second 2 - sqrt(2).
    result = rank_problem(make([[1, 2], [3, 1]], [1, 1]), "topsis")
    d_ideal = math.sqrt((0.5 * (3 - 1) / math.sqrt(10)) ** 2)
    d_anti = math.sqrt((0.5 * (2 - 1) / math.sqrt(5)) ** 2)
    assert result.scores[0] == pytest.approx(d_anti / (d_ideal + d_anti), abs=1e-12)
    assert result.scores[0] == pytest.approx(math.sqrt(2) - 1, abs=1e-12)
    assert result.scores[1] == pytest.approx(2 - math.sqrt(2), abs=1e-12)
    assert result.ranks.tolist() == [2, 1]


ALL_METHODS = ["wsm", "wpm", "topsis", "vikor", "electre2"]


@pytest.mark.parametrize("method", ALL_METHODS)
@pytest.mark.parametrize("seed", range(25))
def test_agrees_with_scikit_criteria_on_random_problems(method, seed):
    rng = np.random.default_rng(seed)
    n, m = rng.integers(2, 9), rng.integers(1, 12)
    matrix = rng.uniform(0.5, 100.0, size=(n, m))
    weights = rng.uniform(0.01, 1.0, size=m)
    objectives = rng.choice(["max", "min"], size=m).tolist()
    ours = rank_problem(make(matrix, weights, objectives), method)
    expected, expected_ranks = skcriteria_reference.run(method, matrix, weights, objectives)
    np.testing.assert_allclose(ours.scores, expected, rtol=0, atol=1e-9)
    assert ours.ranks.tolist() == expected_ranks


@pytest.mark.parametrize("method", ALL_METHODS)
def test_a_criterion_all_zero_contributes_nothing(method):
    base = [[3.0, 1.0], [1.0, 2.0], [2.0, 2.0]]
    with_zero = [row + [0.0] for row in base]
    plain = rank_problem(make(base, [2, 1]), method)
    padded = rank_problem(make(with_zero, [2, 1, 5]), method)
    assert not np.isnan(padded.scores).any()
    np.testing.assert_allclose(padded.scores, plain.scores, atol=1e-12)
    assert padded.ranks.tolist() == plain.ranks.tolist()


def test_every_criterion_zero_ties_everyone():
    result = rank_problem(make([[0, 0], [0, 0]], [1, 1]), "wsm")
    assert result.scores.tolist() == [0.0, 0.0]
    assert result.ranks.tolist() == [1, 1]


def test_dense_rank_ties_share_and_the_next_follows_on():
    assert dense_rank([0.9, 0.5, 0.5, 0.1]).tolist() == [1, 2, 2, 3]
    assert dense_rank([0.1 + 0.2, 0.3]).tolist() == [1, 1]  # equal up to float noise


def test_dense_rank_matches_scikit_criteria_with_ties():
    matrix = np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 0.5], [0.5, 0.5]])
    scores, ranks = skcriteria_reference.run("wsm", matrix, [1, 1])
    assert dense_rank(scores).tolist() == ranks


@pytest.mark.parametrize(
    "change, message",
    [
        ({"weights": [1]}, "weights must have 2"),
        ({"matrix": [[1, 2]]}, "matrix must be"),
        ({"objectives": ["max", "up"]}, "objectives"),
        ({"weights": [-1, 2]}, "zero or positive"),
        ({"weights": [0, 0]}, "at least one weight"),
        ({"matrix": [[1, "x"], [2, 3]]}, "numbers"),
        ({"alternatives": ["a", "a"]}, "unique"),
    ],
)
def test_bad_problems_are_refused_with_a_reason(change, message):
    with pytest.raises(ProblemError, match=message):
        Problem.from_dict({**TWO_BY_TWO, **change})


def test_unknown_method_is_refused():
    with pytest.raises(ProblemError, match="unknown method"):
        rank_problem(make([[1], [2]], [1]), "astrology")


def test_weighted_sum_refuses_zero_on_a_minimised_criterion():
    with pytest.raises(ProblemError, match="minimised"):
        rank_problem(make([[0, 1], [2, 3]], [1, 1], ["min", "max"]), "wsm")


def test_weighted_product_by_hand():
    # Weights 1/2 each: score = ½·log10 1 + ½·log10 2 = 0.150515; ½·log10 3 = 0.238561.
    result = rank_problem(make([[1, 2], [3, 1]], [1, 1]), "wpm")
    assert result.scores == pytest.approx([0.5 * math.log10(2), 0.5 * math.log10(3)])
    assert result.ranks.tolist() == [2, 1]


def test_weighted_product_refuses_a_zero():
    with pytest.raises(ProblemError, match="above zero"):
        rank_problem(make([[0, 2], [3, 1]], [1, 1]), "wpm")


def test_vikor_by_hand():
    # Best (3, 2), worst (1, 1). Weighted shortfalls ½·(3 − x)/2 and ½·(2 − y)/1:
    # A0 (1, 2): 0.5 and 0   -> S 0.5,  R 0.5
    # A1 (3, 1): 0 and 0.5   -> S 0.5,  R 0.5
    # A2 (2, 2): 0.25 and 0  -> S 0.25, R 0.25
    # Q = ½ (S − 0.25)/0.25 + ½ (R − 0.25)/0.25: 1, 1, 0. Lower is better.
    result = rank_problem(make([[1, 2], [3, 1], [2, 2]], [1, 1]), "vikor")
    assert result.scores.tolist() == pytest.approx([1, 1, 0])
    assert result.ranks.tolist() == [2, 2, 1]


def test_vikor_with_one_alternative_ranks_it_first():
    result = rank_problem(make([[4, 2]], [1, 1]), "vikor")
    assert result.ranks.tolist() == [1]


@pytest.mark.parametrize("method", ALL_METHODS)
def test_every_method_ranks_a_dominance_chain_in_order(method):
    # A0 is at least as good as A1 everywhere, and A1 as A2: every method must agree.
    result = rank_problem(make([[9, 8, 7], [6, 8, 5], [2, 3, 5]], [3, 2, 1]), method)
    assert result.ranks.tolist() == [1, 2, 3]


@pytest.mark.parametrize("method", ALL_METHODS)
def test_identical_alternatives_tie(method):
    result = rank_problem(make([[5, 5], [5, 5]], [1, 2]), method)
    assert result.ranks.tolist() == [1, 1]


@pytest.mark.parametrize("method", ALL_METHODS)
def test_a_single_alternative_is_first_with_one_score(method):
    result = rank_problem(make([[3, 4]], [1, 1]), method)
    assert result.ranks.tolist() == [1]
    assert len(result.to_dict()["scores"]) == 1


# --- strict parsing ----------------------------------------------------------------


@pytest.mark.parametrize(
    "change, message",
    [
        ({"matrix": [[1, "2"], [3, 4]]}, "numbers, got '2'"),
        ({"matrix": [[1, True], [3, 4]]}, "numbers, got True"),
        ({"weights": ["1", 1]}, "weights must be numbers"),
        ({"weights": [1, False]}, "weights must be numbers"),
        ({"weights": 1}, "weights must be a list"),
        ({"objectives": []}, "objectives must have 2 values, got 0"),
        ({"objectives": "max"}, "objectives must be a list"),
        ({"alternatives": "ab"}, "alternatives must be a list of names, got str"),
        ({"alternatives": 3}, "alternatives must be a list of names, got int"),
        ({"criteria": ["x", None]}, "criteria must be names"),
        ({"alternatives": [True, False]}, "alternatives must be names"),
        ({"matrix": [[1, 2], [3]]}, "as many values"),
        ({"matrix": [1, 2]}, "list of rows"),
        ({"weights": [10**400, 1]}, "finite"),
    ],
)
def test_lenient_inputs_are_refused_saying_what_is_wrong(change, message):
    with pytest.raises(ProblemError, match=message):
        Problem.from_dict({**TWO_BY_TWO, **change})


def test_a_problem_that_is_not_an_object_is_refused():
    with pytest.raises(ProblemError, match="JSON object"):
        Problem.from_dict([1, 2])  # type: ignore[arg-type]


def test_objectives_left_out_mean_every_criterion_is_maximised():
    data = {"alternatives": ["a", "b"], "criteria": ["x"], "matrix": [[1], [2]], "weights": [1]}
    assert Problem.from_dict(data).objectives == ("max",)
    assert Problem.from_dict({**data, "objectives": None}).objectives == ("max",)


# --- ELECTRE II: zero weights and a published example -------------------------------


def test_electre2_keeps_a_zero_weight_criterion_as_scikit_criteria_does():
    # Discordance looks at every criterion whatever its weight: with the third criterion
    # (weight 0) scikit-criteria ranks B and C together; dropping it would part them.
    matrix = [[5.0, 6.0, 9.0], [7.0, 6.0, 5.0], [6.0, 9.0, 3.0], [8.0, 7.0, 1.0]]
    scores, ranks = skcriteria_reference.run("electre2", matrix, [1, 1, 0])
    dropped, dropped_ranks = skcriteria_reference.run("electre2", [r[:2] for r in matrix], [1, 1])
    assert ranks == [3, 2, 2, 1] and dropped_ranks == [4, 3, 2, 1]  # the test can tell
    ours = rank_problem(make(matrix, [1, 1, 0]), "electre2")
    np.testing.assert_allclose(ours.scores, scores, rtol=0, atol=1e-12)
    assert ours.ranks.tolist() == ranks


def test_electre2_reproduces_wang_and_triantaphyllou():
    """The ELECTRE II example of Wang, X. and Triantaphyllou, E. (2008), "Ranking
    irregularities when evaluating alternatives by using some ELECTRE methods", Omega
    36(1), pp. 45–63: five alternatives, seven criteria, weights adding up to 1. The
    published order is A2, A5, A3, A1, A4; scikit-criteria reproduces it in its own test
    suite (``tests/agg/test_electre.py``, ``test_ELECTRE2_wang2006``), with scores
    (the mean of the direct and inverse rankings) 3, 1, 2, 4, 1.5.
    """
    matrix = [
        [1, 2, 1, 5, 2, 2, 4],
        [3, 5, 3, 5, 3, 3, 3],
        [3, 5, 3, 5, 3, 2, 2],
        [1, 2, 2, 5, 1, 1, 1],
        [1, 1, 3, 5, 4, 1, 5],
    ]
    weights = [0.0780, 0.1180, 0.1570, 0.3140, 0.2350, 0.0390, 0.0590]
    result = rank_problem(make(matrix, weights), "electre2")
    assert result.ranks.tolist() == [4, 1, 3, 5, 2]
    assert result.scores.tolist() == pytest.approx([3.0, 1.0, 2.0, 4.0, 1.5])


def test_electre2_reproduces_cebrian_and_porcar():
    """Cebrián, L. I. G. and Porcar, A. M. (2009), "Localización empresarial en Aragón: una
    aplicación empírica de la ayuda a la decisión multicriterio tipo ELECTRE I y III",
    Revista de Métodos Cuantitativos para la Economía y la Empresa 7, pp. 31–56: six
    locations, five criteria (the third a cost), the matrix divided by its column sums.
    ELECTRE II ranks them 6, 3, 2, 5, 1, 4, with scores 5, 2.5, 2, 4, 1, 3 (as scikit-criteria's
    own test ``test_ELECTRE2_cebrian2009localizacion`` records).
    """
    raw = np.array(
        [
            [6, 5, 28, 5, 5],
            [4, 2, 25, 10, 9],
            [5, 7, 35, 9, 6],
            [6, 1, 27, 6, 7],
            [6, 8, 30, 7, 9],
            [5, 6, 26, 4, 8],
        ],
        dtype=float,
    )
    matrix = raw / raw.sum(axis=0)
    problem = make(matrix, [0.25, 0.25, 0.1, 0.2, 0.2], ["max", "max", "min", "max", "max"])
    result = rank_problem(problem, "electre2")
    assert result.ranks.tolist() == [6, 3, 2, 5, 1, 4]
    assert result.scores.tolist() == pytest.approx([5.0, 2.5, 2.0, 4.0, 1.0, 3.0])
