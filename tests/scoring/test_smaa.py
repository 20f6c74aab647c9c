"""SMAA-2 against cases solved by hand, and the weight and score draws."""

from __future__ import annotations

import numpy as np
import pytest

import scoring.smaa as smaa_module
from scoring.methods import Problem
from scoring.procurement import (
    ProcurementInputs,
    Weights,
    evaluate,
    global_weights,
)
from scoring.smaa import (
    DecisionModel,
    SamplingError,
    ScoreSpread,
    WeightSampling,
    sample_nodes,
    smaa,
)
from tests.scoring.conftest import toy_procurement


def problem(matrix, weights=None, objectives=None) -> Problem:
    matrix = np.asarray(matrix, dtype=float)
    n, m = matrix.shape
    return Problem(
        tuple("ABCDEFGH"[:n]),
        tuple(f"c{j}" for j in range(m)),
        matrix,
        np.asarray(weights if weights is not None else np.ones(m), dtype=float),
        tuple(objectives or ["max"] * m),
    )


# Columns already add up to 1, so SumScaler leaves them alone. With w1 uniform on [0, 1] and
# w2 = 1 − w1 the scores are lines: A = 0.1 + 0.5 w1, B = 0.6 − 0.5 w1, C = 0.3.
# A is first for w1 > 0.5, B for w1 < 0.5, C never (at 0.5, A = B = 0.35 > 0.3).
# A is last for w1 < 0.4 (below C), B for w1 > 0.6, C between 0.4 and 0.6.
TWO_CRITERIA = [[0.6, 0.1], [0.1, 0.6], [0.3, 0.3]]
EXPECTED_ACCEPTABILITY = [[0.5, 0.1, 0.4], [0.5, 0.1, 0.4], [0.0, 0.8, 0.2]]


def test_two_criteria_uniform_weights_give_the_interval_lengths():
    result = smaa(
        DecisionModel.from_problem(problem(TWO_CRITERIA)), "uniform", samples=40_000, seed=3
    )
    np.testing.assert_allclose(result.rank_acceptability, EXPECTED_ACCEPTABILITY, atol=0.01)
    np.testing.assert_allclose(result.rank_acceptability.sum(axis=1), 1.0)
    # Central weights: the middle of each winning interval; C never wins.
    np.testing.assert_allclose(result.central_weights[0], [0.75, 0.25], atol=0.005)
    np.testing.assert_allclose(result.central_weights[1], [0.25, 0.75], atol=0.005)
    assert np.isnan(result.central_weights[2]).all()
    # Fixed scores: at its central weights each winner wins for sure.
    assert result.confidence[:2].tolist() == [1.0, 1.0]
    assert np.isnan(result.confidence[2])


def test_two_criteria_with_topsis_by_hand():
    # Two alternatives mirror each other: TOPSIS prefers A exactly when w1 > 1/2.
    result = smaa(
        DecisionModel.from_problem(problem([[3.0, 1.0], [1.0, 3.0]]), "topsis"),
        "uniform",
        samples=20_000,
        seed=4,
    )
    np.testing.assert_allclose(result.rank_acceptability, [[0.5, 0.5], [0.5, 0.5]], atol=0.015)


def test_a_seed_repeats_and_another_seed_differs():
    model = DecisionModel.from_problem(problem(TWO_CRITERIA))
    one = smaa(model, "uniform", samples=500, seed=1)
    again = smaa(model, "uniform", samples=500, seed=1)
    other = smaa(model, "uniform", samples=500, seed=2)
    assert np.array_equal(one.rank_acceptability, again.rank_acceptability)
    assert not np.array_equal(one.rank_acceptability, other.rank_acceptability)
    assert (one.samples, one.seed, one.weight_sampling) == (500, 1, "uniform")


def test_uniform_on_three_criteria_has_the_dirichlet_marginals():
    model = DecisionModel.from_problem(problem([[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]))
    draws = sample_nodes(model, WeightSampling.parse("uniform"), 40_000, np.random.default_rng(0))
    np.testing.assert_allclose(draws.sum(axis=1), 1.0)
    # Each weight is Beta(1, 2): mean 1/3, and below 1/2 with probability 3/4.
    np.testing.assert_allclose(draws.mean(axis=0), 1 / 3, atol=0.005)
    np.testing.assert_allclose((draws[:, 0] < 0.5).mean(), 0.75, atol=0.01)


def test_dirichlet_draws_centre_on_the_chosen_weights_with_the_known_spread():
    model = DecisionModel.from_problem(problem([[1.0, 1.0, 1.0]], weights=[5, 3, 2]))
    draws = sample_nodes(
        model, WeightSampling.parse("dirichlet:50"), 40_000, np.random.default_rng(1)
    )
    chosen = np.array([0.5, 0.3, 0.2])
    np.testing.assert_allclose(draws.mean(axis=0), chosen, atol=0.003)
    np.testing.assert_allclose(draws.std(axis=0), np.sqrt(chosen * (1 - chosen) / 51), rtol=0.03)


def test_box_draws_stay_within_the_band_and_box_zero_is_fixed():
    model = DecisionModel.from_problem(problem([[1.0, 1.0]], weights=[1, 1]))
    draws = sample_nodes(model, WeightSampling.parse("box:20"), 10_000, np.random.default_rng(2))
    # Raw weights within 0.5 ± 20 %, then rescaled: w1 = r1 / (r1 + r2) lies in [0.4, 0.6].
    assert draws[:, 0].min() >= 0.4 - 1e-12 and draws[:, 0].max() <= 0.6 + 1e-12
    assert draws[:, 0].min() < 0.42 and draws[:, 0].max() > 0.58
    fixed = sample_nodes(model, WeightSampling.parse("box:0"), 10, np.random.default_rng(2))
    np.testing.assert_allclose(fixed, 0.5)


@pytest.mark.parametrize("spec", ["dirichlet:20", "box:50"])
def test_a_weight_chosen_as_zero_stays_zero(spec):
    model = DecisionModel.from_problem(problem([[1.0, 2.0, 3.0]], weights=[1, 0, 1]))
    draws = sample_nodes(model, WeightSampling.parse(spec), 1_000, np.random.default_rng(3))
    assert (draws[:, 1] == 0).all()
    np.testing.assert_allclose(draws.sum(axis=1), 1.0)


def test_groups_draw_around_each_group_equally_often():
    # Group 1 wants criterion 1 (A wins), group 2 criterion 2 (B wins); K is large.
    model = DecisionModel.from_problem(problem(TWO_CRITERIA))
    centres = np.array([[0.9, 0.1], [0.1, 0.9]])
    result = smaa(model, "groups:1000", samples=20_000, seed=5, centres=centres)
    np.testing.assert_allclose(result.rank_acceptability[:2, 0], [0.5, 0.5], atol=0.015)
    with pytest.raises(SamplingError, match="groups"):
        smaa(model, "groups:10", samples=10)


@pytest.mark.parametrize(
    "text, message",
    [
        ("normal", "unknown weight sampling"),
        ("dirichlet", "needs a number"),
        ("dirichlet:0", "above 0"),
        ("box:120", "between 0 and 100"),
        ("box:-1", "between 0 and 100"),
        ("uniform:3", "no parameter"),
    ],
)
def test_bad_samplings_are_refused(text, message):
    with pytest.raises(SamplingError, match=message):
        WeightSampling.parse(text)


def test_sampling_names_read_back():
    for text in ("uniform", "dirichlet:50", "box:12.5", "groups:30"):
        assert str(WeightSampling.parse(text)) == text


def test_sample_counts_outside_the_limits_are_refused():
    model = DecisionModel.from_problem(problem(TWO_CRITERIA))
    with pytest.raises(SamplingError, match="samples"):
        smaa(model, "uniform", samples=0)


# --- score draws from the evaluators' spread ------------------------------------------


def test_score_draws_move_the_consensus_by_one_evaluators_deviation():
    # Cell (0, 0): evaluators 4 and 8 (mean 6), consensus 7 -> draws 5 or 9, half each.
    # Cell (0, 1): evaluators 9 and 3 (mean 6), consensus 9 -> 12 (kept at 10) or 6.
    # Cell (1, 0): one evaluator -> the consensus, always. Cell (1, 1): nobody -> 2.
    spread = ScoreSpread.from_scores(
        np.array([[7.0, 9.0], [5.0, 2.0]]),
        alternative=np.array([0, 0, 0, 0, 1]),
        column=np.array([0, 0, 1, 1, 0]),
        score=np.array([4.0, 8.0, 9.0, 3.0, 1.0]),
    )
    draws = spread.sample(np.random.default_rng(0), 20_000)
    assert set(np.unique(draws[:, 0, 0])) == {5.0, 9.0}
    assert set(np.unique(draws[:, 0, 1])) == {6.0, 10.0}
    assert (draws[:, 1, 0] == 5.0).all() and (draws[:, 1, 1] == 2.0).all()
    np.testing.assert_allclose((draws[:, 0, 0] == 9.0).mean(), 0.5, atol=0.015)
    assert spread.varies


def one_requirement_model(spread: ScoreSpread) -> DecisionModel:
    return DecisionModel(
        alternatives=("A", "B"),
        node_names=("q",),
        node_kinds=("criterion",),
        bounds=((0, 1),),
        chosen=np.array([1.0]),
        method="wsm",
        matrix=spread.center,
        columns=("R1",),
        spread=spread,
        node_parents=("",),
        on_points=True,
    )


def test_confidence_factor_is_the_share_of_score_draws_won_at_the_central_weights():
    # One requirement: A's consensus 6 with evaluators at 4 and 8; B fixed at 5.
    # A wins exactly when its draw is 8: half the time; B the other half.
    spread = ScoreSpread.from_scores(
        np.array([[6.0], [5.0]]), np.array([0, 0]), np.array([0, 0]), np.array([4.0, 8.0])
    )
    model = one_requirement_model(spread)
    result = smaa(model, "uniform", samples=20_000, seed=2, score_sampling=True)
    np.testing.assert_allclose(result.rank_acceptability, [[0.5, 0.5], [0.5, 0.5]], atol=0.015)
    np.testing.assert_allclose(result.confidence, [0.5, 0.5], atol=0.015)
    # Without score draws the weights alone cannot move anything: A (6) beats B (5).
    fixed = smaa(model, "uniform", samples=1_000, seed=2)
    assert fixed.rank_acceptability.tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert fixed.confidence[0] == pytest.approx(0.5, abs=0.05)  # the spread still counts
    assert np.isnan(fixed.confidence[1])


def test_score_draws_do_not_depend_on_the_chunk_size(monkeypatch):
    spread = ScoreSpread.from_scores(
        np.array([[6.0], [5.0]]),
        np.array([0, 0, 1, 1]),
        np.array([0] * 4),
        np.array([4.0, 8, 3, 7]),
    )
    model = one_requirement_model(spread)
    whole = smaa(model, "uniform", samples=3_000, seed=9, score_sampling=True)
    monkeypatch.setattr(smaa_module, "CHUNK_ELEMENTS", 7)
    chunked = smaa(model, "uniform", samples=3_000, seed=9, score_sampling=True)
    assert np.array_equal(whole.rank_acceptability, chunked.rank_acceptability)
    assert np.array_equal(whole.confidence, chunked.confidence)


def test_score_draws_need_a_spread():
    with pytest.raises(SamplingError, match="evaluators"):
        smaa(DecisionModel.from_problem(problem(TWO_CRITERIA)), samples=10, score_sampling=True)


# --- the procurement's weight tree ---------------------------------------------------


def small_procurement() -> tuple[ProcurementInputs, Weights]:
    """The shared toy procurement (tests/scoring/conftest.py) under the linear model."""
    return toy_procurement("linear")


def test_the_tree_gives_the_published_column_weights_and_totals():
    inputs, weights = small_procurement()
    model = DecisionModel.from_procurement(inputs, weights)
    expected = global_weights(inputs.tree, weights).reindex(model.columns)
    np.testing.assert_allclose(model.column_weights(model.chosen[None, :])[0], expected, atol=1e-15)
    published = evaluate(inputs, weights)
    np.testing.assert_allclose(model.scores(model.chosen), [published.total.to_numpy()], atol=1e-9)
    assert model.node_names == ("quality", "price", "environment", "LANG", "CAT", "ENV")
    assert model.bounds == ((0, 3), (3, 5), (5, 6))


def test_fixed_weights_give_the_published_ranking_for_certain():
    inputs, weights = small_procurement()
    published = evaluate(inputs, weights)
    model = DecisionModel.from_procurement(inputs, weights)
    result = smaa(model, "box:0", samples=50, seed=1)
    for offer, rank in published.rank.items():
        row = result.rank_acceptability[result.alternatives.index(offer)]
        assert row[rank - 1] == 1.0


def test_every_draw_of_the_tree_is_a_set_of_weights_the_published_model_accepts():
    # Each drawn node vector, read back as a profile, gives the same totals via evaluate().
    inputs, weights = small_procurement()
    model = DecisionModel.from_procurement(inputs, weights)
    draws = sample_nodes(model, WeightSampling.parse("uniform"), 5, np.random.default_rng(8))
    for nodes in draws:
        as_profile = Weights(
            criteria=dict(zip(model.node_names[:3], nodes[:3], strict=True)),
            categories=dict(zip(model.node_names[3:], nodes[3:], strict=True)),
        )
        expected = evaluate(inputs, as_profile).total.to_numpy()
        np.testing.assert_allclose(model.scores(nodes)[0], expected, atol=1e-9)


# --- draws at the extremes of every sampling -----------------------------------------

# Distinct values in every column: even a draw with all its weight on one criterion ranks
# the alternatives without a tie, so each rank is taken by exactly one alternative.
NO_TIES = [[1.0, 9.0, 4.0], [2.0, 7.0, 8.0], [5.0, 3.0, 6.0], [8.0, 1.0, 2.0]]
EXTREMES = [
    "uniform",
    "dirichlet:1e-06",
    "dirichlet:0.001",
    "dirichlet:1",
    "dirichlet:1000000",
    "dirichlet:1e+300",
    "box:0",
    "box:50",
    "box:100",
    "groups:1e-06",
    "groups:1e+300",
]


@pytest.mark.parametrize("spec", EXTREMES)
@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_acceptabilities_sum_to_one_per_rank_and_per_alternative(spec, method):
    model = DecisionModel.from_problem(problem(NO_TIES, weights=[5, 3, 2]), method)
    centres = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]) if spec.startswith("groups") else None
    result = smaa(model, spec, samples=4_000, seed=7, centres=centres)
    np.testing.assert_allclose(result.rank_acceptability.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(result.rank_acceptability.sum(axis=0), 1.0, atol=1e-12)


@pytest.mark.parametrize("spec", EXTREMES)
def test_no_draw_has_a_group_of_zero_weights_on_the_procurement_tree(spec, toy):
    inputs, weights = toy("linear")
    model = DecisionModel.from_procurement(inputs, weights)
    centres = np.array([model.chosen, model.chosen[::-1]]) if spec.startswith("groups") else None
    draws = sample_nodes(
        model, WeightSampling.parse(spec), 5_000, np.random.default_rng(3), centres
    )
    assert np.isfinite(draws).all() and (draws >= 0).all()
    for start, stop in model.bounds:
        np.testing.assert_allclose(draws[:, start:stop].sum(axis=1), 1.0, atol=1e-12)
    result = smaa(model, spec, samples=3_000, seed=2, centres=centres)
    np.testing.assert_allclose(result.rank_acceptability.sum(axis=1), 1.0, atol=1e-12)
    assert result.rank_acceptability[:, 0].sum() <= 1.0 + 1e-12  # no draw where all tie first


def test_a_small_concentration_is_still_the_dirichlet_distribution():
    # Dirichlet(K · (0.3, 0.7)) with K = 1: w1 ~ Beta(0.3, 0.7), mean 0.3, variance
    # 0.3 · 0.7 / 2 = 0.105. With K = 0.01, Beta(0.003, 0.007): w1 above 1/2 with
    # probability 0.3, and nearly every draw within 10⁻⁶ of a corner (scipy's Beta).
    model = DecisionModel.from_problem(problem([[1.0, 2.0]], weights=[3, 7]))
    rng = np.random.default_rng(12)
    one = sample_nodes(model, WeightSampling.parse("dirichlet:1"), 60_000, rng)
    np.testing.assert_allclose(one[:, 0].mean(), 0.3, atol=0.005)
    np.testing.assert_allclose(one[:, 0].var(), 0.105, atol=0.003)
    small = sample_nodes(model, WeightSampling.parse("dirichlet:0.01"), 60_000, rng)
    np.testing.assert_allclose((small[:, 0] > 0.5).mean(), 0.3, atol=0.006)
    from scipy.stats import beta

    corner = beta.cdf(1e-6, 0.003, 0.007) + beta.sf(1 - 1e-6, 0.003, 0.007)  # about 0.944
    near_corner = ((small[:, 0] < 1e-6) | (small[:, 0] > 1 - 1e-6)).mean()
    np.testing.assert_allclose(near_corner, corner, atol=0.005)


def test_the_first_ranks_of_a_tiny_concentration_sum_to_one():
    # The reported defect: with dirichlet:0.001 every weight underflowed to 0 and every
    # offer tied first, so the first-rank shares summed to about 2.
    model = DecisionModel.from_problem(problem(TWO_CRITERIA))
    result = smaa(model, "dirichlet:0.001", samples=20_000, seed=1)
    assert result.rank_acceptability[:, 0].sum() == pytest.approx(1.0, abs=1e-12)


def test_a_concentration_below_the_floor_is_refused():
    with pytest.raises(SamplingError, match="at least 1e-06"):
        WeightSampling.parse("dirichlet:1e-7")
    with pytest.raises(SamplingError, match="at least 1e-06"):
        WeightSampling.parse("groups:1e-300")


def test_the_published_model_has_one_name_and_the_old_one_still_works(toy):
    inputs, weights = toy("linear")
    model = DecisionModel.from_procurement(inputs, weights)
    assert model.method == "wsm" and model.kernel == "points"
    older = DecisionModel.from_procurement(inputs, weights, method="points")
    assert older.method == "wsm"
    assert smaa(model, "box:0", samples=5).method == "wsm"
