"""The Price page's tables, shaped from ``analysis.prices.PriceAnalysis``.

The tables take already computed results and return data frames with translated column
headers, in the order the page shows them; the steering group's report prints the same.
The page's form is in ``ui.price_form``.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from analysis.prices import PriceAnalysis
from scoring.price import DEPENDS_ON_OTHER_BIDS, PRICE_MODELS, PriceParameters
from scoring.price_comparison import RemovalCheck
from ui import charts, labels
from ui.i18n import _


def nok(value: float) -> str:
    """A whole number of kroner in the current language's format."""
    return labels.number(value, 0)


def model_names() -> dict[str, str]:
    """Every price model's name in the current language."""
    return {m: labels.price_model_name(m) for m in PRICE_MODELS}


def vendor_names(analysis: PriceAnalysis) -> dict[str, str]:
    """Offer id -> vendor name, "(rejected)" after an offer that is."""
    names = labels.offer_labels(analysis.inputs.offers)
    rejected = set(analysis.evaluation.rejected)
    return {
        o: _("{vendor} (rejected)").format(vendor=n) if o in rejected else n
        for o, n in names.items()
    }


def cost_parts(years: int) -> dict[str, str]:
    """The cost figure's parts and their labels."""
    return {
        "one_time": _("One-time (implementation, migration, training)"),
        "yearly_total": _("Yearly × {years} years (licence, hosting, support)").format(years=years),
        "options": _("Options (not scored)"),
    }


def cost_chart(analysis: PriceAnalysis, names: Mapping[str, str]) -> go.Figure:
    """Total cost per vendor, cheapest on top, stacked by cost type, options hatched."""
    return charts.cost_figure(
        analysis.evaluation.costs,
        names,
        cost_parts(analysis.contract_years),
        axis_title=_("NOK over the contract period"),
        format_number=nok,
    )


def cost_table(analysis: PriceAnalysis, names: Mapping[str, str]) -> pd.DataFrame:
    """Cost per vendor, cheapest first: one-time, yearly, yearly × years, total, options."""
    costs = analysis.evaluation.costs.loc[analysis.order]
    return pd.DataFrame(
        {
            _("Vendor"): [names[o] for o in analysis.order],
            _("One-time"): costs["one_time"].to_numpy(),
            _("Yearly"): costs["yearly"].to_numpy(),
            _("Yearly × years"): costs["yearly_total"].to_numpy(),
            _("Total (scored)"): costs["total"].to_numpy(),
            _("Options (not scored)"): costs["options"].to_numpy(),
        }
    )


def per_library_table(analysis: PriceAnalysis, names: Mapping[str, str]) -> pd.DataFrame:
    """The even split per library and per service point, in whole kroner, cheapest first."""
    if analysis.per_library is None:
        return pd.DataFrame()
    shares = analysis.per_library.loc[analysis.order]
    return pd.DataFrame(
        {
            _("Vendor"): [names[o] for o in analysis.order],
            _("Per library, whole period"): shares["per_library"].round(0).to_numpy(),
            _("Per library per year"): shares["per_library_year"].round(0).to_numpy(),
            _("Per service point per year"): shares["per_service_point_year"].round(0).to_numpy(),
        }
    )


def models_table(published: str) -> pd.DataFrame:
    """Every price model: name, formula, whether it depends on the other bids, published."""
    names = model_names()
    yes, no = _("Yes"), _("No")
    return pd.DataFrame(
        {
            _("Model"): [names[m] for m in PRICE_MODELS],
            _("Formula"): [labels.PRICE_MODEL_FORMULAS[m] for m in PRICE_MODELS],
            _("Depends on the other bids"): [
                yes if DEPENDS_ON_OTHER_BIDS[m] else no for m in PRICE_MODELS
            ],
            _("Published"): ["✓" if m == published else "" for m in PRICE_MODELS],
        }
    )


def terms() -> str:
    """The terms the page uses, as a Markdown list."""
    return "\n".join(
        [
            "- **P_e** – " + _("the price being scored: the offer's total cost."),
            "- **P_b** – " + _("the lowest price among the offers that are not rejected."),
            "- **S** – " + _("price points, 0–10 (some models go below 0)."),
            "- **A** – " + _("logarithmic model: the multiple of the lowest price that scores 0."),
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
            "- **E** – " + _("evaluated price, P_e − V · Q_e: the lowest evaluated price wins."),
            "- "
            + _(
                "**Depends on the other bids**: taking one bidder out can change the "
                "order of the others (the irrelevant alternatives problem)."
            ),
        ]
    )


def settings_caption(params: PriceParameters) -> str:
    """The price-model settings in use, in one sentence."""
    return _(
        "Settings in use: A = {a}; P_min = {p_min} NOK; P_max = {p_max} NOK; V = {v} NOK "
        "per quality point."
    ).format(
        a=labels.number(params.zero_multiple, 1),
        p_min="–" if params.price_min is None else nok(params.price_min),
        p_max="–" if params.price_max is None else nok(params.price_max),
        v="–" if params.point_value is None else nok(params.point_value),
    )


def model_order(analysis: PriceAnalysis) -> list[str]:
    """The offers in the order the published price model ranks them (else the first)."""
    ranks = analysis.comparison.ranks()
    column = analysis.published_model if analysis.published_model in ranks else ranks.columns[0]
    return [str(o) for o in ranks.sort_values(column).index]


def points_in_model_order(analysis: PriceAnalysis) -> pd.DataFrame:
    """The price points each model gives (offers × models), the offers in ``model_order``."""
    return analysis.comparison.points().loc[model_order(analysis)]


def model_ranks_table(analysis: PriceAnalysis, names: Mapping[str, str]) -> pd.DataFrame:
    """Each vendor's rank under each price model that can be shown."""
    ranks = analysis.comparison.ranks()
    order = model_order(analysis)
    shown = model_names()
    table = pd.DataFrame({_("Vendor"): [names[o] for o in order]})
    for model in analysis.comparison.views:
        table[shown[model]] = ranks.loc[order, model].to_numpy()
    return table


def quality_steps_table(analysis: PriceAnalysis, names: Mapping[str, str]) -> pd.DataFrame:
    """Pricing of quality step by step: rank, vendor, P_e, Q_e, V · Q_e and E."""
    steps = analysis.quality_steps
    if steps is None:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            _("Rank"): steps["rank"].to_numpy(),
            _("Vendor"): [names[o] for o in steps.index],
            "P_e": steps["price"].round(0).to_numpy(),
            "Q_e": steps["quality_points"].round(1).to_numpy(),
            "V · Q_e": steps["quality_value"].round(0).to_numpy(),
            "E = P_e − V · Q_e": steps["evaluated_price"].round(0).to_numpy(),
        }
    )


def removal_summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Per price model: how many bidders were taken out, and how often the rest changed."""
    names = model_names()
    return pd.DataFrame(
        {
            _("Model"): [names[m] for m in summary.index],
            _("Bidders taken out"): summary["tried"].to_numpy(),
            _("Order of the rest changed"): summary["changed"].to_numpy(),
        }
    )


def removal_warning(check: RemovalCheck, names: Mapping[str, str]) -> str:
    """What taking out one bidder did to the order of the others."""
    return _(
        "Without {removed}, {model} changes the order of the others: {before} became {after}."
    ).format(
        removed=names[check.removed],
        model=model_names()[check.model],
        before=labels.order_text(check.before, dict(names)),
        after=labels.order_text(check.after, dict(names)),
    )


def removal_checks_table(checks: list[RemovalCheck], names: Mapping[str, str]) -> pd.DataFrame:
    """Every check: bidder taken out, model, the order with and without it, changed."""
    models = model_names()
    plain = dict(names)
    yes, no = _("Yes"), _("No")
    return pd.DataFrame(
        {
            _("Bidder taken out"): [names[c.removed] for c in checks],
            _("Model"): [models[c.model] for c in checks],
            _("Order with every bidder"): [labels.order_text(c.before, plain) for c in checks],
            _("Order without"): [labels.order_text(c.after, plain) for c in checks],
            _("Changed"): [yes if c.changed else no for c in checks],
        }
    )


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """Logged changes to the price model, with translated headers."""
    return history.rename(
        columns={
            "logged_at": _("When"),
            "actor": _("Who"),
            "setting": _("Setting"),
            "old_value": _("Old value"),
            "new_value": _("New value"),
            "reason": _("Why"),
        }
    )
