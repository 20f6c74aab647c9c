"""Small decision problems for the method tests."""

from __future__ import annotations

import numpy as np

from scoring.methods import Problem

# A valid two-by-two problem, for tests that change one key of it.
TWO_BY_TWO = {
    "alternatives": ["a", "b"],
    "criteria": ["x", "y"],
    "matrix": [[1, 2], [3, 4]],
    "weights": [1, 1],
    "objectives": ["max", "max"],
}

# Three alternatives whose order crosses as the weights move. Columns add up to 1; with w1
# uniform on [0, 1]: A = 0.1 + 0.5 w1, B = 0.6 − 0.5 w1, C = 0.3. A is first for w1 > 1/2,
# B below; A is last below 0.4, B above 0.6, C in between.
CROSSING = {
    "alternatives": ["A", "B", "C"],
    "criteria": ["x", "y"],
    "matrix": [[0.6, 0.1], [0.1, 0.6], [0.3, 0.3]],
    "weights": [1, 1],
    "objectives": ["max", "max"],
}


def make(matrix, weights, objectives=None) -> Problem:
    """A problem with alternatives A0, A1, … and criteria C0, C1, …, every one maximised
    unless ``objectives`` says otherwise."""
    matrix = np.asarray(matrix, dtype=float)
    n, m = matrix.shape
    return Problem.from_dict(
        {
            "alternatives": [f"A{i}" for i in range(n)],
            "criteria": [f"C{j}" for j in range(m)],
            "matrix": matrix.tolist(),
            "weights": list(weights),
            "objectives": objectives or ["max"] * m,
        }
    )
