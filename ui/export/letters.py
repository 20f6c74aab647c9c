"""Each bidder's score sheet and award letter on the Eksport page: the letter's text to edit
and save, and the vendor's files to download."""

from __future__ import annotations

from datetime import date

import streamlit as st
from babel.dates import format_date

from store import award as store_award
from store import settings as store_settings
from ui import data
from ui.export.award import current_award
from ui.i18n import _, current_language
from ui.identity import current_actor, may_change
from ui.setup.common import change
from vendors import award_files
from vendors.award_letter import standstill_last_day

vendor_letters = data.cached(award_files.vendor_letters)
vendor_zip = data.cached(award_files.vendor_zip, max_entries=8)
standstill_days = data.cached(store_settings.standstill_days)
ZIP_MIME = "application/zip"


def letters_section() -> None:
    """One vendor at a time: its letter's text (drafted from the agreed reasons, edited and
    saved here) and its files."""
    path = data.db_path()
    st.subheader(_("Score sheets and award letters"))
    if current_award(path) is None:
        st.info(_("Record the award decision first: the letters name the chosen vendor."))
        return
    language = current_language()
    letters = {letter.vendor_id: letter for letter in vendor_letters(path, language)}
    days = standstill_days(path)
    sent_on = st.date_input(_("Sending date"), value=date.today(), key="export:sent")
    assert isinstance(sent_on, date)
    st.caption(
        _(
            "The standstill period is {days} days (the setting standstill_days): no contract "
            "is signed before the end of {last_day}."
        ).format(
            days=days,
            last_day=format_date(standstill_last_day(sent_on, days), "long", locale=language),
        )
    )
    vendor = st.selectbox(
        _("Vendor"),
        list(letters),
        format_func=lambda v: letters[v].vendor_name,
        placeholder=_("Choose an option"),
    )
    letter = letters[str(vendor)]
    st.caption(
        _("The letter's text is saved.")
        if letter.saved is not None
        else _("This is the draft, written from the agreed reasons: edit it, then save it.")
    )
    if not may_change("award_letter"):
        st.text_area(_("The letter's text"), value=letter.body, height=420, disabled=True)
    else:
        _letter_form(str(vendor), language, letter.body)
    st.download_button(
        _("Download the score sheet and the letter ({vendor})").format(vendor=letter.vendor_name),
        data=vendor_zip(path, str(vendor), language, sent_on),
        file_name=f"{vendor}-{sent_on.isoformat()}.zip",
        mime=ZIP_MIME,
        key=f"export:download:{vendor}",
        icon=":material/download:",
    )


def _letter_form(vendor: str, language: str, body: str) -> None:
    """The letter's text to edit, saved (and logged) on Save."""
    with st.form(f"export:letter:{vendor}"):
        edited = st.text_area(_("The letter's text"), value=body, height=420)
        if st.form_submit_button(_("Save the letter")):
            change(
                lambda cur: store_award.save_letter_text(
                    cur, vendor, language, edited, actor=current_actor()
                ),
                _("The letter is saved."),
            )
