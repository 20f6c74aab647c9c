"""Robustness for the pages: cached SMAA runs, weight stability and stakeholder views.

Every run is cached by its database, weight profile and sampling settings (and cleared with
the other cached reads after a write), so the overview's sentence costs nothing after the
first visit.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.inputs import profile_weights
from scoring.procurement import ProcurementInputs, Weights
from scoring.smaa import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    DEFAULT_WEIGHT_SAMPLING,
    DecisionModel,
    SmaaResult,
    WeightSampling,
    smaa,
)
from scoring.stability import Stability, weight_stability
from scoring.stakeholders import GroupView, mixture_smaa, stakeholder_views
from store import evaluation as store_evaluation
from store import libraries as store_libraries
from ui import data, labels
from ui.data import CACHE_TTL_SECONDS
from ui.i18n import _, localized


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def evaluator_scores(path: str) -> pd.DataFrame:
    """Each evaluator's own scores."""
    with data.cursor() as cur:
        return store_evaluation.evaluator_scores(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def stakeholder_groups(path: str) -> pd.DataFrame:
    """The library groups with their weight profile and number of libraries."""
    with data.cursor() as cur:
        return store_libraries.stakeholder_groups(cur)


def weights_of(path: str, profile: str) -> Weights:
    """A saved profile's weights."""
    return profile_weights(data.profile(path, profile))


def model(path: str, profile: str, method: str = "points") -> DecisionModel:
    """The procurement as a decision model under a profile, with the evaluators' spread."""
    return DecisionModel.from_procurement(
        data.inputs(path),
        weights_of(path, profile),
        method=method,
        evaluator_scores=evaluator_scores(path),
    )


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=32, show_spinner=False)
def smaa_run(
    path: str,
    profile: str,
    sampling: str = DEFAULT_WEIGHT_SAMPLING,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    score_sampling: bool = False,
    method: str = "points",
) -> SmaaResult:
    """SMAA-2 on the procurement under a profile (groups:K draws around the groups)."""
    parsed = WeightSampling.parse(sampling)
    if parsed.kind == "groups":
        return mixture_smaa(
            data.inputs(path),
            weights_of(path, profile),
            group_weights(path),
            concentration=parsed.parameter,
            samples=samples,
            seed=seed,
            score_sampling=score_sampling,
            evaluator_scores=evaluator_scores(path),
        )
    return smaa(
        model(path, profile, method),
        parsed,
        samples=samples,
        seed=seed,
        score_sampling=score_sampling,
    )


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=16, show_spinner=False)
def stability_run(path: str, profile: str) -> Stability:
    """Weight stability of the published model under a profile."""
    return weight_stability(model(path, profile))


def group_weights(path: str) -> dict[str, Weights]:
    """Each stakeholder group's weights, by group id."""
    groups = stakeholder_groups(path)
    names = set(data.profile_names(path))
    return {
        str(row["id"]): weights_of(path, str(row["profile_name"]))
        for row in groups.to_dict("records")
        if row["profile_name"] in names
    }


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=16, show_spinner=False)
def group_views(
    path: str, profile: str, concentration: float, samples: int, seed: int
) -> tuple[str, list[GroupView]]:
    """Each group's ranking and its draws around its own weights."""
    return stakeholder_views(
        data.inputs(path),
        weights_of(path, profile),
        group_weights(path),
        concentration=concentration,
        samples=samples,
        seed=seed,
    )


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


def winner_sentence(path: str, profile: str, inputs: ProcurementInputs, winner: str) -> None:
    """ "Nordlys wins in 57 % of plausible weightings", from a cached default SMAA run."""
    result = smaa_run(path, profile)
    if winner not in result.alternatives:
        return
    names = labels.offer_labels(inputs.offers)
    st.markdown(
        _("**{vendor}** wins in **{share} %** of plausible weightings.").format(
            vendor=names.get(winner, winner),
            share=labels.number(100 * result.first_rank(winner), 0),
        )
    )
    st.caption(run_caption(result) + " " + _("More on the Robustness page."))


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
                    f"{names.get(o, o)} {labels.number(100 * t, 1)} %" for o, t in overtakes
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
