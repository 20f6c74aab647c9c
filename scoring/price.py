"""Price: total cost over the contract period, and price to points (10-point scale).

Terms, as the pages and the README use them:

- P_e: the price being scored, the offer's total cost over the contract period.
- P_b: the lowest price among the offers being compared (the offers not rejected).
- A: in the logarithmic model, the multiple of the lowest price that scores 0 (1.5–3).
- P_min, P_max: in the fixed-range model, the bounds set before the tender: P_min or less
  scores 10, P_max or more scores 0.
- V: in pricing of quality, the money value in NOK of one quality point.
- Q_e: the offer's quality points, 0–100: its weighted points on every criterion except
  price, scaled so that full marks everywhere is 100.

A model **depends on the other bids** when taking one bidder out can change the order of
the others (irrelevant alternatives). Each formula below is a pure function.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.scales import MAX_POINTS

LINEAR = "linear"
LINEAR_NO_FLOOR = "linear-no-floor"
PROPORTIONAL = "proportional"
FIXED_RANGE = "fixed-range"
LOGARITHMIC = "logarithmic"
QUALITY_PRICING = "quality-pricing"

PRICE_MODELS: dict[str, str] = {
    LINEAR: "Linear: S = 10 − 10 · (P_e − P_b) / P_b, floored at 0",
    LINEAR_NO_FLOOR: "Linear without a floor: S = 10 − 10 · (P_e − P_b) / P_b",
    PROPORTIONAL: "Proportional: S = 10 · P_b / P_e",
    FIXED_RANGE: "Fixed-range linear: S = 10 · (P_max − P_e) / (P_max − P_min), within 0–10",
    LOGARITHMIC: "Logarithmic: S = 10 · (1 − log(P_e / P_b) / log A), floored at 0",
    QUALITY_PRICING: "Pricing of quality: evaluated price E = P_e − V · Q_e; lowest E wins",
}

# Can taking one bidder out change the order of the others?
DEPENDS_ON_OTHER_BIDS: dict[str, bool] = {
    LINEAR: True,  # P_b sets the slope
    LINEAR_NO_FLOOR: True,  # P_b sets the slope
    PROPORTIONAL: True,  # P_b scales every offer's points
    FIXED_RANGE: False,  # bounds fixed before the tender
    LOGARITHMIC: True,  # P_b only shifts the points, but the floor at 0 can bite
    QUALITY_PRICING: False,  # P_b only shifts the points; V is fixed before the tender
}

SETTING_KEYS = {
    "price_min": "price_range_min_nok",
    "price_max": "price_range_max_nok",
    "zero_multiple": "price_log_zero_multiple",
    "point_value": "quality_point_value_nok",
}
LOG_MULTIPLE_RANGE = (1.5, 3.0)
DEFAULT_LOG_MULTIPLE = 2.0


class PriceModelError(ValueError):
    """Prices or price-model settings that cannot be turned into points."""


@dataclass(frozen=True)
class PriceParameters:
    """The settings some price models need, fixed before the tender.

    price_min, price_max: P_min and P_max of the fixed-range model (NOK).
    zero_multiple: A of the logarithmic model.
    point_value: V, NOK per quality point, of pricing of quality.
    """

    price_min: float | None = None
    price_max: float | None = None
    zero_multiple: float = DEFAULT_LOG_MULTIPLE
    point_value: float | None = None

    @classmethod
    def from_settings(cls, settings: dict[str, str]) -> PriceParameters:
        """Read the parameters from the procurement's settings (missing ones stay unset)."""

        def number(key: str) -> float | None:
            raw = settings.get(SETTING_KEYS[key], "").strip()
            if not raw:
                return None
            try:
                return float(raw)
            except ValueError as exc:
                raise PriceModelError(
                    f"the setting {SETTING_KEYS[key]} must be a number, got {raw!r}"
                ) from exc

        multiple = number("zero_multiple")
        return cls(
            price_min=number("price_min"),
            price_max=number("price_max"),
            zero_multiple=DEFAULT_LOG_MULTIPLE if multiple is None else multiple,
            point_value=number("point_value"),
        )

    def problems(self, model: str) -> list[str]:
        """What is missing or wrong for a model (empty when it can be used)."""
        found = []
        if model == FIXED_RANGE:
            if self.price_min is None or self.price_max is None:
                found.append("the fixed-range model needs P_min and P_max")
            elif not 0 <= self.price_min < self.price_max:
                found.append("P_min must be zero or more and below P_max")
        if model == LOGARITHMIC:
            low, high = LOG_MULTIPLE_RANGE
            if not (math.isfinite(self.zero_multiple) and low <= self.zero_multiple <= high):
                found.append(f"A must lie between {low} and {high}")
        if model == QUALITY_PRICING and not (self.point_value is not None and self.point_value > 0):
            found.append("pricing of quality needs V, the NOK value of a quality point, above 0")
        return found


# Where a price of 0 NOK can be scored: the formulas that divide by the lowest price (or
# take its logarithm) are undefined when it is 0; the others are defined there.
ZERO_PRICE_DEFINED: dict[str, bool] = {
    LINEAR: False,  # (P_e − P_b) / P_b: P_b = 0 divides by zero
    LINEAR_NO_FLOOR: False,
    PROPORTIONAL: False,  # P_b / P_e: 0 / 0 for the 0 NOK bid itself
    FIXED_RANGE: True,  # 0 NOK is at or below P_min: 10 points
    LOGARITHMIC: False,  # log(P_e / P_b): P_b = 0 divides by zero
    QUALITY_PRICING: True,  # E = P_e − V · Q_e is defined for P_e = 0
}


def _names(index: pd.Index) -> str:
    return ", ".join(str(i) for i in index)


def _check_prices(prices: pd.Series, *, zero_allowed: bool = False) -> None:
    """Refuse prices no model can score, naming the offers concerned.

    A price must be a finite number, zero or more; 0 NOK only where the model's formula is
    defined for it (``ZERO_PRICE_DEFINED``).
    """
    if prices.empty:
        raise PriceModelError("no prices to score")
    missing = prices.index[prices.isna()]
    if len(missing):
        raise PriceModelError(f"no price for {_names(missing)}: every offer scored needs a price")
    values = prices.to_numpy(dtype=float)
    not_finite = prices.index[~np.isfinite(values)]
    if len(not_finite):
        raise PriceModelError(f"the price of {_names(not_finite)} must be a finite number")
    negative = prices.index[values < 0]
    if len(negative):
        raise PriceModelError(f"the price of {_names(negative)} is below zero")
    zero = prices.index[values == 0]
    if len(zero) and not zero_allowed:
        raise PriceModelError(
            f"the price of {_names(zero)} is 0 NOK: this price model divides by the lowest "
            "price, so every price must be above zero (the fixed-range model and pricing of "
            "quality can score 0 NOK)"
        )


def linear_points(prices: pd.Series, *, floor_at_zero: bool = True) -> pd.Series:
    """S = 10 − 10 · (P_e − P_b) / P_b. At twice the lowest price S is 0; beyond, below 0
    unless floored.

    Depends on the other bids: P_b sets how many points each NOK costs.
    """
    _check_prices(prices)
    lowest = prices.min()
    points = MAX_POINTS - MAX_POINTS * (prices - lowest) / lowest
    return points.clip(lower=0.0) if floor_at_zero else points


def proportional_points(prices: pd.Series) -> pd.Series:
    """S = 10 · P_b / P_e (forholdsmessig): never below 0, never above 10.

    Depends on the other bids: P_b scales every offer's points, so the gap in points
    between two offers grows or shrinks with the lowest bid.
    """
    _check_prices(prices)
    return MAX_POINTS * prices.min() / prices


def fixed_range_points(prices: pd.Series, price_min: float, price_max: float) -> pd.Series:
    """S = 10 · (P_max − P_e) / (P_max − P_min), kept within 0–10.

    P_min and P_max are set before the tender: a price at or below P_min scores 10, at or
    above P_max scores 0. Does not depend on the other bids. A price of 0 NOK is defined
    here (it scores 10).
    """
    _check_prices(prices, zero_allowed=True)
    if not 0 <= price_min < price_max:
        raise PriceModelError("P_min must be zero or more and below P_max")
    points = MAX_POINTS * (price_max - prices) / (price_max - price_min)
    return points.clip(lower=0.0, upper=MAX_POINTS)


def logarithmic_points(prices: pd.Series, zero_multiple: float) -> pd.Series:
    """S = 10 · (1 − log(P_e / P_b) / log A), floored at 0.

    A is the multiple of the lowest price that scores 0 (1.5–3): with A = 2, twice the
    lowest price scores 0, as in the linear model, but the first steps above the lowest
    price cost more points. P_b only adds the same amount to every offer's points, so the
    order of the others changes when a bidder leaves only where the floor at 0 bites.
    """
    _check_prices(prices)
    if not (math.isfinite(zero_multiple) and zero_multiple > 1):
        raise PriceModelError("A must be above 1")
    ratio = prices / prices.min()
    points = MAX_POINTS * (1.0 - np.log(ratio) / math.log(zero_multiple))
    return points.clip(lower=0.0)


def evaluated_prices(prices: pd.Series, quality_points: pd.Series, point_value: float) -> pd.Series:
    """Pricing of quality: E = P_e − V · Q_e; the lowest evaluated price wins.

    Q_e is the offer's quality points (0–100), V the NOK value of one point. Quality is
    turned into money instead of price into points, so E depends on the offer alone.
    A price of 0 NOK is defined here.
    """
    _check_prices(prices, zero_allowed=True)
    if not point_value > 0:
        raise PriceModelError("V, the NOK value of a quality point, must be above 0")
    return prices - point_value * quality_points.reindex(prices.index)


def quality_pricing_slope(
    point_value: float, price_weight: np.ndarray | float, quality_weight: np.ndarray | float
) -> np.ndarray:
    """k, the points the price column loses per NOK above the lowest price.

    k = quality_weight / (10 · price_weight · V); 1 / (10 · V) where nothing but price
    weighs; 0 where price weighs nothing (every offer then scores 10). Element by element,
    so that the robustness analyses recompute it for every draw of the weights.
    """
    p = np.asarray(price_weight, dtype=float)
    q = np.asarray(quality_weight, dtype=float)
    if not point_value > 0:
        raise PriceModelError("V, the NOK value of a quality point, must be above 0")
    top = np.where(q > 0, q, 1.0)
    bottom = np.where(q > 0, MAX_POINTS * p * point_value, MAX_POINTS * point_value)
    slope = np.zeros(np.broadcast_shapes(p.shape, q.shape))
    np.divide(top, bottom, out=slope, where=p > 0)
    return slope


def quality_pricing_points(
    prices: pd.Series, point_value: float, *, price_weight: float, quality_weight: float
) -> pd.Series:
    """Price points that make the weighted sum rank exactly as the evaluated price.

    S = 10 − k · (P_e − P_b), with k = quality_weight / (10 · price_weight · V)
    (``quality_pricing_slope``): the lowest price scores 10 and every V NOK above it
    lowers the total (0–100) by as much as one quality point does. ``price_weight`` is the
    price column's global weight and ``quality_weight`` the sum of every other column's.
    Not floored at 0: a floor would break the fixed trade of money for quality. P_b only
    adds the same amount to every offer's points, so the order of the others does not
    depend on who else bids. A price of 0 NOK is defined here.

    Where price weighs nothing, price plays no part (every offer scores 10). Where nothing
    but price weighs, the evaluated price is the offered price and S falls by 1 per 10·V NOK.
    The model is therefore not continuous in the weights where the price weight reaches 0:
    with any price weight above 0 the offers are ordered by evaluated price, with none by
    quality alone.
    """
    _check_prices(prices, zero_allowed=True)
    slope = float(quality_pricing_slope(point_value, price_weight, quality_weight))
    return MAX_POINTS - slope * (prices - prices.min())


def price_points(
    prices: pd.Series,
    model: str,
    parameters: PriceParameters | None = None,
    *,
    price_weight: float | None = None,
    quality_weight: float | None = None,
) -> pd.Series:
    """Points for each price under the named model of PRICE_MODELS.

    Pricing of quality needs the price column's weight and the other columns' total weight.
    """
    params = parameters or PriceParameters()
    if model not in PRICE_MODELS:
        raise PriceModelError(
            f"unknown price model {model!r}; choose one of {', '.join(PRICE_MODELS)}"
        )
    problems = params.problems(model)
    if problems:
        raise PriceModelError("; ".join(problems))
    if model == LINEAR:
        return linear_points(prices)
    if model == LINEAR_NO_FLOOR:
        return linear_points(prices, floor_at_zero=False)
    if model == PROPORTIONAL:
        return proportional_points(prices)
    if model == FIXED_RANGE:
        assert params.price_min is not None and params.price_max is not None
        return fixed_range_points(prices, params.price_min, params.price_max)
    if model == LOGARITHMIC:
        return logarithmic_points(prices, params.zero_multiple)
    if price_weight is None or quality_weight is None:
        raise PriceModelError("pricing of quality needs the weights of price and of the rest")
    assert params.point_value is not None
    return quality_pricing_points(
        prices, params.point_value, price_weight=price_weight, quality_weight=quality_weight
    )


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


@dataclass(frozen=True)
class LibraryCounts:
    """The participating libraries, for figures per library."""

    libraries: int  # rows of the library table
    branches: int  # service points of the public libraries (main library included)
    school_libraries: int  # school libraries they serve

    @property
    def service_points(self) -> int:
        """Branches plus school libraries: every place the system is used."""
        return self.branches + self.school_libraries


def per_library(costs: pd.DataFrame, counts: LibraryCounts, contract_years: int) -> pd.DataFrame:
    """An even split of each offer's total cost, for scale (not a cost-sharing key).

    Returns per offer: per_library (total / libraries), per_library_year (that / years)
    and per_service_point_year (total / service points / years). Zero where there is
    nothing to divide by.
    """
    if contract_years < 1:
        raise ValueError("the contract period must be at least one year")

    def share(divisor: int) -> pd.Series:
        return costs["total"] / divisor if divisor > 0 else costs["total"] * 0.0

    return pd.DataFrame(
        {
            "per_library": share(counts.libraries),
            "per_library_year": share(counts.libraries) / contract_years,
            "per_service_point_year": share(counts.service_points) / contract_years,
        },
        index=costs.index,
    )
