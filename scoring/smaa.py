"""SMAA-2: how often each offer takes each rank when the weights, and the scores, vary.

Stochastic Multicriteria Acceptability Analysis (Lahdelma and Salminen, SMAA-2, 2001):
draw many weight vectors (and, optionally, many score matrices), rank the alternatives
for each draw, and count.

- **Rank acceptability** b_i^r: the share of the draws in which alternative i takes rank
  r. Ranks are dense, as everywhere in bibvalg: in a draw where two alternatives tie for
  first, both take rank 1 (continuous sampling makes such draws rare).
- **Central weights** w_i^c: the mean weight vector of the draws in which alternative i
  takes rank 1; undefined (NaN) for an alternative that never does.
- **Confidence factor** p_i^c: the share of score draws in which alternative i takes rank
  1 when the weights are fixed at its own central weights. It measures the uncertainty in
  the scores alone. Where the scores do not vary (a plain decision problem), it is 1 or 0.

What the weights are
--------------------
A ``DecisionModel`` holds its weights as **nodes** grouped into simplexes, each group
adding up to 1:

- on a plain decision problem, one group: the criteria weights;
- on the procurement, the award criteria form one group and the categories of each award
  criterion another; a requirement's column weight is criterion share × category share ×
  the requirement's fixed weight within its category (``scoring.procurement.global_weights``)
  and price takes the price criterion's whole share. Requirement weights within a category
  are part of the catalogue and do not vary.

Weight sampling (``WeightSampling``), independently within each group:

- ``uniform``: uniformly over the whole simplex, Dirichlet(1, …, 1): no preference at all;
- ``dirichlet:K``: Dirichlet(K · chosen shares), centred on the chosen weights; the larger
  K, the closer (a share w has standard deviation √(w(1 − w)/(K + 1))). A weight chosen as
  0 stays 0. K must be at least ``MIN_CONCENTRATION`` (10⁻⁶); a small K puts nearly all of a
  draw's weight on one criterion. The gamma variates behind the Dirichlet draw are taken in
  log space (Gamma(a) = Gamma(a + 1) · U^(1/a)), so a small K cannot underflow to a draw
  whose weights are all 0;
- ``box:P``: each chosen weight moved uniformly within ±P % of itself, then the group is
  scaled to add up to 1 again, as the sliders' relative weights are (``box:0`` keeps the
  weights fixed);
- ``groups:K``: on the procurement, each draw first picks one stakeholder group's weights
  at random (equal chances), then draws Dirichlet(K · that group's shares).

Score sampling (``ScoreSpread``): for each offer and requirement separately, one evaluator
is drawn at random among those who scored it, and the consensus score is moved by as much
as that evaluator's score differed from the evaluators' mean on that requirement and offer,
then kept within 0–10. The draws are centred on the consensus the published model uses,
and spread as widely as the evaluators disagreed. Price points do not vary with the
scores.

Every draw is ranked as the published evaluation (``scoring.procurement.evaluate``) would
rank it at that draw's weights, whatever the price model: under pricing of quality the
price points depend on the weights (k = quality weight / (10 · price weight · V)), so they
are recomputed for each draw (``QualityPricing``); under the other models they are fixed.

A seed makes every figure repeatable: the weights, the scores and the confidence draws
come from three independent streams of ``numpy.random.SeedSequence(seed)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from scoring import price as price_models
from scoring.batch import Scorer, batch_scores, make_scorer
from scoring.methods import PUBLISHED_METHOD, Problem, ProblemError
from scoring.procurement import (
    PRICE_COLUMN,
    ProcurementInputs,
    Weights,
    WeightTree,
    evaluate,
)
from scoring.ranks import TIE_DECIMALS, dense_ranks
from scoring.scales import MAX_POINTS, POINTS_TO_TOTAL

SAMPLING_KINDS = ("uniform", "dirichlet", "box", "groups")
DEFAULT_WEIGHT_SAMPLING = "dirichlet:50"
DEFAULT_SAMPLES = 10_000
DEFAULT_SEED = 1
MAX_SAMPLES = 1_000_000
# The smallest Dirichlet concentration K accepted: below it log(U) / (K · w) can reach −∞
# for every weight of a group at once.
MIN_CONCENTRATION = 1e-6
# Elements of (samples × alternatives × columns) drawn at once when the scores vary.
CHUNK_ELEMENTS = 2_000_000


class SamplingError(ProblemError):
    """A weight or score sampling that cannot be carried out as asked."""


@dataclass(frozen=True)
class WeightSampling:
    """How weight vectors are drawn: kind and its parameter (K or P)."""

    kind: str
    parameter: float = 0.0

    @classmethod
    def parse(cls, text: str) -> WeightSampling:
        """``uniform``, ``dirichlet:K`` (K > 0), ``box:P`` (0 ≤ P ≤ 100), ``groups:K``."""
        kind, _, value = text.strip().partition(":")
        kind = kind.strip().lower()
        if kind not in SAMPLING_KINDS:
            raise SamplingError(
                f"unknown weight sampling {text!r}; use uniform, dirichlet:K, box:P or groups:K"
            )
        if kind == "uniform":
            if value.strip():
                raise SamplingError("uniform takes no parameter")
            return cls("uniform")
        try:
            parameter = float(value)
        except ValueError as exc:
            raise SamplingError(f"{kind} needs a number after the colon, e.g. {kind}:50") from exc
        if kind in ("dirichlet", "groups") and not (MIN_CONCENTRATION <= parameter < np.inf):
            raise SamplingError(
                f"{kind}:K needs a concentration K above 0, at least {MIN_CONCENTRATION:g}"
            )
        if kind == "box" and not (0 <= parameter <= 100):
            raise SamplingError("box:P needs P between 0 and 100 (per cent)")
        return cls(kind, parameter)

    def __str__(self) -> str:
        if self.kind == "uniform":
            return "uniform"
        return f"{self.kind}:{self.parameter:g}"


@dataclass(frozen=True)
class ScoreSpread:
    """How far each score could have landed: the evaluators' deviations per cell.

    center: (n, m) the consensus points; deviations: (n, m, E), the deviations of the
    evaluators who scored each cell from their mean, packed first; counts: (n, m) how
    many evaluators scored each cell (0 or 1: the score does not vary).
    """

    center: np.ndarray
    deviations: np.ndarray
    counts: np.ndarray
    low: float = 0.0
    high: float = MAX_POINTS

    @classmethod
    def from_scores(
        cls,
        center: np.ndarray,
        alternative: np.ndarray,
        column: np.ndarray,
        score: np.ndarray,
        *,
        low: float = 0.0,
        high: float = MAX_POINTS,
    ) -> ScoreSpread:
        """From a long table: one row per evaluator, alternative index, column index."""
        center = np.asarray(center, dtype=float)
        n, m = center.shape
        cell = np.asarray(alternative, dtype=np.int64) * m + np.asarray(column, dtype=np.int64)
        values = np.asarray(score, dtype=float)
        counts = np.bincount(cell, minlength=n * m)
        means = np.zeros(n * m)
        np.divide(np.bincount(cell, values, minlength=n * m), counts, out=means, where=counts > 0)
        order = np.argsort(cell, kind="stable")
        sorted_cells = cell[order]
        starts = np.concatenate([[0], np.cumsum(counts)])[sorted_cells]
        position = np.arange(len(cell)) - starts
        width = max(int(counts.max()) if counts.size else 0, 1)
        deviations = np.zeros((n * m, width))
        deviations[sorted_cells, position] = values[order] - means[sorted_cells]
        return cls(center, deviations.reshape(n, m, width), counts.reshape(n, m), low, high)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """(size, n, m) score matrices: the consensus moved by one drawn evaluator's deviation."""
        n, m, width = self.deviations.shape
        pick = (rng.random((size, n, m)) * np.maximum(self.counts, 1)).astype(np.int64)
        pick += (np.arange(n * m, dtype=np.int64) * width).reshape(n, m)
        moved = self.center + np.take(self.deviations.reshape(-1), pick)
        return np.clip(moved, self.low, self.high, out=moved)

    @property
    def varies(self) -> bool:
        """Whether any score has more than one evaluator behind it."""
        return bool((self.counts > 1).any())


@dataclass(frozen=True)
class QualityPricing:
    """The price column under pricing of quality, recomputed from each draw's weights.

    Its points are S = 10 − k · (P_e − P_b) with k = quality weight / (10 · price weight · V)
    (``scoring.price.quality_pricing_slope``): they depend on the weights, so every draw
    gets the price points the published evaluation would give at that draw's weights.
    column: the price column's index; above_lowest: (n,) P_e − P_b; point_value: V.
    """

    column: int
    above_lowest: np.ndarray
    point_value: float

    def points(self, column_weights: np.ndarray) -> np.ndarray:
        """(S, n) price points for (S, m) column weights."""
        w = np.atleast_2d(column_weights)
        price = w[:, self.column]
        quality = w.sum(axis=1) - price
        slope = price_models.quality_pricing_slope(self.point_value, price, quality)
        return MAX_POINTS - slope[:, None] * self.above_lowest[None, :]


@dataclass(frozen=True)
class DecisionModel:
    """Alternatives, a decision matrix and a weight tree, ready for many draws.

    nodes: the weights one sets (criteria; or award criteria then categories), in groups
    that each add up to 1 (``bounds``: [start, stop) of each group). The column weights are
    ``leaves @ leaf_to_column``, where each leaf is the product of two nodes (``leaf_factors``;
    index N means the constant 1); without a tree the nodes are the column weights.
    """

    alternatives: tuple[str, ...]
    node_names: tuple[str, ...]
    node_kinds: tuple[str, ...]
    bounds: tuple[tuple[int, int], ...]
    chosen: np.ndarray
    method: str
    matrix: np.ndarray
    columns: tuple[str, ...]
    objectives: tuple[str, ...] | None = None
    leaf_factors: np.ndarray | None = None
    leaf_to_column: np.ndarray | None = None
    spread: ScoreSpread | None = None
    node_parents: tuple[str, ...] = field(default=())
    on_points: bool = False  # the procurement's points: ``wsm`` is the plain weighted sum
    price_term: QualityPricing | None = None

    @property
    def kernel(self) -> str:
        """The batch engine's arithmetic for this model's method (``scoring.batch``).

        On the procurement's points the published model (``wsm``) is the plain weighted
        sum of points, the kernel ``points``; on a plain problem ``wsm`` scales first.
        """
        if self.method == PUBLISHED_METHOD and self.on_points:
            return "points"
        return self.method

    @property
    def draws_matrices(self) -> bool:
        """Whether every weight draw needs a matrix of its own (price points that move,
        scored by a method that is not linear in the weights)."""
        return self.price_term is not None and self.kernel != "points"

    # --- building ---------------------------------------------------------------------

    @classmethod
    def from_problem(cls, problem: Problem, method: str = PUBLISHED_METHOD) -> DecisionModel:
        """A plain decision problem: the criteria weights are the nodes, one group."""
        problem.validate()
        m = len(problem.criteria)
        return cls(
            alternatives=problem.alternatives,
            node_names=problem.criteria,
            node_kinds=("criterion",) * m,
            bounds=((0, m),),
            chosen=problem.weights / problem.weights.sum(),
            method=method,
            matrix=problem.matrix,
            columns=problem.criteria,
            objectives=problem.objectives,
            node_parents=("",) * m,
        )

    @classmethod
    def from_procurement(
        cls,
        inputs: ProcurementInputs,
        weights: Weights,
        *,
        method: str = PUBLISHED_METHOD,
        evaluator_scores: pd.DataFrame | None = None,
    ) -> DecisionModel:
        """The procurement's eligible offers on points, with the criterion tree's weights.

        ``method`` is ``wsm`` (the published model, the plain weighted sum of points;
        ``points`` is accepted as an older name for it) or ``topsis``. ``evaluator_scores``
        (evaluator_id, offer_id, requirement_id, score) gives the spread for score draws.
        Under pricing of quality the price points are recomputed for every draw of the
        weights (``QualityPricing``), so each draw ranks as ``evaluate`` would.
        """
        if method == "points":
            method = PUBLISHED_METHOD
        if method not in (PUBLISHED_METHOD, "topsis"):
            raise ProblemError(
                f"the procurement is ranked by {PUBLISHED_METHOD} or topsis, not {method!r}"
            )
        evaluation = evaluate(inputs, weights)
        matrix = evaluation.matrix
        arrays = WeightTree.of(inputs.tree)
        columns = [str(c) for c in matrix.columns]
        if tuple(columns) != arrays.columns:  # pragma: no cover - evaluate builds the same
            raise ProblemError("the points matrix and the weight tree disagree on the columns")
        col_index = {c: j for j, c in enumerate(columns)}
        center = matrix.to_numpy(dtype=float)
        price_term = None
        if inputs.price_model == price_models.QUALITY_PRICING and len(matrix):
            totals = evaluation.costs.loc[matrix.index, "total"].to_numpy(dtype=float)
            assert inputs.price_parameters.point_value is not None  # evaluate checked it
            price_term = QualityPricing(
                column=col_index[PRICE_COLUMN],
                above_lowest=totals - totals.min(),
                point_value=float(inputs.price_parameters.point_value),
            )
        spread = None
        if evaluator_scores is not None and len(matrix):
            # Vectorised look-ups (a hash index), not a Python function per row.
            row = pd.Index(matrix.index).get_indexer(evaluator_scores["offer_id"])
            col = pd.Index(columns).get_indexer(evaluator_scores["requirement_id"])
            price = col_index.get(PRICE_COLUMN, -1)
            keep = (row >= 0) & (col >= 0) & (col != price)
            spread = ScoreSpread.from_scores(
                center,
                row[keep],
                col[keep],
                evaluator_scores["score"].to_numpy(dtype=float)[keep],
            )
        n_crit = len(arrays.criteria)
        return cls(
            alternatives=tuple(str(o) for o in matrix.index),
            node_names=arrays.node_names,
            node_kinds=("criterion",) * n_crit + ("category",) * len(arrays.categories),
            bounds=arrays.bounds,
            chosen=arrays.node_weights(weights),
            method=method,
            matrix=center,
            columns=tuple(columns),
            leaf_factors=arrays.leaf_factors,
            leaf_to_column=arrays.leaf_to_column,
            spread=spread,
            node_parents=("",) * n_crit + arrays.category_parent,
            on_points=True,
            price_term=price_term,
        )

    def shares_of(self, inputs: ProcurementInputs, weights: Weights) -> np.ndarray:
        """Another profile's weights as this model's nodes (the procurement only)."""
        return WeightTree.of(inputs.tree).node_weights(weights)

    # --- weights ----------------------------------------------------------------------

    def normalised(self, nodes: np.ndarray) -> np.ndarray:
        """Nodes scaled to add up to 1 within each group (a group of zeros stays zeros)."""
        out = np.array(nodes, dtype=float)
        for start, stop in self.bounds:
            total = out[..., start:stop].sum(axis=-1, keepdims=True)
            np.divide(out[..., start:stop], total, out=out[..., start:stop], where=total > 0)
        return out

    def leaves(self, nodes: np.ndarray) -> np.ndarray:
        """(S, L) leaf weights from (S, N) nodes."""
        if self.leaf_factors is None:
            return nodes
        ext = np.concatenate([nodes, np.ones(nodes.shape[:-1] + (1,))], axis=-1)
        return ext[..., self.leaf_factors[0]] * ext[..., self.leaf_factors[1]]

    def column_weights(self, nodes: np.ndarray) -> np.ndarray:
        """(S, m) column weights from (S, N) nodes."""
        leaves = self.leaves(nodes)
        return leaves if self.leaf_to_column is None else leaves @ self.leaf_to_column

    # --- scoring ----------------------------------------------------------------------

    @cached_property
    def scorer(self) -> Scorer:
        """The fixed matrix prepared once; in leaf space for the methods linear in weights.

        Under pricing of quality the price column is left out here (0): its points move
        with the weights and are added draw by draw.
        """
        matrix = self.matrix
        if self.price_term is not None:
            matrix = matrix.copy()
            matrix[:, self.price_term.column] = 0.0
        scorer = make_scorer(self.kernel, matrix, self.objectives)
        if self.kernel != "topsis" and self.leaf_to_column is not None:
            return scorer.in_leaf_space(self.leaf_to_column)
        return scorer

    def scores(self, nodes: np.ndarray, matrices: np.ndarray | None = None) -> np.ndarray:
        """Scores (S, n) for node weights (S, N), on the matrix or on one matrix per draw."""
        nodes = np.atleast_2d(nodes)
        if self.price_term is not None:
            return self._scores_with_moving_price(nodes, matrices)
        if matrices is None:
            if self.kernel == "topsis":
                return self.scorer.scores(self.column_weights(nodes))
            return self.scorer.scores(self.leaves(nodes))
        return batch_scores(self.kernel, matrices, self.column_weights(nodes), self.objectives)

    def _scores_with_moving_price(
        self, nodes: np.ndarray, matrices: np.ndarray | None
    ) -> np.ndarray:
        """Scores when the price points depend on the weights (pricing of quality)."""
        assert self.price_term is not None
        weights = self.column_weights(nodes)
        price = self.price_term.points(weights)
        column = self.price_term.column
        if matrices is None and self.kernel == "points":
            quality = self.scorer.scores(self.leaves(nodes))
            return quality + POINTS_TO_TOTAL * weights[:, column, None] * price
        base = self.matrix if matrices is None else matrices
        per_draw = np.array(np.broadcast_to(base, (len(nodes),) + self.matrix.shape))
        per_draw[:, :, column] = price
        return batch_scores(self.kernel, per_draw, weights, self.objectives)

    def scores_each(self, nodes: np.ndarray, matrices: np.ndarray) -> np.ndarray:
        """Scores (S, K, n): each of K weight vectors on each of S matrices."""
        nodes = np.atleast_2d(nodes)
        if self.price_term is not None:
            size = (len(matrices), nodes.shape[1])
            return np.stack(
                [self.scores(np.broadcast_to(node, size), matrices) for node in nodes], axis=1
            )
        weights = self.column_weights(nodes)
        if self.kernel == "points":
            together = np.matmul(matrices, weights.T)  # (S, n, K): one product for all K
            return POINTS_TO_TOTAL * together.transpose(0, 2, 1)
        return np.stack(
            [batch_scores(self.kernel, matrices, w, self.objectives) for w in weights], axis=1
        )


def sample_nodes(
    model: DecisionModel,
    sampling: WeightSampling,
    size: int,
    rng: np.random.Generator,
    centres: np.ndarray | None = None,
) -> np.ndarray:
    """(size, N) node weights drawn as ``sampling`` says, each group adding up to 1.

    ``centres``: (G, N) weights to draw around; for ``groups:K`` one row per stakeholder
    group, otherwise the first row (default: the model's chosen weights).
    """
    base = np.atleast_2d(model.chosen if centres is None else centres).astype(float)
    base = model.normalised(base)
    n_nodes = base.shape[1]
    if sampling.kind == "groups":
        if centres is None or len(base) == 0:
            raise SamplingError("groups:K needs the stakeholder groups' weights")
        around = base[rng.integers(0, len(base), size=size)]
        drawn = _dirichlet_in_groups(model, rng, sampling.parameter * around)
    elif sampling.kind == "uniform":
        drawn = model.normalised(rng.standard_exponential((size, n_nodes)))
    elif sampling.kind == "dirichlet":
        shape = np.broadcast_to(sampling.parameter * base[0], (size, n_nodes))
        drawn = _dirichlet_in_groups(model, rng, shape)
    elif sampling.kind == "box":
        spread = sampling.parameter / 100.0
        # 1 − U lies in (0, 1], so a weight is never moved all the way to 0.
        moved = 1.0 + spread * (1.0 - 2.0 * rng.random((size, n_nodes)))
        drawn = model.normalised(base[0] * moved)
    else:  # pragma: no cover - parse() admits no other kind
        raise SamplingError(f"unknown weight sampling {sampling.kind!r}")
    _refuse_empty_groups(model, drawn, base)
    return drawn


def _dirichlet_in_groups(
    model: DecisionModel, rng: np.random.Generator, shape: np.ndarray
) -> np.ndarray:
    """Dirichlet draws within each group, with gamma variates taken in log space.

    log Gamma(a) = log Gamma(a + 1) + log(U) / a (U uniform on (0, 1]): Gamma(a + 1) does
    not underflow, and within each group the largest log value is subtracted before
    exponentiating, so the largest weight of a draw is 1 before scaling, never 0. A shape
    of 0 (a weight chosen as 0) gives weight 0.
    """
    a = np.asarray(shape, dtype=float)
    gamma = rng.standard_gamma(a + 1.0)
    uniform = 1.0 - rng.random(a.shape)
    logs = np.full(a.shape, -np.inf)
    positive = a > 0
    logs[positive] = np.log(gamma[positive]) + np.log(uniform[positive]) / a[positive]
    out = np.zeros(a.shape)
    for start, stop in model.bounds:
        part = logs[:, start:stop]
        top = part.max(axis=1, keepdims=True)
        finite = np.isfinite(top)
        shifted = np.where(finite, part - np.where(finite, top, 0.0), -np.inf)
        out[:, start:stop] = np.exp(shifted)
    return model.normalised(out)


def _refuse_empty_groups(model: DecisionModel, drawn: np.ndarray, base: np.ndarray) -> None:
    """Never score a draw whose weights in a group are all 0 where the centre's are not."""
    for start, stop in model.bounds:
        wanted = (base[:, start:stop] > 0).any(axis=1).all()
        if wanted and not (drawn[:, start:stop] > 0).any(axis=1).all():
            raise SamplingError("a weight draw came out all zero; use a larger concentration")


@dataclass(frozen=True)
class SmaaResult:
    """Rank acceptabilities, central weights and confidence factors, with how they were drawn."""

    alternatives: tuple[str, ...]
    weight_names: tuple[str, ...]
    rank_acceptability: np.ndarray  # (n, n): row i alternative i, column r rank r + 1
    central_weights: np.ndarray  # (n, N), NaN where the alternative never ranks first
    confidence: np.ndarray  # (n,), NaN where there is no central weight vector
    samples: int
    seed: int
    weight_sampling: str
    score_sampling: bool
    method: str
    weight_groups: tuple[tuple[int, int], ...] = ()  # [start, stop) of each group of weights

    def first_rank(self, alternative: str) -> float:
        """The share of draws in which an alternative takes rank 1."""
        return float(self.rank_acceptability[self.alternatives.index(alternative), 0])

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``cli.py smaa``."""

        def clean(values: np.ndarray) -> list[Any]:
            return [None if np.isnan(v) else float(v) for v in values]

        return {
            "alternatives": list(self.alternatives),
            "rank_acceptability": [[float(v) for v in row] for row in self.rank_acceptability],
            "central_weights": [clean(row) for row in self.central_weights],
            "confidence": clean(self.confidence),
            "samples": self.samples,
            "seed": self.seed,
            "weight_names": list(self.weight_names),
            "weight_sampling": self.weight_sampling,
            "score_sampling": "evaluators" if self.score_sampling else "none",
            "method": self.method,
        }


# Weight draws scored at once when the matrix is fixed: about 2 MB of weights, so that they
# are still in the processor's cache when the central weights are summed.
FIXED_CHUNK_BYTES = 2**21


def acceptability_from_nodes(
    model: DecisionModel,
    nodes: np.ndarray,
    score_rng: np.random.Generator | None = None,
    progress: Callable[[float], object] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Rank acceptabilities (n, n) and central weights (n, N) from drawn node weights.

    With ``score_rng`` each draw is also scored on its own score matrix from the model's
    spread. Draws are taken in chunks to bound memory; the results do not depend on the
    chunking. ``progress`` is called after each chunk with the share of draws done.
    """
    n, size = len(model.alternatives), len(nodes)
    n_nodes = nodes.shape[1]
    rank_counts = np.zeros(n * n, dtype=np.int64)
    first_sums = np.zeros((n_nodes, n))
    offsets = np.arange(n, dtype=np.int64) * n - 1
    varies = score_rng is not None and model.spread is not None
    if varies or model.draws_matrices:
        chunk = max(1, CHUNK_ELEMENTS // max(1, model.matrix.size))
    else:
        chunk = max(64, FIXED_CHUNK_BYTES // (8 * max(1, n_nodes)))
    for start in range(0, size, chunk):
        part = nodes[start : start + chunk]
        if varies:
            assert model.spread is not None and score_rng is not None
            ranks = dense_ranks(model.scores(part, model.spread.sample(score_rng, len(part))))
        else:
            ranks = dense_ranks(model.scores(part))
        rank_counts += np.bincount((ranks + offsets).ravel(), minlength=n * n)
        first_sums += part.T @ (ranks == 1).astype(float)
        if progress is not None:
            progress((start + len(part)) / size)
    acceptability = rank_counts.reshape(n, n) / max(size, 1)
    firsts = rank_counts.reshape(n, n)[:, 0]
    central = np.full((n, n_nodes), np.nan)
    np.divide(first_sums.T, firsts[:, None], out=central, where=firsts[:, None] > 0)
    return acceptability, central


def confidence_factors(
    model: DecisionModel, central: np.ndarray, samples: int, rng: np.random.Generator
) -> np.ndarray:
    """For each alternative, the share of score draws it wins at its own central weights.

    Without a spread the scores are fixed: 1 if it wins there, else 0. NaN where an
    alternative has no central weights.
    """
    n = len(model.alternatives)
    result = np.full(n, np.nan)
    has = ~np.isnan(central).any(axis=1)
    if not has.any():
        return result
    which = np.flatnonzero(has)
    if model.spread is None or not model.spread.varies:
        scores = np.round(model.scores(central[which]), TIE_DECIMALS)
        result[which] = scores[np.arange(len(which)), which] >= scores.max(axis=1)
        return result
    wins = np.zeros(len(which))
    chunk = max(1, CHUNK_ELEMENTS // max(1, model.matrix.size))
    for start in range(0, samples, chunk):
        matrices = model.spread.sample(rng, min(chunk, samples - start))
        scores = np.round(model.scores_each(central[which], matrices), TIE_DECIMALS)
        own = scores[:, np.arange(len(which)), which]
        wins += np.count_nonzero(own >= scores.max(axis=2), axis=0)
    result[which] = wins / samples
    return result


def smaa(
    model: DecisionModel,
    sampling: WeightSampling | str = DEFAULT_WEIGHT_SAMPLING,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    score_sampling: bool = False,
    centres: np.ndarray | None = None,
    progress: Callable[[float], object] | None = None,
) -> SmaaResult:
    """SMAA-2 on a model: rank acceptabilities, central weights, confidence factors.

    ``score_sampling``: draw a score matrix from the evaluators' spread along with each
    weight vector (the procurement only). The confidence factors use the spread whenever
    the model has one. ``progress`` is called with the share of the draws ranked so far.
    """
    if isinstance(sampling, str):
        sampling = WeightSampling.parse(sampling)
    if not 1 <= samples <= MAX_SAMPLES:
        raise SamplingError(f"the number of samples must be between 1 and {MAX_SAMPLES:,}")
    if score_sampling and model.spread is None:
        raise SamplingError("score sampling needs the evaluators' own scores")
    if not model.alternatives:
        raise SamplingError("there are no alternatives to rank")
    weight_rng, score_rng, confidence_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    nodes = sample_nodes(model, sampling, samples, weight_rng, centres)
    acceptability, central = acceptability_from_nodes(
        model, nodes, score_rng if score_sampling else None, progress
    )
    confidence = confidence_factors(model, central, samples, confidence_rng)
    return SmaaResult(
        alternatives=model.alternatives,
        weight_names=model.node_names,
        rank_acceptability=acceptability,
        central_weights=central,
        confidence=confidence,
        samples=samples,
        seed=seed,
        weight_sampling=str(sampling),
        score_sampling=score_sampling,
        method=model.method,
        weight_groups=model.bounds,
    )
