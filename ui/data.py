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

from scoring.procurement import ProcurementInputs
from vendors import catalogue
from vendors import repository as repo
from vendors import responses as vendor_responses
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


def save_profile(weight_profile: repo.WeightProfile, *, actor: str) -> None:
    """Save a weight profile and forget cached reads."""
    with cursor() as cur:
        repo.save_profile(cur, weight_profile, actor=actor)
    clear_caches()


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def catalogue_table(path: str) -> pd.DataFrame:
    """Every requirement, retired ones too, as the catalogue editor shows them."""
    with cursor() as cur:
        return catalogue.editable(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def catalogue_version(path: str) -> catalogue.CatalogueVersion:
    """The catalogue's current version and fingerprint."""
    with cursor() as cur:
        return catalogue.current_version(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def catalogue_versions(path: str) -> pd.DataFrame:
    """Every recorded catalogue version, newest first."""
    with cursor() as cur:
        return catalogue.versions(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def categories(path: str) -> pd.DataFrame:
    """Categories with their names."""
    with cursor() as cur:
        return repo.categories(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def show_weights_default(path: str) -> bool:
    """The working group's choice: weights shown in the requirement specification or not."""
    with cursor() as cur:
        return vendor_responses.show_weights_default(cur)


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=4, show_spinner=False)
def template(path: str, show_weights: bool, *, actor: str) -> vendor_responses.TemplateExport:
    """The requirement specification for vendors (recording the catalogue version first)."""
    with cursor() as cur:
        return vendor_responses.export_template(cur, actor=actor, show_weights=show_weights)


def save_catalogue(
    edited: pd.DataFrame, *, actor: str, reason: str, based_on: int | None
) -> catalogue.SaveResult:
    """Save an edit of the catalogue and forget cached reads."""
    try:
        with cursor() as cur:
            return catalogue.save_catalogue(
                cur, edited, actor=actor, reason=reason, based_on=based_on
            )
    finally:
        clear_caches()


def set_show_weights_default(show: bool, *, actor: str) -> None:
    """Record whether the requirement specification shows weights, and forget cached reads."""
    with cursor() as cur:
        vendor_responses.set_show_weights_default(cur, show, actor=actor)
    clear_caches()


def import_responses(
    offer_id: str, content: bytes, *, file_name: str, actor: str
) -> vendor_responses.ImportResult:
    """Check and import a vendor's workbook; forget cached reads if it was stored."""
    with cursor() as cur:
        result = vendor_responses.import_responses(
            cur, offer_id, content, actor=actor, file_name=file_name
        )
    clear_caches()
    return result
