"""Weight stability intervals against cases solved by hand and against brute force."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.methods import Problem
from scoring.procurement import CriterionTree, ProcurementInputs, Weights, evaluate
from scoring.smaa import DecisionModel
from scoring.stability import weight_stability


def procurement() -> tuple[ProcurementInputs, Weights]:
    """Two offers, quality (LANG, CAT) and price.

    X: LANG 10, CAT 0, price 100 -> 7.5 price points (linear, lowest 80).
    Y: LANG 0, CAT 10, price 80 -> 10 price points.
    Quality 60, price 40; LANG 70, CAT 30: X = 72, Y = 58.
    """
    tree = CriterionTree(
        criteria=pd.DataFrame({"id": ["quality", "price"]}),
        categories=pd.DataFrame({"id": ["LANG", "CAT"], "criterion_id": ["quality", "quality"]}),
        requirements=pd.DataFrame(
            {
                "id": ["LANG-1", "CAT-1"],
                "category_id": ["LANG", "CAT"],
                "kind": ["W", "W"],
                "weight": [1.0, 1.0],
            }
        ),
    )
    inputs = ProcurementInputs(
        tree=tree,
        offers=pd.DataFrame({"id": ["X", "Y"], "vendor_name": ["X", "Y"], "product": "p"}),
        consensus=pd.DataFrame(
            {
                "offer_id": ["X", "X", "Y", "Y"],
                "requirement_id": ["LANG-1", "CAT-1", "LANG-1", "CAT-1"],
                "score": [10.0, 0.0, 0.0, 10.0],
            }
        ),
        checks=pd.DataFrame(columns=["offer_id", "requirement_id", "outcome", "reason"]),
        price_lines=pd.DataFrame(
            {
                "offer_id": ["X", "Y"],
                "kind": ["one_time", "one_time"],
                "amount_nok": [100.0, 80.0],
                "is_option": [False, False],
            }
        ),
        contract_years=4,
    )
    return inputs, Weights(
        criteria={"quality": 60, "price": 40}, categories={"LANG": 70, "CAT": 30}
    )


def test_the_procurement_case_solved_by_hand():
    inputs, weights = procurement()
    assert evaluate(inputs, weights).total.round(9).to_dict() == {"X": 72.0, "Y": 58.0}
    result = weight_stability(DecisionModel.from_procurement(inputs, weights))
    assert result.winner == "X"
    by_node = {s.node: s for s in result.nodes}
    # Quality share q: X = 75 − 5q, Y = 100 − 70q; X stays first for q >= 5/13.
    assert by_node["quality"].current == pytest.approx(0.6)
    assert (by_node["quality"].low, by_node["quality"].high) == pytest.approx((5 / 13, 1.0))
    assert by_node["quality"].overtakes == pytest.approx({"Y": 5 / 13})
    assert (by_node["price"].low, by_node["price"].high) == pytest.approx((0.0, 8 / 13))
    # LANG share t: X = 60t + 30, Y = 100 − 60t; X stays first for t >= 7/12.
    assert (by_node["LANG"].low, by_node["LANG"].high) == pytest.approx((7 / 12, 1.0))
    assert (by_node["CAT"].low, by_node["CAT"].high) == pytest.approx((0.0, 5 / 12))
    assert by_node["CAT"].overtakes == pytest.approx({"Y": 5 / 12})
    assert by_node["LANG"].kind == "category" and by_node["LANG"].parent == "quality"
    # Price can move 8/13 − 0.4 ≈ 0.215 before Y wins; LANG only 0.7 − 7/12 ≈ 0.117.
    assert [s.node for s in result.most_sensitive_first()][:2] == ["LANG", "CAT"]


def prescaled(weights) -> DecisionModel:
    # Columns add up to 1, so the weighted sum's SumScaler leaves them as they are.
    matrix = np.array([[0.7, 0.2, 0.5], [0.3, 0.8, 0.5]])
    return DecisionModel.from_problem(
        Problem(("A", "B"), ("c1", "c2", "c3"), matrix, np.array(weights, float), ("max",) * 3)
    )


def test_the_others_keep_their_proportions():
    # w1 = t, w2 = 0.6 (1 − t), w3 = 0.4 (1 − t): A = 0.7t + 0.32(1 − t), B = 0.3t + 0.68(1 − t).
    # A stays first for t >= 9/19.
    result = weight_stability(prescaled([0.5, 0.3, 0.2]))
    first = next(s for s in result.nodes if s.node == "c1")
    assert result.winner == "A"
    assert (first.low, first.high) == pytest.approx((9 / 19, 1.0))
    assert first.overtakes == pytest.approx({"B": 9 / 19})


def test_others_all_at_zero_share_what_is_left_equally():
    # w = (1, 0, 0): moving w1 down to t gives (1 − t)/2 to each of the others.
    # A = 0.7t + 0.35(1 − t), B = 0.3t + 0.65(1 − t): A stays first for t >= 3/7.
    result = weight_stability(prescaled([1.0, 0.0, 0.0]))
    first = next(s for s in result.nodes if s.node == "c1")
    assert (first.low, first.high) == pytest.approx((3 / 7, 1.0))


def test_lines_meeting_only_at_the_end_are_a_tie_not_an_overtaking():
    result = weight_stability(prescaled([0.5, 0.3, 0.2]))
    third = next(s for s in result.nodes if s.node == "c3")  # both score 0.5 on c3
    assert third.overtakes == {}
    assert (third.low, third.high) == (0.0, 1.0)


def test_the_intervals_are_where_the_winner_is_first_by_brute_force():
    result = weight_stability(prescaled([0.5, 0.3, 0.2]))
    # Check by brute force on a fine grid that the interval is where A is first.
    grid = np.linspace(0.0, 1.0, 2001)
    model = prescaled([0.5, 0.3, 0.2])
    for node in result.nodes:
        k = model.node_names.index(node.node)
        others = [j for j in range(3) if j != k]
        rest = model.chosen[others] / model.chosen[others].sum()
        nodes = np.zeros((len(grid), 3))
        nodes[:, k] = grid
        nodes[:, others] = (1 - grid)[:, None] * rest
        scores = model.scores(nodes)
        a_first = scores[:, 0] >= scores[:, 1] - 1e-12
        inside = (grid >= node.low - 1e-9) & (grid <= node.high + 1e-9)
        assert np.array_equal(a_first, inside), node.node


def test_a_group_of_one_weight_cannot_move():
    inputs, weights = procurement()
    model = DecisionModel.from_procurement(inputs, weights)
    assert {s.node for s in weight_stability(model).nodes} == {"quality", "price", "LANG", "CAT"}


def test_topsis_is_refused():
    with pytest.raises(ValueError, match="weighted sum"):
        weight_stability(
            DecisionModel.from_problem(
                Problem(("A", "B"), ("c",), np.array([[1.0], [2.0]]), np.ones(1), ("max",)),
                "topsis",
            )
        )
