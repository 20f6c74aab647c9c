"""Tables and hover texts the pages show, shaped from the procurement's data frames."""

from __future__ import annotations

import pandas as pd

from scoring.procurement import ProcurementInputs
from ui import labels
from ui.charts import wrap
from ui.i18n import N_, _, localized

OUTCOME_NAMES = {
    "met": N_("Met"),
    "not_met": N_("Not met (not material)"),
    "material_deviation": N_("Material deviation"),
}


def consensus_matrix(inputs: ProcurementInputs) -> pd.DataFrame:
    """Offers × weighted requirements of consensus scores (NaN where none is agreed)."""
    w_ids = inputs.tree.weighted_requirements()["id"].tolist()
    table = inputs.consensus.pivot_table(
        index="offer_id", columns="requirement_id", values="score", aggfunc="first"
    )
    return table.reindex(index=inputs.offers["id"].tolist(), columns=w_ids)


def heatmap_hover(inputs: ProcurementInputs, responses: pd.DataFrame) -> pd.DataFrame:
    """Hover text per offer and weighted requirement: text, consensus, the vendor's answer."""
    scores = consensus_matrix(inputs)
    texts = {r["id"]: localized(r, "text") for r in inputs.tree.requirements.to_dict("records")}
    answers = responses.set_index(["offer_id", "requirement_id"])
    names = labels.offer_labels(inputs.offers)
    hover = pd.DataFrame(index=scores.index, columns=scores.columns, dtype=object)
    for offer in scores.index:
        for req in scores.columns:
            score = scores.at[offer, req]
            lines = [f"<b>{req}</b> · {names.get(offer, offer)}", wrap(texts.get(req, ""))]
            lines.append(
                _("Consensus: {score}").format(
                    score="–" if pd.isna(score) else labels.number(score, 0)
                )
            )
            if (offer, req) in answers.index:
                answer = answers.loc[(offer, req)]
                lines.append(
                    _("Vendor's answer: {answer} – {meaning}").format(
                        answer=answer["answer"], meaning=labels.answer_meaning(answer["answer"])
                    )
                )
                if answer["comment"]:
                    lines.append(wrap(_("Comment: {comment}").format(comment=answer["comment"])))
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
