"""The Price page's form, where the working group publishes the price model and its
settings, and the money columns of its tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scoring.price import PriceParameters
from store.errors import BibvalgError
from ui import data, state
from ui.i18n import _, current_language
from ui.identity import current_actor


def money_columns(table: pd.DataFrame, skip: int = 1) -> dict[str, int]:
    """Whole kroner (no decimals) for every column after the first ``skip``."""
    return {str(c): 0 for c in list(table.columns)[skip:]}


def load_form(published: str, params: PriceParameters) -> None:
    """Fill the form from the published model, when that has changed since it was filled."""
    ss = st.session_state
    loaded = (published, params)
    if ss.get(state.PRICE_FORM_LOADED) == loaded:
        return
    ss[state.PRICE_MODEL_CHOICE] = published
    ss[state.PRICE_RANGE_MIN] = params.price_min
    ss[state.PRICE_RANGE_MAX] = params.price_max
    ss[state.PRICE_LOG_MULTIPLE] = params.zero_multiple
    ss[state.PRICE_POINT_VALUE] = params.point_value
    ss[state.PRICE_REASON] = ""
    ss[state.PRICE_FORM_LOADED] = loaded


def parameters_from_form() -> PriceParameters:
    """The settings as the form holds them."""
    ss = st.session_state

    def number(key: str) -> float | None:
        value = ss.get(key)
        return None if value is None else float(value)

    return PriceParameters(
        price_min=number(state.PRICE_RANGE_MIN),
        price_max=number(state.PRICE_RANGE_MAX),
        zero_multiple=float(ss[state.PRICE_LOG_MULTIPLE]),
        point_value=number(state.PRICE_POINT_VALUE),
    )


def on_save() -> None:
    """Publish the model and settings in the form; say how it went."""
    ss = st.session_state
    try:
        changed = data.save_price_model(
            ss[state.PRICE_MODEL_CHOICE],
            parameters_from_form(),
            actor=current_actor(),
            reason=ss.get(state.PRICE_REASON, ""),
        )
    except BibvalgError as exc:  # a setting refused, or a role that may not publish
        ss[state.PRICE_MESSAGE] = (
            "error",
            _("Not saved: {reason}").format(reason=exc.translated(current_language())),
        )
        return
    ss[state.PRICE_MESSAGE] = (
        ("success", _("Saved and logged."))
        if changed
        else ("info", _("Nothing changed, so nothing was saved."))
    )


def show_message() -> None:
    """The outcome of the last publication, once."""
    message = st.session_state.pop(state.PRICE_MESSAGE, None)
    if message:
        {"success": st.success, "info": st.info}.get(message[0], st.error)(message[1])
