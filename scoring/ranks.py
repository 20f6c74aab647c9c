"""Ranks from scores, the way scikit-criteria ranks them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import kendalltau

# Scores closer than this are the same score: sums taken in another order must still tie.
TIE_DECIMALS = 9


def dense_ranks(scores: ArrayLike, *, higher_is_better: bool = True) -> np.ndarray:
    """Dense ranks along the last axis: rank 1 is best, ties share a rank and the next
    rank follows on (1, 2, 2, 3), as scikit-criteria ranks.

    The one definition of a tie in bibvalg: scores equal after rounding to TIE_DECIMALS
    decimals, so that sums taken in another order still tie. Works on one ranking (n,)
    or many at once (S, n).
    """
    values = np.round(np.asarray(scores, dtype=float), TIE_DECIMALS)
    if not higher_is_better:
        values = -values
    if values.shape[-1] == 0:
        return np.zeros(values.shape, dtype=np.int64)
    order = np.argsort(values, axis=-1)[..., ::-1]  # best first; tie order does not matter
    ordered = np.take_along_axis(values, order, axis=-1)
    steps = np.ones(values.shape, dtype=np.int64)
    steps[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    ranks = np.empty_like(steps)
    np.put_along_axis(ranks, order, np.cumsum(steps, axis=-1), axis=-1)
    return ranks


def dense_rank(scores: ArrayLike, *, higher_is_better: bool = True) -> np.ndarray:
    """One ranking: ``dense_ranks`` of a single row of scores.

    >>> dense_rank([0.2, 0.9, 0.2, 0.5]).tolist()
    [3, 1, 3, 2]
    """
    values = np.asarray(scores, dtype=float).reshape(-1)
    return dense_ranks(values, higher_is_better=higher_is_better)


def kendall_tau(first: ArrayLike, second: ArrayLike) -> float:
    """Kendall's tau-b between two rankings of the same alternatives (scipy.stats).

    1 means the same order, 0 no relation, −1 the reverse; ties are allowed (tau-b).
    NaN where it is not defined: fewer than two alternatives, or a ranking that ties
    every alternative.
    """
    a = np.asarray(first, dtype=float)
    b = np.asarray(second, dtype=float)
    if a.shape != b.shape:
        raise ValueError("both rankings must rank the same alternatives")
    if a.size < 2 or np.all(a == a[0]) or np.all(b == b[0]):
        return float("nan")
    return float(kendalltau(a, b).statistic)


def kendall_tau_matrix(ranks: pd.DataFrame) -> pd.DataFrame:
    """Kendall's tau-b between every two columns (rankings) of ``ranks``; rows are
    alternatives. The diagonal is 1 wherever a ranking tells alternatives apart."""
    names = list(ranks.columns)
    table = pd.DataFrame(np.nan, index=names, columns=names, dtype=float)
    for i, a in enumerate(names):
        for b in names[i:]:
            tau = kendall_tau(ranks[a].to_numpy(), ranks[b].to_numpy())
            table.loc[a, b] = table.loc[b, a] = tau
    return table
