"""Multi-criteria methods on a plain decision problem, through scikit-criteria.

The pipelines are scikit-criteria's usual ones, so anyone can reproduce the numbers:

- ``wsm``: InvertMinimize -> SumScaler(weights) -> SumScaler(matrix) -> WeightedSumModel
- ``topsis``: NegateMinimize -> SumScaler(weights) -> VectorScaler(matrix) -> TOPSIS

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
    "topsis": "TOPSIS: closeness to the ideal and distance from the anti-ideal",
}
OBJECTIVES = ("max", "min")


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
    from skcriteria.agg.simple import WeightedSumModel
    from skcriteria.agg.topsis import TOPSIS
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
    if method == "topsis":
        return mkpipe(
            NegateMinimize(),
            SumScaler(target="weights"),
            VectorScaler(target="matrix"),
            TOPSIS(),
        )
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
    scores = np.asarray(
        result.e_.similarity if method == "topsis" else result.e_.score, dtype=float
    )
    return Result(method, problem.alternatives, scores, dense_rank(scores))


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
