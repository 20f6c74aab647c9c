"""The price models side by side, and what happens when one bidder is taken out.

Every model runs on the same offers, points and weights as the published model; only the
price column changes. Pure functions: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from scoring import price as price_models
from scoring.procurement import (
    PRICE_COLUMN,
    Evaluation,
    ProcurementInputs,
    Weights,
    evaluate,
    price_column,
    quality_points,
    weighted_totals,
    with_price_model,
)
from scoring.ranks import dense_rank


@dataclass(frozen=True)
class PriceModelView:
    """The ranking one price model gives, on the published points and weights."""

    model: str
    points: pd.Series  # eligible offer -> price points (0–10; some models go below 0)
    total: pd.Series  # eligible offer -> total points (0–100)
    rank: pd.Series  # eligible offer -> rank, 1 best


@dataclass(frozen=True)
class PriceComparison:
    """Every price model that can be used, and why the others cannot."""

    views: dict[str, PriceModelView]
    unavailable: dict[str, list[str]]  # model -> what is missing in its settings

    def ranks(self) -> pd.DataFrame:
        """Eligible offers × usable models: the rank each model gives."""
        return pd.DataFrame({m: v.rank for m, v in self.views.items()}).astype(int)

    def points(self) -> pd.DataFrame:
        """Eligible offers × usable models: the price points each model gives."""
        return pd.DataFrame({m: v.points for m, v in self.views.items()})


def model_evaluation(inputs: ProcurementInputs, weights: Weights, model: str) -> Evaluation:
    """The published model's evaluation with another price model."""
    return evaluate(with_price_model(inputs, model), weights)


def compare_price_models(
    inputs: ProcurementInputs,
    weights: Weights,
    models: Iterable[str] = tuple(price_models.PRICE_MODELS),
) -> PriceComparison:
    """The ranking under each price model; models whose settings are missing are listed
    apart with the reason."""
    views: dict[str, PriceModelView] = {}
    unavailable: dict[str, list[str]] = {}
    for model in models:
        problems = inputs.price_parameters.problems(model)
        if problems:
            unavailable[model] = problems
            continue
        evaluation = model_evaluation(inputs, weights, model)
        views[model] = PriceModelView(
            model=model,
            points=evaluation.matrix[PRICE_COLUMN],
            total=evaluation.total,
            rank=evaluation.rank,
        )
    return PriceComparison(views=views, unavailable=unavailable)


def evaluated_price_table(evaluation: Evaluation, point_value: float) -> pd.DataFrame:
    """Pricing of quality, step by step, per eligible offer.

    Columns: price (P_e), quality_points (Q_e, 0–100), quality_value (V · Q_e),
    evaluated_price (E = P_e − V · Q_e) and rank (lowest E first; ties share a rank).
    """
    prices = evaluation.costs.loc[evaluation.matrix.index, "total"].astype(float)
    quality = quality_points(evaluation.matrix, evaluation.column_weights)
    if prices.empty:
        return pd.DataFrame(
            columns=["price", "quality_points", "quality_value", "evaluated_price", "rank"]
        )
    evaluated = price_models.evaluated_prices(prices, quality, point_value)
    return pd.DataFrame(
        {
            "price": prices,
            "quality_points": quality,
            "quality_value": point_value * quality,
            "evaluated_price": evaluated,
            "rank": dense_rank(evaluated.to_numpy(), higher_is_better=False),
        },
        index=prices.index,
    )


@dataclass(frozen=True)
class RemovalCheck:
    """The order of the other offers once one bidder is taken out, under one model."""

    removed: str
    model: str
    before: pd.Series  # the others' ranks among themselves with every bidder in
    after: pd.Series  # their ranks with ``removed`` taken out
    swapped: list[tuple[str, str]]  # pairs whose order changed (a tie that opens counts)

    @property
    def changed(self) -> bool:
        """Whether the order of the others changed."""
        return bool(self.swapped)


def _order_changes(before: pd.Series, after: pd.Series) -> list[tuple[str, str]]:
    """Pairs of offers whose relative order (ahead, tied or behind) differs."""
    changed = []
    for a, b in combinations(before.index, 2):
        if np.sign(before[a] - before[b]) != np.sign(after[a] - after[b]):
            changed.append((a, b))
    return changed


def remove_one_bidder(
    inputs: ProcurementInputs,
    weights: Weights,
    models: Sequence[str] | None = None,
) -> list[RemovalCheck]:
    """For each eligible bidder and each usable price model: the order of the others
    without that bidder, against their order with it.

    Only price points are recomputed (the lowest price, P_b, may change); the quality
    points and the weights stay as they are. Rejected offers are never in the comparison.
    """
    chosen = list(models if models is not None else price_models.PRICE_MODELS)
    checks: list[RemovalCheck] = []
    for model in chosen:
        if inputs.price_parameters.problems(model):
            continue
        full = model_evaluation(inputs, weights, model)
        offers = list(full.matrix.index)
        if len(offers) < 3:
            continue  # with two bidders, one is left: there is no order to change
        prices = full.costs.loc[offers, "total"].astype(float)
        for removed in offers:
            rest = [o for o in offers if o != removed]
            before = pd.Series(dense_rank(full.total[rest].to_numpy()), index=rest)
            matrix = full.matrix.loc[rest].copy()
            matrix[PRICE_COLUMN] = price_column(
                prices[rest], full.column_weights, model, inputs.price_parameters
            )
            totals = weighted_totals(matrix, full.column_weights)
            after = pd.Series(dense_rank(totals.to_numpy()), index=rest)
            checks.append(
                RemovalCheck(
                    removed=removed,
                    model=model,
                    before=before,
                    after=after,
                    swapped=_order_changes(before, after),
                )
            )
    return checks


def removal_summary(checks: Sequence[RemovalCheck]) -> pd.DataFrame:
    """Per model: how many removals were tried and how many changed the others' order."""
    if not checks:
        return pd.DataFrame(columns=["tried", "changed"])
    frame = pd.DataFrame([{"model": c.model, "changed": c.changed} for c in checks])
    grouped = frame.groupby("model", sort=False)["changed"]
    return pd.DataFrame({"tried": grouped.size(), "changed": grouped.sum().astype(int)})
