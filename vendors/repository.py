"""Reading and writing the procurement: functions that take a connection or cursor.

Every change made through the app goes through a function here that also writes the
audit log, inside one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import pandas as pd

from scoring.price import (
    FIXED_RANGE,
    LOG_MULTIPLE_RANGE,
    PRICE_MODELS,
    QUALITY_PRICING,
    LibraryCounts,
    PriceModelError,
    PriceParameters,
)
from scoring.price import SETTING_KEYS as PRICE_SETTING_KEYS
from vendors import audit, freeze
from vendors.errors import (
    N_,
    InvalidPriceSettings,
    InvalidSetting,
    InvalidWeights,
    UnknownProfile,
)

PUBLISHED_PROFILE_KEY = "published_profile"


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit on success, roll back on any error."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


# --- the evaluation model -------------------------------------------------------------


def criteria(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Award criteria in display order."""
    return con.execute("SELECT * FROM award_criterion ORDER BY sort_order, id").df()


def categories(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Categories in display order, with their award criterion."""
    return con.execute(
        "SELECT c.* FROM category c JOIN award_criterion a ON a.id = c.criterion_id"
        " ORDER BY a.sort_order, c.sort_order, c.id"
    ).df()


def requirements(con: duckdb.DuckDBPyConnection, *, include_retired: bool = False) -> pd.DataFrame:
    """Requirements in catalogue order (retired ones only if asked for)."""
    where = "" if include_retired else "WHERE NOT r.retired"
    return con.execute(
        "SELECT r.* FROM requirement r"
        " JOIN category c ON c.id = r.category_id"
        " JOIN award_criterion a ON a.id = c.criterion_id"
        f" {where} ORDER BY a.sort_order, c.sort_order, r.sort_order, r.id"
    ).df()


def settings(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """All procurement settings as strings."""
    return dict(con.execute("SELECT key, value FROM setting").fetchall())


def set_setting(
    con: duckdb.DuckDBPyConnection, key: str, value: str, *, actor: str, reason: str = ""
) -> None:
    """Change one setting, logged.

    A setting of the evaluation model (price model, contract years, the published
    profile, ...) can change after the freeze only with a reason (ModelFrozen).
    """
    is_model = freeze.is_model_setting(key)
    with transaction(con):
        if is_model:
            freeze.ensure_model_change_allowed(con, reason)
        _check_setting(con, key, str(value), reason)
        if write_setting(con, key, value, actor=actor, reason=reason) and is_model:
            freeze.record_model_change(con, actor=actor, reason=reason)


def _check_setting(con: duckdb.DuckDBPyConnection, key: str, value: str, reason: str) -> None:
    """Refuse a single setting that would leave the procurement unusable: the price model
    and its parameters are checked as the Pris page checks them, the published profile
    must exist, and the contract period must be a whole number of years."""
    price_keys = {PRICE_MODEL_KEY, *PRICE_SETTING_KEYS.values()}
    if key in price_keys:
        proposed = {**settings(con), key: value}
        try:
            parameters = PriceParameters.from_settings(proposed)
        except PriceModelError as exc:
            raise InvalidPriceSettings(N_("Not a number: {detail}."), detail=str(exc)) from exc
        _validate_price_settings(proposed.get(PRICE_MODEL_KEY, ""), parameters, reason)
    elif key == PUBLISHED_PROFILE_KEY:
        load_profile(con, value)
    elif key == "contract_years" and not (value.isdigit() and int(value) >= 1):
        raise InvalidSetting(
            N_("The contract period must be a whole number of years, 1 or more; got {value}."),
            value=value,
        )


def write_setting(
    con: duckdb.DuckDBPyConnection, key: str, value: str, *, actor: str, reason: str = ""
) -> bool:
    """Change one setting inside the caller's transaction, logged; False if unchanged.

    A setting of the evaluation model needs a reason after the freeze (ModelFrozen); the
    caller records the new fingerprint once its whole change is made
    (``freeze.record_model_change``).
    """
    old = settings(con).get(key)
    if old == str(value):
        return False
    if freeze.is_model_setting(key):
        freeze.ensure_model_change_allowed(con, reason)
    con.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", [key, str(value)])
    audit.record(
        con,
        actor=actor,
        action="update" if old is not None else "create",
        entity="setting",
        entity_id=key,
        old=old,
        new=str(value),
        reason=reason,
    )
    return True


# --- the price model ------------------------------------------------------------------

PRICE_MODEL_KEY = "price_model"


def price_parameters(con: duckdb.DuckDBPyConnection) -> PriceParameters:
    """The price-model settings (P_min, P_max, A, V) as stored."""
    return PriceParameters.from_settings(settings(con))


def _validate_price_settings(model: str, parameters: PriceParameters, reason: str) -> None:
    if model not in PRICE_MODELS:
        raise InvalidPriceSettings(
            N_("Unknown price model “{model}”; choose one of {models}."),
            model=model,
            models=", ".join(PRICE_MODELS),
        )
    if not reason.strip():
        raise InvalidPriceSettings(
            N_("Say why the price model or its settings change: the reason is logged.")
        )
    low, high = LOG_MULTIPLE_RANGE
    if not low <= parameters.zero_multiple <= high:
        raise InvalidPriceSettings(
            N_("A, the price multiple that scores 0, must lie between {low} and {high}."),
            low=low,
            high=high,
        )
    p_min, p_max = parameters.price_min, parameters.price_max
    if (p_min is None) != (p_max is None) or (
        p_min is not None and p_max is not None and not 0 <= p_min < p_max
    ):
        raise InvalidPriceSettings(
            N_("P_min and P_max go together: P_min zero or more, and below P_max.")
        )
    if model == FIXED_RANGE and p_min is None:
        raise InvalidPriceSettings(
            N_("The fixed-range model needs P_min and P_max, set before the tender.")
        )
    value = parameters.point_value
    if value is not None and not value > 0:
        raise InvalidPriceSettings(N_("V, the value of a quality point, must be above 0 NOK."))
    if model == QUALITY_PRICING and value is None:
        raise InvalidPriceSettings(
            N_("Pricing of quality needs V, the value in NOK of one quality point.")
        )


def price_setting_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Logged changes to the price model and its settings, newest first."""
    keys = [PRICE_MODEL_KEY, "price_floor_at_zero", *PRICE_SETTING_KEYS.values()]
    marks = ", ".join("?" * len(keys))
    return con.execute(
        "SELECT logged_at, actor, entity_id AS setting, old_value, new_value, reason"
        f" FROM audit_log WHERE entity = 'setting' AND entity_id IN ({marks})"
        " ORDER BY id DESC",
        keys,
    ).df()


def save_price_model(
    con: duckdb.DuckDBPyConnection,
    model: str,
    parameters: PriceParameters,
    *,
    actor: str,
    reason: str,
) -> list[str]:
    """Publish a price model and its settings in one transaction; every changed setting
    is logged with the reason. Returns the keys that changed."""
    _validate_price_settings(model, parameters, reason)

    def text(value: float | None) -> str:
        if value is None:
            return ""
        return str(int(value)) if float(value).is_integer() else repr(float(value))

    values = {
        PRICE_MODEL_KEY: model,
        PRICE_SETTING_KEYS["price_min"]: text(parameters.price_min),
        PRICE_SETTING_KEYS["price_max"]: text(parameters.price_max),
        PRICE_SETTING_KEYS["zero_multiple"]: text(parameters.zero_multiple),
        PRICE_SETTING_KEYS["point_value"]: text(parameters.point_value),
    }
    changed = []
    with transaction(con):
        current = settings(con)
        for key, value in values.items():
            if value == "" and key not in current:
                continue
            if write_setting(con, key, value, actor=actor, reason=reason.strip()):
                changed.append(key)
        if changed:
            freeze.record_model_change(con, actor=actor, reason=reason.strip())
    return changed


# --- offers, answers and scores -------------------------------------------------------


def offers(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Offers with their vendor's name and profile, by vendor name."""
    return con.execute(
        "SELECT o.id, o.vendor_id, o.product, v.name AS vendor_name,"
        " v.profile_nb, v.profile_en"
        " FROM offer o JOIN vendor v ON v.id = o.vendor_id ORDER BY v.name, o.id"
    ).df()


def evaluators(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Evaluators by name."""
    return con.execute("SELECT * FROM evaluator ORDER BY name").df()


def responses(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Vendors' own answers (0–3) with comment and evidence."""
    return con.execute("SELECT * FROM response ORDER BY offer_id, requirement_id").df()


def consensus(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Agreed scores per offer and weighted requirement."""
    return con.execute("SELECT * FROM consensus ORDER BY offer_id, requirement_id").df()


def mandatory_checks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Assessments of the mandatory requirements."""
    return con.execute("SELECT * FROM mandatory_check ORDER BY offer_id, requirement_id").df()


def price_lines(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every price line of every offer."""
    return con.execute("SELECT * FROM price_offer ORDER BY offer_id, line_no").df()


def libraries(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Participating libraries."""
    return con.execute("SELECT * FROM library ORDER BY region DESC, name").df()


def library_counts(con: duckdb.DuckDBPyConnection) -> LibraryCounts:
    """Libraries, their branches and the school libraries they serve, counted."""
    row = con.execute(
        "SELECT count(*), coalesce(sum(branches), 0), coalesce(sum(school_libraries), 0)"
        " FROM library"
    ).fetchone()
    assert row is not None
    return LibraryCounts(*(int(v) for v in row))


@dataclass(frozen=True)
class Counts:
    """What the overview counts."""

    requirements: int
    mandatory: int
    weighted: int
    offers: int
    evaluators: int
    libraries: int


def counts(con: duckdb.DuckDBPyConnection) -> Counts:
    """Numbers of requirements (by kind), offers, evaluators and libraries."""
    row = con.execute(
        "SELECT"
        " (SELECT count(*) FROM requirement WHERE NOT retired),"
        " (SELECT count(*) FROM requirement WHERE NOT retired AND kind = 'M'),"
        " (SELECT count(*) FROM requirement WHERE NOT retired AND kind = 'W'),"
        " (SELECT count(*) FROM offer),"
        " (SELECT count(*) FROM evaluator),"
        " (SELECT count(*) FROM library)"
    ).fetchone()
    assert row is not None
    return Counts(*(int(v) for v in row))


# --- weight profiles ------------------------------------------------------------------


@dataclass(frozen=True)
class WeightProfile:
    """Named weights for award criteria and categories (any non-negative numbers)."""

    name: str
    criteria: dict[str, float]
    categories: dict[str, float]
    climate_justification: str = ""
    description: str = ""

    def as_dict(self) -> dict[str, object]:
        """The profile as a plain dict, for the audit log."""
        return {
            "criteria": self.criteria,
            "categories": self.categories,
            "climate_justification": self.climate_justification,
            "description": self.description,
        }


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
    known_criteria = set(criteria(con)["id"])
    known_categories = set(categories(con)["id"])
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


def save_profile(
    con: duckdb.DuckDBPyConnection, profile: WeightProfile, *, actor: str, reason: str = ""
) -> None:
    """Create or replace a profile, logging old and new weights, in one transaction.

    The published profile is part of the evaluation model: after the freeze it changes
    only with a reason (ModelFrozen).
    """
    with transaction(con):
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
        con,
        actor=actor,
        action="create" if old is None else "update",
        entity="weight_profile",
        entity_id=profile.name,
        old=old,
        new=profile.as_dict(),
        reason=reason,
    )
    if is_model:
        freeze.record_model_change(con, actor=actor, reason=reason)
