"""The tender: name, reference, contract and option years, deadline, procedure."""

from __future__ import annotations

import streamlit as st

from store import freeze, tender
from ui.i18n import N_, _
from ui.identity import current_actor
from ui.setup.common import change, read

PROCEDURE_NAMES = {
    "open": N_("Open tender"),
    "negotiation": N_("Competition with negotiation"),
}


def tender_section() -> None:
    stored = read(tender.tender)
    frozen = read(freeze.frozen) is not None
    with st.form("setup:tender"):
        name = st.text_input(_("Name of the tender"), value=stored.name, max_chars=200)
        reference = st.text_input(
            _("Reference (the competition's number in the tendering system)"),
            value=stored.reference,
            max_chars=100,
        )
        left, right = st.columns(2)
        contract_years = left.number_input(
            _("Contract years"),
            min_value=1,
            max_value=tender.MAX_YEARS,
            step=1,
            value=stored.contract_years,
        )
        option_years = right.number_input(
            _("Option years"),
            min_value=0,
            max_value=tender.MAX_YEARS,
            step=1,
            value=stored.option_years,
        )
        deadline = left.date_input(
            _("Deadline for offers"), value=stored.deadline, format="DD.MM.YYYY"
        )
        procedure = right.selectbox(
            _("Procedure"),
            options=list(tender.PROCEDURES),
            index=list(tender.PROCEDURES).index(stored.procedure)
            if stored.procedure in tender.PROCEDURES
            else 0,
            format_func={p: _(n) for p, n in PROCEDURE_NAMES.items()}.__getitem__,
        )
        alternatives = st.checkbox(
            _("Alternative offers allowed (a vendor may hand in more than one offer)"),
            value=stored.alternative_offers,
        )
        reason = st.text_input(
            _("Reason for the change (needed for contract or option years after the freeze)"),
            disabled=not frozen,
        )
        if st.form_submit_button(_("Save the tender"), type="primary"):
            value = tender.Tender(
                name=name,
                reference=reference,
                contract_years=int(contract_years),
                option_years=int(option_years),
                deadline=deadline if deadline else None,
                procedure=str(procedure),
                alternative_offers=bool(alternatives),
            )
            change(
                lambda cur: tender.save_tender(cur, value, actor=current_actor(), reason=reason),
                _("The tender is saved."),
            )
