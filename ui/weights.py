"""The Weights page's sliders: filled from a saved profile, read back as weights, saved.

What does not depend on the weights (the tree's levels, the names) is read once per data
change; a slider move costs only the weights read back and the prepared ranking redone.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from analysis.inputs import profile_weights
from scoring.procurement import CriterionTree, Weights
from store.errors import BibvalgError
from store.profiles import WeightProfile
from ui import data, labels, state
from ui.i18n import _, current_language
from ui.identity import current_actor

MESSAGE = "weights:message"


def categories_by_criterion(tree: CriterionTree) -> dict[str, list[str]]:
    """Each award criterion's categories, in catalogue order."""
    out: dict[str, list[str]] = {str(c): [] for c in tree.criteria["id"]}
    for row in tree.categories.to_dict("records"):
        if str(row["criterion_id"]) in out:
            out[str(row["criterion_id"])].append(str(row["id"]))
    return out


def load_into_widgets(path: str, tree: CriterionTree, name: str) -> None:
    """Fill the sliders, the justification and the name field from a saved profile."""
    saved = data.profile(path, name)
    ss = st.session_state
    for c in tree.criteria["id"]:
        ss[state.criterion_slider(c)] = round(saved.criteria.get(c, 0.0))
    for cat in tree.categories["id"]:
        ss[state.category_slider(cat)] = round(saved.categories.get(cat, 0.0))
    ss[state.CLIMATE_JUSTIFICATION] = saved.climate_justification
    ss[state.PROFILE_NAME_INPUT] = name
    ss[state.WEIGHTS_LOADED_FROM] = name


def profile_from_widgets(tree: CriterionTree, name: str) -> WeightProfile:
    """The weights as the sliders show them now."""
    ss = st.session_state
    return WeightProfile(
        name=name,
        criteria={c: float(ss[state.criterion_slider(c)]) for c in tree.criteria["id"]},
        categories={cat: float(ss[state.category_slider(cat)]) for cat in tree.categories["id"]},
        climate_justification=ss[state.CLIMATE_JUSTIFICATION].strip(),
    )


def weights_from_widgets(tree: CriterionTree) -> Weights:
    """The slider weights, as the scoring functions take them."""
    return profile_weights(profile_from_widgets(tree, st.session_state[state.WEIGHTS_LOADED_FROM]))


def start(path: str, tree: CriterionTree, names: list[str], published: str) -> None:
    """Fill the sliders from the published profile on the first visit, or when the profile
    they came from is gone."""
    if st.session_state.get(state.WEIGHTS_LOADED_FROM) not in names:
        st.session_state[state.WEIGHT_PROFILE] = published
        load_into_widgets(path, tree, published)


def on_profile_change(path: str, tree: CriterionTree) -> None:
    load_into_widgets(path, tree, st.session_state[state.WEIGHT_PROFILE])


def on_reset(path: str, tree: CriterionTree) -> None:
    load_into_widgets(path, tree, st.session_state[state.WEIGHTS_LOADED_FROM])


def on_save(tree: CriterionTree) -> None:
    """Save the sliders as the profile named in the name field; say how it went."""
    ss = st.session_state
    name = ss[state.PROFILE_NAME_INPUT].strip()
    try:
        data.save_profile(
            profile_from_widgets(tree, name),
            actor=current_actor(),
            reason=ss.get(state.MODEL_CHANGE_REASON, ""),
        )
    except BibvalgError as exc:
        ss[MESSAGE] = (
            "error",
            _("Not saved: {reason}").format(reason=exc.translated(current_language())),
        )
        return
    ss[state.WEIGHT_PROFILE] = name
    ss[state.WEIGHTS_LOADED_FROM] = name
    ss[state.MODEL_CHANGE_REASON] = ""
    ss[MESSAGE] = ("success", _("Saved as “{name}”.").format(name=name))


def shares_caption(shares: pd.Series, names: Mapping[str, str]) -> str:
    """ "Share of the level: Quality 40 % · Price 30 % · ..."."""
    parts = [f"{names[str(i)]} {labels.number(100 * v, 0)} %" for i, v in shares.items()]
    return _("Share of the level:") + " " + " · ".join(parts)


def show_message() -> None:
    """The outcome of the last save, once."""
    message = st.session_state.pop(MESSAGE, None)
    if message:
        (st.success if message[0] == "success" else st.error)(message[1])
