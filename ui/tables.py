"""Tables and hover texts the pages show, shaped from the procurement's data frames."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd

from scoring.procurement import Evaluation, ProcurementInputs, topsis_ranks
from store import audit_names
from store.evaluation import OUTCOME_NAMES, Progress
from ui import labels
from ui.charts import wrap
from ui.i18n import N_, _, current_language, localized
from ui.text import for_hover, plain, written


def consensus_matrix(inputs: ProcurementInputs) -> pd.DataFrame:
    """Offers × weighted requirements of consensus scores (NaN where none is agreed)."""
    w_ids = inputs.tree.weighted_requirements()["id"].tolist()
    table = inputs.consensus.pivot_table(
        index="offer_id", columns="requirement_id", values="score", aggfunc="first"
    )
    return table.reindex(index=inputs.offers["id"].tolist(), columns=w_ids)


def consensus_numbers(matrix: pd.DataFrame, offer_names: Mapping[str, str]) -> pd.DataFrame:
    """The numbers behind the agreed-score heatmap: a row per requirement, a column per
    offer (``consensus_matrix`` turned on its side)."""
    return labelled_matrix(matrix.T, _("Requirement"), columns=offer_names, digits=1)


def offer_row(offers: pd.DataFrame, offer: str) -> dict[str, Any]:
    """One offer's row of ``ProcurementInputs.offers`` (vendor name, product, profile)."""
    return dict(offers.set_index("id").loc[offer].to_dict(), id=offer)


def ranking_table(evaluation: Evaluation, inputs: ProcurementInputs) -> pd.DataFrame:
    """The ranking as a table, best first: rank, vendor, product, points, total cost and
    TOPSIS's rank beside it as a check."""
    names = labels.offer_labels(inputs.offers)
    products = dict(zip(inputs.offers["id"], inputs.offers["product"], strict=True))
    # By position: rank, total and TOPSIS share the eligible offers' index.
    position = np.argsort(evaluation.rank.to_numpy(), kind="stable")
    order = evaluation.rank.index[position]
    costs = evaluation.costs["total"].to_numpy()[evaluation.costs.index.get_indexer(order)]
    return pd.DataFrame(
        {
            _("Rank"): evaluation.rank.to_numpy()[position].astype(int),
            _("Vendor"): [names[o] for o in order],
            _("Product"): [products[o] for o in order],
            _("Points"): evaluation.total.to_numpy()[position].round(1),
            _("Total cost (NOK)"): costs.round(0),
            _("TOPSIS rank"): topsis_ranks(evaluation).to_numpy()[position].astype(int),
        }
    )


def heatmap_hover(inputs: ProcurementInputs, responses: pd.DataFrame) -> pd.DataFrame:
    """Hover text per offer and weighted requirement: text, consensus, the vendor's answer."""
    scores = consensus_matrix(inputs)
    texts = {r["id"]: localized(r, "text") for r in inputs.tree.requirements.to_dict("records")}
    answers = dict(
        zip(
            zip(responses["offer_id"], responses["requirement_id"], strict=True),
            zip(responses["answer"], responses["comment"], strict=True),
            strict=True,
        )
    )
    names = labels.offer_labels(inputs.offers)
    hover = pd.DataFrame(index=scores.index, columns=scores.columns, dtype=object)
    for offer, row in zip(scores.index, scores.to_numpy(), strict=True):
        for req, score in zip(scores.columns, row, strict=True):
            lines = [
                f"<b>{req}</b> · {for_hover(names.get(offer, offer))}",
                wrap(for_hover(texts.get(req, ""))),
            ]
            lines.append(
                _("Consensus: {score}").format(
                    score="–" if pd.isna(score) else labels.number(score, 0)
                )
            )
            if (offer, req) in answers:
                answer, comment = answers[(offer, req)]
                lines.append(
                    _("Vendor's answer: {answer} – {meaning}").format(
                        answer=answer, meaning=labels.answer_meaning(answer)
                    )
                )
                if comment:
                    lines.append(wrap(_("Comment: {comment}").format(comment=for_hover(comment))))
            else:
                lines.append(_("No answer from the vendor"))
            hover.at[offer, req] = "<br>".join(lines)
    return hover


def offer_detail(inputs: ProcurementInputs, responses: pd.DataFrame, offer: str) -> pd.DataFrame:
    """One offer, requirement by requirement: answer, comment, consensus, assessment."""
    reqs = inputs.tree.requirements
    own = responses[responses["offer_id"] == offer].set_index("requirement_id")
    agreed = inputs.consensus[inputs.consensus["offer_id"] == offer].set_index("requirement_id")
    checks = inputs.checks[inputs.checks["offer_id"] == offer].set_index("requirement_id")
    rows = []
    for req in reqs.to_dict("records"):
        rid = req["id"]
        answer = own["answer"].get(rid)
        outcome = checks["outcome"].get(rid)
        rows.append(
            {
                _("Requirement"): rid,
                _("Type"): req["kind"],
                _("Text"): localized(req, "text"),
                _("Answer (0–3)"): None if pd.isna(answer) else int(answer),
                _("Meaning"): labels.answer_meaning(answer),
                _("Comment"): own["comment"].get(rid, ""),
                _("Evidence"): own["evidence"].get(rid, ""),
                _("Consensus (0–10)"): agreed["score"].get(rid),
                _("Assessment"): _(OUTCOME_NAMES[outcome]) if outcome in OUTCOME_NAMES else "",
                _("Reason"): agreed["reason"].get(rid) or checks["reason"].get(rid, ""),
            }
        )
    return pd.DataFrame(rows)


# --- evaluation ------------------------------------------------------------------------

ENTITY_NAMES = audit_names.ENTITIES
ACTION_NAMES = audit_names.ACTIONS
HIDDEN_VALUE = N_("(hidden until the evaluator submits)")


def method_rank_table(
    ranks: pd.DataFrame, names: Mapping[str, str], method_names: Mapping[str, str]
) -> pd.DataFrame:
    """The rank each method gives (``method_ranks`` in the order to show), a column per
    method, with the vendor's name first."""
    table = pd.DataFrame({_("Vendor"): [names.get(o, o) for o in ranks.index]})
    for method in ranks.columns:
        table[method_names.get(method, method)] = ranks[method].to_numpy()
    return table


def entity_name(entity: str) -> str:
    """What an audit-log entry is about, in the current language."""
    return _(ENTITY_NAMES[entity]) if entity in ENTITY_NAMES else entity


def action_name(action: str) -> str:
    """What was done, in the current language."""
    return _(ACTION_NAMES[action]) if action in ACTION_NAMES else action


def outcome_name(outcome: object) -> str:
    """A mandatory assessment in the current language ('' if none)."""
    return _(OUTCOME_NAMES[outcome]) if outcome in OUTCOME_NAMES else ""  # type: ignore[index]


def outcome_names() -> dict[str, str]:
    """Every mandatory assessment -> its name in the current language."""
    return {o: outcome_name(o) for o in OUTCOME_NAMES}


def evaluator_names(evaluators: pd.DataFrame) -> dict[str, str]:
    """Evaluator id -> name."""
    return dict(zip(evaluators["id"], evaluators["name"], strict=True))


def _score_text(value: float) -> str:
    return labels.number(value, 0) if float(value).is_integer() else labels.number(value, 1)


def spread_hover(
    inputs: ProcurementInputs,
    scores: pd.DataFrame,
    statistics: pd.DataFrame,
    names: dict[str, str],
) -> pd.DataFrame:
    """Hover text per offer and weighted requirement: each evaluator's score and the spread."""
    w_ids = inputs.tree.weighted_requirements()["id"].tolist()
    offers = inputs.offers["id"].tolist()
    texts = {r["id"]: localized(r, "text") for r in inputs.tree.requirements.to_dict("records")}
    vendor = labels.offer_labels(inputs.offers)
    by_pair: dict[tuple[str, str], list[tuple[str, float]]] = {}
    for offer, req, evaluator, score in zip(
        scores["offer_id"],
        scores["requirement_id"],
        scores["evaluator_id"],
        scores["score"],
        strict=True,
    ):
        by_pair.setdefault((offer, req), []).append((evaluator, score))
    spread = dict(
        zip(
            statistics.index,
            zip(statistics["range"], statistics["std"], statistics["median"], strict=True),
            strict=True,
        )
    )
    hover = pd.DataFrame("", index=offers, columns=w_ids, dtype=object)
    for offer in offers:
        for req in w_ids:
            lines = [
                f"<b>{req}</b> · {for_hover(vendor.get(offer, offer))}",
                wrap(for_hover(texts.get(req, ""))),
            ]
            group = by_pair.get((offer, req))
            if group is None or (offer, req) not in spread:
                lines.append(_("No submitted scores"))
            else:
                given = " · ".join(
                    f"{for_hover(names.get(e, e))} {_score_text(s)}" for e, s in group
                )
                width, std, median = spread[(offer, req)]
                lines.append(wrap(given))
                lines.append(
                    _("Range {range} · standard deviation {std} · median {median}").format(
                        range=_score_text(width),
                        std=labels.number(std, 2),
                        median=_score_text(median),
                    )
                )
            hover.at[offer, req] = "<br>".join(lines)
    return hover


def _agreed(recorded: pd.DataFrame, requirement: str, column: str) -> pd.Series:
    """The agreed ``column`` for one requirement, by offer."""
    return recorded[recorded["requirement_id"] == requirement].set_index("offer_id")[column]


def _given_by_offer(
    inputs: ProcurementInputs,
    own: pd.DataFrame,
    names: dict[str, str],
    column: str,
    shown: Callable[[Any], object],
) -> Iterator[tuple[str, dict[str, object]]]:
    """Each offer with a row of what every evaluator gave in ``column`` (as ``shown``),
    after the vendor; the evaluators in the order of their names."""
    evaluators = sorted(own["evaluator_id"].unique(), key=lambda e: names.get(e, e))
    vendor = labels.offer_labels(inputs.offers)
    for offer in inputs.offers["id"]:
        row: dict[str, object] = {_("Vendor"): vendor[offer]}
        given = own[own["offer_id"] == offer].set_index("evaluator_id")[column]
        for e in evaluators:
            row[names.get(e, e)] = shown(given.get(e))
        yield offer, row


def consensus_overview(
    inputs: ProcurementInputs,
    requirement: str,
    scores: pd.DataFrame,
    statistics: pd.DataFrame,
    names: dict[str, str],
) -> pd.DataFrame:
    """One weighted requirement, offer by offer: each submitted score, median, range, agreed."""
    own = scores[scores["requirement_id"] == requirement]
    agreed = _agreed(inputs.consensus, requirement, "score")
    rows = []
    for offer, row in _given_by_offer(inputs, own, names, "score", lambda score: score):
        stats = (
            statistics.loc[(offer, requirement)]
            if (offer, requirement) in statistics.index
            else None
        )
        row[_("Median")] = None if stats is None else stats["median"]
        row[_("Range")] = None if stats is None else stats["range"]
        row[_("Agreed")] = agreed.get(offer)
        rows.append(row)
    return pd.DataFrame(rows)


def mandatory_overview(
    inputs: ProcurementInputs,
    requirement: str,
    assessments: pd.DataFrame,
    names: dict[str, str],
    proposals: dict[str, str | None],
) -> pd.DataFrame:
    """One mandatory requirement, offer by offer: each submitted assessment, the proposal
    (what most evaluators said) and the agreed assessment."""
    own = assessments[assessments["requirement_id"] == requirement]
    agreed = _agreed(inputs.checks, requirement, "outcome")
    rows = []
    for offer, row in _given_by_offer(inputs, own, names, "outcome", outcome_name):
        row[_("Proposed")] = outcome_name(proposals.get(offer))
        row[_("Agreed")] = outcome_name(agreed.get(offer))
        rows.append(row)
    return pd.DataFrame(rows)


def evaluator_reasons(
    inputs: ProcurementInputs, requirement: str, rows: pd.DataFrame, names: dict[str, str]
) -> list[str]:
    """Markdown lines: each evaluator's score or assessment and reason, offer by offer.

    Names and reasons are shown as written (``ui.text.plain``): a reason cannot add a line;
    a reason is marked as Norwegian on an English page (``ui.text.written``), so the lines
    are shown with ``unsafe_allow_html=True``.
    """
    vendor = labels.offer_labels(inputs.offers)
    own = rows[rows["requirement_id"] == requirement]
    lines = []
    for offer in inputs.offers["id"]:
        given = own[own["offer_id"] == offer]
        if given.empty:
            continue
        lines.append(f"**{plain(vendor[offer])}**")
        for item in given.to_dict("records"):
            value = _score_text(item["score"]) if "score" in item else outcome_name(item["outcome"])
            reason = written(item["reason"], current_language()) or _("(no reason given)")
            name = plain(names.get(item["evaluator_id"], item["evaluator_id"]))
            lines.append(f"- {name} ({value}): {reason}")
    return lines


def discuss_first_table(
    inputs: ProcurementInputs, order: pd.DataFrame, scores: pd.DataFrame, names: dict[str, str]
) -> pd.DataFrame:
    """The discuss-first list as the page shows it, each requirement's text beside its id."""
    vendor = labels.offer_labels(inputs.offers)
    texts = {r["id"]: localized(r, "text") for r in inputs.tree.requirements.to_dict("records")}
    agreed = inputs.consensus.set_index(["offer_id", "requirement_id"])["score"]
    by_pair = {key: group for key, group in scores.groupby(["offer_id", "requirement_id"])}
    rows = []
    for item in order.to_dict("records"):
        key = (item["offer_id"], item["requirement_id"])
        group = by_pair.get(key)
        given = (
            ""
            if group is None
            else " · ".join(
                f"{names.get(e, e).split()[0]} {_score_text(s)}"
                for e, s in zip(group["evaluator_id"], group["score"], strict=True)
            )
        )
        rows.append(
            {
                _("Requirement"): item["requirement_id"],
                _("Text"): texts.get(item["requirement_id"], ""),
                _("Vendor"): vendor.get(item["offer_id"], item["offer_id"]),
                _("Scores"): given,
                _("Range"): _score_text(item["range"]),
                _("Standard deviation"): labels.number(item["std"], 2),
                _("Median"): _score_text(item["median"]),
                _("Points at stake"): labels.number(item["at_stake"], 2),
                _("Agreed"): "" if key not in agreed.index else _score_text(agreed[key]),
            }
        )
    return pd.DataFrame(rows)


def progress_table(progress: list[Progress], names: dict[str, str]) -> pd.DataFrame:
    """Every evaluator: how much is done and whether submitted (counts only)."""
    return pd.DataFrame(
        [
            {
                _("Evaluator"): names.get(p.evaluator_id, p.evaluator_id),
                _("Done"): p.share,
                _("Scores"): f"{p.scores_done} / {p.scores_total}",
                _("Assessments"): f"{p.assessments_done} / {p.assessments_total}",
                _("Submitted"): p.submitted,
            }
            for p in progress
        ]
    )


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The fingerprint history as the page shows it."""
    events = {"freeze": _("Frozen"), "change": _("Changed with a reason")}
    return pd.DataFrame(
        {
            _("When"): history["recorded_at"].to_numpy(),
            _("Event"): [events.get(e, e) for e in history["event"]],
            _("Fingerprint"): history["fingerprint"].to_numpy(),
            _("Who"): history["actor"].to_numpy(),
            _("Reason"): history["reason"].to_numpy(),
        }
    )


def agreement_table(table: pd.DataFrame, category_names: dict[str, str]) -> pd.DataFrame:
    """Kendall's W per category as the page shows it."""
    return pd.DataFrame(
        {
            _("Category"): [category_names.get(c, c) for c in table.index],
            _("Evaluators (m)"): table["evaluators"].astype(int).to_numpy(),
            _("Offers (n)"): table["offers"].astype(int).to_numpy(),
            _("Kendall's W"): ["–" if w != w else labels.number(float(w), 2) for w in table["w"]],
        }
    )


CHAIN_PROBLEMS = {
    "altered": N_("Entry {id} was altered after it was written."),
    "link": N_(
        "The chain is broken before entry {id}: an entry before it was removed or slipped in."
    ),
    "unsealed": N_("Entry {id} has no seal: it was written outside bibvalg."),
    "head": N_(
        "The newest entries do not end where the chain says (entry {id}): entries at the "
        "end were removed."
    ),
    "legacy": N_(
        "The entries from before the hash chain (up to entry {id}) are not the ones "
        "recorded when the chain got its fixed start: one was changed, removed or added."
    ),
    "missing_table": N_("A table of the log was dropped: the chain cannot be checked whole."),
    "wiped": N_("The log is empty although the database holds data: it was wiped."),
    "anchor": N_(
        "The log no longer holds the anchor from the minutes as entry {id}: entries were "
        "removed or the chain was rewritten."
    ),
}


def chain_problem(entry_id: int, kind: str) -> str:
    """One problem found in the hash chain, in the current language."""
    return _(CHAIN_PROBLEMS.get(kind, "{id}")).format(id=entry_id)


def labelled_matrix(
    matrix: pd.DataFrame,
    corner: str,
    rows: Mapping[Any, str] | None = None,
    columns: Mapping[Any, str] | None = None,
    digits: int = 2,
) -> pd.DataFrame:
    """A chart's matrix as a table: each row named in a first column headed ``corner``
    (names from ``rows``), the columns named from ``columns``, numbers rounded."""
    table = matrix.round(digits).rename(index=dict(rows or {}), columns=dict(columns or {}))
    return table.rename_axis(corner).reset_index()
