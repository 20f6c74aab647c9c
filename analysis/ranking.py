"""The ranking both faces show: the published one, one under other weights, and the
procurement ranked with another method or price model.

Every function takes a connection (or cursor) or what was read through one, and returns
plain results; the pages (through ``ui.data``) and the command line call the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from analysis.inputs import load_inputs, profile_weights
from scoring.procurement import (
    PUBLISHED_METHOD,
    Evaluation,
    Prepared,
    ProcurementInputs,
    Weights,
    evaluate,
    method_result,
    prepare,
    with_price_model,
)
from store import profiles
from store import settings as store_settings
from store.errors import N_, BibvalgError

NOTHING_TO_RANK = N_("The database holds no offers or no published weight profile yet.")


class NothingToRank(BibvalgError):
    """The database holds no offers or no published weight profile yet."""


@dataclass(frozen=True)
class Published:
    """What the pages start from: the settings, the inputs, the published profile and its
    weights, and the ranking they give (None until there are offers and a profile)."""

    settings: dict[str, str]
    inputs: ProcurementInputs
    profile: str
    weights: Weights | None
    evaluation: Evaluation | None

    @property
    def ready(self) -> bool:
        """True when there is something to rank."""
        return self.evaluation is not None

    @property
    def unpriced(self) -> list[str]:
        """The offers still waiting for their prices."""
        return unpriced(self.inputs)


def published(con: duckdb.DuckDBPyConnection) -> Published:
    """The published ranking with everything it was made from."""
    settings = store_settings.settings(con)
    inputs = load_inputs(con)
    name = settings.get("published_profile", "")
    if inputs.offers.empty or not name or unpriced(inputs):
        return Published(settings, inputs, name, None, None)
    weights = profile_weights(profiles.load_profile(con, name))
    return Published(settings, inputs, name, weights, evaluate(inputs, weights))


def unpriced(inputs: ProcurementInputs) -> list[str]:
    """The offers without prices yet (their workbooks not imported): nothing is ranked
    until every offer has its prices."""
    priced = set(inputs.price_lines["offer_id"])
    return [str(o) for o in inputs.offers["id"] if o not in priced]


def prepared(con: duckdb.DuckDBPyConnection) -> Prepared:
    """The weight-independent part of the ranking (see ``scoring.procurement.prepare``)."""
    return prepare(load_inputs(con))


def profile_evaluation(con: duckdb.DuckDBPyConnection, profile: str) -> Evaluation:
    """The published model under a saved weight profile."""
    return evaluate(load_inputs(con), profile_weights(profiles.load_profile(con, profile)))


def offer_names(inputs: ProcurementInputs, offers: list[str]) -> list[str]:
    """The vendor names of offers, in the order given."""
    vendors = dict(zip(inputs.offers["id"], inputs.offers["vendor_name"], strict=True))
    return [str(vendors[o]) for o in offers]


def rank_procurement(
    con: duckdb.DuckDBPyConnection,
    method: str = PUBLISHED_METHOD,
    profile: str | None = None,
    price_model: str | None = None,
) -> dict[str, Any]:
    """The procurement ranked with the published model, or with another method or price
    model beside it: the document ``cli.py rank --json`` prints."""
    inputs = load_inputs(con)
    name = profile or profiles.published_profile_name(con)
    if inputs.offers.empty or not name:
        raise NothingToRank(NOTHING_TO_RANK)
    weights = profile_weights(profiles.load_profile(con, name))
    if price_model:
        inputs = with_price_model(inputs, price_model)
    evaluation = evaluate(inputs, weights)
    eligible = [str(o) for o in evaluation.total.index]
    result = method_result(evaluation, method)
    return {
        "method": method,
        "alternatives": eligible,
        "scores": result.scores.tolist(),
        "ranks": result.ranks.tolist(),
        "vendors": offer_names(inputs, eligible),
        "profile": name,
        "price_model": inputs.price_model,
        "rejected": [
            {
                "offer": o,
                "vendor": offer_names(inputs, [o])[0],
                "reasons": [
                    {"requirement": r, "reason": why}
                    for r, why in evaluation.screening.loc[o, "reasons"]
                ],
            }
            for o in evaluation.rejected
        ],
    }
