"""The tender: name, reference, contract and option years, deadline, procedure, price-blind
scoring and the standstill period."""

from __future__ import annotations

from typing import Any

import streamlit as st

from store import freeze, tender
from store.settings import MAX_STANDSTILL_DAYS, MIN_STANDSTILL_DAYS
from ui.i18n import N_, _
from ui.identity import current_actor
from ui.setup.common import change, read

PROCEDURE_NAMES = {
    "open": N_("Open tender"),
    "negotiation": N_("Competition with negotiation"),
}


def _years(column: Any, label: str, fewest: int, value: int) -> Any:
    """A whole number of years in ``column``, from ``fewest`` to the most a tender allows."""
    return column.number_input(
        label, min_value=fewest, max_value=tender.MAX_YEARS, step=1, value=value
    )


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
        contract_years = _years(left, _("Contract years"), 1, stored.contract_years)
        option_years = _years(right, _("Option years"), 0, stored.option_years)
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
            placeholder=_("Choose an option"),
        )
        alternatives = st.checkbox(
            _("Alternative offers allowed (a vendor may hand in more than one offer)"),
            value=stored.alternative_offers,
        )
        price_blind = st.checkbox(
            _(
                "Price-blind scoring: evaluators see no prices, price points or total ranking "
                "until they have submitted their quality scores"
            ),
            value=stored.price_blind,
            help=_(
                "Recommended: quality is then scored without knowing the price. The working "
                "group and the steering group see the prices all along."
            ),
        )
        standstill = st.number_input(
            _("Standstill period after the award letters (days)"),
            min_value=MIN_STANDSTILL_DAYS,
            max_value=MAX_STANDSTILL_DAYS,
            step=1,
            value=stored.standstill_days,
            help=_(
                "Karensperiode (FOA § 25-2): at least 10 days from the day after the letters "
                "are sent. The award letters state its last day."
            ),
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
                price_blind=bool(price_blind),
                standstill_days=int(standstill),
            )
            change(
                lambda cur: tender.save_tender(cur, value, actor=current_actor(), reason=reason),
                _("The tender is saved."),
            )
