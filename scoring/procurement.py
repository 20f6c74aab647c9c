"""The published model: mandatory screening, then a weighted sum of points.

The criterion tree is award criterion -> category -> requirement. A requirement's global
weight is the product of the normalised weights along its path. Each offer's total is
``100 · Σ_j w_j · points_j / 10``: points on the 0–10 scale, totals on 0–100.
Price is a column of its own, with the price criterion's whole weight.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from scoring import price as price_models
from scoring.methods import (
    METHODS,
    Problem,
    ProblemError,
    Result,
    problem_from_columns,
    rank_problem,
)
from scoring.ranks import dense_rank
from scoring.scales import POINTS_TO_TOTAL, REJECTING_OUTCOME

PRICE_CRITERION = "price"
PRICE_COLUMN = "PRICE"
CLIMATE_CRITERION = "environment"
CLIMATE_MINIMUM_SHARE = 0.30


@dataclass(frozen=True)
class CriterionTree:
    """The evaluation model's structure.

    criteria: id (in display order); categories: id, criterion_id;
    requirements: id, category_id, kind ('M' | 'W' | 'I'), weight (within its category).
    """

    criteria: pd.DataFrame
    categories: pd.DataFrame
    requirements: pd.DataFrame

    def weighted_requirements(self) -> pd.DataFrame:
        """The weighted (W) requirements, in catalogue order."""
        return self.requirements[self.requirements["kind"] == "W"]

    def mandatory_requirements(self) -> pd.DataFrame:
        """The mandatory (M) requirements, in catalogue order."""
        return self.requirements[self.requirements["kind"] == "M"]


@dataclass(frozen=True)
class Weights:
    """A weight profile: award criterion weights and category weights within criteria.

    Any non-negative numbers; they are normalised within each level.
    """

    criteria: Mapping[str, float]
    categories: Mapping[str, float]


@dataclass(frozen=True)
class ProcurementInputs:
    """Everything the published model needs, as read from the database."""

    tree: CriterionTree
    offers: pd.DataFrame  # id, vendor_name, product
    consensus: pd.DataFrame  # offer_id, requirement_id, score
    checks: pd.DataFrame  # offer_id, requirement_id, outcome, reason
    price_lines: pd.DataFrame  # offer_id, kind, amount_nok, is_option
    contract_years: int
    price_model: str = "linear"
    price_parameters: price_models.PriceParameters = field(
        default_factory=price_models.PriceParameters
    )


@dataclass(frozen=True)
class Evaluation:
    """The published model's answer for one set of weights."""

    column_weights: pd.Series  # global weight per column (W requirement ids and PRICE)
    column_part: pd.Series  # the part (category id, or PRICE) each column adds to
    matrix: pd.DataFrame  # eligible offers × columns, points 0–10
    contributions: pd.DataFrame  # eligible offers × parts, points 0–100
    total: pd.Series  # eligible offer -> points 0–100
    rank: pd.Series  # eligible offer -> rank, 1 best
    costs: pd.DataFrame  # every offer: one_time, yearly, yearly_total, total, options
    screening: pd.DataFrame  # every offer: eligible, reasons
    rejected: list[str] = field(default_factory=list)


def normalise(weights: pd.Series) -> pd.Series:
    """Scale non-negative weights to sum to 1; all zeros stay zeros (never NaN)."""
    values = weights.astype(float)
    if (values < 0).any():
        raise ValueError("weights must be zero or positive")
    total = values.sum()
    return values / total if total > 0 else values * 0.0


def criterion_shares(tree: CriterionTree, weights: Weights) -> pd.Series:
    """Each award criterion's normalised weight (sums to 1 unless all are 0)."""
    return normalise(pd.Series({c: weights.criteria.get(c, 0.0) for c in tree.criteria["id"]}))


def category_shares(tree: CriterionTree, weights: Weights) -> pd.Series:
    """Each category's normalised weight within its award criterion."""
    cats = tree.categories.set_index("id")
    raw = pd.Series({c: weights.categories.get(c, 0.0) for c in cats.index}, dtype=float)
    return raw.groupby(cats["criterion_id"]).transform(normalise)


def global_weights(tree: CriterionTree, weights: Weights) -> pd.Series:
    """Global weight of each weighted requirement, and of the price column.

    Product of the normalised weights along the path criterion -> category -> requirement.
    A category without weighted requirements, or a criterion without categories (other
    than price), passes its share to nobody: the weights then sum to less than 1.
    """
    crit = criterion_shares(tree, weights)
    cats = tree.categories.set_index("id")
    cat_global = category_shares(tree, weights) * cats["criterion_id"].map(crit)

    reqs = tree.weighted_requirements().set_index("id")
    req_within = reqs["weight"].astype(float).groupby(reqs["category_id"]).transform(normalise)
    req_global = req_within * reqs["category_id"].map(cat_global).fillna(0.0)
    price = crit.get(PRICE_CRITERION, 0.0)
    return pd.concat([req_global, pd.Series({PRICE_COLUMN: price})]).astype(float)


def climate_share(tree: CriterionTree, weights: Weights) -> float:
    """The normalised weight of the climate and environment criterion (0–1)."""
    return float(criterion_shares(tree, weights).get(CLIMATE_CRITERION, 0.0))


def climate_rule_broken(tree: CriterionTree, weights: Weights, justification: str) -> bool:
    """True when climate and environment weighs under 30 % with no recorded justification
    (FOA § 7-9)."""
    below = climate_share(tree, weights) < CLIMATE_MINIMUM_SHARE - 1e-12
    return below and not justification.strip()


def screen_mandatory(offers: pd.Series, checks: pd.DataFrame) -> pd.DataFrame:
    """Which offers pass the mandatory requirements.

    Only a material deviation rejects an offer; 'not met' without a material deviation
    is recorded but does not. Returns, per offer: eligible (bool) and reasons
    (list of (requirement_id, reason) for the material deviations).
    """
    material = checks[checks["outcome"] == REJECTING_OUTCOME]
    reasons = {
        offer: list(zip(group["requirement_id"], group["reason"], strict=True))
        for offer, group in material.groupby("offer_id")
    }
    return pd.DataFrame(
        {
            "eligible": [o not in reasons for o in offers],
            "reasons": [reasons.get(o, []) for o in offers],
        },
        index=pd.Index(offers, name="offer_id"),
    )


def points_matrix(
    offers: pd.Index, requirement_ids: pd.Index, consensus: pd.DataFrame
) -> pd.DataFrame:
    """Offers × weighted requirements of consensus points; a missing score counts 0."""
    table = consensus.pivot_table(
        index="offer_id", columns="requirement_id", values="score", aggfunc="first"
    )
    return table.reindex(index=offers, columns=requirement_ids).fillna(0.0).astype(float)


def weighted_totals(matrix: pd.DataFrame, column_weights: pd.Series) -> pd.Series:
    """The plain weighted sum of points, scaled to 0–100 points."""
    w = column_weights.reindex(matrix.columns).fillna(0.0)
    return (matrix * w).sum(axis=1) * POINTS_TO_TOTAL


def contributions_by_part(
    matrix: pd.DataFrame, column_weights: pd.Series, column_part: pd.Series
) -> pd.DataFrame:
    """Each part's share of the total, in points: the segments of the stacked bars."""
    w = column_weights.reindex(matrix.columns).fillna(0.0)
    weighted = matrix * w * POINTS_TO_TOTAL
    parts = column_part.reindex(matrix.columns)
    summed = weighted.T.groupby(parts, sort=False).sum().T
    order = list(dict.fromkeys(column_part.tolist()))
    return summed.reindex(columns=order, fill_value=0.0)


def price_column(
    prices: pd.Series,
    column_weights: pd.Series,
    model: str,
    parameters: price_models.PriceParameters,
) -> pd.Series:
    """The price column's points (0–10) for the offers whose prices are given."""
    price_weight = float(column_weights.get(PRICE_COLUMN, 0.0))
    return price_models.price_points(
        prices,
        model,
        parameters,
        price_weight=price_weight,
        quality_weight=float(column_weights.sum()) - price_weight,
    )


def quality_points(matrix: pd.DataFrame, column_weights: pd.Series) -> pd.Series:
    """Q_e: each offer's weighted points on every column but price, on 0–100.

    Full marks on every weighted requirement is 100, whatever weight price has. Zero when
    nothing but price carries weight.
    """
    weights = column_weights.drop(PRICE_COLUMN, errors="ignore")
    weights = weights.reindex([c for c in matrix.columns if c != PRICE_COLUMN]).fillna(0.0)
    total = float(weights.sum())
    if total <= 0:
        return pd.Series(0.0, index=matrix.index)
    points = matrix[weights.index].mul(weights, axis=1).sum(axis=1)
    return points * POINTS_TO_TOTAL / total


def with_price_model(inputs: ProcurementInputs, model: str) -> ProcurementInputs:
    """The same inputs under another price model (its parameters as set)."""
    return replace(inputs, price_model=model)


def evaluate(inputs: ProcurementInputs, weights: Weights) -> Evaluation:
    """Screen, score and rank the offers under one set of weights."""
    offers = pd.Index(inputs.offers["id"], name="offer_id")
    screening = screen_mandatory(inputs.offers["id"], inputs.checks)
    eligible = offers[screening["eligible"].to_numpy()]

    column_weights = global_weights(inputs.tree, weights)
    w_reqs = inputs.tree.weighted_requirements()
    column_part = pd.concat(
        [w_reqs.set_index("id")["category_id"], pd.Series({PRICE_COLUMN: PRICE_COLUMN})]
    )

    costs = price_models.total_cost(inputs.price_lines, inputs.contract_years).reindex(offers)
    matrix = points_matrix(eligible, pd.Index(w_reqs["id"]), inputs.consensus)
    if len(eligible):
        matrix[PRICE_COLUMN] = price_column(
            costs.loc[eligible, "total"],
            column_weights,
            inputs.price_model,
            inputs.price_parameters,
        )
    else:
        matrix[PRICE_COLUMN] = pd.Series(dtype=float)

    total = weighted_totals(matrix, column_weights)
    rank = pd.Series(dense_rank(total.to_numpy()), index=total.index, name="rank")
    return Evaluation(
        column_weights=column_weights,
        column_part=column_part,
        matrix=matrix,
        contributions=contributions_by_part(matrix, column_weights, column_part),
        total=total,
        rank=rank,
        costs=costs,
        screening=screening,
        rejected=[o for o in offers if o not in set(eligible)],
    )


PUBLISHED_METHOD = "wsm"


def wpm_shift(matrix: pd.DataFrame) -> float:
    """What the weighted product adds to every point so that the lowest is at least 1.

    1 on the usual 0–10 points (0 would make the whole product 0); more where a price
    model gives points below 0 (linear without a floor, pricing of quality).
    """
    lowest = float(matrix.to_numpy().min()) if matrix.size else 0.0
    return 1.0 - min(0.0, lowest)


def method_problem(evaluation: Evaluation, method: str) -> Problem:
    """The decision problem a method ranks: the published points and global weights.

    Every column is maximised. For ``wpm`` the points are shifted by ``wpm_shift``.
    """
    weights = evaluation.column_weights.reindex(evaluation.matrix.columns).fillna(0.0)
    matrix = evaluation.matrix
    if method == "wpm":
        matrix = matrix + wpm_shift(matrix)
    return problem_from_columns(matrix.index, matrix.columns, matrix.to_numpy(), weights)


def method_result(evaluation: Evaluation, method: str) -> Result:
    """One method's scores and ranks of the eligible offers, on the published points.

    ``wsm`` is the published model itself (the plain weighted sum, 0–100). The others are
    decision support: they show whether the result is robust and never replace it.
    """
    if method not in METHODS:
        raise ProblemError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    offers = tuple(evaluation.matrix.index)
    if method == PUBLISHED_METHOD:
        return Result(
            method, offers, evaluation.total.to_numpy(dtype=float), evaluation.rank.to_numpy()
        )
    if not offers:
        return Result(method, offers, np.zeros(0), np.zeros(0, dtype=int))
    weights = evaluation.column_weights.reindex(evaluation.matrix.columns).fillna(0.0)
    if weights.sum() <= 0:
        return Result(method, offers, np.zeros(len(offers)), np.ones(len(offers), dtype=int))
    return rank_problem(method_problem(evaluation, method), method)


def method_ranks(evaluation: Evaluation, methods: Sequence[str]) -> pd.DataFrame:
    """Eligible offers × methods: the rank each method gives (1 best)."""
    return pd.DataFrame(
        {m: method_result(evaluation, m).ranks for m in methods},
        index=evaluation.matrix.index,
        dtype=int,
    )


def topsis_ranks(evaluation: Evaluation) -> pd.Series:
    """TOPSIS on the same points and weights: a second view, never the published one."""
    if evaluation.matrix.empty:
        return pd.Series(dtype=int)
    result = method_result(evaluation, "topsis")
    return pd.Series(result.ranks, index=evaluation.matrix.index, name="topsis_rank")
