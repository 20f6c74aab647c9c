"""Pris: what each offer costs, how price turns into points, and what could change it."""

from __future__ import annotations

from typing import Any

import streamlit as st

from scoring.price import LOG_MULTIPLE_RANGE, PRICE_MODELS, QUALITY_PRICING
from ui import charts, data, identity, labels, price_form, state, widgets
from ui import price as tables
from ui.i18n import _
from ui.tables import labelled_matrix


def _nok_input(column: Any, label: str, *, step: float, key: str) -> None:
    """An amount in whole NOK in ``column``, empty until entered."""
    column.number_input(label, min_value=0.0, step=step, format="%.0f", key=key, value=None)


path = data.db_path()
widgets.stop_if_prices_hidden(_("Price"))
widgets.stop_unless_ready(data.published(path))
analysis = data.price_analysis(path)
evaluation, params, years = analysis.evaluation, analysis.parameters, analysis.contract_years
published = analysis.published_model
names = labels.offer_labels(analysis.inputs.offers)
rejected_names = tables.vendor_names(analysis)
model_names = tables.model_names()

st.title(_("Price"))
st.caption(
    _(
        "Price is the total cost over the contract period of {years} years: one-time costs "
        "plus yearly costs times the years. Options are shown apart and are not scored."
    ).format(years=years)
)

# --- total cost ------------------------------------------------------------------------
st.subheader(_("Total cost per vendor"))
widgets.kept_chart(
    "price_costs",
    lambda: tables.cost_chart(analysis, rejected_names),
    summary=_("Each vendor's total cost, split by cost type; the table below holds the sums."),
)
costs_table = widgets.kept_table(
    "price_cost_table",
    lambda: tables.cost_table(analysis, rejected_names),
    decimals=price_form.money_columns,
)
widgets.table_downloads(
    costs_table, _("total-cost"), key="price:costs", decimals=price_form.money_columns(costs_table)
)

# --- per library -----------------------------------------------------------------------
st.subheader(_("Per library"))
counts = analysis.counts
if counts.libraries == 0:
    st.info(_("The library table is empty, so there are no figures per library."))
else:
    cols = st.columns(3)
    cols[0].metric(_("Libraries"), counts.libraries)
    cols[1].metric(
        _("Service points"),
        counts.service_points,
        help=_("{branches} branches and {schools} school libraries").format(
            branches=counts.branches, schools=counts.school_libraries
        ),
    )
    cols[2].metric(_("Contract years"), years)
    widgets.kept_table(
        "price_per_library",
        lambda: tables.per_library_table(analysis, rejected_names),
        decimals=price_form.money_columns,
    )
    st.caption(
        _(
            "An even split of the total cost, for scale only: it is not how the cost will be "
            "shared between the libraries. Service points are the public libraries' branches "
            "and the school libraries they serve."
        )
    )

# --- the price models side by side -----------------------------------------------------
st.subheader(_("Price to points: the models side by side"))
st.markdown(
    _(
        "Every model below runs on the same quality points and weights as the published "
        "ranking; only the price points change. The working group publishes one of them "
        "before the offers are opened."
    )
)
with st.expander(_("Terms used on this page"), expanded=False):
    st.markdown(tables.terms())

widgets.kept_table("price_models", lambda: tables.models_table(published))
with st.expander(_("What each model does"), expanded=False):
    for model in PRICE_MODELS:
        st.markdown(f"**{model_names[model]}** (`{model}`) – {_(labels.PRICE_MODEL_NOTES[model])}")
st.caption(tables.settings_caption(params))

comparison = analysis.comparison
for model in comparison.unavailable:
    st.warning(
        _("{model} cannot be shown until its settings are filled in below.").format(
            model=model_names[model]
        )
    )
if comparison.views and not evaluation.total.empty:
    shown = {m: model_names[m] for m in comparison.views}
    st.markdown("#### " + _("The ranking each model gives"))
    widgets.kept_chart(
        "price_model_ranks",
        lambda: charts.rank_lines_figure(comparison.ranks(), names, shown, axis_title=_("Rank")),
        summary=_("The rank of each offer under each price model; the table below holds them."),
    )
    widgets.kept_table("price_model_ranks_table", lambda: tables.model_ranks_table(analysis, names))
    st.markdown("#### " + _("Price points under each model"))
    points = tables.points_in_model_order(analysis)
    widgets.kept_chart(
        "price_model_points",
        lambda: charts.grouped_bars_figure(
            points, names, shown, axis_title=_("Price points (0–10)")
        ),
        summary=_("The price points (0–10) each price model gives each offer."),
        numbers=labelled_matrix(points, _("Offer"), names, shown),
    )

if analysis.quality_steps is not None and params.point_value is not None:
    st.markdown("#### " + _("Pricing of quality, step by step"))
    widgets.kept_table(
        "price_quality_steps",
        lambda: tables.quality_steps_table(analysis, names),
        decimals={"P_e": 0, "Q_e": 1, "V · Q_e": 0, "E = P_e − V · Q_e": 0},
    )
    st.caption(
        _(
            "V = {v} NOK per quality point. The lowest evaluated price ranks first; it "
            "depends on the offer alone. The same order appears in the table above as "
            "“{name}”."
        ).format(v=tables.nok(params.point_value), name=model_names[QUALITY_PRICING])
    )

# --- remove one bidder -----------------------------------------------------------------
st.subheader(_("Remove one bidder"))
st.markdown(
    _(
        "For each bidder in turn: the ranking of the others without it. Models that score "
        "against the lowest bid can change the order of the rest when a bidder leaves; that "
        "is flagged here with the model that caused it."
    )
)
checks = analysis.removals
if analysis.removal_summary is None:
    st.info(_("It takes at least three offers that are not rejected to check this."))
else:
    summary = analysis.removal_summary
    widgets.kept_table("price_removals", lambda: tables.removal_summary_table(summary))
    flagged = [c for c in checks if c.changed]
    if not flagged:
        st.success(
            _(
                "Taking out any one bidder leaves the order of the others as it was, under "
                "every price model."
            )
        )
    for check in flagged:
        st.warning(tables.removal_warning(check, names), icon=":material/flag:")
    with widgets.folded(_("Every check"), "price:checks") as opened:
        if opened:
            widgets.kept_table("price_checks", lambda: tables.removal_checks_table(checks, names))

# --- the published price model ---------------------------------------------------------
st.subheader(_("The published price model"))
st.markdown(
    _("Published now: **{model}**. The overview and every ranking use it.").format(
        model=model_names.get(published, published)
    )
)
st.caption(
    _(
        "The price model must be fixed before the offers are opened. A later change is "
        "logged with its reason and shown below."
    )
)
if identity.may_change("setting"):
    price_form.load_form(published, params)

    with st.form("price:form", border=True):
        st.selectbox(
            _("Price model"),
            list(PRICE_MODELS),
            format_func=model_names.__getitem__,
            key=state.PRICE_MODEL_CHOICE,
            placeholder=_("Choose an option"),
        )
        left, right = st.columns(2)
        low, high = LOG_MULTIPLE_RANGE
        left.number_input(
            _("A: the price multiple that scores 0 (logarithmic)"),
            min_value=low,
            max_value=high,
            step=0.1,
            key=state.PRICE_LOG_MULTIPLE,
        )
        _nok_input(
            right,
            _("V: NOK per quality point (pricing of quality)"),
            step=10000.0,
            key=state.PRICE_POINT_VALUE,
        )
        _nok_input(
            left, _("P_min: scores 10 (fixed range), NOK"), step=100000.0, key=state.PRICE_RANGE_MIN
        )
        _nok_input(
            right, _("P_max: scores 0 (fixed range), NOK"), step=100000.0, key=state.PRICE_RANGE_MAX
        )
        st.text_area(_("Why (recorded in the log)"), key=state.PRICE_REASON)
        st.form_submit_button(
            _("Publish"), type="primary", on_click=price_form.on_save, key="price:save"
        )
    price_form.show_message()

history = data.price_setting_history(path)
with widgets.folded(
    _("Changes to the price model ({n})").format(n=len(history)), "price:history"
) as opened:
    if opened and history.empty:
        st.write(_("No change has been logged."))
    elif opened:
        widgets.table(tables.history_table(history))
