"""Plotly figure builders: pure functions from data and already translated labels.

They take no Streamlit state, so tests check them through ``fig.data``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from scoring.scales import MAX_POINTS, TOTAL_POINTS
from ui import numbers
from ui.colours import DARK_TEXT, text_colour

# Colour families by award criterion: quality in blues, price in amber, environment in green.
CRITERION_PALETTES: dict[str, list[str]] = {
    "quality": ["#0B3C5D", "#1F5F8B", "#3A7CA5", "#5E9CC2", "#86B8D8", "#B3D4EA", "#D5E7F3"],
    "price": ["#D08C1F"],
    "environment": ["#2E7D4F", "#5DA271", "#8FC79B"],
}
FALLBACK_COLOUR = "#8A96A3"
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14, color=DARK_TEXT)
BACKGROUND = "#FFFFFF"
GRID = "#D5DBE1"

# Every chart's template: dark text on white (15:1) for titles, ticks, legends, colour
# bars and hover labels. Pages draw the figures with Streamlit's theme off, so these hold.
HOUSE_TEMPLATE = go.layout.Template(
    layout=dict(
        font=FONT,
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        xaxis=dict(gridcolor=GRID, linecolor=DARK_TEXT, zerolinecolor=GRID, automargin=True),
        yaxis=dict(gridcolor=GRID, linecolor=DARK_TEXT, zerolinecolor=GRID, automargin=True),
        legend=dict(font=dict(color=DARK_TEXT)),
        hoverlabel=dict(bgcolor=BACKGROUND, bordercolor=DARK_TEXT, font=dict(color=DARK_TEXT)),
        uniformtext=dict(minsize=11, mode="hide"),
    )
)


def house_layout() -> dict[str, Any]:
    """The layout every chart starts from: the template, and the current language's
    decimal mark and thousands separator for every number plotly writes."""
    return dict(template=HOUSE_TEMPLATE, separators=numbers.plotly_separators())


def _plain_layout_legend_on_top(fig: go.Figure, **layout: Any) -> None:
    """Lay ``fig`` out in the house style, with the legend in a row above the plot."""
    fig.update_layout(
        **house_layout(),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        **layout,
    )


# --- one colour per offer -------------------------------------------------------------

# Okabe and Ito's palette for colour-blind readers (without its yellow, too light on white),
# checked in tests/test_colours.py: every two stay at least OFFER_MIN_DISTANCE apart (CIE
# ΔE*ab) in normal vision and simulated protanopia and deuteranopia.
OFFER_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"]
OFFER_MIN_DISTANCE = 15.0
# Beside colour, each offer has its own marker and fill pattern, so colour never tells alone.
OFFER_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "pentagon"]
OFFER_PATTERNS = ["", "/", "\\", "x", ".", "-", "|", "+"]


def _pattern_over(shape: str, ink: str) -> dict[str, Any]:
    """A fill pattern drawn thinly over a bar's own colour, in its text's colour."""
    return dict(shape=shape, fillmode="overlay", fgcolor=ink, fgopacity=0.3, size=10, solidity=0.15)


def offer_colours(offers: Sequence[str]) -> dict[str, str]:
    """Offer id -> its colour, by its place in ``offers``: every offer of the tender in
    the store's order (``labels.offer_labels``), so the same offer has the same colour on
    every page and chart, whichever offers a chart leaves out."""
    return {o: OFFER_COLOURS[i % len(OFFER_COLOURS)] for i, o in enumerate(offers)}


def _offer_index(offers: Sequence[str], offer: str) -> int:
    return list(offers).index(offer) if offer in offers else len(offers)


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


@dataclass(frozen=True)
class _RankingValues:
    """What a change of weights changes in the ranking figure."""

    names: list[str]  # "rank. vendor", best first
    points: list[list[float]]  # each part's points, in the order of names
    totals: list[float]
    texts: list[str]  # the totals as written beside the bars
    top: float  # where the points axis ends


def _ranked_parts(part_labels: Mapping[str, str], contributions: pd.DataFrame) -> list[str]:
    return [part for part in part_labels if part in contributions.columns]


def _ranking_values(
    contributions: pd.DataFrame,
    total: pd.Series,
    rank: pd.Series,
    offer_labels: Mapping[str, str],
    parts: list[str],
    format_number: Callable[[float], str],
) -> _RankingValues:
    position = np.argsort(rank.to_numpy(), kind="stable")
    order = rank.index[position].tolist()
    ranks = rank.to_numpy()[position]
    values = contributions.reindex(index=order)
    column = {part: j for j, part in enumerate(values.columns)}
    points = values.to_numpy(dtype=float).round(2)
    totals = total.reindex(order)
    return _RankingValues(
        names=[f"{int(r)}. {offer_labels.get(o, o)}" for o, r in zip(order, ranks, strict=True)],
        points=[points[:, column[part]].tolist() for part in parts],
        totals=totals.tolist(),
        texts=[format_number(v) for v in totals],
        top=max(TOTAL_POINTS, float(total.max() if len(total) else 0) * 1.1),
    )


def ranking_figure(
    contributions: pd.DataFrame,
    total: pd.Series,
    rank: pd.Series,
    offer_labels: Mapping[str, str],
    part_labels: Mapping[str, str],
    part_criterion: Mapping[str, str],
    *,
    axis_title: str,
    format_number: Callable[[float], str] = numbers.number,
) -> go.Figure:
    """Horizontal bars of total points, best on top, each stacked by part.

    One trace per part (category or price), in ``part_labels`` order; hovering shows the
    part's points for that offer.
    """
    parts = _ranked_parts(part_labels, contributions)
    values = _ranking_values(contributions, total, rank, offer_labels, parts, format_number)
    colours = part_colours(part_criterion)
    traces: list[dict[str, object]] = [
        dict(
            type="bar",
            name=part_labels[part],
            y=values.names,
            x=points,
            orientation="h",
            marker=dict(color=colours.get(part, FALLBACK_COLOUR)),
            customdata=[part_labels[part]] * len(values.names),
            hovertemplate="%{y}<br>%{customdata}: %{x:.1f}<extra></extra>",
        )
        for part, points in zip(parts, values.points, strict=True)
    ]
    traces.append(
        dict(
            type="scatter",
            x=values.totals,
            y=values.names,
            mode="text",
            text=values.texts,
            textposition="middle right",
            textfont=dict(color=DARK_TEXT),
            showlegend=False,
            hoverinfo="skip",
        )
    )
    # Built in one go: adding traces one by one costs a copy of the figure each time.
    return go.Figure(
        data=traces,
        layout=dict(
            **house_layout(),
            barmode="stack",
            xaxis=dict(title=dict(text=axis_title), range=[0, values.top]),
            yaxis=dict(autorange="reversed"),
            legend=dict(
                orientation="h", traceorder="normal", yanchor="bottom", y=1.02, xanchor="left", x=0
            ),
            margin=dict(l=10, r=40, t=10, b=10),
            height=200 + 56 * max(len(values.names), 1),
        ),
    )


def refill_ranking_figure(
    figure: go.Figure,
    contributions: pd.DataFrame,
    total: pd.Series,
    rank: pd.Series,
    offer_labels: Mapping[str, str],
    part_labels: Mapping[str, str],
    *,
    format_number: Callable[[float], str] = numbers.number,
) -> None:
    """Put other points into a figure ``ranking_figure`` drew of the same parts, offers and
    labels: the figure it would draw now, for a fraction of the cost of a new one."""
    parts = _ranked_parts(part_labels, contributions)
    values = _ranking_values(contributions, total, rank, offer_labels, parts, format_number)
    traces = list(range(len(parts) + 1))  # the bars, then the totals beside them
    figure.plotly_restyle(
        {"x": [*values.points, values.totals], "y": [values.names] * len(traces)}, traces
    )
    figure.plotly_restyle({"text": [values.texts]}, [traces[-1]])
    figure.plotly_relayout({"xaxis.range": [0, values.top]})


SCORE_COLOURS = [[0.0, "#B2182B"], [0.5, "#F7F4E9"], [1.0, "#1F5F8B"]]
SPREAD_COLOURS = [[0.0, "#FFFFFF"], [0.35, "#F6D28B"], [0.7, "#D9772B"], [1.0, "#8C2D04"]]


def _offer_heatmap(
    values: pd.DataFrame,
    hover: pd.DataFrame,
    offer_labels: Mapping[str, str],
    *,
    colour_title: str,
    zmax: float,
    colourscale: list[list[object]],
    background: str,
) -> go.Figure:
    """Offers (rows, first on top) × requirements (columns), with a hover text per cell."""
    rows = [offer_labels.get(o, o) for o in values.index]
    fig = go.Figure(
        go.Heatmap(
            z=values.to_numpy(dtype=float),
            x=list(values.columns),
            y=rows,
            zmin=0,
            zmax=zmax,
            colorscale=colourscale,
            colorbar=dict(title=colour_title),
            text=hover.to_numpy(),
            hovertemplate="%{text}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    fig.update_layout(
        **house_layout(),
        xaxis=dict(tickangle=-60, tickfont=dict(size=11)),
        yaxis=dict(autorange="reversed"),
        margin=dict(l=10, r=10, t=10, b=10),
        height=160 + 48 * len(rows),
        plot_bgcolor=background,
    )
    return fig


def heatmap_figure(
    scores: pd.DataFrame,
    hover: pd.DataFrame,
    offer_labels: Mapping[str, str],
    *,
    colour_title: str,
) -> go.Figure:
    """Offers × requirements coloured by score 0–10: red low, blue high."""
    return _offer_heatmap(
        scores,
        hover,
        offer_labels,
        colour_title=colour_title,
        zmax=MAX_POINTS,
        colourscale=SCORE_COLOURS,
        background="#FFFFFF",
    )


def wrap(text: str, width: int = 60) -> str:
    """Break a long text into lines for a hover label."""
    import textwrap

    return "<br>".join(textwrap.wrap(text, width)) if text else ""


def labels_in_order(ids: Sequence[str], names: Mapping[str, str]) -> dict[str, str]:
    """An ordered id -> label mapping."""
    return {i: names.get(i, i) for i in ids}


COST_COLOURS = {"one_time": "#8C5A0B", "yearly_total": "#D08C1F", "options": "#F2D29B"}
# Series that are not offers (price models, methods): blues and greys, each with a pattern.
SERIES_COLOURS = ["#0B3C5D", "#86B8D8", "#5E6C78", "#3A7CA5", "#C9DDEB", "#1D2730", "#B3BCC5"]
SERIES_PATTERNS = ["", "/", ".", "x", "\\", "-", "+"]


def cost_figure(
    costs: pd.DataFrame,
    offer_labels: Mapping[str, str],
    part_labels: Mapping[str, str],
    *,
    axis_title: str,
    format_number: Callable[[float], str] = numbers.number_whole,
) -> go.Figure:
    """Total cost per offer as horizontal bars, cheapest on top, stacked by cost type.

    ``part_labels`` names the columns of ``costs`` to draw, in order: one_time and
    yearly_total make the scored total; options, if named, are drawn hatched after it,
    apart from what is scored. The scored total is written at the end of its bar.
    """
    order = costs["total"].sort_values(kind="stable").index.tolist()
    names = [offer_labels.get(o, o) for o in order]
    fig = go.Figure()
    for part, label in part_labels.items():
        is_option = part == "options"
        fig.add_trace(
            go.Bar(
                name=label,
                y=names,
                x=costs.loc[order, part].round(0).tolist(),
                orientation="h",
                marker=dict(
                    color=COST_COLOURS.get(part, FALLBACK_COLOUR),
                    pattern=dict(shape="/" if is_option else "", fgcolor="#8C5A0B"),
                ),
                customdata=[format_number(v) for v in costs.loc[order, part]],
                hovertemplate="%{y}<br>" + label + ": %{customdata}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=costs.loc[order, "total"].tolist(),
            y=names,
            mode="text",
            text=[format_number(v) for v in costs.loc[order, "total"]],
            textposition="middle left",
            # The total sits on the end of the yearly costs' bar.
            textfont=dict(color=text_colour(COST_COLOURS["yearly_total"])),
            showlegend=False,
            hoverinfo="skip",
        )
    )
    _plain_layout_legend_on_top(
        fig,
        barmode="stack",
        xaxis=dict(title=axis_title, tickformat=numbers.AXIS_WHOLE),
        yaxis=dict(autorange="reversed"),
        margin=dict(l=10, r=20, t=10, b=10),
        height=200 + 52 * max(len(order), 1),
    )
    return fig


def rank_lines_figure(
    ranks: pd.DataFrame,
    offer_labels: Mapping[str, str],
    column_labels: Mapping[str, str],
    *,
    axis_title: str,
) -> go.Figure:
    """The rank each offer gets under each column (a model or a method), as lines.

    ``ranks`` is offers × columns; the x axis follows ``column_labels`` order; rank 1 is
    on top. One trace per offer, named by its label, in the offer's colour and with its own
    marker; ``offer_labels`` holds every offer of the tender in the store's order.
    """
    columns = [c for c in column_labels if c in ranks.columns]
    x = [column_labels[c] for c in columns]
    everyone = list(offer_labels)
    colours = offer_colours(everyone)
    fig = go.Figure()
    for offer in ranks.index:
        index = _offer_index(everyone, offer)
        fig.add_trace(
            go.Scatter(
                name=offer_labels.get(offer, offer),
                meta={"offer": offer},
                x=x,
                y=[int(ranks.at[offer, c]) for c in columns],
                mode="lines+markers",
                line=dict(color=colours.get(offer, FALLBACK_COLOUR), width=3),
                marker=dict(size=12, symbol=OFFER_SYMBOLS[index % len(OFFER_SYMBOLS)]),
                hovertemplate="%{fullData.name}<br>%{x}: %{y}<extra></extra>",
            )
        )
    top = int(ranks.to_numpy().max()) if ranks.size else 1
    _plain_layout_legend_on_top(
        fig,
        yaxis=dict(
            title=axis_title, autorange="reversed", dtick=1, range=[top + 0.5, 0.5], zeroline=False
        ),
        xaxis=dict(tickangle=0),
        margin=dict(l=10, r=10, t=10, b=10),
        height=360,
    )
    return fig


def grouped_bars_figure(
    values: pd.DataFrame,
    offer_labels: Mapping[str, str],
    column_labels: Mapping[str, str],
    *,
    axis_title: str,
) -> go.Figure:
    """Values per offer (x) and column (one trace per column, in ``column_labels`` order)."""
    x = [offer_labels.get(o, o) for o in values.index]
    fig = go.Figure()
    for i, (column, label) in enumerate(column_labels.items()):
        if column not in values.columns:
            continue
        fig.add_trace(
            go.Bar(
                name=label,
                x=x,
                y=values[column].round(2).tolist(),
                marker=dict(
                    color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                    pattern=_pattern_over(
                        SERIES_PATTERNS[i % len(SERIES_PATTERNS)],
                        text_colour(SERIES_COLOURS[i % len(SERIES_COLOURS)]),
                    ),
                ),
                hovertemplate="%{x}<br>" + label + ": %{y:.2f}<extra></extra>",
            )
        )
    _plain_layout_legend_on_top(
        fig,
        barmode="group",
        yaxis=dict(title=axis_title),
        margin=dict(l=10, r=10, t=10, b=10),
        height=380,
    )
    return fig


# Light at both ends, so the dark numbers in the cells read at 4.5:1 or better everywhere.
TAU_COLOURS = [[0.0, "#F4A582"], [0.5, "#F7F4E9"], [1.0, "#92C5DE"]]


def tau_heatmap_figure(
    tau: pd.DataFrame,
    labels: Mapping[str, str],
    *,
    colour_title: str,
    format_number: Callable[[float], str] = numbers.number_2,
) -> go.Figure:
    """Kendall's tau between every two rankings, −1 (reversed) to 1 (the same order).

    Cells where tau is not defined show a dash.
    """
    names = [labels.get(c, c) for c in tau.columns]
    z = tau.to_numpy(dtype=float)
    text = [["–" if pd.isna(v) else format_number(v) for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=names,
            y=names,
            zmin=-1,
            zmax=1,
            colorscale=TAU_COLOURS,
            colorbar=dict(title=colour_title),
            text=text,
            texttemplate="%{text}",
            textfont=dict(color=DARK_TEXT),
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_layout(
        **house_layout(),
        yaxis=dict(autorange="reversed"),
        margin=dict(l=10, r=10, t=10, b=10),
        height=140 + 60 * len(names),
    )
    return fig


# --- robustness ---------------------------------------------------------------------------

# Rank 1 darkest; later ranks fade towards grey.
RANK_COLOURS = ["#0B3C5D", "#3A7CA5", "#86B8D8", "#C9DDEB", "#E3E8EC", "#EEF0F2"]
PERCENT_TICKS = [0, 20, 40, 60, 80, 100]


def rank_colour(rank_index: int) -> str:
    """The colour of rank ``rank_index + 1``."""
    return RANK_COLOURS[min(rank_index, len(RANK_COLOURS) - 1)]


def stacked_share_figure(
    shares: Sequence[Sequence[float]],
    row_labels: Sequence[str],
    segment_labels: Sequence[str],
    colours: Sequence[str],
    *,
    axis_title: str,
    patterns: Sequence[str] = ("",),
    offers: Sequence[str] | None = None,
) -> go.Figure:
    """Horizontal bars adding up to 100 %: one bar per row, one trace per segment.

    ``shares`` is rows × segments, each 0–1; the first row is drawn on top. Each segment
    writes its share inside in a colour chosen for contrast with its fill; ``patterns``
    marks the segments apart beside their colours. Where the segments are offers,
    ``offers`` holds their ids.
    """
    fig = go.Figure()
    for k, label in enumerate(segment_labels):
        values = [100.0 * float(row[k]) for row in shares]
        colour = colours[k % len(colours)]
        ink = text_colour(colour)
        pattern = patterns[k % len(patterns)]
        fig.add_trace(
            go.Bar(
                name=label,
                meta={"offer": offers[k]} if offers is not None else None,
                y=list(row_labels),
                x=[round(v, 2) for v in values],
                orientation="h",
                marker=dict(color=colour, pattern=_pattern_over(pattern, ink)),
                customdata=[label] * len(row_labels),
                text=[f"{numbers.number(v, 0)} %" if v >= 6 else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                insidetextfont=dict(color=ink),
                hovertemplate="%{y}<br>%{customdata}: %{x:.1f} %<extra></extra>",
            )
        )
    fig.update_layout(
        **house_layout(),
        barmode="stack",
        xaxis=dict(title=axis_title, range=[0, 101], tickvals=PERCENT_TICKS),
        yaxis=dict(autorange="reversed"),
        legend=dict(
            orientation="h", traceorder="normal", yanchor="bottom", y=1.02, xanchor="left", x=0
        ),
        margin=dict(l=10, r=10, t=10, b=10),
        height=170 + 48 * max(len(row_labels), 1),
    )
    return fig


def offer_share_figure(
    shares: Sequence[Sequence[float]],
    row_labels: Sequence[str],
    offers: Sequence[str],
    offer_labels: Mapping[str, str],
    *,
    axis_title: str,
) -> go.Figure:
    """``stacked_share_figure`` with a segment per offer (``offers``, in the order drawn),
    each in its own colour and pattern; ``offer_labels`` holds every offer of the tender
    in the store's order."""
    everyone = list(offer_labels)
    colours = offer_colours(everyone)
    places = [_offer_index(everyone, o) for o in offers]
    return stacked_share_figure(
        shares,
        row_labels,
        [offer_labels.get(o, o) for o in offers],
        [colours.get(o, FALLBACK_COLOUR) for o in offers],
        axis_title=axis_title,
        patterns=[OFFER_PATTERNS[p % len(OFFER_PATTERNS)] for p in places],
        offers=offers,
    )


def rank_acceptability_figure(
    acceptability: Sequence[Sequence[float]],
    offer_labels: Sequence[str],
    rank_labels: Sequence[str],
    *,
    axis_title: str,
) -> go.Figure:
    """SMAA rank acceptabilities: a bar per offer, a segment per rank, rank 1 darkest."""
    colours = [rank_colour(r) for r in range(len(rank_labels))]
    return stacked_share_figure(
        acceptability, offer_labels, rank_labels, colours, axis_title=axis_title
    )


def tornado_figure(
    rows: Sequence[str],
    current: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    overtakes: Sequence[Mapping[str, float]],
    *,
    axis_title: str,
    range_label: str,
    current_label: str,
    overtake_label: str,
    overtake_text: str = "{offer}: {share} %",
    format_number: Callable[[float], str] = numbers.number,
) -> go.Figure:
    """Weight stability: for each weight the range (0–100 %) in which the winner stays first.

    One bar per weight from ``low`` to ``high``, a diamond at the chosen weight, and a cross
    where another offer would overtake; its hover is ``overtake_text`` with {offer} and
    {share}. The first row is drawn on top.
    """
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name=range_label,
            y=list(rows),
            base=[100.0 * v for v in low],
            x=[100.0 * (h - lo) for lo, h in zip(low, high, strict=True)],
            orientation="h",
            marker_color="#86B8D8",
            hovertemplate="%{y}: %{base:.1f}–%{customdata:.1f} %<extra></extra>",
            customdata=[100.0 * v for v in high],
        )
    )
    fig.add_trace(
        go.Scatter(
            name=current_label,
            y=list(rows),
            x=[100.0 * v for v in current],
            mode="markers",
            marker=dict(symbol="diamond", size=13, color="#0B3C5D"),
            hovertemplate="%{y}: %{x:.1f} %<extra></extra>",
        )
    )
    points = [
        (row, 100.0 * t, who)
        for row, o in zip(rows, overtakes, strict=True)
        for who, t in o.items()
    ]
    fig.add_trace(
        go.Scatter(
            name=overtake_label,
            y=[p[0] for p in points],
            x=[p[1] for p in points],
            text=[overtake_text.format(offer=p[2], share=format_number(p[1])) for p in points],
            mode="markers",
            marker=dict(symbol="x-thin", size=12, line=dict(width=2, color="#B2182B")),
            hovertemplate="%{y}<br>%{text}<extra></extra>",
        )
    )
    _plain_layout_legend_on_top(
        fig,
        xaxis=dict(title=axis_title, range=[0, 101], tickvals=PERCENT_TICKS),
        yaxis=dict(autorange="reversed"),
        margin=dict(l=10, r=10, t=10, b=10),
        height=170 + 40 * max(len(rows), 1),
    )
    return fig


def spread_heatmap_figure(
    spread: pd.DataFrame,
    hover: pd.DataFrame,
    offer_labels: Mapping[str, str],
    *,
    colour_title: str,
    zmax: float,
) -> go.Figure:
    """Offers × requirements coloured by how far the evaluators spread: white where they
    agree, dark where they differ most. Empty (grey) where nobody scored."""
    return _offer_heatmap(
        spread,
        hover,
        offer_labels,
        colour_title=colour_title,
        zmax=zmax,
        colourscale=SPREAD_COLOURS,
        background="#F2F2F2",
    )


def agreement_figure(
    w: Mapping[str, float],
    labels: Mapping[str, str],
    *,
    axis_title: str,
    format_number: Callable[[float], str] = numbers.number_2,
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
            textfont=dict(color=DARK_TEXT),
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        **house_layout(),
        xaxis=dict(title=axis_title, range=[0, 1.12]),
        yaxis=dict(autorange="reversed"),
        margin=dict(l=10, r=10, t=10, b=10),
        height=120 + 40 * len(ids),
    )
    return fig
