"""Stakeholder views: does the winner hold under each library group's own weights?

Each group (public libraries, school libraries, the Sámi administrative area, small
libraries, ...) has a weight profile. For each group we rank the offers with the published
model under the group's weights, and draw weights around the group's weights
(Dirichlet with concentration K, see ``scoring.smaa``) to see how often the winner under the
chosen weights stays first. The groups together are also a source of draws: ``groups:K``
picks a group at random for each draw, each group with the same chance, so no group
outweighs another by its number of libraries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.procurement import ProcurementInputs, Weights, evaluate
from scoring.smaa import DecisionModel, SmaaResult, WeightSampling, smaa

DEFAULT_GROUP_CONCENTRATION = 50.0


@dataclass(frozen=True)
class GroupView:
    """One group's ranking and how firmly the overall winner holds for it."""

    group: str
    total: pd.Series  # offer -> points 0–100 under the group's weights
    rank: pd.Series  # offer -> rank under the group's weights
    winner: str  # first under the group's weights
    winner_rank: int  # the overall winner's rank under the group's weights
    first_rank: pd.Series  # offer -> share of draws around the group's weights it is first

    @property
    def holds(self) -> bool:
        """Whether the overall winner is first (or shares first) for this group."""
        return self.winner_rank == 1


def stakeholder_views(
    inputs: ProcurementInputs,
    chosen: Weights,
    groups: Mapping[str, Weights],
    *,
    concentration: float = DEFAULT_GROUP_CONCENTRATION,
    samples: int,
    seed: int,
) -> tuple[str, list[GroupView]]:
    """The overall winner under ``chosen`` weights, and each group's view of it."""
    published = evaluate(inputs, chosen)
    if published.total.empty:
        return "", []
    overall = str(published.rank.sort_values(kind="stable").index[0])
    model = DecisionModel.from_procurement(inputs, chosen)
    sampling = WeightSampling("dirichlet", concentration)
    views = []
    for name, weights in groups.items():
        own = evaluate(inputs, weights)
        result = smaa(
            model,
            sampling,
            samples=samples,
            seed=seed,
            centres=model.shares_of(inputs, weights)[None, :],
        )
        views.append(
            GroupView(
                group=name,
                total=own.total,
                rank=own.rank,
                winner=str(own.rank.sort_values(kind="stable").index[0]),
                winner_rank=int(own.rank[overall]),
                first_rank=pd.Series(result.rank_acceptability[:, 0], index=result.alternatives),
            )
        )
    return overall, views


def mixture_smaa(
    inputs: ProcurementInputs,
    chosen: Weights,
    groups: Mapping[str, Weights],
    *,
    concentration: float = DEFAULT_GROUP_CONCENTRATION,
    samples: int,
    seed: int,
    score_sampling: bool = False,
    evaluator_scores: pd.DataFrame | None = None,
) -> SmaaResult:
    """SMAA with weights drawn around the groups' weights, each group equally often."""
    model = DecisionModel.from_procurement(inputs, chosen, evaluator_scores=evaluator_scores)
    centres = np.array([model.shares_of(inputs, w) for w in groups.values()])
    return smaa(
        model,
        WeightSampling("groups", concentration),
        samples=samples,
        seed=seed,
        score_sampling=score_sampling,
        centres=centres,
    )
