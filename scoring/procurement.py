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
    Problem,
    ProblemError,
    Result,
    problem_from_columns,
    rank_problem,
)
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
    price_floor_at_zero: bool = True  # older spelling: "linear" unfloored is "linear-no-floor"
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


@dataclass(frozen=True)
class WeightTree:
    """The criterion tree's shape, read once, for turning weights into shares fast.

    What depends on the catalogue alone (which category sits under which criterion, each
    weighted requirement's normalised weight within its category) is kept as arrays, so
    that a new set of weights costs a few numpy operations, not a pandas groupby.
    """

    criteria: tuple[str, ...]
    categories: tuple[str, ...]
    category_criterion: np.ndarray  # per category: index into criteria, -1 if none
    category_group: np.ndarray  # per category: which of its level's groups (same criterion_id)
    requirements: tuple[str, ...]  # weighted requirements, in catalogue order
    requirement_category: np.ndarray  # per requirement: index into categories, -1 if none
    requirement_within: np.ndarray  # each requirement's normalised weight in its category

    @classmethod
    def of(cls, tree: CriterionTree) -> WeightTree:
        """The shape of a criterion tree."""
        criteria = tuple(str(c) for c in tree.criteria["id"])
        categories = tuple(str(c) for c in tree.categories["id"])
        criterion_index = {c: i for i, c in enumerate(criteria)}
        category_index = {c: i for i, c in enumerate(categories)}
        reqs = tree.weighted_requirements()
        parents = tree.categories["criterion_id"].astype(str).tolist()
        return cls(
            criteria=criteria,
            categories=categories,
            category_criterion=np.array([criterion_index.get(c, -1) for c in parents], dtype=int),
            category_group=_group_codes(parents),
            requirements=tuple(str(r) for r in reqs["id"]),
            requirement_category=np.array(
                [category_index.get(str(c), -1) for c in reqs["category_id"]], dtype=int
            ),
            requirement_within=_normalised_within(
                reqs["weight"].to_numpy(dtype=float),
                _group_codes(reqs["category_id"].astype(str).tolist()),
            ),
        )

    def _criterion_array(self, weights: Weights) -> np.ndarray:
        raw = np.array([float(weights.criteria.get(c, 0.0)) for c in self.criteria])
        return _normalised_within(raw, np.zeros(len(raw), dtype=int))

    def _category_array(self, weights: Weights) -> np.ndarray:
        raw = np.array([float(weights.categories.get(c, 0.0)) for c in self.categories])
        return _normalised_within(raw, self.category_group)

    def criterion_shares(self, weights: Weights) -> pd.Series:
        """Each award criterion's normalised weight (sums to 1 unless all are 0)."""
        return pd.Series(self._criterion_array(weights), index=list(self.criteria), dtype=float)

    def category_shares(self, weights: Weights) -> pd.Series:
        """Each category's normalised weight within its award criterion."""
        return pd.Series(self._category_array(weights), index=list(self.categories), dtype=float)

    def global_weights(self, weights: Weights) -> pd.Series:
        """See ``global_weights``."""
        crit = self._criterion_array(weights)
        crit_of = np.append(crit, 0.0)  # index -1: no known criterion
        cat_global = self._category_array(weights) * crit_of[self.category_criterion]
        cat_of = np.append(cat_global, 0.0)  # index -1: no known category
        req_global = self.requirement_within * cat_of[self.requirement_category]
        price = (
            float(crit[self.criteria.index(PRICE_CRITERION)])
            if PRICE_CRITERION in self.criteria
            else 0.0
        )
        return pd.Series(
            np.append(req_global, price), index=[*self.requirements, PRICE_COLUMN], dtype=float
        )


def _group_codes(keys: Sequence[str]) -> np.ndarray:
    """0, 1, 2, ... by first appearance: which group each key belongs to."""
    seen: dict[str, int] = {}
    return np.array([seen.setdefault(k, len(seen)) for k in keys], dtype=int)


def _normalised_within(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """``normalise`` applied within each group: every group sums to 1, or stays all 0."""
    if (values < 0).any():
        raise ValueError("weights must be zero or positive")
    if len(values) == 0:
        return values.astype(float)
    sums = np.zeros(int(groups.max()) + 1)
    np.add.at(sums, groups, values)
    total = sums[groups]
    return np.divide(values, total, out=np.zeros(len(values)), where=total > 0)


def criterion_shares(tree: CriterionTree, weights: Weights) -> pd.Series:
    """Each award criterion's normalised weight (sums to 1 unless all are 0)."""
    return WeightTree.of(tree).criterion_shares(weights)


def category_shares(tree: CriterionTree, weights: Weights) -> pd.Series:
    """Each category's normalised weight within its award criterion."""
    return WeightTree.of(tree).category_shares(weights)


def global_weights(tree: CriterionTree, weights: Weights) -> pd.Series:
    """Global weight of each weighted requirement, and of the price column.

    Product of the normalised weights along the path criterion -> category -> requirement.
    A category without weighted requirements, or a criterion without categories (other
    than price), passes its share to nobody: the weights then sum to less than 1.
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
    return (matrix * w).sum(axis=1) * (TOTAL_POINTS / MAX_POINTS)


def contributions_by_part(
    matrix: pd.DataFrame, column_weights: pd.Series, column_part: pd.Series
) -> pd.DataFrame:
    """Each part's share of the total, in points: the segments of the stacked bars."""
    w = column_weights.reindex(matrix.columns).fillna(0.0).to_numpy(dtype=float)
    weighted = matrix.to_numpy(dtype=float) * w * (TOTAL_POINTS / MAX_POINTS)
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
    *,
    floor_at_zero: bool = True,
) -> pd.Series:
    """The price column's points (0–10) for the offers whose prices are given."""
    price_weight = float(column_weights.get(PRICE_COLUMN, 0.0))
    return price_models.price_points(
        prices,
        model,
        parameters,
        floor_at_zero=floor_at_zero,
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
    return points * (TOTAL_POINTS / MAX_POINTS) / total


def published_price_model(inputs: ProcurementInputs) -> str:
    """The name of the price model the inputs use (the floor spelled in the name)."""
    if inputs.price_model == price_models.LINEAR and not inputs.price_floor_at_zero:
        return price_models.LINEAR_NO_FLOOR
    return inputs.price_model


def with_price_model(inputs: ProcurementInputs, model: str) -> ProcurementInputs:
    """The same inputs under another price model (its parameters as set)."""
    return replace(inputs, price_model=model, price_floor_at_zero=True)


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
    return Prepared(
        inputs=inputs,
        shape=WeightTree.of(inputs.tree),
        screening=screening,
        eligible=eligible,
        rejected=[o for o in offers if o not in eligible_set],
        costs=price_models.total_cost(inputs.price_lines, inputs.contract_years).reindex(offers),
        points=points_matrix(eligible, pd.Index(w_reqs["id"]), inputs.consensus),
        column_part=column_part,
    )


def evaluate_prepared(prepared: Prepared, weights: Weights) -> Evaluation:
    """Score and rank the prepared offers under one set of weights."""
    inputs = prepared.inputs
    column_weights = prepared.shape.global_weights(weights)
    matrix = prepared.points.copy()
    if len(prepared.eligible):
        matrix[PRICE_COLUMN] = price_column(
            prepared.costs.loc[prepared.eligible, "total"],
            column_weights,
            inputs.price_model,
            inputs.price_parameters,
            floor_at_zero=inputs.price_floor_at_zero,
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
    weights = evaluation.column_weights.reindex(evaluation.matrix.columns).fillna(0.0)
    _, ranks = rank_batch("topsis", evaluation.matrix.to_numpy(dtype=float), weights.to_numpy())
    return pd.Series(ranks[0], index=evaluation.matrix.index, name="topsis_rank")
