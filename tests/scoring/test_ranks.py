"""Kendall's tau between rankings: by hand and against scipy run directly."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import kendalltau

from scoring.ranks import dense_rank, dense_ranks, kendall_tau, kendall_tau_matrix


def test_kendall_tau_by_hand():
    # Six pairs; only (2nd, 3rd) is swapped: (5 concordant − 1 discordant) / 6.
    assert kendall_tau([1, 2, 3, 4], [1, 3, 2, 4]) == pytest.approx(4 / 6)
    assert kendall_tau([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert kendall_tau([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(10))
def test_kendall_tau_with_ties_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 4, size=7)
    b = rng.integers(1, 4, size=7)
    if len(set(a)) < 2 or len(set(b)) < 2:
        pytest.skip("a ranking that ties everyone has no tau")
    assert kendall_tau(a, b) == pytest.approx(kendalltau(a, b).statistic)


def test_undefined_tau_is_nan():
    assert math.isnan(kendall_tau([1], [1]))
    assert math.isnan(kendall_tau([1, 1, 1], [1, 2, 3]))


def test_tau_matrix_is_symmetric_with_scipy_values():
    ranks = pd.DataFrame({"x": [1, 2, 3, 4], "y": [2, 1, 3, 4], "z": [4, 3, 2, 1]})
    table = kendall_tau_matrix(ranks)
    assert table.loc["x", "x"] == pytest.approx(1.0)
    for a in ranks:
        for b in ranks:
            assert table.loc[a, b] == pytest.approx(kendalltau(ranks[a], ranks[b]).statistic)
    assert table.loc["x", "z"] == pytest.approx(-1.0)


def test_dense_ranks_agree_with_scipy_rankdata_one_row_at_a_time():
    # scipy's rankdata(method="dense") is the reference; bibvalg's one rank function must
    # give it for one ranking and for many at once, best first either way round.
    from scipy.stats import rankdata

    rng = np.random.default_rng(8)
    scores = rng.integers(0, 5, size=(300, 7)).astype(float) / 7.0
    many = dense_ranks(scores)
    low_first = dense_ranks(scores, higher_is_better=False)
    for row, ranks, low in zip(scores, many, low_first, strict=True):
        assert ranks.tolist() == rankdata(-row, method="dense").tolist()
        assert low.tolist() == rankdata(row, method="dense").tolist()
        assert dense_rank(row).tolist() == ranks.tolist()
