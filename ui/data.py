"""The cached DuckDB connection and cached reads for the pages.

One connection per database file lives in ``st.cache_resource``; every read runs on its
own cursor. Cached reads are cleared after every write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd
import streamlit as st

from scoring.price import LibraryCounts, PriceParameters
from scoring.procurement import ProcurementInputs
from vendors import repository as repo
from vendors.db import default_db_path, open_database
from vendors.procurement import load_inputs

CACHE_TTL_SECONDS = 600


def db_path() -> str:
    """The database file this app serves (``$BIBVALG_DB`` or data/bibvalg.duckdb)."""
    return str(default_db_path().resolve())


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    return open_database(path)


@contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh cursor on the app's database, closed afterwards."""
    cur = _connection(db_path()).cursor()
    try:
        yield cur
    finally:
        cur.close()


def clear_caches() -> None:
    """Forget cached reads; call after every write."""
    st.cache_data.clear()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def inputs(path: str) -> ProcurementInputs:
    """Everything the published model needs."""
    with cursor() as cur:
        return load_inputs(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def counts(path: str) -> repo.Counts:
    """Numbers for the overview."""
    with cursor() as cur:
        return repo.counts(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def settings(path: str) -> dict[str, str]:
    """Procurement settings."""
    with cursor() as cur:
        return repo.settings(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def profile_names(path: str) -> list[str]:
    """Saved weight profiles, the published one first."""
    with cursor() as cur:
        return repo.profile_names(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=16, show_spinner=False)
def profile(path: str, name: str) -> repo.WeightProfile:
    """One saved weight profile."""
    with cursor() as cur:
        return repo.load_profile(cur, name)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def responses(path: str) -> pd.DataFrame:
    """Vendors' own answers."""
    with cursor() as cur:
        return repo.responses(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def offers(path: str) -> pd.DataFrame:
    """Offers with vendor names."""
    with cursor() as cur:
        return repo.offers(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def library_counts(path: str) -> LibraryCounts:
    """Libraries, branches and school libraries, counted."""
    with cursor() as cur:
        return repo.library_counts(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def price_setting_history(path: str) -> pd.DataFrame:
    """Logged changes to the price model and its settings, newest first."""
    with cursor() as cur:
        return repo.price_setting_history(cur)


def save_price_model(
    model: str, parameters: PriceParameters, *, actor: str, reason: str
) -> list[str]:
    """Publish a price model and its settings, logged, and forget cached reads."""
    with cursor() as cur:
        changed = repo.save_price_model(cur, model, parameters, actor=actor, reason=reason)
    clear_caches()
    return changed


def save_profile(weight_profile: repo.WeightProfile, *, actor: str) -> None:
    """Save a weight profile and forget cached reads."""
    with cursor() as cur:
        repo.save_profile(cur, weight_profile, actor=actor)
    clear_caches()
