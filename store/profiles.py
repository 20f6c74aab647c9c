"""Named weight profiles, and the published one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import duckdb

from scoring.procurement import CLIMATE_CRITERION, CLIMATE_MINIMUM_SHARE, climate_share_too_low
from store import audit, freeze
from store.catalogue import categories, criteria
from store.db import retry_on_conflict, transaction
from store.errors import (
    N_,
    InvalidWeights,
    UnknownProfile,
)
from store.settings import PUBLISHED_PROFILE_KEY, settings


@dataclass(frozen=True)
class WeightProfile:
    """Named weights for award criteria and categories (any non-negative numbers)."""

    name: str
    criteria: dict[str, float]
    categories: dict[str, float]
    climate_justification: str = ""
    description: str = ""

    def as_dict(self) -> dict[str, object]:
        """The profile as a plain dict, for the audit log: every field but the name."""
        return {k: v for k, v in asdict(self).items() if k != "name"}


def profile_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Saved weight profiles, the published one first."""
    published = published_profile_name(con)
    names = [r[0] for r in con.execute("SELECT name FROM weight_profile ORDER BY name").fetchall()]
    return sorted(names, key=lambda n: (n != published, n))


def published_profile_name(con: duckdb.DuckDBPyConnection) -> str:
    """The profile whose weights the published model uses."""
    return settings(con).get(PUBLISHED_PROFILE_KEY, "")


def load_profile(con: duckdb.DuckDBPyConnection, name: str) -> WeightProfile:
    """One saved profile; UnknownProfile if there is none by that name."""
    head = con.execute(
        "SELECT climate_justification, description FROM weight_profile WHERE name = ?", [name]
    ).fetchone()
    if head is None:
        raise UnknownProfile(N_("There is no weight profile named “{name}”."), name=name)
    items = con.execute(
        "SELECT node_kind, node_id, weight FROM weight_profile_item WHERE profile_name = ?",
        [name],
    ).fetchall()
    return WeightProfile(
        name=name,
        criteria={n: float(w) for k, n, w in items if k == "criterion"},
        categories={n: float(w) for k, n, w in items if k == "category"},
        climate_justification=head[0],
        description=head[1],
    )


def _validate_profile(con: duckdb.DuckDBPyConnection, profile: WeightProfile) -> None:
    if not profile.name.strip():
        raise InvalidWeights(N_("A weight profile needs a name."))
    # Retired criteria and categories keep their weights (they are out of the model, and
    # come back with them if reinstated).
    known_criteria = set(criteria(con, include_retired=True)["id"])
    known_categories = set(categories(con, include_retired=True)["id"])
    unknown = (set(profile.criteria) - known_criteria) | (
        set(profile.categories) - known_categories
    )
    if unknown:
        raise InvalidWeights(
            N_("Unknown criteria or categories: {names}."), names=", ".join(sorted(unknown))
        )
    values = list(profile.criteria.values()) + list(profile.categories.values())
    if any(not (v >= 0) for v in values):
        raise InvalidWeights(N_("Weights must be zero or positive."))
    if sum(profile.criteria.values()) <= 0:
        raise InvalidWeights(N_("At least one award criterion must weigh more than zero."))


def climate_share(con: duckdb.DuckDBPyConnection, profile: WeightProfile) -> float:
    """The share (0–1) of climate and environment among the profile's award criteria in
    force."""
    return climate_share_among(profile.criteria, set(criteria(con)["id"]))


def climate_share_among(weights: Mapping[str, float], in_force: set[str]) -> float:
    """The share (0–1) of climate and environment among the award criteria in force."""
    counted = {c: w for c, w in weights.items() if c in in_force}
    total = sum(counted.values())
    return counted.get(CLIMATE_CRITERION, 0.0) / total if total > 0 else 0.0


def check_climate_rule(con: duckdb.DuckDBPyConnection, profile: WeightProfile) -> None:
    """Refuse a published profile in which climate and environment weighs under 30 %
    without a recorded justification (FOA § 7-9)."""
    require_climate_justification(climate_share(con, profile), profile.climate_justification)


def require_climate_justification(share: float, justification: str) -> None:
    """Refuse (InvalidWeights) a climate and environment ``share`` (0–1) under 30 % without
    a justification (FOA § 7-9)."""
    if climate_share_too_low(share, justification):
        raise InvalidWeights(
            N_(
                "Climate and environment weighs {share} %, under the {minimum} % the "
                "procurement regulation (FOA § 7-9) asks for: record the justification before "
                "the published profile is saved, or raise the weight."
            ),
            share=f"{round(100 * share, 1):g}",
            minimum=f"{100 * CLIMATE_MINIMUM_SHARE:g}",
        )


@retry_on_conflict
def save_profile(
    con: duckdb.DuckDBPyConnection, profile: WeightProfile, *, actor: str, reason: str = ""
) -> None:
    """Create or replace a profile, logging old and new weights, in one transaction.

    The published profile is part of the evaluation model: after the freeze it changes
    only with a reason (ModelFrozen), and climate and environment under 30 % needs a
    recorded justification (``check_climate_rule``).
    """
    with transaction(con):
        if profile.name == published_profile_name(con):
            _validate_profile(con, profile)
            freeze.ensure_model_change_allowed(con, reason)
            check_climate_rule(con, profile)
        write_profile(con, profile, actor=actor, reason=reason)


def write_profile(
    con: duckdb.DuckDBPyConnection, profile: WeightProfile, *, actor: str, reason: str = ""
) -> None:
    """Create or replace a profile inside the caller's transaction, logged."""
    _validate_profile(con, profile)
    is_model = profile.name == published_profile_name(con)
    if is_model:
        freeze.ensure_model_change_allowed(con, reason)
    try:
        old: dict[str, object] | None = load_profile(con, profile.name).as_dict()
    except UnknownProfile:
        old = None
    con.execute("DELETE FROM weight_profile_item WHERE profile_name = ?", [profile.name])
    con.execute("DELETE FROM weight_profile WHERE name = ?", [profile.name])
    con.execute(
        "INSERT INTO weight_profile (name, description, climate_justification) VALUES (?, ?, ?)",
        [profile.name, profile.description, profile.climate_justification],
    )
    rows = [(profile.name, "criterion", k, float(v)) for k, v in profile.criteria.items()]
    rows += [(profile.name, "category", k, float(v)) for k, v in profile.categories.items()]
    con.executemany("INSERT INTO weight_profile_item VALUES (?, ?, ?, ?)", rows)
    audit.record(
        con, actor=actor, action="create" if old is None else "update", entity="weight_profile",
        entity_id=profile.name,
        old=old, new=profile.as_dict(), reason=reason,
    )  # fmt: skip
    if is_model:
        freeze.record_model_change(con, actor=actor, reason=reason)
