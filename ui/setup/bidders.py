"""Vendors (with their organisation numbers) and their offers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from store import offers
from ui.i18n import _
from ui.identity import current_actor
from ui.setup.common import change, read


def _vendors(cur: object) -> pd.DataFrame:
    return cur.execute(  # type: ignore[attr-defined]
        "SELECT v.id, v.name, v.org_number, v.contact, count(o.id) AS offers"
        " FROM vendor v LEFT JOIN offer o ON o.vendor_id = v.id"
        " GROUP BY ALL ORDER BY v.name"
    ).df()


def vendors_section() -> None:
    vendors = read(_vendors)
    st.dataframe(
        vendors.rename(
            columns={
                "id": _("Id"),
                "name": _("Name"),
                "org_number": _("Organisation number"),
                "contact": _("Contact"),
                "offers": _("Offers"),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    with st.form("setup:add_vendor", clear_on_submit=True):
        st.markdown("**" + _("Register a vendor") + "**")
        left, right = st.columns(2)
        vendor = left.text_input(_("Id (lower-case letters, digits, - or _)"))
        name = right.text_input(_("Name"))
        number = left.text_input(_("Organisation number (nine digits)"))
        contact = right.text_input(_("Contact (name, e-mail)"))
        if st.form_submit_button(_("Register")):
            change(
                lambda cur: offers.add_vendor(
                    cur,
                    vendor.strip(),
                    name=name,
                    org_number=number,
                    contact=contact,
                    actor=current_actor(),
                ),
                _("The vendor is registered."),
            )
    if vendors.empty:
        return
    names = dict(zip(vendors["id"], vendors["name"], strict=True))
    with st.form("setup:add_offer", clear_on_submit=True):
        st.markdown("**" + _("Register an offer") + "**")
        vendor = st.selectbox(_("Vendor"), list(names), format_func=names.__getitem__)
        left, right = st.columns(2)
        offer = left.text_input(_("Offer id (for example: the vendor's id and -1)"))
        product = right.text_input(_("Product offered"))
        if st.form_submit_button(_("Register")):
            change(
                lambda cur: offers.add_offer(
                    cur, offer.strip(), vendor=str(vendor), product=product, actor=current_actor()
                ),
                _("The offer is registered."),
            )
