"""Oversikt: the ranking under the published weights, and why."""

from __future__ import annotations

import streamlit as st

from ui import data, identity, labels, overview, stage, widgets
from ui.i18n import _, current_language

path = data.db_path()
start = data.published(path)
settings, inputs, published = start.settings, start.inputs, start.profile
st.title(_("Overview"))
stage.stage_row(stage.current_stage())
evaluation = widgets.stop_unless_ready(start)
counts = data.counts(path)

if settings.get("demo") == "true":
    st.info(
        _(
            "Demo data: the vendors, offers, evaluators and scores shown here are fictional. "
            "They describe no real product."
        ),
        icon=":material/info:",
    )

# How close it is, on the first screen, filled in after the ranking is drawn (it takes
# the longest); price-blind sessions see no ranking at all.
closeness = None if identity.prices_hidden() else st.container()

cols = st.columns(4)
cols[0].metric(
    _("Requirements"),
    counts.requirements,
    help=_("{m} mandatory, {w} weighted, the rest for information").format(
        m=counts.mandatory, w=counts.weighted
    ),
)
cols[1].metric(_("Offers"), counts.offers)
cols[2].metric(_("Evaluators"), counts.evaluators)
cols[3].metric(_("Libraries"), counts.libraries)
widgets.model_status_note(data.model_status(path))
widgets.stop_if_prices_hidden()

st.subheader(_("Ranking"))
st.caption(
    _("Weight profile: {profile}. Price model: {model}. Points on a scale of 0–100.").format(
        profile=published,
        model=labels.price_model_name(inputs.price_model),
    )
)
widgets.ranking_chart(
    evaluation,
    inputs,
    key="overview_ranking",
    names=data.tree_labels(path, current_language()),
)
widgets.ranking_table(evaluation, inputs, kept_as="overview_ranking_table")
overview.ranking_columns()
if closeness is not None:
    with closeness:
        overview.closeness_block(path, published, inputs)

st.subheader(_("Mandatory requirements"))
widgets.rejected_offers(evaluation, inputs)

overview.report_download(path)
