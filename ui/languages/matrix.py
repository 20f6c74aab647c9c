"""The language matrix and the language scores as tables and a chart people read.

Works without Streamlit: cached reads go through ``ui.data`` where the page asks for them.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd
import plotly.graph_objects as go

from analysis import language_matrix as lm
from analysis.ranking import Published
from scoring.procurement import Evaluation, ProcurementInputs
from scoring.scales import MAX_POINTS
from store.evaluation import OUTCOME_NAMES
from store.language_results import OUTCOMES
from tender_files.language_kit import protocol
from ui import charts, labels
from ui.i18n import _, current_language

SYMBOLS = {
    lm.WORKS: "✅",
    lm.PARTLY: "🟡",
    lm.FAILS: "❌",
    lm.UNKNOWN: "❔",
    lm.NOT_APPLICABLE: "–",
}


def checks_table() -> pd.DataFrame:
    """The kit's checks as the analysis takes them: id, language, kind."""
    return pd.DataFrame(
        [{"id": c.id, "language": c.language, "kind": c.kind} for c in protocol.checks()]
    )


def view(con: duckdb.DuckDBPyConnection) -> lm.LanguageView:
    """The page's matrix and scores (``analysis.language_matrix.language_view``) for the kit."""
    return lm.language_view(con, checks_table())


def language_names() -> dict[str, str]:
    """Each matrix language's name in the current language, in the matrix's order."""
    return {code: protocol.language_name(code, current_language()) for code in lm.LANGUAGES}


def evidence_text(row: Mapping[str, object]) -> str:
    """Where a cell's evidence comes from, in words: each requirement's agreed value, then
    the kit's results."""
    parts = []
    for item in row["requirements"]:  # type: ignore[attr-defined]
        if isinstance(item.value, str):
            value = _(OUTCOME_NAMES.get(item.value, item.value))
        else:
            value = _("{score} of 10").format(score=labels.number(item.value, 0))
        parts.append(
            _("{requirement} agreed: {value}").format(requirement=item.requirement, value=value)
        )
    count = len(row["checks"])  # type: ignore[arg-type]
    if count:
        parts.append(kit_text(count, int(row["passed"]), int(row["failed"]), int(row["notes"])))  # type: ignore[call-overload]
    return "; ".join(parts) if parts else _("no requirement or check asks about this")


def kit_text(count: int, passed: int, failed: int, notes: int) -> str:
    """The test kit's part of a cell: how many of its checks passed, failed or were noted."""
    if passed + failed + notes == 0:
        return _("test kit: not tested yet (checks: {count})").format(count=count)
    text = _("test kit: {passed} of {count} passed").format(passed=passed, count=count)
    if failed:
        text += ", " + _("{failed} failed").format(failed=failed)
    if notes:
        text += ", " + _("{notes} noted").format(notes=notes)
    return text


def cell_text(row: Mapping[str, object]) -> str:
    """A cell as shown: its status symbol and name, then where that comes from."""
    status = str(row["status"])
    return f"{SYMBOLS[status]} {_(lm.STATUSES[status])} – {evidence_text(row)}"


def language_table(
    cells: pd.DataFrame, language: str, offer_names: Mapping[str, str]
) -> pd.DataFrame:
    """One language's matrix: a row per aspect (named in the index), a column per offer,
    each cell its status and where its evidence comes from."""
    own = cells[cells["language"] == language]
    table = pd.DataFrame(
        index=pd.Index([_(title) for title in lm.ASPECTS.values()], name=_("What"))
    )
    for offer in dict.fromkeys(own["offer_id"]):
        column = own[own["offer_id"] == offer].set_index("aspect")
        table[offer_names[offer]] = [cell_text(column.loc[a]) for a in lm.ASPECTS]
    return table


def overview_table(cells: pd.DataFrame, offer_names: Mapping[str, str]) -> pd.DataFrame:
    """Every language at a glance: a row per offer and language, a symbol per aspect."""
    names = language_names()
    wide = cells.pivot(index=["offer_id", "language"], columns="aspect", values="status")
    wide = wide.reindex(
        pd.MultiIndex.from_product([list(dict.fromkeys(cells["offer_id"])), lm.LANGUAGES])
    )
    table = pd.DataFrame(
        {
            _("Vendor"): [offer_names[o] for o, _l in wide.index],
            _("Language"): [names[lang] for _o, lang in wide.index],
        }
    )
    for aspect, title in lm.ASPECTS.items():
        table[_(title)] = [SYMBOLS[s] for s in wide[aspect]]
    return table


SCORE_COLUMNS = {"points": "points", "kit_share": "kit_share"}


def score_values(scores: pd.DataFrame) -> pd.DataFrame:
    """The chart's numbers per offer: LANG points (0–10) and the share of the kit's checks
    passed, also on 0–10 (passed / checks × 10), best LANG points first."""
    values = pd.DataFrame(
        {
            "points": scores["points"].astype(float),
            "kit_share": scores["passed"]
            / scores["checks"].where(scores["checks"] > 0)
            * MAX_POINTS,
        }
    )
    return values.sort_values("points", ascending=False, kind="stable")


def score_figure(scores: pd.DataFrame, offer_names: Mapping[str, str]) -> go.Figure:
    """Grouped bars: each offer's LANG points and its kit pass share, both 0–10."""
    return charts.grouped_bars_figure(
        score_values(scores),
        offer_names,
        {
            "points": _("Agreed LANG points (0–10)"),
            "kit_share": _("Test kit checks passed (of 10)"),
        },
        axis_title=_("0–10"),
    )


def score_table(scores: pd.DataFrame, offer_names: Mapping[str, str]) -> pd.DataFrame:
    """The chart's numbers, with the mandatory LANG requirements not met and the checks."""
    values = score_values(scores)
    order = values.index
    return pd.DataFrame(
        {
            _("Vendor"): [offer_names[o] for o in order],
            _("Agreed LANG points (0–10)"): values["points"].round(1).to_numpy(),
            _("Checks passed"): scores.loc[order, "passed"].to_numpy(),
            _("Checks tested"): scores.loc[order, "tested"].to_numpy(),
            _("Checks in the kit"): scores.loc[order, "checks"].to_numpy(),
            _("Mandatory LANG requirements not met"): scores.loc[
                order, "mandatory_not_met"
            ].to_numpy(),
        }
    )


def results_table(results: pd.DataFrame, offer_names: Mapping[str, str]) -> pd.DataFrame:
    """The recorded results, newest first: vendor, check, result, note, who and when."""
    newest = results.sort_values("recorded_at", ascending=False, kind="stable")
    return pd.DataFrame(
        {
            _("Vendor"): [offer_names.get(o, o) for o in newest["offer_id"]],
            _("Check"): newest["check_id"].to_numpy(),
            _("Result"): [_(OUTCOMES[o]) for o in newest["outcome"]],
            _("Note"): newest["note"].to_numpy(),
            _("Recorded by"): newest["recorded_by"].to_numpy(),
            _("Recorded at"): newest["recorded_at"].to_numpy(),
        }
    )


def sami_area(
    con: duckdb.DuckDBPyConnection,
) -> tuple[str, Evaluation, ProcurementInputs] | None:
    """The ranking under the Sámi administrative area's weights (see
    ``analysis.language_matrix.sami_area_ranking``)."""
    return lm.sami_area_ranking(con)


def sami_area_sentence(
    profile: str, evaluation: Evaluation, published: Published, offer_names: Mapping[str, str]
) -> str:
    """One sentence: who leads with the Sámi area's weights, and who in the published
    ranking."""
    if evaluation.total.empty:
        return _("No offer is left to rank.")
    leader = str(evaluation.rank.idxmin())
    sentence = _(
        "With the weights of “{profile}”, where languages weigh as the Sámi administrative "
        "area weighs them, **{vendor}** ranks first."
    ).format(profile=profile, vendor=offer_names.get(leader, leader))
    if published.evaluation is not None and not published.evaluation.total.empty:
        first = str(published.evaluation.rank.idxmin())
        sentence += " " + (
            _("It is first in the published ranking too.")
            if first == leader
            else _("In the published ranking {vendor} is first.").format(
                vendor=offer_names.get(first, first)
            )
        )
    return sentence
