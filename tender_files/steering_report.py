"""The steering group's report: one PDF of where the tender stands, the ranking and how firm
it is, for the meeting that decides.

Three steps. ``gather`` reads and computes everything once from the database, with the
same analyses the pages call (``analysis/``, ``scoring/``). ``sections`` shapes it into
headed sections of text, tables and charts in the current language (``ui.i18n.speaking``),
with the very table and figure builders the pages use (``ui.tables``, ``ui.price``,
``ui.robustness``, ``ui.charts``), so the report shows what the app shows. ``make`` draws
the charts (``chart_images``) and typesets the PDF (``pdf``, template
``steering_report.typ``). Every chart has its numbers in a table beside it, and alt text;
without a browser to draw them, the tables stand alone and a note says why.

SMAA runs with a fixed sample count and seed (``REPORT_SAMPLES``, ``REPORT_SEED``), the
defaults of the Robustness page and of the overview's sentence, and the report prints them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analysis import prices, ranking, stage
from analysis import robustness as robustness_analysis
from scoring.agreement import agreement_by_category, discuss_first, pair_statistics, spread_matrix
from scoring.methods import METHODS
from scoring.procurement import (
    Evaluation,
    global_weights,
    in_published_order,
    method_ranks,
    methods_ranking_otherwise,
)
from scoring.ranks import kendall_tau_matrix
from scoring.scales import MANDATORY_OUTCOMES, MAX_POINTS, MET
from scoring.smaa import DEFAULT_SAMPLES, DEFAULT_SEED, SmaaResult
from scoring.stability import Stability
from scoring.stakeholders import DEFAULT_GROUP_CONCENTRATION, GroupView
from store import audit, freeze
from store import evaluation as store_evaluation
from store import tender as store_tender
from tender_files import chart_images, pdf
from ui import charts, labels, tables
from ui import price as price_tables
from ui import robustness as robustness_tables
from ui.i18n import N_, _, localized, speaking

REPORT_SAMPLES = DEFAULT_SAMPLES
REPORT_SEED = DEFAULT_SEED
TEMPLATE = Path(__file__).with_name("steering_report.typ")
DISCUSS_ROWS = 10

# The sections in order: their headings (message ids).
HEADINGS = {
    "tender": N_("The tender and where it stands"),
    "ranking": N_("Ranking"),
    "mandatory": N_("Mandatory requirements"),
    "price": N_("Price models side by side"),
    "methods": N_("Method comparison"),
    "stability": N_("Weight stability"),
    "smaa": N_("Many plausible weightings (SMAA)"),
    "groups": N_("Library groups"),
    "disagreement": N_("Where the evaluators disagree"),
    "model": N_("The evaluation model"),
    "changes": N_("Changes to the evaluation model in the log"),
}


@dataclass(frozen=True)
class Ranked:
    """What is computed once there is a ranking."""

    evaluation: Evaluation
    prices: prices.PriceAnalysis
    methods: pd.DataFrame | None  # offers × methods of ranks; None with fewer than two offers
    stability: Stability | None  # None when no offer is left to rank
    smaa: SmaaResult | None
    groups: pd.DataFrame  # the library groups (id, names, descriptions, profile, libraries,
    # from_answers: weighed by its libraries' answers in the input round)
    group_views: tuple[str, list[GroupView]] | None
    mixture: SmaaResult | None  # draws around every group's weights together
    scores: pd.DataFrame  # the evaluators' submitted scores
    evaluator_names: dict[str, str]


@dataclass(frozen=True)
class Gathered:
    """Everything the report shows, read and computed in one go (no language yet)."""

    tender: store_tender.Tender
    stage: stage.Stage
    start: ranking.Published
    model: freeze.ModelStatus
    model_history: pd.DataFrame
    model_changes: pd.DataFrame
    anchor: audit.Anchor | None
    ranked: Ranked | None  # None until there is something to rank
    samples: int
    seed: int
    made_at: datetime


def gather(
    con: duckdb.DuckDBPyConnection, *, samples: int = REPORT_SAMPLES, seed: int = REPORT_SEED
) -> Gathered:
    """Read and compute what the report shows."""
    start = ranking.published(con)
    return Gathered(
        tender=store_tender.tender(con),
        stage=stage.stage(con),
        start=start,
        model=freeze.status(con),
        model_history=freeze.history(con),
        model_changes=freeze.model_changes(con),
        anchor=audit.anchor(con),
        ranked=None if start.evaluation is None else _ranked(con, start, samples, seed),
        samples=samples,
        seed=seed,
        made_at=datetime.now().replace(microsecond=0),
    )


def _ranked(
    con: duckdb.DuckDBPyConnection, start: ranking.Published, samples: int, seed: int
) -> Ranked:
    assert start.evaluation is not None
    evaluation = start.evaluation
    data = robustness_analysis.load(con)
    ranked_any = not evaluation.total.empty
    groups = data.groups.assign(from_answers=data.groups["id"].astype(str).isin(data.derived))
    views = None
    mixture = None
    if ranked_any and data.group_weights():
        views = robustness_analysis.group_views(
            data, start.profile, DEFAULT_GROUP_CONCENTRATION, samples, seed
        )
        mixture = robustness_analysis.run_smaa(
            data, start.profile, f"groups:{DEFAULT_GROUP_CONCENTRATION:g}", samples, seed
        )
    return Ranked(
        evaluation=evaluation,
        prices=prices.price_analysis(con),
        methods=method_ranks(evaluation, list(METHODS)) if len(evaluation.total) >= 2 else None,
        stability=robustness_analysis.stability(data, start.profile) if ranked_any else None,
        smaa=(
            robustness_analysis.run_smaa(data, start.profile, samples=samples, seed=seed)
            if ranked_any
            else None
        ),
        groups=groups,
        group_views=views,
        mixture=mixture,
        scores=store_evaluation.scores(con, viewer=None, submitted_only=True),
        evaluator_names=tables.evaluator_names(store_evaluation.evaluators(con)),
    )


# --- blocks: what a section holds ------------------------------------------------------


def plain(text: str) -> str:
    """A message written for the pages, without its Markdown emphasis."""
    return text.replace("**", "")


def text(value: str) -> dict[str, Any]:
    return {"kind": "text", "text": value}


def note(value: str) -> dict[str, Any]:
    return {"kind": "note", "text": value}


def subheading(value: str) -> dict[str, Any]:
    return {"kind": "subheading", "text": value}


def _decimals(values: pd.Series) -> int:
    """The fewest decimals (at most 2) that write every number of a column as it is."""
    numbers = values.dropna().astype(float)
    for decimals in (0, 1):
        if np.allclose(numbers, numbers.round(decimals), atol=1e-9):
            return decimals
    return 2


def _is_number(values: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values))


def _number_texts(values: pd.Series) -> list[str]:
    decimals = _decimals(values)
    return ["–" if pd.isna(v) else labels.number(float(v), decimals) for v in values]


def cell_texts(frame: pd.DataFrame) -> list[list[str]]:
    """A table's cells as text: numbers in the current language's format, with as many
    decimals as the column needs; an empty number as a dash."""
    columns: list[list[str]] = []
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_bool_dtype(values):
            columns.append(["✓" if v else "–" for v in values])
        elif _is_number(values):
            columns.append(_number_texts(values))
        else:
            columns.append(
                ["" if pd.api.types.is_scalar(v) and pd.isna(v) else str(v) for v in values]
            )
    return [list(row) for row in zip(*columns, strict=True)] if columns else []


def table(frame: pd.DataFrame, caption: str = "") -> dict[str, Any]:
    """A table block: its headers, its cells as text, and which columns hold numbers."""
    return {
        "kind": "table",
        "caption": caption,
        "columns": [str(c) for c in frame.columns],
        "rows": cell_texts(frame),
        "numeric": [_is_number(frame[c]) for c in frame.columns],
    }


def chart(name: str, figure: Any, alt: str, caption: str = "") -> dict[str, Any]:
    """A chart block; ``make`` draws ``figure`` into the file ``name``."""
    return {"kind": "image", "file": name, "figure": figure, "alt": alt, "caption": caption}


def chart_and_table(
    name: str, figure: Any, alt: str, frame: pd.DataFrame, caption: str = ""
) -> list[dict[str, Any]]:
    """A chart whose text alternative points to the table below it, and that table (with
    ``caption``)."""
    return [
        chart(name, figure, alt + " " + _("The table below gives every number.")),
        table(frame, caption),
    ]


def section(key: str, blocks: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"key": key, "heading": _(HEADINGS[key]), "blocks": list(blocks)}


# --- the sections ---------------------------------------------------------------------


def sections(gathered: Gathered) -> list[dict[str, Any]]:
    """Every section of the report, in the current language."""
    out = [section("tender", tender_blocks(gathered))]
    ranked = gathered.ranked
    if ranked is None:
        nothing = [note(_("Nothing is ranked yet: {why}").format(why=_(_waiting(gathered))))]
        out += [section(key, nothing) for key in list(HEADINGS)[1:-2]]
    else:
        inputs = gathered.start.inputs
        nothing_left = [note(_("No offer is left to rank."))]
        out += [
            section("ranking", ranking_blocks(gathered, ranked)),
            section("mandatory", mandatory_blocks(inputs, ranked.evaluation)),
            section("price", price_blocks(ranked)),
            section("methods", method_blocks(inputs, ranked)),
            section(
                "stability",
                nothing_left if ranked.stability is None else stability_blocks(inputs, ranked),
            ),
            section("smaa", nothing_left if ranked.smaa is None else smaa_blocks(inputs, ranked)),
            section("groups", group_blocks(gathered, ranked)),
            section("disagreement", disagreement_blocks(gathered, ranked)),
        ]
    out.append(section("model", model_blocks(gathered)))
    out.append(section("changes", change_blocks(gathered.model_changes)))
    return out


def _waiting(gathered: Gathered) -> str:
    if gathered.start.unpriced:
        return N_("some offers have no prices yet.")
    return ranking.NOTHING_TO_RANK


def tender_blocks(gathered: Gathered) -> list[dict[str, Any]]:
    """The tender's settings, the steps and each evaluator's progress (counts only)."""
    tender = gathered.tender
    settings = gathered.start.settings
    procedures = {"open": _("Open tender"), "negotiation": _("Competition with negotiation")}
    rows = [
        (_("Name"), tender.name),
        (_("Reference"), tender.reference),
        (_("Procedure"), procedures.get(tender.procedure, tender.procedure)),
        (_("Contract years"), str(tender.contract_years)),
        (_("Option years"), str(tender.option_years)),
        (_("Offer deadline"), tender.deadline.isoformat() if tender.deadline else "–"),
        (_("Alternative offers"), _("Yes") if tender.alternative_offers else _("No")),
        (_("Published weight profile"), gathered.start.profile or "–"),
        (_("Price model"), labels.price_model_name(settings.get("price_model", ""))),
    ]
    facts = pd.DataFrame(rows, columns=[_("Setting"), _("Value")])
    where = gathered.stage
    steps = pd.DataFrame(
        {
            _("Step"): [_(stage.STEP_NAMES[s.key]) for s in where.steps],
            _("Done"): [s.done for s in where.steps],
            _("What it still lacks"): [
                "; ".join(_(m.message).format(**m.params) for m in s.missing) for s in where.steps
            ],
        }
    )
    current = where.current
    blocks = [
        table(facts),
        subheading(_("Where the work stands")),
        text(
            _("Next step: {step}.").format(step=_(stage.STEP_NAMES[current.key]))
            if current is not None
            else _("Every step is done.")
        ),
        table(steps),
    ]
    if where.evaluators:
        progress = pd.DataFrame(
            {
                _("Evaluator"): [p.evaluator_id for p in where.evaluators],
                _("Done"): [p.done for p in where.evaluators],
                _("Of"): [p.total for p in where.evaluators],
                _("Submitted"): [p.submitted for p in where.evaluators],
            }
        )
        blocks += [subheading(_("Each evaluator's progress (counts only)")), table(progress)]
    return blocks


def contributions_table(evaluation: Evaluation, inputs: Any) -> pd.DataFrame:
    """The ranking chart as a table: each offer's points per part, best first."""
    part_labels, _criteria = labels.parts(inputs.tree)
    names = labels.offer_labels(inputs.offers)
    order = evaluation.rank.sort_values(kind="stable").index
    parts = [p for p in part_labels if p in evaluation.contributions.columns]
    frame = pd.DataFrame({_("Vendor"): [names[o] for o in order]})
    for part in parts:
        frame[part_labels[part]] = evaluation.contributions.loc[order, part].round(1).to_numpy()
    frame[_("Points")] = evaluation.total.loc[order].round(1).to_numpy()
    return frame


def _order_alt(kind: str, names: Sequence[str], values: Sequence[str]) -> str:
    listed = "; ".join(f"{n}: {v}" for n, v in zip(names, values, strict=True))
    return _("{kind}. {listed}. The table below gives every number.").format(
        kind=kind, listed=listed
    )


def ranking_blocks(gathered: Gathered, ranked: Ranked) -> list[dict[str, Any]]:
    """The ranking as stacked bars and as tables, and how firm the winner is."""
    inputs, evaluation = gathered.start.inputs, ranked.evaluation
    caption = _("Weight profile: {profile}. Price model: {model}. Points on a scale of 0–100.")
    blocks = [
        text(
            caption.format(
                profile=gathered.start.profile, model=labels.price_model_name(inputs.price_model)
            )
        )
    ]
    if evaluation.total.empty:
        return [*blocks, note(_("No offer is left to rank."))]
    part_labels, part_criterion = labels.parts(inputs.tree)
    names = labels.offer_labels(inputs.offers)
    figure = charts.ranking_figure(
        evaluation.contributions,
        evaluation.total,
        evaluation.rank,
        names,
        part_labels,
        part_criterion,
        axis_title=_("Points (0–100)"),
        format_number=labels.number,
    )
    order = evaluation.rank.sort_values(kind="stable").index
    alt = _order_alt(
        _("Stacked bar chart of each offer's total points, best first, split by part"),
        [names[o] for o in order],
        [labels.number(float(evaluation.total[o])) for o in order],
    )
    blocks += [
        chart("ranking.png", figure, alt),
        table(tables.ranking_table(evaluation, inputs)),
        text(
            _(
                "The published model is the weighted sum of points; it decides. TOPSIS, on the "
                "same points and weights, is shown only to see whether the result is robust."
            )
        ),
        subheading(_("Points per part")),
        table(contributions_table(evaluation, inputs)),
    ]
    smaa = ranked.smaa
    winner = str(order[0])
    if smaa is not None and winner in smaa.alternatives:
        blocks.append(
            text(
                plain(_("**{vendor}** wins in **{share} %** of plausible weightings.")).format(
                    vendor=names.get(winner, winner),
                    share=labels.number(100 * smaa.first_rank(winner), 0),
                )
                + " "
                + robustness_tables.run_caption(smaa)
            )
        )
    return blocks


def screening_table(inputs: Any) -> pd.DataFrame:
    """Per mandatory requirement: its text and how many offers met it, did not (without a
    material deviation) and deviated materially, from the agreed assessments."""
    checks = inputs.checks
    rows = []
    for req in inputs.tree.mandatory_requirements().to_dict("records"):
        outcomes = checks.loc[checks["requirement_id"] == req["id"], "outcome"]
        rows.append(
            {
                _("Requirement"): req["id"],
                _("Text"): localized(req, "text"),
                **{
                    tables.outcome_name(outcome): int((outcomes == outcome).sum())
                    for outcome in MANDATORY_OUTCOMES
                },
            }
        )
    return pd.DataFrame(rows)


def exceptions_table(inputs: Any) -> pd.DataFrame:
    """Every agreed assessment other than met, with its reason."""
    checks = inputs.checks[inputs.checks["outcome"] != MET]
    names = labels.offer_labels(inputs.offers)
    return pd.DataFrame(
        {
            _("Vendor"): [names.get(o, o) for o in checks["offer_id"]],
            _("Requirement"): checks["requirement_id"].to_numpy(),
            _("Assessment"): [tables.outcome_name(o) for o in checks["outcome"]],
            _("Reason"): checks["reason"].to_numpy(),
        }
    )


def mandatory_blocks(inputs: Any, evaluation: Evaluation) -> list[dict[str, Any]]:
    """Who is rejected and why; every assessment other than met with its reason."""
    names = labels.offer_labels(inputs.offers)
    if evaluation.rejected:
        lines = [
            plain(
                _("**{vendor}** is rejected: material deviation from a mandatory requirement.")
            ).format(vendor=names.get(o, o))
            for o in evaluation.rejected
        ]
        blocks = [note(" ".join(lines))]
    else:
        blocks = [text(_("Every offer meets the mandatory requirements."))]
    exceptions = exceptions_table(inputs)
    if not exceptions.empty:
        blocks += [subheading(_("Assessments other than met, with the reasons")), table(exceptions)]
    blocks += [subheading(_("Each mandatory requirement")), table(screening_table(inputs))]
    return blocks


def price_blocks(ranked: Ranked) -> list[dict[str, Any]]:
    """Total cost, every price model side by side, and what taking out a bidder does."""
    analysis = ranked.prices
    evaluation, years = analysis.evaluation, analysis.contract_years
    vendor_names = price_tables.vendor_names(analysis)
    names = labels.offer_labels(analysis.inputs.offers)
    model_names = price_tables.model_names()
    blocks: list[dict[str, Any]] = [
        text(
            _(
                "Price is the total cost over the contract period of {years} years: one-time "
                "costs plus yearly costs times the years. Options are shown apart and are not "
                "scored."
            ).format(years=years)
        ),
        subheading(_("Total cost per vendor")),
        chart(
            "costs.png",
            price_tables.cost_chart(analysis, vendor_names),
            _order_alt(
                _("Stacked bar chart of each vendor's total cost, cheapest first"),
                [vendor_names[o] for o in analysis.order],
                [price_tables.nok(float(evaluation.costs.at[o, "total"])) for o in analysis.order],
            ),
        ),
        table(price_tables.cost_table(analysis, vendor_names)),
        subheading(_("Price to points: the models side by side")),
        table(price_tables.models_table(analysis.published_model)),
        text(price_tables.settings_caption(analysis.parameters)),
    ]
    comparison = analysis.comparison
    blocks += [
        note(
            _("{model} cannot be shown until its settings are filled in below.").format(
                model=model_names[m]
            )
        )
        for m in comparison.unavailable
    ]
    if comparison.views and not evaluation.total.empty:
        shown = {m: model_names[m] for m in comparison.views}
        ranks_table = price_tables.model_ranks_table(analysis, names)
        points = comparison.points().loc[price_tables.model_order(analysis)]
        points_table = pd.DataFrame({_("Vendor"): [names[o] for o in points.index]})
        for model, label in shown.items():
            points_table[label] = points[model].round(2).to_numpy()
        blocks += [
            subheading(_("The ranking each model gives")),
            *chart_and_table(
                "price_model_ranks.png",
                charts.rank_lines_figure(comparison.ranks(), names, shown, axis_title=_("Rank")),
                _("Line chart of each vendor's rank under each price model."),
                ranks_table,
            ),
            subheading(_("Price points under each model")),
            *chart_and_table(
                "price_points.png",
                charts.grouped_bars_figure(
                    points, names, shown, axis_title=_("Price points (0–10)")
                ),
                _("Grouped bar chart of each vendor's price points under each price model."),
                points_table,
            ),
        ]
    if analysis.removal_summary is not None:
        flagged = [c for c in analysis.removals if c.changed]
        blocks += [
            subheading(_("Remove one bidder")),
            table(price_tables.removal_summary_table(analysis.removal_summary)),
        ]
        blocks += [note(price_tables.removal_warning(c, names)) for c in flagged] or [
            text(
                _(
                    "Taking out any one bidder leaves the order of the others as it was, under "
                    "every price model."
                )
            )
        ]
    return blocks


def method_blocks(inputs: Any, ranked: Ranked) -> list[dict[str, Any]]:
    """The rank each method gives, and Kendall's tau between the methods."""
    blocks = [
        text(
            _(
                "The published weighted sum of points decides the award. The other methods use "
                "the same points and weights only to show whether the result is robust: where "
                "they agree, the result does not hang on the choice of method."
            )
        )
    ]
    ranks = ranked.methods
    if ranks is None:
        return [
            *blocks,
            note(_("It takes at least two offers that are not rejected to compare methods.")),
        ]
    names = labels.offer_labels(inputs.offers)
    method_names = {m: labels.method_name(m) for m in METHODS}
    frame = tables.method_rank_table(in_published_order(ranks), names, method_names)
    disagree = methods_ranking_otherwise(ranks)
    tau = kendall_tau_matrix(ranks)
    tau_frame = pd.DataFrame({_("Method"): [method_names[m] for m in tau.index]})
    for method in tau.columns:
        tau_frame[method_names[method]] = tau[method].round(2).to_numpy()
    return [
        *blocks,
        subheading(_("The rank each method gives")),
        *chart_and_table(
            "methods.png",
            charts.rank_lines_figure(
                in_published_order(ranks), names, method_names, axis_title=_("Rank")
            ),
            _("Line chart of each vendor's rank under each method."),
            frame,
        ),
        text(
            _("These methods rank differently from the published model: {methods}.").format(
                methods=", ".join(method_names[m] for m in disagree)
            )
            if disagree
            else _("Every method gives the same ranking as the published model.")
        ),
        subheading(_("Agreement between the methods (Kendall's tau)")),
        *chart_and_table(
            "methods_tau.png",
            charts.tau_heatmap_figure(
                tau, method_names, colour_title="τ", format_number=lambda v: labels.number(v, 2)
            ),
            _("Heatmap of Kendall's tau between every two methods."),
            tau_frame,
        ),
    ]


def stability_blocks(inputs: Any, ranked: Ranked) -> list[dict[str, Any]]:
    """The tornado of weight stability and its intervals (``ranked`` has them)."""
    stability = ranked.stability
    assert stability is not None
    names = labels.offer_labels(inputs.offers)
    nodes = robustness_tables.node_labels(inputs)
    winner = names.get(stability.winner, stability.winner)
    figure = robustness_tables.tornado(stability, names, nodes)
    return [
        text(
            plain(
                _(
                    "With these weights **{vendor}** wins. Each bar shows how far one weight "
                    "can move, while the other weights on its level keep their proportions, "
                    "before another offer takes first place. The diamond is the weight now; a "
                    "cross marks where another offer would overtake. The most sensitive weight "
                    "is on top."
                )
            ).format(vendor=winner)
        ),
        *chart_and_table(
            "stability.png",
            figure,
            _("Tornado chart: for each weight, the range in which {vendor} stays first.").format(
                vendor=winner
            ),
            robustness_tables.stability_table(stability, names, nodes),
        ),
    ]


def smaa_blocks(inputs: Any, ranked: Ranked) -> list[dict[str, Any]]:
    """SMAA-2 rank acceptabilities, confidence factors and central weights (``ranked`` has
    them)."""
    result = ranked.smaa
    assert result is not None
    order = robustness_tables.offers_in_order(ranked.evaluation.rank, result.alternatives)
    names = labels.offer_labels(inputs.offers)
    nodes = robustness_tables.node_labels(inputs)
    rows = [result.alternatives.index(o) for o in order]
    winner = order[0]
    return [
        text(
            _(
                "Stochastic multicriteria acceptability analysis: draw thousands of weightings "
                "(and, if you like, scores within the evaluators' disagreement), rank the "
                "offers for each, and count how often each offer takes each place."
            )
        ),
        note(
            _("Samples: {samples}. Seed: {seed}.").format(
                samples=labels.number(result.samples, 0), seed=result.seed
            )
            + " "
            + robustness_tables.run_caption(result)
        ),
        text(
            plain(_("**{vendor}** takes first place in **{share} %** of the draws.")).format(
                vendor=names.get(winner, winner),
                share=labels.number(100 * result.first_rank(winner), 0),
            )
        ),
        *chart_and_table(
            "smaa.png",
            charts.rank_acceptability_figure(
                result.rank_acceptability[rows].tolist(),
                [names.get(o, o) for o in order],
                [_("Rank {rank}").format(rank=r + 1) for r in range(len(result.alternatives))],
                axis_title=_("Share of the draws (%)"),
            ),
            _("Stacked bar chart of how often each offer takes each rank in the draws."),
            robustness_tables.acceptability_table(result, names),
        ),
        text(
            _(
                "Confidence factor: how often the offer wins when the weights are fixed at its "
                "central weights and only the evaluators' scores vary. Central weights: the "
                "average weights of the draws in which the offer wins (empty if it never does)."
            )
        ),
        table(robustness_tables.central_weights_table(result, names, nodes)),
    ]


def group_blocks(gathered: Gathered, ranked: Ranked) -> list[dict[str, Any]]:
    """Each library group's ranking under its own weights, and how firmly the winner holds."""
    if ranked.group_views is None or ranked.mixture is None:
        return [note(_("No library groups with their own weight profiles are recorded."))]
    inputs, evaluation = gathered.start.inputs, ranked.evaluation
    names = labels.offer_labels(inputs.offers)
    overall, views = ranked.group_views
    group_rows = {str(r["id"]): r for r in ranked.groups.to_dict("records")}
    mixture = ranked.mixture
    offer_order = robustness_tables.offers_in_order(evaluation.rank, mixture.alternatives)
    shares = robustness_tables.first_rank_shares(views, mixture, offer_order)
    bars = [robustness_tables.group_name(group_rows[v.group]) for v in views] + [
        _("All groups together")
    ]
    shares_frame = pd.DataFrame({_("Library group"): bars})
    for k, offer in enumerate(offer_order):
        shares_frame[names.get(offer, offer)] = [round(100 * row[k], 1) for row in shares]
    held = [v for v in views if v.holds]
    descriptions = pd.DataFrame(
        {
            _("Library group"): [robustness_tables.group_name(group_rows[v.group]) for v in views],
            _("Weights from"): [
                _("Its libraries' answers in the input round")
                if group_rows[v.group].get("from_answers")
                else str(group_rows[v.group]["profile_name"])
                for v in views
            ],
            _("Why the group weighs as it does"): [
                robustness_tables.group_description(group_rows[v.group]) for v in views
            ],
        }
    )
    return [
        text(
            plain(
                _(
                    "**{vendor}** is first for {held} of {total} library groups under their "
                    "own weights."
                )
            ).format(vendor=names.get(overall, overall), held=len(held), total=len(views))
        ),
        table(robustness_tables.groups_table(views, group_rows, names, overall)),
        subheading(_("Each group's ranking")),
        table(
            robustness_tables.group_ranks_table(
                views,
                group_rows,
                names,
                evaluation.rank,
                _("Rank with “{profile}”").format(profile=gathered.start.profile),
            )
        ),
        *chart_and_table(
            "groups.png",
            charts.offer_share_figure(
                shares,
                bars,
                offer_order,
                names,
                axis_title=_("Share of the draws in which the offer is first (%)"),
            ),
            _("Stacked bar chart of how often each offer is first, per library group."),
            shares_frame,
        ),
        text(
            _(
                "Weights drawn around each group's own weights (Dirichlet, K = {k}); the last "
                "bar draws around all groups, each equally often. {samples} samples, seed "
                "{seed}."
            ).format(
                k=labels.number(DEFAULT_GROUP_CONCENTRATION, 0),
                samples=labels.number(gathered.samples, 0),
                seed=gathered.seed,
            )
        ),
        table(descriptions),
    ]


def disagreement_blocks(gathered: Gathered, ranked: Ranked) -> list[dict[str, Any]]:
    """The evaluators' spread per offer and requirement, Kendall's W per category, and the
    pairs with most at stake."""
    scores, names = ranked.scores, ranked.evaluator_names
    evaluators = scores["evaluator_id"].nunique()
    if evaluators < 2:
        return [
            note(
                _(
                    "Disagreement can be shown when at least two evaluators have submitted "
                    "their scores. Submitted so far: {count}."
                ).format(count=evaluators)
            )
        ]
    inputs = gathered.start.inputs
    offer_names = labels.offer_labels(inputs.offers)
    statistics = pair_statistics(scores)
    weighted = inputs.tree.weighted_requirements()
    w_ids = weighted["id"].tolist()
    spread = spread_matrix(statistics, inputs.offers["id"], w_ids, "range")
    spread_frame = pd.DataFrame({_("Requirement"): w_ids})
    for offer in spread.index:
        spread_frame[offer_names.get(offer, offer)] = spread.loc[offer].to_numpy()
    categories = inputs.tree.categories
    scored = categories[categories["id"].isin(weighted["category_id"])]
    agreement = agreement_by_category(scores, weighted, scored["id"].tolist())
    category_names = labels.category_names(inputs.tree)
    assert gathered.start.weights is not None  # there is a ranking, so there are weights
    weights = global_weights(inputs.tree, gathered.start.weights)
    order = discuss_first(statistics, weights)
    return [
        text(
            _("From the submitted scores of {count} evaluators: {names}.").format(
                count=evaluators,
                names=", ".join(sorted(names.get(e, e) for e in scores["evaluator_id"].unique())),
            )
        ),
        subheading(_("Spread, offer by requirement")),
        *chart_and_table(
            "spread.png",
            charts.spread_heatmap_figure(
                spread,
                pd.DataFrame("", index=spread.index, columns=spread.columns),
                offer_names,
                colour_title=_("Range"),
                zmax=MAX_POINTS,
            ),
            _(
                "Heatmap of the range of the evaluators' scores (highest − lowest) for each "
                "offer and weighted requirement."
            ),
            spread_frame,
            _("Range (highest − lowest)"),
        ),
        subheading(_("Do the evaluators rank the offers alike? Kendall's W per category")),
        *chart_and_table(
            "agreement.png",
            charts.agreement_figure(
                agreement["w"].to_dict(),
                category_names,
                axis_title=_("Kendall's W (0 = no common order, 1 = the same order)"),
                format_number=lambda v: labels.number(v, 2),
            ),
            _("Bar chart of Kendall's W for each category."),
            tables.agreement_table(agreement, category_names),
        ),
        subheading(_("Discuss these first")),
        table(tables.discuss_first_table(inputs, order.head(DISCUSS_ROWS), scores, names)),
    ]


def model_blocks(gathered: Gathered) -> list[dict[str, Any]]:
    """The fingerprint, the freeze and the recorded history."""
    status = gathered.model
    states = {
        "open": _("Not frozen yet"),
        "matches": _("Frozen; the model matches the frozen one"),
        "changed": _("Frozen; changed since with a logged reason each time"),
        "unrecorded": _("Frozen; changed outside bibvalg"),
    }
    frozen = status.freeze
    rows = [
        (_("Fingerprint (SHA-256)"), status.current),
        (_("State"), states[status.state]),
        (_("Frozen at"), frozen.frozen_at.strftime("%Y-%m-%d %H:%M") if frozen else "–"),
        (_("Frozen by"), frozen.frozen_by if frozen else "–"),
        (_("Fingerprint when frozen"), frozen.fingerprint if frozen else "–"),
        (_("Changes after the freeze"), str(status.changes)),
    ]
    blocks = [table(pd.DataFrame(rows, columns=[_("Setting"), _("Value")]))]
    if not gathered.model_history.empty:
        blocks += [
            subheading(_("Fingerprint history")),
            table(tables.history_table(gathered.model_history)),
        ]
    return blocks


def change_blocks(changes: pd.DataFrame) -> list[dict[str, Any]]:
    """The log's entries about the evaluation model, oldest first."""
    if changes.empty:
        return [text(_("The log holds no change to the evaluation model."))]
    frame = pd.DataFrame(
        {
            _("No."): changes["id"].astype(int).to_numpy(),
            _("When"): [f"{t:%Y-%m-%d %H:%M}" for t in changes["logged_at"]],
            _("Who"): changes["actor"].to_numpy(),
            _("What"): [tables.entity_name(e) for e in changes["entity"]],
            _("Which"): changes["entity_id"].to_numpy(),
            _("Action"): [tables.action_name(a) for a in changes["action"]],
            _("Why"): changes["reason"].to_numpy(),
        }
    )
    return [
        text(
            _(
                "Every entry of the audit log about the award criteria, categories, "
                "requirements, weights, price schedule, the model's settings and its freeze: "
                "{count} entries."
            ).format(count=len(frame))
        ),
        table(frame),
    ]


# --- the PDF ---------------------------------------------------------------------------


def document(
    gathered: Gathered,
    parts: list[dict[str, Any]],
    images: Mapping[str, bytes] | None,
    language: str,
) -> dict[str, Any]:
    """The JSON the template reads: charts become image files, or, without images, a note."""
    missing = _(
        "This chart could not be drawn here (the browser that draws charts, Chromium, is not "
        "installed); its numbers are in the table below."
    )
    out_sections = []
    for part in parts:
        blocks = []
        for block in part["blocks"]:
            if block["kind"] == "image":
                if images is not None and block["file"] in images:
                    blocks.append({k: v for k, v in block.items() if k != "figure"})
                else:
                    blocks.append(note(missing))
            else:
                blocks.append(block)
        out_sections.append({"heading": part["heading"], "blocks": blocks})
    anchor = gathered.anchor
    return {
        "lang": language,
        "title": _("Report for the steering group"),
        "tender": gathered.tender.name,
        "made": _("Made {when} by bibvalg.").format(when=f"{gathered.made_at:%Y-%m-%d %H:%M}"),
        "anchor": (
            _("Audit log anchor (write it in the minutes): {anchor}").format(anchor=anchor.line)
            if anchor is not None
            else ""
        ),
        "fingerprint": _("Evaluation model: fingerprint {fingerprint}").format(
            fingerprint=gathered.model.current
        ),
        "contents": _("Contents"),
        "sections": out_sections,
    }


def report_charts(parts: list[dict[str, Any]]) -> list[chart_images.Chart]:
    """The charts the sections hold, to draw."""
    return [
        chart_images.Chart(block["file"], block["figure"])
        for part in parts
        for block in part["blocks"]
        if block["kind"] == "image"
    ]


def make(
    con: duckdb.DuckDBPyConnection,
    language: str,
    *,
    browser: Path | None = None,
    samples: int = REPORT_SAMPLES,
    seed: int = REPORT_SEED,
    progress: Callable[[str], object] | None = None,
) -> bytes:
    """The steering group's report as PDF bytes, in ``language``; the charts drawn with
    ``browser`` (default ``chart_images.CHROMIUM``), or left out, each with a note, where it
    is not installed. ``progress`` is told each step as it starts: gather, charts, pdf."""
    say = progress or (lambda _step: None)
    # The browser starts while the numbers are computed.
    drawer = chart_images.Drawer(browser) if chart_images.available(browser) else None
    with drawer or nullcontext():
        say("gather")
        gathered = gather(con, samples=samples, seed=seed)
        with speaking(language):
            parts = sections(gathered)
            say("charts")
            images = None if drawer is None else drawer.draw(report_charts(parts))
            say("pdf")
            data = document(gathered, parts, images, language)
    return pdf.render(
        TEMPLATE.read_text(encoding="utf-8"), data, files=images, made_at=gathered.made_at
    )
