"""Oppsett (setup): the working group sets up its own tender."""

from __future__ import annotations

import streamlit as st

from ui.i18n import _
from ui.identity import is_admin, is_working_group
from ui.setup.backup import backup_section
from ui.setup.bidders import opening_section, vendors_section, workbook_section
from ui.setup.catalogue import award_criteria_section
from ui.setup.common import show_flash
from ui.setup.people import evaluators_section, libraries_section
from ui.setup.prices import price_schedule_section
from ui.setup.roles import people_section
from ui.setup.tender_form import tender_section

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
# backup and restore to the admin alone).
admin = is_admin()
takes_data = is_working_group()
tender_tab, libraries_tab, evaluators_tab, vendors_tab, criteria_tab, prices_tab, *rest = st.tabs(
    [
        _("The tender"),
        _("Libraries"),
        _("Evaluators"),
        _("Vendors and offers"),
        _("Award criteria"),
        _("Price schedule"),
        *([_("People and roles")] if admin else []),
        *([_("Backup and data")] if takes_data else []),
    ]
)
with tender_tab:
    tender_section()
with libraries_tab:
    libraries_section()
with evaluators_tab:
    evaluators_section()
with vendors_tab:
    vendors_section()
    workbook_section()
    opening_section()
with criteria_tab:
    award_criteria_section()
with prices_tab:
    price_schedule_section()
if admin:
    with rest.pop(0):
        people_section()
if takes_data:
    with rest.pop(0):
        backup_section()
