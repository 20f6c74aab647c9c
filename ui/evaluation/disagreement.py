"""Where the evaluators disagree: spread per requirement and offer, Kendall's W per
category, and the pairs to discuss first. Submitted scores only."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.inputs import profile_weights
from scoring.agreement import agreement_by_category, discuss_first, pair_statistics, spread_matrix
from scoring.procurement import ProcurementInputs, global_weights
from scoring.scales import MAX_POINTS
from ui import charts, data, identity, labels, state, tables, widgets
from ui.i18n import N_, _

MEASURES = {"range": N_("Range (highest − lowest)"), "std": N_("Standard deviation")}
MEASURE_TITLES = {"range": N_("Range"), "std": N_("Standard deviation")}
DISCUSS_ROWS = 25


def at_stake_order(
    path: str, inputs: ProcurementInputs, published: str, statistics: pd.DataFrame
) -> pd.DataFrame:
    """The pairs where the evaluators differ, most points at stake under the published
    weights first (``scoring.agreement.discuss_first``)."""
    weights = global_weights(inputs.tree, profile_weights(data.profile(path, published)))
    return discuss_first(statistics, weights)


def show(path: str, inputs: ProcurementInputs, published: str) -> None:
    """Heatmap of spread, Kendall's W per category, the discuss-first list."""
    viewer = identity.current_viewer()
    scores = data.scores(path, viewer=viewer, submitted_only=True)
    names = data.evaluator_names(path)
    evaluators = scores["evaluator_id"].nunique()
    if evaluators < 2:
        st.info(
            _(
                "Disagreement can be shown when at least two evaluators have submitted their "
                "scores. Submitted so far: {count}."
            ).format(count=evaluators),
            icon=":material/group:",
        )
        return
    st.caption(
        _("From the submitted scores of {count} evaluators: {names}.").format(
            count=evaluators,
            names=", ".join(sorted(names.get(e, e) for e in scores["evaluator_id"].unique())),
        )
    )
    # Everything below is shaped once per data version, language and choice (data.kept).
    statistics = data.kept(lambda: pair_statistics(scores), "disagreement_pairs", viewer)
    st.markdown("#### " + _("Spread, offer by requirement"))
    hover = data.kept(
        lambda: tables.spread_hover(inputs, scores, statistics, names), "spread_hover", viewer
    )
    _spread(inputs, statistics, hover, viewer)

    st.markdown("#### " + _("Do the evaluators rank the offers alike? Kendall's W per category"))
    st.caption(
        _(
            "For each category, each evaluator's category score for an offer is the mean of "
            "their scores on the category's weighted requirements, weighted by the requirement "
            "weights. That puts the offers in an order for each evaluator. Kendall's W "
            "compares these orders: 1 means every evaluator put the offers in the same order, "
            "0 means there is no common order. Offers with equal scores share their places, "
            "and W is corrected for such ties. Only offers every evaluator scored take part."
        )
    )
    categories = inputs.tree.categories
    scored = categories[categories["id"].isin(inputs.tree.weighted_requirements()["category_id"])]
    table = data.kept(
        lambda: agreement_by_category(
            scores, inputs.tree.weighted_requirements(), scored["id"].tolist()
        ),
        "disagreement_w",
        viewer,
    )
    cat_names = labels.category_names(inputs.tree)
    widgets.kept_chart(
        "evaluation_kendall",
        lambda: charts.agreement_figure(
            table["w"].to_dict(),
            cat_names,
            axis_title=_("Kendall's W (0 = no common order, 1 = the same order)"),
            format_number=lambda v: labels.number(v, 2),
        ),
        viewer,
        summary=_("Kendall's W for each category, one bar each; the table below holds them."),
    )
    widgets.kept_table(
        "disagreement_w_table", lambda: tables.agreement_table(table, cat_names), None, viewer
    )

    st.markdown("#### " + _("Discuss these first"))
    order = data.kept(
        lambda: at_stake_order(path, inputs, published, statistics), "discuss_first", viewer
    )
    st.caption(
        _(
            "Sorted by points at stake: the range times the requirement's weight in the "
            "published model, as points of the 100 total. A wide spread on a heavy "
            "requirement can move the ranking most. Pairs where everyone agrees are left out."
        )
    )
    widgets.kept_table(
        "discuss_first_table",
        lambda: tables.discuss_first_table(inputs, order.head(DISCUSS_ROWS), scores, names),
        None,
        viewer,
    )
    if len(order) > DISCUSS_ROWS:
        st.caption(
            _(
                "The {shown} pairs with most at stake of {total} where the evaluators differ."
            ).format(shown=DISCUSS_ROWS, total=len(order))
        )


@st.fragment
def _spread(
    inputs: ProcurementInputs, statistics: pd.DataFrame, hover: pd.DataFrame, viewer: str | None
) -> None:
    """The measure and the heatmap of spread: a change of measure redraws this alone."""
    w_ids = inputs.tree.weighted_requirements()["id"].tolist()
    st.session_state.setdefault(state.SPREAD_MEASURE, "range")
    measure = st.radio(
        _("Measure"),
        list(MEASURES),
        format_func={m: _(name) for m, name in MEASURES.items()}.__getitem__,
        horizontal=True,
        key=state.SPREAD_MEASURE,
    )
    st.caption(
        _(
            "Range: the highest minus the lowest score. Standard deviation: the typical "
            "distance from the mean, over the evaluators who scored (divided by their number). "
            "Dark cells are where the evaluators are furthest apart; hover for each score."
        )
    )
    spread = data.kept(
        lambda: spread_matrix(statistics, inputs.offers["id"], w_ids, measure),
        "evaluation_spread_matrix",
        viewer,
        measure,
    )
    widgets.kept_chart(
        "evaluation_spread",
        lambda: charts.spread_heatmap_figure(
            spread,
            hover,
            labels.offer_labels(inputs.offers),
            colour_title=_(MEASURE_TITLES[measure]),
            zmax=MAX_POINTS if measure == "range" else MAX_POINTS / 2,
        ),
        viewer,
        measure,
        summary=_(
            "How far apart the evaluators' scores are, for each offer and weighted requirement."
        ),
        numbers=lambda: tables.labelled_matrix(
            spread.T, _("Requirement"), columns=labels.offer_labels(inputs.offers)
        ),
    )
