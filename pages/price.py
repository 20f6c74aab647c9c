"""Pris: what each offer costs, how price turns into points, and what could change it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.inputs import profile_weights
from scoring.price import (
    DEPENDS_ON_OTHER_BIDS,
    LOG_MULTIPLE_RANGE,
    PRICE_MODELS,
    QUALITY_PRICING,
    PriceParameters,
    per_library,
)
from scoring.price_comparison import (
    compare_price_models,
    evaluated_price_table,
    removal_summary,
    remove_one_bidder,
)
from scoring.procurement import evaluate
from store.errors import InvalidPriceSettings
from ui import charts, data, labels, state, widgets
from ui.i18n import _, current_language
from ui.identity import current_actor

path = data.db_path()
settings = data.settings(path)
inputs = data.inputs(path)
widgets.stop_unless_ready(inputs, settings)
weights = profile_weights(data.profile(path, settings["published_profile"]))
evaluation = evaluate(inputs, weights)
published = inputs.price_model
params = inputs.price_parameters
years = inputs.contract_years
names = labels.offer_labels(inputs.offers)
rejected_names = {
    o: _("{vendor} (rejected)").format(vendor=names[o]) if o in evaluation.rejected else names[o]
    for o in names
}
model_names = {m: labels.price_model_name(m) for m in PRICE_MODELS}


def nok(value: float) -> str:
    return labels.number(value, 0)


st.title(_("Price"))
st.caption(
    _(
        "Price is the total cost over the contract period of {years} years: one-time costs "
        "plus yearly costs times the years. Options are shown apart and are not scored."
    ).format(years=years)
)

# --- total cost ------------------------------------------------------------------------
st.subheader(_("Total cost per vendor"))
costs = evaluation.costs
part_labels = {
    "one_time": _("One-time (implementation, migration, training)"),
    "yearly_total": _("Yearly × {years} years (licence, hosting, support)").format(years=years),
    "options": _("Options (not scored)"),
}
st.plotly_chart(
    charts.cost_figure(
        costs,
        rejected_names,
        part_labels,
        axis_title=_("NOK over the contract period"),
        format_number=nok,
    ),
    key="price_costs",
    width="stretch",
    config={"displaylogo": False},
)
order = costs["total"].sort_values(kind="stable").index
money = st.column_config.NumberColumn(format="localized")
st.dataframe(
    pd.DataFrame(
        {
            _("Vendor"): [rejected_names[o] for o in order],
            _("One-time"): costs.loc[order, "one_time"].to_numpy(),
            _("Yearly"): costs.loc[order, "yearly"].to_numpy(),
            _("Yearly × years"): costs.loc[order, "yearly_total"].to_numpy(),
            _("Total (scored)"): costs.loc[order, "total"].to_numpy(),
            _("Options (not scored)"): costs.loc[order, "options"].to_numpy(),
        }
    ),
    hide_index=True,
    width="stretch",
    column_config={
        c: money
        for c in [
            _("One-time"),
            _("Yearly"),
            _("Yearly × years"),
            _("Total (scored)"),
            _("Options (not scored)"),
        ]
    },
)

# --- per library -----------------------------------------------------------------------
st.subheader(_("Per library"))
counts = data.library_counts(path)
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
    shares = per_library(costs, counts, years)
    st.dataframe(
        pd.DataFrame(
            {
                _("Vendor"): [rejected_names[o] for o in order],
                _("Per library, whole period"): shares.loc[order, "per_library"].round(0),
                _("Per library per year"): shares.loc[order, "per_library_year"].round(0),
                _("Per service point per year"): shares.loc[order, "per_service_point_year"].round(
                    0
                ),
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            c: money
            for c in [
                _("Per library, whole period"),
                _("Per library per year"),
                _("Per service point per year"),
            ]
        },
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
    st.markdown(
        "\n".join(
            [
                "- **P_e** – " + _("the price being scored: the offer's total cost."),
                "- **P_b** – " + _("the lowest price among the offers that are not rejected."),
                "- **S** – " + _("price points, 0–10 (some models go below 0)."),
                "- **A** – "
                + _("logarithmic model: the multiple of the lowest price that scores 0."),
                "- **P_min, P_max** – "
                + _(
                    "fixed-range model: bounds set before the tender; P_min or less scores "
                    "10, P_max or more scores 0."
                ),
                "- **Q_e** – "
                + _(
                    "quality points, 0–100: the offer's weighted points on every criterion "
                    "except price, full marks everywhere being 100."
                ),
                "- **V** – " + _("pricing of quality: what one quality point is worth in NOK."),
                "- **E** – "
                + _("evaluated price, P_e − V · Q_e: the lowest evaluated price wins."),
                "- "
                + _(
                    "**Depends on the other bids**: taking one bidder out can change the "
                    "order of the others (the irrelevant alternatives problem)."
                ),
            ]
        )
    )

yes, no = _("Yes"), _("No")
st.dataframe(
    pd.DataFrame(
        {
            _("Model"): [model_names[m] for m in PRICE_MODELS],
            _("Formula"): [labels.PRICE_MODEL_FORMULAS[m] for m in PRICE_MODELS],
            _("Depends on the other bids"): [
                yes if DEPENDS_ON_OTHER_BIDS[m] else no for m in PRICE_MODELS
            ],
            _("Published"): ["✓" if m == published else "" for m in PRICE_MODELS],
        }
    ),
    hide_index=True,
    width="stretch",
)
with st.expander(_("What each model does"), expanded=False):
    for model in PRICE_MODELS:
        st.markdown(f"**{model_names[model]}** (`{model}`) – {_(labels.PRICE_MODEL_NOTES[model])}")
st.caption(
    _(
        "Settings in use: A = {a}; P_min = {p_min} NOK; P_max = {p_max} NOK; V = {v} NOK "
        "per quality point."
    ).format(
        a=labels.number(params.zero_multiple, 1),
        p_min="–" if params.price_min is None else nok(params.price_min),
        p_max="–" if params.price_max is None else nok(params.price_max),
        v="–" if params.point_value is None else nok(params.point_value),
    )
)

comparison = compare_price_models(inputs, weights)
for model in comparison.unavailable:
    st.warning(
        _("{model} cannot be shown until its settings are filled in below.").format(
            model=model_names[model]
        )
    )
if comparison.views and not evaluation.total.empty:
    ranks = comparison.ranks()
    shown = {m: model_names[m] for m in comparison.views}
    st.markdown("#### " + _("The ranking each model gives"))
    st.plotly_chart(
        charts.rank_lines_figure(ranks, names, shown, axis_title=_("Rank")),
        key="price_model_ranks",
        width="stretch",
        config={"displaylogo": False},
    )
    by_published = ranks.sort_values(published if published in ranks else ranks.columns[0]).index
    table = pd.DataFrame({_("Vendor"): [names[o] for o in by_published]})
    for model in comparison.views:
        table[shown[model]] = ranks.loc[by_published, model].to_numpy()
    st.dataframe(table, hide_index=True, width="stretch")

    st.markdown("#### " + _("Price points under each model"))
    st.plotly_chart(
        charts.grouped_bars_figure(
            comparison.points().loc[by_published],
            names,
            shown,
            axis_title=_("Price points (0–10)"),
        ),
        key="price_model_points",
        width="stretch",
        config={"displaylogo": False},
    )

if params.point_value is not None and params.point_value > 0 and not evaluation.total.empty:
    st.markdown("#### " + _("Pricing of quality, step by step"))
    steps = evaluated_price_table(evaluation, params.point_value).sort_values("rank")
    st.dataframe(
        pd.DataFrame(
            {
                _("Rank"): steps["rank"].to_numpy(),
                _("Vendor"): [names[o] for o in steps.index],
                "P_e": steps["price"].round(0).to_numpy(),
                "Q_e": steps["quality_points"].round(1).to_numpy(),
                "V · Q_e": steps["quality_value"].round(0).to_numpy(),
                "E = P_e − V · Q_e": steps["evaluated_price"].round(0).to_numpy(),
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "P_e": money,
            "Q_e": st.column_config.NumberColumn(format="%.1f"),
            "V · Q_e": money,
            "E = P_e − V · Q_e": money,
        },
    )
    st.caption(
        _(
            "V = {v} NOK per quality point. The lowest evaluated price ranks first; it "
            "depends on the offer alone. The same order appears in the table above as "
            "“{name}”."
        ).format(v=nok(params.point_value), name=model_names[QUALITY_PRICING])
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
checks = remove_one_bidder(inputs, weights)
if not checks:
    st.info(_("It takes at least three offers that are not rejected to check this."))
else:
    summary = removal_summary(checks)
    st.dataframe(
        pd.DataFrame(
            {
                _("Model"): [model_names[m] for m in summary.index],
                _("Bidders taken out"): summary["tried"].to_numpy(),
                _("Order of the rest changed"): summary["changed"].to_numpy(),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    flagged = [c for c in checks if c.changed]
    if not flagged:
        st.success(
            _(
                "Taking out any one bidder leaves the order of the others as it was, under "
                "every price model."
            )
        )
    for check in flagged:
        st.warning(
            _(
                "Without {removed}, {model} changes the order of the others: "
                "{before} became {after}."
            ).format(
                removed=names[check.removed],
                model=model_names[check.model],
                before=labels.order_text(check.before, names),
                after=labels.order_text(check.after, names),
            ),
            icon=":material/flag:",
        )
    with st.expander(_("Every check"), expanded=False):
        st.dataframe(
            pd.DataFrame(
                {
                    _("Bidder taken out"): [names[c.removed] for c in checks],
                    _("Model"): [model_names[c.model] for c in checks],
                    _("Order with every bidder"): [
                        labels.order_text(c.before, names) for c in checks
                    ],
                    _("Order without"): [labels.order_text(c.after, names) for c in checks],
                    _("Changed"): [yes if c.changed else no for c in checks],
                }
            ),
            hide_index=True,
            width="stretch",
        )

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
loaded = (published, params)
if st.session_state.get(state.PRICE_FORM_LOADED) != loaded:
    st.session_state[state.PRICE_MODEL_CHOICE] = published
    st.session_state[state.PRICE_RANGE_MIN] = params.price_min
    st.session_state[state.PRICE_RANGE_MAX] = params.price_max
    st.session_state[state.PRICE_LOG_MULTIPLE] = params.zero_multiple
    st.session_state[state.PRICE_POINT_VALUE] = params.point_value
    st.session_state[state.PRICE_REASON] = ""
    st.session_state[state.PRICE_FORM_LOADED] = loaded


def on_save_price_model() -> None:
    ss = st.session_state

    def number(key: str) -> float | None:
        value = ss.get(key)
        return None if value is None else float(value)

    parameters = PriceParameters(
        price_min=number(state.PRICE_RANGE_MIN),
        price_max=number(state.PRICE_RANGE_MAX),
        zero_multiple=float(ss[state.PRICE_LOG_MULTIPLE]),
        point_value=number(state.PRICE_POINT_VALUE),
    )
    try:
        changed = data.save_price_model(
            ss[state.PRICE_MODEL_CHOICE],
            parameters,
            actor=current_actor(),
            reason=ss.get(state.PRICE_REASON, ""),
        )
    except InvalidPriceSettings as exc:
        ss[state.PRICE_MESSAGE] = (
            "error",
            _("Not saved: {reason}").format(reason=exc.translated(current_language())),
        )
        return
    ss[state.PRICE_MESSAGE] = (
        ("success", _("Saved and logged."))
        if changed
        else ("info", _("Nothing changed, so nothing was saved."))
    )


with st.form("price:form", border=True):
    st.selectbox(
        _("Price model"),
        list(PRICE_MODELS),
        format_func=model_names.__getitem__,
        key=state.PRICE_MODEL_CHOICE,
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
    right.number_input(
        _("V: NOK per quality point (pricing of quality)"),
        min_value=0.0,
        step=10000.0,
        format="%.0f",
        key=state.PRICE_POINT_VALUE,
        value=None,
    )
    left.number_input(
        _("P_min: scores 10 (fixed range), NOK"),
        min_value=0.0,
        step=100000.0,
        format="%.0f",
        key=state.PRICE_RANGE_MIN,
        value=None,
    )
    right.number_input(
        _("P_max: scores 0 (fixed range), NOK"),
        min_value=0.0,
        step=100000.0,
        format="%.0f",
        key=state.PRICE_RANGE_MAX,
        value=None,
    )
    st.text_area(_("Why (recorded in the log)"), key=state.PRICE_REASON)
    st.form_submit_button(
        _("Publish"), type="primary", on_click=on_save_price_model, key="price:save"
    )
message = st.session_state.pop(state.PRICE_MESSAGE, None)
if message:
    {"success": st.success, "info": st.info}.get(message[0], st.error)(message[1])

history = data.price_setting_history(path)
with st.expander(_("Changes to the price model ({n})").format(n=len(history)), expanded=False):
    if history.empty:
        st.write(_("No change has been logged."))
    else:
        st.dataframe(
            history.rename(
                columns={
                    "logged_at": _("When"),
                    "actor": _("Who"),
                    "setting": _("Setting"),
                    "old_value": _("Old value"),
                    "new_value": _("New value"),
                    "reason": _("Why"),
                }
            ),
            hide_index=True,
            width="stretch",
        )
