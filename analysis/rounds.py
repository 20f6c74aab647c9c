"""What changed for each offer from one round to another of a competition with
negotiation: its answers, its prices, its points and its place in the ranking.

The agreed scores belong to an offer, not to a round: the evaluators revise the scores
that rest on a changed answer (an import says how many there are), so between two rounds
the quality points move only as far as they have done so. The price points and the total
are computed for each round from that round's prices under the published model.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from analysis.inputs import load_inputs, published_weights
from scoring.procurement import Evaluation, evaluate
from store import offers, opening
from store.errors import BibvalgError


@dataclass(frozen=True)
class RoundComparison:
    """Two rounds side by side.

    ``offers``: one row per offer with vendor_name, answers_changed, prices_changed,
    cost_before, cost_after, points_before, points_after, rank_before, rank_after (None
    where an offer was not ranked in that round). ``answers`` and ``prices``: each change,
    one row per offer and requirement (old and new answer) or price line (old and new
    amount)."""

    before: int
    after: int
    offers: pd.DataFrame
    answers: pd.DataFrame
    prices: pd.DataFrame


def _evaluation(con: duckdb.DuckDBPyConnection, round_number: int) -> Evaluation | None:
    inputs = load_inputs(con)
    try:
        return evaluate(
            replace(inputs, price_lines=offers.prices(con, round_number)), published_weights(con)
        )
    except (BibvalgError, ValueError, KeyError):
        return None  # nothing to rank in that round (no prices, no profile)


def _answer_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    keys = ["offer_id", "requirement_id"]
    merged = before[[*keys, "answer"]].merge(
        after[[*keys, "answer"]], on=keys, how="outer", suffixes=("_before", "_after")
    )
    differs = merged["answer_before"].astype("Int64").fillna(-1) != merged["answer_after"].astype(
        "Int64"
    ).fillna(-1)
    return merged[differs].reset_index(drop=True)


def _price_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    keys = ["offer_id", "line_id", "text_nb", "text_en"]
    merged = before[[*keys, "amount_nok"]].merge(
        after[[*keys, "amount_nok"]], on=keys, how="outer", suffixes=("_before", "_after")
    )
    differs = merged["amount_nok_before"].fillna(-1.0) != merged["amount_nok_after"].fillna(-1.0)
    return merged[differs].reset_index(drop=True)


def compare_rounds(
    con: duckdb.DuckDBPyConnection, before: int, after: int | None = None
) -> RoundComparison:
    """Round ``before`` against round ``after`` (default: the current round)."""
    after = opening.current_round(con) if after is None else after
    answers = _answer_changes(offers.responses(con, before), offers.responses(con, after))
    prices = _price_changes(offers.prices(con, before), offers.prices(con, after))
    first, second = _evaluation(con, before), _evaluation(con, after)
    listed = offers.offers(con)
    rows = []
    for offer, vendor in zip(listed["id"], listed["vendor_name"], strict=True):

        def figure(ev: Evaluation | None, what: str, offer: str = offer) -> float | None:
            if ev is None:
                return None
            if what == "cost":
                cost = ev.costs["total"].get(offer)
                return None if cost is None or pd.isna(cost) else float(cost)
            series = ev.total if what == "points" else ev.rank
            return float(series[offer]) if offer in series.index else None

        rows.append(
            {
                "offer_id": offer,
                "vendor_name": vendor,
                "answers_changed": int((answers["offer_id"] == offer).sum()),
                "prices_changed": int((prices["offer_id"] == offer).sum()),
                "cost_before": figure(first, "cost"),
                "cost_after": figure(second, "cost"),
                "points_before": figure(first, "points"),
                "points_after": figure(second, "points"),
                "rank_before": figure(first, "rank"),
                "rank_after": figure(second, "rank"),
            }
        )
    return RoundComparison(before, after, pd.DataFrame(rows), answers, prices)
