"""The ranking split in two: prepared once per data change, then evaluated per weights.
Checked against hand-computed shares and the worked example of test_procurement."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from scoring.procurement import (
    PRICE_COLUMN,
    CriterionTree,
    Weights,
    WeightTree,
    category_shares,
    climate_share_too_low,
    criterion_shares,
    evaluate_prepared,
    prepare,
)
from tests.scoring.conftest import toy_tree
from tests.scoring.test_procurement import CONSENSUS, WEIGHTS, inputs


def test_shares_by_hand():
    shape = WeightTree.of(toy_tree())
    # quality 50, price 30, environment 20 of 100; LANG 3 and CAT 1 within quality, ENV alone
    assert shape.criterion_shares(WEIGHTS).to_dict() == pytest.approx(
        {"quality": 0.5, "price": 0.3, "environment": 0.2}
    )
    assert shape.category_shares(WEIGHTS).to_dict() == pytest.approx(
        {"LANG": 0.75, "CAT": 0.25, "ENV": 1.0}
    )
    assert criterion_shares(toy_tree(), WEIGHTS)["price"] == pytest.approx(0.3)
    assert category_shares(toy_tree(), WEIGHTS)["CAT"] == pytest.approx(0.25)


def test_a_level_weighed_at_zero_stays_zero_and_negative_weights_are_refused():
    shape = WeightTree.of(toy_tree())
    zero = Weights(criteria={"quality": 1}, categories={"ENV": 0})
    assert shape.category_shares(zero)["ENV"] == 0.0
    assert shape.global_weights(zero).sum() == 0.0
    with pytest.raises(ValueError):
        shape.criterion_shares(Weights(criteria={"quality": -1}, categories={}))
    with pytest.raises(ValueError):
        shape.category_shares(Weights(criteria={}, categories={"LANG": -1}))


def test_a_category_under_an_unknown_criterion_passes_its_share_to_nobody():
    odd = CriterionTree(
        criteria=pd.DataFrame({"id": ["quality"]}),
        categories=pd.DataFrame({"id": ["A", "B"], "criterion_id": ["quality", "ghost"]}),
        requirements=pd.DataFrame(
            {"id": ["A-1", "B-1"], "category_id": ["A", "B"], "kind": ["W", "W"], "weight": [1, 1]}
        ),
    )
    weights = WeightTree.of(odd).global_weights(
        Weights(criteria={"quality": 1}, categories={"A": 1, "B": 1})
    )
    assert weights.to_dict() == {"A-1": 1.0, "B-1": 0.0, PRICE_COLUMN: 0.0}


def test_evaluate_prepared_gives_the_worked_example_for_any_weights_in_turn():
    prepared = prepare(inputs(CONSENSUS))
    first = evaluate_prepared(prepared, WEIGHTS)
    assert first.total.to_dict() == pytest.approx({"a": 66.25, "b": 65.0, "c": 63.0})
    # Only price counts: linear price points a 10, b 5, c 0 -> totals 100, 50, 0.
    only_price = evaluate_prepared(prepared, Weights(criteria={"price": 1}, categories={}))
    assert only_price.total.to_dict() == pytest.approx({"a": 100.0, "b": 50.0, "c": 0.0})
    # The prepared points are not changed by an evaluation: the first answer holds again.
    again = evaluate_prepared(prepared, WEIGHTS)
    assert again.total.to_dict() == pytest.approx(first.total.to_dict())
    assert PRICE_COLUMN not in prepared.points.columns


def test_the_prepared_part_screens_once():
    checks = [("b", "LANG-01", "material_deviation", "no Sámi")]
    prepared = prepare(inputs(CONSENSUS, checks))
    assert prepared.rejected == ["b"]
    assert list(prepared.eligible) == ["a", "c"]
    assert evaluate_prepared(prepared, WEIGHTS).rejected == ["b"]


def test_climate_share_under_thirty_per_cent_needs_a_justification():
    assert climate_share_too_low(0.2, "")
    assert not climate_share_too_low(0.2, "Because the market offers no difference.")
    assert not climate_share_too_low(0.3, "")


def test_an_empty_tender_prepares_to_nothing():
    full = inputs([])
    empty = replace(full, offers=full.offers.iloc[:0], price_lines=full.price_lines.iloc[:0])
    prepared = prepare(empty)
    assert prepared.rejected == [] and len(prepared.eligible) == 0
    assert evaluate_prepared(prepared, WEIGHTS).total.empty
