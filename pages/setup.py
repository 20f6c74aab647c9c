"""Oppsett (setup): the working group sets up its own tender."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.i18n import _
from ui.identity import is_admin, is_working_group
from ui.setup.backup import backup_section
from ui.setup.bidders import bidders_sections
from ui.setup.catalogue import award_criteria_section
from ui.setup.common import show_flash
from ui.setup.people import evaluators_section, libraries_section
from ui.setup.prices import price_schedule_section
from ui.setup.roles import people_section
from ui.setup.tender_form import tender_section
from ui.widgets import tab_sections

st.title(_("Setup"))
st.caption(
    _(
        "Set up the tender: its name and contract period, the award criteria and categories, "
        "the price schedule, the participating libraries, the evaluators and their "
        "declarations of impartiality, and the vendors with their offers, their workbooks "
        "and the opening. Every change is checked first and logged."
    )
)
with st.container():  # always there, so that the tabs keep their place (and the open tab)
    show_flash()
# The award criteria, the price schedule and the people come last, so that the other
# tabs' tables keep their places. People and roles are the admin's (or anyone's, in local
# mode) and shown to nobody else; backup and data to the working group and the admin (the
# backup and restore to the admin alone). Only the open tab is drawn.
sections = [
    (_("The tender"), tender_section),
    (_("Libraries"), libraries_section),
    (_("Evaluators"), evaluators_section),
    (_("Vendors and offers"), bidders_sections),
    (_("Award criteria"), award_criteria_section),
    (_("Price schedule"), price_schedule_section),
]
if is_admin():
    sections.append((_("People and roles"), people_section))
if is_working_group():
    sections.append((_("Backup and data"), backup_section))
tab_sections(sections, state.SETUP_TAB)
