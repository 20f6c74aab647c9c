"""The batch engine: the weighted sum and TOPSIS for many weight vectors at once.

The same arithmetic as ``scoring.methods.rank_problem`` (scikit-criteria's pipelines) and
as the published model (``scoring.procurement.evaluate``), but for S weight vectors, and
optionally S decision matrices, in a handful of numpy operations with no Python loop over
the samples.

Shapes: ``weights`` is (S, m), S samples of m criterion weights; a fixed decision matrix is
(n, m), one matrix per sample is (S, n, m); scores and ranks come back as (S, n).

Methods:

- ``points``: the arithmetic of the published model (``PUBLISHED_METHOD``, called ``wsm``
  everywhere a method is chosen) on the procurement's points 0–10:
  ``total = 10 · Σ_j w_j · points_j`` (0–100 when the weights add up to 1). Weights are
  taken as given. It is a kernel of this engine, not a method of its own: a
  ``DecisionModel`` on the procurement picks it for ``wsm``.
- ``wsm``: InvertMinimize → SumScaler(weights) → SumScaler(matrix) → WeightedSumModel.
- ``topsis``: NegateMinimize → SumScaler(weights) → VectorScaler(matrix) → TOPSIS.

As in ``rank_problem``, a criterion on which every alternative has the value 0 contributes
nothing: it is left out of the weights before they are scaled to add up to 1. A sample
whose every weight falls on such criteria (or is zero) scores every alternative 0, so all
tie. TOPSIS on a sample where every alternative is alike on every weighted criterion
(distance 0 to both the ideal and the anti-ideal) gives every alternative 0, a tie.

As in ``rank_problem``, each column is scaled before it is summed or squared, so that no
sum overflows (the weighted sum and TOPSIS do not change when a column is divided by a
positive number): by its largest absolute value, a minimised column of the weighted sum
by its smallest value before 1/x. A column that spans more than a float can hold is refused.

Ranks are dense, as scikit-criteria ranks: 1 is best, ties share a rank and the next rank
follows on (1, 2, 2, 3); scores equal after rounding to ``TIE_DECIMALS`` decimals tie
(``scoring.ranks.dense_ranks``, the one definition of a tie, used here and by
``rank_problem`` alike).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scoring.methods import ProblemError
from scoring.ranks import dense_ranks
from scoring.scales import POINTS_TO_TOTAL

BATCH_METHODS = ("points", "wsm", "topsis")


def _objectives_mask(objectives: Sequence[str] | None, m: int) -> np.ndarray:
    """True where a criterion is minimised."""
    if objectives is None:
        return np.zeros(m, dtype=bool)
    if len(objectives) != m:
        raise ProblemError(f"objectives must have {m} values, got {len(objectives)}")
    bad = [o for o in objectives if o not in ("max", "min")]
    if bad:
        raise ProblemError(f"objectives must be 'max' or 'min', got {bad}")
    return np.array([o == "min" for o in objectives])


def informative(matrix: np.ndarray) -> np.ndarray:
    """Criteria on which not every alternative is 0: (m,) for (n, m), (S, m) for (S, n, m)."""
    return np.any(matrix != 0, axis=-2)


def _safe_divide(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """top / bottom, with 0 where bottom is 0 (never NaN)."""
    out = np.zeros(np.broadcast_shapes(top.shape, bottom.shape))
    np.divide(top, bottom, out=out, where=bottom != 0)
    return out


def _column_scale(x: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """x divided by a positive scale per column (1 where the scale is 0), or refused."""
    with np.errstate(over="ignore"):
        out = _safe_divide(x, np.where(scale > 0, scale, 1.0))
    if not np.isfinite(out).all():
        raise ProblemError(
            "the values of a criterion span more than 308 orders of magnitude "
            "(beyond what a floating-point number holds); rescale them first"
        )
    return out


def wsm_matrix(matrix: np.ndarray, objectives: Sequence[str] | None = None) -> np.ndarray:
    """InvertMinimize then SumScaler(matrix), along the alternatives axis (-2).

    Refuses negative values, and values of 0 on a minimised criterion (1/x), on the
    criteria that count, with the messages of ``rank_problem``. Each column is first divided
    by its largest value (a minimised one by its smallest), which changes nothing but keeps
    the sums finite.
    """
    x = np.asarray(matrix, dtype=float)
    minimised = _objectives_mask(objectives, x.shape[-1])
    keep = informative(x)
    counted = np.broadcast_to(keep[..., None, :], x.shape)
    if np.any((x < 0) & counted):
        raise ProblemError("the weighted sum needs values of zero or more")
    if np.any((x <= 0) & counted & minimised):
        raise ProblemError("a minimised criterion is inverted (1/x): its values must be positive")
    if minimised.any():
        smallest = np.where(counted, x, np.inf).min(axis=-2, keepdims=True)
        largest = np.abs(x).max(axis=-2, keepdims=True)
        x = _column_scale(x, np.where(minimised & np.isfinite(smallest), smallest, largest))
        with np.errstate(over="ignore"):  # only the minimised columns are kept, all >= 1
            inverted = _safe_divide(np.ones_like(x), x)
        x = np.where(minimised & counted, inverted, x)
    else:
        x = _column_scale(x, np.abs(x).max(axis=-2, keepdims=True))
    return _safe_divide(x, x.sum(axis=-2, keepdims=True))


def topsis_matrix(matrix: np.ndarray, objectives: Sequence[str] | None = None) -> np.ndarray:
    """NegateMinimize then VectorScaler(matrix), along the alternatives axis (-2); each
    column first divided by its largest absolute value so the sum of squares is finite."""
    x = np.asarray(matrix, dtype=float)
    minimised = _objectives_mask(objectives, x.shape[-1])
    x = np.where(minimised, -x, x)
    x = _column_scale(x, np.abs(x).max(axis=-2, keepdims=True))
    return _safe_divide(x, np.sqrt((x * x).sum(axis=-2, keepdims=True)))


def _topsis_distances(scaled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Squared distances per criterion to the ideal and the anti-ideal, before weighting.

    With weights w >= 0 the weighted ideal of criterion j is w_j · max_a x_aj, so the
    squared distance of alternative a to it is Σ_j w_j² (x_aj − max_a x_aj)²: one matrix
    product with the squared weights.
    """
    best = scaled.max(axis=-2, keepdims=True)
    worst = scaled.min(axis=-2, keepdims=True)
    return (scaled - best) ** 2, (scaled - worst) ** 2


def _closeness(to_ideal_sq: np.ndarray, to_anti_sq: np.ndarray) -> np.ndarray:
    d_ideal = np.sqrt(np.maximum(to_ideal_sq, 0.0))
    d_anti = np.sqrt(np.maximum(to_anti_sq, 0.0))
    return _safe_divide(d_anti, d_ideal + d_anti)


@dataclass(frozen=True)
class Scorer:
    """A fixed decision matrix, prepared once, scoring any number of weight vectors.

    Every method becomes one matrix product ``weights @ operand`` followed by a little
    arithmetic on (S, n) numbers:

    - points: operand = 10 · pointsᵀ (m × n);
    - wsm: operand = [scaledᵀ | counted] (m × (n + 1)); the last column sums the weights
      of the criteria that count, by which the scores are divided;
    - topsis: operand = [distance to idealᵀ | distance to anti-idealᵀ] (m × 2n), used with
      the squared weights.
    """

    method: str
    operand: np.ndarray
    n: int

    def scores(self, weights: np.ndarray) -> np.ndarray:
        """Scores (S, n) for weights (S, m), or (n,) for weights (m,)."""
        w = np.asarray(weights, dtype=float)
        single = w.ndim == 1
        w2 = w[None, :] if single else w
        if self.method == "topsis":
            both = (w2 * w2) @ self.operand
            out = _closeness(both[:, : self.n], both[:, self.n :])
        else:
            product = w2 @ self.operand
            if self.method == "points":
                out = product
            else:
                out = _safe_divide(product[:, : self.n], product[:, self.n : self.n + 1])
        return out[0] if single else out

    def in_leaf_space(self, leaf_to_column: np.ndarray) -> Scorer:
        """The same scorer taking weights on coarser nodes, w_columns = w_leaves @ A.

        Only for the methods linear in the weights (points and wsm); TOPSIS squares them.
        """
        if self.method == "topsis":
            raise ValueError("TOPSIS is not linear in the weights")
        return Scorer(self.method, leaf_to_column @ self.operand, self.n)


def make_scorer(method: str, matrix: np.ndarray, objectives: Sequence[str] | None = None) -> Scorer:
    """Prepare a fixed (n, m) decision matrix for scoring many weight vectors."""
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2:
        raise ProblemError(f"a decision matrix has two axes, got shape {x.shape}")
    n = x.shape[0]
    if method == "points":
        return Scorer(method, POINTS_TO_TOTAL * x.T.copy(), n)
    if method == "wsm":
        scaled = wsm_matrix(x, objectives)
        operand = np.concatenate([scaled.T, informative(x).astype(float)[:, None]], axis=1)
        return Scorer(method, operand, n)
    if method == "topsis":
        to_ideal, to_anti = _topsis_distances(topsis_matrix(x, objectives))
        return Scorer(method, np.concatenate([to_ideal.T, to_anti.T], axis=1), n)
    raise ProblemError(f"unknown method {method!r}; choose one of {', '.join(BATCH_METHODS)}")


def batch_scores(
    method: str,
    matrix: np.ndarray,
    weights: np.ndarray,
    objectives: Sequence[str] | None = None,
) -> np.ndarray:
    """Scores (S, n) for weights (S, m) on one matrix (n, m) or one matrix per sample.

    With matrices of shape (S, n, m), sample s is scored on matrix s with weights s
    (weights of shape (m,) are used for every matrix).
    """
    x = np.asarray(matrix, dtype=float)
    if x.ndim == 2:
        return make_scorer(method, x, objectives).scores(np.atleast_2d(weights))
    if x.ndim != 3:
        raise ProblemError(f"matrices must have shape (S, n, m), got {x.shape}")
    w = np.broadcast_to(np.asarray(weights, dtype=float), (x.shape[0], x.shape[2]))
    if method == "points":
        return POINTS_TO_TOTAL * np.matmul(x, w[:, :, None])[..., 0]
    if method == "wsm":
        scaled = wsm_matrix(x, objectives)
        counted = (w * informative(x)).sum(axis=1)
        return _safe_divide(np.matmul(scaled, w[:, :, None])[..., 0], counted[:, None])
    if method == "topsis":
        to_ideal, to_anti = _topsis_distances(topsis_matrix(x, objectives))
        w2 = (w * w)[:, :, None]
        return _closeness(np.matmul(to_ideal, w2)[..., 0], np.matmul(to_anti, w2)[..., 0])
    raise ProblemError(f"unknown method {method!r}; choose one of {', '.join(BATCH_METHODS)}")


def rank_batch(
    method: str, matrix: np.ndarray, weights: np.ndarray, objectives: Sequence[str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and dense ranks (S, n) for many weight vectors (and matrices)."""
    scores = batch_scores(method, matrix, weights, objectives)
    return scores, dense_ranks(scores)
