"""Robustness for the pages: how the draws are described, and the tables and shares the
Robustness page, the overview and the steering group's report show. The analyses
themselves are in ``analysis.robustness``, cached through ``ui.data``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from scoring.methods import PUBLISHED_METHOD
from scoring.procurement import ProcurementInputs
from scoring.smaa import DEFAULT_SAMPLES, DEFAULT_SEED, SmaaResult, WeightSampling
from scoring.stability import Stability
from scoring.stakeholders import GroupView
from ui import charts, labels, state, tables
from ui.i18n import N_, _, localized

SAMPLING_NAMES = {
    "dirichlet": N_("Around the chosen weights (Dirichlet)"),
    "box": N_("Within ± P % of each chosen weight (box)"),
    "uniform": N_("Uniform: every weighting equally likely"),
    "groups": N_("Around the library groups' weights"),
}
METHOD_NAMES = {
    "wsm": N_("The published model (weighted sum)"),
    "topsis": N_("TOPSIS (decision support)"),
}


def sampling_kinds(has_groups: bool) -> list[str]:
    """The ways of drawing weights on offer: around the groups only where there are some."""
    return [k for k in SAMPLING_NAMES if k != "groups" or has_groups]


def sampling_spec(kind: str, concentration: float, box_percent: float) -> str:
    """The sampling specification (``dirichlet:50``, ``box:20``, ...) from the choices."""
    if kind == "uniform":
        return "uniform"
    if kind == "box":
        return f"box:{int(box_percent)}"
    return f"{kind}:{int(concentration)}"


def offers_in_order(rank: pd.Series, alternatives: Sequence[str]) -> list[str]:
    """The offers of an SMAA result in the order of a ranking, best first."""
    return [str(o) for o in rank.sort_values(kind="stable").index if o in alternatives]


def rank_acceptability_chart(
    result: SmaaResult, rank: pd.Series, names: dict[str, str]
) -> go.Figure:
    """Each offer's share of the draws at each rank, the offers in the order of ``rank``."""
    order = offers_in_order(rank, result.alternatives)
    rows = [result.alternatives.index(o) for o in order]
    return charts.rank_acceptability_figure(
        result.rank_acceptability[rows].tolist(),
        [names.get(o, o) for o in order],
        [_("Rank {rank}").format(rank=r + 1) for r in range(len(result.alternatives))],
        axis_title=_("Share of the draws (%)"),
    )


def group_rows(groups: pd.DataFrame) -> dict[str, dict[str, object]]:
    """The stakeholder groups' rows by id."""
    return {str(r["id"]): r for r in groups.to_dict("records")}


def groups_sentence(views: list[GroupView], overall: str, names: dict[str, str]) -> str:
    """For how many library groups the overall winner stays first under their own weights."""
    return _(
        "**{vendor}** is first for {held} of {total} library groups under their own weights."
    ).format(vendor=names.get(overall, overall), held=sum(v.holds for v in views), total=len(views))


def group_bars(views: list[GroupView], rows: dict[str, dict[str, object]]) -> list[str]:
    """The bars of the groups' chart: each group, then all groups together."""
    return [group_name(rows[v.group]) for v in views] + [_("All groups together")]


def first_rank_shares(
    views: list[GroupView], mixture: SmaaResult, offers: Sequence[str]
) -> list[list[float]]:
    """Per library group, then all groups together: each offer's share of first places."""
    shares = [[float(v.first_rank.get(o, 0.0)) for o in offers] for v in views]
    shares.append([mixture.first_rank(o) for o in offers])
    return shares


def shares_table(
    shares: list[list[float]], bars: list[str], offers: Sequence[str], names: dict[str, str]
) -> pd.DataFrame:
    """``first_rank_shares`` as a table in per cent: a row per bar, a column per offer."""
    frame = pd.DataFrame(shares, index=bars, columns=[names.get(o, o) for o in offers]) * 100
    return tables.labelled_matrix(frame, _("Library group"), digits=1)


def sampling_description(sampling: str) -> str:
    """How the weights were drawn, in words."""
    parsed = WeightSampling.parse(sampling)
    if parsed.kind == "uniform":
        return _("uniformly over every possible weighting (no preference)")
    if parsed.kind == "dirichlet":
        return _("around the chosen weights (Dirichlet, K = {k})").format(
            k=labels.number(parsed.parameter, 0)
        )
    if parsed.kind == "box":
        if parsed.parameter == 0:
            return _("fixed at the chosen weights")
        return _("within ±{p} % of each chosen weight").format(p=labels.number(parsed.parameter, 0))
    return _(
        "around the library groups' weights, each group equally often (Dirichlet, K = {k})"
    ).format(k=labels.number(parsed.parameter, 0))


def run_caption(result: SmaaResult) -> str:
    """Sample count, seed and how the draws were made: shown with every SMAA figure."""
    scores = (
        _("The evaluators' scores are drawn too.")
        if result.score_sampling
        else _("The scores are the consensus scores.")
    )
    return _("{samples} samples, seed {seed}; weights drawn {how}. {scores}").format(
        samples=labels.number(result.samples, 0),
        seed=result.seed,
        how=sampling_description(result.weight_sampling),
        scores=scores,
    )


def node_labels(inputs: ProcurementInputs) -> dict[str, str]:
    """A label per weight: the award criterion, or "Criterion – category"."""
    criteria = labels.criterion_names(inputs.tree)
    out = dict(criteria)
    for row in inputs.tree.categories.to_dict("records"):
        parent = criteria.get(row["criterion_id"], row["criterion_id"])
        out[row["id"]] = f"{parent} – {localized(row, 'name')}"
    return out


def group_name(row: dict[str, object]) -> str:
    """A stakeholder group's name in the current language."""
    return localized(row, "name")


def group_description(row: dict[str, object]) -> str:
    """A stakeholder group's description in the current language."""
    return localized(row, "description")


def tornado(stability: Stability, names: dict[str, str], nodes: dict[str, str]) -> go.Figure:
    """The tornado chart of weight stability, most sensitive weight on top."""
    winner = names.get(stability.winner, stability.winner)
    ordered = stability.most_sensitive_first()
    return charts.tornado_figure(
        [nodes.get(s.node, s.node) for s in ordered],
        [s.current for s in ordered],
        [s.low for s in ordered],
        [s.high for s in ordered],
        [{names.get(o, o): t for o, t in s.overtakes.items()} for s in ordered],
        axis_title=_("Weight within its level (%)"),
        range_label=_("{vendor} stays first").format(vendor=winner),
        current_label=_("Weight now"),
        overtake_label=_("Another offer takes over"),
        overtake_text=_("{offer} takes over at {share} %"),
        format_number=labels.number,
    )


def stability_table(
    stability: Stability, names: dict[str, str], nodes: dict[str, str]
) -> pd.DataFrame:
    """One row per weight, most sensitive first: now, the interval, who overtakes where."""
    rows = []
    for item in stability.most_sensitive_first():
        overtakes = sorted(item.overtakes.items(), key=lambda kv: abs(kv[1] - item.current))
        rows.append(
            {
                _("Weight"): nodes.get(item.node, item.node),
                _("Now (%)"): round(100 * item.current, 1),
                _("Winner stays first from (%)"): round(100 * item.low, 1),
                _("to (%)"): round(100 * item.high, 1),
                _("Overtaken by, at"): "; ".join(
                    f"{names.get(o, o)} {labels.percent(t, 1)} %" for o, t in overtakes
                )
                or _("nobody, from 0 to 100 %"),
            }
        )
    return pd.DataFrame(rows)


def acceptability_table(result: SmaaResult, names: dict[str, str]) -> pd.DataFrame:
    """Offers with their rank acceptabilities and confidence factors, in per cent."""
    table = pd.DataFrame(
        100 * result.rank_acceptability,
        columns=[_("Rank {rank} (%)").format(rank=r + 1) for r in range(len(result.alternatives))],
    ).round(1)
    table.insert(0, _("Offer"), [names.get(a, a) for a in result.alternatives])
    table[_("Confidence factor (%)")] = (100 * result.confidence).round(1)
    return table


def central_weights_table(
    result: SmaaResult, names: dict[str, str], nodes: dict[str, str]
) -> pd.DataFrame:
    """Central weights in per cent: one row per weight that can vary (not the only one of
    its level), one column per offer."""
    rows = [
        k for start, stop in result.weight_groups if stop - start > 1 for k in range(start, stop)
    ]
    table = pd.DataFrame(
        (100 * result.central_weights.T[rows]).round(1),
        columns=[names.get(a, a) for a in result.alternatives],
    )
    table.insert(0, _("Weight"), [nodes.get(result.weight_names[k], "") for k in rows])
    return table


def groups_table(
    views: list[GroupView],
    group_rows: dict[str, dict[str, object]],
    names: dict[str, str],
    overall: str,
) -> pd.DataFrame:
    """One row per library group: its winner, the overall winner's rank, how firmly it holds."""
    winner_name = names.get(overall, overall)
    return pd.DataFrame(
        [
            {
                _("Library group"): group_name(group_rows[v.group]),
                _("Libraries"): int(group_rows[v.group]["libraries"]),  # type: ignore[call-overload]
                _("First with the group's weights"): names.get(v.winner, v.winner),
                _("Rank of {vendor}").format(vendor=winner_name): v.winner_rank,
                _("Holds"): "✓" if v.holds else "✗",
                _("{vendor} first in draws (%)").format(vendor=winner_name): round(
                    100 * float(v.first_rank.get(overall, 0.0)), 1
                ),
            }
            for v in views
        ]
    )


def group_ranks_table(
    views: list[GroupView],
    group_rows: dict[str, dict[str, object]],
    names: dict[str, str],
    chosen_rank: pd.Series,
    chosen_label: str,
) -> pd.DataFrame:
    """Each offer's rank under the chosen weights and under each group's own weights."""
    order = chosen_rank.sort_values(kind="stable").index
    table = pd.DataFrame({_("Offer"): [names.get(o, o) for o in order]})
    table[chosen_label] = chosen_rank[order].astype(int).to_numpy()
    for view in views:
        table[group_name(group_rows[view.group])] = view.rank[order].astype(int).to_numpy()
    return table


def settle_smaa_choices(session: Any, kinds: Sequence[str]) -> None:
    """The SMAA form's choices as the session holds them: the defaults where none is made
    yet, and the default again for a method or sampling no longer offered."""
    session.setdefault(state.SMAA_SAMPLING, "dirichlet")
    session.setdefault(state.SMAA_CONCENTRATION, 50)
    session.setdefault(state.SMAA_BOX_PERCENT, 20)
    session.setdefault(state.SMAA_SAMPLES, DEFAULT_SAMPLES)
    session.setdefault(state.SMAA_SEED, DEFAULT_SEED)
    session.setdefault(state.SMAA_SCORES, False)
    if session.get(state.SMAA_METHOD) not in METHOD_NAMES:
        session[state.SMAA_METHOD] = PUBLISHED_METHOD
    if session[state.SMAA_SAMPLING] not in kinds:
        session[state.SMAA_SAMPLING] = "dirichlet"
