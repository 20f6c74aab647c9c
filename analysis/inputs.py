"""The procurement as the scoring functions need it, read in one go."""

from __future__ import annotations

import duckdb

from scoring.price import PriceParameters
from scoring.procurement import CriterionTree, ProcurementInputs, Weights
from store import catalogue, evaluation, offers, profiles
from store import settings as store_settings


def load_inputs(con: duckdb.DuckDBPyConnection) -> ProcurementInputs:
    """Criterion tree, offers, consensus points, mandatory checks, prices and settings."""
    settings = store_settings.settings(con)
    tree = CriterionTree(
        criteria=catalogue.criteria(con),
        categories=catalogue.categories(con),
        requirements=catalogue.requirements(con),
    )
    return ProcurementInputs(
        tree=tree,
        offers=offers.offers(con),
        consensus=evaluation.consensus(con),
        checks=evaluation.mandatory_checks(con),
        price_lines=offers.prices(con),
        contract_years=int(settings.get("contract_years", "4")),
        price_model=settings.get("price_model", "linear"),
        price_parameters=PriceParameters.from_settings(settings),
    )


def profile_weights(profile: profiles.WeightProfile) -> Weights:
    """A saved profile as the weights the scoring functions take."""
    return Weights(criteria=dict(profile.criteria), categories=dict(profile.categories))


def published_weights(con: duckdb.DuckDBPyConnection) -> Weights:
    """The weights of the published profile."""
    return profile_weights(profiles.load_profile(con, profiles.published_profile_name(con)))
