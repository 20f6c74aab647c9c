"""Ranks from scores, the way scikit-criteria ranks them."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import rankdata

# Scores closer than this are the same score: sums taken in another order must still tie.
TIE_DECIMALS = 9


def dense_rank(scores: ArrayLike, *, higher_is_better: bool = True) -> np.ndarray:
    """Rank 1 is best; ties share a rank and the next rank follows on (1, 2, 2, 3).

    >>> dense_rank([0.2, 0.9, 0.2, 0.5]).tolist()
    [3, 1, 3, 2]
    """
    values = np.round(np.asarray(scores, dtype=float), TIE_DECIMALS)
    if values.size == 0:
        return np.zeros(0, dtype=int)
    keyed = -values if higher_is_better else values
    return rankdata(keyed, method="dense").astype(int)
