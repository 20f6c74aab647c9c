"""Vekter: move the weights and watch the ranking follow; save them as a named profile."""

from __future__ import annotations

import streamlit as st

from scoring.procurement import evaluate_prepared
from ui import data, widgets
from ui import weights as sliders
from ui.i18n import _, current_language

path = data.db_path()
start = data.published(path)  # cached: the check below costs a lookup on a slider's rerun
widgets.stop_if_prices_hidden(_("Weights"))
widgets.stop_unless_ready(start)
prepared = data.prepared(path)
published = start.profile

st.title(_("Weights"))
st.caption(
    _(
        "Weights are relative: within each level they are scaled to add up to 100 %. "
        "The ranking follows the sliders at once; nothing is stored until you save."
    )
)
names = data.tree_labels(path, current_language())
left, right = st.columns([2, 3], gap="large")
with left:
    weights = sliders.panel(path, prepared, published, names)
with right:
    st.markdown("#### " + _("Ranking with these weights"))
    evaluation = evaluate_prepared(prepared, weights)
    widgets.ranking_chart(evaluation, prepared.inputs, key="weights_ranking", names=names)
    widgets.ranking_table(evaluation, prepared.inputs)
