"""The figure builders of ui/charts.py, checked through fig.data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ui import charts
from ui.i18n import speaking

COSTS = pd.DataFrame(
    {
        "one_time": [1000.0, 3000.0],
        "yearly": [500.0, 100.0],
        "yearly_total": [2000.0, 400.0],
        "total": [3000.0, 3400.0],
        "options": [200.0, 0.0],
    },
    index=["b", "a"],
)
NAMES = {"a": "Alfa", "b": "Beta", "c": "Gamma"}


def test_cost_figure_stacks_cost_types_cheapest_first_with_options_hatched():
    parts = {"one_time": "One-time", "yearly_total": "Yearly × 4", "options": "Options"}
    fig = charts.cost_figure(COSTS, NAMES, parts, axis_title="NOK")
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["One-time", "Yearly × 4", "Options"]
    assert list(bars[0].y) == ["Beta", "Alfa"]  # 3000 before 3400
    assert list(bars[0].x) == [1000, 3000]
    assert list(bars[1].x) == [2000, 400]
    assert list(bars[2].x) == [200, 0]
    assert bars[2].marker.pattern.shape == "/"
    assert bars[0].marker.pattern.shape == ""
    # The scored total is written at the end of the scored part.
    text = next(t for t in fig.data if t.type == "scatter")
    assert list(text.x) == [3000, 3400]
    assert fig.layout.barmode == "stack"


def test_rank_lines_follow_the_column_order_one_trace_per_offer():
    ranks = pd.DataFrame({"m1": [1, 2, 3], "m2": [2, 1, 3]}, index=["a", "b", "c"])
    fig = charts.rank_lines_figure(ranks, NAMES, {"m2": "Second", "m1": "First"}, axis_title="R")
    assert [t.name for t in fig.data] == ["Alfa", "Beta", "Gamma"]
    assert list(fig.data[0].x) == ["Second", "First"]
    assert list(fig.data[0].y) == [2, 1]
    assert list(fig.data[1].y) == [1, 2]
    assert fig.layout.yaxis.autorange == "reversed"


def test_grouped_bars_one_trace_per_column():
    values = pd.DataFrame({"x": [10.0, 5.0], "y": [10.0, 2.5]}, index=["a", "b"])
    fig = charts.grouped_bars_figure(values, NAMES, {"x": "X", "y": "Y"}, axis_title="P")
    assert [t.name for t in fig.data] == ["X", "Y"]
    assert list(fig.data[1].y) == [10.0, 2.5]
    assert list(fig.data[0].x) == ["Alfa", "Beta"]


def test_tau_heatmap_shows_values_and_a_dash_where_undefined():
    tau = pd.DataFrame([[1.0, 0.5], [0.5, math.nan]], index=["p", "q"], columns=["p", "q"])
    with speaking("en"):
        fig = charts.tau_heatmap_figure(tau, {"p": "P", "q": "Q"}, colour_title="τ")
    with speaking("nb"):
        norwegian = charts.tau_heatmap_figure(tau, {"p": "P", "q": "Q"}, colour_title="τ")
    assert norwegian.data[0].text[0][1] == "0,50"
    heat = fig.data[0]
    assert list(heat.x) == ["P", "Q"]
    np.testing.assert_array_equal(np.asarray(heat.z, dtype=float)[0], [1.0, 0.5])
    assert heat.text[0][1] == "0.50"
    assert heat.text[1][1] == "–"
    assert (heat.zmin, heat.zmax) == (-1, 1)


def test_a_ranking_figure_refilled_with_other_points_is_the_one_drawn_anew():
    parts = {"LANG": "Kvalitet – Språk", "PRICE": "Pris"}
    criterion = {"LANG": "quality", "PRICE": "price"}

    def ranking(points: dict[str, tuple[float, float]]) -> tuple[pd.DataFrame, pd.Series]:
        contributions = pd.DataFrame(points, index=list(parts)).T
        total = contributions.sum(axis=1)
        return contributions, total

    def draw(contributions, total):
        rank = total.rank(ascending=False, method="min").astype(int)
        return charts.ranking_figure(
            contributions, total, rank, NAMES, parts, criterion, axis_title="Poeng"
        ), rank

    first, _ = draw(*ranking({"a": (40.0, 20.0), "b": (10.0, 30.0), "c": (5.0, 5.0)}))
    contributions, total = ranking({"a": (10.0, 5.0), "b": (60.0, 55.0), "c": (5.0, 50.0)})
    anew, rank = draw(contributions, total)
    charts.refill_ranking_figure(first, contributions, total, rank, NAMES, parts)
    assert first.to_plotly_json() == anew.to_plotly_json()
    assert list(first.data[0].y) == ["1. Beta", "2. Gamma", "3. Alfa"]
    assert first.layout.xaxis.range == (0, 115.0 * 1.1)
