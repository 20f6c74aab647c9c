"""Innspill (input): every participating library's voice in the specification. The working
group sends each library its input workbook, imports the answers, sees who has answered and
what the libraries said, and decides on the requirements they proposed."""

from __future__ import annotations

import streamlit as st

from ui import data
from ui.i18n import _
from ui.identity import may_change
from ui.library_input import sections
from ui.setup.common import show_flash

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
tabs = [_("Who has answered"), _("What the libraries said"), _("Proposed requirements")]
working = may_change("library_input")
if working:
    tabs.append(_("Workbooks"))
status_tab, said_tab, proposals_tab, *rest = st.tabs(tabs)
with status_tab:
    sections.status_section(path)
with said_tab:
    sections.said_section(path)
with proposals_tab:
    sections.proposals_section(path)
if working:
    with rest[0]:
        sections.workbooks_section(path)
