"""Robusthet: would the winner still win with slightly different weights, or scores?"""

from __future__ import annotations

from typing import Any

import streamlit as st

from scoring.methods import PUBLISHED_METHOD
from scoring.stakeholders import DEFAULT_GROUP_CONCENTRATION
from ui import charts, data, labels, robustness, state, widgets
from ui.i18n import _
from ui.libraries import weights as library_weights


def _session_number(column: Any, label: str, low: int, high: int, *, step: int, key: str) -> None:
    """A whole number from ``low`` to ``high`` in ``column``, kept for the session."""
    column.number_input(
        label, min_value=low, max_value=high, step=step, key=key, persist_state="session"
    )


path = data.db_path()
widgets.stop_if_prices_hidden(_("Robustness"))
widgets.stop_unless_ready(start := data.published(path))
inputs = start.inputs
groups = data.stakeholder_groups(path)
names = labels.offer_labels(inputs.offers)
nodes = robustness.node_labels(inputs)

st.title(_("Robustness"))
st.caption(
    _(
        "Would the winner still win if the weights had been set a little differently, or if "
        "the evaluators had scored a little differently? The published model decides; these "
        "figures only show how firm its answer is."
    )
)

profile = widgets.profile_choice(state.ROBUSTNESS_PROFILE, data.profile_names(path), start.profile)
evaluation = data.profile_evaluation(path, profile)
if evaluation.total.empty:
    st.info(_("No offer is left to rank."))
    st.stop()
stability = data.stability_run(path, profile)
winner = stability.winner

# --- one weight at a time ---------------------------------------------------------------
st.subheader(_("Weight stability"))
st.markdown(
    _(
        "With these weights **{vendor}** wins. Each bar shows how far one weight can move, "
        "while the other weights on its level keep their proportions, before another offer "
        "takes first place. The diamond is the weight now; a cross marks where another offer "
        "would overtake. The most sensitive weight is on top."
    ).format(vendor=names.get(winner, winner))
)
widgets.kept_chart(
    "robustness_tornado", lambda: robustness.tornado(stability, names, nodes), profile
)
with widgets.folded(_("The intervals as a table"), "robustness:intervals") as shown:
    if shown:
        widgets.table(robustness.stability_table(stability, names, nodes))

# --- many weightings at once: SMAA -------------------------------------------------------
st.subheader(_("Many plausible weightings (SMAA)"))
st.caption(
    _(
        "Stochastic multicriteria acceptability analysis: draw thousands of weightings (and, if "
        "you like, scores within the evaluators' disagreement), rank the offers for each, and "
        "count how often each offer takes each place."
    )
)
kinds = robustness.sampling_kinds(not groups.empty)
ss = st.session_state
robustness.settle_smaa_choices(ss, kinds)


left, middle, right = st.columns([3, 2, 2])
kind = left.selectbox(
    _("How the weights are drawn"),
    kinds,
    format_func=lambda k: _(robustness.SAMPLING_NAMES[k]),
    key=state.SMAA_SAMPLING,
    persist_state="session",
    placeholder=_("Choose an option"),
)
if kind in ("dirichlet", "groups"):
    _session_number(
        left,
        _("Concentration K: the larger, the closer to the weights"),
        1,
        10_000,
        step=10,
        key=state.SMAA_CONCENTRATION,
    )
elif kind == "box":
    _session_number(
        left,
        _("P: how many per cent each weight may move"),
        0,
        100,
        step=5,
        key=state.SMAA_BOX_PERCENT,
    )
_session_number(middle, _("Samples"), 100, 200_000, step=1_000, key=state.SMAA_SAMPLES)
_session_number(middle, _("Seed"), 0, 2**31 - 1, step=1, key=state.SMAA_SEED)
right.radio(
    _("Ranked by"),
    list(robustness.METHOD_NAMES),
    format_func=lambda m: _(robustness.METHOD_NAMES[m]),
    key=state.SMAA_METHOD,
    persist_state="session",
)
right.checkbox(
    _("Let the evaluators' scores vary too"),
    key=state.SMAA_SCORES,
    persist_state="session",
    help=_(
        "For each offer and requirement, the consensus score moves by as much as one "
        "evaluator, drawn at random, differed from the evaluators' average."
    ),
)

sampling = robustness.sampling_spec(
    str(kind), ss[state.SMAA_CONCENTRATION], ss[state.SMAA_BOX_PERCENT]
)
samples, seed = int(ss[state.SMAA_SAMPLES]), int(ss[state.SMAA_SEED])
with st.spinner(_("Drawing and ranking…")):
    result = data.smaa_run(
        path,
        profile,
        sampling,
        samples,
        seed,
        bool(ss[state.SMAA_SCORES]),
        ss[state.SMAA_METHOD],
    )
st.markdown(
    _("**{vendor}** takes first place in **{share} %** of the draws.").format(
        vendor=names.get(winner, winner),
        share=labels.percent(result.first_rank(winner)),
    )
)
smaa_choice = (profile, sampling, samples, seed, bool(ss[state.SMAA_SCORES]), ss[state.SMAA_METHOD])
widgets.kept_chart(
    "robustness_smaa",
    lambda: robustness.rank_acceptability_chart(result, evaluation.rank, names),
    *smaa_choice,
)
st.caption(robustness.run_caption(result))
with widgets.folded(
    _("Rank acceptabilities, confidence factors and central weights"), "robustness:smaa_tables"
) as shown:
    if shown:
        widgets.table(robustness.acceptability_table(result, names))
        st.caption(
            _(
                "Confidence factor: how often the offer wins when the weights are fixed at its "
                "central weights and only the evaluators' scores vary. Central weights: the "
                "average weights of the draws in which the offer wins (empty if it never does)."
            )
        )
        widgets.table(robustness.central_weights_table(result, names, nodes))

# --- the library groups ------------------------------------------------------------------
st.subheader(_("Library groups"))
if groups.empty:
    st.info(_("No library groups with their own weight profiles are recorded."))
    st.stop()
overall, views = data.group_views(path, profile, DEFAULT_GROUP_CONCENTRATION, samples, seed)
group_rows = robustness.group_rows(groups)
st.markdown(robustness.groups_sentence(views, overall, names))
widgets.table(robustness.groups_table(views, group_rows, names, overall))
fit = data.library_fit(path)
st.caption(library_weights.sources_sentence(fit))
st.markdown("##### " + _("Each group's ranking"))
widgets.table(
    robustness.group_ranks_table(
        views,
        group_rows,
        names,
        evaluation.rank,
        _("Rank with “{profile}”").format(profile=profile),
    )
)
mixture = data.smaa_run(
    path, profile, f"groups:{DEFAULT_GROUP_CONCENTRATION:g}", samples, seed, False, PUBLISHED_METHOD
)
offer_order = robustness.offers_in_order(evaluation.rank, mixture.alternatives)
shares = robustness.first_rank_shares(views, mixture, offer_order)
bars = robustness.group_bars(views, group_rows)
widgets.kept_chart(
    "robustness_groups",
    lambda: charts.offer_share_figure(
        shares,
        bars,
        offer_order,
        names,
        axis_title=_("Share of the draws in which the offer is first (%)"),
    ),
    profile,
    samples,
    seed,
    summary=_("For each library group, how often each offer comes first under its weights."),
    numbers=lambda: robustness.shares_table(shares, bars, offer_order, names),
)
st.caption(
    _(
        "Weights drawn around each group's own weights (Dirichlet, K = {k}); the last bar "
        "draws around all groups, each equally often. {samples} samples, seed {seed}."
    ).format(
        k=labels.number(DEFAULT_GROUP_CONCENTRATION, 0),
        samples=labels.number(samples, 0),
        seed=seed,
    )
)
with widgets.folded(_("Why the groups weigh as they do"), "robustness:group_weights") as shown:
    for view in views if shown else []:
        row = group_rows[view.group]
        st.markdown(
            f"**{robustness.group_name(row)}** · "
            + _("{count} libraries · weights: {source}").format(
                count=row["libraries"], source=library_weights.group_source(fit, view.group)
            )
            + "  \n"
            + robustness.group_description(row)
        )
