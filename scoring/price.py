"""Price: total cost over the contract period, and price to points (10-point scale).

Terms: P_b is the lowest evaluated price among the offers, P_e the price being scored.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MAX_POINTS = 10.0

PRICE_MODELS: dict[str, str] = {
    "linear": "Linear: S = 10 − 10 · (P_e − P_b) / P_b",
    "proportional": "Proportional: S = 10 · P_b / P_e",
}


def _check_prices(prices: pd.Series) -> None:
    if prices.empty:
        raise ValueError("no prices to score")
    if prices.isna().any() or not np.all(np.isfinite(prices.to_numpy(dtype=float))):
        raise ValueError("every price must be a finite number")
    if (prices <= 0).any():
        raise ValueError("every price must be above zero")


def linear_points(prices: pd.Series, *, floor_at_zero: bool = True) -> pd.Series:
    """S = 10 − 10 · (P_e − P_b) / P_b. At twice the lowest price S is 0; beyond, below 0
    unless floored."""
    _check_prices(prices)
    lowest = prices.min()
    points = MAX_POINTS - MAX_POINTS * (prices - lowest) / lowest
    return points.clip(lower=0.0) if floor_at_zero else points


def proportional_points(prices: pd.Series) -> pd.Series:
    """S = 10 · P_b / P_e (forholdsmessig): never below 0, never above 10."""
    _check_prices(prices)
    return MAX_POINTS * prices.min() / prices


def price_points(prices: pd.Series, model: str, *, floor_at_zero: bool = True) -> pd.Series:
    """Points for each price under the named model of PRICE_MODELS."""
    if model == "linear":
        return linear_points(prices, floor_at_zero=floor_at_zero)
    if model == "proportional":
        return proportional_points(prices)
    raise ValueError(f"unknown price model {model!r}; choose one of {', '.join(PRICE_MODELS)}")


def total_cost(lines: pd.DataFrame, contract_years: int) -> pd.DataFrame:
    """Cost per offer over the contract period.

    ``lines`` has columns offer_id, kind ('one_time' | 'yearly'), amount_nok, is_option.
    Returns one row per offer with one_time, yearly, yearly_total (yearly × years),
    total (what is scored) and options (one-time options plus yearly options × years,
    shown apart and not scored).
    """
    if contract_years < 1:
        raise ValueError("the contract period must be at least one year")
    years = np.where(lines["kind"] == "yearly", contract_years, 1)
    frame = lines.assign(period_amount=lines["amount_nok"] * years)
    offers = pd.Index(lines["offer_id"].unique(), name="offer_id")

    def part(mask: pd.Series, column: str) -> pd.Series:
        summed = frame[mask].groupby("offer_id")[column].sum()
        return summed.reindex(offers, fill_value=0.0)

    base = ~frame["is_option"].astype(bool)
    result = pd.DataFrame(
        {
            "one_time": part(base & (frame["kind"] == "one_time"), "amount_nok"),
            "yearly": part(base & (frame["kind"] == "yearly"), "amount_nok"),
            "options": part(~base, "period_amount"),
        }
    )
    result["yearly_total"] = result["yearly"] * contract_years
    result["total"] = result["one_time"] + result["yearly_total"]
    return result[["one_time", "yearly", "yearly_total", "total", "options"]]
