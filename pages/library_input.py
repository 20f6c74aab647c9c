"""Innspill (input): every participating library's voice in the specification. The working
group sends each library its input workbook, imports the answers, sees who has answered and
what the libraries said, and decides on the requirements they proposed."""

from __future__ import annotations

import streamlit as st

from ui import data, state
from ui.i18n import _
from ui.identity import may_change
from ui.library_input import sections
from ui.setup.common import show_flash
from ui.widgets import tab_sections

path = data.db_path()
st.title(_("Input"))
st.caption(
    _(
        "The libraries write the specification together: each library gives its facts and "
        "says how important each category and weighted requirement is, from 0 (not needed) "
        "to 4 (essential), and proposes new requirements."
    )
)
show_flash()
tabs = [
    (_("Who has answered"), lambda: sections.status_section(path)),
    (_("What the libraries said"), lambda: sections.said_section(path)),
    (_("Proposed requirements"), lambda: sections.proposals_section(path)),
]
if may_change("library_input"):
    tabs.append((_("Workbooks"), lambda: sections.workbooks_section(path)))
tab_sections(tabs, state.INPUT_TAB)  # only the open tab is drawn
