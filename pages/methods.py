"""Metoder: the published weighted sum beside other methods on the same points and weights."""

from __future__ import annotations

import streamlit as st

from scoring.methods import METHODS
from scoring.procurement import in_published_order, method_ranks, methods_ranking_otherwise
from scoring.ranks import kendall_tau_matrix
from ui import charts, data, labels, numbers, tables, widgets
from ui.i18n import _

path = data.db_path()
start = data.published(path)
widgets.stop_if_prices_hidden(_("Methods"))
evaluation = widgets.stop_unless_ready(start)
inputs, profile_name = start.inputs, start.profile
names = labels.offer_labels(inputs.offers)
method_names = {m: labels.method_name(m) for m in METHODS}

st.title(_("Methods"))
st.info(
    _(
        "The published weighted sum of points decides the award. The other methods use the "
        "same points and weights only to show whether the result is robust: where they agree, "
        "the result does not hang on the choice of method."
    ),
    icon=":material/gavel:",
)
st.caption(
    _("Weight profile: {profile}. Price model: {model}.").format(
        profile=profile_name, model=labels.price_model_name(inputs.price_model)
    )
)

if len(evaluation.total) < 2:
    st.info(_("It takes at least two offers that are not rejected to compare methods."))
    st.stop()

ranks = data.kept(lambda: method_ranks(evaluation, list(METHODS)), "method_ranks")  # once

st.subheader(_("The rank each method gives"))
widgets.kept_chart(
    "methods_ranks",
    lambda: charts.rank_lines_figure(
        in_published_order(ranks), names, method_names, axis_title=_("Rank")
    ),
    summary=_(
        "The rank of each offer under each method, one line per offer; its numbers "
        "are in the table below."
    ),
)
table = tables.method_rank_table(in_published_order(ranks), names, method_names)
st.dataframe(table, hide_index=True, placeholder=numbers.EMPTY, width="stretch")
disagree = methods_ranking_otherwise(ranks)
if disagree:
    st.warning(
        _("These methods rank differently from the published model: {methods}.").format(
            methods=", ".join(method_names[m] for m in disagree)
        )
    )
else:
    st.success(_("Every method gives the same ranking as the published model."))

st.subheader(_("Agreement between the methods (Kendall's tau)"))
tau = data.kept(lambda: kendall_tau_matrix(ranks), "methods_tau_matrix")
widgets.kept_chart(
    "methods_tau",
    lambda: charts.tau_heatmap_figure(
        tau,
        method_names,
        colour_title="τ",
        format_number=lambda v: labels.number(v, 2),
    ),
    summary=_("How alike every two methods rank the offers, from −1 to 1."),
    numbers=data.kept(
        lambda: tables.labelled_matrix(tau, _("Method"), method_names, method_names),
        "methods_tau_numbers",
    ),
)
st.caption(
    _(
        "Kendall's tau compares two rankings pair by pair: 1 is the same order, 0 no "
        "relation, −1 the reverse order. Ties are allowed (tau-b). A dash means it is not "
        "defined, as when a method ties every offer."
    )
)

with st.expander(_("How each method works"), expanded=False):
    for method in METHODS:
        st.markdown(f"**{method_names[method]}** (`{method}`) – {_(labels.METHOD_NOTES[method])}")
