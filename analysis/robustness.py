"""Robustness of the procurement's ranking: SMAA-2 under a weight profile, weight stability
and the library groups' views, for the pages and the command line alike.

The procurement is ranked by the published model (``wsm``: the weighted sum of points) or,
as decision support, by TOPSIS: the two methods the batch engine draws with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analysis.inputs import load_inputs, profile_weights
from analysis.library_fit import derived_group_weights
from analysis.ranking import NOTHING_TO_RANK, NothingToRank, offer_names
from scoring.methods import Problem
from scoring.procurement import PUBLISHED_METHOD, ProcurementInputs, Weights
from scoring.smaa import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    DEFAULT_WEIGHT_SAMPLING,
    DecisionModel,
    SmaaResult,
    WeightSampling,
    smaa,
)
from scoring.stability import Stability, weight_stability
from scoring.stakeholders import DEFAULT_GROUP_CONCENTRATION, GroupView, stakeholder_views
from store import evaluation as store_evaluation
from store import libraries as store_libraries
from store import profiles
from store.errors import N_, BibvalgError, UnknownProfile

# The methods SMAA draws with: the published model and TOPSIS (see scoring.batch).
SMAA_METHODS = (PUBLISHED_METHOD, "topsis")


class NoGroups(BibvalgError):
    """Weights drawn around the library groups, where none is recorded."""


@dataclass(frozen=True)
class RobustnessInputs:
    """The procurement, every saved profile's weights, the evaluators' own scores and the
    library groups: what the robustness analyses read."""

    inputs: ProcurementInputs
    profiles: dict[str, Weights]
    published: str
    evaluator_scores: pd.DataFrame
    groups: pd.DataFrame  # id, name_*, description_*, profile_name, libraries
    derived: dict[str, Weights] = field(default_factory=dict)  # group id -> from its input

    def weights(self, profile: str | None = None) -> Weights:
        """A saved profile's weights (the published profile's by default)."""
        name = profile or self.published
        if name not in self.profiles:
            raise UnknownProfile(N_("There is no weight profile named “{name}”."), name=name)
        return self.profiles[name]

    def group_weights(self) -> dict[str, Weights]:
        """Each library group's weights, by group id: derived from its libraries' answers
        where any answered, else its hand-set profile (groups with neither are left out)."""
        out = {}
        for row in self.groups.to_dict("records"):
            group = str(row["id"])
            if group in self.derived:
                out[group] = self.derived[group]
            elif row["profile_name"] in self.profiles:
                out[group] = self.profiles[str(row["profile_name"])]
        return out


def load(con: duckdb.DuckDBPyConnection) -> RobustnessInputs:
    """Read what the robustness analyses need."""
    inputs = load_inputs(con)
    names = profiles.profile_names(con)
    published = profiles.published_profile_name(con) or ""
    if inputs.offers.empty or not published:
        raise NothingToRank(NOTHING_TO_RANK)
    saved = {n: profile_weights(profiles.load_profile(con, n)) for n in names}
    return RobustnessInputs(
        inputs=inputs,
        profiles=saved,
        published=published,
        evaluator_scores=store_evaluation.evaluator_scores(con),
        groups=store_libraries.stakeholder_groups(con),
        derived=derived_group_weights(con, inputs, saved[published]) if published in saved else {},
    )


def model(
    data: RobustnessInputs, profile: str | None = None, method: str = PUBLISHED_METHOD
) -> DecisionModel:
    """The procurement as a decision model under a profile, with the evaluators' spread."""
    return DecisionModel.from_procurement(
        data.inputs,
        data.weights(profile),
        method=method,
        evaluator_scores=data.evaluator_scores,
    )


def run_smaa(
    data: RobustnessInputs,
    profile: str | None = None,
    sampling: str = DEFAULT_WEIGHT_SAMPLING,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    score_sampling: bool = False,
    method: str = PUBLISHED_METHOD,
    progress: Callable[[float], object] | None = None,
) -> SmaaResult:
    """SMAA-2 on the procurement under a profile; ``groups:K`` draws around the library
    groups' weights, each group equally often."""
    parsed = WeightSampling.parse(sampling)
    decision = model(data, profile, method)
    centres = None
    if parsed.kind == "groups":
        groups = data.group_weights()
        if not groups:
            raise NoGroups(N_("The database holds no library groups to draw weights around."))
        centres = np.array([decision.shares_of(data.inputs, w) for w in groups.values()])
    return smaa(
        decision,
        parsed,
        samples=samples,
        seed=seed,
        score_sampling=score_sampling,
        centres=centres,
        progress=progress,
    )


def stability(data: RobustnessInputs, profile: str | None = None) -> Stability:
    """Weight stability of the published model under a profile."""
    return weight_stability(model(data, profile))


def group_views(
    data: RobustnessInputs,
    profile: str | None = None,
    concentration: float = DEFAULT_GROUP_CONCENTRATION,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> tuple[str, list[GroupView]]:
    """The winner under a profile, and each library group's ranking and draws around its
    own weights."""
    return stakeholder_views(
        data.inputs,
        data.weights(profile),
        data.group_weights(),
        concentration=concentration,
        samples=samples,
        seed=seed,
    )


def smaa_problem(
    problem: Problem,
    method: str = PUBLISHED_METHOD,
    sampling: str = DEFAULT_WEIGHT_SAMPLING,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    progress: Callable[[float], object] | None = None,
) -> dict[str, Any]:
    """SMAA-2 on a decision problem: the document ``cli.py smaa --problem --json`` prints."""
    return smaa(
        DecisionModel.from_problem(problem, method),
        sampling,
        samples=samples,
        seed=seed,
        progress=progress,
    ).to_dict()


def smaa_document(
    con: duckdb.DuckDBPyConnection,
    method: str = PUBLISHED_METHOD,
    profile: str | None = None,
    sampling: str = DEFAULT_WEIGHT_SAMPLING,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    score_sampling: bool = False,
    progress: Callable[[float], object] | None = None,
) -> dict[str, Any]:
    """SMAA-2 on the procurement: the document ``cli.py smaa --json`` prints."""
    WeightSampling.parse(sampling)  # a bad specification is named before anything is read
    data = load(con)
    result = run_smaa(
        data, profile, sampling, samples, seed, score_sampling, method, progress
    ).to_dict()
    result["method"] = method
    result["vendors"] = offer_names(data.inputs, result["alternatives"])
    result["profile"] = profile or data.published
    return result
