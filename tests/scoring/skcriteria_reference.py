"""scikit-criteria's usual pipelines, written here from its own classes.

The tests compare bibvalg's methods with these, so that no bibvalg code stands between a
test and the answer it checks against (``scoring.methods`` builds its pipelines itself).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import skcriteria as skc
from skcriteria.agg.electre import ELECTRE2
from skcriteria.agg.simple import WeightedProductModel, WeightedSumModel
from skcriteria.agg.topsis import TOPSIS
from skcriteria.agg.vikor import VIKOR
from skcriteria.pipelines import mkpipe
from skcriteria.preprocessing.invert_objectives import InvertMinimize, NegateMinimize
from skcriteria.preprocessing.scalers import SumScaler, VectorScaler

# Where each method's score lives in scikit-criteria's result.
SCORE_KEY = {"topsis": "similarity", "vikor": "q_k"}


def pipeline(method: str):
    """The pipeline the README and DESIGN.md name for each method."""
    weights = SumScaler(target="weights")
    steps = {
        "wsm": [InvertMinimize(), weights, SumScaler(target="matrix"), WeightedSumModel()],
        "wpm": [InvertMinimize(), weights, WeightedProductModel()],
        "topsis": [NegateMinimize(), weights, VectorScaler(target="matrix"), TOPSIS()],
        "vikor": [weights, VIKOR(v=0.5, use_compromise_set=False)],
        "electre2": [weights, ELECTRE2()],
    }
    return mkpipe(*steps[method])


def run(
    method: str,
    matrix: np.ndarray,
    weights: Sequence[float],
    objectives: Sequence[str] | None = None,
) -> tuple[np.ndarray, list[int]]:
    """scikit-criteria's scores and ranks for one problem."""
    matrix = np.asarray(matrix, dtype=float)
    objectives = objectives or ["max"] * matrix.shape[1]
    dm = skc.mkdm(
        matrix=matrix,
        objectives=[max if o == "max" else min for o in objectives],
        weights=list(weights),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = pipeline(method).evaluate(dm)
    scores = np.asarray(result.e_[SCORE_KEY.get(method, "score")], dtype=float)
    return scores, np.asarray(result.rank_).tolist()
