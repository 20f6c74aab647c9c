"""Price models and total cost against hand-computed values."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from scoring.price import (
    DEPENDS_ON_OTHER_BIDS,
    PRICE_MODELS,
    LibraryCounts,
    PriceModelError,
    PriceParameters,
    evaluated_prices,
    fixed_range_points,
    linear_points,
    logarithmic_points,
    per_library,
    price_points,
    proportional_points,
    quality_pricing_points,
    total_cost,
)
from scoring.procurement import evaluate


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


# --- every model of the domain notes, by hand ----------------------------------------


def test_linear_without_a_floor_by_hand():
    # P_b = 100: 300 -> 10 - 10·200/100 = -10.
    points = price_points(series(100, 300), "linear-no-floor")
    assert points.tolist() == [10, -10]
    # The older spelling (linear, floor off) gives the same.
    assert price_points(series(100, 300), "linear-no-floor").tolist() == [10, -10]


def test_fixed_range_by_hand():
    # P_min 50, P_max 150: 100 -> 10·50/100 = 5; 125 -> 2.5; beyond the bounds: 10 and 0.
    points = fixed_range_points(series(30, 50, 100, 125, 150, 200), 50, 150)
    assert points.tolist() == [10, 10, 5, 2.5, 0, 0]


def test_logarithmic_by_hand():
    # P_b = 100, A = 2: 150 -> 10·(1 − ln 1.5 / ln 2) = 10·(1 − 0.5849625) = 4.150375;
    # 200 -> 0; 400 -> 10·(1 − 2) = −10, floored to 0.
    points = logarithmic_points(series(100, 150, 200, 400), 2.0)
    assert points.tolist() == pytest.approx([10, 4.150375, 0, 0], abs=1e-6)
    # A = 3: 150 -> 10·(1 − ln 1.5 / ln 3) = 10·(1 − 0.3690702) = 6.309298.
    assert logarithmic_points(series(100, 150), 3.0).tolist() == pytest.approx(
        [10, 6.309298], abs=1e-6
    )


def test_evaluated_price_by_hand():
    # E = P − V·Q: 1 000 000 − 20 000·20 = 600 000; 2 000 000 − 20 000·50 = 1 000 000.
    prices = pd.Series([1_000_000.0, 2_000_000.0], index=["a", "b"])
    quality = pd.Series([20.0, 50.0], index=["a", "b"])
    assert evaluated_prices(prices, quality, 20_000).tolist() == [600_000, 1_000_000]


def test_quality_pricing_points_by_hand():
    # k = 0.5 / (10 · 0.5 · 20 000) = 1 / 200 000 per NOK: 2 M -> 10 − 5 = 5; 3 M -> 0;
    # 4 M -> −5 (not floored).
    prices = series(1_000_000, 2_000_000, 3_000_000, 4_000_000)
    points = quality_pricing_points(prices, 20_000, price_weight=0.5, quality_weight=0.5)
    assert points.tolist() == pytest.approx([10, 5, 0, -5])
    # Price weighs nothing: price plays no part.
    nothing = quality_pricing_points(prices, 20_000, price_weight=0.0, quality_weight=1.0)
    assert nothing.tolist() == [10, 10, 10, 10]


PARAMS = PriceParameters(price_min=50, price_max=150, zero_multiple=2, point_value=1)


def points_of(prices: pd.Series, model: str) -> pd.Series:
    return price_points(prices, model, PARAMS, price_weight=0.5, quality_weight=0.5)


@pytest.mark.parametrize("model", list(PRICE_MODELS))
def test_every_model_ties_equal_prices(model):
    points = points_of(series(80, 80, 120), model)
    assert points["o0"] == points["o1"]
    assert points["o0"] > points["o2"]
    same = points_of(series(90, 90, 90), model)
    assert same.nunique() == 1


@pytest.mark.parametrize(
    "model, alone",
    [
        ("linear", 10),
        ("linear-no-floor", 10),
        ("proportional", 10),
        ("fixed-range", 10 * (150 - 123) / 100),  # the bounds, not the other bids
        ("logarithmic", 10),
        ("quality-pricing", 10),
    ],
)
def test_a_single_bidder(model, alone):
    assert points_of(series(123.0), model).tolist() == pytest.approx([alone])


@pytest.mark.parametrize(
    "model, expected",
    [
        ("linear", [10, 10, 10]),
        ("proportional", [10, 10, 10]),
        ("fixed-range", [4, 4, 4]),  # 10 · (150 − 110) / 100
        ("logarithmic", [10, 10, 10]),
        ("quality-pricing", [10, 10, 10]),
    ],
)
def test_equal_prices_by_hand(model, expected):
    assert points_of(series(110, 110, 110), model).tolist() == pytest.approx(expected)


@pytest.mark.parametrize(
    "model, parameters, message",
    [
        ("fixed-range", PriceParameters(), "P_min and P_max"),
        ("fixed-range", PriceParameters(price_min=200, price_max=100), "below P_max"),
        ("logarithmic", PriceParameters(zero_multiple=1.2), "between 1.5 and 3"),
        ("logarithmic", PriceParameters(zero_multiple=3.5), "between 1.5 and 3"),
        ("quality-pricing", PriceParameters(), "needs V"),
        ("quality-pricing", PriceParameters(point_value=0), "needs V"),
    ],
)
def test_models_refuse_missing_or_bad_settings(model, parameters, message):
    with pytest.raises(PriceModelError, match=message):
        price_points(series(1, 2), model, parameters, price_weight=0.5, quality_weight=0.5)


def test_quality_pricing_needs_the_weights():
    with pytest.raises(PriceModelError, match="weights"):
        price_points(series(1, 2), "quality-pricing", PriceParameters(point_value=5))


def test_only_the_models_scored_against_the_lowest_bid_depend_on_other_bids():
    assert {m for m, d in DEPENDS_ON_OTHER_BIDS.items() if not d} == {
        "fixed-range",
        "quality-pricing",
    }
    assert set(DEPENDS_ON_OTHER_BIDS) == set(PRICE_MODELS)


def test_parameters_from_settings():
    params = PriceParameters.from_settings(
        {
            "price_range_min_nok": "6000000",
            "price_range_max_nok": "15000000",
            "price_log_zero_multiple": "2.5",
            "quality_point_value_nok": "",
        }
    )
    assert params == PriceParameters(
        price_min=6_000_000, price_max=15_000_000, zero_multiple=2.5, point_value=None
    )
    assert PriceParameters.from_settings({}).zero_multiple == 2.0
    with pytest.raises(PriceModelError, match="must be a number"):
        PriceParameters.from_settings({"price_log_zero_multiple": "two"})


def test_per_library_by_hand():
    costs = pd.DataFrame({"total": [1_200_000.0, 600_000.0]}, index=["a", "b"])
    counts = LibraryCounts(libraries=10, branches=12, school_libraries=8)
    shares = per_library(costs, counts, contract_years=4)
    # a: 1 200 000 / 10 = 120 000; per year 30 000; per service point per year
    # 1 200 000 / 20 / 4 = 15 000.
    assert shares.loc["a"].to_dict() == {
        "per_library": 120_000,
        "per_library_year": 30_000,
        "per_service_point_year": 15_000,
    }
    assert shares.loc["b", "per_library"] == 60_000
    empty = per_library(costs, LibraryCounts(0, 0, 0), contract_years=4)
    assert (empty == 0).all().all()


# --- what a price of 0 NOK, or no price at all, gives under each model ----------------


@pytest.mark.parametrize("model", ["linear", "linear-no-floor", "proportional", "logarithmic"])
def test_zero_nok_is_refused_where_the_formula_divides_by_the_lowest_price(model):
    # (P_e − P_b) / P_b, P_b / P_e and log(P_e / P_b) are undefined at P_b = 0.
    with pytest.raises(PriceModelError, match=r"price of b is 0 NOK"):
        price_points(pd.Series({"a": 100.0, "b": 0.0}), model, PARAMS)


def test_zero_nok_scores_ten_in_the_fixed_range_model():
    # 0 NOK is at or below P_min = 50: 10 points; 100 NOK: 10 · (150 − 100) / 100 = 5.
    points = price_points(pd.Series({"a": 100.0, "b": 0.0}), "fixed-range", PARAMS)
    assert points.to_dict() == {"a": 5.0, "b": 10.0}


def test_zero_nok_under_pricing_of_quality_is_the_lowest_price():
    # S = 10 − k · (P_e − 0), k = 0.5 / (10 · 0.5 · 1) = 0.1: a 100 NOK offer scores 0.
    points = price_points(
        pd.Series({"a": 100.0, "b": 0.0}),
        "quality-pricing",
        PARAMS,
        price_weight=0.5,
        quality_weight=0.5,
    )
    assert points.to_dict() == pytest.approx({"a": 0.0, "b": 10.0})
    assert evaluated_prices(
        pd.Series({"b": 0.0}), pd.Series({"b": 40.0}), point_value=1
    ).to_dict() == {"b": -40.0}


@pytest.mark.parametrize("model", list(PRICE_MODELS))
def test_a_negative_price_is_refused_by_every_model_naming_the_offer(model):
    with pytest.raises(PriceModelError, match="price of b is below zero"):
        price_points(
            pd.Series({"a": 100.0, "b": -1.0}), model, PARAMS, price_weight=0.5, quality_weight=0.5
        )


@pytest.mark.parametrize("model", list(PRICE_MODELS))
def test_an_offer_without_a_price_is_named(model):
    with pytest.raises(PriceModelError, match="no price for b"):
        price_points(
            pd.Series({"a": 100.0, "b": float("nan")}),
            model,
            PARAMS,
            price_weight=0.5,
            quality_weight=0.5,
        )


def test_an_eligible_offer_with_no_price_lines_is_named_by_the_evaluation(toy):
    inputs, weights = toy("linear")
    lines = inputs.price_lines[inputs.price_lines["offer_id"] != "Z"]
    with pytest.raises(PriceModelError, match="no price for Z"):
        evaluate(replace(inputs, price_lines=lines), weights)
