"""The Weights page's sliders: drawn with each level's shares, filled from a saved profile,
read back as weights, saved.

What does not depend on the weights (the tree's levels, the names) is read once per data
change; a slider move costs only the weights read back and the prepared ranking redone.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from analysis.inputs import profile_weights
from scoring.procurement import (
    CLIMATE_CRITERION,
    CLIMATE_MINIMUM_SHARE,
    CriterionTree,
    Prepared,
    Weights,
    WeightTree,
    climate_share_too_low,
)
from store.errors import BibvalgError
from store.profiles import WeightProfile
from ui import data, identity, labels, state
from ui.i18n import _, current_language
from ui.identity import current_actor
from ui.text import plain

MESSAGE = "weights:message"


def categories_by_criterion(shape: WeightTree) -> dict[str, list[str]]:
    """Each award criterion's categories, in catalogue order (the prepared tree's shape,
    so a rerun reads it instead of walking the catalogue)."""
    out: dict[str, list[str]] = {c: [] for c in shape.criteria}
    for category, criterion in zip(shape.categories, shape.category_parent, strict=True):
        out[criterion].append(category)
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
        criteria={c: float(ss[state.criterion_slider(c)]) for c in tree.criteria["id"].tolist()},
        categories={
            cat: float(ss[state.category_slider(cat)]) for cat in tree.categories["id"].tolist()
        },
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


def shares_caption(shares: Mapping[str, float], names: Mapping[str, str]) -> str:
    """ "Share of the level: Quality 40 % · Price 30 % · ..."."""
    parts = [f"{names[str(i)]} {labels.percent(v)} %" for i, v in shares.items()]
    return _("Share of the level:") + " " + " · ".join(parts)


def show_message() -> None:
    """The outcome of the last save, once."""
    message = st.session_state.pop(MESSAGE, None)
    if message:
        (st.success if message[0] == "success" else st.error)(message[1])


def panel(path: str, prepared: Prepared, published: str, names: labels.TreeLabels) -> Weights:
    """The profile to start from, a slider per award criterion and per category with each
    level's shares, the climate rule, and saving; returns the weights the sliders show."""
    tree = prepared.inputs.tree
    profiles = data.profile_names(path)
    categories_of = categories_by_criterion(prepared.shape)
    start(path, tree, profiles, published)
    weights = weights_from_widgets(tree)
    shape = prepared.shape
    shares = shape.node_weights(weights).tolist()  # award criteria, then categories
    crit_share = dict(zip(shape.criteria, shares[: len(shape.criteria)], strict=True))
    cat_share = dict(zip(shape.categories, shares[len(shape.criteria) :], strict=True))
    crit_names, cat_names = names.criteria, names.categories

    st.selectbox(
        _("Weight profile"),
        profiles,
        key=state.WEIGHT_PROFILE,
        on_change=on_profile_change,
        args=(path, tree),
        format_func={
            n: _("{name} (published)").format(name=n) if n == published else n for n in profiles
        }.__getitem__,
        persist_state="session",
        placeholder=_("Choose an option"),
    )
    st.markdown("#### " + _("Award criteria"))
    for c in categories_of:
        st.slider(
            crit_names[c], 0, 100, step=1, key=state.criterion_slider(c), persist_state="session"
        )
    st.caption(shares_caption(crit_share, crit_names))
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
        st.caption(shares_caption({cat: cat_share[cat] for cat in cats}, cat_names))

    st.text_area(
        _("Justification if climate and environment weighs under 30 % (FOA § 7-9)"),
        key=state.CLIMATE_JUSTIFICATION,
        persist_state="session",
    )
    climate = crit_share.get(CLIMATE_CRITERION, 0.0)
    if climate_share_too_low(climate, st.session_state[state.CLIMATE_JUSTIFICATION]):
        st.warning(
            _(
                "Climate and environment weighs {share} %, under the {minimum} % the "
                "procurement regulation (FOA § 7-9) asks for. Record a justification, or "
                "raise the weight: the published profile is not saved without one."
            ).format(
                share=labels.percent(climate, 1),
                minimum=labels.percent(CLIMATE_MINIMUM_SHARE),
            ),
            icon=":material/warning:",
        )

    save_col, reset_col = st.columns(2)
    if identity.may_change("weight_profile"):
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
        save_col.button(
            _("Save"),
            on_click=on_save,
            args=(tree,),
            type="primary",
            key="weights:save",
            width="stretch",
        )
    reset_col.button(
        _("Reset"),
        on_click=on_reset,
        args=(path, tree),
        key="weights:reset",
        width="stretch",
        help=_("Back to the weights of the saved profile"),
    )
    show_message()
    return weights
