"""The published model on small procurements worked out by hand."""

from __future__ import annotations

import math
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import skcriteria as skc
from skcriteria.agg.simple import WeightedSumModel

from scoring.procurement import (
    PRICE_COLUMN,
    ProcurementInputs,
    Weights,
    climate_rule_broken,
    climate_share,
    evaluate,
    global_weights,
    method_ranks,
    method_result,
    normalise,
    screen_mandatory,
    weighted_totals,
    wpm_shift,
)
from tests.scoring.conftest import toy_tree

WEIGHTS = Weights(
    criteria={"quality": 50, "price": 30, "environment": 20},
    categories={"LANG": 3, "CAT": 1, "ENV": 1},
)


def test_global_weights_multiply_along_the_path():
    w = global_weights(toy_tree(), WEIGHTS)
    # quality 0.5 · LANG 3/4 · LANG-02 3/4 = 0.28125; LANG-03 0.5 · 3/4 · 1/4 = 0.09375
    assert w["LANG-02"] == pytest.approx(0.28125)
    assert w["LANG-03"] == pytest.approx(0.09375)
    assert w["CAT-01"] == pytest.approx(0.5 * 0.25)
    assert w["ENV-01"] == pytest.approx(0.2)
    assert w[PRICE_COLUMN] == pytest.approx(0.3)
    assert "LANG-01" not in w.index  # mandatory requirements carry no weight
    assert w.sum() == pytest.approx(1.0)


def test_zero_weights_never_give_nan():
    assert normalise(pd.Series([0.0, 0.0])).tolist() == [0.0, 0.0]
    w = global_weights(toy_tree(), Weights(criteria={"quality": 1}, categories={}))
    assert not w.isna().any()
    assert w.sum() == 0.0


def test_negative_weights_are_refused():
    with pytest.raises(ValueError):
        normalise(pd.Series([1.0, -1.0]))


def inputs(consensus_rows, checks_rows=(), prices=None) -> ProcurementInputs:
    prices = prices or {"a": 100.0, "b": 150.0, "c": 200.0}
    return ProcurementInputs(
        tree=toy_tree(),
        offers=pd.DataFrame(
            {"id": list(prices), "vendor_name": list(prices), "product": list(prices)}
        ),
        consensus=pd.DataFrame(consensus_rows, columns=["offer_id", "requirement_id", "score"]),
        checks=pd.DataFrame(
            list(checks_rows), columns=["offer_id", "requirement_id", "outcome", "reason"]
        ),
        price_lines=pd.DataFrame(
            [(o, "one_time", p, False) for o, p in prices.items()],
            columns=["offer_id", "kind", "amount_nok", "is_option"],
        ),
        contract_years=4,
        price_model="linear",
    )


# The consensus points of the worked example: offers × weighted requirements.
REQUIREMENTS = ("LANG-02", "LANG-03", "CAT-01", "ENV-01")
POINTS = {
    "a": (4, 8, 6, 5),
    "b": (10, 2, 8, 5),
    "c": (9, 9, 9, 9),
}
CONSENSUS = [
    (offer, requirement, score)
    for offer, row in POINTS.items()
    for requirement, score in zip(REQUIREMENTS, row, strict=True)
]


def test_totals_and_ranks_by_hand():
    result = evaluate(inputs(CONSENSUS), WEIGHTS)
    # price points (linear, P_b = 100): a 10, b 5, c 0
    # a: 10·(0.28125·4 + 0.09375·8 + 0.125·6 + 0.2·5 + 0.3·10) = 66.25
    # b: 10·(0.28125·10 + 0.09375·2 + 0.125·8 + 0.2·5 + 0.3·5) = 65.0
    # c: 10·(0.28125·9 + 0.09375·9 + 0.125·9 + 0.2·9 + 0.3·0) = 63.0
    assert result.total.to_dict() == pytest.approx({"a": 66.25, "b": 65.0, "c": 63.0})
    assert result.rank.to_dict() == {"a": 1, "b": 2, "c": 3}
    assert result.matrix[PRICE_COLUMN].to_dict() == pytest.approx({"a": 10, "b": 5, "c": 0})


def test_contributions_add_up_to_the_total_and_split_by_part():
    result = evaluate(inputs(CONSENSUS), WEIGHTS)
    np.testing.assert_allclose(result.contributions.sum(axis=1), result.total)
    assert list(result.contributions.columns) == ["LANG", "CAT", "ENV", PRICE_COLUMN]
    # a's LANG part: 10·(0.28125·4 + 0.09375·8) = 18.75
    assert result.contributions.loc["a", "LANG"] == pytest.approx(18.75)


def test_weight_change_moves_the_ranking_as_the_arithmetic_says():
    # All weight on price: the cheapest wins. All on quality LANG: c (9, 9) beats b (10, 2).
    price_only = Weights(criteria={"price": 1}, categories={})
    assert evaluate(inputs(CONSENSUS), price_only).rank.idxmin() == "a"
    lang_only = Weights(criteria={"quality": 1}, categories={"LANG": 1})
    result = evaluate(inputs(CONSENSUS), lang_only)
    assert result.rank.to_dict() == {"c": 1, "b": 2, "a": 3}


def test_requirement_where_everyone_scores_zero_contributes_nothing():
    zeroed = [(o, r, 0 if r == "CAT-01" else s) for o, r, s in CONSENSUS]
    result = evaluate(inputs(zeroed), WEIGHTS)
    assert not result.total.isna().any()
    assert (result.contributions["CAT"] == 0).all()
    full = evaluate(inputs(CONSENSUS), WEIGHTS)
    # Each total drops by exactly CAT-01's former share, 10 · 0.125 · score.
    for offer, score in {"a": 6, "b": 8, "c": 9}.items():
        assert result.total[offer] == pytest.approx(full.total[offer] - 1.25 * score)


def test_material_deviation_rejects_and_not_met_does_not():
    checks = [
        ("a", "LANG-01", "met", ""),
        ("b", "LANG-01", "not_met", "workaround documented"),
        ("c", "LANG-01", "material_deviation", "no NFC normalisation"),
    ]
    result = evaluate(inputs(CONSENSUS, checks), WEIGHTS)
    assert result.rejected == ["c"]
    assert list(result.total.index) == ["a", "b"]
    assert result.screening.loc["c", "reasons"] == [("LANG-01", "no NFC normalisation")]
    # The lowest price among the eligible offers sets the price points.
    assert result.matrix[PRICE_COLUMN].to_dict() == pytest.approx({"a": 10, "b": 5})


def test_everyone_rejected_leaves_an_empty_ranking():
    checks = [(o, "LANG-01", "material_deviation", "x") for o in "abc"]
    result = evaluate(inputs(CONSENSUS, checks), WEIGHTS)
    assert result.total.empty and result.rank.empty


def test_screen_mandatory_lists_every_offer():
    frame = screen_mandatory(
        pd.Series(["x", "y"]),
        pd.DataFrame(columns=["offer_id", "requirement_id", "outcome", "reason"]),
    )
    assert frame["eligible"].tolist() == [True, True]


def test_weighted_totals_equal_scikit_criteria_weighted_sum_on_points():
    rng = np.random.default_rng(7)
    points = rng.integers(0, 11, size=(6, 9)).astype(float)
    weights = rng.dirichlet(np.ones(9))
    ours = weighted_totals(pd.DataFrame(points), pd.Series(weights))
    dm = skc.mkdm(matrix=points, objectives=[max] * 9, weights=weights)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = WeightedSumModel().evaluate(dm)
    np.testing.assert_allclose(ours.to_numpy(), 10 * theirs.e_.score, atol=1e-9)


def test_climate_rule():
    t = toy_tree()
    assert climate_share(t, WEIGHTS) == pytest.approx(0.2)
    assert climate_rule_broken(t, WEIGHTS, "")
    assert not climate_rule_broken(t, WEIGHTS, "Covered by requirements ENV-01 to ENV-03.")
    thirty = Weights(criteria={"quality": 40, "price": 30, "environment": 30}, categories={})
    assert math.isclose(climate_share(t, thirty), 0.3)
    assert not climate_rule_broken(t, thirty, "")


# --- the other methods on the published points ---------------------------------------

ALL_METHODS = ["wsm", "wpm", "topsis", "vikor", "electre2"]


def skcriteria_directly(matrix: np.ndarray, weights: np.ndarray, method: str):
    """The method run through scikit-criteria itself, no bibvalg code in between."""
    from skcriteria.agg.electre import ELECTRE2
    from skcriteria.agg.simple import WeightedProductModel
    from skcriteria.agg.topsis import TOPSIS
    from skcriteria.agg.vikor import VIKOR
    from skcriteria.preprocessing.scalers import SumScaler, VectorScaler

    keep = weights > 0
    dm = skc.mkdm(matrix=matrix[:, keep], objectives=[max] * int(keep.sum()), weights=weights[keep])
    dm = SumScaler(target="weights").transform(dm)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "wpm":
            return WeightedProductModel().evaluate(dm)
        if method == "topsis":
            return TOPSIS().evaluate(VectorScaler(target="matrix").transform(dm))
        if method == "vikor":
            return VIKOR(v=0.5, use_compromise_set=False).evaluate(dm)
        return ELECTRE2().evaluate(dm)


@pytest.mark.parametrize("method", ["wpm", "topsis", "vikor", "electre2"])
@pytest.mark.parametrize("model", ["linear", "linear-no-floor", "proportional"])
def test_each_method_matches_scikit_criteria_on_the_same_points(method, model):
    result = evaluate(replace(inputs(CONSENSUS), price_model=model), WEIGHTS)
    matrix = result.matrix.to_numpy()
    weights = result.column_weights.reindex(result.matrix.columns).to_numpy()
    if method == "wpm":
        # Every point raised so that the lowest is 1: by 1, or more below 0.
        matrix = matrix + (1 - min(0.0, matrix.min()))
    theirs = skcriteria_directly(matrix, weights, method)
    ours = method_result(result, method)
    score_key = {"topsis": "similarity", "vikor": "q_k"}.get(method, "score")
    np.testing.assert_allclose(ours.scores, theirs.e_[score_key], atol=1e-9)
    assert ours.ranks.tolist() == theirs.rank_.tolist()


def test_the_published_method_is_the_weighted_sum_itself():
    result = evaluate(inputs(CONSENSUS), WEIGHTS)
    ours = method_result(result, "wsm")
    assert ours.scores.tolist() == pytest.approx([66.25, 65.0, 63.0])
    assert ours.ranks.tolist() == [1, 2, 3]


def test_weighted_product_shift_by_hand():
    assert wpm_shift(pd.DataFrame({"a": [0.0, 10.0]})) == 1.0
    # Linear without a floor can give −10: raised by 11 so that the lowest is 1.
    assert wpm_shift(pd.DataFrame({"a": [-10.0, 10.0]})) == 11.0


def test_method_ranks_table_has_every_method():
    result = evaluate(inputs(CONSENSUS), WEIGHTS)
    ranks = method_ranks(result, ALL_METHODS)
    assert list(ranks.columns) == ALL_METHODS
    assert ranks["wsm"].to_dict() == {"a": 1, "b": 2, "c": 3}
    assert ranks.index.tolist() == ["a", "b", "c"]


@pytest.mark.parametrize("method", ALL_METHODS)
def test_every_method_copes_with_one_eligible_offer(method):
    checks = [
        ("b", "LANG-01", "material_deviation", "x"),
        ("c", "LANG-01", "material_deviation", "y"),
    ]
    result = evaluate(inputs(CONSENSUS, checks), WEIGHTS)
    assert method_result(result, method).ranks.tolist() == [1]
