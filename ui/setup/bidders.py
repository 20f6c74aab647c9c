"""Vendors (with their organisation numbers) and their offers, each offer's workbook out
and in, the opening of the offers round by round, and what changed between rounds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from store import freeze, offers, opening
from ui import charts, data, numbers, workbooks
from ui.i18n import _, current_language
from ui.identity import current_actor
from ui.setup.common import change, new_entry_form, read
from ui.widgets import chart, labelled_table, pick


def _change_headings() -> dict[str, str]:
    """Headings of the tables of what changed between two rounds; the requirement's or
    price line's text in the interface language (the other language's column is left out
    by ``_changes``)."""
    return {
        "offer_id": _("Offer"),
        "requirement_id": _("Requirement"),
        "answer_before": _("Answer before"),
        "answer_after": _("Answer after"),
        "line_id": _("Price line"),
        f"text_{current_language()}": _("Text"),
        "amount_nok_before": _("Before (NOK)"),
        "amount_nok_after": _("After (NOK)"),
    }


def _changes(frame: pd.DataFrame) -> pd.DataFrame:
    """What changed, with only the columns ``_change_headings`` names."""
    return frame[[c for c in _change_headings() if c in frame.columns]]


def bidders_sections() -> None:
    """The tab of vendors and offers: who bids, their workbooks, and the opening."""
    vendors_section()
    workbook_section()
    opening_section()


def vendors_section() -> None:
    vendors = read(offers.vendors)
    labelled_table(
        vendors,
        {
            "id": _("Id"),
            "name": _("Name"),
            "org_number": _("Organisation number"),
            "contact": _("Contact"),
            "offers": _("Offers"),
        },
    )
    new_entry_form(
        "setup:add_vendor",
        _("Register a vendor"),
        lambda left, right: {
            "org_number": left.text_input(_("Organisation number (nine digits)")),
            "contact": right.text_input(_("Contact (name, e-mail)")),
        },
        offers.add_vendor,
        button=_("Register"),
        done=_("The vendor is registered."),
    )
    if vendors.empty:
        return
    names = dict(zip(vendors["id"], vendors["name"], strict=True))
    with st.form("setup:add_offer", clear_on_submit=True):
        st.markdown("**" + _("Register an offer") + "**")
        vendor = pick(_("Vendor"), names)
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


def workbook_section() -> None:
    """Each offer's own requirement specification out, and the filled-in one back in."""
    path = data.db_path()
    listed = read(offers.offers)
    st.subheader(_("Workbooks for the vendors"))
    if listed.empty:
        st.info(_("Register a vendor and its offer first."))
        return
    st.caption(
        _(
            "Send each vendor the requirement specification made for its offer: it holds the "
            "requirements and the price schedule, and names the vendor and offer, so a file "
            "uploaded to the wrong offer is refused."
        )
    )
    names = {
        row["id"]: f"{row['vendor_name']} – {row['product']}" for row in listed.to_dict("records")
    }
    offer = pick(_("Offer"), names, key="setup:template_offer")
    workbooks.template_download(
        path,
        data.show_weights_default(path),
        label=_("Download the requirement specification for this offer (.xlsx)"),
        key="setup:template_download",
        offer_id=str(offer),
    )
    workbooks.response_import(path, listed)


def opening_section() -> None:
    """Open the offers of the next round; see the openings so far."""
    path = data.db_path()
    status = data.opening_status(path)
    st.subheader(_("Opening of the offers"))
    if status.openings:
        st.dataframe(
            pd.DataFrame(
                {
                    _("Round"): [o.round for o in status.openings],
                    _("Opened at"): [o.opened_at for o in status.openings],
                    _("Opened by"): [o.opened_by for o in status.openings],
                }
            ),
            hide_index=True,
            placeholder=numbers.EMPTY,
        )
    next_round = status.last_opened + 1
    if next_round > 1 and not status.has_rounds:
        st.caption(_("An open tender has one round; its offers are opened."))
        return
    frozen = read(freeze.frozen) is not None
    if not frozen:
        st.info(
            _(
                "The offers are opened after the evaluation model is frozen (on the page "
                "Evaluation, Model and freeze), so the model cannot be fitted to the offers."
            )
        )
    st.caption(
        _(
            "Opening records who opened the offers and when. After it, an answer or a price "
            "of that round changes only through a correction with a reason, logged."
        )
    )
    if st.button(
        _("Open the offers of round {round}").format(round=next_round),
        type="primary",
        disabled=not frozen,
        key="setup:open_offers",
        icon=":material/lock_open:",
    ):
        change(
            lambda cur: opening.open_offers(cur, actor=current_actor(), round_number=next_round),
            _("The offers of round {round} are opened.").format(round=next_round),
        )
    if status.last_opened >= 2:
        _round_changes(path, status.last_opened)


def _round_changes(path: str, current: int) -> None:
    st.subheader(_("What changed between the rounds"))
    earlier = list(range(1, current))
    labels = {r: _("Round {round}").format(round=r) for r in earlier}
    before = st.selectbox(
        _("Compare the current round {round} with").format(round=current),
        earlier,
        index=len(earlier) - 1,
        format_func=labels.__getitem__,
        key="setup:rounds_before",
        placeholder=_("Choose an option"),
    )
    view = data.round_comparison(path, int(before), current)
    table = view.offers
    ranked = table.dropna(subset=["rank_before", "rank_after"]).set_index("offer_id")
    if not ranked.empty:
        chart(
            charts.rank_lines_figure(
                ranked[["rank_before", "rank_after"]],
                # every offer, in the store's order: the colours are the same as elsewhere
                dict(zip(table["offer_id"], table["vendor_name"], strict=True)),
                {
                    "rank_before": labels[int(before)],
                    "rank_after": _("Round {round}").format(round=current),
                },
                axis_title=_("Rank"),
            ),
            "setup:rounds_chart",
            summary=_("Each offer's rank in both rounds; the table below holds them."),
        )
    labelled_table(
        table.drop(columns=["offer_id"]),
        {
            "vendor_name": _("Vendor"),
            "answers_changed": _("Answers changed"),
            "prices_changed": _("Price lines changed"),
            "cost_before": _("Cost before (NOK)"),
            "cost_after": _("Cost after (NOK)"),
            "points_before": _("Points before"),
            "points_after": _("Points after"),
            "rank_before": _("Rank before"),
            "rank_after": _("Rank after"),
        },
        decimals={
            _("Cost before (NOK)"): 0,
            _("Cost after (NOK)"): 0,
            _("Points before"): 1,
            _("Points after"): 1,
            _("Rank before"): 0,
            _("Rank after"): 0,
        },
    )
    st.caption(
        _(
            "The agreed scores belong to the offer: they move between rounds only where the "
            "evaluators revised a score resting on a changed answer. Costs and price points "
            "are each round's own."
        )
    )
    if not view.answers.empty:
        with st.expander(_("Changed answers ({count})").format(count=len(view.answers))):
            labelled_table(_changes(view.answers), _change_headings())
    if not view.prices.empty:
        with st.expander(_("Changed prices ({count})").format(count=len(view.prices))):
            labelled_table(_changes(view.prices), _change_headings())
