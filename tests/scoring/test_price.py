"""Price models and total cost against hand-computed values."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.price import linear_points, price_points, proportional_points, total_cost


def series(*prices: float) -> pd.Series:
    return pd.Series(prices, index=[f"o{i}" for i in range(len(prices))], dtype=float)


def test_linear_by_hand():
    # P_b = 100: 150 -> 10 - 10·50/100 = 5; 200 -> 0; 250 -> -5, floored to 0.
    assert linear_points(series(100, 150, 200, 250), floor_at_zero=False).tolist() == [10, 5, 0, -5]
    assert linear_points(series(100, 150, 200, 250)).tolist() == [10, 5, 0, 0]


def test_proportional_by_hand():
    # 10 · 100 / 125 = 8; 10 · 100 / 400 = 2.5
    assert proportional_points(series(100, 125, 400)).tolist() == pytest.approx([10, 8, 2.5])


@pytest.mark.parametrize("model", ["linear", "proportional"])
def test_ties_single_bidder_and_equal_prices(model):
    assert price_points(series(80, 80, 120), model)[["o0", "o1"]].tolist() == [10, 10]
    assert price_points(series(123.0), model).tolist() == [10]
    assert price_points(series(50, 50, 50), model).tolist() == [10, 10, 10]


@pytest.mark.parametrize("bad", [series(0, 100), series(-5, 100), series(float("nan"), 3)])
def test_prices_must_be_positive_numbers(bad):
    with pytest.raises(ValueError):
        price_points(bad, "linear")


def test_unknown_model_is_refused():
    with pytest.raises(ValueError, match="unknown price model"):
        price_points(series(1, 2), "guesswork")


def test_total_cost_by_hand():
    lines = pd.DataFrame(
        [
            ("a", "one_time", 1000.0, False),
            ("a", "yearly", 300.0, False),
            ("a", "yearly", 200.0, False),
            ("a", "yearly", 50.0, True),
            ("b", "one_time", 2000.0, False),
            ("b", "one_time", 400.0, True),
        ],
        columns=["offer_id", "kind", "amount_nok", "is_option"],
    )
    cost = total_cost(lines, contract_years=4)
    # a: 1000 + (300 + 200) · 4 = 3000; options 50 · 4 = 200.  b: 2000; options 400.
    assert cost.loc["a"].to_dict() == {
        "one_time": 1000,
        "yearly": 500,
        "yearly_total": 2000,
        "total": 3000,
        "options": 200,
    }
    assert cost.loc["b", "total"] == 2000
    assert cost.loc["b", "options"] == 400


def test_total_cost_needs_a_contract_period():
    lines = pd.DataFrame(columns=["offer_id", "kind", "amount_nok", "is_option"])
    with pytest.raises(ValueError):
        total_cost(lines, contract_years=0)
