"""The form where the working group records what a check of the language test kit showed
in a vendor's demo system: pass, fail or a note, saved through the store and logged."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from store import language_results
from tender_files.language_kit import protocol
from ui import data, state
from ui.i18n import _, current_language
from ui.identity import current_actor, may_change
from ui.setup.common import change, show_flash


def check_label(check: protocol.Check) -> str:
    """A check as the form lists it: id, language and kind."""
    language = protocol.language_name(check.language, current_language())
    return f"{check.id} · {language} · {_(protocol.KINDS[check.kind])}"


def result_form(offer_names: Mapping[str, str]) -> None:
    """Choose an offer and a check, the result and a note; save it (the working group's and
    admins'; anyone in local mode)."""
    show_flash()
    if not may_change("language_result"):
        st.info(_("Only the working group and admins record test results."))
        return
    checks = {c.id: c for c in protocol.checks()}
    names = data.kept(lambda: {c: check_label(checks[c]) for c in checks}, "languages_checks")
    with st.form("languages:result"):
        offer_col, check_col = st.columns(2)
        offer = offer_col.selectbox(
            _("Offer"), list(offer_names), format_func=offer_names.__getitem__,
            key=state.LANGUAGES_OFFER,
        )  # fmt: skip
        check = check_col.selectbox(
            _("Check"), list(checks), format_func=names.__getitem__,
            key=state.LANGUAGES_CHECK,
        )  # fmt: skip
        outcome = st.radio(
            _("Result"),
            list(language_results.OUTCOMES),
            format_func=lambda o: _(language_results.OUTCOMES[o]),
            horizontal=True,
            key=state.LANGUAGES_OUTCOME,
        )
        note = st.text_area(_("Note (what was seen)"), key=state.LANGUAGES_NOTE)
        if st.form_submit_button(_("Save the result"), type="primary"):
            change(
                lambda cur: language_results.record_results(
                    cur,
                    str(offer),
                    {str(check): (str(outcome), note)},
                    known_checks=set(checks),
                    actor=current_actor(),
                ),
                lambda changed: (
                    _("Saved: {check} for {vendor}.").format(
                        check=check, vendor=offer_names[str(offer)]
                    )
                    if changed
                    else _("Nothing changed: that result was already recorded.")
                ),
            )
