"""Leverandører: every offer against every weighted requirement, one offer in detail, and
the upload of a vendor's filled-in requirement specification."""

from __future__ import annotations

import streamlit as st

from ui import charts, data, identity, labels, state, tables, widgets, workbooks
from ui.i18n import _, current_language, localized, localized_language
from ui.text import in_language, plain

path = data.db_path()
start = data.published(path)
inputs = start.inputs
responses = data.responses(path)

st.title(_("Vendors"))
if identity.may_change("response", "import"):
    workbooks.response_import(path, inputs.offers)
evaluation = widgets.stop_unless_ready(start)
names = labels.offer_labels(inputs.offers)

st.markdown("#### " + _("Consensus scores, offer by requirement"))
st.caption(
    _(
        "Each cell is the score (0–10) the evaluators agreed for a weighted requirement. "
        "Hover over a cell for the requirement, the vendor's own answer (0–3) and comment."
    )
)
matrix = data.kept(lambda: tables.consensus_matrix(inputs), "vendors_matrix")
widgets.kept_chart(
    "vendors_heatmap",
    lambda: charts.heatmap_figure(
        matrix,
        tables.heatmap_hover(inputs, responses),
        names,
        colour_title=_("Score"),
    ),
    summary=_(
        "The agreed scores of {offers} offers on {requirements} weighted requirements, one "
        "cell each; the colour scale beside the chart gives the score."
    ).format(offers=len(matrix.index), requirements=len(matrix.columns)),
    numbers=tables.consensus_numbers(matrix, names),
)

st.markdown("#### " + _("One offer in detail"))
offer_ids = inputs.offers["id"].tolist()
st.session_state.setdefault(state.DETAIL_OFFER, offer_ids[0])
offer = st.selectbox(
    _("Offer"),
    offer_ids,
    format_func=names.__getitem__,
    key=state.DETAIL_OFFER,
    placeholder=_("Choose an option"),
)
profile = tables.offer_row(inputs.offers, offer)
st.markdown(f"**{plain(profile['vendor_name'])}** · {plain(profile['product'])}")
st.markdown(
    in_language(
        plain(localized(profile, "profile")),
        localized_language(profile, "profile"),
        current_language(),
    ),
    unsafe_allow_html=True,
)

# Rank, points and costs wait for an evaluator who scores price-blind to submit.
if identity.prices_hidden():
    st.caption(_("Rank, points and costs are hidden until you have submitted your scores."))
else:
    cols = st.columns(4)
    if offer in evaluation.rank.index:
        cols[0].metric(_("Rank"), int(evaluation.rank[offer]))
        cols[1].metric(_("Points"), labels.number(evaluation.total[offer]))
    else:
        cols[0].metric(_("Rank"), _("Rejected"))
        cols[1].metric(_("Points"), "–")
    costs = evaluation.costs.loc[offer]
    cols[2].metric(
        _("Total cost, {years} years").format(years=inputs.contract_years),
        labels.millions(costs["total"]),
        help=_("One-time {one_time} NOK + yearly {yearly} NOK × {years} years").format(
            one_time=labels.number(costs["one_time"], 0),
            yearly=labels.number(costs["yearly"], 0),
            years=inputs.contract_years,
        ),
    )
    cols[3].metric(_("Options (not scored)"), labels.millions(costs["options"]))

widgets.kept_table(
    "vendors_detail",
    lambda: tables.offer_detail(inputs, responses, offer),
    None,
    offer,
    decimals={_("Consensus (0–10)"): 0},
)
