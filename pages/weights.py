"""Vekter: move the weights and watch the ranking follow; save them as a named profile."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.inputs import profile_weights
from scoring.procurement import (
    CLIMATE_MINIMUM_SHARE,
    category_shares,
    climate_rule_broken,
    climate_share,
    criterion_shares,
    evaluate,
)
from store.errors import BibvalgError
from store.profiles import WeightProfile
from ui import data, labels, state, widgets
from ui.i18n import _, current_language
from ui.identity import current_actor
from ui.text import plain

MESSAGE = "weights:message"

path = data.db_path()
inputs = data.inputs(path)
tree = inputs.tree
names = data.profile_names(path)
settings = data.settings(path)
widgets.stop_unless_ready(inputs, settings)
published = settings["published_profile"]
criterion_ids = tree.criteria["id"].tolist()
categories_of = {
    c: tree.categories.loc[tree.categories["criterion_id"] == c, "id"].tolist()
    for c in criterion_ids
}


def load_into_widgets(name: str) -> None:
    """Fill the sliders, the justification and the name field from a saved profile."""
    saved = data.profile(path, name)
    for c in criterion_ids:
        st.session_state[state.criterion_slider(c)] = round(saved.criteria.get(c, 0.0))
    for cat in tree.categories["id"]:
        st.session_state[state.category_slider(cat)] = round(saved.categories.get(cat, 0.0))
    st.session_state[state.CLIMATE_JUSTIFICATION] = saved.climate_justification
    st.session_state[state.PROFILE_NAME_INPUT] = name
    st.session_state[state.WEIGHTS_LOADED_FROM] = name


def profile_from_widgets(name: str) -> WeightProfile:
    """The weights as the sliders show them now."""
    ss = st.session_state
    return WeightProfile(
        name=name,
        criteria={c: float(ss[state.criterion_slider(c)]) for c in criterion_ids},
        categories={cat: float(ss[state.category_slider(cat)]) for cat in tree.categories["id"]},
        climate_justification=ss[state.CLIMATE_JUSTIFICATION].strip(),
    )


def on_profile_change() -> None:
    load_into_widgets(st.session_state[state.WEIGHT_PROFILE])


def on_reset() -> None:
    load_into_widgets(st.session_state[state.WEIGHTS_LOADED_FROM])


def on_save() -> None:
    name = st.session_state[state.PROFILE_NAME_INPUT].strip()
    try:
        data.save_profile(
            profile_from_widgets(name),
            actor=current_actor(),
            reason=st.session_state.get(state.MODEL_CHANGE_REASON, ""),
        )
    except BibvalgError as exc:
        st.session_state[MESSAGE] = (
            "error",
            _("Not saved: {reason}").format(reason=exc.translated(current_language())),
        )
        return
    st.session_state[state.WEIGHT_PROFILE] = name
    st.session_state[state.WEIGHTS_LOADED_FROM] = name
    st.session_state[state.MODEL_CHANGE_REASON] = ""
    st.session_state[MESSAGE] = ("success", _("Saved as “{name}”.").format(name=name))


if st.session_state.get(state.WEIGHTS_LOADED_FROM) not in names:
    st.session_state[state.WEIGHT_PROFILE] = published
    load_into_widgets(published)

st.title(_("Weights"))
st.caption(
    _(
        "Weights are relative: within each level they are scaled to add up to 100 %. "
        "The ranking follows the sliders at once; nothing is stored until you save."
    )
)

weights = profile_weights(profile_from_widgets(st.session_state[state.WEIGHTS_LOADED_FROM]))
crit_share = criterion_shares(tree, weights)
cat_share = category_shares(tree, weights)
crit_names = labels.criterion_names(tree)
cat_names = labels.category_names(tree)


def shares_caption(shares: pd.Series, names: dict[str, str]) -> str:
    """ "Share of the level: Quality 40 % · Price 30 % · ..."."""
    parts = [f"{plain(names[i])} {labels.number(100 * v, 0)} %" for i, v in shares.items()]
    return _("Share of the level:") + " " + " · ".join(parts)


left, right = st.columns([2, 3], gap="large")
with left:
    st.selectbox(
        _("Weight profile"),
        names,
        key=state.WEIGHT_PROFILE,
        on_change=on_profile_change,
        format_func={
            n: _("{name} (published)").format(name=n) if n == published else n for n in names
        }.__getitem__,
        persist_state="session",
    )
    st.markdown("#### " + _("Award criteria"))
    for c in criterion_ids:
        st.slider(
            crit_names[c], 0, 100, step=1, key=state.criterion_slider(c), persist_state="session"
        )
    st.caption(shares_caption(crit_share, crit_names))
    for c in criterion_ids:
        if len(categories_of[c]) < 2:
            continue
        heading = _("Categories within {criterion}").format(criterion=plain(crit_names[c]))
        st.markdown("#### " + heading)
        for cat in categories_of[c]:
            st.slider(
                cat_names[cat],
                0,
                100,
                step=1,
                key=state.category_slider(cat),
                persist_state="session",
            )
        st.caption(shares_caption(cat_share[categories_of[c]], cat_names))

    st.text_area(
        _("Justification if climate and environment weighs under 30 % (FOA § 7-9)"),
        key=state.CLIMATE_JUSTIFICATION,
        persist_state="session",
    )
    justification = st.session_state[state.CLIMATE_JUSTIFICATION]
    if climate_rule_broken(tree, weights, justification):
        st.warning(
            _(
                "Climate and environment weighs {share} %, under the {minimum} % the "
                "procurement regulation (FOA § 7-9) asks for. Record a justification, or "
                "raise the weight."
            ).format(
                share=labels.number(100 * climate_share(tree, weights), 1),
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
        _("Save"), on_click=on_save, type="primary", key="weights:save", width="stretch"
    )
    reset_col.button(
        _("Reset"),
        on_click=on_reset,
        key="weights:reset",
        width="stretch",
        help=_("Back to the weights of the saved profile"),
    )
    message = st.session_state.pop(MESSAGE, None)
    if message:
        (st.success if message[0] == "success" else st.error)(message[1])

with right:
    st.markdown("#### " + _("Ranking with these weights"))
    evaluation = evaluate(inputs, weights)
    widgets.ranking_chart(evaluation, inputs, key="weights_ranking")
    widgets.ranking_table(evaluation, inputs)
