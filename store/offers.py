"""Offers, the vendors' own answers and the price lines."""

from __future__ import annotations

import duckdb
import pandas as pd


def offers(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Offers with their vendor's name and profile, by vendor name."""
    return con.execute(
        "SELECT o.id, o.vendor_id, o.product, v.name AS vendor_name,"
        " v.profile_nb, v.profile_en"
        " FROM offer o JOIN vendor v ON v.id = o.vendor_id ORDER BY v.name, o.id"
    ).df()


def responses(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Vendors' own answers (0–3) with comment and evidence."""
    return con.execute("SELECT * FROM response ORDER BY offer_id, requirement_id").df()


def price_lines(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every price line of every offer."""
    return con.execute("SELECT * FROM price_offer ORDER BY offer_id, line_no").df()
