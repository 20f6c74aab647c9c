"""The published model: mandatory screening, then a weighted sum of points.

The criterion tree is award criterion -> category -> requirement. A requirement's global
weight is the product of the normalised weights along its path. Each offer's total is
``100 · Σ_j w_j · points_j / 10``: points on the 0–10 scale, totals on 0–100.
Price is a column of its own, with the price criterion's whole weight.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring import price as price_models
from scoring.ranks import dense_rank

PRICE_CRITERION = "price"
PRICE_COLUMN = "PRICE"
MAX_POINTS = 10.0
TOTAL_POINTS = 100.0
REJECTING_OUTCOME = "material_deviation"
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
    price_floor_at_zero: bool = True


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
    return (matrix * w).sum(axis=1) * (TOTAL_POINTS / MAX_POINTS)


def contributions_by_part(
    matrix: pd.DataFrame, column_weights: pd.Series, column_part: pd.Series
) -> pd.DataFrame:
    """Each part's share of the total, in points: the segments of the stacked bars."""
    w = column_weights.reindex(matrix.columns).fillna(0.0)
    weighted = matrix * w * (TOTAL_POINTS / MAX_POINTS)
    parts = column_part.reindex(matrix.columns)
    summed = weighted.T.groupby(parts, sort=False).sum().T
    order = list(dict.fromkeys(column_part.tolist()))
    return summed.reindex(columns=order, fill_value=0.0)


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
        matrix[PRICE_COLUMN] = price_models.price_points(
            costs.loc[eligible, "total"],
            inputs.price_model,
            floor_at_zero=inputs.price_floor_at_zero,
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


def topsis_ranks(evaluation: Evaluation) -> pd.Series:
    """TOPSIS on the same points and weights: a second view, never the published one."""
    from scoring.methods import problem_from_columns, rank_problem

    if evaluation.matrix.empty:
        return pd.Series(dtype=int)
    weights = evaluation.column_weights.reindex(evaluation.matrix.columns).fillna(0.0)
    if weights.sum() <= 0:
        return pd.Series(np.ones(len(evaluation.matrix), dtype=int), index=evaluation.matrix.index)
    problem = problem_from_columns(
        evaluation.matrix.index, evaluation.matrix.columns, evaluation.matrix.to_numpy(), weights
    )
    result = rank_problem(problem, "topsis")
    return pd.Series(result.ranks, index=evaluation.matrix.index, name="topsis_rank")
