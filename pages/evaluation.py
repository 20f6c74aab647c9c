"""Evaluering: score independently, meet for consensus, see the disagreement, freeze the model."""

from __future__ import annotations

import streamlit as st

from ui import data, state, widgets
from ui.evaluation import consensus, disagreement, model_panel, scoring_form
from ui.i18n import N_, _

SECTIONS = {
    "scoring": N_("Scoring"),
    "consensus": N_("Consensus meeting"),
    "disagreement": N_("Disagreement"),
    "model": N_("Model and freeze"),
}

path = data.db_path()

st.title(_("Evaluation"))
st.session_state.setdefault(state.EVALUATION_SECTION, "scoring")
section = st.segmented_control(
    _("Section"),
    list(SECTIONS),
    format_func={s: _(name) for s, name in SECTIONS.items()}.__getitem__,
    key=state.EVALUATION_SECTION,
    required=True,
    label_visibility="collapsed",
)
if section == "model":
    model_panel.show(path, has_answers=not data.responses(path).empty)
else:
    # The ranking is read for these sections only: the model and its freeze need none.
    start = data.published(path)
    widgets.stop_unless_ready(start)
    if section == "consensus":
        consensus.show(path, start.inputs, start.profile)
    elif section == "disagreement":
        disagreement.show(path, start.inputs, start.profile)
    else:
        scoring_form.show(path, start.inputs)
