"""Settings: the tender's key–value settings and the published price model."""

from __future__ import annotations

import duckdb
import pandas as pd

from scoring.price import (
    FIXED_RANGE,
    LOG_MULTIPLE_RANGE,
    PRICE_MODELS,
    QUALITY_PRICING,
    PriceModelError,
    PriceParameters,
)
from scoring.price import SETTING_KEYS as PRICE_SETTING_KEYS
from store import audit, freeze
from store.db import retry_on_conflict, transaction
from store.errors import (
    N_,
    InvalidPriceSettings,
    InvalidSetting,
    UnknownProfile,
    UnknownSetting,
)

PUBLISHED_PROFILE_KEY = "published_profile"
PRICE_MODEL_KEY = "price_model"
# The standstill period (karensperiode, FOA § 25-2) in days after the award letter is sent.
STANDSTILL_DAYS_KEY = "standstill_days"
DEFAULT_STANDSTILL_DAYS = 10
MIN_STANDSTILL_DAYS = 10  # FOA § 25-2: at least ten days
MAX_STANDSTILL_DAYS = 90
# Every setting bibvalg reads, in one place. A key not here is refused, so a typo
# ("contract_year") cannot create a setting nothing reads.
# The tender itself (store/tender.py): its name, its number in the tendering system, the
# deadline for offers, the procedure, and whether a vendor may hand in alternative offers.
TENDER_SETTING_KEYS = (
    "tender_name",
    "tender_reference",
    "offer_deadline",
    "procedure",
    "alternative_offers",
    "price_blind",
)
KNOWN_SETTINGS = frozenset(
    {
        *freeze.MODEL_SETTING_KEYS,  # the evaluation model: price model, contract years, ...
        *PRICE_SETTING_KEYS.values(),  # the price model's parameters: P_min, P_max, A, V
        PUBLISHED_PROFILE_KEY,
        PRICE_MODEL_KEY,
        *TENDER_SETTING_KEYS,
        "template_show_weights",  # vendors.responses: show weights in the vendor template
        "demo",  # the demo procurement is loaded (the overview says so)
        "currency",  # the currency of the price offers (NOK)
        STANDSTILL_DAYS_KEY,  # vendors.award_letter: the standstill period's length in days
    }
)


def check_known(key: str) -> None:
    """Raise UnknownSetting for a key bibvalg does not read."""
    if key not in KNOWN_SETTINGS:
        raise UnknownSetting(
            N_("There is no setting named “{key}”. The settings are: {known}."),
            key=key,
            known=", ".join(sorted(KNOWN_SETTINGS)),
        )


def settings(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """All procurement settings as strings."""
    return dict(con.execute("SELECT key, value FROM setting").fetchall())


@retry_on_conflict
def set_setting(
    con: duckdb.DuckDBPyConnection, key: str, value: str, *, actor: str, reason: str = ""
) -> None:
    """Change one setting, logged.

    A setting of the evaluation model (price model, contract years, the published
    profile, ...) can change after the freeze only with a reason (ModelFrozen). A key
    that is not one of KNOWN_SETTINGS is refused (UnknownSetting).
    """
    check_known(key)
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
        if con.execute("SELECT 1 FROM weight_profile WHERE name = ?", [value]).fetchone() is None:
            raise UnknownProfile(N_("There is no weight profile named “{name}”."), name=value)
    elif key == STANDSTILL_DAYS_KEY and not (
        value.isdigit() and MIN_STANDSTILL_DAYS <= int(value) <= MAX_STANDSTILL_DAYS
    ):
        raise InvalidSetting(
            N_(
                "The standstill period must be a whole number of days from {fewest} (FOA § 25-2) "
                "to {most}; got {value}."
            ),
            fewest=MIN_STANDSTILL_DAYS,
            most=MAX_STANDSTILL_DAYS,
            value=value,
        )
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
    check_known(key)
    old = settings(con).get(key)
    if old == str(value):
        return False
    if freeze.is_model_setting(key):
        freeze.ensure_model_change_allowed(con, reason)
    con.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", [key, str(value)])
    audit.record(
        con, actor=actor, action="update" if old is not None else "create", entity="setting",
        entity_id=key,
        old=old, new=str(value), reason=reason,
    )  # fmt: skip
    return True


def standstill_days(con: duckdb.DuckDBPyConnection) -> int:
    """The standstill period in days (``DEFAULT_STANDSTILL_DAYS`` unless set)."""
    value = settings(con).get(STANDSTILL_DAYS_KEY, "")
    if value.isdigit() and MIN_STANDSTILL_DAYS <= int(value) <= MAX_STANDSTILL_DAYS:
        return int(value)
    return DEFAULT_STANDSTILL_DAYS


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
    keys = [PRICE_MODEL_KEY, *PRICE_SETTING_KEYS.values()]
    marks = ", ".join("?" * len(keys))
    return con.execute(
        "SELECT logged_at, actor, entity_id AS setting, old_value, new_value, reason"
        f" FROM audit_log WHERE entity = 'setting' AND entity_id IN ({marks})"
        " ORDER BY id DESC",
        keys,
    ).df()


@retry_on_conflict
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
