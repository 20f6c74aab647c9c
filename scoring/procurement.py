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
from scoring.batch import rank_batch
from scoring.methods import (
    METHODS,
    PUBLISHED_METHOD,
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
    return WeightTree.of(tree).criterion_shares(weights)


def category_shares(tree: CriterionTree, weights: Weights) -> pd.Series:
    """Each category's normalised weight within its award criterion."""
    return WeightTree.of(tree).category_shares(weights)


@dataclass(frozen=True)
class WeightTree:
    """The criterion tree as arrays: the one place the weight tree is built.

    nodes: the weights one sets, award criteria first, then the categories grouped by
    their award criterion (``bounds``: [start, stop) of each group, each group adding up
    to 1). Each leaf is the product of two nodes (``leaf_factors``; index N means the
    constant 1): criterion × category for each category, and the price criterion × 1 for
    the price column. ``leaf_to_column`` (L × m) spreads each leaf over its columns by the
    requirements' fixed weights within their category, so that the column weights are
    ``leaves @ leaf_to_column``. Columns are the weighted requirements in catalogue order,
    then PRICE.
    """

    criteria: tuple[str, ...]
    categories: tuple[str, ...]
    category_parent: tuple[str, ...]
    columns: tuple[str, ...]
    bounds: tuple[tuple[int, int], ...]
    leaf_factors: np.ndarray
    leaf_to_column: np.ndarray

    @classmethod
    def of(cls, tree: CriterionTree) -> WeightTree:
        """Build the arrays from the catalogue's tree."""
        criteria = [str(c) for c in tree.criteria["id"]]
        crit_index = {c: i for i, c in enumerate(criteria)}
        cats = tree.categories[tree.categories["criterion_id"].isin(criteria)]
        cats = cats.assign(_order=cats["criterion_id"].map(crit_index)).sort_values(
            "_order", kind="stable"
        )
        cat_ids = [str(c) for c in cats["id"]]
        cat_parent = [str(p) for p in cats["criterion_id"]]
        n_crit, n_nodes = len(criteria), len(criteria) + len(cat_ids)
        bounds = [(0, n_crit)]
        for criterion in criteria:
            positions = [n_crit + k for k, p in enumerate(cat_parent) if p == criterion]
            if positions:
                bounds.append((positions[0], positions[-1] + 1))

        reqs = tree.weighted_requirements()
        columns = [str(r) for r in reqs["id"]] + [PRICE_COLUMN]
        col_index = {c: j for j, c in enumerate(columns)}
        within = reqs["weight"].astype(float).groupby(reqs["category_id"]).transform(normalise)
        factors: list[tuple[int, int]] = [
            (crit_index[p], n_crit + k) for k, p in enumerate(cat_parent)
        ]
        leaf_to_column = np.zeros((len(factors) + 1, len(columns)))
        cat_leaf = {c: k for k, c in enumerate(cat_ids)}
        for req_id, cat_id, share in zip(reqs["id"], reqs["category_id"], within, strict=True):
            if cat_id in cat_leaf:
                leaf_to_column[cat_leaf[cat_id], col_index[str(req_id)]] = share
        if PRICE_CRITERION in crit_index:
            factors.append((crit_index[PRICE_CRITERION], n_nodes))
            leaf_to_column[len(factors) - 1, col_index[PRICE_COLUMN]] = 1.0
        else:
            leaf_to_column = leaf_to_column[: len(factors)]
        return cls(
            criteria=tuple(criteria),
            categories=tuple(cat_ids),
            category_parent=tuple(cat_parent),
            columns=tuple(columns),
            bounds=tuple(bounds),
            leaf_factors=np.array(factors, dtype=np.int64).T.reshape(2, -1),
            leaf_to_column=leaf_to_column,
        )

    @property
    def node_names(self) -> tuple[str, ...]:
        """Award criteria, then categories."""
        return self.criteria + self.categories

    def node_weights(self, weights: Weights) -> np.ndarray:
        """A profile's weights as nodes, each level normalised to add up to 1 (a level of
        zeros stays zeros), in a few numpy steps: what a slider move costs."""
        raw = np.array(
            [float(weights.criteria.get(c, 0.0)) for c in self.criteria]
            + [float(weights.categories.get(c, 0.0)) for c in self.categories]
        )
        if (raw < 0).any():
            raise ValueError("weights must be zero or positive")
        shares = np.zeros(len(raw))
        for start, stop in self.bounds:
            total = raw[start:stop].sum()
            if total > 0:
                shares[start:stop] = raw[start:stop] / total
        return shares

    def criterion_shares(self, weights: Weights) -> pd.Series:
        """Each award criterion's normalised weight (sums to 1 unless all are 0)."""
        shares = self.node_weights(weights)[: len(self.criteria)]
        return pd.Series(shares, index=list(self.criteria), dtype=float)

    def category_shares(self, weights: Weights) -> pd.Series:
        """Each category's normalised weight within its award criterion."""
        shares = self.node_weights(weights)[len(self.criteria) :]
        return pd.Series(shares, index=list(self.categories), dtype=float)

    def global_weights(self, weights: Weights) -> pd.Series:
        """See ``global_weights``."""
        values = self.column_weights(self.node_weights(weights))
        return pd.Series(values, index=list(self.columns), dtype=float)

    def leaves(self, nodes: np.ndarray) -> np.ndarray:
        """(..., L) leaf weights from (..., N) nodes."""
        ext = np.concatenate([nodes, np.ones(nodes.shape[:-1] + (1,))], axis=-1)
        return ext[..., self.leaf_factors[0]] * ext[..., self.leaf_factors[1]]

    def column_weights(self, nodes: np.ndarray) -> np.ndarray:
        """(..., m) column weights from (..., N) nodes."""
        return self.leaves(nodes) @ self.leaf_to_column


def global_weights(tree: CriterionTree, weights: Weights) -> pd.Series:
    """Global weight of each weighted requirement, and of the price column.

    Product of the normalised weights along the path criterion -> category -> requirement
    (``WeightTree``, which the robustness analyses use too). A category without weighted
    requirements, or a criterion without categories (other than price), passes its share
    to nobody: the weights then sum to less than 1.
    """
    return WeightTree.of(tree).global_weights(weights)


def climate_share(tree: CriterionTree, weights: Weights) -> float:
    """The normalised weight of the climate and environment criterion (0–1)."""
    return float(criterion_shares(tree, weights).get(CLIMATE_CRITERION, 0.0))


def climate_rule_broken(tree: CriterionTree, weights: Weights, justification: str) -> bool:
    """True when climate and environment weighs under 30 % with no recorded justification
    (FOA § 7-9)."""
    return climate_share_too_low(climate_share(tree, weights), justification)


def climate_share_too_low(share: float, justification: str) -> bool:
    """True when a climate and environment share under 30 % has no recorded justification."""
    return share < CLIMATE_MINIMUM_SHARE - 1e-12 and not justification.strip()


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
    w = column_weights.reindex(matrix.columns).fillna(0.0).to_numpy(dtype=float)
    weighted = matrix.to_numpy(dtype=float) * w * POINTS_TO_TOTAL
    order = list(dict.fromkeys(column_part.tolist()))
    position = {part: i for i, part in enumerate(order)}
    parts = column_part.reindex(matrix.columns)
    summing = np.zeros((len(matrix.columns), len(order)))
    for j, part in enumerate(parts):
        if part in position:
            summing[j, position[part]] = 1.0
    return pd.DataFrame(weighted @ summing, index=matrix.index, columns=order)


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


@dataclass(frozen=True)
class Prepared:
    """What ``evaluate`` needs that does not depend on the weights: the mandatory
    screening, the costs, the points of the eligible offers and the tree's shape.

    Prepared once per data change, it makes a new set of weights cheap to evaluate.
    """

    inputs: ProcurementInputs
    shape: WeightTree
    screening: pd.DataFrame
    eligible: pd.Index
    rejected: list[str]
    costs: pd.DataFrame
    points: pd.DataFrame  # eligible offers × weighted requirements, points 0–10
    column_part: pd.Series
    # The price column's points (eligible offers, in order) where the weights play no part
    # in them: every price model but pricing of quality. None otherwise, and where the
    # prices cannot be scored (evaluating then says why).
    price_points: np.ndarray | None = None


def _price_points_without_weights(
    inputs: ProcurementInputs, prices: pd.Series
) -> np.ndarray | None:
    """See ``Prepared.price_points``."""
    if prices.empty or inputs.price_model == price_models.QUALITY_PRICING:
        return None
    try:
        points = price_models.price_points(prices, inputs.price_model, inputs.price_parameters)
    except price_models.PriceModelError:
        return None
    return points.to_numpy(dtype=float)


def prepare(inputs: ProcurementInputs) -> Prepared:
    """The weight-independent part of ``evaluate``."""
    offers = pd.Index(inputs.offers["id"], name="offer_id")
    screening = screen_mandatory(inputs.offers["id"], inputs.checks)
    eligible = offers[screening["eligible"].to_numpy(dtype=bool)]
    w_reqs = inputs.tree.weighted_requirements()
    column_part = pd.concat(
        [w_reqs.set_index("id")["category_id"], pd.Series({PRICE_COLUMN: PRICE_COLUMN})]
    )
    eligible_set = set(eligible)
    costs = price_models.total_cost(inputs.price_lines, inputs.contract_years).reindex(offers)
    return Prepared(
        inputs=inputs,
        shape=WeightTree.of(inputs.tree),
        screening=screening,
        eligible=eligible,
        rejected=[o for o in offers if o not in eligible_set],
        costs=costs,
        points=points_matrix(eligible, pd.Index(w_reqs["id"]), inputs.consensus),
        column_part=column_part,
        price_points=_price_points_without_weights(inputs, costs.loc[eligible, "total"]),
    )


def evaluate_prepared(prepared: Prepared, weights: Weights) -> Evaluation:
    """Score and rank the prepared offers under one set of weights."""
    inputs = prepared.inputs
    column_weights = prepared.shape.global_weights(weights)
    matrix = prepared.points.copy()
    if prepared.price_points is not None:
        matrix[PRICE_COLUMN] = prepared.price_points
    elif len(prepared.eligible):
        matrix[PRICE_COLUMN] = price_column(
            prepared.costs.loc[prepared.eligible, "total"],
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
        column_part=prepared.column_part,
        matrix=matrix,
        contributions=contributions_by_part(matrix, column_weights, prepared.column_part),
        total=total,
        rank=rank,
        costs=prepared.costs,
        screening=prepared.screening,
        rejected=list(prepared.rejected),
    )


def evaluate(inputs: ProcurementInputs, weights: Weights) -> Evaluation:
    """Screen, score and rank the offers under one set of weights."""
    return evaluate_prepared(prepare(inputs), weights)


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


def methods_ranking_otherwise(ranks: pd.DataFrame) -> list[str]:
    """The methods (columns of ``method_ranks``) whose ranking differs from the published
    model's."""
    return [m for m in ranks.columns if not ranks[m].equals(ranks[PUBLISHED_METHOD])]


def in_published_order(ranks: pd.DataFrame) -> pd.DataFrame:
    """``method_ranks`` with the offers in the published model's order, best first."""
    return ranks.loc[ranks[PUBLISHED_METHOD].sort_values(kind="stable").index]


def topsis_ranks(evaluation: Evaluation) -> pd.Series:
    """TOPSIS on the same points and weights: a second view, never the published one."""
    if evaluation.matrix.empty:
        return pd.Series(dtype=int)
    weights = evaluation.column_weights.reindex(evaluation.matrix.columns).fillna(0.0)
    _, ranks = rank_batch("topsis", evaluation.matrix.to_numpy(dtype=float), weights.to_numpy())
    return pd.Series(ranks[0], index=evaluation.matrix.index, name="topsis_rank")
