"""Vekter: move the weights and watch the ranking follow; save them as a named profile."""

from __future__ import annotations

import streamlit as st

from scoring.procurement import (
    CLIMATE_CRITERION,
    CLIMATE_MINIMUM_SHARE,
    climate_share_too_low,
    evaluate_prepared,
)
from ui import data, labels, state, widgets
from ui import weights as sliders
from ui.i18n import _, current_language
from ui.text import plain

path = data.db_path()
prepared = data.prepared(path)
inputs, tree = prepared.inputs, prepared.inputs.tree
published = data.settings(path).get("published_profile", "")
widgets.stop_unless(not inputs.offers.empty and bool(published))
names = data.profile_names(path)
categories_of = sliders.categories_by_criterion(tree)
sliders.start(path, tree, names, published)

st.title(_("Weights"))
st.caption(
    _(
        "Weights are relative: within each level they are scaled to add up to 100 %. "
        "The ranking follows the sliders at once; nothing is stored until you save."
    )
)

weights = sliders.weights_from_widgets(tree)
crit_share = prepared.shape.criterion_shares(weights)
cat_share = prepared.shape.category_shares(weights)
tree_names = data.tree_labels(path, current_language())
crit_names, cat_names = tree_names.criteria, tree_names.categories

left, right = st.columns([2, 3], gap="large")
with left:
    st.selectbox(
        _("Weight profile"),
        names,
        key=state.WEIGHT_PROFILE,
        on_change=sliders.on_profile_change,
        args=(path, tree),
        format_func={
            n: _("{name} (published)").format(name=n) if n == published else n for n in names
        }.__getitem__,
        persist_state="session",
    )
    st.markdown("#### " + _("Award criteria"))
    for c in categories_of:
        st.slider(
            crit_names[c], 0, 100, step=1, key=state.criterion_slider(c), persist_state="session"
        )
    st.caption(sliders.shares_caption(crit_share, crit_names))
    for c, cats in categories_of.items():
        if len(cats) < 2:
            continue
        heading = _("Categories within {criterion}").format(criterion=plain(crit_names[c]))
        st.markdown("#### " + heading)
        for cat in cats:
            st.slider(
                cat_names[cat],
                0,
                100,
                step=1,
                key=state.category_slider(cat),
                persist_state="session",
            )
        st.caption(sliders.shares_caption(cat_share[cats], cat_names))

    st.text_area(
        _("Justification if climate and environment weighs under 30 % (FOA § 7-9)"),
        key=state.CLIMATE_JUSTIFICATION,
        persist_state="session",
    )
    climate = float(crit_share.get(CLIMATE_CRITERION, 0.0))
    if climate_share_too_low(climate, st.session_state[state.CLIMATE_JUSTIFICATION]):
        st.warning(
            _(
                "Climate and environment weighs {share} %, under the {minimum} % the "
                "procurement regulation (FOA § 7-9) asks for. Record a justification, or "
                "raise the weight: the published profile is not saved without one."
            ).format(
                share=labels.number(100 * climate, 1),
                minimum=labels.number(100 * CLIMATE_MINIMUM_SHARE, 0),
            ),
            icon=":material/warning:",
        )

    st.text_input(_("Save as"), key=state.PROFILE_NAME_INPUT, persist_state="session")
    if data.model_status(path).freeze is not None:
        st.text_input(
            _("Reason for changing the frozen model"),
            key=state.MODEL_CHANGE_REASON,
            help=_(
                "The evaluation model is frozen. Saving the published profile ({name}) "
                "changes it, and needs a reason; the reason is logged."
            ).format(name=published),
        )
    save_col, reset_col = st.columns(2)
    save_col.button(
        _("Save"),
        on_click=sliders.on_save,
        args=(tree,),
        type="primary",
        key="weights:save",
        width="stretch",
    )
    reset_col.button(
        _("Reset"),
        on_click=sliders.on_reset,
        args=(path, tree),
        key="weights:reset",
        width="stretch",
        help=_("Back to the weights of the saved profile"),
    )
    sliders.show_message()

with right:
    st.markdown("#### " + _("Ranking with these weights"))
    evaluation = evaluate_prepared(prepared, weights)
    widgets.ranking_chart(evaluation, inputs, key="weights_ranking", names=tree_names)
    widgets.ranking_table(evaluation, inputs)
