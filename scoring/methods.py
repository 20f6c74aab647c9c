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
A criterion with weight 0 is left out too, except by ELECTRE II: its discordance looks at
every criterion whatever its weight, so there the criterion stays, as in scikit-criteria.

Magnitudes: any finite number is accepted, and the matrix is scaled before the pipeline
runs so that no sum, square or inverse overflows. Each column is divided by its largest
absolute value (a minimised column of the weighted sum by its smallest value, so that
1/x is at most 1), which changes no score of ``wsm``, ``topsis`` or ``vikor``; ELECTRE II
compares differences across criteria, so its whole matrix is divided by one number, which
changes nothing either. The weighted product is not scaled (its score would shift); where
a value's inverse or a scaled value is not a finite number, the problem is refused.
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
        """Build and validate a problem from its JSON shape.

        Strict: names are lists of strings (or whole numbers), the matrix a list of rows of
        numbers, the weights a list of numbers. Numeric strings ("3") and booleans are not
        numbers. ``objectives`` may be left out (every criterion maximised); given, it has
        one entry per criterion.
        """
        if not isinstance(data, Mapping):
            raise ProblemError(
                "a problem is a JSON object with alternatives, criteria, matrix and weights"
            )
        missing = [k for k in ("alternatives", "criteria", "matrix", "weights") if k not in data]
        if missing:
            raise ProblemError(f"missing keys: {', '.join(missing)}")
        alternatives = _names(data["alternatives"], "alternatives")
        criteria = _names(data["criteria"], "criteria")
        raw_objectives = data.get("objectives")
        if raw_objectives is None:
            objectives: tuple[str, ...] = ("max",) * len(criteria)
        elif not isinstance(raw_objectives, list):
            raise ProblemError("objectives must be a list of 'max' or 'min', one per criterion")
        else:
            objectives = tuple(raw_objectives)
        raw_matrix = data["matrix"]
        if not isinstance(raw_matrix, list) or not all(isinstance(r, list) for r in raw_matrix):
            raise ProblemError("matrix must be a list of rows, each a list of numbers")
        if len({len(r) for r in raw_matrix}) > 1:
            raise ProblemError("every row of the matrix must have as many values as criteria")
        rows = [_numbers(row, f"row {i + 1} of the matrix") for i, row in enumerate(raw_matrix)]
        matrix = np.array(rows, dtype=float) if rows else np.zeros((0, 0))
        weights = np.array(_numbers(data["weights"], "weights"), dtype=float)
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


def _names(value: Any, what: str) -> tuple[str, ...]:
    """A list of names: strings, or whole numbers written as such."""
    if not isinstance(value, list):
        raise ProblemError(f"{what} must be a list of names, got {type(value).__name__}")
    bad = [v for v in value if isinstance(v, bool) or not isinstance(v, str | int)]
    if bad:
        raise ProblemError(f"{what} must be names (text), got {bad[0]!r}")
    return tuple(str(v) for v in value)


def _numbers(value: Any, what: str) -> list[float]:
    """A list of numbers; numeric strings and booleans are refused."""
    if not isinstance(value, list):
        raise ProblemError(f"{what} must be a list of numbers, got {type(value).__name__}")
    out: list[float] = []
    for v in value:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise ProblemError(f"{what} must be numbers, got {v!r}")
        try:
            out.append(float(v))
        except OverflowError as exc:
            raise ProblemError(f"{what} must be finite numbers, got {v!r}") from exc
    return out


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


def _scaled_matrix(problem: Problem, keep: np.ndarray, method: str) -> np.ndarray:
    """The kept columns, scaled so that the pipeline cannot overflow (see the module)."""
    x = problem.matrix[:, keep]
    minimised = np.array([o == "min" for o in problem.objectives])[keep]
    names = [c for c, k in zip(problem.criteria, keep, strict=True) if k]
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        if method == "wpm":
            scaled = x
            if np.any(~np.isfinite(1.0 / x[:, minimised])):
                raise ProblemError(
                    "a value on a minimised criterion is so close to zero that its inverse "
                    "(1/x) is not a finite number"
                )
            return scaled
        if method == "electre2":
            top = float(np.abs(x).max())
            return x / top if top > 0 else x
        scale = np.abs(x).max(axis=0)
        if method == "wsm":
            scale = np.where(minimised, x.min(axis=0), scale)
        scale = np.where(scale > 0, scale, 1.0)
        scaled = x / scale
    finite = np.asarray(np.isfinite(scaled).all(axis=0)).tolist()
    bad = [c for c, ok in zip(names, finite, strict=True) if not ok]
    if bad:
        raise ProblemError(
            f"the values of {', '.join(bad)} span more than 308 orders of magnitude "
            "(beyond what a floating-point number holds); rescale them first"
        )
    return scaled


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


def rank_problem(problem: Problem, method: str = PUBLISHED_METHOD) -> Result:
    """Score and rank a decision problem with one of METHODS."""
    import skcriteria as skc

    problem.validate()
    pipeline = skcriteria_pipeline(method)
    keep = informative_criteria(problem.matrix) & (problem.weights > 0)
    n = len(problem.alternatives)
    if method == "electre2" and keep.any():
        keep = informative_criteria(problem.matrix)  # zero weights count in discordance
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
        matrix=_scaled_matrix(problem, keep, method),
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
