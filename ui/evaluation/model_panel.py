"""Freezing the evaluation model, its fingerprint and the fingerprint history."""

from __future__ import annotations

import streamlit as st

from store.errors import BibvalgError
from ui import data, identity, state, tables, widgets
from ui.i18n import _, current_language


def _freeze() -> None:
    try:
        value = data.freeze_model(
            actor=identity.current_actor(),
            reason=st.session_state.get(state.FREEZE_REASON, ""),
        )
    except BibvalgError as exc:
        st.session_state[state.FREEZE_MESSAGE] = ("error", exc.translated(current_language()))
        return
    st.session_state[state.FREEZE_MESSAGE] = (
        "success",
        _("The evaluation model is frozen. Fingerprint: {fingerprint}").format(fingerprint=value),
    )


def show(path: str, has_answers: bool) -> None:
    """Status, what the model holds, the freeze button, the history and the JSON."""
    status = data.model_status(path)
    widgets.model_status_note(status)
    message = st.session_state.pop(state.FREEZE_MESSAGE, None)
    if message:
        (st.success if message[0] == "success" else st.error)(message[1])

    st.markdown(
        _(
            "The evaluation model is what decides the outcome and must be fixed before the "
            "offers are opened: the award criteria, the categories, the requirements (kind, "
            "weight and text), the weights of the published profile, the score scales and "
            "the price model. Its fingerprint is the SHA-256 of the model written as "
            "canonical JSON: the same model always gives the same fingerprint, and any "
            "change gives another."
        )
    )
    st.markdown(_("Current fingerprint:"))
    st.code(status.current, language=None)

    if status.freeze is None and not identity.may_change("evaluation_model", "freeze"):
        st.caption(_("The model is not frozen yet; the working group freezes it."))
    elif status.freeze is None:
        st.markdown("#### " + _("Freeze the model"))
        if has_answers:
            st.warning(
                _(
                    "Vendors' answers are already in the database. The freeze records its "
                    "time, so anyone can see whether it came before the offers were opened."
                ),
                icon=":material/schedule:",
            )
        st.text_input(_("Note (optional)"), key=state.FREEZE_REASON)
        widgets.confirmed_button(
            _(
                "Freeze the evaluation model now. After this, a change to it needs a reason, "
                "and every change is logged and shown."
            ),
            state.FREEZE_CONFIRM,
            _("Freeze the evaluation model"),
            key="evaluation:freeze",
            on_click=_freeze,
        )
    else:
        st.caption(
            _(
                "To change the model after the freeze, change it where it is kept (for the "
                "weights: the Weights page) and give the reason; the change is applied, "
                "logged and added to the history below."
            )
        )
        st.markdown("#### " + _("Fingerprint history"))
        widgets.table(tables.history_table(data.model_history(path)))

    st.download_button(
        _("Download the model as JSON"),
        data=data.model_json(path).encode("utf-8"),
        file_name="evaluation-model.json",
        mime="application/json",
        key="evaluation:model_json",
        help=_("The file's SHA-256 (for example with sha256sum) is the current fingerprint."),
    )
