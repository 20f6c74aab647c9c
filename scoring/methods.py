"""Multi-criteria methods on a plain decision problem, through scikit-criteria.

The pipelines are scikit-criteria's usual ones, so anyone can reproduce the numbers:

- ``wsm``: InvertMinimize -> SumScaler(weights) -> SumScaler(matrix) -> WeightedSumModel
- ``wpm``: InvertMinimize -> SumScaler(weights) -> WeightedProductModel
  (score Σ w_j · log10 x_ij; every value must be above 0)
- ``topsis``: NegateMinimize -> SumScaler(weights) -> VectorScaler(matrix) -> TOPSIS
- ``vikor``: SumScaler(weights) -> VIKOR(v=0.5, use_compromise_set=False)
  (score Q, lower is better; ranked by Q, the compromise set is not merged into rank 1)
- ``electre2``: SumScaler(weights) -> ELECTRE2() with scikit-criteria's thresholds
  (score: the mean of the direct and the inverse ranking, lower is better). ELECTRE I only
  finds a kernel of undominated alternatives; ELECTRE II ranks them all, so it is the one
  used. Its discordance compares differences across criteria, so the matrix must be on
  one scale, as the procurement's 0–10 points are.

A criterion on which every alternative has the value 0 cannot tell the alternatives apart;
it contributes nothing, and it is left out before the pipeline runs so that no NaN appears.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scoring.ranks import dense_rank

METHODS: dict[str, str] = {
    "wsm": "Weighted sum (WeightedSumModel): the published model",
    "wpm": "Weighted product (WeightedProductModel): points raised to their weights, multiplied",
    "topsis": "TOPSIS: closeness to the ideal and distance from the anti-ideal",
    "vikor": "VIKOR: compromise between the group's total regret and the worst single regret",
    "electre2": "ELECTRE II: outranking by concordance and discordance between pairs",
}
# Whether a higher score is better; VIKOR's Q and ELECTRE II's score are better low.
HIGHER_IS_BETTER: dict[str, bool] = {
    "wsm": True,
    "wpm": True,
    "topsis": True,
    "vikor": False,
    "electre2": False,
}
OBJECTIVES = ("max", "min")
# The published model, by this one name everywhere: on the procurement's points it is the
# plain weighted sum of points (0–100); on a plain problem, the pipeline above.
PUBLISHED_METHOD = "wsm"


class ProblemError(ValueError):
    """A decision problem that cannot be ranked as given."""


@dataclass(frozen=True)
class Problem:
    """Alternatives × criteria, with a weight and an objective per criterion."""

    alternatives: tuple[str, ...]
    criteria: tuple[str, ...]
    matrix: np.ndarray
    weights: np.ndarray
    objectives: tuple[str, ...]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Problem:
        """Build and validate a problem from its JSON shape."""
        missing = [k for k in ("alternatives", "criteria", "matrix", "weights") if k not in data]
        if missing:
            raise ProblemError(f"missing keys: {', '.join(missing)}")
        alternatives = tuple(str(a) for a in data["alternatives"])
        criteria = tuple(str(c) for c in data["criteria"])
        objectives = tuple(data.get("objectives") or ["max"] * len(criteria))
        try:
            matrix = np.asarray(data["matrix"], dtype=float)
            weights = np.asarray(data["weights"], dtype=float)
        except (TypeError, ValueError) as exc:
            raise ProblemError(f"matrix and weights must be numbers: {exc}") from exc
        problem = cls(alternatives, criteria, matrix, weights, objectives)
        problem.validate()
        return problem

    def validate(self) -> None:
        """Raise ProblemError unless the shapes and values fit together."""
        n, m = len(self.alternatives), len(self.criteria)
        if n == 0 or m == 0:
            raise ProblemError("a problem needs at least one alternative and one criterion")
        if self.matrix.shape != (n, m):
            raise ProblemError(f"matrix must be {n} × {m}, got {self.matrix.shape}")
        if self.weights.shape != (m,):
            raise ProblemError(f"weights must have {m} values, got {self.weights.shape}")
        if len(self.objectives) != m:
            raise ProblemError(f"objectives must have {m} values, got {len(self.objectives)}")
        bad = [o for o in self.objectives if o not in OBJECTIVES]
        if bad:
            raise ProblemError(f"objectives must be 'max' or 'min', got {bad}")
        if not np.all(np.isfinite(self.matrix)) or not np.all(np.isfinite(self.weights)):
            raise ProblemError("matrix and weights must be finite numbers")
        if np.any(self.weights < 0):
            raise ProblemError("weights must be zero or positive")
        if self.weights.sum() <= 0:
            raise ProblemError("at least one weight must be positive")
        if len(set(self.alternatives)) != n or len(set(self.criteria)) != m:
            raise ProblemError("alternative and criterion names must be unique")


@dataclass(frozen=True)
class Result:
    """Scores and ranks of a method on a problem; rank 1 is best."""

    method: str
    alternatives: tuple[str, ...]
    scores: np.ndarray
    ranks: np.ndarray

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of a ranking."""
        return {
            "method": self.method,
            "alternatives": list(self.alternatives),
            "scores": [float(s) for s in self.scores],
            "ranks": [int(r) for r in self.ranks],
        }


def skcriteria_pipeline(method: str) -> Any:
    """scikit-criteria's usual pipeline for a method name."""
    from skcriteria.agg.electre import ELECTRE2
    from skcriteria.agg.simple import WeightedProductModel, WeightedSumModel
    from skcriteria.agg.topsis import TOPSIS
    from skcriteria.agg.vikor import VIKOR
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.invert_objectives import InvertMinimize, NegateMinimize
    from skcriteria.preprocessing.scalers import SumScaler, VectorScaler

    if method == "wsm":
        return mkpipe(
            InvertMinimize(),
            SumScaler(target="weights"),
            SumScaler(target="matrix"),
            WeightedSumModel(),
        )
    if method == "wpm":
        return mkpipe(InvertMinimize(), SumScaler(target="weights"), WeightedProductModel())
    if method == "topsis":
        return mkpipe(
            NegateMinimize(),
            SumScaler(target="weights"),
            VectorScaler(target="matrix"),
            TOPSIS(),
        )
    if method == "vikor":
        return mkpipe(SumScaler(target="weights"), VIKOR(v=0.5, use_compromise_set=False))
    if method == "electre2":
        return mkpipe(SumScaler(target="weights"), ELECTRE2())
    raise ProblemError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")


def informative_criteria(matrix: np.ndarray) -> np.ndarray:
    """Mask of the criteria on which not every alternative is 0."""
    return np.any(matrix != 0, axis=0)


def _check_weighted_sum_domain(problem: Problem, keep: np.ndarray) -> None:
    """The weighted sum needs values >= 0, and > 0 where a criterion is minimised (1/x)."""
    kept = problem.matrix[:, keep]
    if np.any(kept < 0):
        raise ProblemError("the weighted sum needs values of zero or more")
    minimised = np.array([o == "min" for o in problem.objectives])[keep]
    if np.any(kept[:, minimised] <= 0):
        raise ProblemError("a minimised criterion is inverted (1/x): its values must be positive")


def _check_weighted_product_domain(problem: Problem, keep: np.ndarray) -> None:
    """The weighted product takes logarithms: every value must be above 0."""
    if np.any(problem.matrix[:, keep] <= 0):
        raise ProblemError(
            "the weighted product needs values above zero (a 0 would make the product 0); "
            "shift the matrix first, as bibvalg does with points (+1)"
        )


def _scores(method: str, result: Any) -> np.ndarray:
    """The score scikit-criteria reports for a method."""
    if method == "topsis":
        values = result.e_.similarity
    elif method == "vikor":
        values = result.e_.q_k
    else:
        values = result.e_.score
    return np.asarray(values, dtype=float).reshape(-1)


def rank_problem(problem: Problem, method: str = "wsm") -> Result:
    """Score and rank a decision problem with one of METHODS."""
    import skcriteria as skc

    problem.validate()
    pipeline = skcriteria_pipeline(method)
    keep = informative_criteria(problem.matrix) & (problem.weights > 0)
    n = len(problem.alternatives)
    if not keep.any():
        return Result(method, problem.alternatives, np.zeros(n), np.ones(n, dtype=int))
    if method == "wsm":
        _check_weighted_sum_domain(problem, keep)
    if method == "wpm":
        _check_weighted_product_domain(problem, keep)
    if method == "vikor" and n == 1:
        # VIKOR divides by (alternatives − 1); one alternative is simply first.
        return Result(method, problem.alternatives, np.zeros(1), np.ones(1, dtype=int))
    if method == "topsis" and np.all(problem.matrix[:, keep] == problem.matrix[0, keep]):
        # Nothing tells the alternatives apart (or there is only one): the ideal and the
        # anti-ideal coincide and TOPSIS's closeness is 0/0. They tie, with score 0.
        return Result(method, problem.alternatives, np.zeros(n), np.ones(n, dtype=int))
    kept_objectives = [o for o, k in zip(problem.objectives, keep, strict=True) if k]
    objectives = [max if o == "max" else min for o in kept_objectives]
    dm = skc.mkdm(
        matrix=problem.matrix[:, keep],
        objectives=objectives,
        weights=problem.weights[keep],
        alternatives=list(problem.alternatives),
        criteria=[c for c, k in zip(problem.criteria, keep, strict=True) if k],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pipeline.evaluate(dm)
    scores = _scores(method, result)
    ranks = dense_rank(scores, higher_is_better=HIGHER_IS_BETTER[method])
    return Result(method, problem.alternatives, scores, ranks)


def problem_from_columns(
    alternatives: Sequence[str],
    criteria: Sequence[str],
    matrix: np.ndarray,
    weights: Sequence[float],
) -> Problem:
    """A problem whose criteria are all to be maximised (points, say)."""
    problem = Problem(
        tuple(alternatives),
        tuple(criteria),
        np.asarray(matrix, dtype=float),
        np.asarray(weights, dtype=float),
        tuple("max" for _ in criteria),
    )
    problem.validate()
    return problem
