"""Kendall's tau between rankings: by hand and against scipy run directly."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import kendalltau

from scoring.ranks import kendall_tau, kendall_tau_matrix


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
