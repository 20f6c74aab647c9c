"""The tender itself: its name, its reference in the tendering system, the contract and
option years, the deadline for offers, the procedure, whether alternative offers are
allowed, whether evaluators score quality without seeing the prices, and the standstill
period after the award letters. Stored as
settings, each change logged; the contract and option years are part of the evaluation
model, so after the freeze they change only with a reason."""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass
from datetime import date

import duckdb

from store import freeze
from store.db import retry_on_conflict, transaction
from store.errors import N_, InvalidRegistration
from store.evaluation import is_submitted
from store.offers import ALTERNATIVE_OFFERS_KEY
from store.settings import (
    DEFAULT_STANDSTILL_DAYS,
    MAX_STANDSTILL_DAYS,
    MIN_STANDSTILL_DAYS,
    STANDSTILL_DAYS_KEY,
    settings,
    standstill_days,
    write_setting,
)

PROCEDURES = ("open", "negotiation")  # open tender; competition with negotiation
MAX_YEARS = 20

KEYS = {
    "name": "tender_name",
    "reference": "tender_reference",
    "contract_years": "contract_years",
    "option_years": "option_years",
    "deadline": "offer_deadline",
    "procedure": "procedure",
    "alternative_offers": ALTERNATIVE_OFFERS_KEY,
    "price_blind": "price_blind",
    "standstill_days": STANDSTILL_DAYS_KEY,
}


@dataclass(frozen=True)
class Tender:
    """What the working group sets up before the offers come in."""

    name: str = ""
    reference: str = ""
    contract_years: int = 4
    option_years: int = 0
    deadline: date | None = None
    procedure: str = "open"
    alternative_offers: bool = False
    # Evaluators see no price, price points or total ranking until they have submitted
    # their quality scores (the procurement guidance's advice); on unless switched off.
    price_blind: bool = True
    # The standstill period (karensperiode, FOA § 25-2) after the award letters, in days.
    standstill_days: int = DEFAULT_STANDSTILL_DAYS

    def as_settings(self) -> dict[str, str]:
        return {
            KEYS["name"]: self.name,
            KEYS["reference"]: self.reference,
            KEYS["contract_years"]: str(self.contract_years),
            KEYS["option_years"]: str(self.option_years),
            KEYS["deadline"]: self.deadline.isoformat() if self.deadline else "",
            KEYS["procedure"]: self.procedure,
            KEYS["alternative_offers"]: "true" if self.alternative_offers else "false",
            KEYS["price_blind"]: "true" if self.price_blind else "false",
            KEYS["standstill_days"]: str(self.standstill_days),
        }


def _whole(value: str, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def tender(con: duckdb.DuckDBPyConnection) -> Tender:
    """The tender as stored (defaults where nothing is set yet)."""
    stored = settings(con)
    deadline = stored.get(KEYS["deadline"], "")
    try:
        when = date.fromisoformat(deadline) if deadline else None
    except ValueError:
        when = None
    return Tender(
        name=stored.get(KEYS["name"], ""),
        reference=stored.get(KEYS["reference"], ""),
        contract_years=_whole(stored.get(KEYS["contract_years"], ""), 4),
        option_years=_whole(stored.get(KEYS["option_years"], ""), 0),
        deadline=when,
        procedure=stored.get(KEYS["procedure"], "open"),
        alternative_offers=stored.get(KEYS["alternative_offers"], "false") == "true",
        price_blind=stored.get(KEYS["price_blind"], "true") != "false",
        standstill_days=standstill_days(con),
    )


def check(value: Tender) -> Tender:
    """The tender with its texts tidied, or InvalidRegistration naming what is wrong."""
    name = unicodedata.normalize("NFC", value.name).strip()
    reference = unicodedata.normalize("NFC", value.reference).strip()
    if not name:
        raise InvalidRegistration(N_("The tender needs a name."))
    if len(name) > 200 or len(reference) > 100:
        raise InvalidRegistration(N_("The tender's name or reference is too long."))
    if not (1 <= value.contract_years <= MAX_YEARS):
        raise InvalidRegistration(
            N_("The contract period must be 1 to {most} years."), most=MAX_YEARS
        )
    if not (0 <= value.option_years <= MAX_YEARS):
        raise InvalidRegistration(N_("The option years must be 0 to {most}."), most=MAX_YEARS)
    if not (MIN_STANDSTILL_DAYS <= value.standstill_days <= MAX_STANDSTILL_DAYS):
        raise InvalidRegistration(
            N_("The standstill period must be {fewest} (FOA § 25-2) to {most} days."),
            fewest=MIN_STANDSTILL_DAYS,
            most=MAX_STANDSTILL_DAYS,
        )
    if value.procedure not in PROCEDURES:
        raise InvalidRegistration(
            N_("The procedure is one of: {choices}."), choices=", ".join(PROCEDURES)
        )
    return dataclasses.replace(value, name=name, reference=reference)


@retry_on_conflict
def save_tender(
    con: duckdb.DuckDBPyConnection, value: Tender, *, actor: str, reason: str = ""
) -> list[str]:
    """Store the tender in one transaction, each changed setting logged; return the keys
    that changed. After the freeze, a change of contract or option years needs a reason."""
    clean = check(value)
    changed: list[str] = []
    with transaction(con):
        model_changed = False
        for key, text in clean.as_settings().items():
            if write_setting(con, key, text, actor=actor, reason=reason.strip()):
                changed.append(key)
                model_changed |= freeze.is_model_setting(key)
        if model_changed:
            freeze.record_model_change(con, actor=actor, reason=reason.strip())
    return changed


def prices_hidden_from(con: duckdb.DuckDBPyConnection, evaluator: str | None) -> bool:
    """Whether this evaluator may not see prices yet: the tender is price-blind (the
    default) and they have not submitted their quality scores. None (someone who is not
    scoring) sees them."""
    if not evaluator or not tender(con).price_blind:
        return False
    return not is_submitted(con, evaluator)
