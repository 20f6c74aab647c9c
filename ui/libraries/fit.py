"""Each offer's fit with each library: the rows' order, the heatmap, the tables beside it
and the sentences that say what they show."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from analysis.library_fit import GROUP, OWN, LibraryFit
from scoring.library_fit import WorstServed
from ui import charts, labels
from ui.i18n import N_, _
from ui.robustness import group_name

ORDERS = {
    "group": N_("Library group"),
    "region": N_("Region"),
    "name": N_("Name"),
    "leader": N_("Fit with the leading offer, lowest first"),
}
FIT_COLOURS = [[0.0, "#B2182B"], [0.5, "#F7F4E9"], [1.0, "#1F5F8B"]]


def group_names(result: LibraryFit) -> dict[str, str]:
    """Group id -> name in the current language."""
    return {str(row["id"]): group_name(row) for row in result.groups.to_dict("records")}


def library_rows(result: LibraryFit, order: str, leader: str) -> pd.DataFrame:
    """The libraries in the chosen order: id, label (unique), group name, weights' source."""
    groups = group_names(result)
    position = {g: i for i, g in enumerate(groups)}
    table = result.libraries.assign(
        group_name=[groups.get(g, "–") for g in result.libraries["group"]],
        group_order=[position.get(g, len(position)) for g in result.libraries["group"]],
        leader_fit=[
            float(result.fit.at[i, leader]) if leader in result.fit.columns else 0.0
            for i in result.libraries["id"]
        ],
    )
    keys = {
        "group": ["group_order", "name"],
        "region": ["region", "name"],
        "name": ["name"],
        "leader": ["leader_fit", "name"],
    }[order]
    table = table.sort_values(keys, kind="stable").reset_index(drop=True)
    repeated = table["name"].duplicated(keep=False)
    table["label"] = table["name"].where(~repeated, table["name"] + " (" + table["id"] + ")")
    return table


def source_name(source: object) -> str:
    """Where one library's weights come from, in words."""
    if source == OWN:
        return _("Its own answers")
    if source == GROUP:
        return _("Its group's weights")
    return _("The published weights")


def fit_heatmap(
    result: LibraryFit, rows: pd.DataFrame, offer_names: Mapping[str, str]
) -> go.Figure:
    """Libraries (rows, in order, named on the axis) × offers, coloured by fit 0–100 (red
    low, blue high), with the number in each cell (so no colour scale beside it, which
    would take the cells' room); the figure grows with the rows."""
    fit = result.fit.loc[list(rows["id"])]
    names = [offer_names.get(o, o) for o in fit.columns]
    text = [[labels.number(v, 0) for v in row] for row in fit.to_numpy(dtype=float)]
    fig = go.Figure(
        go.Heatmap(
            z=fit.to_numpy(dtype=float),
            x=names,
            y=list(rows["label"]),
            zmin=0,
            zmax=100,
            colorscale=FIT_COLOURS,
            showscale=False,
            text=text,
            texttemplate="%{text}",
            customdata=[[g] * len(names) for g in rows["group_name"]],
            hovertemplate="%{y} (%{customdata}) · %{x}: %{text}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    fig.update_layout(
        font=charts.FONT,
        xaxis=dict(side="top", tickangle=-30, tickfont=dict(size=12)),
        yaxis=dict(autorange="reversed", tickfont=dict(size=11), type="category"),
        margin=dict(l=10, r=10, t=40, b=10),
        height=120 + 22 * len(rows),
        plot_bgcolor="#FFFFFF",
    )
    return fig


def fit_numbers(
    result: LibraryFit, rows: pd.DataFrame, offer_names: Mapping[str, str]
) -> pd.DataFrame:
    """The heatmap's numbers as a table, in the same order, with each library's group and
    where its weights come from."""
    fit = result.fit.loc[list(rows["id"])].round(1)
    table = pd.DataFrame(
        {
            _("Library"): rows["label"].to_numpy(),
            _("Library group"): rows["group_name"].to_numpy(),
            _("Weights"): [source_name(s) for s in rows["source"]],
        }
    )
    for offer in fit.columns:
        table[offer_names.get(offer, offer)] = fit[offer].to_numpy()
    return table


def choices_table(
    result: LibraryFit, offer_names: Mapping[str, str], library_names: Mapping[str, str]
) -> pd.DataFrame:
    """One row per offer: its average and lowest fit, the library it serves worst, and how
    many libraries have it first."""
    summary = result.summary
    worst_library = result.fit.round(9).idxmin(axis=0)
    return pd.DataFrame(
        [
            {
                _("Offer"): offer_names.get(o, o),
                _("Average fit"): round(float(summary.average[o]), 1),
                _("Lowest fit"): round(float(summary.worst[o]), 1),
                _("Served worst"): library_names.get(worst_library[o], worst_library[o]),
                _("Libraries with it first"): int(summary.first_counts[o]),
            }
            for o in result.fit.columns
        ]
    )


def _names(offers: list[str], offer_names: Mapping[str, str]) -> str:
    named = [f"**{offer_names.get(o, o)}**" for o in offers]
    if len(named) == 1:
        return named[0]
    return _("{offers} (a tie)").format(offers=", ".join(named))


def leader(ranks: pd.Series | None, result: LibraryFit) -> tuple[str, bool]:
    """The offer whose worst-served library is named, and whether it leads the published
    ranking: the published leader where the ranking may be shown (``ranks``, else None),
    else the choice under the average fit."""
    if ranks is not None:
        return str(ranks.sort_values(kind="stable").index[0]), True
    return result.summary.average_choice[0], False


def choice_sentence(result: LibraryFit, offer_names: Mapping[str, str]) -> str:
    """One sentence: who the average-fit and max-min choices are, and whether they agree."""
    summary = result.summary
    text = _(
        "Each cell is how well an offer's quality points fit one library's own priorities "
        "(0–100). Under the average fit the consortium would choose {average}; under "
        "max-min (the offer whose worst-served library is served best) {maxmin}."
    ).format(
        average=_names(summary.average_choice, offer_names),
        maxmin=_names(summary.maxmin_choice, offer_names),
    )
    agreement = _("The two choices agree.") if summary.agree else _("The two choices differ.")
    return f"{text} {agreement}"


def worst_served_sentence(
    worst: WorstServed,
    leader: str,
    leader_is_published: bool,
    offer_names: Mapping[str, str],
    library_names: Mapping[str, str],
) -> str:
    """The library the leading offer serves worst, and by how much."""
    which = (
        _("the leader of the published ranking")
        if leader_is_published
        else _("the choice under the average fit")
    )
    return _(
        "**{offer}** ({which}) serves **{library}** worst: a fit of {fit}, {gap} points "
        "below the {best} of that library's own first choice."
    ).format(
        offer=offer_names.get(leader, leader),
        which=which,
        library=library_names.get(worst.library, worst.library),
        fit=labels.number(worst.fit, 1),
        gap=labels.number(worst.shortfall, 1),
        best=labels.number(worst.best_fit, 1),
    )
