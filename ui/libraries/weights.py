"""The library groups' weights from their libraries' answers, beside the published ones:
where each group's weights come from, and how far the published weights lie from them."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.library_fit import INPUT, PROFILE, PUBLISHED, LibraryFit
from scoring.library_weights import category_totals
from ui import charts, labels
from ui.i18n import _
from ui.robustness import group_name


def source_text(row: dict[str, object]) -> str:
    """Where a group's weights come from, in words."""
    if row["source"] == INPUT:
        return _("{answered} of {count} libraries' answers").format(
            answered=row["answered"], count=row["libraries"]
        )
    if row["source"] == PROFILE:
        return _("Hand-set profile “{profile}” (no answers yet)").format(
            profile=row["profile_name"]
        )
    return _("The published profile (no answers, no profile of its own)")


def groups_table(result: LibraryFit) -> pd.DataFrame:
    """One row per group: its libraries, where its weights come from, and the share of
    the quality weight that must move to turn the published weights into the group's."""
    return pd.DataFrame(
        [
            {
                _("Library group"): group_name(row),
                _("Libraries"): int(row["libraries"]),
                _("Answered"): int(row["answered"]),
                _("Weights from"): source_text(row),
                _("Weight moved from the published (%)"): round(100 * float(row["moved"]), 1),
            }
            for row in result.groups.to_dict("records")
        ]
    )


def category_table(result: LibraryFit, category_names: dict[str, str]) -> pd.DataFrame:
    """Each quality category's share of the quality weight (%), published and per group."""
    columns = {_("Published"): result.published_shares}
    for row in result.groups.to_dict("records"):
        columns[group_name(row)] = result.group_shares.loc[str(row["id"])]
    table = pd.DataFrame(
        {name: 100 * category_totals(shares, result.scope) for name, shares in columns.items()}
    ).round(1)
    table.index = [category_names.get(str(c), str(c)) for c in table.index]
    return table.rename_axis(_("Category")).reset_index()


def moved_figure(result: LibraryFit) -> go.Figure:
    """One bar per group: the share of the quality weight moved from the published."""
    names = [group_name(row) for row in result.groups.to_dict("records")]
    values = (100 * result.groups["moved"].astype(float)).round(1).tolist()
    fig = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            marker_color=charts.OFFER_COLOURS[0],
            text=[labels.number(v, 1) + " %" for v in values],
            textposition="outside",
            hovertemplate="%{y}: %{x:.1f} %<extra></extra>",
        )
    )
    fig.update_layout(
        font=charts.FONT,
        xaxis=dict(title=_("Share of the quality weight moved (%)"), range=[0, 100]),
        yaxis=dict(autorange="reversed"),
        margin=dict(l=10, r=10, t=10, b=10),
        height=120 + 40 * len(names),
        plot_bgcolor="#FFFFFF",
    )
    return fig


def sources_sentence(result: LibraryFit) -> str:
    """Which groups' weights come from the input round and which are hand-set."""
    rows = result.groups.to_dict("records")
    derived = [group_name(r) for r in rows if r["source"] == INPUT]
    hand_set = [group_name(r) for r in rows if r["source"] == PROFILE]
    published = [group_name(r) for r in rows if r["source"] == PUBLISHED]
    parts = []
    if derived:
        parts.append(
            _("Weights from the libraries' answers in the input round: {groups}.").format(
                groups=", ".join(derived)
            )
        )
    if hand_set:
        parts.append(
            _(
                "Hand-set weight profiles, as no library in the group has answered: {groups}."
            ).format(groups=", ".join(hand_set))
        )
    if published:
        parts.append(
            _(
                "The published weights, as no library in the group has answered and the"
                " group has no weight profile of its own: {groups}."
            ).format(groups=", ".join(published))
        )
    return " ".join(parts)


def group_source(result: LibraryFit, group: str) -> str:
    """Where one group's weights come from, in words."""
    rows = result.groups[result.groups["id"].astype(str) == group].to_dict("records")
    return source_text(rows[0]) if rows else ""
