"""The Innspill page's figures and tables: pure functions from the store's and the
analysis's tables and already translated labels (no Streamlit), tested through
``fig.data``."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from store.library_input import IMPORTANCE
from ui.charts import FONT

# From "not needed" (pale) to "essential" (dark).
IMPORTANCE_COLOURS = ["#D5E7F3", "#B3D4EA", "#86B8D8", "#3A7CA5", "#0B3C5D"]
STATUS_COLOURS = {"answered": "#2E7D4F", "sent": "#D08C1F", "not_sent": "#8A96A3"}


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        font=FONT,
        barmode="stack",
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        plot_bgcolor="#FFFFFF",
    )
    return fig


def status_by_region(status: pd.DataFrame) -> pd.DataFrame:
    """How many libraries of each region have answered, were sent the workbook or not:
    one row per region, a column per status (answered, sent, not_sent)."""
    counts = status.groupby(["region", "status"]).size().unstack("status", fill_value=0)
    counts = counts.reindex(columns=list(STATUS_COLOURS), fill_value=0)
    return counts.reset_index().rename_axis(columns=None)


def status_figure(counts: pd.DataFrame, status_labels: Mapping[str, str]) -> go.Figure:
    """Stacked bars per region: libraries answered, sent and not sent."""
    fig = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        fig.add_bar(
            y=counts["region"],
            x=counts[status],
            name=status_labels[status],
            orientation="h",
            marker_color=colour,
            text=counts[status],
        )
    return _layout(fig, 120 + 50 * len(counts))


def importance_table(
    dist: pd.DataFrame, level_labels: Mapping[int, str], group_column: str | None = None
) -> pd.DataFrame:
    """A distribution (``analysis.library_input.distribution``) as counts per importance,
    the answers and the mean, the columns named by ``level_labels``."""
    keys = [group_column] if group_column else ["item_id"]
    table = dist[[*keys, *(f"n_{v}" for v in IMPORTANCE), "answers", "mean"]].copy()
    table["mean"] = table["mean"].astype(float).round(2)
    return table.rename(columns={f"n_{v}": f"{v} {level_labels[v]}" for v in IMPORTANCE})


def importance_figure(
    dist: pd.DataFrame, bar_labels: list[str], level_labels: Mapping[int, str]
) -> go.Figure:
    """One stacked bar per row of ``dist`` (a group or an item), labelled ``bar_labels``:
    how many libraries gave each importance, 0 to 4."""
    fig = go.Figure()
    for value, colour in zip(IMPORTANCE, IMPORTANCE_COLOURS, strict=True):
        fig.add_bar(
            y=bar_labels,
            x=dist[f"n_{value}"],
            name=f"{value} {level_labels[value]}",
            orientation="h",
            marker_color=colour,
        )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, 140 + 34 * len(bar_labels))


def disagreement_figure(top: pd.DataFrame, bar_labels: list[str], title: str) -> go.Figure:
    """Horizontal bars: the spread between the highest and lowest group mean per item."""
    fig = go.Figure(
        go.Bar(
            y=bar_labels,
            x=top["spread"],
            orientation="h",
            marker_color="#1F5F8B",
            text=[f"{v:.2f}" for v in top["spread"]],
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=title, range=[0, 4])
    return _layout(fig, 140 + 34 * len(bar_labels))
