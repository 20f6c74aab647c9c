"""How close the decision is: the lead of the first offer over the second in points, and
which price models, methods and library groups would put another offer first.

The same analyses the Price, Methods and Robustness pages show (``compare_price_models``,
``method_ranks``, ``analysis.robustness.group_views``), gathered for the overview.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analysis import robustness
from analysis.ranking import NOTHING_TO_RANK, NothingToRank, published
from scoring.methods import METHODS
from scoring.price_comparison import compare_price_models
from scoring.procurement import method_ranks
from scoring.smaa import DEFAULT_SAMPLES, DEFAULT_SEED
from scoring.stakeholders import DEFAULT_GROUP_CONCENTRATION

# The kinds of alternative the overview names, in the order it lists them.
KINDS = ("price_model", "method", "group")


@dataclass(frozen=True)
class Closeness:
    """The published ranking's first and second offer, the lead in points (of 100), and
    per alternative (kind, key: a price model, method or library group) the offer it
    puts first and whether that is the published leader."""

    leader: str
    runner_up: str | None
    gap: float | None  # None with a single offer
    alternatives: pd.DataFrame  # kind, key, first, same

    @property
    def others_first(self) -> pd.DataFrame:
        """The alternatives that put another offer first."""
        return self.alternatives[~self.alternatives["same"]]


def _first(rank: pd.Series) -> str:
    """The offer ranked first (on a tie, the first of them in the ranking's order)."""
    return str(rank.sort_values(kind="stable").index[0])


def closeness(
    con: duckdb.DuckDBPyConnection, samples: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED
) -> Closeness:
    """How close the published ranking is, under the published weights and price model;
    the library groups' draws use ``samples`` and ``seed`` (the Robustness page's defaults)."""
    start = published(con)
    if start.evaluation is None or start.weights is None or start.evaluation.total.empty:
        raise NothingToRank(NOTHING_TO_RANK)
    evaluation = start.evaluation
    order = evaluation.rank.sort_values(kind="stable").index
    leader = str(order[0])
    runner_up = str(order[1]) if len(order) > 1 else None
    gap = None
    if runner_up is not None:
        gap = float(evaluation.total[leader] - evaluation.total[runner_up])

    rows: list[tuple[str, str, str]] = []
    prices = compare_price_models(start.inputs, start.weights)
    rows += [("price_model", m, _first(v.rank)) for m, v in prices.views.items()]
    methods = method_ranks(evaluation, list(METHODS))
    rows += [("method", m, _first(methods[m])) for m in METHODS]
    _overall, views = robustness.group_views(
        robustness.load(con), start.profile, DEFAULT_GROUP_CONCENTRATION, samples, seed
    )
    rows += [("group", v.group, v.winner) for v in views]
    table = pd.DataFrame(rows, columns=["kind", "key", "first"])
    table["same"] = table["first"] == leader
    return Closeness(leader=leader, runner_up=runner_up, gap=gap, alternatives=table)
