"""Eksport (export): the award decision and the files that leave the room."""

from __future__ import annotations

import streamlit as st

from ui import widgets
from ui.export.award import award_section
from ui.export.letters import letters_section
from ui.i18n import _
from ui.setup.common import show_flash

st.title(_("Export"))
st.caption(
    _(
        "After the evaluation: record the award decision, then write each bidder's score "
        "sheet and award letter. A bidder's files hold its own scores and reasons and the "
        "chosen offer's points, never another bidder's prices, answers or an evaluator's name."
    )
)
widgets.stop_if_prices_hidden()
show_flash()
award_section()
letters_section()
