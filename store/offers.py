"""Vendors and their offers (registered with their organisation numbers), the vendors'
own answers and their prices as they stand in the current round."""

from __future__ import annotations

import unicodedata

import duckdb
import pandas as pd

from store import audit, opening
from store import org_number as org_number_rules
from store.db import in_own_transaction
from store.errors import N_, InvalidRegistration, UnknownOffer
from store.ids import check_id


def offers(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Offers with their vendor's name and profile, by vendor name."""
    return con.execute(
        "SELECT o.id, o.vendor_id, o.product, v.name AS vendor_name,"
        " v.profile_nb, v.profile_en"
        " FROM offer o JOIN vendor v ON v.id = o.vendor_id ORDER BY v.name, o.id"
    ).df()


def vendors(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Vendors with how many offers each has registered, by name."""
    return con.execute(
        "SELECT v.id, v.name, v.org_number, v.contact, count(o.id) AS offers"
        " FROM vendor v LEFT JOIN offer o ON o.vendor_id = v.id GROUP BY ALL ORDER BY v.name"
    ).df()


def responses(con: duckdb.DuckDBPyConnection, round_number: int | None = None) -> pd.DataFrame:
    """Vendors' own answers (0–3) with comment and evidence: each offer's latest round up
    to the current one (``store.opening``), or up to ``round_number``."""
    upto = opening.current_round(con) if round_number is None else round_number
    return con.execute(
        opening.in_force("response") + " ORDER BY t.offer_id, t.requirement_id", [upto]
    ).df()


def prices(con: duckdb.DuckDBPyConnection, round_number: int | None = None) -> pd.DataFrame:
    """Every offer's amounts in the current round (or as they stood in ``round_number``),
    one row per price line of the schedule it priced: offer_id, round, line_id, text_nb,
    text_en, kind, is_option, amount_nok."""
    upto = opening.current_round(con) if round_number is None else round_number
    return con.execute(
        opening.in_force(
            "offer_price",
            "t.offer_id, t.round, t.line_id, p.text_nb, p.text_en, p.kind, p.is_option,"
            " t.amount_nok",
        )
        + " JOIN price_line p ON p.id = t.line_id ORDER BY t.offer_id, p.sort_order, p.id",
        [upto],
    ).df()


ALTERNATIVE_OFFERS_KEY = "alternative_offers"  # "true" where a vendor may hand in more than one


def _text(value: object) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip()


def write_vendor(
    con: duckdb.DuckDBPyConnection,
    vendor: str,
    *,
    name: str,
    org_number: str = "",
    contact: str = "",
    profile_nb: str = "",
    profile_en: str = "",
    actor: str,
) -> None:
    """Register a vendor, logged, inside the caller's transaction (``add_vendor``: in its
    own). A Norwegian organisation number, where given, must be nine digits with a valid
    modulus-11 control digit; a foreign vendor may have none. The profile is a short
    presentation of the vendor, in Norwegian and English (either may be empty)."""
    check_id(vendor)
    name, contact, number = _text(name), _text(contact), org_number_rules.normalise(org_number)
    if not name:
        raise InvalidRegistration(N_("A vendor needs a name."))
    if number and not org_number_rules.is_valid(number):
        raise InvalidRegistration(
            N_(
                "“{number}” is not a Norwegian organisation number: nine digits, the last a "
                "modulus-11 control digit."
            ),
            number=org_number,
        )
    if con.execute("SELECT 1 FROM vendor WHERE id = ?", [vendor]).fetchone():
        raise InvalidRegistration(N_("There is already a vendor with the id “{id}”."), id=vendor)
    if number and con.execute("SELECT 1 FROM vendor WHERE org_number = ?", [number]).fetchone():
        raise InvalidRegistration(
            N_("A vendor with the organisation number {number} is registered already."),
            number=number,
        )
    profile = {"profile_nb": _text(profile_nb), "profile_en": _text(profile_en)}
    con.execute(
        "INSERT INTO vendor (id, name, org_number, contact, profile_nb, profile_en)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [vendor, name, number, contact, profile["profile_nb"], profile["profile_en"]],
    )
    audit.record(
        con, actor=actor, action="create", entity="vendor", entity_id=vendor,
        new={"name": name, "org_number": number, "contact": contact,
             **{k: v for k, v in profile.items() if v}},
    )  # fmt: skip


add_vendor = in_own_transaction(write_vendor)


def write_offer(
    con: duckdb.DuckDBPyConnection, offer: str, *, vendor: str, product: str, actor: str
) -> None:
    """Register an offer of a vendor, logged, inside the caller's transaction (``add_offer``:
    in its own). A second offer of the same vendor only where the tender allows alternative
    offers (setting ``alternative_offers``)."""
    check_id(offer)
    product = _text(product)
    if not product:
        raise InvalidRegistration(N_("An offer needs the name of the product offered."))
    if not con.execute("SELECT 1 FROM vendor WHERE id = ?", [vendor]).fetchone():
        raise UnknownOffer(N_("There is no vendor with the id “{id}”."), id=vendor)
    if con.execute("SELECT 1 FROM offer WHERE id = ?", [offer]).fetchone():
        raise InvalidRegistration(N_("There is already an offer with the id “{id}”."), id=offer)
    row = con.execute("SELECT value FROM setting WHERE key = ?", [ALTERNATIVE_OFFERS_KEY])
    alternatives = (row.fetchone() or ("false",))[0] == "true"
    has_one = con.execute("SELECT 1 FROM offer WHERE vendor_id = ?", [vendor]).fetchone()
    if has_one and not alternatives:
        raise InvalidRegistration(
            N_("{vendor} has an offer already; the tender does not allow alternative offers."),
            vendor=vendor,
        )
    con.execute(
        "INSERT INTO offer (id, vendor_id, product) VALUES (?, ?, ?)", [offer, vendor, product]
    )
    audit.record(
        con, actor=actor, action="create", entity="offer", entity_id=offer,
        new={"vendor": vendor, "product": product},
    )  # fmt: skip


add_offer = in_own_transaction(write_offer)
