"""The procurement as the scoring functions need it, read in one go."""

from __future__ import annotations

import duckdb

from scoring.price import PriceParameters
from scoring.procurement import CriterionTree, ProcurementInputs, Weights
from vendors import repository as repo


def load_inputs(con: duckdb.DuckDBPyConnection) -> ProcurementInputs:
    """Criterion tree, offers, consensus points, mandatory checks, prices and settings."""
    settings = repo.settings(con)
    tree = CriterionTree(
        criteria=repo.criteria(con),
        categories=repo.categories(con),
        requirements=repo.requirements(con),
    )
    return ProcurementInputs(
        tree=tree,
        offers=repo.offers(con),
        consensus=repo.consensus(con),
        checks=repo.mandatory_checks(con),
        price_lines=repo.price_lines(con),
        contract_years=int(settings.get("contract_years", "4")),
        price_model=settings.get("price_model", "linear"),
        price_floor_at_zero=settings.get("price_floor_at_zero", "true") == "true",
        price_parameters=PriceParameters.from_settings(settings),
    )


def profile_weights(profile: repo.WeightProfile) -> Weights:
    """A saved profile as the weights the scoring functions take."""
    return Weights(criteria=dict(profile.criteria), categories=dict(profile.categories))


def published_weights(con: duckdb.DuckDBPyConnection) -> Weights:
    """The weights of the published profile."""
    return profile_weights(repo.load_profile(con, repo.published_profile_name(con)))
