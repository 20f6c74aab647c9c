"""The price comparison: what each offer costs, per library too, every price model side by
side, pricing of quality step by step, and what taking out one bidder does.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analysis.ranking import NOTHING_TO_RANK, NothingToRank, published
from scoring.price import LibraryCounts, PriceParameters, per_library
from scoring.price_comparison import (
    PriceComparison,
    RemovalCheck,
    compare_price_models,
    evaluated_price_table,
    removal_summary,
    remove_one_bidder,
)
from scoring.procurement import Evaluation, ProcurementInputs
from store import libraries


@dataclass(frozen=True)
class PriceAnalysis:
    """Everything the price page shows, computed under the published weights."""

    inputs: ProcurementInputs
    evaluation: Evaluation
    published_model: str
    parameters: PriceParameters
    contract_years: int
    counts: LibraryCounts
    per_library: pd.DataFrame | None  # None when no library is recorded
    comparison: PriceComparison
    order: list[str]  # offers by total cost, cheapest first
    quality_steps: pd.DataFrame | None  # pricing of quality, when V is set and offers remain
    removals: list[RemovalCheck]
    removal_summary: pd.DataFrame | None  # per model: tried, changed; None without checks


def price_analysis(con: duckdb.DuckDBPyConnection) -> PriceAnalysis:
    """The price comparison under the published weights and price model."""
    start = published(con)
    if start.evaluation is None or start.weights is None:
        raise NothingToRank(NOTHING_TO_RANK)
    inputs, evaluation, weights = start.inputs, start.evaluation, start.weights
    params = inputs.price_parameters
    counts = libraries.library_counts(con)
    costs = evaluation.costs
    removals = remove_one_bidder(inputs, weights)
    steps = None
    if params.point_value is not None and params.point_value > 0 and not evaluation.total.empty:
        steps = evaluated_price_table(evaluation, params.point_value).sort_values("rank")
    return PriceAnalysis(
        inputs=inputs,
        evaluation=evaluation,
        published_model=inputs.price_model,
        parameters=params,
        contract_years=inputs.contract_years,
        counts=counts,
        per_library=(
            per_library(costs, counts, inputs.contract_years) if counts.libraries else None
        ),
        comparison=compare_price_models(inputs, weights),
        order=[str(o) for o in costs["total"].sort_values(kind="stable").index],
        quality_steps=steps,
        removals=removals,
        removal_summary=removal_summary(removals) if removals else None,
    )
