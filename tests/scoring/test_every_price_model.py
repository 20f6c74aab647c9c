"""Every robustness draw ranks as the published evaluation would, under every price model.

The reference is ``scoring.procurement.evaluate`` called once per drawn weighting (a slow
loop, no batch engine): the batch engine must agree with it draw by draw.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.procurement import (
    ProcurementInputs,
    Weights,
    evaluate,
    method_result,
)
from scoring.ranks import dense_ranks
from scoring.smaa import DecisionModel, WeightSampling, sample_nodes, smaa
from scoring.stability import weight_stability
from tests.scoring.conftest import toy_procurement


def as_profile(model: DecisionModel, nodes: np.ndarray) -> Weights:
    """A node vector read back as the weight profile the published model takes."""
    n_crit = model.node_kinds.count("criterion")
    names = model.node_names
    return Weights(
        criteria={str(k): float(v) for k, v in zip(names[:n_crit], nodes[:n_crit], strict=True)},
        categories={str(k): float(v) for k, v in zip(names[n_crit:], nodes[n_crit:], strict=True)},
    )


def drawn(model: DecisionModel, size: int, seed: int) -> np.ndarray:
    """Draws from the whole simplex and close around the chosen weights, with the ends."""
    rng = np.random.default_rng(seed)
    parts = [
        sample_nodes(model, WeightSampling.parse("uniform"), size, rng),
        sample_nodes(model, WeightSampling.parse("dirichlet:5"), size, rng),
        sample_nodes(model, WeightSampling.parse("box:60"), size // 4, rng),
    ]
    ends = model.chosen.copy()
    ends[model.node_names.index("price")] = 0.0  # price weighs nothing
    only_price = np.zeros_like(ends)
    only_price[model.node_names.index("price")] = 1.0  # nothing but price weighs
    only_price[3:] = model.chosen[3:]
    return np.vstack([model.normalised(np.array([ends, only_price]))] + parts)


def test_a_draw_at_the_published_weights_is_the_published_ranking(toy_under_every_price_model):
    inputs, weights = toy_under_every_price_model
    published = evaluate(inputs, weights)
    model = DecisionModel.from_procurement(inputs, weights)
    scores = model.scores(model.chosen)[0]
    np.testing.assert_allclose(scores, published.total.to_numpy(), rtol=0, atol=1e-9)
    assert dense_ranks(scores).tolist() == published.rank.tolist()
    fixed = smaa(model, "box:0", samples=20, seed=1)
    for offer, rank in published.rank.items():
        assert fixed.rank_acceptability[fixed.alternatives.index(offer), rank - 1] == 1.0


def test_quality_pricing_changes_the_winner_of_the_toy():
    # The checks here are only worth something if the models disagree. By hand: the
    # quality columns weigh LANG-02 .28125, LANG-03 .09375, CAT-01 .125, ENV-01 .2
    # (q = .7, price p = .3), so 10 · Σ w · points is X 47, Y 36, Z 16.25. The price part
    # 100 · p − q · (P − P_b) / V with V = .5 is X 30 − 28, Y 30, Z 30 − 56:
    # totals X 49, Y 66, Z −9.75, so Y (cheapest) wins; under the linear model X does.
    assert evaluate(*toy_procurement("quality-pricing")).total.to_dict() == pytest.approx(
        {"X": 49.0, "Y": 66.0, "Z": -9.75}
    )
    assert evaluate(*toy_procurement("linear")).rank.to_dict() == {"X": 1, "Y": 2, "Z": 3}
    assert evaluate(*toy_procurement("quality-pricing")).rank.to_dict() == {"X": 2, "Y": 1, "Z": 3}


def test_the_batch_engine_agrees_with_the_published_evaluation_draw_by_draw(
    toy_under_every_price_model: tuple[ProcurementInputs, Weights],
):
    # A few hundred draws where the price points move with the weights (pricing of quality);
    # fewer where they cannot (the matrix is then fixed and the check is the same each draw).
    # The reference evaluates each draw on its own, so the suite pays for every draw.
    inputs, weights = toy_under_every_price_model
    published = DecisionModel.from_procurement(inputs, weights)
    topsis = DecisionModel.from_procurement(inputs, weights, method="topsis")
    moving = published.price_term is not None
    draws = drawn(published, 120 if moving else 10, seed=11)
    assert len(draws) >= (250 if moving else 20)
    scores, topsis_scores = published.scores(draws), topsis.scores(draws)
    ranks, topsis_ranks = dense_ranks(scores), dense_ranks(topsis_scores)
    for s, nodes in enumerate(draws):
        evaluation = evaluate(inputs, as_profile(published, nodes))
        np.testing.assert_allclose(scores[s], evaluation.total.to_numpy(), rtol=0, atol=1e-9)
        assert ranks[s].tolist() == evaluation.rank.tolist(), (s, nodes)
        if s % 3 == 0:  # TOPSIS through scikit-criteria is slower still: every third draw
            expected = method_result(evaluation, "topsis")
            np.testing.assert_allclose(topsis_scores[s], expected.scores, rtol=0, atol=1e-9)
            assert topsis_ranks[s].tolist() == expected.ranks.tolist(), (s, nodes)


def test_score_draws_keep_the_price_points_of_each_draws_weights():
    # With the scores drawn too, each draw must rank as evaluate() on those scores would.
    inputs, weights = toy_procurement("quality-pricing")
    model = DecisionModel.from_procurement(inputs, weights)
    rng = np.random.default_rng(4)
    draws = drawn(model, 30, seed=5)
    matrices = np.clip(model.matrix + rng.normal(0, 2, (len(draws),) + model.matrix.shape), 0, 10)
    scores = model.scores(draws, matrices)
    price = model.columns.index("PRICE")
    for s, nodes in enumerate(draws):
        consensus = pd.DataFrame(
            [
                (offer, column, matrices[s, i, j])
                for i, offer in enumerate(model.alternatives)
                for j, column in enumerate(model.columns)
                if j != price
            ],
            columns=["offer_id", "requirement_id", "score"],
        )
        moved = ProcurementInputs(**{**inputs.__dict__, "consensus": consensus})
        expected = evaluate(moved, as_profile(model, nodes)).total.to_numpy()
        np.testing.assert_allclose(scores[s], expected, rtol=0, atol=1e-9)


def test_quality_pricing_smaa_never_lets_the_price_weight_decide():
    # Y is first by evaluated price; within 0 < price weight, no draw can change that
    # order (the price weight scales quality and money alike). Only the quality weights
    # can: draw the price weight alone by fixing the categories and environment.
    inputs, weights = toy_procurement("quality-pricing")
    model = DecisionModel.from_procurement(inputs, weights)
    draws = np.repeat(model.chosen[None, :], 500, axis=0)
    price = model.node_names.index("price")
    share = np.linspace(0.001, 0.999, 500)
    draws[:, price] = share
    rest = model.chosen[[0, 2]] / model.chosen[[0, 2]].sum()
    draws[:, [0, 2]] = (1 - share)[:, None] * rest
    ranks = dense_ranks(model.scores(draws))
    assert (ranks == [2, 1, 3]).all()


def brute_force_first(inputs, weights, model, node, grid):
    """Whether the published winner is first at each share of one node, by evaluate()."""
    from scoring.stability import _moved

    chosen = model.normalised(model.chosen)
    start, stop = next((s, e) for s, e in model.bounds if s <= node < e)
    winner = evaluate(inputs, weights).rank.idxmin()
    out = []
    for t in grid:
        nodes = _moved(chosen, start, stop, node, float(t))
        out.append(evaluate(inputs, as_profile(model, nodes)).rank[winner] == 1)
    return np.array(out)


def test_the_tornado_under_quality_pricing_matches_the_published_model_on_a_fine_grid():
    inputs, weights = toy_procurement("quality-pricing")
    model = DecisionModel.from_procurement(inputs, weights)
    result = weight_stability(model)
    assert result.winner == "Y"
    grid = np.linspace(0.0, 1.0, 41)
    for node_result in result.nodes:
        node = model.node_names.index(node_result.node)
        first = brute_force_first(inputs, weights, model, node, grid)
        ends_ahead = {t for t in node_result.overtakes.values() if t in (0.0, 1.0)}
        inside = (grid >= node_result.low) & (grid <= node_result.high)
        for t, is_first, predicted in zip(grid, first, inside, strict=True):
            if t in ends_ahead:
                assert not is_first, (node_result.node, t)
            elif not any(abs(t - x) < 1e-9 for x in node_result.overtakes.values()):
                assert is_first == predicted, (node_result.node, t)


def test_under_quality_pricing_price_only_matters_at_the_ends():
    # Price weight at 0: quality alone decides and X wins; anywhere above, Y.
    inputs, weights = toy_procurement("quality-pricing")
    result = weight_stability(DecisionModel.from_procurement(inputs, weights))
    price = next(s for s in result.nodes if s.node == "price")
    assert (price.low, price.high) == (0.0, 1.0)
    assert price.overtakes == {"X": 0.0}
    assert price.margin == pytest.approx(0.3)


def test_a_chosen_price_weight_of_zero_is_at_a_jump():
    # With price chosen at 0, X wins on quality; any price weight above 0 lets Y win.
    inputs, _ = toy_procurement("quality-pricing")
    weights = Weights(
        criteria={"quality": 50, "price": 0, "environment": 20},
        categories={"LANG": 3, "CAT": 1, "ENV": 1},
    )
    assert evaluate(inputs, weights).rank.to_dict()["X"] == 1
    result = weight_stability(DecisionModel.from_procurement(inputs, weights))
    price = next(s for s in result.nodes if s.node == "price")
    assert (price.low, price.high) == (0.0, 0.0)
    assert price.overtakes == {"Y": 0.0}
    assert price.margin == 0.0


@pytest.mark.parametrize("price_model", ["linear", "quality-pricing"])
def test_group_views_draw_around_each_group_as_the_published_model_ranks_it(price_model):
    # Draws packed tightly around a group's own weights must crown the winner that the
    # published evaluation gives at those weights, price points and all.
    from scoring.stakeholders import stakeholder_views

    inputs, chosen = toy_procurement(price_model)
    groups = {
        "cheap": Weights(
            {"quality": 20, "price": 70, "environment": 10}, {"LANG": 1, "CAT": 3, "ENV": 1}
        ),
        "quality": Weights(
            {"quality": 85, "price": 5, "environment": 10}, {"LANG": 9, "CAT": 1, "ENV": 1}
        ),
        "green": Weights(
            {"quality": 10, "price": 10, "environment": 80}, {"LANG": 1, "CAT": 1, "ENV": 1}
        ),
    }
    _, views = stakeholder_views(inputs, chosen, groups, concentration=1e7, samples=400, seed=3)
    for view in views:
        own = evaluate(inputs, groups[view.group]).rank
        firsts = set(own[own == 1].index)
        assert view.first_rank[list(firsts)].sum() == pytest.approx(1.0), view.group
