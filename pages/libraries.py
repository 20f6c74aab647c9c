"""Bibliotek: the library groups' weights from the input round, and how well each offer
fits each library."""

from __future__ import annotations

import streamlit as st

from scoring.library_fit import worst_served
from ui import data, identity, labels, state, widgets
from ui.i18n import _, current_language
from ui.libraries import fit as fit_ui
from ui.libraries import weights as weights_ui

path = data.db_path()
start = data.published(path)
inputs = start.inputs

st.title(_("Libraries"))
st.caption(
    _(
        "What the libraries asked for in the input round, as weights, and how well each "
        "offer meets each library's own priorities. The working group decides the published "
        "weights; this page shows how far they lie from each group's."
    )
)
widgets.stop_unless(not inputs.offers.empty and bool(start.profile))
result = data.library_fit(path)
if result.libraries.empty:
    st.info(_("No participating libraries are recorded yet (Setup → Libraries)."))
    st.stop()
names = labels.offer_labels(inputs.offers)
library_names = dict(zip(result.libraries["id"], result.libraries["name"], strict=True))

# --- the groups' weights -----------------------------------------------------------------
st.subheader(_("Weights from the input"))
with st.expander(_("How the weights are made from the answers"), expanded=False):
    st.markdown(
        _(
            "Each library rates every quality category and every weighted requirement from "
            "0 (not needed) to 4 (essential). An item a library left blank counts as 2.\n\n"
            "1. A group's importance of an item is the mean over its libraries that rated "
            "it (2 where none did).\n"
            "2. A category's weight is its importance divided by the sum over all quality "
            "categories.\n"
            "3. A requirement's weight within its category is its importance divided by the "
            "sum over the category's requirements. Where every item on a level is 0, they "
            "weigh equally.\n"
            "4. A requirement's share of the quality weight is its category's weight times "
            "its weight within the category.\n\n"
            "Only quality takes part: the libraries are not asked about price, and climate "
            "and environment keeps the weight its rule sets (FOA § 7-9). A group with no "
            "answers keeps its hand-set profile. The distance to the published weights is "
            "half the sum of the differences between the two sets of shares: the share of "
            "the quality weight that would have to move (0 % the same, 100 % nothing in "
            "common)."
        )
    )
st.markdown(
    _("{answered} of {total} libraries have answered.").format(
        answered=result.answered, total=len(result.libraries)
    )
)
widgets.kept_table("libraries_groups", lambda: weights_ui.groups_table(result))
widgets.kept_chart("libraries_moved", lambda: weights_ui.moved_figure(result))
st.caption(
    _(
        "How much of the quality weight the published profile would have to move to match "
        "each group's weights."
    )
)
# Drawn only while open: a table of many numbers, each written in the language.
with widgets.folded(
    _("Each category's share of the quality weight (%)"), "libraries_categories:open"
) as shown:
    if shown:
        widgets.kept_table(
            "libraries_categories",
            lambda: weights_ui.category_table(
                result, data.tree_labels(path, current_language()).categories
            ),
        )

# --- fit -------------------------------------------------------------------------------------
st.subheader(_("How well each offer fits each library"))
st.caption(
    _(
        "Fit: the offer's consensus points on the quality requirements, weighted by the "
        "library's own answers (where it has none, by its group's weights), on 0–100. "
        "Price does not enter: the libraries rate quality, and price is weighed by the "
        "published model alone."
    )
)
if result.fit.empty:
    st.info(_("No offer is left to compare."))
    st.stop()
published_ranks = (
    None if identity.prices_hidden() or start.evaluation is None else start.evaluation.rank
)
leader, published_leader = fit_ui.leader(published_ranks, result)
st.markdown(fit_ui.choice_sentence(result, names))
worst = worst_served(result.fit, leader)
if worst is not None:
    st.markdown(fit_ui.worst_served_sentence(worst, leader, published_leader, names, library_names))
st.session_state.setdefault(state.LIBRARY_ORDER, "group")
order = st.radio(
    _("Order the libraries by"),
    list(fit_ui.ORDERS),
    format_func=lambda o: _(fit_ui.ORDERS[o]),
    key=state.LIBRARY_ORDER,
    horizontal=True,
    persist_state="session",
)
rows = data.kept(
    lambda: fit_ui.library_rows(result, str(order), leader), "libraries_rows", order, leader
)
left, right = st.columns([3, 2])
with left:
    widgets.kept_chart(
        "libraries_fit", lambda: fit_ui.fit_heatmap(result, rows, names), order, leader
    )
with right:
    widgets.kept_table(
        "libraries_fit_table", lambda: fit_ui.fit_numbers(result, rows, names), None, order, leader
    )
st.markdown("##### " + _("The consortium's choice by fit"))
widgets.kept_table("libraries_choices", lambda: fit_ui.choices_table(result, names, library_names))
st.caption(
    _(
        "A library with a tie counts for each of the tied offers. The published ranking "
        "(quality, price and climate and environment under the published weights) decides; "
        "these figures show whom each offer serves well and whom poorly."
    )
)
