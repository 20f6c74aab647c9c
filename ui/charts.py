"""Plotly figure builders: pure functions from data and already translated labels.

They take no Streamlit state, so tests check them through ``fig.data``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

# Colour families by award criterion: quality in blues, price in amber, environment in green.
CRITERION_PALETTES: dict[str, list[str]] = {
    "quality": ["#0B3C5D", "#1F5F8B", "#3A7CA5", "#5E9CC2", "#86B8D8", "#B3D4EA", "#D5E7F3"],
    "price": ["#D08C1F"],
    "environment": ["#2E7D4F", "#5DA271", "#8FC79B"],
}
FALLBACK_COLOUR = "#8A96A3"
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14, color="#1D2730")


def part_colours(part_criterion: Mapping[str, str]) -> dict[str, str]:
    """A colour per part, shaded within its criterion's family."""
    colours: dict[str, str] = {}
    used: dict[str, int] = {}
    for part, criterion in part_criterion.items():
        palette = CRITERION_PALETTES.get(criterion, [FALLBACK_COLOUR])
        index = used.get(criterion, 0)
        colours[part] = palette[index % len(palette)]
        used[criterion] = index + 1
    return colours


def ranking_figure(
    contributions: pd.DataFrame,
    total: pd.Series,
    rank: pd.Series,
    offer_labels: Mapping[str, str],
    part_labels: Mapping[str, str],
    part_criterion: Mapping[str, str],
    *,
    axis_title: str,
    format_number: Callable[[float], str] = "{:.1f}".format,
) -> go.Figure:
    """Horizontal bars of total points, best on top, each stacked by part.

    One trace per part (category or price), in ``part_labels`` order; hovering shows the
    part's points for that offer.
    """
    order = rank.sort_values(kind="stable").index.tolist()
    names = [f"{int(rank[o])}. {offer_labels.get(o, o)}" for o in order]
    colours = part_colours(part_criterion)
    fig = go.Figure()
    for part, label in part_labels.items():
        if part not in contributions.columns:
            continue
        values = contributions.loc[order, part]
        fig.add_trace(
            go.Bar(
                name=label,
                y=names,
                x=values.round(2).tolist(),
                orientation="h",
                marker_color=colours.get(part, FALLBACK_COLOUR),
                customdata=[label] * len(order),
                hovertemplate="%{y}<br>%{customdata}: %{x:.1f}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=total.loc[order].tolist(),
            y=names,
            mode="text",
            text=[format_number(total[o]) for o in order],
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        barmode="stack",
        font=FONT,
        xaxis=dict(
            title=axis_title, range=[0, max(100.0, float(total.max() if len(total) else 0) * 1.1)]
        ),
        yaxis=dict(autorange="reversed"),
        legend=dict(
            orientation="h", traceorder="normal", yanchor="bottom", y=1.02, xanchor="left", x=0
        ),
        margin=dict(l=10, r=40, t=10, b=10),
        height=200 + 56 * max(len(order), 1),
        plot_bgcolor="#FFFFFF",
    )
    return fig


def heatmap_figure(
    scores: pd.DataFrame,
    hover: pd.DataFrame,
    offer_labels: Mapping[str, str],
    *,
    colour_title: str,
) -> go.Figure:
    """Offers (rows) × requirements (columns) coloured by score 0–10, with hover text."""
    rows = [offer_labels.get(o, o) for o in scores.index]
    fig = go.Figure(
        go.Heatmap(
            z=scores.to_numpy(),
            x=list(scores.columns),
            y=rows,
            zmin=0,
            zmax=10,
            colorscale=[[0.0, "#B2182B"], [0.5, "#F7F4E9"], [1.0, "#1F5F8B"]],
            colorbar=dict(title=colour_title),
            text=hover.to_numpy(),
            hovertemplate="%{text}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    fig.update_layout(
        font=FONT,
        xaxis=dict(tickangle=-60, tickfont=dict(size=11)),
        margin=dict(l=10, r=10, t=10, b=10),
        height=160 + 48 * len(rows),
        plot_bgcolor="#FFFFFF",
    )
    return fig


def wrap(text: str, width: int = 60) -> str:
    """Break a long text into lines for a hover label."""
    import textwrap

    return "<br>".join(textwrap.wrap(text, width)) if text else ""


def labels_in_order(ids: Sequence[str], names: Mapping[str, str]) -> dict[str, str]:
    """An ordered id -> label mapping."""
    return {i: names.get(i, i) for i in ids}


def spread_heatmap_figure(
    spread: pd.DataFrame,
    hover: pd.DataFrame,
    offer_labels: Mapping[str, str],
    *,
    colour_title: str,
    zmax: float,
) -> go.Figure:
    """Offers (rows) × requirements (columns) coloured by how far the evaluators spread:
    white where they agree, dark where they differ most. Empty where nobody scored."""
    rows = [offer_labels.get(o, o) for o in spread.index]
    fig = go.Figure(
        go.Heatmap(
            z=spread.to_numpy(dtype=float),
            x=list(spread.columns),
            y=rows,
            zmin=0,
            zmax=zmax,
            colorscale=[[0.0, "#FFFFFF"], [0.35, "#F6D28B"], [0.7, "#D9772B"], [1.0, "#8C2D04"]],
            colorbar=dict(title=colour_title),
            text=hover.to_numpy(),
            hovertemplate="%{text}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    fig.update_layout(
        font=FONT,
        xaxis=dict(tickangle=-60, tickfont=dict(size=11)),
        yaxis=dict(autorange="reversed"),
        margin=dict(l=10, r=10, t=10, b=10),
        height=160 + 48 * len(rows),
        plot_bgcolor="#F2F2F2",
    )
    return fig


def agreement_figure(
    w: Mapping[str, float],
    labels: Mapping[str, str],
    *,
    axis_title: str,
    format_number: Callable[[float], str] = "{:.2f}".format,
) -> go.Figure:
    """Horizontal bars of Kendall's W (0–1) per category, in the order given; a category
    where W cannot be computed gets no bar and the text "–"."""
    ids = list(w)
    values = [None if w[i] != w[i] else float(w[i]) for i in ids]  # NaN -> gap
    names = [labels.get(i, i) for i in ids]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            marker_color="#1F5F8B",
            text=["–" if v is None else format_number(v) for v in values],
            textposition="outside",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        font=FONT,
        xaxis=dict(title=axis_title, range=[0, 1.12]),
        yaxis=dict(autorange="reversed"),
        margin=dict(l=10, r=10, t=10, b=10),
        height=120 + 40 * len(ids),
        plot_bgcolor="#FFFFFF",
    )
    return fig
